/* Benchmark of the per-epoch activity metrics (metrics_activity.h) on real
 * snapshots of the default MLP (784-100-100-10, one training epoch at lr
 * 0.3, batch 1 on the bundled digits, then FC_WINDOWS_DEFAULT short
 * stretches of 400 more digits, one snapshot after each; synthetic sparse
 * inputs when the data are missing), probe = the first 1,000 held-out
 * digits, one BLAS thread as in the live tool. Times each part of the hook
 * (best of --reps) — the MLP's flexibility over the last 20 epochs and, for
 * comparison, over 20 windows of the probe — and the whole hook at several
 * flexreps settings, next to the time of one training epoch, and checks the
 * budget: all per-epoch metrics together under 0.5 s. Times are CPU time
 * of the calling thread (one BLAS thread runs in it), so other processes
 * on a shared machine do not inflate them. Options: --reps N (default 5).
 * Lines starting with "result" are the figures. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"
#include "neurotop/measure/metrics_activity.h"

#define N_TRAIN 8000
#define N_PROBE 1000
#define N_STRETCH 400 /* digits trained between two of the recorded epochs */
#define N_EPOCHS FC_WINDOWS_DEFAULT

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check(Status st, const char *msg)
{
    if (st) {
        fprintf(stderr, "bench_activity: %s\n", msg);
        exit(1);
    }
}

typedef struct {
    Snapshot *snap;
    Snapshot *epochs[N_EPOCHS]; /* the recorded epochs the hook cycles through */
    size_t next;                /* hook calls so far: epoch numbers keep rising */
    double *epoch_fc;           /* N_EPOCHS × p × p whole-probe correlations */
    const double *slices[N_EPOCHS];
    size_t p;             /* hidden units (200) */
    float *x;             /* N_PROBE × p */
    double *corr;         /* p × p */
    ActivityFlex *flex;
    int *labels;
    double q;
    size_t windows, len;
    ActivitySettings settings;
    ActivityMetric *metric;
} Bench;

static void part_gather_moments(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    Moments m;
    check(activity_gather(b->snap, ACTIVITY_ALL_HIDDEN, b->x, msg), msg);
    check(moments_compute_f(b->x, N_PROBE * b->p, 1, &m, msg), msg);
}

static void part_fc_whole(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    double mean, mabs;
    check(fc_correlation_f(b->x, N_PROBE, b->p, b->p, FC_ZERO_DIAGONAL, b->corr, NULL, msg), msg);
    check(fc_summary(b->corr, b->p, &mean, &mabs, msg), msg);
}

static void part_entropy(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    EntropyResult r;
    check(entropy_gaussian_f(b->x, N_PROBE, b->p, b->p, ACTIVITY_RIDGE, &r, msg), msg);
    /* and per hidden layer, as the hook does */
    check(entropy_gaussian_f(b->x, N_PROBE, 100, b->p, ACTIVITY_RIDGE, &r, msg), msg);
    check(entropy_gaussian_f(b->x + 100, N_PROBE, 100, b->p, ACTIVITY_RIDGE, &r, msg), msg);
}

static void part_windows_build(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    check(activity_flex_build(b->flex, b->x, N_PROBE, b->p, b->p, b->windows, b->len, 1.0, 1.0, 0, msg),
          msg);
}

static void part_epochs_build(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    check(activity_flex_build_slices(b->flex, b->slices, b->p, N_EPOCHS, 1.0, 1.0, msg), msg);
}

static void part_louvain_one(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    LouvainOp op;
    activity_flex_op(b->flex, &op);
    check(louvain_run_range(&op, 1, 0, 0, 1, &b->q, b->labels, NULL, msg), msg);
}

static void part_summarize(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    FlexSummary fs;
    check(activity_flex_summarize(b->flex, b->labels, NULL, &fs, msg), msg);
}

/* One epoch of the hook: the next recorded epoch, numbered one above the
 * last, so the metric holds the last 20 epochs as it does live. */
static void hook(Bench *b)
{
    char msg[STATUS_MSG_LEN];
    b->snap = b->epochs[b->next % N_EPOCHS];
    b->snap->epoch = ++b->next;
    b->snap->n_metrics = 0;
    check(activity_metric_epoch(b->snap, b->metric, msg), msg);
}

