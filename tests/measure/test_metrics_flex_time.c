/* The live flexibility over time (metrics_activity.h, docs/methods.md §13):
 * slices are epochs for a kind of independent examples (the MLP), windows
 * of the probe stream for a sequential kind (HebbFF). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/metrics_activity.h"
#include "support/support.h"

#define N_PROBE 80
#define P 6

/* A 5-3-3-2 MLP (or, with hebbff, a 5-6-2 HebbFF) whose six hidden units
 * follow latent signal A or B as group[] says, strength `signal`, plus
 * noise from `noise_seed`. */
static Snapshot *snap(const char *kind, size_t epoch, const int *group, double signal, uint64_t noise_seed)
{
    return support_grouped_snapshot(kind, epoch, N_PROBE, group, signal, noise_seed);
}

static const int GROUPS[P] = {0, 0, 1, 0, 1, 1};

static ActivityMetric *metric(ActivitySettings *set, int reps, int windows, int slices, uint64_t seed)
{
    activity_settings_init(set, reps, windows);
    atomic_store(&set->slices, slices);
    ActivityMetric *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_metric_new(set, seed, &m, msg), ST_OK, "%s", msg);
    return m;
}

/* Feeds epochs first..first+k−1 made by make(e) and keeps the last. */
static Snapshot *feed(ActivityMetric *m, size_t first, size_t k, Snapshot *(*make)(size_t))
{
    char msg[STATUS_MSG_LEN];
    Snapshot *s = NULL;
    for (size_t e = first; e < first + k; e++) {
        snapshot_release(s);
        s = make(e);
        cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    }
    return s;
}

/* The same weakly structured activations at every epoch. */
static Snapshot *same_every_epoch(size_t e)
{
    return snap("mlp", e, GROUPS, 0.03, 5);
}

Test(metrics_flex_time, mlp_over_identical_epochs_is_zero_and_undefined_before_l_epochs)
{
    ActivitySettings set;
    const size_t L = 5;
    ActivityMetric *m = metric(&set, 8, (int)L, ACTIVITY_SLICES_KIND, 17);
    char msg[STATUS_MSG_LEN];
    for (size_t e = 0; e < L; e++) {
        Snapshot *s = same_every_epoch(e);
        cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
        cr_assert_float_eq(snapshot_metric(s, "flex_epochs"), (double)L, 0);
        cr_assert_float_eq(snapshot_metric(s, "flex_epochs_held"), (double)(e + 1), 0);
        cr_assert(isnan(snapshot_metric(s, "flex_windows")), "an MLP's slices are not windows");
        cr_assert(isnan(snapshot_metric(s, "flex_sub_system")));
        if (e + 1 < L) {
            cr_assert(isnan(snapshot_metric(s, "flex_system")), "epoch %zu: fewer than L epochs", e);
            cr_assert(isnan(snapshot_metric(s, "flex_q")));
        } else {
            /* Identical slices: every Louvain run keeps each unit in its
             * community, so nothing is flexible. */
            cr_assert_eq(snapshot_metric(s, "flex_system"), 0.0);
            cr_assert_eq(snapshot_metric(s, "flex_system_min"), 0.0);
            cr_assert_eq(snapshot_metric(s, "flex_system_max"), 0.0);
            cr_assert_eq(snapshot_metric(s, "flex_hl1"), 0.0);
            cr_assert_eq(snapshot_metric(s, "flex_hl2"), 0.0);
            cr_assert(isfinite(snapshot_metric(s, "flex_q")));
        }
        snapshot_release(s);
    }
    activity_metric_free(m);

    /* Probe slices of a model of independent examples go to flex_sub_*. */
    m = metric(&set, 8, 4, ACTIVITY_SLICES_PROBE, 17);
    Snapshot *s = same_every_epoch(0);
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    cr_assert(isnan(snapshot_metric(s, "flex_system")), "subsamples never fill flex_system");
    cr_assert(isnan(snapshot_metric(s, "flex_epochs")));
    cr_assert_float_eq(snapshot_metric(s, "flex_windows"), 4.0, 0);
    double sub = snapshot_metric(s, "flex_sub_system");
    cr_assert(snapshot_metric(s, "flex_sub_system_min") <= sub && sub <= snapshot_metric(s, "flex_sub_system_max"));
    cr_assert(isfinite(snapshot_metric(s, "flex_sub_q")) && isfinite(snapshot_metric(s, "flex_sub_hl1")));
    snapshot_release(s);
    activity_metric_free(m);
}

/* A 5-40-40-2 MLP whose 80 probe items give i.i.d. noise on every hidden
 * unit: no structure at all, the same at every epoch. */
