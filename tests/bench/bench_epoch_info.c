/* Cost of the per-epoch information work at the default sizes (784-100-100-10,
 * 1,000 probe items): the IH hook that runs every epoch on the metrics
 * thread, the IP/ID cache filled once per data set (bundled digits when
 * found), and one measured epoch of `experiment mlp-phases` (2 × 10
 * Louvain runs, roles, 4 tests of 10,000 permutations). Best of 3.
 * Lines starting with "result" are one figure each. */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "neurotop/core/rng.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/experiment/mlp_phases.h"

#define REPS 3

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check(Status st, const char *what, const char *msg)
{
    if (st) {
        fprintf(stderr, "bench_epoch_info: %s: %s\n", what, msg);
        exit(1);
    }
}

int main(void)
{
    char msg[STATUS_MSG_LEN] = "";
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {784, 100, 100, 10}, .seed = 1};
    Model *model = NULL;
    check(model_new(&c, &model, msg), "model", msg);
    Snapshot *s = snapshot_new(&c, model->params, model->n_params, 1000);
    Rng r;
    rng_seed(&r, 1, 0);
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < 1000 * c.sizes[l + 1]; i++)
            s->acts[l][i] = (float)rng_uniform(&r);
    for (size_t i = 0; i < 1000; i++)
        s->probe_labels[i] = (uint8_t)(i % 10);

    InfoMetric *m = NULL;
    check(info_metric_new(&m, msg), "info metric", msg);
    double best = 1e9;
    for (int k = 0; k < REPS; k++) {
        double t0 = now_seconds();
        for (int e = 0; e < 100; e++)
            check(info_metric_epoch(s, m, msg), "IH hook", msg);
        double t = (now_seconds() - t0) / 100;
        best = t < best ? t : best;
    }
    printf("result IH hook per epoch (1000 probe items, 200 hidden units): %.2f ms\n", 1e3 * best);
    info_metric_free(m);

    Dataset *d = NULL;
    if (dataset_open("mnist10k", &d, msg)) {
        printf("result (bundled digits not found: %s; skipping the data-set figures)\n", msg);
    } else {
        PixelInfo *pi = NULL;
        PixelInfoView v;
        check(pixel_info_new(d, &pi, msg), "pixel info", msg);
        double t0 = now_seconds();
        check(pixel_info_get(pi, &v, msg), "pixel info", msg);
        printf("result IP/ID cache, first call (%zu items): %.1f ms\n", v.n_items, 1e3 * (now_seconds() - t0));
        MlpPhasesConfig pc = {.reps = 10, .perms = 10000, .seed = 0, .last_epoch = 0, .pixels = pi};
        MlpPhases *ph = NULL;
        check(mlp_phases_new(&pc, &ph, msg), "mlp phases", msg);
        best = 1e9;
        for (int k = 0; k < REPS; k++) {
            s->epoch = (size_t)k; /* epochs 0..2 are all measured */
            double t1 = now_seconds();
            check(mlp_phases_epoch(s, ph, msg), "measured epoch", msg);
            double t = now_seconds() - t1;
            best = t < best ? t : best;
        }
        printf("result mlp-phases measured epoch (10 Louvain runs x 2, 4 x 10000 permutations): %.0f ms\n",
               1e3 * best);
        mlp_phases_free(ph);
        pixel_info_free(pi);
        dataset_free(d);
    }
    snapshot_release(s);
    model_free(model);
    return 0;
}
