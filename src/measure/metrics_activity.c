#include "neurotop/measure/metrics_activity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/run/metrics.h"

void activity_settings_init(ActivitySettings *s, int flexreps, int windows)
{
    atomic_init(&s->flexreps, flexreps);
    atomic_init(&s->windows, windows);
}

/* ---- hidden activations ------------------------------------------------ */

Status activity_units(const ModelConfig *cfg, int layer, size_t *units, char *msg)
{
    size_t n_hidden = cfg->n_layers >= 2 ? cfg->n_layers - 2 : 0;
    if (n_hidden == 0)
        return status_fail(msg, ST_EINVAL, "the model has no hidden layer");
    if (layer < 0 || (size_t)layer > n_hidden)
        return status_fail(msg, ST_EINVAL, "the model has no hidden layer %d (it has %zu)", layer, n_hidden);
    size_t p = 0;
    for (size_t h = 1; h <= n_hidden; h++)
        if (layer == ACTIVITY_ALL_HIDDEN || (size_t)layer == h)
            p += cfg->sizes[h];
    *units = p;
    return ST_OK;
}

Status activity_gather(const Snapshot *s, int layer, float *out, char *msg)
{
    size_t p;
    Status st = activity_units(&s->config, layer, &p, msg);
    if (st)
        return st;
    if (s->n_probe == 0)
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu holds no probe activations", s->epoch);
    size_t col = 0;
    for (size_t h = 1; h + 1 < s->config.n_layers; h++) {
        if (layer != ACTIVITY_ALL_HIDDEN && (size_t)layer != h)
            continue;
        size_t u = s->config.sizes[h];
        const float *a = s->acts[h - 1];
        if (!a)
            return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu holds no activations of HL%zu",
                               s->epoch, h);
        for (size_t i = 0; i < s->n_probe; i++)
            memcpy(out + i * p + col, a + i * u, u * sizeof(float));
        col += u;
    }
    return ST_OK;
}

int activity_window_plan(size_t n, size_t want, size_t *windows, size_t *len)
{
    size_t fit = n / FC_WINDOW_MIN_LEN;
    size_t l = want < fit ? want : fit;
    if (l < 2)
        return 0;
    *windows = l;
    *len = n / l;
    return 1;
}

/* ---- windowed multislice --------------------------------------------- */

struct ActivityFlex {
    size_t p, t, cap;     /* nodes, windows; cap = p²·t doubles held */
    double *fc;           /* t windows of p × p */
    Matrix *views;        /* t non-owning p × p views into fc */
    const Matrix **layers;
    Multislice *ms;       /* sized (p, t); remade when either changes */
    int built;
};

Status activity_flex_new(ActivityFlex **out, char *msg)
{
    *out = calloc(1, sizeof **out);
    return *out ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory");
}

void activity_flex_free(ActivityFlex *f)
{
    if (!f)
        return;
    free(f->fc);
    free(f->views);
    free(f->layers);
    multislice_free(f->ms);
    free(f);
}

