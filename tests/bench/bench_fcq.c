/* Benchmark of the whole-probe functional modularity (metrics_fcq.h) on real
 * HebbFF activations: the default network (N 100, M 120, R 5) after
 * --epochs epochs of training on its fixed 2,500-step stream (window 50,
 * Adam 0.001), probe = the 2,500-step test stream, one BLAS thread as in the
 * live tool. Times fcq_measure raw and mean-regressed (best of --reps) and
 * the whole hook, next to one training epoch. Lines starting with "result"
 * are the figures. Options: --epochs E (default 10), --reps N (default 5). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/core/linalg.h"
#include "neurotop/data/familiarity.h"
#include "neurotop/model/model.h"
#include "neurotop/measure/metrics_fcq.h"

#define T_STEPS 2500

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check(int bad, const char *msg)
{
    if (bad) {
        fprintf(stderr, "bench_fcq: %s\n", msg);
        exit(1);
    }
}

static void to_floats(const ImageSet *s, float *x, int *y)
{
    const size_t px = s->rows * s->cols;
    for (size_t i = 0; i < s->n; i++) {
        imageset_item_float(s, i, x + i * px);
        y[i] = s->labels[i];
    }
}

int main(int argc, char **argv)
{
    size_t epochs = 10, reps = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--epochs") == 0)
            epochs = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--reps") == 0)
            reps = strtoul(argv[i + 1], NULL, 10);
    }
    if (reps == 0)
        reps = 1;
    linalg_set_threads(1);
    char msg[STATUS_MSG_LEN] = "";
    Dataset *d = NULL;
    check(familiarity_dataset(&d, 100, 5, 0.5, 0, T_STEPS, T_STEPS, 0, msg) != ST_OK, msg);
    ModelConfig c = {.kind = "hebbff", .n_layers = 3, .sizes = {100, 120, 2}};
    Model *m = NULL;
    check(model_new(&c, &m, msg) != ST_OK, msg);
    float *tx = malloc(T_STEPS * 100 * sizeof *tx), *ex = malloc(T_STEPS * 100 * sizeof *ex);
    int *ty = malloc(T_STEPS * sizeof *ty), *ey = malloc(T_STEPS * sizeof *ey);
    float *acts[MODEL_MAX_LAYERS] = {malloc(T_STEPS * 120 * sizeof(float)), malloc(T_STEPS * 2 * sizeof(float))};
    check(!tx || !ex || !ty || !ey || !acts[0] || !acts[1], "out of memory");
    to_floats(&d->train, tx, ty);
    to_floats(&d->test, ex, ey);
    double epoch_sec = 1e9;
    for (size_t e = 0; e < epochs; e++) {
        double loss = 0, t0 = now_seconds();
        m->ops->reset_state(m);
        check(m->ops->train(m, tx, ty, T_STEPS, 50, 0.001f, &loss, msg) != ST_OK, msg);
        double t = now_seconds() - t0;
        epoch_sec = t < epoch_sec ? t : epoch_sec;
    }
    m->ops->activations(m, ex, T_STEPS, acts);
    FcqMetric *q = NULL;
    check(fcq_metric_new(0, FCQ_REPS_DEFAULT, 1, &q, msg) != ST_OK, msg);
    static const char *const name[2] = {"raw", "mean-regressed"};
    double both = 0;
    for (int k = 0; k < 2; k++) {
        double best = 1e9;
        FcqValue v = {0};
        for (size_t r = 0; r < reps; r++) {
            double t0 = now_seconds();
            check(fcq_measure(q, acts[0], T_STEPS, 120, 120, k ? FC_REGRESS_MEAN : 0, 1, &v, msg) != ST_OK, msg);
            double t = now_seconds() - t0;
            best = t < best ? t : best;
        }
        both += best;
        printf("result fcq %-15s %7.2f ms  (Q %.4f, %zu modules, mean r %.3f after %zu epochs)\n", name[k],
               1e3 * best, v.q, v.modules, v.mean_r, epochs);
    }
    printf("result fcq hook (both readouts, %d Louvain runs each) %.2f ms per epoch = %.1f%% of a training "
           "epoch (%.1f ms)\n",
           FCQ_REPS_DEFAULT, 1e3 * both, 100.0 * both / epoch_sec, 1e3 * epoch_sec);
    fcq_metric_free(q);
    free(acts[0]);
    free(acts[1]);
    free(tx);
    free(ex);
    free(ty);
    free(ey);
    model_free(m);
    dataset_free(d);
    return 0;
}
