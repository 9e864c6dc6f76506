#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/metrics_activity.h"

#define N_PROBE 80
#define P 6

/* A 5-3-3-2 network whose 80 probe items drive two groups of hidden units
 * with two independent latent signals: {HL1#1, HL1#2, HL2#1} follow A and
 * {HL1#3, HL2#2, HL2#3} follow B, each with small independent noise. Every
 * window therefore has two clean modules, and no unit ever changes sides. */
static Snapshot *two_group_snapshot(size_t epoch)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {5, 3, 3, 2}};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), N_PROBE);
    cr_assert_not_null(s);
    s->epoch = epoch;
    Rng r;
    rng_seed(&r, 11, 0);
    static const int group[P] = {0, 0, 1, 0, 1, 1}; /* HL1 then HL2 */
    for (size_t i = 0; i < N_PROBE; i++) {
        double latent[2] = {rng_normal(&r), rng_normal(&r)};
        for (size_t j = 0; j < P; j++) {
            float v = (float)(0.5 + 0.2 * latent[group[j]] + 0.03 * rng_normal(&r));
            if (j < 3)
                s->acts[0][i * 3 + j] = v;
            else
                s->acts[1][i * 3 + j - 3] = v;
        }
        s->acts[2][i * 2] = (float)rng_uniform(&r);
        s->acts[2][i * 2 + 1] = 1.0f - s->acts[2][i * 2];
        s->probe_labels[i] = (uint8_t)(i % 2);
    }
    return s;
}

/* The six hidden columns side by side, HL1 first (what the hook reads). */
static void hidden_matrix(const Snapshot *s, float *x)
{
    for (size_t i = 0; i < N_PROBE; i++)
        for (size_t j = 0; j < P; j++)
            x[i * P + j] = j < 3 ? s->acts[0][i * 3 + j] : s->acts[1][i * 3 + j - 3];
}

/* Windows of the probe as slices (--flex-slices probe): on this MLP they
 * are subsamples, under flex_sub_* (the epochs form: test_metrics_flex_time.c). */
static ActivityMetric *metric(ActivitySettings *set, int reps, int windows, uint64_t seed)
{
    activity_settings_init(set, reps, windows);
    atomic_store(&set->slices, ACTIVITY_SLICES_PROBE);
    ActivityMetric *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_metric_new(set, seed, &m, msg), ST_OK, "%s", msg);
    return m;
}

Test(metrics_activity, window_plan_and_unit_selection)
{
    size_t l, z;
    cr_assert(activity_window_plan(1000, 20, &l, &z));
    cr_assert(l == 20 && z == 50, "the default probe: 20 windows of 50");
    cr_assert(activity_window_plan(1005, 20, &l, &z));
    cr_assert(l == 20 && z == 50, "items after the last window are unused");
    cr_assert(activity_window_plan(50, 20, &l, &z));
    cr_assert(l == 5 && z == 10, "a small probe gets fewer windows of the minimum length");
    cr_assert_not(activity_window_plan(19, 20, &l, &z), "fewer than 2 windows of 10");
    cr_assert_not(activity_window_plan(1000, 1, &l, &z), "one window has no transitions");

    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {5, 3, 4, 2}};
    size_t p;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_units(&c, ACTIVITY_ALL_HIDDEN, &p, msg), ST_OK);
    cr_assert_eq(p, 7);
    cr_assert_eq(activity_units(&c, 2, &p, msg), ST_OK);
    cr_assert_eq(p, 4);
    cr_assert_eq(activity_units(&c, 3, &p, msg), ST_EINVAL, "the output is not a hidden layer");
    cr_assert(strstr(msg, "no hidden layer 3") != NULL, "%s", msg);
    ModelConfig flat = {.kind = "mlp", .n_layers = 2, .sizes = {5, 2}};
    cr_assert_eq(activity_units(&flat, ACTIVITY_ALL_HIDDEN, &p, msg), ST_EINVAL);
}