static Status flex_reserve(ActivityFlex *f, size_t p, size_t t, char *msg)
{
    size_t pp, total;
    if (size_mul(p, p, &pp) || size_mul(pp, t, &total) || total > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu windows of %zu units are too many", t, p);
    if (total > f->cap) {
        double *fc = realloc(f->fc, total * sizeof(double));
        if (!fc)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu windows of %zu units", t, p);
        f->fc = fc;
        f->cap = total;
    }
    if (!f->ms || f->p != p || f->t != t) {
        multislice_free(f->ms);
        f->ms = NULL;
        free(f->views);
        free(f->layers);
        f->views = malloc(t * sizeof *f->views);
        f->layers = malloc(t * sizeof *f->layers);
        f->p = f->t = 0;
        if (!f->views || !f->layers)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu windows", t);
        Status st = multislice_new(p, t, &f->ms, msg);
        if (st)
            return st;
        f->p = p;
        f->t = t;
    }
    for (size_t s = 0; s < t; s++) {
        f->views[s] = (Matrix){p, p, f->fc + s * pp};
        f->layers[s] = &f->views[s];
    }
    return ST_OK;
}

Status activity_flex_build(ActivityFlex *f, const float *x, size_t n, size_t p, size_t ldx,
                           size_t windows, size_t len, double omega, double gamma, unsigned fc_flags,
                           char *msg)
{
    f->built = 0;
    if (p == 0 || windows == 0)
        return status_fail(msg, ST_EINVAL, "a multilayer network needs units and windows");
    Status st = flex_reserve(f, p, windows, msg);
    if (!st)
        st = fc_windows_f(x, n, p, ldx, windows, len, fc_flags, f->fc, msg);
    if (!st)
        st = multislice_build(f->ms, f->layers, windows, gamma, omega, MOD_SIGN_SYM, msg);
    f->built = !st;
    return st;
}

size_t activity_flex_nodes(const ActivityFlex *f)
{
    return f->built ? f->p : 0;
}

size_t activity_flex_layers(const ActivityFlex *f)
{
    return f->built ? f->t : 0;
}

const double *activity_flex_window(const ActivityFlex *f, size_t s)
{
    return f->built && s < f->t ? f->fc + s * f->p * f->p : NULL;
}

void activity_flex_op(const ActivityFlex *f, LouvainOp *op)
{
    multislice_op(f->built ? f->ms : NULL, op);
}

Status activity_flex_summarize(const ActivityFlex *f, const int *labels, double *node, FlexSummary *out,
                               char *msg)
{
    if (!f->built)
        return status_fail(msg, ST_EINVAL, "no multilayer network has been built");
    Status st = multislice_quality(f->ms, labels, &out->q, msg);
    if (st)
        return st;
    MultiPartition mp = flexibility_partition_layers(labels, f->p, f->t);
    if ((st = flexibility_compute(&mp, node, &out->system, msg)))
        return st;
    /* Louvain labels are canonical 1..k; count distinct ones for any labels. */
    int *seen = malloc(f->p * f->t * sizeof *seen);
    if (!seen)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    size_t k = 0;
    if ((st = modmat_relabel(labels, f->p * f->t, seen, &k, msg)) == ST_OK)
        out->communities = k;
    free(seen);
    return st;
}

/* ---- the per-epoch hook ------------------------------------------------ */

struct ActivityMetric {
    ActivitySettings *settings;
    uint64_t seed;
    float *x;            /* n_probe × p gathered activations */
    size_t x_cap;
    double *corr;        /* p × p whole-probe correlations */
    size_t corr_cap;
    double *node;        /* p node flexibilities */
    size_t node_cap;
    int *parts;          /* reps × p·t Louvain partitions */
    size_t parts_cap;
    double *q;           /* reps Q values */
    size_t q_cap;
    ActivityFlex *flex;
};

Status activity_metric_new(ActivitySettings *settings, uint64_t seed, ActivityMetric **out, char *msg)
{
    *out = NULL;
    ActivityMetric *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    Status st = activity_flex_new(&m->flex, msg);
    if (st) {
        free(m);
        return st;
    }
    m->settings = settings;
    m->seed = seed;
    *out = m;
    return ST_OK;
}

void activity_metric_free(ActivityMetric *m)
{
    if (!m)
        return;
    free(m->x);
    free(m->corr);
    free(m->node);
    free(m->parts);
    free(m->q);
    activity_flex_free(m->flex);
    free(m);
}

/* A buffer of at least n elements of elem bytes, kept across epochs. */
static Status grow(void **buf, size_t *cap, size_t n, size_t elem, char *msg)
{
    if (n <= *cap)
        return ST_OK;
    size_t bytes;
    if (size_mul(n, elem, &bytes))
        return status_fail(msg, ST_EINVAL, "%zu values are too many", n);
    void *p = realloc(*buf, bytes);
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu values", n);
    *buf = p;
    *cap = n;
    return ST_OK;
}

/* Only running out of memory stops training; any other failure leaves the
 * metric undefined (NaN) for this epoch. */
static int fatal(Status st)
{
    return st == ST_ENOMEM || st == ST_EINTERNAL;
}

static void set_layer_key(Snapshot *s, MetricId id, size_t h, double v)
{
    char part[16];
    metric_put(s, id, metric_layer(h, part, sizeof part), v);
}

/* Whole-probe FC: fc_mean, fc_mean_abs, fc_silent and fc_mean_hl<h>. */
static Status whole_fc(ActivityMetric *m, Snapshot *s, size_t n, size_t p, char *msg)
{
    double mean = NAN, mabs = NAN;
    size_t silent = 0;
    Status st = grow((void **)&m->corr, &m->corr_cap, p * p, sizeof(double), msg);
    if (st)
        return st;
    if (p >= 2) {
        st = fc_correlation_f(m->x, n, p, p, FC_ZERO_DIAGONAL, m->corr, &silent, msg);
        if (!st)
            st = fc_summary(m->corr, p, &mean, &mabs, msg);
    }
    if (fatal(st))
        return st;
    metric_put(s, METRIC_FC_MEAN, NULL, st ? NAN : mean);
    metric_put(s, METRIC_FC_MEAN_ABS, NULL, st ? NAN : mabs);
    metric_put(s, METRIC_FC_SILENT, NULL, st || p < 2 ? NAN : (double)silent);
    size_t n_hidden = s->config.n_layers - 2;
    if (n_hidden < 2)
        return ST_OK;
    /* A pair's r does not depend on the other units: each layer's mean is
     * over its diagonal block of the joint matrix. */
    for (size_t h = 1, col = 0; h <= n_hidden; col += s->config.sizes[h], h++) {
        size_t u = s->config.sizes[h];
        double sum = 0.0;
        for (size_t i = 0; i < u; i++)
            for (size_t j = i + 1; j < u; j++)
                sum += m->corr[(col + i) * p + col + j];
        int ok = !st && u >= 2;
        set_layer_key(s, METRIC_FC_MEAN_LAYER, h, ok ? sum / ((double)u * (double)(u - 1) / 2.0) : NAN);
    }
    return ST_OK;
}

/* Windowed multislice: flex_* keys and flex_hl<h>. */
static Status windowed(ActivityMetric *m, Snapshot *s, size_t n, size_t p, char *msg)
{
    int reps = atomic_load(&m->settings->flexreps);
    int want = atomic_load(&m->settings->windows);
    if (reps <= 0)
        return ST_OK;
    reps = reps > FLEXREPS_MAX ? FLEXREPS_MAX : reps;
    size_t t = 0, len = 0;
    int planned = want > 0 && activity_window_plan(n, (size_t)want, &t, &len) && p >= 2;
    metric_put(s, METRIC_FLEX_REPS, NULL, (double)reps);
    metric_put(s, METRIC_FLEX_WINDOWS, NULL, planned ? (double)t : NAN);
    metric_put(s, METRIC_FLEX_WINDOW_LEN, NULL, planned ? (double)len : NAN);
    static const MetricId keys[] = {METRIC_FLEX_SYSTEM, METRIC_FLEX_Q, METRIC_FLEX_Q_MIN, METRIC_FLEX_Q_MAX,
                                    METRIC_FLEX_COMMUNITIES};
    double vals[5] = {NAN, NAN, NAN, NAN, NAN};
    size_t n_hidden = s->config.n_layers - 2;
    Status st = planned ? ST_OK : ST_EINVAL;
    if (!st)
        st = activity_flex_build(m->flex, m->x, n, p, p, t, len, 1.0, 1.0, 0, msg);
    size_t nt = p * t;
    if (!st)
        st = grow((void **)&m->parts, &m->parts_cap, (size_t)reps * nt, sizeof(int), msg);
    if (!st)
        st = grow((void **)&m->q, &m->q_cap, (size_t)reps, sizeof(double), msg);
    if (!st)
        st = grow((void **)&m->node, &m->node_cap, p, sizeof(double), msg);
    LouvainSummary sum;
    FlexSummary fs;
    if (!st) {
        LouvainOp op;
        activity_flex_op(m->flex, &op);
        uint64_t seed = rng_epoch_seed(m->seed, s->epoch);
        st = louvain_run_range(&op, seed, ACTIVITY_FLEX_STREAM0, 0, (size_t)reps, m->q, m->parts, NULL, msg);
    }
    if (!st)
        st = louvain_summarize(m->q, (size_t)reps, &sum, msg);
    if (!st)
        st = activity_flex_summarize(m->flex, m->parts + sum.best * nt, m->node, &fs, msg);
    if (fatal(st))
        return st;
    if (!st) {
        vals[0] = fs.system;
        vals[1] = sum.q_best;
        vals[2] = sum.q_min;
        vals[3] = sum.q_max;
        vals[4] = (double)fs.communities;
    }
    for (size_t k = 0; k < 5; k++)
        metric_put(s, keys[k], NULL, vals[k]);
    if (n_hidden < 2)
        return ST_OK;
    for (size_t h = 1, col = 0; h <= n_hidden; col += s->config.sizes[h], h++) {
        size_t u = s->config.sizes[h];
        double f = 0.0;
        for (size_t i = 0; i < u && !st; i++)
            f += m->node[col + i];
        set_layer_key(s, METRIC_FLEX_LAYER, h, st || u == 0 ? NAN : f / (double)u);
    }
    return ST_OK;
}

/* entropy_nats, entropy_ridge, entropy_dim, entropy_hl<h>. */
static Status entropy_keys(ActivityMetric *m, Snapshot *s, size_t n, size_t p, char *msg)
{
    EntropyResult er;
    Status st = entropy_gaussian_f(m->x, n, p, p, ACTIVITY_RIDGE, &er, msg);
    if (fatal(st))
        return st;
    metric_put(s, METRIC_ENTROPY_NATS, NULL, st ? NAN : er.entropy_nats);
    metric_put(s, METRIC_ENTROPY_RIDGE, NULL, st ? NAN : (double)er.ridge_needed);
    metric_put(s, METRIC_ENTROPY_DIM, NULL, st ? NAN : (double)er.d);
    size_t n_hidden = s->config.n_layers - 2;
    if (n_hidden < 2)
        return ST_OK;
    for (size_t h = 1, col = 0; h <= n_hidden; col += s->config.sizes[h], h++) {
        st = entropy_gaussian_f(m->x + col, n, s->config.sizes[h], p, ACTIVITY_RIDGE, &er, msg);
        if (fatal(st))
            return st;
        set_layer_key(s, METRIC_ENTROPY_LAYER, h, st ? NAN : er.entropy_nats);
    }
    return ST_OK;
}

Status activity_metric_epoch(Snapshot *s, void *ctx, char *msg)
{
    ActivityMetric *m = ctx;
    size_t n = s->n_probe, p;
    if (n == 0 || activity_units(&s->config, ACTIVITY_ALL_HIDDEN, &p, NULL) || p == 0)
        return ST_OK;
    size_t np;
    if (size_mul(n, p, &np))
        return status_fail(msg, ST_EINVAL, "%zu probe items × %zu units are too many", n, p);
    Status st = grow((void **)&m->x, &m->x_cap, np, sizeof(float), msg);
    if (st)
        return st;
    if (activity_gather(s, ACTIVITY_ALL_HIDDEN, m->x, NULL))
        return ST_OK; /* no activations in this snapshot: nothing to measure */
    Moments mo;
    Status mst = moments_compute_f(m->x, np, 1, &mo, NULL);
    metric_put(s, METRIC_ACT_MEAN, NULL, mst ? NAN : mo.mean);
    metric_put(s, METRIC_ACT_STD, NULL, mst ? NAN : mo.std);
    metric_put(s, METRIC_ACT_SKEW, NULL, mst ? NAN : mo.skewness);
    metric_put(s, METRIC_ACT_KURT, NULL, mst ? NAN : mo.kurtosis);
    if ((st = whole_fc(m, s, n, p, msg)) || (st = entropy_keys(m, s, n, p, msg)))
        return st;
    return windowed(m, s, n, p, msg);
}
