#ifndef NEUROTOP_CORE_LINALG_H
#define NEUROTOP_CORE_LINALG_H

/* The one place that calls BLAS and LAPACKE. Row-major throughout.
 * Add wrappers here rather than calling cblas_* / LAPACKE_* elsewhere. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* Set the OpenBLAS thread count for the calling process (>= 1). */
void linalg_set_threads(int n);

/* One line naming the BLAS in use: OpenBLAS's build configuration, the core
 * type it picked for this CPU and its thread count ("OpenBLAS 0.3.21 ...
 * (core Haswell, 1 thread)"); "a BLAS without the OpenBLAS queries" when the
 * linked library lacks them. Written into buf (cap bytes). */
void linalg_library_info(char *buf, size_t cap);

/* C = alpha * op(A) * op(B) + beta * C, float, row-major.
 * op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are row strides. */
void linalg_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
                  const float *a, size_t lda, const float *b, size_t ldb, float beta, float *c,
                  size_t ldc);
/* Double-precision counterpart of linalg_sgemm. */
void linalg_dgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, double alpha,
                  const double *a, size_t lda, const double *b, size_t ldb, double beta,
                  double *c, size_t ldc);
/* y = alpha * op(A) x + beta * y, A is m×n row-major. */
void linalg_sgemv(int trans_a, size_t m, size_t n, float alpha, const float *a, size_t lda,
                  const float *x, float beta, float *y);
/* A += alpha * x yᵀ, A is m×n row-major. */
void linalg_sger(size_t m, size_t n, float alpha, const float *x, const float *y, float *a,
                 size_t lda);

/* Eigenvalues (ascending) and, if vecs != NULL, eigenvectors (columns of the
 * row-major n×n vecs) of the symmetric n×n matrix a (overwritten). */
Status linalg_dsyev(size_t n, double *a, double *vals, int want_vecs, char *msg);

/* Cholesky factorisation in place (lower triangle), row-major n×n.
 * Returns ST_ENUMERIC when the matrix is not positive definite. */
Status linalg_dpotrf(size_t n, double *a, char *msg);

/* Symmetric rank-k update, double, row-major: with trans = 0, C = alpha·A·Aᵀ +
 * beta·C where A is n×k; with trans != 0, C = alpha·Aᵀ·A + beta·C where A is
 * k×n. Only the upper triangle of the n×n C is written (the lower is left
 * as it was). O(n²k/2) flops, half of the equivalent dgemm. */
void linalg_dsyrk(int trans, size_t n, size_t k, double alpha, const double *a, size_t lda,
                  double beta, double *c, size_t ldc);

/* Float counterpart of linalg_dsyrk (same conventions: only the upper
 * triangle of C is written). */
void linalg_ssyrk(int trans, size_t n, size_t k, float alpha, const float *a, size_t lda,
                  float beta, float *c, size_t ldc);

/* C = alpha·A·B + beta·C for the symmetric n×n A (row-major, only its upper
 * triangle is read), B and C n×m row-major. O(n²m). */
void linalg_ssymm(size_t n, size_t m, float alpha, const float *a, size_t lda, const float *b,
                  size_t ldb, float beta, float *c, size_t ldc);

/* Selected eigenpairs of the symmetric n×n matrix a (row-major; only its
 * upper triangle is read; a is overwritten), by LAPACK dsyevr (MRRR).
 * Computes the eigenvalues with ascending indices il..iu (0-based,
 * inclusive, il <= iu < n) into vals (iu-il+1 values, ascending) and, when
 * vecs != NULL, the matching eigenvectors as the rows of vecs
 * ((iu-il+1)×n row-major). il = 0, iu = n-1, vecs = NULL gives the whole
 * spectrum without vectors. Cost: the O(n³) tridiagonal reduction plus
 * O(n²) per wanted vector. */
Status linalg_dsyevr(size_t n, double *a, size_t il, size_t iu, double *vals, double *vecs,
                     char *msg);

#endif
