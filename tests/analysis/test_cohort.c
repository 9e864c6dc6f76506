#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/analysis/cohort.h"
#include "neurotop/analysis/permtest.h"
#include "neurotop/core/rng.h"

#define NE 6

/* Three instances whose x and y both rise within each run (r = +1 inside
 * every instance) while the instances run against each other at every
 * epoch: the Simpson's paradox of seed paper 001, Fig. 4A/C. */
static void simpson(double *x, double *y)
{
    const double c[3] = {0, 1, 2}, d[3] = {2, 1, 0.5};
    for (size_t i = 0; i < 3; i++)
        for (size_t e = 0; e < NE; e++) {
            x[i * NE + e] = c[i] + 0.1 * (double)e;
            y[i * NE + e] = d[i] + 0.2 * (double)e;
        }
}

static CohortCorr corr(const double *x, const double *y, size_t n, size_t ne, size_t e0, size_t e1,
                       const CohortPlan *plan)
{
    CohortCorr c;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_corr(x, y, n, ne, e0, e1, plan, &c, msg), ST_OK, "%s", msg);
    return c;
}

Test(cohort, within_positive_across_negative)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    CohortCorr c = corr(x, y, 3, NE, 0, NE, NULL);
    cr_assert_float_eq(c.within.est, 1.0, 1e-12);
    cr_assert_float_eq(c.within_sd, 0.0, 1e-12);
    cr_assert_eq(c.within_n, 3);
    cr_assert_eq(c.within_pos, 3);
    cr_assert_eq(c.across_epochs, NE);
    /* At every epoch x and y across instances are c and d shifted: centred
     * (-1, 0, 1) and (5/6, -1/6, -4/6), r = -1.5 / sqrt(2 · 7/6). */
    cr_assert_float_eq(c.across.est, -1.5 / sqrt(7.0 / 3.0), 1e-12);
    /* Without a plan: no interval and no halves. */
    cr_assert(isnan(c.across.lo) && isnan(c.across.hi) && isnan(c.across.half[0]));
    cr_assert_eq(c.across.agree, -1);
}

/* Per-epoch r first, then the mean over the window's epochs — not the r of
 * the window means, which here has the other sign. */
Test(cohort, per_epoch_r_then_mean_by_hand)
{
    const double x[4 * 2] = {1, 1, 2, 2, 3, 3, 4, 4};
    const double y[4 * 2] = {1, 4, 2, 3, 3, 2, 5, 1};
    /* Epoch 0: x centred (-1.5, -0.5, 0.5, 1.5), Σx² = 5; y = (1, 2, 3, 5),
     * centred (-1.75, -0.75, 0.25, 2.25), Σy² = 8.75, Σxy = 6.5. Epoch 1:
     * y = (4, 3, 2, 1), r = -1. */
    double r0 = 6.5 / sqrt(5 * 8.75), want = (r0 - 1) / 2;
    CohortCorr c = corr(x, y, 4, 2, 0, 2, NULL);
    cr_assert_float_eq(c.across.est, want, 1e-12);
    cr_assert_eq(c.across_epochs, 2);
    cr_assert(c.across.est < 0);
    /* The window means (x 1..4, y 2.5, 2.5, 2.5, 3) correlate at +0.77. */
    const double mx[4] = {1, 2, 3, 4}, my[4] = {2.5, 2.5, 2.5, 3};
    double rm;
    cr_assert_eq(permtest_pearson(mx, my, 4, &rm, NULL), ST_OK);
    cr_assert_float_eq(rm, 0.75 / sqrt(5 * 0.1875), 1e-12);
    /* One epoch alone is the plain Pearson r of that epoch. */
    size_t n;
    cr_assert_float_eq(cohort_epoch_r(x, y, 4, 2, 0, &n), r0, 1e-12);
    cr_assert_eq(n, 4);
    cr_assert_float_eq(cohort_epoch_r(x, y, 4, 2, 1, NULL), -1.0, 1e-12);
    /* Two instances: no across r. */
    c = corr(x, y, 2, 2, 0, 2, NULL);
    cr_assert(isnan(c.across.est));
    cr_assert_eq(c.across_epochs, 0);
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
    CohortCorr c = corr(x, y, 3, NE, 1, NE, NULL);
    cr_assert_float_eq(c.within.est, 1.0, 1e-12);
    cr_assert_eq(c.within_n, 3);
    /* Epochs 2 and 3 have only two instances: the other three epochs count. */
    cr_assert_eq(c.across_epochs, 3);
    cr_assert_float_eq(c.across.est, -1.5 / sqrt(7.0 / 3.0), 1e-12);
}