static Snapshot *noise_every_epoch(size_t e)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {5, 40, 40, 2}};
    Snapshot *s = snapshot_new(&c, NULL, 0, N_PROBE);
    cr_assert_not_null(s);
    s->epoch = e;
    Rng r;
    rng_seed(&r, 77, 0);
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < N_PROBE * c.sizes[l + 1]; i++)
            s->acts[l][i] = (float)rng_uniform(&r);
    return s;
}

/* What the windows of i.i.d. items measured: windows of the same noise
 * disagree (Louvain on four random subsamples), the same matrices over
 * epochs do not. */
Test(metrics_flex_time, noise_windows_disagree_identical_epochs_do_not)
{
    ActivitySettings set;
    ActivityMetric *m = metric(&set, 4, 4, ACTIVITY_SLICES_PROBE, 2);
    Snapshot *s = feed(m, 0, 1, noise_every_epoch);
    double sub = snapshot_metric(s, "flex_sub_system");
    cr_assert(sub > 0.05, "windows of noise: flex_sub_system %g", sub);
    snapshot_release(s);
    activity_metric_free(m);

    m = metric(&set, 4, 4, ACTIVITY_SLICES_EPOCHS, 2);
    s = feed(m, 0, 4, noise_every_epoch);
    cr_assert_eq(snapshot_metric(s, "flex_system"), 0.0);
    cr_assert_eq(snapshot_metric(s, "flex_system_max"), 0.0);
    snapshot_release(s);
    activity_metric_free(m);
}

/* HL1#1 follows A up to epoch 1 and B from epoch 2 on; the others keep
 * their groups. Strong signals, fresh noise every epoch. */
static Snapshot *switching(size_t e)
{
    int g[P];
    memcpy(g, GROUPS, sizeof g);
    g[0] = e >= 2;
    return snap("mlp", e, g, 0.2, 100 + e);
}

Test(metrics_flex_time, a_unit_that_switches_once_has_flexibility_one_over_l_minus_one)
{
    ActivitySettings set;
    ActivityMetric *m = metric(&set, 5, 4, ACTIVITY_SLICES_KIND, 3);
    Snapshot *s = feed(m, 0, 4, switching);
    /* f(HL1#1) = 1/(L−1) = 1/3, every other unit 0. */
    cr_assert_float_eq(snapshot_metric(s, "flex_system"), (1.0 / 3.0) / 6.0, 1e-15);
    cr_assert_float_eq(snapshot_metric(s, "flex_hl1"), (1.0 / 3.0) / 3.0, 1e-15);
    cr_assert_eq(snapshot_metric(s, "flex_hl2"), 0.0);
    cr_assert_float_eq(snapshot_metric(s, "flex_communities"), 2.0, 0);
    /* With six units, ω = 1 is as strong as a unit's pull to its group:
     * some runs keep the unit where it was (lower Q); the band shows them. */
    cr_assert_float_eq(snapshot_metric(s, "flex_system_max"), (1.0 / 3.0) / 6.0, 1e-15);
    cr_assert(snapshot_metric(s, "flex_system_min") <= snapshot_metric(s, "flex_system"));
    snapshot_release(s);

    /* Three epochs later the slices 3..6 no longer see it. */
    s = feed(m, 4, 3, switching);
    cr_assert_eq(snapshot_metric(s, "flex_system"), 0.0);
    snapshot_release(s);
    activity_metric_free(m);
}

/* The hook's network rebuilt from fc.h and multislice.h: the correlation
 * matrices of epochs 0..L−1 as layers, Louvain with the hook's seed and
 * streams. */
