#ifndef NEUROTOP_ANALYSIS_HISTOGRAM_H
#define NEUROTOP_ANALYSIS_HISTOGRAM_H

/* Fixed-bin histograms with the moments of the values, for the weight
 * histogram pane (one per weight block; seed paper 002 reports the mean
 * shifting and the skewness growing with learning) and for histograms of
 * activations and correlation values (seed paper 001, Fig. 3). */

#include <stddef.h>

#include "neurotop/analysis/moments.h"
#include "neurotop/core/status.h"

/* Counts of the n values of v in nbins equal bins over [lo, hi]:
 * bin b covers [lo + b·w, lo + (b+1)·w) with w = (hi − lo)/nbins, the last
 * bin also takes hi. Values below lo count in bin 0 and values above hi in
 * bin nbins−1, so the counts always sum to n. counts (nbins entries,
 * caller-owned) is overwritten. When stats != NULL it receives the §15
 * moments of the values (mean, population std, skewness g1, excess
 * kurtosis; skewness and kurtosis NaN when every value is equal).
 * Errors: ST_EINVAL when n = 0, nbins = 0, lo or hi is not finite,
 * lo >= hi, or a value is NaN or infinite. O(n + nbins). */
Status histogram_compute(const float *v, size_t n, double lo, double hi, size_t nbins,
                         size_t *counts, Moments *stats, char *msg);

/* The same for double values (e.g. correlation coefficients). */
Status histogram_compute_d(const double *v, size_t n, double lo, double hi, size_t nbins,
                           size_t *counts, Moments *stats, char *msg);

/* A symmetric range for a histogram of v: *lo = −m, *hi = m with
 * m = max |v| (m = 1 when every value is 0, so the range is never empty).
 * Errors: ST_EINVAL when n = 0 or a value is not finite. O(n). */
Status histogram_symmetric_range(const float *v, size_t n, double *lo, double *hi, char *msg);

#endif
