#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"

Test(fileio, csv_parses_spaces_blank_lines_and_exponents)
{
    Matrix *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(csv_parse_matrix(" 1, 2.5e1 \n\n3 ,-4\n", "t", &m, msg), ST_OK);
    cr_assert_eq(m->rows, 2);
    cr_assert_eq(m->cols, 2);
    cr_assert_float_eq(MAT_AT(m, 0, 1), 25.0, 1e-12);
    cr_assert_float_eq(MAT_AT(m, 1, 1), -4.0, 1e-12);
    matrix_free(m);
}

Test(fileio, csv_rejects_ragged_nan_text_and_empty)
{
    Matrix *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(csv_parse_matrix("1,2\n3\n", "t", &m, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "line 2") != NULL);
    cr_assert_eq(csv_parse_matrix("1,nan\n", "t", &m, msg), ST_EFORMAT);
    cr_assert_eq(csv_parse_matrix("1,inf\n", "t", &m, msg), ST_EFORMAT);
    cr_assert_eq(csv_parse_matrix("1,x\n", "t", &m, msg), ST_EFORMAT);
    cr_assert_eq(csv_parse_matrix("\n \n", "t", &m, msg), ST_EFORMAT);
    cr_assert_eq(csv_parse_matrix("1,,2\n", "t", &m, msg), ST_EFORMAT);
    cr_assert_null(m);
}

Test(fileio, atomic_write_then_read_back)
{
    char path[] = "/tmp/neurotop-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(file_write_atomic(path, "hello", 5, msg), ST_OK);
    char *text;
    size_t len;
    cr_assert_eq(file_read_all(path, 1 << 20, &text, &len, msg), ST_OK);
    cr_assert_eq(len, 5);
    cr_assert_str_eq(text, "hello");
    free(text);
    unlink(path);
}

Test(fileio, labels_accept_negative_and_reject_words)
{
    char path[] = "/tmp/neurotop-labels-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("3\n-7\n\n3\n", f);
    fclose(f);
    long *v;
    size_t n;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(labels_read_file(path, &v, &n, msg), ST_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(v[1], -7);
    free(v);
    f = fopen(path, "w");
    fputs("1\nabc\n", f);
    fclose(f);
    cr_assert_eq(labels_read_file(path, &v, &n, msg), ST_EFORMAT);
    unlink(path);
}

/* A version-1 .npy of a 2 × 3 array with dtype descr and the given order. */
static void write_npy(const char *path, const char *descr, int fortran, const void *data, size_t bytes)
{
    char hdr[128];
    int len = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': %s, 'shape': (2, 3), }", descr,
                       fortran ? "True" : "False");
    while ((10 + len + 1) % 16)
        hdr[len++] = ' ';
    hdr[len++] = '\n';
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)len, 0};
    fwrite(pre, 1, 10, f);
    fwrite(hdr, 1, (size_t)len, f);
    fwrite(data, 1, bytes, f);
    fclose(f);
}

/* float64 in C order is copied as it is; Fortran order and float32 go
 * value by value: all give the same matrix. */
Test(fileio, npy_float64_c_and_fortran_and_float32_agree)
{
    char path[] = "/tmp/neurotop-npy-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    const double c[6] = {1, 2, 3, 4, 5, -6.5}, fo[6] = {1, 4, 2, 5, 3, -6.5};
    const float c32[6] = {1, 2, 3, 4, 5, -6.5f};
    char msg[STATUS_MSG_LEN];
    struct {
        const char *descr;
        int fortran;
        const void *data;
        size_t bytes;
    } cases[3] = {{"<f8", 0, c, sizeof c}, {"<f8", 1, fo, sizeof fo}, {"<f4", 0, c32, sizeof c32}};
    for (int k = 0; k < 3; k++) {
        write_npy(path, cases[k].descr, cases[k].fortran, cases[k].data, cases[k].bytes);
        Matrix *m = NULL;
        cr_assert_eq(npy_read_matrix(path, &m, msg), ST_OK, "case %d: %s", k, msg);
        cr_assert_eq(m->rows, 2);
        cr_assert_eq(m->cols, 3);
        for (size_t i = 0; i < 6; i++)
            cr_assert_eq(m->data[i], c[i], "case %d value %zu", k, i);
        matrix_free(m);
    }
    unlink(path);
}