Test(metrics_flex_time, keys_equal_the_multislice_of_the_epochs_correlation_matrices)
{
    ActivitySettings set;
    const size_t L = 4, reps = 4;
    ActivityMetric *m = metric(&set, (int)reps, (int)L, ACTIVITY_SLICES_KIND, 9);
    Snapshot *s = feed(m, 0, L, switching);
    char msg[STATUS_MSG_LEN];
    double fc[4 * P * P];
    Matrix views[4];
    const Matrix *layers[4];
    for (size_t e = 0; e < L; e++) {
        Snapshot *se = switching(e);
        float x[N_PROBE * P];
        cr_assert_eq(activity_gather(se, ACTIVITY_ALL_HIDDEN, x, msg), ST_OK);
        cr_assert_eq(fc_correlation_f(x, N_PROBE, P, P, FC_ZERO_DIAGONAL, fc + e * P * P, NULL, msg), ST_OK);
        views[e] = (Matrix){P, P, fc + e * P * P};
        layers[e] = &views[e];
        snapshot_release(se);
    }
    Multislice *ms = NULL;
    cr_assert_eq(multislice_new(P, L, &ms, msg), ST_OK);
    cr_assert_eq(multislice_build(ms, layers, L, 1.0, 1.0, MOD_SIGN_SYM, msg), ST_OK, "%s", msg);
    LouvainOp op;
    multislice_op(ms, &op);
    double q[4];
    int parts[4 * P * 4];
    cr_assert_eq(louvain_run_range(&op, rng_epoch_seed(9, L - 1), ACTIVITY_FLEX_STREAM0, 0, reps, q, parts, NULL,
                                   msg),
                 ST_OK);
    LouvainSummary sum;
    cr_assert_eq(louvain_summarize(q, reps, &sum, msg), ST_OK);
    double sys, lo = INFINITY, hi = -INFINITY;
    MultiPartition mp = flexibility_partition_layers(parts + sum.best * P * L, P, L);
    cr_assert_eq(flexibility_compute(&mp, NULL, &sys, msg), ST_OK);
    for (size_t r = 0; r < reps; r++) {
        double f;
        MultiPartition mr = flexibility_partition_layers(parts + r * P * L, P, L);
        cr_assert_eq(flexibility_compute(&mr, NULL, &f, msg), ST_OK);
        lo = f < lo ? f : lo;
        hi = f > hi ? f : hi;
    }
    cr_assert_eq(snapshot_metric(s, "flex_q"), sum.q_best);
    cr_assert_eq(snapshot_metric(s, "flex_q_min"), sum.q_min);
    cr_assert_eq(snapshot_metric(s, "flex_q_max"), sum.q_max);
    cr_assert_eq(snapshot_metric(s, "flex_system"), sys);
    cr_assert_eq(snapshot_metric(s, "flex_system_min"), lo);
    cr_assert_eq(snapshot_metric(s, "flex_system_max"), hi);
    cr_assert_float_eq(snapshot_metric(s, "flex_system"), (1.0 / 3.0) / 6.0, 1e-15, "the switch at epoch 2, L = 4");
    multislice_free(ms);
    snapshot_release(s);
    activity_metric_free(m);
}

static Snapshot *hebb_stream(size_t e)
{
    return snap("hebbff", e, GROUPS, 0.03, 5);
}

Test(metrics_flex_time, hebbff_keeps_its_stream_windows)
{
    ActivitySettings set;
    ActivityMetric *m = metric(&set, 3, 4, ACTIVITY_SLICES_KIND, 5);
    Snapshot *s = hebb_stream(7);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_metric_epoch(s, m, msg), ST_OK, "%s", msg);
    /* The first epoch already has a value: windows of the stream are time. */
    cr_assert_float_eq(snapshot_metric(s, "flex_windows"), 4.0, 0);
    cr_assert_float_eq(snapshot_metric(s, "flex_window_len"), 20.0, 0);
    cr_assert(isnan(snapshot_metric(s, "flex_epochs")));
    cr_assert(isnan(snapshot_metric(s, "flex_sub_system")));
    /* Rebuilt: 4 windows of 20 consecutive items, the hook's Louvain. */
    float x[N_PROBE * P];
    cr_assert_eq(activity_gather(s, ACTIVITY_ALL_HIDDEN, x, msg), ST_OK);
    ActivityFlex *f = NULL;
    cr_assert_eq(activity_flex_new(&f, msg), ST_OK);
    cr_assert_eq(activity_flex_build(f, x, N_PROBE, P, P, 4, 20, 1.0, 1.0, 0, msg), ST_OK, "%s", msg);
    LouvainOp op;
    activity_flex_op(f, &op);
    double q[3];
    int parts[3 * P * 4];
    cr_assert_eq(louvain_run_range(&op, rng_epoch_seed(5, 7), ACTIVITY_FLEX_STREAM0, 0, 3, q, parts, NULL, msg),
                 ST_OK);
    LouvainSummary sum;
    cr_assert_eq(louvain_summarize(q, 3, &sum, msg), ST_OK);
    FlexSummary fs;
    cr_assert_eq(activity_flex_summarize(f, parts + sum.best * P * 4, NULL, &fs, msg), ST_OK);
    double lo, hi;
    cr_assert_eq(activity_flex_system_range(f, parts, 3, &lo, &hi, msg), ST_OK);
    cr_assert_eq(snapshot_metric(s, "flex_system"), fs.system);
    cr_assert_eq(snapshot_metric(s, "flex_system_min"), lo);
    cr_assert_eq(snapshot_metric(s, "flex_system_max"), hi);
    cr_assert_eq(snapshot_metric(s, "flex_q"), sum.q_best);
    cr_assert(lo <= fs.system && fs.system <= hi);
    activity_flex_free(f);
    snapshot_release(s);
    activity_metric_free(m);

    /* Asked for epochs, a HebbFF run gets them (time too, under flex_*). */
    m = metric(&set, 3, 2, ACTIVITY_SLICES_EPOCHS, 5);
    s = feed(m, 0, 2, hebb_stream);
    cr_assert_float_eq(snapshot_metric(s, "flex_epochs"), 2.0, 0);
    cr_assert_eq(snapshot_metric(s, "flex_system"), 0.0, "identical epochs");
    snapshot_release(s);
    activity_metric_free(m);
}

