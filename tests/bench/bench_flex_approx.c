/* How far the cheap forms of the live flexibility are from the exact one
 * (issue 17's "measure the approximation error"): a 784-300-300-10 run of
 * 23 epochs of 2,000 examples is trained with `neurotop train` ($NEUROTOP,
 * default ./neurotop), and at epochs 21 and 22 the multislice network of
 * the last 20 epochs' whole-probe correlation matrices (ω = γ = 1, sym, as
 * the live metric) is solved by 3 Louvain runs on the live metric's
 * streams for
 *   - every unit (exact; run 0 is what the live metric reports),
 *   - an even sample of 150 and of 300 units (--live-units),
 *   - every unit with each slice sparsified to the k largest |r| of every
 *     row (kept when either end keeps it), k = 8, 32, 128.
 * Lines starting with "result" give the mean system flexibility over the
 * 2 epochs × 3 runs, its error against exact, the mean number of
 * communities, and the density of the slices. */

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/run/replay.h"

#define SLICES 20
#define LAST_EPOCH 22
#define EPOCHS 2 /* epochs 21 and 22 */
#define RUNS 3
#define FIRST (LAST_EPOCH - EPOCHS + 2 - SLICES) /* the oldest slice needed */

typedef struct {
    const char *name;
    size_t sample; /* units of an even sample, 0 = every unit */
    size_t k;      /* per-row top-k sparsification, 0 = dense */
} Variant;

static int fail(const char *what, const char *msg)
{
    fprintf(stderr, "bench_flex_approx: %s: %s\n", what, msg);
    return 1;
}

static int by_abs_desc(const void *a, const void *b)
{
    double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return x < y ? 1 : x > y ? -1 : 0;
}

/* c (p × p, zero diagonal) kept where |r| is among the k largest of row i
 * or of row j; returns the off-diagonal entries kept. */
static size_t sparsify(const double *c, size_t p, size_t k, double *out, double *row_tmp, double *cut)
{
    for (size_t i = 0; i < p; i++) {
        memcpy(row_tmp, c + i * p, p * sizeof *row_tmp);
        qsort(row_tmp, p, sizeof *row_tmp, by_abs_desc);
        cut[i] = fabs(row_tmp[k < p - 1 ? k - 1 : p - 2]);
    }
    size_t kept = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double a = fabs(c[i * p + j]);
            int keep = i != j && a > 0 && (a >= cut[i] || a >= cut[j]);
            out[i * p + j] = keep ? c[i * p + j] : 0.0;
            kept += (size_t)keep;
        }
    return kept;
}

/* The probe correlation matrices of epochs FIRST..LAST_EPOCH of the run. */
static int load_slices(const char *dir, double **corr, size_t *p_out, ModelConfig *cfg)
{
    char msg[STATUS_MSG_LEN] = "";
    Replay *rp = NULL;
    Dataset *data = NULL;
    if (replay_open(dir, &rp, msg) || replay_open_data(rp, &data, msg) ||
        replay_attach_data(rp, data, replay_info(rp)->probe, msg)) {
        replay_free(rp);
        dataset_free(data);
        return fail(dir, msg);
    }
    float *x = NULL;
    size_t p = 0;
    int rc = 0;
    for (size_t e = FIRST; e <= LAST_EPOCH && !rc; e++) {
        Snapshot *s = NULL;
        size_t silent = 0;
        if (replay_snapshot(rp, e, &s, msg) || (!p && activity_units(&s->config, ACTIVITY_ALL_HIDDEN, &p, msg))) {
            rc = fail("snapshot", msg);
            snapshot_release(s);
            break;
        }
        *cfg = s->config;
        if (!x)
            x = malloc(s->n_probe * p * sizeof *x);
        corr[e - FIRST] = malloc(p * p * sizeof(double));
        if (!x || !corr[e - FIRST])
            rc = fail("memory", "out of memory");
        else if (activity_gather(s, ACTIVITY_ALL_HIDDEN, x, msg) ||
                 fc_correlation_f(x, s->n_probe, p, p, FC_ZERO_DIAGONAL, corr[e - FIRST], &silent, msg))
            rc = fail("correlations", msg);
        snapshot_release(s);
    }
    free(x);
    replay_free(rp);
    dataset_free(data);
    *p_out = p;
    return rc;
}

