/* Benchmark of the activity statistics and weight-picture computations at
 * the default MLP sizes (784-100-100-10), one BLAS thread, best of --reps:
 *   - functional connectivity of the 200 hidden units over a 2,500-sample
 *     stream: whole stream, and 50 windows of 50 (seed paper 001), plus the
 *     mean |r| and a correlation histogram;
 *   - flexibility and allegiance of a 200-node × 50-window partition;
 *   - Gaussian entropy of the hidden activations of 1,000 probe items
 *     (100 and 200 units, ridge 1e-6 as in the TUI);
 *   - moments of the hidden activations and histograms of the three weight
 *     blocks α/β/γ;
 *   - PCA of the 994 standardised columns input+HL1+HL2+output over 1,000
 *     items: every eigenvalue (the §16 ratios and n80), and the top-3 fit,
 *     projection and category distances for the 3-D scatter;
 *   - the receptive fields of every unit of HL1, HL2 and the output.
 * Activations come from the MLP after one epoch at lr 0.3 on the bundled
 * digits (synthetic sparse inputs when the data are missing).
 * Options: --reps N (default 5). Lines starting with "result" are the figures. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/histogram.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/analysis/receptive.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"

#define N_STREAM 2500 /* FC stream: 50 windows of 50 */
#define N_PROBE 1000  /* probe set for entropy, moments, PCA */
#define N_WIN 50
#define WIN_LEN 50
#define N_TRAIN 8000

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check(Status st, const char *msg)
{
    if (st) {
        fprintf(stderr, "bench_stats: %s\n", msg);
        exit(1);
    }
}

/* Everything a timed job needs. */
typedef struct {
    size_t d;         /* 994 columns of all */
    float *all;       /* N_STREAM × d: input | HL1 | HL2 | output */
    int *labels;      /* N_STREAM */
    int *partition;   /* 200 × N_WIN labels */
    WeightBlock blocks[3];
    double *scratch;  /* large enough for 50 windows of 200² */
} Bench;

static const size_t HID0 = 784, HID = 200; /* hidden columns start, count */

static void job_fc_windows(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    check(fc_windows_f(b->all + HID0, N_STREAM, HID, b->d, N_WIN, WIN_LEN, 0, b->scratch, msg), msg);
}

static void job_fc_whole(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    double mean, mabs;
    size_t counts[40];
    check(fc_correlation_f(b->all + HID0, N_STREAM, HID, b->d, 0, b->scratch, NULL, msg), msg);
    check(fc_summary(b->scratch, HID, &mean, &mabs, msg), msg);
    check(fc_histogram(b->scratch, HID, 40, counts, msg), msg);
}

static void job_fc_regressed(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    check(fc_correlation_f(b->all + HID0, N_STREAM, HID, b->d, FC_REGRESS_MEAN, b->scratch, NULL,
                           msg),
          msg);
}

static void job_flex(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    double node[200], sys;
    MultiPartition p = flexibility_partition_nodes(b->partition, HID, N_WIN);
    check(flexibility_compute(&p, node, &sys, msg), msg);
    check(flexibility_allegiance(&p, b->scratch, msg), msg);
    size_t order[200], k;
    check(flexibility_module_order(b->partition, HID, order, &k, NULL, msg), msg);
}

static void job_entropy100(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    EntropyResult r;
    check(entropy_gaussian_f(b->all + HID0, N_PROBE, 100, b->d, 1e-6, &r, msg), msg);
}

static void job_entropy200(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    EntropyResult r;
    check(entropy_gaussian_f(b->all + HID0, N_PROBE, HID, b->d, 1e-6, &r, msg), msg);
}

