#include "neurotop/measure/metrics_epoch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/moments.h"
#include "neurotop/run/metrics.h"

Status metrics_epoch_weights(Snapshot *s, void *ctx, char *msg)
{
    (void)ctx;
    WeightBlock blocks[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(&s->config, s->params, blocks, MODEL_MAX_LAYERS);
    for (size_t b = 0; b < nb; b++) {
        Moments m;
        const WeightBlock *k = &blocks[b];
        Status st;
        if (k->ld == k->cols) {
            st = moments_compute_f(k->w, k->rows * k->cols, 1, &m, msg);
        } else if (k->cols == 1) {
            /* A column view (HebbFF's read-out w2): a strided run of values. */
            st = moments_compute_f(k->w, k->rows, k->ld, &m, msg);
        } else {
            float *copy = model_block_copy(k);
            st = copy ? moments_compute_f(copy, k->rows * k->cols, 1, &m, msg)
                      : status_fail(msg, ST_ENOMEM, "out of memory for the weights of %s", k->name);
            free(copy);
        }
        if (st)
            return st;
        metric_put(s, METRIC_W_MEAN, blocks[b].name, m.mean);
        metric_put(s, METRIC_W_STD, blocks[b].name, m.std);
        metric_put(s, METRIC_W_SKEW, blocks[b].name, m.skewness);
    }
    return ST_OK;
}

Status metrics_epoch_binary(Snapshot *s, void *ctx, char *msg)
{
    (void)ctx;
    (void)msg;
    const ModelKind *k = model_kind_of(&s->config);
    if (s->eval.n_classes != 2 || !s->eval.confusion || !k || !k->supervised)
        return ST_OK;
    /* Class 1 is the positive answer (HebbFF: "familiar"). */
    const uint32_t *c = s->eval.confusion;
    double pos = (double)c[2] + (double)c[3], neg = (double)c[0] + (double)c[1];
    metric_put(s, METRIC_TPR, NULL, pos > 0 ? (double)c[3] / pos : NAN);
    metric_put(s, METRIC_FPR, NULL, neg > 0 ? (double)c[1] / neg : NAN);
    return ST_OK;
}

Status metrics_epoch_kind(Snapshot *s, void *ctx, char *msg)
{
    (void)ctx;
    (void)msg;
    ModelMetric m[SNAPSHOT_MAX_METRICS];
    size_t n = model_extra_metrics(&s->config, s->params, m, SNAPSHOT_MAX_METRICS);
    /* The kind names its keys (HebbFF: lambda, eta); METRIC_LIST lists them. */
    for (size_t i = 0; i < n; i++)
        snapshot_set_metric(s, m[i].key, m[i].value);
    return ST_OK;
}

Status metrics_epoch_register(Trainer *t, char *msg)
{
    if (trainer_add_metric(t, metrics_epoch_weights, NULL) || trainer_add_metric(t, metrics_epoch_binary, NULL) ||
        trainer_add_metric(t, metrics_epoch_kind, NULL))
        return status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
    return ST_OK;
}