static double best_of(void (*fn)(Bench *), Bench *b, int reps)
{
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        double t = now_seconds();
        fn(b);
        t = now_seconds() - t;
        best = t < best ? t : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    int reps = 5;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--reps") == 0)
            reps = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : 1;
    linalg_set_threads(1);
    char msg[STATUS_MSG_LEN];

    size_t pixels = 784;
    float *x = malloc((size_t)N_TRAIN * pixels * sizeof *x);
    float *probe = malloc((size_t)N_PROBE * pixels * sizeof *probe);
    int *y = malloc(N_TRAIN * sizeof *y);
    if (!x || !y || !probe)
        return 1;
    const char *source = "bundled mnist10k";
    Dataset *ds = NULL;
    Rng r;
    rng_seed(&r, 7, 0);
    if (dataset_open("mnist10k", &ds, msg) == ST_OK && ds->train.rows * ds->train.cols == pixels &&
        ds->train.n >= N_TRAIN && ds->test.n >= N_PROBE) {
        for (size_t i = 0; i < N_TRAIN; i++) {
            imageset_item_float(&ds->train, i, x + i * pixels);
            y[i] = ds->train.labels[i];
        }
        for (size_t i = 0; i < N_PROBE; i++)
            imageset_item_float(&ds->test, i, probe + i * pixels);
    } else {
        source = "synthetic";
        for (size_t i = 0; i < N_TRAIN; i++) {
            for (size_t p = 0; p < pixels; p++)
                x[i * pixels + p] = rng_uniform(&r) < 0.19 ? (float)rng_uniform(&r) : 0.0f;
            y[i] = (int)rng_below(&r, 10);
        }
        memcpy(probe, x, (size_t)N_PROBE * pixels * sizeof *probe);
    }
    dataset_free(ds);

    ModelConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.kind, "mlp");
    cfg.n_layers = 4;
    cfg.sizes[0] = 784;
    cfg.sizes[1] = 100;
    cfg.sizes[2] = 100;
    cfg.sizes[3] = 10;
    Model *m = NULL;
    check(model_new(&cfg, &m, msg), msg);
    double loss = 0.0, t0 = now_seconds();
    check(m->ops->train(m, x, y, N_TRAIN, 1, 0.3f, &loss, msg), msg);
    double epoch_s = now_seconds() - t0;
    printf("setup: %s, one training epoch (8,000 digits, batch 1) in %.3f s\n", source, epoch_s);

    Bench b;
    memset(&b, 0, sizeof b);
    check(activity_units(&cfg, ACTIVITY_ALL_HIDDEN, &b.p, msg), msg);
    b.x = malloc((size_t)N_PROBE * b.p * sizeof *b.x);
    b.corr = malloc(b.p * b.p * sizeof *b.corr);
    b.epoch_fc = malloc((size_t)N_EPOCHS * b.p * b.p * sizeof *b.epoch_fc);
    if (!b.x || !b.corr || !b.epoch_fc || !activity_window_plan(N_PROBE, FC_WINDOWS_DEFAULT, &b.windows, &b.len))
        return 1;
    for (size_t e = 0; e < N_EPOCHS; e++) {
        if (e > 0) {
            size_t at = (e * N_STRETCH) % (N_TRAIN - N_STRETCH);
            check(m->ops->train(m, x + at * pixels, y + at, N_STRETCH, 1, 0.3f, &loss, msg), msg);
        }
        Snapshot *se = snapshot_new(&m->config, m->params, m->n_params, N_PROBE);
        if (!se)
            return 1;
        m->ops->activations(m, probe, N_PROBE, se->acts);
        b.epochs[e] = se;
        b.snap = se;
        part_gather_moments(&b);
        check(fc_correlation_f(b.x, N_PROBE, b.p, b.p, FC_ZERO_DIAGONAL, b.epoch_fc + e * b.p * b.p, NULL, msg),
              msg);
        b.slices[e] = b.epoch_fc + e * b.p * b.p;
    }
    b.snap = b.epochs[0];
    b.labels = malloc(b.p * b.windows * sizeof *b.labels);
    check(activity_flex_new(&b.flex, msg), msg);
    activity_settings_init(&b.settings, FLEXREPS_DEFAULT, FC_WINDOWS_DEFAULT);
    check(activity_metric_new(&b.settings, 0, &b.metric, msg), msg);
    if (!b.labels)
        return 1;
    part_gather_moments(&b);

    printf("setup: %zu hidden units, %d probe items; %d epochs %d digits apart, or %zu windows of %zu\n", b.p,
           N_PROBE, N_EPOCHS, N_STRETCH, b.windows, b.len);
    double t_gather = best_of(part_gather_moments, &b, reps);
    double t_fc = best_of(part_fc_whole, &b, reps);
    double t_ent = best_of(part_entropy, &b, reps);
    double t_ebuild = best_of(part_epochs_build, &b, reps);
    double t_elouv = best_of(part_louvain_one, &b, reps);
    double t_esum = best_of(part_summarize, &b, reps);
    double t_build = best_of(part_windows_build, &b, reps);
    double t_louv = best_of(part_louvain_one, &b, reps);
    printf("result gather_and_moments_1000x200              %8.2f ms\n", 1e3 * t_gather);
    printf("result fc_whole_1000x200_mean_abs               %8.2f ms\n", 1e3 * t_fc);
    printf("result entropy_ridge_all_and_per_layer          %8.2f ms\n", 1e3 * t_ent);
    printf("result epochs_20_multislice_build               %8.2f ms\n", 1e3 * t_ebuild);
    printf("result louvain_one_run_multislice_200x20_epochs %8.2f ms\n", 1e3 * t_elouv);
    printf("result flexibility_q_communities                %8.2f ms\n", 1e3 * t_esum);
    printf("result fc_windows_20x50_and_multislice_build    %8.2f ms  (--flex-slices probe)\n", 1e3 * t_build);
    printf("result louvain_one_run_multislice_200x20_windows%8.2f ms  (--flex-slices probe)\n", 1e3 * t_louv);

    static const int settings[] = {0, 1, 2, 5, 10};
    double hook_default = NAN;
    for (size_t k = 0; k < N_EPOCHS; k++)
        hook(&b); /* the metric's history: the last 20 epochs */
    for (size_t k = 0; k < sizeof settings / sizeof settings[0]; k++) {
        atomic_store(&b.settings.flexreps, settings[k]);
        double t = best_of(hook, &b, reps);
        if (settings[k] == FLEXREPS_DEFAULT)
            hook_default = t;
        printf("result hook_total_flexreps_%-2d                   %8.2f ms  (%.2fx a training epoch)%s\n",
               settings[k], 1e3 * t, t / epoch_s, settings[k] == FLEXREPS_DEFAULT ? "  default" : "");
    }
    printf("result budget 500 ms per epoch: %s (%.1f ms at the defaults)\n",
           hook_default < 0.5 ? "met" : "NOT met", 1e3 * hook_default);
    printf("values: fc_mean %.3f, fc_mean_abs %.3f, flex_system %.3f (runs %.3f – %.3f), flex_q %.3f, "
           "communities %.0f, entropy %.1f nats (ridge needed %.0f), act kurtosis %.3f\n",
           snapshot_metric(b.snap, "fc_mean"), snapshot_metric(b.snap, "fc_mean_abs"),
           snapshot_metric(b.snap, "flex_system"), snapshot_metric(b.snap, "flex_system_min"),
           snapshot_metric(b.snap, "flex_system_max"), snapshot_metric(b.snap, "flex_q"),
           snapshot_metric(b.snap, "flex_communities"), snapshot_metric(b.snap, "entropy_nats"),
           snapshot_metric(b.snap, "entropy_ridge"), snapshot_metric(b.snap, "act_kurt"));

    activity_metric_free(b.metric);
    activity_flex_free(b.flex);
    for (size_t e = 0; e < N_EPOCHS; e++)
        snapshot_release(b.epochs[e]);
    free(b.epoch_fc);
    free(b.x);
    free(b.corr);
    free(b.labels);
    free(x);
    free(y);
    free(probe);
    model_free(m);
    return 0;
}
