#ifndef NEUROTOP_ANALYSIS_FC_H
#define NEUROTOP_ANALYSIS_FC_H

/* Functional connectivity: Pearson correlations between the units (columns)
 * of an activation matrix (rows = samples), over the whole stream or in L
 * consecutive windows of Z samples (seed paper 001: 2,500 samples, 50
 * windows of 50). The windowed matrices are the layers of the multilayer
 * network of docs/methods.md §9 (--signed sym) whose communities give the
 * flexibility and allegiance of §10/§11.
 *
 * Silent units (zero variance within the samples used) have correlation 0
 * with every unit, themselves included: never NaN. A unit counts as silent
 * when the sum of squares of its centred values is at most 1e-24 times the
 * sum of squares of its raw values (a constant column, up to rounding). */

#include <stddef.h>

#include "neurotop/core/status.h"

enum {
    /* Put 0 on the diagonal (docs/methods.md: per-window matrices have a zero
     * diagonal). Without it the diagonal is 1 for active units, 0 for
     * silent ones. */
    FC_ZERO_DIAGONAL = 1u << 0,
    /* Regress the mean activation across units out of every unit (least
     * squares with intercept, per sample set) before correlating; this
     * removes the common mode that makes every correlation positive
     * (HebbFF while its plasticity rate grows). A unit that is an exact affine function of the
     * mean becomes silent. */
    FC_REGRESS_MEAN = 1u << 1
};

/* Correlation matrix of the p columns of the n×p row-major matrix x (row
 * stride ldx >= p, so a layer can be read out of a wider matrix) into out
 * (p×p row-major, caller-owned, symmetric, entries clamped to [-1, 1]).
 * flags: FC_* bits. n_silent (may be NULL) receives the number of silent
 * units. Errors: ST_EINVAL for n < 2, p = 0, ldx < p or a non-finite value;
 * ST_ENOMEM. Uses BLAS dsyrk: O(n·p²/2) flops plus O(n·p) memory. */
Status fc_correlation(const double *x, size_t n, size_t p, size_t ldx, unsigned flags,
                      double *out, size_t *n_silent, char *msg);
/* Float input (activations as the models produce them); computed in double. */
Status fc_correlation_f(const float *x, size_t n, size_t p, size_t ldx, unsigned flags,
                        double *out, size_t *n_silent, char *msg);

/* Correlation matrices of n_windows consecutive windows of window_len rows
 * (window s = rows s·window_len .. (s+1)·window_len − 1; rows after the last
 * window are ignored). Each window is treated as its own data set (its own
 * means, its own silent units, its own regression when FC_REGRESS_MEAN).
 * out holds n_windows p×p matrices back to back (window s at out + s·p·p).
 * The diagonal is always 0, as docs/methods.md requires for the layers of §9.
 * Errors: ST_EINVAL for window_len < 2, n_windows = 0, n < n_windows ·
 * window_len, p = 0, ldx < p, a non-finite value; ST_ENOMEM.
 * O(n_windows · window_len · p²/2). */
Status fc_windows(const double *x, size_t n, size_t p, size_t ldx, size_t n_windows,
                  size_t window_len, unsigned flags, double *out, char *msg);
Status fc_windows_f(const float *x, size_t n, size_t p, size_t ldx, size_t n_windows,
                    size_t window_len, unsigned flags, double *out, char *msg);

/* Mean correlation and mean |correlation| over the p(p−1)/2 pairs i < j of
 * the p×p matrix c (silent units count with their 0 entries). Either output
 * may be NULL. Errors: ST_EINVAL for p < 2. O(p²). */
Status fc_summary(const double *c, size_t p, double *mean, double *mean_abs, char *msg);

/* Histogram of the correlation values r_ij, i < j, of the p×p matrix c in
 * nbins equal bins over [-1, 1] (the last bin includes 1); counts (nbins
 * entries, caller-owned) sum to p(p−1)/2. Errors: ST_EINVAL for p < 2 or
 * nbins = 0; ST_ENOMEM. O(p² + nbins). */
Status fc_histogram(const double *c, size_t p, size_t nbins, size_t *counts, char *msg);

#endif