Test(metrics_activity, keys_equal_direct_calls_of_the_analysis_functions)
{
    Snapshot *s = two_group_snapshot(7);
    ActivitySettings set;
    const int reps = 3;
    ActivityMetric *m = metric(&set, reps, 4, 5);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);

    float x[N_PROBE * P];
    hidden_matrix(s, x);
    /* Moments of all 480 hidden values. */
    Moments mo;
    cr_assert_eq(moments_compute_f(x, N_PROBE * P, 1, &mo, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "act_mean"), mo.mean, 1e-15);
    cr_assert_float_eq(snapshot_metric(s, "act_std"), mo.std, 1e-15);
    cr_assert_float_eq(snapshot_metric(s, "act_skew"), mo.skewness, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "act_kurt"), mo.kurtosis, 1e-12);
    /* Whole-probe FC, and per layer from that layer alone. */
    double c[P * P], mean, mabs;
    size_t silent;
    cr_assert_eq(fc_correlation_f(x, N_PROBE, P, P, FC_ZERO_DIAGONAL, c, &silent, msg), ST_OK);
    cr_assert_eq(fc_summary(c, P, &mean, &mabs, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "fc_mean"), mean, 1e-15);
    cr_assert_float_eq(snapshot_metric(s, "fc_mean_abs"), mabs, 1e-15);
    cr_assert_float_eq(snapshot_metric(s, "fc_silent"), 0.0, 0);
    double c1[9], mean1;
    cr_assert_eq(fc_correlation_f(s->acts[0], N_PROBE, 3, 3, FC_ZERO_DIAGONAL, c1, NULL, msg), ST_OK);
    cr_assert_eq(fc_summary(c1, 3, &mean1, NULL, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "fc_mean_hl1"), mean1, 1e-12);
    /* Two groups of three: 6 of the 15 pairs share a group (r near 0.98),
     * the other 9 are independent (r near 0), so mean r is about 0.4. */
    cr_assert(mean > 0.3 && mean < 0.5, "mean r %g", mean);
    /* Entropy with the UI's ridge: Σ is regular, so the ridge was not needed. */
    EntropyResult er;
    cr_assert_eq(entropy_gaussian_f(x, N_PROBE, P, P, 1e-6, &er, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "entropy_nats"), er.entropy_nats, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "entropy_ridge"), 0.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "entropy_dim"), 6.0, 0);
    cr_assert_eq(entropy_gaussian_f(s->acts[1], N_PROBE, 3, 3, 1e-6, &er, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "entropy_hl2"), er.entropy_nats, 1e-12);

    /* Windowed multislice, rebuilt here from fc.h and multislice.h with the
     * hook's seed and streams: 4 windows of 20 (80 items, L = 4). */
    cr_assert_float_eq(snapshot_metric(s, "flex_windows"), 4.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_window_len"), 20.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_reps"), 3.0, 0);
    double win[4 * P * P];
    cr_assert_eq(fc_windows_f(x, N_PROBE, P, P, 4, 20, 0, win, msg), ST_OK);
    Matrix views[4];
    const Matrix *layers[4];
    for (size_t l = 0; l < 4; l++) {
        views[l] = (Matrix){P, P, win + l * P * P};
        layers[l] = &views[l];
    }
    Multislice *ms = NULL;
    cr_assert_eq(multislice_new(P, 4, &ms, msg), ST_OK);
    cr_assert_eq(multislice_build(ms, layers, 4, 1.0, 1.0, MOD_SIGN_SYM, msg), ST_OK, "%s", msg);
    LouvainOp op;
    multislice_op(ms, &op);
    double q[3];
    int parts[3 * P * 4];
    cr_assert_eq(louvain_run_range(&op, rng_epoch_seed(5, 7), ACTIVITY_FLEX_STREAM0, 0, reps, q, parts, NULL, msg),
                 ST_OK);
    LouvainSummary sum;
    cr_assert_eq(louvain_summarize(q, reps, &sum, msg), ST_OK);
    const int *best = parts + sum.best * P * 4;
    double qq, sys;
    cr_assert_eq(multislice_quality(ms, best, &qq, msg), ST_OK);
    MultiPartition mp = flexibility_partition_layers(best, P, 4);
    cr_assert_eq(flexibility_compute(&mp, NULL, &sys, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_q"), qq, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_q"), sum.q_best, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_q_min"), sum.q_min, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_q_max"), sum.q_max, 1e-12);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_system"), sys, 1e-15);
    cr_assert(isnan(snapshot_metric(s, "flex_system")), "windows of independent items are no time");
    /* The two latent groups: two communities, nobody switches in any run. */
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_communities"), 2.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_system"), 0.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_system_min"), 0.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_system_max"), 0.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_sub_hl1"), 0.0, 0);
    for (size_t l = 0; l < 4; l++)
        for (size_t i = 0; i < P; i++) {
            static const int group[P] = {0, 0, 1, 0, 1, 1};
            for (size_t j = 0; j < P; j++)
                cr_assert_eq(best[l * P + i] == best[l * P + j], group[i] == group[j],
                             "units %zu and %zu in window %zu", i, j, l);
        }
    multislice_free(ms);
    activity_metric_free(m);
    snapshot_release(s);
}