static void job_moments(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    Moments m;
    /* Per hidden layer, over every probe activation (strided rows). */
    for (size_t l = 0; l < 2; l++)
        for (size_t j = 0; j < 100; j++)
            check(moments_compute_f(b->all + HID0 + l * 100 + j, N_PROBE, b->d, &m, msg), msg);
    size_t counts[40];
    for (size_t k = 0; k < 3; k++) {
        const WeightBlock *w = &b->blocks[k];
        double lo, hi;
        check(histogram_symmetric_range(w->w, w->rows * w->cols, &lo, &hi, msg), msg);
        check(histogram_compute(w->w, w->rows * w->cols, lo, hi, 40, counts, &m, msg), msg);
    }
}

static void job_pca_full(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    size_t n80;
    check(pca_explained_f(b->all, N_PROBE, b->d, b->d, 1, b->scratch, &n80, msg), msg);
}

static void job_pca_top3(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    PcaFit *f = NULL;
    check(pca_fit_f(b->all, N_PROBE, b->d, b->d, 1, 3, &f, msg), msg);
    check(pca_transform_f(f, b->all, N_PROBE, b->d, b->scratch, msg), msg);
    double within, between;
    check(pca_category_distances(b->scratch, N_PROBE, 3, b->labels, &within, &between, msg), msg);
    pca_fit_free(f);
}

static void job_receptive(const Bench *b)
{
    char msg[STATUS_MSG_LEN];
    const size_t sizes[4] = {784, 100, 100, 10};
    const float *const w[3] = {b->blocks[0].w, b->blocks[1].w, b->blocks[2].w};
    WeightChain c = {3, sizes, w};
    static float out[100 * 784];
    for (size_t layer = 1; layer <= 3; layer++)
        check(receptive_fields(&c, layer, out, msg), msg);
}

typedef struct {
    const char *name;
    void (*fn)(const Bench *);
    int per_epoch; /* counted in the issue-4 per-epoch total */
} Job;

static const Job JOBS[] = {
    {"fc_windows_50x50_200u", job_fc_windows, 1},
    {"fc_whole_2500x200_summary_hist", job_fc_whole, 1},
    {"fc_whole_mean_regressed", job_fc_regressed, 0},
    {"flexibility_allegiance_200x50", job_flex, 1},
    {"entropy_1000x100", job_entropy100, 0},
    {"entropy_1000x200", job_entropy200, 1},
    {"moments_hidden_and_weight_hists", job_moments, 1},
    {"pca_explained_1000x994_std", job_pca_full, 0},
    {"pca_top3_fit_project_distances", job_pca_top3, 0},
    {"receptive_fields_all_layers", job_receptive, 0},
};

