#include "neurotop/core/linalg.h"

#include <cblas.h>
#include <lapacke.h>
#include <stdio.h>
#include <stdlib.h>

void openblas_set_num_threads(int num_threads);
/* Weak: another BLAS behind the same cblas.h leaves them NULL. */
extern char *openblas_get_config(void) __attribute__((weak));
extern char *openblas_get_corename(void) __attribute__((weak));
extern int openblas_get_num_threads(void) __attribute__((weak));

void linalg_set_threads(int n)
{
    openblas_set_num_threads(n < 1 ? 1 : n);
}

void linalg_library_info(char *buf, size_t cap)
{
    if (!openblas_get_config || !openblas_get_corename || !openblas_get_num_threads) {
        snprintf(buf, cap, "a BLAS without the OpenBLAS queries");
        return;
    }
    int threads = openblas_get_num_threads();
    snprintf(buf, cap, "%s (core %s, %d thread%s)", openblas_get_config(), openblas_get_corename(),
             threads, threads == 1 ? "" : "s");
}

void linalg_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
                  const float *a, size_t lda, const float *b, size_t ldb, float beta, float *c,
                  size_t ldc)
{
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, a, (int)lda,
                b, (int)ldb, beta, c, (int)ldc);
}

void linalg_dgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, double alpha,
                  const double *a, size_t lda, const double *b, size_t ldb, double beta,
                  double *c, size_t ldc)
{
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, a, (int)lda,
                b, (int)ldb, beta, c, (int)ldc);
}

void linalg_sgemv(int trans_a, size_t m, size_t n, float alpha, const float *a, size_t lda,
                  const float *x, float beta, float *y)
{
    cblas_sgemv(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, (int)m, (int)n, alpha, a,
                (int)lda, x, 1, beta, y, 1);
}

void linalg_sger(size_t m, size_t n, float alpha, const float *x, const float *y, float *a,
                 size_t lda)
{
    cblas_sger(CblasRowMajor, (int)m, (int)n, alpha, x, 1, y, 1, a, (int)lda);
}

Status linalg_dsyev(size_t n, double *a, double *vals, int want_vecs, char *msg)
{
    if (n == 0)
        return ST_OK;
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, want_vecs ? 'V' : 'N', 'U', (lapack_int)n,
                                     a, (lapack_int)n, vals);
    if (info != 0)
        return status_fail(msg, ST_ENUMERIC, "eigen-decomposition failed (LAPACK info %d)", (int)info);
    return ST_OK;
}

Status linalg_dpotrf(size_t n, double *a, char *msg)
{
    lapack_int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, a, (lapack_int)n);
    if (info > 0)
        return status_fail(msg, ST_ENUMERIC, "matrix is not positive definite (pivot %d)", (int)info);
    if (info < 0)
        return status_fail(msg, ST_EINTERNAL, "LAPACK dpotrf argument %d invalid", (int)-info);
    return ST_OK;
}

void linalg_dsyrk(int trans, size_t n, size_t k, double alpha, const double *a, size_t lda,
                  double beta, double *c, size_t ldc)
{
    cblas_dsyrk(CblasRowMajor, CblasUpper, trans ? CblasTrans : CblasNoTrans, (int)n, (int)k,
                alpha, a, (int)lda, beta, c, (int)ldc);
}

void linalg_ssyrk(int trans, size_t n, size_t k, float alpha, const float *a, size_t lda,
                  float beta, float *c, size_t ldc)
{
    cblas_ssyrk(CblasRowMajor, CblasUpper, trans ? CblasTrans : CblasNoTrans, (int)n, (int)k,
                alpha, a, (int)lda, beta, c, (int)ldc);
}

void linalg_ssymm(size_t n, size_t m, float alpha, const float *a, size_t lda, const float *b,
                  size_t ldb, float beta, float *c, size_t ldc)
{
    cblas_ssymm(CblasRowMajor, CblasLeft, CblasUpper, (int)n, (int)m, alpha, a, (int)lda, b,
                (int)ldb, beta, c, (int)ldc);
}

Status linalg_dsyevr(size_t n, double *a, size_t il, size_t iu, double *vals, double *vecs,
                     char *msg)
{
    if (n == 0)
        return ST_OK;
    if (il > iu || iu >= n)
        return status_fail(msg, ST_EINVAL, "eigenvalue index range %zu..%zu is outside 0..%zu", il,
                           iu, n - 1);
    lapack_int *isuppz = malloc(2 * n * sizeof *isuppz);
    if (!isuppz)
        return status_fail(msg, ST_ENOMEM, "out of memory for the eigen-solver workspace");
    lapack_int m = 0;
    /* A symmetric row-major matrix read as column-major is itself, with the
     * row-major upper triangle seen as the lower one; column-major Z of
     * ldz = n holds each eigenvector contiguously, i.e. as a row of vecs.
     * This skips LAPACKE's row-major transposition copies. */
    int whole = il == 0 && iu == n - 1;
    lapack_int info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, vecs ? 'V' : 'N', whole ? 'A' : 'I', 'L',
                                     (lapack_int)n, a, (lapack_int)n, 0.0, 0.0,
                                     (lapack_int)il + 1, (lapack_int)iu + 1, 0.0, &m, vals, vecs,
                                     (lapack_int)n, isuppz);
    free(isuppz);
    if (info != 0)
        return status_fail(msg, ST_ENUMERIC, "eigen-decomposition failed (LAPACK info %d)", (int)info);
    if ((size_t)m != iu - il + 1)
        return status_fail(msg, ST_ENUMERIC, "eigen-solver returned %d of %zu eigenvalues", (int)m,
                           iu - il + 1);
    return ST_OK;
}