Test(metrics_activity, deterministic_and_reusable_across_epochs)
{
    ActivitySettings set;
    ActivityMetric *a = metric(&set, 4, 4, 9), *b = NULL;
    ActivitySettings set2;
    b = metric(&set2, 4, 4, 9);
    char msg[STATUS_MSG_LEN];
    Snapshot *s1 = two_group_snapshot(3), *s2 = two_group_snapshot(3);
    cr_assert_eq(activity_metric_epoch(s1, a, msg), ST_OK);
    cr_assert_eq(activity_metric_epoch(s1, a, msg), ST_OK, "buffers reused");
    cr_assert_eq(activity_metric_epoch(s2, b, msg), ST_OK);
    cr_assert_eq(s1->n_metrics, s2->n_metrics);
    for (size_t k = 0; k < s1->n_metrics; k++) {
        cr_assert_str_eq(s1->metrics[k].key, s2->metrics[k].key);
        double u = s1->metrics[k].value, v = s2->metrics[k].value;
        cr_assert(memcmp(&u, &v, sizeof u) == 0, "%s: %.17g vs %.17g", s1->metrics[k].key, u, v);
    }
    /* 3 fc + 3 entropy + 4 act + 7 flex_sub + windows, window length, reps
     * + per layer (fc, flex_sub, entropy) × 2 + activity_units. */
    cr_assert_eq(s1->n_metrics, 27);
    activity_metric_free(a);
    activity_metric_free(b);
    activity_metric_free(NULL);
    snapshot_release(s1);
    snapshot_release(s2);
}

Test(metrics_activity, settings_and_small_probes)
{
    ActivitySettings set;
    ActivityMetric *m = metric(&set, 0, 4, 0);
    char msg[STATUS_MSG_LEN];
    Snapshot *s = two_group_snapshot(1);
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK);
    cr_assert(isnan(snapshot_metric(s, "flex_sub_q")), "flexreps 0 turns the windowed part off");
    cr_assert(isnan(snapshot_metric(s, "flex_reps")));
    cr_assert(isfinite(snapshot_metric(s, "fc_mean")), "the rest stays on");
    snapshot_release(s);

    atomic_store(&set.flexreps, 2);
    s = two_group_snapshot(1);
    s->n_probe = 15; /* one window of 10 at most: no multilayer network */
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK);
    cr_assert(isnan(snapshot_metric(s, "flex_windows")));
    cr_assert(isnan(snapshot_metric(s, "flex_sub_system")));
    cr_assert_float_eq(snapshot_metric(s, "flex_reps"), 2.0, 0);
    cr_assert(isfinite(snapshot_metric(s, "entropy_nats")));
    s->n_probe = 0;
    s->n_metrics = 0;
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK);
    cr_assert_eq(s->n_metrics, 0, "no probe items, no keys");
    snapshot_release(s);
    activity_metric_free(m);
}