Test(cohort, mean_and_sd_of_within_r)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    for (size_t e = 0; e < NE; e++)
        y[2 * NE + e] = -y[2 * NE + e]; /* the third instance: r = -1 */
    CohortCorr c = corr(x, y, 3, NE, 0, NE, NULL);
    cr_assert_float_eq(c.within.est, 1.0 / 3.0, 1e-12);
    cr_assert_float_eq(c.within_sd, sqrt(4.0 / 3.0), 1e-12);
    cr_assert_eq(c.within_pos, 2);
}

/* The within interval by hand: a plan of three chosen resamples. Per-instance
 * r are (1, 1, -1); resamples (3,0,0), (1,1,1), (0,0,3) give within 1, 1/3,
 * -1; the percentiles interpolate the sorted (-1, 1/3, 1) at 0.025·2 and
 * 0.975·2. The across r needs 3 distinct instances, so only the middle
 * resample defines it: fewer than half, no interval. */
Test(cohort, within_interval_by_hand)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    for (size_t e = 0; e < NE; e++)
        y[2 * NE + e] = -y[2 * NE + e];
    uint32_t counts[9] = {3, 0, 0, 1, 1, 1, 0, 0, 3};
    unsigned char group[3] = {0, 0, 1};
    CohortPlan plan = {.n_inst = 3, .n_boot = 3, .counts = counts, .group = group};
    CohortCorr c = corr(x, y, 3, NE, 0, NE, &plan);
    cr_assert_eq(c.within.boot_n, 3);
    cr_assert_float_eq(c.within.lo, -1 + 0.05 * (4.0 / 3.0), 1e-12);
    cr_assert_float_eq(c.within.hi, 1.0 / 3.0 + 0.95 * (2.0 / 3.0), 1e-12);
    cr_assert_eq(c.across.boot_n, 1);
    cr_assert(isnan(c.across.lo) && isnan(c.across.hi));
    /* Halves: group 0 = instances 0 and 1 (r 1, 1), group 1 = instance 2. */
    cr_assert_float_eq(c.within.half[0], 1.0, 1e-12);
    cr_assert_float_eq(c.within.half[1], -1.0, 1e-12);
    cr_assert_eq(c.within.agree, 0);
    cr_assert_eq(cohort_verdict(&c.within, +1), COHORT_VERDICT_UNRESOLVED);
    cr_assert_eq(cohort_verdict(&c.across, -1), COHORT_VERDICT_NONE);
}

/* Split-half agreement by hand: six instances, x_i(e) = i + e and
 * y_i(e) = s_i + e with s = (0, 5, 1, 1, 5, 0). Every instance has within
 * r = 1. At every epoch the even instances give r((0,2,4), (0,1,5)) =
 * 10/sqrt(8·14), the odd ones r((1,3,5), (5,1,0)) = −10/sqrt(8·14), and
 * all six r = 0: the halves disagree. */