/* Mean flexibility, communities and density of one variant. */
static int measure(const Variant *v, double *const *corr, size_t p, const ModelConfig *cfg, double *flex,
                   double *comms, double *density)
{
    char msg[STATUS_MSG_LEN] = "";
    size_t idx[1200], per_layer[MODEL_MAX_LAYERS];
    size_t pv = v->sample ? activity_live_sample(cfg, v->sample, idx, per_layer) : p;
    double *slices = malloc((size_t)SLICES * p * p * sizeof *slices);
    double *tmp = malloc(p * sizeof *tmp), *cut = malloc(p * sizeof *cut), q[RUNS];
    int *parts = malloc((size_t)RUNS * pv * SLICES * sizeof *parts);
    const double *views[SLICES];
    ActivityFlex *f = NULL;
    int rc = !slices || !tmp || !cut || !parts || activity_flex_new(&f, msg);
    double kept = 0, pairs = 0;
    *flex = *comms = 0;
    for (size_t e = LAST_EPOCH - EPOCHS + 1; e <= LAST_EPOCH && !rc; e++) {
        for (size_t s = 0; s < SLICES; s++) {
            const double *c = corr[e + 1 - SLICES + s - FIRST];
            double *o = slices + s * p * p;
            if (v->sample)
                for (size_t i = 0; i < pv; i++)
                    for (size_t j = 0; j < pv; j++)
                        o[i * pv + j] = c[idx[i] * p + idx[j]];
            else if (v->k)
                kept += (double)sparsify(c, p, v->k, o, tmp, cut);
            else
                memcpy(o, c, p * p * sizeof *o);
            pairs += (double)(pv * (pv - 1));
            views[s] = o;
        }
        if (!v->k)
            kept = pairs;
        LouvainOp op;
        if (activity_flex_build_slices(f, views, pv, SLICES, 1.0, 1.0, msg)) {
            rc = fail(v->name, msg);
            break;
        }
        activity_flex_op(f, &op);
        if (louvain_run_range(&op, rng_epoch_seed(cfg->seed, e), ACTIVITY_FLEX_STREAM0, 0, RUNS, q, parts, NULL, msg)) {
            rc = fail(v->name, msg);
            break;
        }
        for (size_t r = 0; r < RUNS && !rc; r++) {
            FlexSummary fs;
            if (activity_flex_summarize(f, parts + r * pv * SLICES, NULL, &fs, msg))
                rc = fail(v->name, msg);
            *flex += fs.system / (EPOCHS * RUNS);
            *comms += (double)fs.communities / (EPOCHS * RUNS);
        }
    }
    *density = pairs > 0 ? kept / pairs : 0;
    activity_flex_free(f);
    free(slices);
    free(tmp);
    free(cut);
    free(parts);
    return rc;
}

int main(void)
{
    const char *neurotop = getenv("NEUROTOP") ? getenv("NEUROTOP") : "./neurotop";
    char dir[] = "/tmp/neurotop-flexapprox-XXXXXX", cmd[1024], run[512] = "";
    if (!mkdtemp(dir))
        return fail("mkdtemp", "cannot make a temporary folder");
    snprintf(cmd, sizeof cmd,
             "'%s' train --headless --epochs %d --epoch-size 2000 --hidden 300,300 --qreps 0 --flexreps 0 "
             "--save-every 1 --runs '%s' >/dev/null 2>&1",
             neurotop, LAST_EPOCH, dir);
    DIR *d = system(cmd) == 0 ? opendir(dir) : NULL;
    for (struct dirent *ent; d && (ent = readdir(d));)
        if (ent->d_name[0] != '.')
            snprintf(run, sizeof run, "%s/%s", dir, ent->d_name);
    if (d)
        closedir(d);
    double *corr[LAST_EPOCH - FIRST + 1] = {0};
    size_t p = 0;
    ModelConfig cfg;
    int rc = run[0] ? load_slices(run, corr, &p, &cfg) : fail(neurotop, "training the 784-300-300-10 run failed");
    const Variant vs[] = {{"every unit", 0, 0}, {"150-unit sample", 150, 0}, {"300-unit sample", 300, 0},
                          {"top-8 per row", 0, 8}, {"top-32 per row", 0, 32}, {"top-128 per row", 0, 128}};
    double exact = 0, exact_comms = 0;
    for (size_t i = 0; i < sizeof vs / sizeof vs[0] && !rc; i++) {
        double flex, comms, density;
        if ((rc = measure(&vs[i], corr, p, &cfg, &flex, &comms, &density)))
            break;
        if (i == 0) {
            exact = flex;
            exact_comms = comms;
            printf("result flex_approx %s (%zu): flexibility %.4f, %.1f communities (mean of %d epochs x %d runs)\n",
                   vs[i].name, p, flex, comms, EPOCHS, RUNS);
        } else {
            printf("result flex_approx %s: flexibility %.4f (%+.0f%%), %.1f communities (exact %.1f), density %.3f\n",
                   vs[i].name, flex, 100.0 * (flex - exact) / exact, comms, exact_comms, density);
        }
    }
    for (size_t e = 0; e < sizeof corr / sizeof corr[0]; e++)
        free(corr[e]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_flex_approx: cannot remove %s\n", dir);
    return rc;
}
