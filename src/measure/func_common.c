/* What the functional-network analyses (func.h) share: the
 * names of a unit selection, its activations and the context keys that
 * open a snapshot's document. */
#include "neurotop/measure/func.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "func_internal.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/measure/metrics_activity.h"

void jobs_selection_name(const Snapshot *s, int layer, char *buf, size_t cap)
{
    if (layer != ACTIVITY_ALL_HIDDEN) {
        model_layer_name(&s->config, (size_t)layer, 0, buf, cap);
        return;
    }
    size_t o = 0;
    buf[0] = '\0';
    for (size_t h = 1; h + 1 < s->config.n_layers && o < cap; h++) {
        char name[16];
        model_layer_name(&s->config, h, 0, name, sizeof name);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", h > 1 ? "+" : "", name);
    }
}

void jobs_unit_name(const Snapshot *s, int layer, size_t c, char *buf, size_t cap)
{
    for (size_t h = 1; h + 1 < s->config.n_layers; h++) {
        if (layer != ACTIVITY_ALL_HIDDEN && (size_t)layer != h)
            continue;
        if (c < s->config.sizes[h]) {
            char name[16];
            model_layer_name(&s->config, h, 0, name, sizeof name);
            snprintf(buf, cap, "%s#%zu", name, c + 1);
            return;
        }
        c -= s->config.sizes[h];
    }
    snprintf(buf, cap, "?");
}

Status jobs_gather_hidden(const Snapshot *s, int layer, float **x, size_t *p, char *msg)
{
    *x = NULL;
    Status st = activity_units(&s->config, layer, p, msg);
    if (st)
        return st;
    if (s->n_probe < 2)
        return status_fail(msg, ST_EINVAL, "epoch %zu holds %zu probe items; correlations need at least 2",
                           s->epoch, s->n_probe);
    if (*p > SIZE_MAX / sizeof(float) / s->n_probe)
        return status_fail(msg, ST_EINVAL, "%zu × %zu activations are too many", s->n_probe, *p);
    *x = malloc(s->n_probe * *p * sizeof(float));
    if (!*x)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu × %zu activations", s->n_probe, *p);
    if ((st = activity_gather(s, layer, *x, msg))) {
        free(*x);
        *x = NULL;
    }
    return st;
}

unsigned jobs_fc_flags(const AnalysisArgs *a)
{
    return a->regress_mean ? FC_REGRESS_MEAN : 0u;
}

void jobs_functional_json_open(JsonWriter *w, const Snapshot *s, int layer)
{
    json_object_begin(w);
    char sel[64] = "";
    if (s && layer != JOBS_NO_LAYER)
        jobs_selection_name(s, layer, sel, sizeof sel);
    job_json_context(w, s, JOB_NO_PART, sel[0] ? sel : NULL);
}