Test(cohort, split_half_agreement_by_hand)
{
    enum { N = 6, E = 3 };
    const double s[N] = {0, 5, 1, 1, 5, 0};
    double x[N * E], y[N * E];
    for (size_t i = 0; i < N; i++)
        for (size_t e = 0; e < E; e++) {
            x[i * E + e] = (double)(i + e);
            y[i * E + e] = s[i] + (double)e;
        }
    CohortPlan plan;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_plan_init(&plan, N, 0, 1, NULL, msg), ST_OK, "%s", msg);
    CohortCorr c = corr(x, y, N, E, 0, E, &plan);
    double h = 10 / sqrt(8.0 * 14.0);
    cr_assert_float_eq(c.across.est, 0.0, 1e-12);
    cr_assert_float_eq(c.across.half[0], h, 1e-12);
    cr_assert_float_eq(c.across.half[1], -h, 1e-12);
    cr_assert_eq(c.across.agree, 0);
    cr_assert_float_eq(c.within.est, 1.0, 1e-12);
    cr_assert_float_eq(c.within.half[0], 1.0, 1e-12);
    cr_assert_float_eq(c.within.half[1], 1.0, 1e-12);
    cr_assert_eq(c.within.agree, 1);
    /* No resamples: no interval. */
    cr_assert(isnan(c.across.lo));
    cohort_plan_done(&plan);
    /* The groups may be given: 0, 1, 2 against 3, 4, 5. */
    const unsigned char g[N] = {0, 0, 0, 1, 1, 1};
    cr_assert_eq(cohort_plan_init(&plan, N, 0, 1, g, msg), ST_OK, "%s", msg);
    c = corr(x, y, N, E, 0, E, &plan);
    double r_lo, r_hi;
    const double xa[3] = {0, 1, 2}, ya[3] = {0, 5, 1}, xb[3] = {3, 4, 5}, yb[3] = {1, 5, 0};
    cr_assert_eq(permtest_pearson(xa, ya, 3, &r_lo, NULL), ST_OK);
    cr_assert_eq(permtest_pearson(xb, yb, 3, &r_hi, NULL), ST_OK);
    cr_assert_float_eq(c.across.half[0], r_lo, 1e-12);
    cr_assert_float_eq(c.across.half[1], r_hi, 1e-12);
    cohort_plan_done(&plan);
}

