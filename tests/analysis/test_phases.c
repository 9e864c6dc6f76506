#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/core/rng.h"

enum { T = 40, R = 10 };

/* Mean and SD of R Louvain-like runs around `truth` with noise SD `sd`
 * (normal, Box–Muller), from one stream per point. */
static void runs_around(const double *truth, double sd, uint64_t seed, double *m, double *s)
{
    for (int i = 0; i < T; i++) {
        Rng g;
        rng_seed(&g, seed, (uint64_t)i + 1);
        double v[R], sum = 0, ss = 0;
        for (int k = 0; k < R; k++) {
            double u1 = rng_uniform(&g), u2 = rng_uniform(&g);
            v[k] = truth[i] + sd * sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
            sum += v[k];
        }
        m[i] = sum / R;
        for (int k = 0; k < R; k++)
            ss += (v[k] - m[i]) * (v[k] - m[i]);
        s[i] = sqrt(ss / (R - 1));
    }
}

static void fill_runs(size_t *r)
{
    for (int i = 0; i < T; i++)
        r[i] = R;
}

/* Accuracy climbs quickly over the first 10 points, then slowly. */
static void accuracy(double *acc)
{
    for (int i = 0; i < T; i++)
        acc[i] = i < 10 ? 0.1 + 0.07 * i : 0.73 + 0.2 * (1.0 - exp(-(i - 9) / 8.0));
}

Test(phases, slow_rise_while_accuracy_climbs_is_not_called_flat)
{
    /* The finding the fixed noise floor hid: Q rises slowly (0.0005 per
     * point, a quarter of the Louvain SD) while accuracy climbs, then fast. */
    double truth[T], m[T], s[T], acc[T];
    size_t r[T];
    for (int i = 0; i < T; i++) {
        truth[i] = i < 10 ? 0.10 + 0.0005 * i : 0.1045 + 0.004 * (i - 9);
        acc[i] = i < 10 ? 0.1 + 0.09 * i : 0.91 + 0.03 * (1.0 - exp(-(i - 9) / 8.0));
    }
    fill_runs(r);
    char msg[STATUS_MSG_LEN];
    for (uint64_t seed = 1; seed <= 10; seed++) {
        runs_around(truth, 0.002, seed, m, s);
        PhaseResult res;
        cr_assert_eq(phases_detect(m, s, r, acc, NULL, T, NULL, NULL, &res, msg), ST_OK, "%s", msg);
        const PhaseTrend *e = &res.trend[PHASE_EARLY];
        cr_assert(e->ok, "seed %llu: the climb window has a slope", (unsigned long long)seed);
        /* The best accuracy is 0.9393 (point 39): 0.1 + 0.9·0.8393 = 0.855 is
         * first reached at point 9 (0.91; point 8 has 0.82). */
        cr_assert_eq(res.climb_end, 9, "seed %llu: climb ends at %ld", (unsigned long long)seed, res.climb_end);
        cr_assert_eq(e->shape, TREND_RISES, "seed %llu: slope %g [%g, %g] must not be flat",
                     (unsigned long long)seed, e->fit.slope, e->fit.lo, e->fit.hi);
        cr_assert_lt(fabs(e->fit.slope - 0.0005), 0.0003, "seed %llu: slope %g near the true 0.0005",
                     (unsigned long long)seed, e->fit.slope);
        cr_assert_gt(res.trend[PHASE_MIDDLE].fit.slope, 4 * e->fit.slope, "then faster");
        cr_assert_lt(res.climb_share, 0.2, "a small share of the rise while accuracy climbed");
        /* The rise is found well before the fast part starts (point 10). */
        cr_assert_geq(res.start[PHASE_MIDDLE], 1);
        cr_assert_leq(res.start[PHASE_MIDDLE], 9, "seed %llu: middle from %ld", (unsigned long long)seed,
                      res.start[PHASE_MIDDLE]);
    }
}

Test(phases, epoch_zero_alone_is_the_start)
{
    /* A jump at point 1: any smoothing that mixes point 1 into the start
     * moves the start up and delays or hides the rise. */
    double m[T], s[T], acc[T];
    size_t r[T];
    accuracy(acc);
    fill_runs(r);
    for (int i = 0; i < T; i++) {
        m[i] = i == 0 ? 0.10 : 0.14 + 0.001 * i;
        s[i] = 0.002;
    }
    PhaseResult res;
    Phase lab[T];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, T, NULL, lab, &res, msg), ST_OK);
    cr_assert_eq(res.peak, T - 1);
    cr_assert_float_eq(res.rise.diff, m[T - 1] - 0.10, 1e-15, "the start is point 0's mean, nothing else");
    cr_assert_eq(res.start[PHASE_MIDDLE], 1);
    cr_assert_eq(res.start[PHASE_EARLY], -1, "one point is no early phase");
    cr_assert_eq(lab[0], PHASE_NONE);
    cr_assert_eq(lab[1], PHASE_MIDDLE);
    /* Changing point 1 changes no test against the start but its own. */
    m[1] = 0.101;
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, T, NULL, lab, &res, msg), ST_OK);
    cr_assert_float_eq(res.rise.diff, m[T - 1] - 0.10, 1e-15);
    cr_assert_eq(res.start[PHASE_MIDDLE], 2);
    cr_assert_eq(res.start[PHASE_EARLY], 0);
    cr_assert_eq(lab[1], PHASE_EARLY);
}

