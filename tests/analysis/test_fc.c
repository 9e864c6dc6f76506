#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/core/rng.h"

/* Two windows of 4 samples, 3 units. Window 1: u1 = 2·u0 (r = 1), u2
 * alternates (r(u0,u2) = −1/√5 by hand). Window 2: u1 reverses u0 (r = −1)
 * and u2 is constant (silent). */
static const double TWO_WIN[8 * 3] = {
    1, 2, 1, 2, 4, 0, 3, 6, 1, 4, 8, 0, /* window 1 */
    1, 4, 7, 2, 3, 7, 3, 2, 7, 4, 1, 7, /* window 2 */
};

/* Straightforward two-pass Pearson correlation, the reference. */
static double naive_r(const double *x, size_t n, size_t p, size_t a, size_t b)
{
    double ma = 0, mb = 0;
    for (size_t t = 0; t < n; t++) {
        ma += x[t * p + a];
        mb += x[t * p + b];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t t = 0; t < n; t++) {
        double da = x[t * p + a] - ma, db = x[t * p + b] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    return sab / sqrt(saa * sbb);
}

Test(fc, scaled_copy_correlates_one_and_silent_unit_is_zero)
{
    /* u1 = 3·u0 + 5, u2 constant, u3 = −u0. */
    double x[5 * 4];
    for (size_t t = 0; t < 5; t++) {
        double u = (double)(t * t) - 1.5;
        x[t * 4 + 0] = u;
        x[t * 4 + 1] = 3 * u + 5;
        x[t * 4 + 2] = 0.1;
        x[t * 4 + 3] = -u;
    }
    double c[16];
    size_t silent = 99;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_correlation(x, 5, 4, 4, 0, c, &silent, msg), ST_OK);
    cr_assert_eq(silent, 1);
    cr_assert_float_eq(c[0 * 4 + 1], 1.0, 1e-14);
    cr_assert_float_eq(c[1 * 4 + 0], 1.0, 1e-14);
    cr_assert_float_eq(c[0 * 4 + 3], -1.0, 1e-14);
    for (size_t j = 0; j < 4; j++) {
        cr_assert_eq(c[2 * 4 + j], 0.0, "silent row must be exactly 0, got %g", c[2 * 4 + j]);
        cr_assert_eq(c[j * 4 + 2], 0.0);
    }
    cr_assert_eq(c[0], 1.0);
    cr_assert_eq(c[3 * 4 + 3], 1.0);
    cr_assert_eq(fc_correlation(x, 5, 4, 4, FC_ZERO_DIAGONAL, c, NULL, msg), ST_OK);
    for (size_t j = 0; j < 4; j++)
        cr_assert_eq(c[j * 4 + j], 0.0);
    cr_assert_float_eq(c[0 * 4 + 1], 1.0, 1e-14);
}

Test(fc, two_windows_by_hand)
{
    double c[2 * 9];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_windows(TWO_WIN, 8, 3, 3, 2, 4, 0, c, msg), ST_OK);
    const double *w1 = c, *w2 = c + 9;
    cr_assert_float_eq(w1[0 * 3 + 1], 1.0, 1e-14);
    cr_assert_float_eq(w1[0 * 3 + 2], -1.0 / sqrt(5.0), 1e-14);
    cr_assert_float_eq(w1[2 * 3 + 0], -1.0 / sqrt(5.0), 1e-14);
    cr_assert_float_eq(w1[1 * 3 + 2], -1.0 / sqrt(5.0), 1e-14);
    cr_assert_float_eq(w2[0 * 3 + 1], -1.0, 1e-14);
    cr_assert_eq(w2[0 * 3 + 2], 0.0);
    cr_assert_eq(w2[1 * 3 + 2], 0.0);
    for (size_t s = 0; s < 2; s++)
        for (size_t j = 0; j < 3; j++)
            cr_assert_eq(c[s * 9 + j * 3 + j], 0.0, "window diagonals are 0");
    /* The whole stream (numpy corrcoef, cross-checked). */
    double whole[9];
    cr_assert_eq(fc_correlation(TWO_WIN, 8, 3, 3, 0, whole, NULL, msg), ST_OK);
    cr_assert_float_eq(whole[0 * 3 + 1], 0.2581988897471611, 1e-13);
    cr_assert_float_eq(whole[0 * 3 + 2], -0.03419927840283847, 1e-13);
    cr_assert_float_eq(whole[1 * 3 + 2], -0.6092848842499201, 1e-13);
}

