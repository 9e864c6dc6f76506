#include "neurotop/train/metrics_epoch.h"

#include <stdio.h>

#include "neurotop/analysis/moments.h"

Status metrics_epoch_weights(Snapshot *s, void *ctx, char *msg)
{
    (void)ctx;
    WeightBlock blocks[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(&s->config, s->params, blocks, MODEL_MAX_LAYERS);
    for (size_t b = 0; b < nb; b++) {
        Moments m;
        Status st = moments_compute_f(blocks[b].w, blocks[b].rows * blocks[b].cols, 1, &m, msg);
        if (st)
            return st;
        char key[METRIC_KEY_LEN];
        snprintf(key, sizeof key, "w_%s_mean", blocks[b].name);
        snapshot_set_metric(s, key, m.mean);
        snprintf(key, sizeof key, "w_%s_std", blocks[b].name);
        snapshot_set_metric(s, key, m.std);
        snprintf(key, sizeof key, "w_%s_skew", blocks[b].name);
        snapshot_set_metric(s, key, m.skewness);
    }
    return ST_OK;
}

Status metrics_epoch_register(Trainer *t, char *msg)
{
    if (trainer_add_metric(t, metrics_epoch_weights, NULL))
        return status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
    return ST_OK;
}
