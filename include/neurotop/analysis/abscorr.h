#ifndef NEUROTOP_ANALYSIS_ABSCORR_H
#define NEUROTOP_ANALYSIS_ABSCORR_H

/* Per-neuron response moments and the absolute Pearson correlation matrix of
 * many neurons' responses (docs/methods.md, localisation; seed paper 004
 * §4.3). Responses are m images × n neurons, float32, row-major.
 *
 * Constant neurons (every response equal, e.g. a ReLU never active) have no
 * defined correlation: their row and column of |corr| are 0 and their
 * diagonal entry 1, so they add nothing to other neurons' features and the
 * matrix keeps a unit diagonal. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* Called after each block with the fraction done (0..1); non-zero cancels. */
typedef int (*AbsCorrProgressFn)(void *ctx, double frac);

/* mean[j], std[j] (population standard deviation, two passes in double) and
 * constant[j] (1 when all m responses of neuron j are identical; then std is
 * exactly 0) for each column of resp. m >= 1. O(mn). */
Status abscorr_moments(const float *resp, size_t m, size_t n, double *mean, double *std,
                       unsigned char *constant, char *msg);

/* In place: column j becomes (resp − mean)/(std·√m), so that ZᵀZ is the
 * correlation matrix; constant columns become 0. O(mn). */
Status abscorr_standardise(float *resp, size_t m, size_t n, const double *mean,
                           const double *std, const unsigned char *constant, char *msg);

/* c (n×n row-major, caller-owned, n² floats) = |ZᵀZ| in its upper triangle
 * (the lower triangle is not written), with the diagonal exactly 1, from the
 * standardised z (m×n). Built in panels of `block` rows (0 = 1024): ssyrk
 * for each diagonal block and sgemm for the rest of the panel, calling
 * progress (may be NULL) after each: ST_ECANCELED when it asks to stop.
 * O(n²m/2) flops. */
Status abscorr_matrix(const float *z, size_t m, size_t n, size_t block, float *c,
                      AbsCorrProgressFn progress, void *ctx, char *msg);

#endif