Test(cohort, plan_draws_are_seeded_resamples)
{
    CohortPlan a, b, c;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_plan_init(&a, 7, 50, 3, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(cohort_plan_init(&b, 7, 50, 3, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(cohort_plan_init(&c, 7, 50, 4, NULL, msg), ST_OK, "%s", msg);
    for (size_t k = 0; k < 50; k++) {
        uint32_t sum = 0;
        for (size_t i = 0; i < 7; i++)
            sum += a.counts[k * 7 + i];
        cr_assert_eq(sum, 7, "resample %zu draws %u instances", k, sum);
    }
    cr_assert(memcmp(a.counts, b.counts, 50 * 7 * sizeof *a.counts) == 0);
    cr_assert(memcmp(a.counts, c.counts, 50 * 7 * sizeof *a.counts) != 0);
    for (size_t i = 0; i < 7; i++)
        cr_assert_eq(a.group[i], i % 2);
    /* The first resample is the first 7 draws of the stream. */
    Rng r;
    rng_seed(&r, 3, COHORT_BOOT_STREAM);
    uint32_t first[7] = {0};
    for (size_t k = 0; k < 7; k++)
        first[rng_below(&r, 7)]++;
    cr_assert(memcmp(a.counts, first, sizeof first) == 0);
    cohort_plan_done(&a);
    cohort_plan_done(&b);
    cohort_plan_done(&c);
    cohort_plan_done(NULL);
    const unsigned char bad[2] = {0, 2};
    cr_assert_eq(cohort_plan_init(&a, 2, 5, 1, bad, msg), ST_EINVAL);
    cr_assert(strstr(msg, "group 2") != NULL, "%s", msg);
    cr_assert_eq(cohort_plan_init(&a, 0, 5, 1, NULL, msg), ST_EINVAL);
}

/* A synthetic cohort of n instances and ne epochs with a planted
 * across-instance correlation rho at every epoch: a_i, b_i standard normal
 * with correlation rho·(1 + s²), plus independent per-epoch noise of SD s
 * on each side (so the epoch's population r is rho), plus trends in e that
 * every instance shares (they move no per-epoch r). */
static void planted(double *x, double *y, size_t n, size_t ne, double rho, uint64_t seed)
{
    const double s2 = 0.2, r0 = rho * (1 + s2);
    Rng r;
    rng_seed(&r, seed, 99);
    for (size_t i = 0; i < n; i++) {
        double z1 = rng_normal(&r), z2 = rng_normal(&r);
        double a = z1, b = r0 * z1 + sqrt(1 - r0 * r0) * z2;
        for (size_t e = 0; e < ne; e++) {
            x[i * ne + e] = a + sqrt(s2) * rng_normal(&r) + 0.5 * (double)e;
            y[i * ne + e] = b + sqrt(s2) * rng_normal(&r) - 0.1 * (double)e;
        }
    }
}

/* Over 40 independent cohorts of 120 instances, the 95% interval of the
 * across r contains the planted 0.5 in at least 34 (expected 38; fewer than
 * 34 has probability below 0.2% for a calibrated interval), and never
 * contains 0; with nothing planted it contains 0 in at least 34. */
Test(cohort, planted_and_null_intervals)
{
    enum { N = 120, E = 12, COHORTS = 40 };
    static double x[N * E], y[N * E];
    CohortPlan plan;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_plan_init(&plan, N, 500, 7, NULL, msg), ST_OK, "%s", msg);
    size_t cover = 0, cover0 = 0, excl0 = 0;
    for (uint64_t k = 0; k < COHORTS; k++) {
        planted(x, y, N, E, 0.5, 100 + k);
        CohortCorr c = corr(x, y, N, E, 0, E, &plan);
        cr_assert(c.across.lo <= c.across.est && c.across.est <= c.across.hi, "estimate inside its interval");
        cr_assert_eq(c.across.boot_n, 500);
        cover += c.across.lo <= 0.5 && 0.5 <= c.across.hi;
        excl0 += c.across.lo > 0;
        planted(x, y, N, E, 0.0, 1000 + k);
        c = corr(x, y, N, E, 0, E, &plan);
        cover0 += c.across.lo <= 0 && 0 <= c.across.hi;
    }
    cr_assert_geq(cover, 34, "planted 0.5 covered in %zu of %d cohorts", cover, COHORTS);
    cr_assert_eq(excl0, COHORTS, "0 excluded in %zu of %d planted cohorts", excl0, COHORTS);
    cr_assert_geq(cover0, 34, "0 covered in %zu of %d null cohorts", cover0, COHORTS);
    cohort_plan_done(&plan);
}

/* One planted cohort, as the experiment sees it: the interval contains the
 * planted value, the verdict for the paper's sign follows the interval, and
 * both halves agree on the sign. */
Test(cohort, planted_cohort_verdicts)
{
    enum { N = 120, E = 12 };
    static double x[N * E], y[N * E];
    CohortPlan plan;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_plan_init(&plan, N, COHORT_BOOT_DEFAULT, COHORT_BOOT_SEED, NULL, msg), ST_OK, "%s", msg);
    planted(x, y, N, E, -0.4, 5);
    CohortCorr c = corr(x, y, N, E, 0, E, &plan);
    cr_assert(c.across.lo < -0.4 && -0.4 < c.across.hi, "[%g, %g]", c.across.lo, c.across.hi);
    cr_assert_eq(cohort_verdict(&c.across, -1), COHORT_VERDICT_REPRODUCED);
    cr_assert_eq(cohort_verdict(&c.across, +1), COHORT_VERDICT_OPPOSITE);
    cr_assert_eq(c.across.agree, 1);
    cr_assert(c.across.half[0] < 0 && c.across.half[1] < 0);
    /* Each epoch's r agrees with the plain Pearson r of that epoch. */
    double a[N], b[N], sum = 0;
    for (size_t e = 0; e < E; e++) {
        for (size_t i = 0; i < N; i++) {
            a[i] = x[i * E + e];
            b[i] = y[i * E + e];
        }
        double r;
        cr_assert_eq(permtest_pearson(a, b, N, &r, NULL), ST_OK);
        cr_assert_float_eq(cohort_epoch_r(x, y, N, E, e, NULL), r, 1e-12);
        sum += r;
    }
    cr_assert_float_eq(c.across.est, sum / E, 1e-12);
    cohort_plan_done(&plan);
}

Test(cohort, undefined_parts_are_nan)
{
    double x[3 * NE], y[3 * NE];
    simpson(x, y);
    for (size_t e = 0; e < NE; e++)
        x[1 * NE + e] = 4.0; /* constant: no r for instance 1 */
    CohortCorr c = corr(x, y, 3, NE, 0, NE, NULL);
    cr_assert_eq(c.within_n, 2);
    cr_assert_float_eq(c.within.est, 1.0, 1e-12);
    /* Two epochs per instance: no within r; three instances still give an across r. */
    c = corr(x, y, 3, NE, 0, 2, NULL);
    cr_assert_eq(c.within_n, 0);
    cr_assert(isnan(c.within.est) && isnan(c.within_sd));
    cr_assert_eq(c.across_epochs, 2);
    cr_assert(isfinite(c.across.est));
    /* An epoch where x is the same in every instance has no across r. */
    for (size_t i = 0; i < 3; i++)
        x[i * NE + 0] = 7.0;
    c = corr(x, y, 3, NE, 0, 2, NULL);
    cr_assert_eq(c.across_epochs, 1);
    cr_assert(isnan(cohort_epoch_r(x, y, 3, NE, 0, NULL)));
}

Test(cohort, window_errors)
{
    double x[NE] = {0}, y[NE] = {0};
    CohortCorr c;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(cohort_corr(x, y, 1, NE, 3, 3, NULL, &c, msg), ST_EINVAL);
    cr_assert(strlen(msg) > 0);
    cr_assert_eq(cohort_corr(x, y, 1, NE, 0, NE + 1, NULL, &c, msg), ST_EINVAL);
    cr_assert_eq(cohort_corr(x, y, 0, NE, 0, NE, NULL, &c, msg), ST_EINVAL);
    CohortPlan plan;
    cr_assert_eq(cohort_plan_init(&plan, 2, 3, 1, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(cohort_corr(x, y, 1, NE, 0, NE, &plan, &c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "2 instances") != NULL, "%s", msg);
    cohort_plan_done(&plan);
}

Test(cohort, verdicts)
{
    CohortStat s = {.est = 0.3, .lo = 0.1, .hi = 0.5};
    cr_assert_eq(cohort_verdict(&s, +1), COHORT_VERDICT_REPRODUCED);
    cr_assert_eq(cohort_verdict(&s, -1), COHORT_VERDICT_OPPOSITE);
    s.lo = -0.1;
    cr_assert_eq(cohort_verdict(&s, +1), COHORT_VERDICT_UNRESOLVED);
    cr_assert_eq(cohort_verdict(&s, -1), COHORT_VERDICT_UNRESOLVED);
    s.lo = -0.5;
    s.hi = -0.2;
    cr_assert_eq(cohort_verdict(&s, -1), COHORT_VERDICT_REPRODUCED);
    s.hi = NAN;
    cr_assert_eq(cohort_verdict(&s, -1), COHORT_VERDICT_NONE);
    cr_assert_str_eq(cohort_verdict_name(COHORT_VERDICT_REPRODUCED), "reproduced");
    cr_assert_str_eq(cohort_verdict_name(COHORT_VERDICT_UNRESOLVED), "not resolved");
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

/* Quantiles per epoch over instances, numpy's linear rule, NaN skipped. */
Test(cohort, bands_by_hand)
{
    /* 4 instances × 3 epochs; epoch 1 has a NaN, epoch 2 has none at all. */
    const double v[12] = {1, 10, NAN, 2, NAN, NAN, 4, 30, NAN, 3, 20, NAN};
    const double q[3] = {0.25, 0.5, 1.0};
    double out[9];
    size_t count[3];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(cohort_bands(v, 4, 3, q, 3, out, count, msg), ST_OK, "%s", msg);
    /* Epoch 0: 1 2 3 4 → q25 at position 0.75 = 1.75, median 2.5, max 4. */
    cr_assert_eq(count[0], 4);
    cr_assert_float_eq(out[0], 1.75, 1e-12);
    cr_assert_float_eq(out[1], 2.5, 1e-12);
    cr_assert_float_eq(out[2], 4.0, 1e-12);
    /* Epoch 1: 10 20 30 → q25 at position 0.5 = 15, median 20. */
    cr_assert_eq(count[1], 3);
    cr_assert_float_eq(out[3], 15.0, 1e-12);
    cr_assert_float_eq(out[4], 20.0, 1e-12);
    cr_assert_eq(count[2], 0);
    cr_assert(isnan(out[6]) && isnan(out[7]) && isnan(out[8]));
    const double bad = 1.5;
    cr_assert_eq(cohort_bands(v, 4, 3, &bad, 1, out, NULL, msg), ST_EINVAL);
    cr_assert_eq(cohort_bands(v, 0, 3, q, 3, out, NULL, msg), ST_EINVAL);
}
