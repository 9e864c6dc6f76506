#ifndef NEUROTOP_ANALYSIS_PCA_H
#define NEUROTOP_ANALYSIS_PCA_H

/* Principal component analysis of activity (seed paper 000, §4.8 and Fig. 4):
 * explained-variance ratios per docs/methods.md §16, the top-k principal axes
 * and the projection of items onto them (the TUI's 3-D scatter), and the
 * within- and between-category distances in that space. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* §16 on the n×d row-major matrix x (row stride ldx >= d; rows = samples):
 * centre each column; with standardize != 0 divide each column by its
 * sample std (columns with zero variance stay 0: a column counts as
 * constant when its centred sum of squares is at most 1e-24 times its raw
 * sum of squares); take the eigenvalues λ of C = XcᵀXc/(n−1), sort them
 * in descending order, clip at 0, and write ratio_k = λ_k/Σλ into ratio
 * (d entries, caller-owned; centring leaves rank <= n−1, so when n <= d
 * the last d−n+1 entries are 0 up to rounding).
 * *n80 (may be NULL) = the smallest k with Σ_{j<=k} ratio_j >= 0.8 − 1e-12.
 * When n < d the n×n Gram matrix XcXcᵀ/(n−1) is decomposed instead (same
 * non-zero eigenvalues, padded with zeros).
 * Errors: ST_EINVAL for n < 2, d = 0, ldx < d, a non-finite value, or
 * Σλ = 0; ST_ENUMERIC if the eigen-solver fails; ST_ENOMEM.
 * Cost with m = min(n, d): O(n·d·m/2) for the covariance (dsyrk) plus
 * O(m³) for the eigenvalues (LAPACK dsyevr, no eigenvectors). */
Status pca_explained(const double *x, size_t n, size_t d, size_t ldx, int standardize,
                     double *ratio, size_t *n80, char *msg);
/* Float input; computed in double. */
Status pca_explained_f(const float *x, size_t n, size_t d, size_t ldx, int standardize,
                       double *ratio, size_t *n80, char *msg);

/* The k leading principal axes of a data set, and how to centre and scale
 * new rows before projecting them (so items of later epochs can be placed
 * in the space of a reference fit, as the paper tracks its concatenated
 * embedding over epochs). Owned by the caller: pca_fit_free. */
typedef struct {
    size_t d, k;
    double *mean;      /* d column means */
    double *scale;     /* d: 1, or 1/std with standardize (0 for constant columns) */
    double *axes;      /* k×d row-major; row c is the unit axis of component c, signed so
                          that its entry of largest magnitude is positive */
    double *variance;  /* k eigenvalues λ_1 >= ... >= λ_k of C, clipped at 0 */
    double *ratio;     /* k: λ_c / trace(C), the share of the total variance */
    double total_variance; /* trace(C) = Σ of all d eigenvalues */
} PcaFit;

/* Fits the k leading components (1 <= k <= d) of x as pca_explained does
 * (same centring, standardize rule and errors) but computes only k
 * eigenpairs (LAPACK dsyevr over an index range). Cost: O(n·d²/2) for the
 * covariance + O(d³) for the tridiagonal reduction + O(d²·k).
 * *out is caller-owned. */
Status pca_fit(const double *x, size_t n, size_t d, size_t ldx, int standardize, size_t k,
               PcaFit **out, char *msg);
Status pca_fit_f(const float *x, size_t n, size_t d, size_t ldx, int standardize, size_t k,
                 PcaFit **out, char *msg);
/* pca_fit_free(NULL) is safe. */
void pca_fit_free(PcaFit *fit);

/* Scores of n rows of x (n×fit->d, row stride ldx >= d) on the fit's k
 * components into scores (n×k row-major, caller-owned):
 * scores[i][c] = Σ_j (x_ij − mean_j)·scale_j·axes[c][j].
 * Errors: ST_EINVAL for ldx < d or a non-finite value; ST_ENOMEM (float
 * input is converted in a temporary buffer). O(n·d·k) (BLAS dgemm). */
Status pca_transform(const PcaFit *fit, const double *x, size_t n, size_t ldx, double *scores,
                     char *msg);
Status pca_transform_f(const PcaFit *fit, const float *x, size_t n, size_t ldx, double *scores,
                       char *msg);

/* Category separation in a k-dimensional embedding (seed paper 000, Fig. 4):
 * with μ_c the centroid of the items labelled c,
 *   within  = mean over items i of ‖s_i − μ_{c(i)}‖ (Euclidean),
 *   between = mean over pairs of distinct categories a < b of ‖μ_a − μ_b‖
 * ("distance between the mean of each digit"). scores is n×k row-major,
 * labels n integers (any values; equal means same category). Either output
 * may be NULL. Errors: ST_EINVAL for n = 0, k = 0 or fewer than 2
 * categories; ST_ENOMEM. O(n log n + n·k + c²·k) for c categories. */
Status pca_category_distances(const double *scores, size_t n, size_t k, const int *labels,
                              double *within, double *between, char *msg);

#endif