int main(int argc, char **argv)
{
    int reps = 5;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--reps") == 0)
            reps = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : 1;
    linalg_set_threads(1);
    char msg[STATUS_MSG_LEN];

    /* Data: the stream is the first N_STREAM training digits. */
    Dataset *ds = NULL;
    size_t pixels = 784;
    float *x = malloc((size_t)N_TRAIN * pixels * sizeof *x);
    int *y = malloc(N_TRAIN * sizeof *y);
    if (!x || !y)
        return 1;
    const char *source = "bundled mnist10k";
    Rng r;
    rng_seed(&r, 7, 0);
    if (dataset_open("mnist10k", &ds, msg) == ST_OK && ds->train.rows * ds->train.cols == pixels &&
        ds->train.n >= N_TRAIN) {
        for (size_t i = 0; i < N_TRAIN; i++) {
            imageset_item_float(&ds->train, i, x + i * pixels);
            y[i] = ds->train.labels[i];
        }
    } else {
        source = "synthetic";
        for (size_t i = 0; i < N_TRAIN; i++) {
            for (size_t p = 0; p < pixels; p++)
                x[i * pixels + p] = rng_uniform(&r) < 0.19 ? (float)rng_uniform(&r) : 0.0f;
            y[i] = (int)rng_below(&r, 10);
        }
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
    cfg.seed = 1;
    Model *m = NULL;
    check(model_new(&cfg, &m, msg), msg);
    double loss = 0.0, t0 = now_seconds();
    check(m->ops->train(m, x, y, N_TRAIN, 1, 0.3f, &loss, msg), msg);
    printf("setup: %s, one training epoch in %.2f s\n", source, now_seconds() - t0);

    Bench b;
    memset(&b, 0, sizeof b);
    b.d = 784 + 100 + 100 + 10;
    b.all = malloc((size_t)N_STREAM * b.d * sizeof *b.all);
    float *acts[3];
    for (size_t l = 0; l < 3; l++)
        acts[l] = malloc((size_t)N_STREAM * cfg.sizes[l + 1] * sizeof(float));
    b.labels = malloc(N_STREAM * sizeof *b.labels);
    b.partition = malloc(HID * N_WIN * sizeof *b.partition);
    b.scratch = malloc((size_t)N_WIN * HID * HID * sizeof *b.scratch);
    if (!b.all || !acts[0] || !acts[1] || !acts[2] || !b.labels || !b.partition || !b.scratch)
        return 1;
    m->ops->activations(m, x, N_STREAM, acts);
    for (size_t i = 0; i < N_STREAM; i++) {
        float *row = b.all + i * b.d;
        memcpy(row, x + i * pixels, pixels * sizeof *row);
        memcpy(row + 784, acts[0] + i * 100, 100 * sizeof *row);
        memcpy(row + 884, acts[1] + i * 100, 100 * sizeof *row);
        memcpy(row + 984, acts[2] + i * 10, 10 * sizeof *row);
        b.labels[i] = y[i];
    }
    /* A partition with some structure and some switching, like multislice's. */
    for (size_t i = 0; i < HID; i++)
        for (size_t s = 0; s < N_WIN; s++)
            b.partition[i * N_WIN + s] =
                (int)(i % 6) + (rng_uniform(&r) < 0.1 ? (int)rng_below(&r, 3) : 0);
    size_t nb = model_blocks(&cfg, m->params, b.blocks, 3);
    if (nb != 3) {
        fprintf(stderr, "bench_stats: expected 3 weight blocks, got %zu\n", nb);
        return 1;
    }

    double per_epoch = 0.0;
    for (size_t k = 0; k < sizeof JOBS / sizeof JOBS[0]; k++) {
        double best = INFINITY;
        for (int rep = 0; rep < reps; rep++) {
            double t = now_seconds();
            JOBS[k].fn(&b);
            t = now_seconds() - t;
            best = t < best ? t : best;
        }
        if (JOBS[k].per_epoch)
            per_epoch += best;
        printf("result %-34s %9.2f ms%s\n", JOBS[k].name, 1e3 * best,
               JOBS[k].per_epoch ? "  (per-epoch set)" : "");
    }
    printf("result per_epoch_total (functional metrics, without multislice Louvain) %.2f ms\n",
           1e3 * per_epoch);

    /* A few values, so the timings are known to be on realistic data. */
    EntropyResult er;
    check(entropy_gaussian_f(b.all + HID0, N_PROBE, HID, b.d, 1e-6, &er, msg), msg);
    size_t n80;
    double *ratio = malloc(b.d * sizeof *ratio);
    check(pca_explained_f(b.all, N_PROBE, b.d, b.d, 1, ratio, &n80, msg), msg);
    double mean, mabs;
    check(fc_correlation_f(b.all + HID0, N_STREAM, HID, b.d, 0, b.scratch, NULL, msg), msg);
    check(fc_summary(b.scratch, HID, &mean, &mabs, msg), msg);
    printf("values: hidden entropy %.1f nats (d %zu, ridge needed %d); PCA n80 %zu of %zu, "
           "top-3 ratio %.3f; mean r %.3f, mean |r| %.3f\n",
           er.entropy_nats, er.d, er.ridge_needed, n80, b.d, ratio[0] + ratio[1] + ratio[2], mean,
           mabs);
    free(ratio);
    for (size_t l = 0; l < 3; l++)
        free(acts[l]);
    free(b.all);
    free(b.labels);
    free(b.partition);
    free(b.scratch);
    free(x);
    free(y);
    model_free(m);
    return 0;
}
