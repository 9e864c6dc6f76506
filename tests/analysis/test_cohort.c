#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/analysis/cohort.h"

#define NE 6

/* Three instances whose x and y both rise within each run (r = +1 inside
 * every instance) while the instance means run against each other: the
 * Simpson's paradox of seed paper 001, Fig. 4A/C. */
static void simpson(double *x, double *y)
{
    const double c[3] = {0, 1, 2}, d[3] = {2, 1, 0.5};
    for (size_t i = 0; i < 3; i++)
        for (size_t e = 0; e < NE; e++) {
            x[i * NE + e] = c[i] + 0.1 * (double)e;
            y[i * NE + e] = d[i] + 0.2 * (double)e;
        }
}

Test(cohort, within_positive_across_negative)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    CohortCorr c;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_window_corr(x, y, 3, NE, 0, NE, &c, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(c.within, 1.0, 1e-12);
    cr_assert_float_eq(c.within_sd, 0.0, 1e-12);
    cr_assert_eq(c.within_n, 3);
    cr_assert_eq(c.within_pos, 3);
    cr_assert_eq(c.across_n, 3);
    /* Means are c + 0.25 and d + 0.5 (window mean of e is 2.5): centred
     * (-1, 0, 1) and (5/6, -1/6, -4/6): r = -1.5 / sqrt(2 · 7/6). */
    cr_assert_float_eq(c.across, -1.5 / sqrt(7.0 / 3.0), 1e-12);
}

Test(cohort, window_and_missing_epochs)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    /* Epochs that were not measured are skipped, and so are epochs outside
     * the window: the answer stays the same. */
    x[0 * NE + 2] = NAN;
    y[1 * NE + 3] = NAN;
    x[2 * NE + 0] = 1e6;
    CohortCorr c;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_window_corr(x, y, 3, NE, 1, NE, &c, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(c.within, 1.0, 1e-12);
    cr_assert_eq(c.within_n, 3);
    cr_assert(c.across < -0.9, "across %g", c.across);
}

Test(cohort, mean_and_sd_of_within_r)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    for (size_t e = 0; e < NE; e++)
        y[2 * NE + e] = -y[2 * NE + e]; /* the third instance: r = -1 */
    CohortCorr c;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_window_corr(x, y, 3, NE, 0, NE, &c, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(c.within, 1.0 / 3.0, 1e-12);
    cr_assert_float_eq(c.within_sd, sqrt(4.0 / 3.0), 1e-12);
    cr_assert_eq(c.within_pos, 2);
}

Test(cohort, undefined_parts_are_nan)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    for (size_t e = 0; e < NE; e++)
        x[1 * NE + e] = 4.0; /* constant: no r for instance 1 */
    CohortCorr c;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_window_corr(x, y, 3, NE, 0, NE, &c, msg), ST_OK, "%s", msg);
    cr_assert_eq(c.within_n, 2);
    cr_assert_float_eq(c.within, 1.0, 1e-12);
    /* Two epochs per instance: no within r; three instances still give an across r. */
    cr_assert_eq(cohort_window_corr(x, y, 3, NE, 0, 2, &c, msg), ST_OK, "%s", msg);
    cr_assert_eq(c.within_n, 0);
    cr_assert(isnan(c.within) && isnan(c.within_sd));
    cr_assert_eq(c.across_n, 3);
    cr_assert(isfinite(c.across));
    /* Two instances: no across r. */
    cr_assert_eq(cohort_window_corr(x, y, 2, NE, 0, NE, &c, msg), ST_OK, "%s", msg);
    cr_assert(isnan(c.across));
}

Test(cohort, window_errors)
{
    double x[NE] = {0}, y[NE] = {0};
    CohortCorr c;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(cohort_window_corr(x, y, 1, NE, 3, 3, &c, msg), ST_EINVAL);
    cr_assert(strlen(msg) > 0);
    cr_assert_eq(cohort_window_corr(x, y, 1, NE, 0, NE + 1, &c, msg), ST_EINVAL);
    cr_assert_eq(cohort_window_corr(x, y, 0, NE, 0, NE, &c, msg), ST_EINVAL);
}

static CohortModeResult classify(const double *a, size_t n)
{
    CohortModeRule rule;
    cohort_mode_rule_default(n, &rule);
    CohortModeResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_classify(a, n, &rule, &r, msg), ST_OK, "%s", msg);
    return r;
}

