#include "neurotop/measure/metrics_modularity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "neurotop/core/rng.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/measure/weightq.h"
#include "neurotop/run/metrics.h"

/* One engine for both readouts, so its buffers (B of the whole graph, the
 * larger part) are reused from part to part and epoch to epoch: filling
 * them costs less than allocating them afresh, and a second engine would
 * hold a second B. */
struct ModularityMetric {
    ModularitySettings *settings;
    uint64_t seed;
    CommunityMethod method;
    WeightQ engine;
};

Status modularity_metric_new(ModularitySettings *settings, uint64_t seed,
                             ModularityMetric **out, char *msg)
{
    ModularityMetric *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    m->settings = settings;
    m->seed = seed;
    weightq_init(&m->engine);
    *out = m;
    return ST_OK;
}

void modularity_metric_free(ModularityMetric *m)
{
    if (!m)
        return;
    weightq_done(&m->engine);
    free(m);
}

void modularity_metric_set_method(ModularityMetric *m, CommunityMethod method)
{
    if (m)
        m->method = method;
}

/* The keys of each part: best Q, its range and mean over the runs, modules. */
static const MetricId KEYS[2][5] = {
    {METRIC_Q_WHOLE, METRIC_Q_WHOLE_MIN, METRIC_Q_WHOLE_MAX, METRIC_Q_WHOLE_MEAN, METRIC_MODULES_WHOLE},
    {METRIC_Q_HIDDEN, METRIC_Q_HIDDEN_MIN, METRIC_Q_HIDDEN_MAX, METRIC_Q_HIDDEN_MEAN, METRIC_MODULES_HIDDEN},
};

Status modularity_metric_epoch(Snapshot *s, void *ctx, char *msg)
{
    ModularityMetric *m = ctx;
    int reps = atomic_load(&m->settings->qreps);
    if (reps <= 0)
        return ST_OK;
    if (reps > QREPS_MAX)
        reps = QREPS_MAX;
    WeightQOptions o;
    weightq_options_default(&o); /* signed asym, gamma 1 */
    o.reps = (size_t)reps;
    o.algo.method = m->method;
    /* Epoch e draws its Louvain orders from streams of its own seed. */
    o.seed = rng_epoch_seed(m->seed, s->epoch);
    for (GraphPart p = GRAPH_PART_WHOLE; p <= GRAPH_PART_HIDDEN; p++) {
        WeightQ *w = &m->engine;
        if (!snapshot_graph_part_defined(s, p)) {
            /* A star (HebbFF's hidden subgraph): its Q is a function of the
             * signs' balance alone, so the keys are null. */
            for (size_t k = 0; k < 5; k++)
                metric_put(s, KEYS[p][k], NULL, NAN);
            continue;
        }
        Status st = weightq_snapshot(w, s, p, &o, msg);
        if (st)
            return st;
        const double v[5] = {w->sum.q_best, w->sum.q_min, w->sum.q_max, w->sum.q_mean, (double)w->k};
        for (size_t k = 0; k < 5; k++)
            metric_put(s, KEYS[p][k], NULL, v[k]);
    }
    metric_put(s, METRIC_Q_REPS, NULL, (double)reps);
    return ST_OK;
}