Test(phases, noise_alone_gives_no_middle_or_late_phase)
{
    double truth[T], m[T], s[T], acc[T];
    size_t r[T];
    accuracy(acc);
    fill_runs(r);
    for (int i = 0; i < T; i++)
        truth[i] = 0.1025;
    char msg[STATUS_MSG_LEN];
    for (uint64_t seed = 1; seed <= 20; seed++) {
        runs_around(truth, 0.003, seed, m, s);
        PhaseResult res;
        cr_assert_eq(phases_detect(m, s, r, acc, NULL, T, NULL, NULL, &res, msg), ST_OK);
        cr_assert_eq(res.start[PHASE_MIDDLE], -1, "seed %llu: a rise from noise", (unsigned long long)seed);
        cr_assert_eq(res.start[PHASE_LATE], -1);
        cr_assert(isnan(res.r_middle));
        cr_assert(isnan(res.climb_share));
    }
}

Test(phases, rise_then_fall_and_a_noisy_plateau)
{
    double truth[T], m[T], s[T], acc[T];
    size_t r[T];
    Phase lab[T];
    accuracy(acc);
    fill_runs(r);
    long epochs[T];
    for (int i = 0; i < T; i++) {
        epochs[i] = 10 * i;
        truth[i] = i < 5 ? 0.10 : i <= 20 ? 0.10 + 0.005 * (i - 4) : 0.18 - 0.002 * (i - 20);
    }
    char msg[STATUS_MSG_LEN];
    for (uint64_t seed = 1; seed <= 10; seed++) {
        runs_around(truth, 0.002, seed, m, s);
        PhaseResult res;
        cr_assert_eq(phases_detect(m, s, r, acc, epochs, T, NULL, lab, &res, msg), ST_OK);
        cr_assert(labs(res.peak - 20) <= 2, "seed %llu: peak %ld", (unsigned long long)seed, res.peak);
        cr_assert(res.start[PHASE_MIDDLE] >= 4 && res.start[PHASE_MIDDLE] <= 6, "seed %llu: middle %ld",
                  (unsigned long long)seed, res.start[PHASE_MIDDLE]);
        cr_assert_eq(res.start[PHASE_EARLY], 0);
        cr_assert(res.start[PHASE_LATE] >= 21 && res.start[PHASE_LATE] <= 25, "seed %llu: late %ld",
                  (unsigned long long)seed, res.start[PHASE_LATE]);
        cr_assert_eq(res.start_epoch[PHASE_LATE], 10 * res.start[PHASE_LATE]);
        cr_assert_eq(res.trend[PHASE_LATE].shape, TREND_FALLS);
        /* Per epoch (10 per point): −0.0002, within 4 standard errors (the
         * peak may sit a point early, which bends the window a little). */
        const TrendFit *lf = &res.trend[PHASE_LATE].fit;
        cr_assert_lt(fabs(lf->slope + 0.0002), 4 * lf->se, "seed %llu: late slope %g ± %g",
                     (unsigned long long)seed, lf->slope, lf->se);
        cr_assert_lt(res.fall.p, res.alpha_search);
        cr_assert_eq(lab[T - 1], PHASE_LATE);
    }
    /* A rise to a noisy plateau: the peak is the largest of 20 noisy means,
     * but the corrected test finds no fall. */
    for (int i = 0; i < T; i++)
        truth[i] = i < 5 ? 0.10 : i <= 20 ? 0.10 + 0.005 * (i - 4) : 0.18;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        runs_around(truth, 0.003, seed, m, s);
        PhaseResult res;
        cr_assert_eq(phases_detect(m, s, r, acc, epochs, T, NULL, lab, &res, msg), ST_OK);
        cr_assert_eq(res.start[PHASE_LATE], -1, "seed %llu: a late phase from noise at %ld",
                     (unsigned long long)seed, res.start[PHASE_LATE]);
        cr_assert_eq(lab[T - 1], PHASE_MIDDLE);
    }
}

