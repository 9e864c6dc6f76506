#include "neurotop/measure/metrics_modularity.h"

#include <stdio.h>
#include <stdlib.h>

#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/core/rng.h"

/* One readout: its layer mask and the buffers reused from epoch to epoch
 * (allocating a fresh 8 MB buffer every epoch costs more than filling it). */
typedef struct {
    const char *name;
    uint32_t mask;
    size_t n;
    Matrix *adj;
    ModSparse b; /* sparse weights + low-rank null model: Louvain runs ~3x faster than on dense B */
    int *labels;
    double *q;
} Readout;

struct ModularityMetric {
    ModularitySettings *settings;
    uint64_t seed;
    Readout readouts[2];
    size_t reps_cap;
};

Status modularity_metric_new(ModularitySettings *settings, uint64_t seed,
                             ModularityMetric **out, char *msg)
{
    ModularityMetric *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    m->settings = settings;
    m->seed = seed;
    for (GraphPart p = GRAPH_PART_WHOLE; p <= GRAPH_PART_HIDDEN; p++) {
        m->readouts[p].name = graph_part_name(p);
        m->readouts[p].mask = graph_part_mask(p);
    }
    modsparse_init(&m->readouts[0].b);
    modsparse_init(&m->readouts[1].b);
    *out = m;
    return ST_OK;
}

void modularity_metric_free(ModularityMetric *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < 2; i++) {
        matrix_free(m->readouts[i].adj);
        modsparse_done(&m->readouts[i].b);
        free(m->readouts[i].labels);
        free(m->readouts[i].q);
    }
    free(m);
}

static Status ensure(Readout *r, size_t n, char *msg)
{
    if (!r->adj || r->n != n) {
        matrix_free(r->adj);
        free(r->labels);
        r->adj = matrix_new(n, n);
        r->labels = malloc(n * sizeof(int));
        r->n = n;
        if (!r->adj || !r->labels)
            return status_fail(msg, ST_ENOMEM, "out of memory for the %zu-node weight graph", n);
    }
    return ST_OK;
}

/* Sets the key prefix + name + suffix ("q_" "whole" "_min"). */
static void set_key(Snapshot *s, const char *prefix, const char *name, const char *suffix, double v)
{
    char key[METRIC_KEY_LEN];
    snprintf(key, sizeof key, "%s%s%s", prefix, name, suffix);
    snapshot_set_metric(s, key, v);
}

Status modularity_metric_epoch(Snapshot *s, void *ctx, char *msg)
{
    ModularityMetric *m = ctx;
    int reps = atomic_load(&m->settings->qreps);
    if (reps <= 0)
        return ST_OK;
    if (reps > QREPS_MAX)
        reps = QREPS_MAX;
    if ((size_t)reps > m->reps_cap) {
        for (size_t i = 0; i < 2; i++) {
            free(m->readouts[i].q);
            m->readouts[i].q = malloc((size_t)reps * sizeof(double));
            if (!m->readouts[i].q)
                return status_fail(msg, ST_ENOMEM, "out of memory");
        }
        m->reps_cap = (size_t)reps;
    }
    GraphBlock gb[MODEL_MAX_LAYERS];
    GraphSpec spec;
    snapshot_graph_spec(s, &spec, gb);
    /* Epoch e draws its Louvain orders from streams of its own seed. */
    uint64_t seed = rng_epoch_seed(m->seed, s->epoch);
    for (size_t i = 0; i < 2; i++) {
        Readout *r = &m->readouts[i];
        size_t n;
        Status st = graph_count_nodes(&spec, r->mask, &n, msg);
        if (!st)
            st = ensure(r, n, msg);
        if (!st)
            st = graph_fill(&spec, r->mask, r->adj, NULL, NULL, msg);
        if (!st)
            st = modmat_build_sparse(r->adj, 1.0, MOD_SIGN_ASYM, &r->b, NULL, msg);
        LouvainOp op;
        louvain_op_sparse(&op, &r->b);
        LouvainSummary sum;
        if (!st)
            st = louvain_run_reps(&op, seed, (size_t)reps, r->labels, &sum, r->q, NULL, NULL, msg);
        if (st)
            return st;
        int k = 0;
        for (size_t u = 0; u < n; u++)
            if (r->labels[u] > k)
                k = r->labels[u];
        set_key(s, "q_", r->name, "", sum.q_best);
        set_key(s, "q_", r->name, "_min", sum.q_min);
        set_key(s, "q_", r->name, "_max", sum.q_max);
        set_key(s, "q_", r->name, "_mean", sum.q_mean);
        set_key(s, "modules_", r->name, "", (double)k);
    }
    snapshot_set_metric(s, "q_reps", (double)reps);
    return ST_OK;
}
