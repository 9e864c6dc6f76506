#ifndef NEUROTOP_ANALYSIS_ENTROPY_H
#define NEUROTOP_ANALYSIS_ENTROPY_H

/* Distribution entropy (seed paper 001): the differential entropy of the
 * Gaussian fitted to a set of samples, docs/methods.md §14:
 * H = ½ log det(2πe Σ) = ½ [d·log(2πe) + log det Σ] nats, Σ the unbiased
 * sample covariance of the non-constant columns, optionally ridged. */

#include <stddef.h>

#include "neurotop/core/status.h"

typedef struct {
    double entropy_nats;
    size_t d;          /* columns kept (non-constant) */
    size_t dropped;    /* constant columns dropped */
    double ridge_eps;  /* ε = E·mean_k Σ_kk added to the diagonal (0 when E = 0) */
    /* Only meaningful when E > 0: 1 when Σ without the ridge fails the
     * singularity test, i.e. the ridge was needed for a finite answer. */
    int ridge_needed;
    /* E > 0 and Σ non-singular: H(Σ + εI) − H(Σ) (≥ 0), how much the ridge
     * moved the answer; NaN when ridge_needed; 0 when E = 0. */
    double ridge_shift;
} EntropyResult;

/* §14 on the n×d row-major matrix x (row stride ldx >= d; rows = samples).
 * 1. drop columns whose entries are all identical;
 * 2. Σ = XcᵀXc/(n−1) of the kept columns (BLAS dsyrk);
 * 3. with ridge E > 0, Σ ← Σ + εI, ε = E·mean_k Σ_kk;
 * 4. Cholesky (LAPACK dpotrf); singular when it fails or some pivot
 *    L_kk² <= 1e-12·max_k Σ_kk;
 * 5. H = ½ [d·log(2πe) + 2 Σ_k log L_kk].
 * With E > 0 the un-ridged Σ is factorised too, to fill ridge_needed and
 * ridge_shift (the UI says when the ridge mattered).
 * Errors: ST_EINVAL for n < 2, d = 0, ldx < d, a non-finite value, E < 0 or
 * non-finite, or no column kept; ST_ENUMERIC when Σ (after the ridge) is
 * singular; ST_ENOMEM. O(n·d²/2 + d³/3) flops, O(n·d + d²) memory. */
Status entropy_gaussian(const double *x, size_t n, size_t d, size_t ldx, double ridge,
                        EntropyResult *out, char *msg);
/* Float input (activations); computed in double. */
Status entropy_gaussian_f(const float *x, size_t n, size_t d, size_t ldx, double ridge,
                          EntropyResult *out, char *msg);

#endif