Test(phases, correlation_with_accuracy_raw_and_on_first_differences)
{
    /* Both rise over the middle phase, but their steps are unrelated:
     * the raw r is high, the r of the changes is not. */
    enum { N = 14 };
    double m[N], s[N], acc[N];
    size_t r[N];
    double dq[N], da[N];
    m[0] = 0.1;
    acc[0] = 0.1;
    for (int i = 0; i < N; i++) {
        /* Changes: Q alternates with period 2, accuracy with period 4. */
        dq[i] = i % 2 ? 0.02 : 0.01;
        da[i] = (i / 2) % 2 ? 0.03 : 0.05;
        if (i) {
            m[i] = m[i - 1] + dq[i];
            acc[i] = acc[i - 1] + da[i];
        }
        s[i] = 0.001;
        r[i] = 5;
    }
    PhaseResult res;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, N, NULL, NULL, &res, msg), ST_OK);
    cr_assert_eq(res.start[PHASE_MIDDLE], 1);
    cr_assert_eq(res.n_middle, N - 1);
    double want;
    cr_assert_eq(permtest_pearson(m + 1, acc + 1, N - 1, &want, msg), ST_OK);
    cr_assert_float_eq(res.r_middle, want, 1e-15);
    cr_assert_gt(res.r_middle, 0.98);
    /* The changes of points 2..13 cover three whole periods of both
     * patterns, over which they are orthogonal: r = 0. */
    cr_assert_eq(permtest_pearson(dq + 2, da + 2, N - 2, &want, msg), ST_OK);
    cr_assert_float_eq(res.r_middle_diff, want, 1e-12);
    cr_assert_lt(fabs(res.r_middle_diff), 1e-9);
}

Test(phases, alpha_moves_the_boundaries_monotonically)
{
    double truth[T], m[T], s[T], acc[T];
    size_t r[T];
    accuracy(acc);
    fill_runs(r);
    for (int i = 0; i < T; i++)
        truth[i] = 0.10 + 0.0008 * i;
    runs_around(truth, 0.002, 3, m, s);
    long prev = -1;
    char msg[STATUS_MSG_LEN];
    for (size_t k = PHASES_N_SENSITIVITY; k-- > 0;) {
        PhaseParams p = {.alpha = phases_sensitivity_alphas[k]};
        PhaseResult res;
        cr_assert_eq(phases_detect(m, s, r, acc, NULL, T, &p, NULL, &res, msg), ST_OK);
        cr_assert_geq(res.start[PHASE_MIDDLE], prev, "a smaller alpha never starts the rise earlier");
        prev = res.start[PHASE_MIDDLE];
    }
    cr_assert_float_eq(phases_sensitivity_alphas[2], 0.01, 1e-15, "the default is in the table");
}

Test(phases, errors)
{
    double m[3] = {0.1, 0.2, 0.3}, s[3] = {0.01, 0.01, 0.01}, acc[3] = {0, 0.5, 1};
    size_t r[3] = {5, 5, 5};
    PhaseResult res;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, 3, NULL, NULL, &res, msg), ST_OK);
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, 1, NULL, NULL, &res, msg), ST_EINVAL);
    PhaseParams p = {.alpha = 0.5};
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, 3, &p, NULL, &res, msg), ST_EINVAL);
    r[1] = 1;
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, 3, NULL, NULL, &res, msg), ST_EINVAL);
    cr_assert(strstr(msg, "at least 2") != NULL, "%s", msg);
    r[1] = 5;
    s[2] = NAN;
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, 3, NULL, NULL, &res, msg), ST_EINVAL);
    s[2] = -0.1;
    cr_assert_eq(phases_detect(m, s, r, acc, NULL, 3, NULL, NULL, &res, msg), ST_EINVAL);
    cr_assert_str_eq(phases_name(PHASE_LATE), "late");
    cr_assert_str_eq(phases_shape_name(TREND_FLAT), "flat");
    cr_assert_str_eq(phases_shape_name(TREND_NA), "n/a");
}

/* A trend window names its points' epochs, so its JSON needs no epoch list. */
Test(phases, trend_windows_carry_their_epochs)
{
    double truth[T], m[T], s[T], acc[T];
    size_t r[T];
    long ep[T];
    for (int i = 0; i < T; i++) {
        truth[i] = i < 10 ? 0.10 : 0.10 + 0.004 * (i - 9);
        ep[i] = 5L * i + 3;
    }
    accuracy(acc);
    fill_runs(r);
    runs_around(truth, 0.002, 7, m, s);
    PhaseResult res;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(m, s, r, acc, ep, T, NULL, NULL, &res, msg), ST_OK, "%s", msg);
    for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++) {
        const PhaseTrend *tr = &res.trend[ph];
        if (tr->first < 0 || tr->last < tr->first) {
            cr_assert_eq(tr->first_epoch, -1, "phase %d: an empty window has no epochs", ph);
            continue;
        }
        cr_assert_eq(tr->first_epoch, ep[tr->first], "phase %d", ph);
        cr_assert_eq(tr->last_epoch, ep[tr->last], "phase %d", ph);
    }
    cr_assert_eq(res.trend[PHASE_EARLY].first_epoch, 3, "the climb starts at the first point");
}