Test(fc, matches_naive_pearson_with_stride_and_float_input)
{
    Rng r;
    rng_seed(&r, 7, 0);
    enum { N = 300, P = 9, LD = 12 };
    static double x[N * LD];
    static float xf[N * LD];
    for (size_t k = 0; k < N * LD; k++) {
        x[k] = rng_normal(&r) + (k % LD == 3 ? 0.5 * x[k - 1] : 0.0);
        xf[k] = (float)x[k];
    }
    /* Float input correlates the rounded values: compare it to the
     * double path on the same rounded numbers. */
    static double xr[N * LD];
    for (size_t k = 0; k < N * LD; k++)
        xr[k] = (double)xf[k];
    double c[P * P], cf[P * P], cr[P * P];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_correlation(x, N, P, LD, 0, c, NULL, msg), ST_OK);
    for (size_t a = 0; a < P; a++)
        for (size_t b = 0; b < P; b++) {
            double want = a == b ? 1.0 : naive_r(x, N, LD, a, b);
            cr_assert_float_eq(c[a * P + b], want, 1e-12, "r[%zu][%zu]", a, b);
        }
    cr_assert_eq(fc_correlation_f(xf, N, P, LD, 0, cf, NULL, msg), ST_OK);
    cr_assert_eq(fc_correlation(xr, N, P, LD, 0, cr, NULL, msg), ST_OK);
    for (size_t k = 0; k < P * P; k++)
        cr_assert_float_eq(cf[k], cr[k], 1e-15);
    /* Window 3 of 50 equals the whole-stream correlation of those rows. */
    static double win[6 * P * P];
    double c3[P * P];
    cr_assert_eq(fc_windows(x, N, P, LD, 6, 50, 0, win, msg), ST_OK);
    cr_assert_eq(fc_correlation(x + 150 * LD, 50, P, LD, FC_ZERO_DIAGONAL, c3, NULL, msg), ST_OK);
    for (size_t k = 0; k < P * P; k++)
        cr_assert_float_eq(win[3 * P * P + k], c3[k], 1e-14);
}

Test(fc, mean_regressed_variant)
{
    /* Reference: numpy least squares of each unit on [1, mean], then corrcoef. */
    const double x[6 * 3] = {1, 0, 2, 2, 1, 0, 0, 3, 1, 4, 1, 1, 3, 2, 5, 1, 1, 0};
    double c[9];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_correlation(x, 6, 3, 3, FC_REGRESS_MEAN, c, NULL, msg), ST_OK);
    cr_assert_float_eq(c[0 * 3 + 1], -0.6310463357730616, 1e-13);
    cr_assert_float_eq(c[0 * 3 + 2], -0.5858430827053638, 1e-13);
    cr_assert_float_eq(c[1 * 3 + 2], -0.2589887423277799, 1e-13);
    /* Two units: the residuals sum to zero, so they correlate −1. */
    const double y[5 * 2] = {1, 0, 2, 5, 0, 1, 4, 4, 3, 7};
    double c2[4];
    cr_assert_eq(fc_correlation(y, 5, 2, 2, FC_REGRESS_MEAN, c2, NULL, msg), ST_OK);
    cr_assert_float_eq(c2[1], -1.0, 1e-12);
    /* A common mode shared by all units: without regression every pair is
     * strongly positive; identical units become silent after regression. */
    const double z[4 * 2] = {1, 1, 2, 2, 0, 0, 5, 5};
    size_t silent = 0;
    cr_assert_eq(fc_correlation(z, 4, 2, 2, FC_REGRESS_MEAN, c2, &silent, msg), ST_OK);
    cr_assert_eq(silent, 2);
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(c2[k], 0.0);
}

Test(fc, summary_and_histogram)
{
    const double c[9] = {1, 0.5, -0.25, 0.5, 1, -0.75, -0.25, -0.75, 1};
    double mean, mabs;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_summary(c, 3, &mean, &mabs, msg), ST_OK);
    cr_assert_float_eq(mean, -0.5 / 3.0, 1e-15);
    cr_assert_float_eq(mabs, 1.5 / 3.0, 1e-15);
    size_t counts[4];
    cr_assert_eq(fc_histogram(c, 3, 4, counts, msg), ST_OK);
    /* bins [-1,-.5) [-.5,0) [0,.5) [.5,1]: -0.75, -0.25, 0.5 */
    cr_assert_eq(counts[0], 1);
    cr_assert_eq(counts[1], 1);
    cr_assert_eq(counts[2], 0);
    cr_assert_eq(counts[3], 1);
    cr_assert_eq(fc_summary(c, 1, &mean, &mabs, msg), ST_EINVAL);
}

Test(fc, rejects_bad_shapes_and_values)
{
    double x[6] = {1, 2, 3, 4, 5, NAN}, c[9];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_correlation(x, 1, 3, 3, 0, c, NULL, msg), ST_EINVAL);
    cr_assert_eq(fc_correlation(x, 2, 3, 2, 0, c, NULL, msg), ST_EINVAL);
    cr_assert_eq(fc_correlation(x, 2, 0, 3, 0, c, NULL, msg), ST_EINVAL);
    cr_assert_eq(fc_correlation(x, 2, 3, 3, 0, c, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "not finite") != NULL, "%s", msg);
    cr_assert_eq(fc_windows(TWO_WIN, 8, 3, 3, 3, 4, 0, c, msg), ST_EINVAL);
    cr_assert_eq(fc_windows(TWO_WIN, 8, 3, 3, 8, 1, 0, c, msg), ST_EINVAL);
    cr_assert_eq(fc_windows(TWO_WIN, 8, 3, 3, 0, 4, 0, c, msg), ST_EINVAL);
}
