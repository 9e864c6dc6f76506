#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/core/rng.h"

enum { T = 40 };

/* Q flat at 0.10 for points 0..9, a linear rise to 0.20 at point 25, then a
 * linear fall to 0.16 at point 39 (fall = 0 keeps it at the top). Accuracy
 * rises quickly early, then slowly. */
static void series(double *q, double *acc, double fall)
{
    for (int i = 0; i < T; i++) {
        if (i < 10)
            q[i] = 0.10;
        else if (i <= 25)
            q[i] = 0.10 + 0.10 * (i - 9) / 16.0;
        else
            q[i] = 0.20 - fall * (i - 25) / 14.0;
        acc[i] = i < 10 ? 0.1 + 0.06 * i : 0.64 + 0.3 * (1.0 - exp(-(i - 9) / 8.0));
    }
}

Test(phases, flat_rise_fall_noiseless)
{
    double q[T], acc[T];
    long epochs[T];
    Phase lab[T];
    series(q, acc, 0.04);
    for (int i = 0; i < T; i++)
        epochs[i] = 10 * (i + 1);
    PhaseResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(q, acc, epochs, T, NULL, lab, &r, msg), ST_OK);
    /* Hand application of the rule (window 3, ε = 0.01): Qs[9] = 0.1021 is
     * within δ of 0.10 and Qs[10] = 0.1063 is not, so the middle starts at
     * 10. The smoothed peak is at 26 (Qs = 0.19714); Qs[27] = 0.19429 is still
     * within δ of it, Qs[28] = 0.19143 is not: late starts at 28. */
    cr_assert_eq(r.start[PHASE_EARLY], 0);
    cr_assert_eq(r.start[PHASE_MIDDLE], 10);
    cr_assert_eq(r.start[PHASE_LATE], 28);
    cr_assert_eq(r.peak, 26);
    cr_assert_eq(r.start_epoch[PHASE_MIDDLE], 110);
    cr_assert_eq(r.start_epoch[PHASE_LATE], 290);
    cr_assert_eq(lab[9], PHASE_EARLY);
    cr_assert_eq(lab[10], PHASE_MIDDLE);
    cr_assert_eq(lab[27], PHASE_MIDDLE);
    cr_assert_eq(lab[39], PHASE_LATE);
    cr_assert_eq(r.n_middle, 18);
    double expect;
    cr_assert_eq(permtest_pearson(q + 10, acc + 10, 18, &expect, msg), ST_OK);
    cr_assert_float_eq(r.r_middle, expect, 1e-15);
    cr_assert_gt(r.r_middle, 0.5);
}

Test(phases, flat_rise_only_has_no_late_phase)
{
    double q[T], acc[T];
    Phase lab[T];
    series(q, acc, 0.0);
    PhaseResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(q, acc, NULL, T, NULL, lab, &r, msg), ST_OK);
    cr_assert_eq(r.start[PHASE_EARLY], 0);
    cr_assert_eq(r.start[PHASE_MIDDLE], 10);
    cr_assert_eq(r.start[PHASE_LATE], -1);
    cr_assert_eq(r.start_epoch[PHASE_LATE], -1);
    cr_assert_eq(r.start_epoch[PHASE_MIDDLE], 10);
    cr_assert_eq(lab[T - 1], PHASE_MIDDLE);
    /* A fall smaller than the noise floor is not a late phase either. */
    series(q, acc, 0.008);
    cr_assert_eq(phases_detect(q, acc, NULL, T, NULL, lab, &r, msg), ST_OK);
    cr_assert_eq(r.start[PHASE_LATE], -1);
}

Test(phases, noisy_series_boundaries_near_truth)
{
    double q[T], acc[T], clean[T];
    PhaseParams p;
    phases_default_params(&p);
    char msg[STATUS_MSG_LEN];
    for (uint64_t seed = 0; seed < 10; seed++) {
        Rng g;
        rng_seed(&g, seed, 5);
        series(clean, acc, 0.05);
        for (int i = 0; i < T; i++)
            q[i] = clean[i] + 0.006 * (rng_uniform(&g) - 0.5); /* ±0.003 */
        PhaseResult r;
        cr_assert_eq(phases_detect(q, acc, NULL, T, &p, NULL, &r, msg), ST_OK);
        cr_assert_eq(r.start[PHASE_EARLY], 0, "seed %llu", (unsigned long long)seed);
        cr_assert(labs(r.start[PHASE_MIDDLE] - 10) <= 2, "seed %llu: middle %ld",
                  (unsigned long long)seed, r.start[PHASE_MIDDLE]);
        cr_assert(r.start[PHASE_LATE] >= 25 && r.start[PHASE_LATE] <= 30, "seed %llu: late %ld",
                  (unsigned long long)seed, r.start[PHASE_LATE]);
        cr_assert_gt(r.r_middle, 0.5);
    }
}

Test(phases, flat_q_is_all_early_and_nothing_invented)
{
    /* The MLP at lr 0.1: Q 0.1025 ± 0.0015 while accuracy rises. */
    double q[T], acc[T];
    Phase lab[T];
    for (int i = 0; i < T; i++) {
        q[i] = 0.1025 + 0.0015 * sin(1.7 * i);
        acc[i] = 0.9 - 0.8 * exp(-i / 5.0);
    }
    PhaseResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(q, acc, NULL, T, NULL, lab, &r, msg), ST_OK);
    cr_assert_eq(r.start[PHASE_EARLY], 0);
    cr_assert_eq(r.start[PHASE_MIDDLE], -1);
    cr_assert_eq(r.start[PHASE_LATE], -1);
    cr_assert_eq(lab[T - 1], PHASE_EARLY);
    cr_assert(isnan(r.r_middle));
    /* Flat Q and flat accuracy: not even an early phase. */
    for (int i = 0; i < T; i++)
        acc[i] = 0.5;
    cr_assert_eq(phases_detect(q, acc, NULL, T, NULL, lab, &r, msg), ST_OK);
    cr_assert_eq(r.start[PHASE_EARLY], -1);
    cr_assert_eq(lab[0], PHASE_NONE);
}

Test(phases, immediate_rise_has_no_early_phase)
{
    double q[12], acc[12];
    for (int i = 0; i < 12; i++) {
        q[i] = 0.1 + 0.02 * i;
        acc[i] = 0.1 + 0.07 * i;
    }
    PhaseResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(q, acc, NULL, 12, NULL, NULL, &r, msg), ST_OK);
    cr_assert_eq(r.start[PHASE_EARLY], -1);
    cr_assert_eq(r.start[PHASE_MIDDLE], 0);
    cr_assert_eq(r.n_middle, 12);
    cr_assert_float_eq(r.r_middle, 1.0, 1e-12);
}

Test(phases, errors)
{
    double q[3] = {0.1, 0.2, NAN}, acc[3] = {0, 0.5, 1};
    PhaseResult r;
    PhaseParams p = {.noise = 0.01, .window = 2};
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(phases_detect(q, acc, NULL, 3, NULL, NULL, &r, msg), ST_EINVAL);
    cr_assert_eq(phases_detect(q, acc, NULL, 0, NULL, NULL, &r, msg), ST_EINVAL);
    cr_assert_eq(phases_detect(q, acc, NULL, 2, &p, NULL, &r, msg), ST_EINVAL);
    p = (PhaseParams){.noise = 0.0, .window = 3};
    cr_assert_eq(phases_detect(q, acc, NULL, 2, &p, NULL, &r, msg), ST_EINVAL);
    cr_assert_str_eq(phases_name(PHASE_MIDDLE), "middle");
}
