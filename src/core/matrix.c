#include "neurotop/core/matrix.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int size_mul(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return -1;
    *out = a * b;
    return 0;
}

Matrix *matrix_new(size_t rows, size_t cols)
{
    size_t n;
    if (size_mul(rows, cols, &n) || n > SIZE_MAX / sizeof(double))
        return NULL;
    Matrix *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    m->rows = rows;
    m->cols = cols;
    m->data = calloc(n ? n : 1, sizeof(double));
    if (!m->data) {
        free(m);
        return NULL;
    }
    return m;
}

void matrix_free(Matrix *m)
{
    if (!m)
        return;
    free(m->data);
    free(m);
}

Matrix *matrix_clone(const Matrix *m)
{
    Matrix *c = matrix_new(m->rows, m->cols);
    if (c)
        memcpy(c->data, m->data, m->rows * m->cols * sizeof(double));
    return c;
}

int matrix_all_finite(const Matrix *m)
{
    size_t n = m->rows * m->cols;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(m->data[i]))
            return 0;
    return 1;
}
