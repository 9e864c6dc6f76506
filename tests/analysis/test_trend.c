#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/trend.h"

Test(trend, t_distribution_matches_closed_forms)
{
    /* df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π. */
    for (double t = -5; t <= 5; t += 0.5)
        cr_assert_float_eq(trend_t_cdf(t, 1.0), 0.5 + atan(t) / M_PI, 1e-12, "t %g", t);
    /* df = 2: F(t) = 1/2 + t / (2√(2 + t²)). */
    for (double t = -5; t <= 5; t += 0.5)
        cr_assert_float_eq(trend_t_cdf(t, 2.0), 0.5 + t / (2.0 * sqrt(2.0 + t * t)), 1e-12, "t %g", t);
    /* Tables: t(0.975, 10) = 2.228139, t(0.995, 4) = 4.604095. */
    cr_assert_float_eq(trend_t_quantile(0.975, 10.0), 2.228139, 1e-6);
    cr_assert_float_eq(trend_t_quantile(0.995, 4.0), 4.604095, 1e-6);
    cr_assert_float_eq(trend_t_quantile(0.5, 7.3), 0.0, 1e-10);
    cr_assert_float_eq(trend_t_cdf(trend_t_quantile(0.01, 5.5), 5.5), 0.01, 1e-10);
    cr_assert_eq(trend_t_cdf(INFINITY, 3), 1.0);
    cr_assert_eq(trend_t_cdf(-INFINITY, 3), 0.0);
    cr_assert(isnan(trend_t_cdf(1.0, 0.0)));
    cr_assert(isnan(trend_t_quantile(1.0, 3.0)));
}

Test(trend, welch_by_hand)
{
    /* a = 4/5, b = 1/5: se = 1, t = 2, df = 1 / (0.64/4 + 0.04/4) = 1/0.17. */
    WelchTest w;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(trend_welch(10, 2, 5, 8, 1, 5, &w, msg), ST_OK);
    cr_assert_float_eq(w.diff, 2.0, 1e-15);
    cr_assert_float_eq(w.se, 1.0, 1e-15);
    cr_assert_float_eq(w.t, 2.0, 1e-15);
    cr_assert_float_eq(w.df, 1.0 / 0.17, 1e-12);
    cr_assert_float_eq(w.p, 1.0 - trend_t_cdf(2.0, 1.0 / 0.17), 1e-15);
    cr_assert(w.p > 0.025 && w.p < 0.05, "p %g", w.p);
    /* No spread at all: any difference is certain. */
    cr_assert_eq(trend_welch(1, 0, 3, 0.5, 0, 3, &w, msg), ST_OK);
    cr_assert_eq(w.p, 0.0);
    cr_assert_eq(trend_welch(0.5, 0, 3, 0.5, 0, 3, &w, msg), ST_OK);
    cr_assert_eq(w.p, 1.0);
    cr_assert_eq(trend_welch(1, 1, 1, 0, 1, 5, &w, msg), ST_EINVAL);
    cr_assert_eq(trend_welch(1, -1, 3, 0, 1, 5, &w, msg), ST_EINVAL);
    cr_assert_eq(trend_welch(NAN, 1, 3, 0, 1, 5, &w, msg), ST_EINVAL);
}

Test(trend, slope_without_autocorrelation_is_ordinary_least_squares)
{
    /* Residuals alternate in sign, so r1 < 0 and n_eff = n. */
    const double x[6] = {0, 1, 2, 3, 4, 5}, y[6] = {1.1, 1.9, 3.2, 3.8, 5.1, 5.9};
    TrendFit f;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(trend_slope(x, y, 6, 0.95, &f, msg), ST_OK);
    double sxy = 0, sxx = 17.5, my = 21.0 / 6.0;
    for (int i = 0; i < 6; i++)
        sxy += (x[i] - 2.5) * (y[i] - my);
    double b = sxy / sxx, a = my - b * 2.5, see = 0;
    for (int i = 0; i < 6; i++)
        see += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]);
    cr_assert_float_eq(f.slope, b, 1e-12);
    cr_assert_lt(f.r1, 0.0);
    cr_assert_float_eq(f.n_eff, 6.0, 1e-15);
    double se = sqrt(see / 4.0 / sxx);
    cr_assert_float_eq(f.se, se, 1e-12);
    cr_assert_float_eq(f.hi - f.slope, trend_t_quantile(0.975, 4.0) * se, 1e-10);
    cr_assert_float_eq(f.slope - f.lo, f.hi - f.slope, 1e-12);
    cr_assert_lt(f.p, 1e-4);
}