Test(metrics_activity, ridge_flag_and_silent_units)
{
    ActivitySettings set;
    ActivityMetric *m = metric(&set, 2, 4, 0);
    char msg[STATUS_MSG_LEN];
    Snapshot *s = two_group_snapshot(2);
    /* HL2#3 copies HL1#3 exactly: Σ is singular without the ridge. */
    for (size_t i = 0; i < N_PROBE; i++)
        s->acts[1][i * 3 + 2] = s->acts[0][i * 3 + 2];
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(snapshot_metric(s, "entropy_ridge"), 1.0, 0);
    float x[N_PROBE * P];
    hidden_matrix(s, x);
    EntropyResult er;
    cr_assert_eq(entropy_gaussian_f(x, N_PROBE, P, P, 1e-6, &er, msg), ST_OK);
    cr_assert_eq(er.ridge_needed, 1);
    cr_assert_float_eq(snapshot_metric(s, "entropy_nats"), er.entropy_nats, 1e-12);
    cr_assert_eq(entropy_gaussian_f(x, N_PROBE, P, P, 0.0, &er, msg), ST_ENUMERIC, "and without it, no answer");
    snapshot_release(s);

    /* HL1#1 silent (constant): counted, its r are 0, no NaN anywhere. */
    s = two_group_snapshot(2);
    for (size_t i = 0; i < N_PROBE; i++)
        s->acts[0][i * 3] = 0.25f;
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(snapshot_metric(s, "fc_silent"), 1.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "entropy_dim"), 5.0, 0, "the constant unit is dropped");
    cr_assert_float_eq(snapshot_metric(s, "entropy_ridge"), 0.0, 0);
    for (size_t k = 0; k < s->n_metrics; k++)
        cr_assert(isfinite(s->metrics[k].value), "%s is finite", s->metrics[k].key);
    snapshot_release(s);
    activity_metric_free(m);
}

/* The live sample by hand: 10 + 30 hidden units, at most 8: HL1 keeps
 * round(10·8/40) = 2 (units 0 and 5), HL2 round(30·8/40) = 6 (every fifth). */
Test(metrics_activity, live_sample_by_hand)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {784, 10, 30, 10}};
    size_t idx[40], per[2];
    cr_assert_eq(activity_live_sample(&c, 8, idx, per), 8);
    const size_t want[8] = {0, 5, 10, 15, 20, 25, 30, 35};
    for (int i = 0; i < 8; i++)
        cr_assert_eq(idx[i], want[i], "unit %d", i);
    cr_assert(per[0] == 2 && per[1] == 6);
    cr_assert_eq(activity_live_sample(&c, 0, idx, per), 40, "0 = every unit");
    cr_assert_eq(activity_live_sample(&c, 40, idx, per), 40);
    cr_assert(idx[39] == 39 && per[0] == 10 && per[1] == 30);
    /* A layer never drops below 2 units. */
    ModelConfig lop = {.kind = "mlp", .n_layers = 4, .sizes = {784, 2, 200, 10}};
    size_t idx2[202], per2[2];
    activity_live_sample(&lop, 20, idx2, per2);
    cr_assert(per2[0] == 2 && per2[1] == 20);
}

/* With fewer live units than hidden units the keys are those of the
 * sample: on the two-group network (3 + 3 units) at most 4 units keep
 * units 0 and 1 of HL1 (round(3·4/6) = 2, so 0·3/2 = 0 and 1·3/2 = 1) and
 * units 0 and 1 of HL2. */
Test(metrics_activity, live_units_measure_the_sample)
{
    Snapshot *s = two_group_snapshot(3);
    ActivitySettings set;
    ActivityMetric *m = metric(&set, 0, 4, 5);
    atomic_store(&set.units, 4);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(snapshot_metric(s, "activity_units"), 4.0, 0);
    float full[N_PROBE * P], x[N_PROBE * 4];
    hidden_matrix(s, full);
    const size_t keep[4] = {0, 1, 3, 4};
    for (size_t i = 0; i < N_PROBE; i++)
        for (size_t j = 0; j < 4; j++)
            x[i * 4 + j] = full[i * P + keep[j]];
    double c[16], mean;
    cr_assert_eq(fc_correlation_f(x, N_PROBE, 4, 4, FC_ZERO_DIAGONAL, c, NULL, msg), ST_OK);
    cr_assert_eq(fc_summary(c, 4, &mean, NULL, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "fc_mean"), mean, 1e-15);
    EntropyResult er;
    cr_assert_eq(entropy_gaussian_f(x + 2, N_PROBE, 2, 4, 1e-6, &er, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "entropy_hl2"), er.entropy_nats, 1e-12);
    activity_metric_free(m);
    snapshot_release(s);
}
