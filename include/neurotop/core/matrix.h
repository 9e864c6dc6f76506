#ifndef NEUROTOP_CORE_MATRIX_H
#define NEUROTOP_CORE_MATRIX_H

/* Dense row-major double matrix: the currency of analysis/.
 * The Matrix owns its data; matrix_free(NULL) is safe. */

#include <stddef.h>

#include "neurotop/core/status.h"

typedef struct {
    size_t rows;
    size_t cols;
    double *data; /* rows*cols values, row-major */
} Matrix;

#define MAT_AT(m, i, j) ((m)->data[(size_t)(i) * (m)->cols + (size_t)(j)])

/* Zero-filled rows×cols matrix, or NULL when out of memory or rows*cols
 * overflows. rows or cols may be 0. */
Matrix *matrix_new(size_t rows, size_t cols);
void matrix_free(Matrix *m);
/* Deep copy, NULL when out of memory. */
Matrix *matrix_clone(const Matrix *m);
/* True when every entry is finite. */
int matrix_all_finite(const Matrix *m);

/* Checked size product: returns 0 and sets *out on success, -1 on overflow. */
int size_mul(size_t a, size_t b, size_t *out);

#endif