Test(trend, autocorrelated_residuals_widen_the_interval)
{
    /* A slope of 0.01 plus a slow wave: neighbouring residuals agree. */
    double x[40], y[40], y2[40];
    for (int i = 0; i < 40; i++) {
        x[i] = i;
        y[i] = 0.01 * i + 0.05 * sin(0.9 * i);
        y2[i] = 0.01 * i + 0.05 * (i % 2 ? 1 : -1) * fabs(sin(0.9 * i)); /* same sizes, alternating */
    }
    TrendFit f, g;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(trend_slope(x, y, 40, 0.95, &f, msg), ST_OK);
    cr_assert_eq(trend_slope(x, y2, 40, 0.95, &g, msg), ST_OK);
    cr_assert_gt(f.r1, 0.5);
    cr_assert_float_eq(f.n_eff, 40.0 * (1 - f.r1) / (1 + f.r1), 1e-12);
    cr_assert_lt(f.n_eff, 15.0);
    cr_assert_lt(g.r1, 0.0);
    cr_assert_float_eq(g.n_eff, 40.0, 1e-12);
    cr_assert_gt(f.hi - f.lo, 2.0 * (g.hi - g.lo), "the wavy series has the wider interval");
    /* Too few effective points: no interval rather than a false one. */
    for (int i = 0; i < 40; i++)
        y[i] = 0.01 * i + 0.05 * sin(i / 4.0);
    cr_assert_eq(trend_slope(x, y, 40, 0.95, &f, msg), ST_OK);
    cr_assert_lt(f.n_eff, 2.0);
    cr_assert(isnan(f.lo) && isnan(f.p));
    /* An exact line has no residuals: the interval is the slope itself. */
    for (int i = 0; i < 40; i++)
        y[i] = 3.0 - 0.5 * i;
    cr_assert_eq(trend_slope(x, y, 40, 0.95, &f, msg), ST_OK);
    cr_assert_float_eq(f.slope, -0.5, 1e-12);
    cr_assert_float_eq(f.lo, -0.5, 1e-12);
    cr_assert_eq(trend_slope(x, y, 2, 0.95, &f, msg), ST_EINVAL);
    const double same[3] = {1, 1, 1};
    cr_assert_eq(trend_slope(same, y, 3, 0.95, &f, msg), ST_EINVAL);
    cr_assert_eq(trend_slope(x, y, 5, 1.0, &f, msg), ST_EINVAL);
}

Test(trend, slope_from_known_errors)
{
    /* x = 0, 1, 2: Sxx = 2, c_i = (x_i − 1)² se_i² / 4. With se = 0.1, 0.5,
     * 0.2: var = (0.01 + 0.04) / 4 = 0.0125 (the middle point does not move
     * the slope); df = var² / ((0.0025² + 0.01²) / k) with k = 4. */
    const double x[3] = {0, 1, 2}, y[3] = {1.0, 1.7, 2.0}, se[3] = {0.1, 0.5, 0.2};
    const size_t k[3] = {4, 4, 4};
    TrendFit f;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(trend_slope_known(x, y, se, k, 3, 0.95, &f, msg), ST_OK);
    cr_assert_float_eq(f.slope, 0.5, 1e-12);
    cr_assert_float_eq(f.se, sqrt(0.0125), 1e-12);
    double df = 0.0125 * 0.0125 / ((0.0025 * 0.0025 + 0.01 * 0.01) / 4.0);
    cr_assert_float_eq(f.hi - 0.5, trend_t_quantile(0.975, df) * sqrt(0.0125), 1e-9);
    cr_assert_eq(f.n_eff, 3.0);
    const double bad[3] = {0.1, -1, 0.1};
    cr_assert_eq(trend_slope_known(x, y, bad, k, 3, 0.95, &f, msg), ST_EINVAL);
}

Test(trend, range_factor_d2)
{
    /* d2(2) = 2/√π, d2(3) = 3/√π; d2(5), d2(10) from the published tables. */
    cr_assert_float_eq(trend_range_d2(2), 2.0 / sqrt(M_PI), 1e-7);
    cr_assert_float_eq(trend_range_d2(3), 3.0 / sqrt(M_PI), 1e-7);
    cr_assert_float_eq(trend_range_d2(5), 2.326, 5e-4);
    cr_assert_float_eq(trend_range_d2(10), 3.078, 5e-4);
    cr_assert(isnan(trend_range_d2(1)));
}

Test(trend, residuals_give_the_partial_correlation)
{
    /* a and b both follow z; their own parts u and v are orthogonal to z
     * and to each other, so r(a, b) is high and r(a, b | z) is 0. */
    const double z[6] = {1, 2, 3, 4, 5, 6};
    const double u[6] = {1, -1, -1, 1, 0, 0}, v[6] = {1, 0, -2, 0, 1, 0};
    double a[6], b[6], ra[6], rb[6];
    for (int i = 0; i < 6; i++) {
        a[i] = 2 * z[i] + 0.3 * u[i];
        b[i] = -z[i] + 0.3 * v[i];
    }
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(trend_residuals(a, z, NULL, 6, ra, msg), ST_OK);
    cr_assert_eq(trend_residuals(b, z, NULL, 6, rb, msg), ST_OK);
    double r_raw, r_part;
    cr_assert_eq(permtest_pearson(a, b, 6, &r_raw, msg), ST_OK);
    cr_assert_lt(r_raw, -0.95);
    /* u and v have zero mean, are orthogonal to z, and u·v = 1 + 2 = 3,
     * |u|² = 4, |v|² = 6: the partial r is 3/√24. */
    cr_assert_eq(permtest_pearson(ra, rb, 6, &r_part, msg), ST_OK);
    cr_assert_float_eq(r_part, 3.0 / sqrt(24.0), 1e-12);
    for (int i = 0; i < 6; i++)
        cr_assert_float_eq(ra[i], 0.3 * u[i], 1e-12);
    /* A mask leaves the other entries at 0. */
    const unsigned char mask[6] = {1, 1, 1, 0, 1, 1};
    cr_assert_eq(trend_residuals(a, z, mask, 6, ra, msg), ST_OK);
    cr_assert_eq(ra[3], 0.0);
    cr_assert_eq(trend_residuals(a, (const double[6]){2, 2, 2, 2, 2, 2}, NULL, 6, ra, msg), ST_EINVAL);
    cr_assert_eq(trend_residuals(a, z, NULL, 2, ra, msg), ST_EINVAL);
}
