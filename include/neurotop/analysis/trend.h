#ifndef NEUROTOP_ANALYSIS_TREND_H
#define NEUROTOP_ANALYSIS_TREND_H

/* Small statistics for series over training time (docs/methods.md §23.1):
 * Student's t distribution, Welch's test of two means, a least-squares
 * slope with a confidence interval widened for autocorrelated residuals,
 * the range-to-SD factor of a normal sample, and least-squares residuals
 * (a partial correlation is the Pearson r of two residual maps). */

#include <stddef.h>

#include "neurotop/core/status.h"

/* P(T <= t) for Student's t with df > 0 degrees of freedom (df need not be
 * whole: Welch's df is not). ±inf give 1 and 0; NaN for df <= 0 or a NaN
 * input. Through the regularised incomplete beta function; error < 1e-12. */
double trend_t_cdf(double t, double df);

/* The t with trend_t_cdf(t, df) = p, for 0 < p < 1 and df > 0 (NaN
 * otherwise). Bisection to 1e-12 relative. */
double trend_t_quantile(double p, double df);

/* Welch's test that the mean of sample 1 exceeds the mean of sample 2, from
 * their means, SDs (n − 1 denominators) and sizes. */
typedef struct {
    double diff; /* mean1 − mean2 */
    double se;   /* √(sd1²/n1 + sd2²/n2) */
    double df;   /* Welch–Satterthwaite; NaN when se = 0 */
    double t;    /* diff / se (±inf when se = 0 and diff ≠ 0) */
    double p;    /* one-sided P(T >= t); with se = 0: 0 when diff > 0, else 1 */
} WelchTest;

/* ST_EINVAL when n1 or n2 < 2 or a value is not finite or an SD < 0. */
Status trend_welch(double mean1, double sd1, size_t n1, double mean2, double sd2, size_t n2, WelchTest *out,
                   char *msg);

/* A least-squares line y = a + b·x with a two-sided interval for b. The
 * residuals e of a series over time are often autocorrelated, which makes
 * the ordinary interval too narrow; with r1 the lag-1 autocorrelation of e
 * (in the order given), the effective size is n_eff = n(1 − r1)/(1 + r1)
 * when r1 > 0 (else n), the residual variance is Σe²/(n_eff − 2) and the
 * interval uses t with n_eff − 2 degrees of freedom (Santer et al. 2000,
 * J. Geophys. Res. 105(D6):7337, doi:10.1029/1999JD901105). */
typedef struct {
    size_t n;          /* points used */
    double slope, intercept;
    double r1, n_eff;  /* lag-1 autocorrelation of the residuals, effective size */
    double se;         /* standard error of the slope (with n_eff) */
    double lo, hi;     /* the interval at the level asked; NaN when n_eff <= 2 */
    double p;          /* two-sided p of slope = 0 (t test, n_eff − 2 df); NaN when n_eff <= 2 */
} TrendFit;

/* Fit over the n points (x[i], y[i]) in order, at level (e.g. 0.95).
 * ST_EINVAL when n < 3, a value is not finite, all x are equal or level is
 * not in (0, 1). O(n). */
Status trend_slope(const double *x, const double *y, size_t n, double level, TrendFit *out, char *msg);

/* The same least-squares slope when each y[i] is a mean with a known
 * standard error se_y[i] from k[i] + 1 values (here: the mean Q of k[i] + 1
 * Louvain runs) and the errors of different points are independent: the
 * slope's variance is Σ(x_i − x̄)² se_y[i]² / Sxx², and the interval uses t
 * with Welch–Satterthwaite degrees of freedom
 * (Σ c_i)² / Σ c_i² / k[i], c_i = (x_i − x̄)² se_y[i]² / Sxx². It states how
 * well this series' own trend is known, not how another series would
 * trend. r1 and n_eff are left at 0 and n. ST_EINVAL as trend_slope, and for
 * se_y < 0 or k = 0. */
Status trend_slope_known(const double *x, const double *y, const double *se_y, const size_t *k, size_t n,
                         double level, TrendFit *out, char *msg);

/* d2(R): the expected range of R independent standard normal values
 * (1.128 for R = 2, 2.326 for 5, 3.078 for 10), so range / d2(R) estimates
 * the SD of a normal sample of R values (Tippett 1925, Biometrika 17:364,
 * doi:10.1093/biomet/17.3-4.364). NaN for R < 2. Numerical integration,
 * error < 1e-6. */
double trend_range_d2(size_t runs);

/* Residuals of y after a least-squares line on z, over the entries with
 * mask[i] != 0 (all when mask is NULL); the other entries of out are 0.
 * ST_EINVAL when fewer than 3 entries are kept, a kept value is not finite
 * or z is constant over them. The Pearson r of the residuals of a and of b
 * on the same z is the partial correlation r(a, b | z). O(n). */
Status trend_residuals(const double *y, const double *z, const unsigned char *mask, size_t n, double *out,
                       char *msg);

#endif
