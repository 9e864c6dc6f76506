#include "neurotop/run/snapshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Snapshot *snapshot_new(const ModelConfig *config, const float *params, size_t n_params,
                       size_t n_probe)
{
    Snapshot *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    atomic_init(&s->refs, 1);
    s->config = *config;
    s->train_loss = NAN;
    s->eval.recon = NAN;
    s->n_params = n_params;
    s->params = malloc((n_params ? n_params : 1) * sizeof(float));
    size_t n_out = config->sizes[config->n_layers - 1];
    s->eval.n_classes = n_out;
    s->eval.confusion = calloc(n_out * n_out, sizeof(uint32_t));
    s->n_probe = n_probe;
    s->probe_labels = calloc(n_probe ? n_probe : 1, 1);
    int ok = s->params && s->eval.confusion && s->probe_labels;
    for (size_t l = 1; ok && l < config->n_layers; l++) {
        s->acts[l - 1] = calloc(n_probe * config->sizes[l] + 1, sizeof(float));
        ok = s->acts[l - 1] != NULL;
    }
    if (!ok) {
        snapshot_release(s);
        return NULL;
    }
    if (params)
        memcpy(s->params, params, n_params * sizeof(float));
    return s;
}

Snapshot *snapshot_retain(Snapshot *s)
{
    if (s)
        atomic_fetch_add(&s->refs, 1);
    return s;
}

void snapshot_release(Snapshot *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    free(s->params);
    free(s->eval.confusion);
    free(s->probe_labels);
    for (size_t l = 0; l < MODEL_MAX_LAYERS; l++)
        free(s->acts[l]);
    free(s->state);
    free(s->resume.opt);
    free(s);
}

void snapshot_set_metric(Snapshot *s, const char *key, double value)
{
    for (size_t i = 0; i < s->n_metrics; i++)
        if (strcmp(s->metrics[i].key, key) == 0) {
            s->metrics[i].value = value;
            return;
        }
    if (s->n_metrics == SNAPSHOT_MAX_METRICS)
        return;
    MetricValue *m = &s->metrics[s->n_metrics++];
    snprintf(m->key, sizeof m->key, "%s", key);
    m->value = value;
}

double snapshot_metric(const Snapshot *s, const char *key)
{
    for (size_t i = 0; i < s->n_metrics; i++)
        if (strcmp(s->metrics[i].key, key) == 0)
            return s->metrics[i].value;
    return NAN;
}

void snapshot_record_state(Snapshot *s, const Model *m, const float *x, size_t n)
{
    ParamBlock blk;
    if (!model_state_block(&s->config, &blk))
        return;
    size_t rows = blk.dims[0], cols = 1;
    for (size_t d = 1; d < blk.n_dims; d++)
        cols *= blk.dims[d];
    free(s->state);
    s->state = malloc(rows * cols * sizeof(float));
    if (s->state && model_state(m, x, n, s->state, NULL) == ST_OK) {
        s->state_rows = rows;
        s->state_cols = cols;
        snprintf(s->state_name, sizeof s->state_name, "%s", blk.name);
    } else {
        free(s->state);
        s->state = NULL;
    }
}
