#ifndef NEUROTOP_ANALYSIS_MOMENTS_H
#define NEUROTOP_ANALYSIS_MOMENTS_H

/* Moments of a set of values (docs/methods.md §15): mean, population std,
 * Fisher–Pearson skewness g1 and excess kurtosis, as scipy.stats.skew and
 * scipy.stats.kurtosis compute them by default. */

#include <stddef.h>

#include "neurotop/core/status.h"

typedef struct {
    size_t n;        /* number of values */
    double mean;
    double std;      /* sqrt(m2), population (divide by n) */
    double skewness; /* m3 / m2^1.5; NaN when m2 = 0 (the JSON writer prints null) */
    double kurtosis; /* m4 / m2² − 3 (excess); NaN when m2 = 0 */
    double min, max;
} Moments;

/* Moments of the n values x[0], x[stride], ..., x[(n-1)·stride]
 * (stride >= 1; stride 1 for a plain array, a matrix's column with the row
 * length). m_r = (1/n) Σ (x − mean)^r. m2 is exactly 0 when every value is
 * the same, so rounding in the mean never yields a spurious skewness.
 * Errors: ST_EINVAL when n = 0, stride = 0 or a value is NaN or infinite.
 * Two passes, O(n). x is borrowed; *out is written only on success. */
Status moments_compute(const double *x, size_t n, size_t stride, Moments *out, char *msg);

/* Float-array convenience with the same rules (accumulates in double). */
Status moments_compute_f(const float *x, size_t n, size_t stride, Moments *out, char *msg);

#endif