Test(cohort, default_rule)
{
    CohortModeRule r;
    cohort_mode_rule_default(10, &r);
    cr_assert_eq(r.min_flat, 3);
    cohort_mode_rule_default(1000, &r);
    cr_assert_eq(r.min_flat, 20);
    cr_assert_float_eq(r.flat_tol, 0.01, 0);
    cr_assert_float_eq(r.rise, 0.05, 0);
    cr_assert_float_eq(r.dip, 0.01, 0);
}

Test(cohort, mode_one_flat_then_rising)
{
    const double a[10] = {0.5, 0.67, 0.671, 0.669, 0.672, 0.67, 0.70, 0.8, 0.9, 0.95};
    CohortModeResult r = classify(a, 10);
    cr_assert_eq(r.mode, COHORT_MODE_I);
    cr_assert_eq(r.rise_epoch, 6);
    cr_assert_eq(r.flat_epochs, 5);
    cr_assert_float_eq(r.plateau, 0.67, 0);
    cr_assert_float_eq(r.best, 0.95, 0);
    cr_assert_eq(r.best_epoch, 9);
    cr_assert_str_eq(cohort_mode_name(r.mode), "I");
}

Test(cohort, mode_two_quick_rise_then_dip)
{
    const double a[10] = {0.5, 0.70, 0.85, 0.90, 0.88, 0.86, 0.87, 0.91, 0.93, 0.94};
    CohortModeResult r = classify(a, 10);
    cr_assert_eq(r.mode, COHORT_MODE_II);
    cr_assert_eq(r.rise_epoch, 2);
    cr_assert_eq(r.flat_epochs, 1);
    cr_assert_eq(r.peak_epoch, 3);
    cr_assert_eq(r.trough_epoch, 5);
    cr_assert_float_eq(r.dip_depth, 0.04, 1e-12);
    cr_assert_float_eq(r.final_gain, 0.08, 1e-12);
    cr_assert_str_eq(cohort_mode_name(r.mode), "II");
    /* Missing epochs are skipped, not read as drops. */
    const double b[10] = {0.5, 0.70, NAN, 0.90, NAN, 0.86, 0.87, NAN, 0.93, 0.94};
    r = classify(b, 10);
    cr_assert_eq(r.mode, COHORT_MODE_II);
    cr_assert_eq(r.trough_epoch, 5);
}

Test(cohort, neither_mode)
{
    /* Quick, monotone rise: no dip. */
    const double a[8] = {0.5, 0.70, 0.80, 0.85, 0.90, 0.92, 0.925, 0.93};
    CohortModeResult r = classify(a, 8);
    cr_assert_eq(r.mode, COHORT_MODE_NONE);
    cr_assert_float_eq(r.dip_depth, 0.0, 0);
    cr_assert_str_eq(cohort_mode_name(r.mode), "-");
    /* Never leaves the plateau. */
    const double b[6] = {0.5, 0.67, 0.67, 0.675, 0.67, 0.672};
    r = classify(b, 6);
    cr_assert_eq(r.mode, COHORT_MODE_NONE);
    cr_assert_eq(r.rise_epoch, 0);
    /* Flat long enough, but the rise is too small for mode I. */
    const double c[8] = {0.5, 0.67, 0.67, 0.67, 0.67, 0.675, 0.685, 0.69};
    r = classify(c, 8);
    cr_assert_eq(r.mode, COHORT_MODE_NONE);
    cr_assert_eq(r.flat_epochs, 5);
}

Test(cohort, classify_errors)
{
    CohortModeRule rule;
    cohort_mode_rule_default(10, &rule);
    CohortModeResult r;
    char msg[STATUS_MSG_LEN] = "";
    const double a[3] = {0.5, NAN, NAN};
    cr_assert_eq(cohort_classify(a, 2, &rule, &r, msg), ST_EINVAL);
    cr_assert_eq(cohort_classify(a, 3, &rule, &r, msg), ST_EINVAL);
    cr_assert(strlen(msg) > 0);
    const double b[3] = {0.5, 0.6, 0.7};
    rule.dip = NAN;
    cr_assert_eq(cohort_classify(b, 3, &rule, &r, msg), ST_EINVAL);
}