Test(metrics_flex_time, deterministic_for_a_seed_and_only_consecutive_epochs)
{
    ActivitySettings sa, sb;
    ActivityMetric *a = metric(&sa, 4, 3, ACTIVITY_SLICES_KIND, 21), *b = metric(&sb, 4, 3, ACTIVITY_SLICES_KIND, 21);
    Snapshot *x = feed(a, 0, 5, switching), *y = feed(b, 0, 5, switching);
    cr_assert_eq(x->n_metrics, y->n_metrics);
    for (size_t k = 0; k < x->n_metrics; k++) {
        cr_assert_str_eq(x->metrics[k].key, y->metrics[k].key);
        double u = x->metrics[k].value, v = y->metrics[k].value;
        cr_assert(memcmp(&u, &v, sizeof u) == 0, "%s: %.17g vs %.17g", x->metrics[k].key, u, v);
    }
    snapshot_release(x);
    snapshot_release(y);

    /* A gap (epoch 5 is missing) starts the history again. */
    char msg[STATUS_MSG_LEN];
    Snapshot *s = switching(6);
    cr_assert_eq(activity_metric_epoch(s, a, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(snapshot_metric(s, "flex_epochs_held"), 1.0, 0);
    cr_assert(isnan(snapshot_metric(s, "flex_system")));
    snapshot_release(s);

    /* :set windows while running: a larger L waits for more epochs, a
     * smaller one uses the newest of those held. */
    s = feed(a, 7, 2, switching);
    cr_assert_float_eq(snapshot_metric(s, "flex_epochs_held"), 3.0, 0);
    cr_assert(isfinite(snapshot_metric(s, "flex_system")));
    snapshot_release(s);
    atomic_store(&sa.windows, 5);
    s = feed(a, 9, 1, switching);
    cr_assert_float_eq(snapshot_metric(s, "flex_epochs_held"), 4.0, 0);
    cr_assert(isnan(snapshot_metric(s, "flex_system")));
    snapshot_release(s);
    atomic_store(&sa.windows, 2);
    s = feed(a, 10, 1, switching);
    cr_assert_float_eq(snapshot_metric(s, "flex_epochs_held"), 2.0, 0);
    cr_assert_eq(snapshot_metric(s, "flex_system"), 0.0, "epochs 9 and 10: no switch");
    snapshot_release(s);

    /* flexreps 0: no multislice keys, but the history goes on. */
    atomic_store(&sa.flexreps, 0);
    s = feed(a, 11, 1, switching);
    cr_assert(isnan(snapshot_metric(s, "flex_system")));
    cr_assert(isnan(snapshot_metric(s, "flex_reps")));
    cr_assert_float_eq(snapshot_metric(s, "flex_epochs_held"), 2.0, 0);
    snapshot_release(s);
    activity_metric_free(a);
    activity_metric_free(b);
}

Test(metrics_flex_time, slices_parse_and_resolve_by_the_kind)
{
    ActivitySlices v;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(activity_slices_parse("epochs", "--flex-slices", &v, msg), ST_OK);
    cr_assert_eq(v, ACTIVITY_SLICES_EPOCHS);
    cr_assert_eq(activity_slices_parse("probe", "--flex-slices", &v, msg), ST_OK);
    cr_assert_eq(v, ACTIVITY_SLICES_PROBE);
    cr_assert_eq(activity_slices_parse("windows", "--flex-slices", &v, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--flex-slices must be epochs or probe, not 'windows'");
    ModelConfig mlp = {.kind = "mlp", .n_layers = 3, .sizes = {4, 3, 2}};
    ModelConfig hebb = {.kind = "hebbff", .n_layers = 3, .sizes = {4, 3, 2}};
    cr_assert_eq(activity_probe_is_stream(&mlp), 0);
    cr_assert_eq(activity_probe_is_stream(&hebb), 1);
    cr_assert_eq(activity_slices_resolve(&mlp, ACTIVITY_SLICES_KIND), ACTIVITY_SLICES_EPOCHS);
    cr_assert_eq(activity_slices_resolve(&hebb, ACTIVITY_SLICES_KIND), ACTIVITY_SLICES_PROBE);
    cr_assert_eq(activity_slices_resolve(&mlp, ACTIVITY_SLICES_PROBE), ACTIVITY_SLICES_PROBE);
    cr_assert_eq(activity_slices_resolve(&hebb, ACTIVITY_SLICES_EPOCHS), ACTIVITY_SLICES_EPOCHS);
}
