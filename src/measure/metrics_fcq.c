#include "neurotop/measure/metrics_fcq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/run/metrics.h"

struct FcqMetric {
    uint64_t seed;
    size_t reps, every;
    size_t p;         /* units the matrix buffers were made for */
    size_t x_cap;     /* floats in x */
    float *x;         /* n × p gathered activations */
    Matrix *corr;     /* p × p, then B in place */
    int *labels;
    double *q;        /* reps */
};

Status fcq_metric_new(uint64_t seed, size_t reps, size_t every, FcqMetric **out, char *msg)
{
    *out = NULL;
    if (reps == 0 || every == 0)
        return status_fail(msg, ST_EINVAL, "the functional modularity needs at least one Louvain run and every >= 1");
    FcqMetric *m = calloc(1, sizeof *m);
    if (!m || !(m->q = malloc(reps * sizeof *m->q))) {
        free(m);
        return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    m->seed = seed;
    m->reps = reps;
    m->every = every;
    *out = m;
    return ST_OK;
}

void fcq_metric_free(FcqMetric *m)
{
    if (!m)
        return;
    free(m->x);
    matrix_free(m->corr);
    free(m->labels);
    free(m->q);
    free(m);
}

static Status ensure_units(FcqMetric *m, size_t p, char *msg)
{
    if (m->corr && m->p == p)
        return ST_OK;
    matrix_free(m->corr);
    free(m->labels);
    m->corr = matrix_new(p, p);
    m->labels = malloc(p * sizeof *m->labels);
    m->p = p;
    if (!m->corr || !m->labels) {
        m->p = 0;
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-unit functional network", p);
    }
    return ST_OK;
}

Status fcq_measure(FcqMetric *m, const float *x, size_t n, size_t p, size_t ldx, unsigned fc_flags,
                   uint64_t seed, FcqValue *out, char *msg)
{
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a functional network needs at least 2 units, got %zu", p);
    Status st = ensure_units(m, p, msg);
    if (st)
        return st;
    double *c = m->corr->data;
    if ((st = fc_correlation_f(x, n, p, ldx, fc_flags | FC_ZERO_DIAGONAL, c, NULL, msg)) ||
        (st = fc_summary(c, p, &out->mean_r, NULL, msg)))
        return st;
    int any = 0;
    for (size_t i = 0; i < p * p && !any; i++)
        any = c[i] != 0.0;
    if (!any) {
        /* Every unit silent: no edge, so no module structure to find. */
        out->q = 0.0;
        out->modules = p;
        return ST_OK;
    }
    if ((st = modmat_build(m->corr, 1.0, MOD_SIGN_SYM, m->corr, NULL, msg)))
        return st;
    LouvainOp op;
    louvain_op_dense(&op, m->corr);
    LouvainSummary sum;
    if ((st = louvain_run_reps(&op, seed, m->reps, m->labels, &sum, m->q, NULL, NULL, msg)))
        return st;
    int k = 0;
    for (size_t u = 0; u < p; u++)
        if (m->labels[u] > k)
            k = m->labels[u];
    out->q = sum.q_best;
    out->modules = (size_t)k;
    return ST_OK;
}

/* All hidden layers side by side into m->x (n × p). */
static Status gather_hidden(FcqMetric *m, const Snapshot *s, size_t *p_out, char *msg)
{
    const ModelConfig *cfg = &s->config;
    size_t n = s->n_probe, p = 0;
    for (size_t l = 1; l + 1 < cfg->n_layers; l++) {
        if (!s->acts[l - 1])
            return status_fail(msg, ST_EINVAL, "the snapshot has no probe activations of hidden layer %zu", l);
        p += cfg->sizes[l];
    }
    size_t cells;
    if (size_mul(n, p, &cells) || cells > ((size_t)-1) / sizeof(float))
        return status_fail(msg, ST_ENOMEM, "the probe activations (%zu x %zu) are too large", n, p);
    if (cells > m->x_cap) {
        float *x = realloc(m->x, cells * sizeof *x);
        if (!x)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu x %zu probe activations", n, p);
        m->x = x;
        m->x_cap = cells;
    }
    size_t col = 0;
    for (size_t l = 1; l + 1 < cfg->n_layers; l++) {
        size_t w = cfg->sizes[l];
        const float *a = s->acts[l - 1];
        for (size_t t = 0; t < n; t++)
            memcpy(m->x + t * p + col, a + t * w, w * sizeof(float));
        col += w;
    }
    *p_out = p;
    return ST_OK;
}

Status fcq_metric_epoch(Snapshot *s, void *ctx, char *msg)
{
    FcqMetric *m = ctx;
    if (s->epoch % m->every != 0 || s->n_probe < 2 || s->config.n_layers < 3)
        return ST_OK;
    size_t p = 0;
    for (size_t l = 1; l + 1 < s->config.n_layers; l++)
        p += s->config.sizes[l];
    if (p < 2 || !s->acts[0])
        return ST_OK;
    Status st = gather_hidden(m, s, &p, msg);
    if (st)
        return st;
    /* Epoch e draws its Louvain orders from its own seed, apart from the
     * weight-graph Q's rng_epoch_seed streams. */
    uint64_t seed = rng_epoch_seed(m->seed, s->epoch) ^ 0x46435100u;
    static const struct {
        unsigned flags;
        MetricId q, k, r;
    } readout[2] = {{0, METRIC_FCQ, METRIC_FCQ_MODULES, METRIC_FCQ_MEAN_R},
                    {FC_REGRESS_MEAN, METRIC_FCQ_REG, METRIC_FCQ_REG_MODULES, METRIC_FCQ_REG_MEAN_R}};
    for (size_t i = 0; i < 2; i++) {
        FcqValue v;
        st = fcq_measure(m, m->x, s->n_probe, p, p, readout[i].flags, seed, &v, msg);
        if (st == ST_ENOMEM)
            return st;
        /* Undefined data (e.g. a non-finite activation) is NaN, not a stop. */
        if (st)
            v = (FcqValue){NAN, 0, NAN};
        metric_put(s, readout[i].q, NULL, v.q);
        metric_put(s, readout[i].k, NULL, st ? NAN : (double)v.modules);
        metric_put(s, readout[i].r, NULL, v.mean_r);
    }
    return ST_OK;
}
