#include "neurotop/measure/metrics_activity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/model/model.h"
#include "neurotop/run/metrics.h"

void activity_settings_init(ActivitySettings *s, int flexreps, int windows)
{
    atomic_init(&s->flexreps, flexreps);
    atomic_init(&s->windows, windows);
    atomic_init(&s->slices, ACTIVITY_SLICES_KIND);
    atomic_init(&s->units, ACTIVITY_LIVE_UNITS);
}

size_t activity_live_sample(const ModelConfig *cfg, size_t most, size_t *idx, size_t *per_layer)
{
    size_t n_hidden = cfg->n_layers >= 2 ? cfg->n_layers - 2 : 0, p = 0, k = 0;
    for (size_t h = 1; h <= n_hidden; h++)
        p += cfg->sizes[h];
    for (size_t h = 1, col = 0; h <= n_hidden; col += cfg->sizes[h], h++) {
        size_t u = cfg->sizes[h], take = u;
        if (most && p > most) {
            take = (size_t)((double)u * (double)most / (double)p + 0.5);
            take = take < 2 ? 2 : take > u ? u : take;
        }
        for (size_t j = 0; j < take; j++)
            idx[k++] = col + j * u / take;
        per_layer[h - 1] = take;
    }
    return k;
}

Status activity_slices_parse(const char *text, const char *what, ActivitySlices *out, char *msg)
{
    if (strcmp(text, "epochs") == 0)
        *out = ACTIVITY_SLICES_EPOCHS;
    else if (strcmp(text, "probe") == 0)
        *out = ACTIVITY_SLICES_PROBE;
    else
        return status_fail(msg, ST_EINVAL, "%s must be epochs or probe, not '%s'", what, text);
    return ST_OK;
}

int activity_probe_is_stream(const ModelConfig *cfg)
{
    const ModelKind *k = model_kind_of(cfg);
    return k && k->ops.sequential;
}

ActivitySlices activity_slices_resolve(const ModelConfig *cfg, int wanted)
{
    if (wanted == ACTIVITY_SLICES_EPOCHS || wanted == ACTIVITY_SLICES_PROBE)
        return (ActivitySlices)wanted;
    return activity_probe_is_stream(cfg) ? ACTIVITY_SLICES_PROBE : ACTIVITY_SLICES_EPOCHS;
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

Status activity_fc_units(const ModelConfig *cfg, int layer, size_t *units, char *msg)
{
    Status st = activity_units(cfg, layer, units, msg);
    if (!st && *units > ACTIVITY_MAX_UNITS)
        st = status_fail(msg, ST_EINVAL,
                         "unit-by-unit correlations are computed for at most %d units, and this %s "
                         "selection has %zu (pick one hidden layer with fewer units)",
                         ACTIVITY_MAX_UNITS, cfg->kind, *units);
    return st;
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

/* ---- the per-epoch hook ------------------------------------------------ */

/* The whole-probe correlation matrices of the last epochs, oldest first
 * from `head`, in a ring of cap slots. */
typedef struct {
    size_t p, cap, count, head;
    size_t last_epoch;
    double *fc; /* cap × p² */
} FcHistory;

struct ActivityMetric {
    ActivitySettings *settings;
    uint64_t seed;
    size_t layer_units[MODEL_MAX_LAYERS]; /* units of each hidden layer measured (the sample's) */
    size_t *sample;      /* the sampled units' indices */
    size_t sample_cap;
    float *x;            /* n_probe × p gathered activations */
    size_t x_cap;
    double *corr;        /* p × p whole-probe correlations */
    size_t corr_cap;
    int corr_ok;         /* corr holds this epoch's matrix */
    double *node;        /* p node flexibilities */
    size_t node_cap;
    int *parts;          /* reps × p·t Louvain partitions */
    size_t parts_cap;
    double *q;           /* reps Q values */
    size_t q_cap;
    const double **slices; /* t borrowed slice pointers, oldest first */
    size_t slices_cap;
    FcHistory hist;
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
    free(m->sample);
    free(m->corr);
    free(m->node);
    free(m->parts);
    free(m->q);
    free(m->slices);
    free(m->hist.fc);
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
    m->corr_ok = 0;
    Status st = grow((void **)&m->corr, &m->corr_cap, p * p, sizeof(double), msg);
    if (st)
        return st;
    st = ST_EINVAL;
    if (p >= 2) {
        st = fc_correlation_f(m->x, n, p, p, FC_ZERO_DIAGONAL, m->corr, &silent, msg);
        if (!st)
            st = fc_summary(m->corr, p, &mean, &mabs, msg);
    }
    if (fatal(st))
        return st;
    m->corr_ok = !st;
    metric_put(s, METRIC_FC_MEAN, NULL, st ? NAN : mean);
    metric_put(s, METRIC_FC_MEAN_ABS, NULL, st ? NAN : mabs);
    metric_put(s, METRIC_FC_SILENT, NULL, st ? NAN : (double)silent);
    size_t n_hidden = s->config.n_layers - 2;
    if (n_hidden < 2)
        return ST_OK;
    /* A pair's r does not depend on the other units: each layer's mean is
     * over its diagonal block of the joint matrix. */
    for (size_t h = 1, col = 0; h <= n_hidden; col += m->layer_units[h - 1], h++) {
        size_t u = m->layer_units[h - 1];
        double sum = 0.0;
        for (size_t i = 0; i < u && !st; i++)
            for (size_t j = i + 1; j < u; j++)
                sum += m->corr[(col + i) * p + col + j];
        int ok = !st && u >= 2;
        set_layer_key(s, METRIC_FC_MEAN_LAYER, h, ok ? sum / ((double)u * (double)(u - 1) / 2.0) : NAN);
    }
    return ST_OK;
}

/* ---- the history of epochs -------------------------------------------- */

static double *hist_slot(FcHistory *h, size_t k)
{
    return h->fc + ((h->head + k) % h->cap) * h->p * h->p;
}

/* Room for `cap` matrices of p × p, keeping the newest ones in order
 * (another p empties the history). */
static Status hist_reserve(FcHistory *h, size_t p, size_t cap, char *msg)
{
    if (h->p != p) {
        free(h->fc);
        *h = (FcHistory){.p = p};
    }
    if (cap <= h->cap)
        return ST_OK;
    size_t pp, total;
    if (size_mul(p, p, &pp) || size_mul(pp, cap, &total) || total > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu epochs of %zu units are too many", cap, p);
    double *fc = malloc(total * sizeof *fc);
    if (!fc)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu epochs of %zu units", cap, p);
    for (size_t k = 0; k < h->count; k++)
        memcpy(fc + k * pp, hist_slot(h, k), pp * sizeof *fc);
    free(h->fc);
    h->fc = fc;
    h->cap = cap;
    h->head = 0;
    return ST_OK;
}

/* This epoch's matrix (NULL when undefined) into the history, which keeps
 * consecutive epochs only. */
static Status hist_push(FcHistory *h, size_t epoch, const double *corr, size_t p, size_t want, char *msg)
{
    int follows = h->count > 0 && h->p == p && epoch == h->last_epoch + 1;
    if (!follows)
        h->count = h->head = 0;
    if (!corr) {
        h->last_epoch = epoch;
        return ST_OK;
    }
    /* At least 2 slots, so a history goes on while L is below 2. */
    size_t cap = want > h->cap ? want : h->cap;
    Status st = hist_reserve(h, p, cap < 2 ? 2 : cap, msg);
    h->last_epoch = epoch; /* after the reserve, which starts a new unit count afresh */
    if (st)
        return st;
    if (h->count == h->cap) { /* full: the oldest slot takes the new matrix */
        h->head = (h->head + 1) % h->cap;
        h->count--;
    }
    memcpy(hist_slot(h, h->count), corr, p * p * sizeof *corr);
    h->count++;
    return ST_OK;
}

/* ---- flexibility over slices ------------------------------------------ */

/* The keys of one form: flex_* (slices in time) or flex_sub_* (windows of
 * independent items). */
typedef struct {
    MetricId system, system_min, system_max, q, q_min, q_max, communities, layer;
} FlexKeys;

static const FlexKeys TIME_KEYS = {METRIC_FLEX_SYSTEM, METRIC_FLEX_SYSTEM_MIN, METRIC_FLEX_SYSTEM_MAX,
                                   METRIC_FLEX_Q,      METRIC_FLEX_Q_MIN,      METRIC_FLEX_Q_MAX,
                                   METRIC_FLEX_COMMUNITIES, METRIC_FLEX_LAYER};
static const FlexKeys SUB_KEYS = {METRIC_FLEX_SUB_SYSTEM, METRIC_FLEX_SUB_SYSTEM_MIN, METRIC_FLEX_SUB_SYSTEM_MAX,
                                  METRIC_FLEX_SUB_Q,      METRIC_FLEX_SUB_Q_MIN,      METRIC_FLEX_SUB_Q_MAX,
                                  METRIC_FLEX_SUB_COMMUNITIES, METRIC_FLEX_SUB_LAYER};

/* Louvain on the network m->flex holds (built when st is ST_OK), and its
 * keys: NaN for a network that could not be built. */
static Status solve_and_put(ActivityMetric *m, Snapshot *s, Status st, size_t p, int reps, const FlexKeys *k,
                            char *msg)
{
    size_t nt = p * activity_flex_layers(m->flex);
    if (!st)
        st = grow((void **)&m->parts, &m->parts_cap, (size_t)reps * nt, sizeof(int), msg);
    if (!st)
        st = grow((void **)&m->q, &m->q_cap, (size_t)reps, sizeof(double), msg);
    if (!st)
        st = grow((void **)&m->node, &m->node_cap, p, sizeof(double), msg);
    LouvainSummary sum;
    FlexSummary fs;
    double lo = NAN, hi = NAN;
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
    if (!st)
        st = activity_flex_system_range(m->flex, m->parts, (size_t)reps, &lo, &hi, msg);
    if (fatal(st))
        return st;
    metric_put(s, k->system, NULL, st ? NAN : fs.system);
    metric_put(s, k->system_min, NULL, st ? NAN : lo);
    metric_put(s, k->system_max, NULL, st ? NAN : hi);
    metric_put(s, k->q, NULL, st ? NAN : sum.q_best);
    metric_put(s, k->q_min, NULL, st ? NAN : sum.q_min);
    metric_put(s, k->q_max, NULL, st ? NAN : sum.q_max);
    metric_put(s, k->communities, NULL, st ? NAN : (double)fs.communities);
    size_t n_hidden = s->config.n_layers - 2;
    if (n_hidden < 2)
        return ST_OK;
    for (size_t h = 1, col = 0; h <= n_hidden; col += m->layer_units[h - 1], h++) {
        size_t u = m->layer_units[h - 1];
        double f = 0.0;
        for (size_t i = 0; i < u && !st; i++)
            f += m->node[col + i];
        set_layer_key(s, k->layer, h, st || u == 0 ? NAN : f / (double)u);
    }
    return ST_OK;
}

/* Windows of the probe items as slices: flex_windows, flex_window_len and
 * the keys of `k`. */
static Status over_windows(ActivityMetric *m, Snapshot *s, size_t n, size_t p, int reps, int want,
                           const FlexKeys *k, char *msg)
{
    size_t t = 0, len = 0;
    int planned = want > 0 && activity_window_plan(n, (size_t)want, &t, &len) && p >= 2;
    metric_put(s, METRIC_FLEX_WINDOWS, NULL, planned ? (double)t : NAN);
    metric_put(s, METRIC_FLEX_WINDOW_LEN, NULL, planned ? (double)len : NAN);
    Status st = planned ? ST_OK : ST_EINVAL;
    if (!st)
        st = activity_flex_build(m->flex, m->x, n, p, p, t, len, 1.0, 1.0, 0, msg);
    if (fatal(st))
        return st;
    return solve_and_put(m, s, st, p, reps, k, msg);
}

/* The last L epochs as slices: flex_epochs, flex_epochs_held and flex_*,
 * undefined until L consecutive epochs are held. */
static Status over_epochs(ActivityMetric *m, Snapshot *s, size_t p, int reps, int want, char *msg)
{
    size_t L = want >= 2 ? (size_t)want : 0;
    FcHistory *h = &m->hist;
    Status st = hist_push(h, s->epoch, m->corr_ok ? m->corr : NULL, p, L, msg);
    if (st)
        return st;
    size_t held = h->count < L ? h->count : L;
    metric_put(s, METRIC_FLEX_EPOCHS, NULL, L ? (double)L : NAN);
    metric_put(s, METRIC_FLEX_EPOCHS_HELD, NULL, (double)held);
    if (reps <= 0)
        return ST_OK;
    st = L && held == L ? ST_OK : ST_EINVAL;
    if (!st)
        st = grow((void **)&m->slices, &m->slices_cap, L, sizeof *m->slices, msg);
    if (!st) {
        for (size_t k = 0; k < L; k++)
            m->slices[k] = hist_slot(h, h->count - L + k);
        st = activity_flex_build_slices(m->flex, m->slices, p, L, 1.0, 1.0, msg);
    }
    if (fatal(st))
        return st;
    return solve_and_put(m, s, st, p, reps, &TIME_KEYS, msg);
}

/* The multislice part: its slices as the settings and the kind say. */
static Status flexibility(ActivityMetric *m, Snapshot *s, size_t n, size_t p, char *msg)
{
    int reps = atomic_load(&m->settings->flexreps);
    int want = atomic_load(&m->settings->windows);
    ActivitySlices slices = activity_slices_resolve(&s->config, atomic_load(&m->settings->slices));
    reps = reps > FLEXREPS_MAX ? FLEXREPS_MAX : reps;
    want = want > FC_WINDOWS_MAX ? FC_WINDOWS_MAX : want;
    if (reps > 0)
        metric_put(s, METRIC_FLEX_REPS, NULL, (double)reps);
    /* The history goes on while the multislice part is off, so turning it
     * on (:set flexreps) finds the last epochs at once. */
    if (slices == ACTIVITY_SLICES_EPOCHS)
        return over_epochs(m, s, p, reps, want, msg);
    if (reps <= 0)
        return ST_OK;
    const FlexKeys *k = activity_probe_is_stream(&s->config) ? &TIME_KEYS : &SUB_KEYS;
    return over_windows(m, s, n, p, reps, want, k, msg);
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
    for (size_t h = 1, col = 0; h <= n_hidden; col += m->layer_units[h - 1], h++) {
        st = entropy_gaussian_f(m->x + col, n, m->layer_units[h - 1], p, ACTIVITY_RIDGE, &er, msg);
        if (fatal(st))
            return st;
        set_layer_key(s, METRIC_ENTROPY_LAYER, h, st ? NAN : er.entropy_nats);
    }
    return ST_OK;
}

/* The probe activations of the hidden units measured live into m->x (n ×
 * *p): every unit, or the fixed sample of settings->units when there are
 * more; m->layer_units gets each layer's count. *p = 0: nothing to measure
 * (no probe, no activations in this snapshot, or too many units). */
static Status live_gather(ActivityMetric *m, const Snapshot *s, size_t *p, char *msg)
{
    size_t n = s->n_probe, all, np;
    *p = 0;
    if (n == 0 || activity_units(&s->config, ACTIVITY_ALL_HIDDEN, &all, NULL) || all == 0)
        return ST_OK;
    if (size_mul(n, all, &np))
        return status_fail(msg, ST_EINVAL, "%zu probe items × %zu units are too many", n, all);
    Status st = grow((void **)&m->x, &m->x_cap, np, sizeof(float), msg);
    if (!st)
        st = grow((void **)&m->sample, &m->sample_cap, all, sizeof *m->sample, msg);
    if (st)
        return st;
    if (activity_gather(s, ACTIVITY_ALL_HIDDEN, m->x, NULL))
        return ST_OK;
    int want = atomic_load(&m->settings->units);
    size_t k = activity_live_sample(&s->config, want > 0 ? (size_t)want : 0, m->sample, m->layer_units);
    if (k > ACTIVITY_MAX_UNITS)
        return ST_OK; /* too many for k × k matrices: set units lower */
    if (k < all) /* rows compacted in place: each value moves down, never up */
        for (size_t r = 0; r < n; r++)
            for (size_t j = 0; j < k; j++)
                m->x[r * k + j] = m->x[r * all + m->sample[j]];
    *p = k;
    return ST_OK;
}

Status activity_metric_epoch(Snapshot *s, void *ctx, char *msg)
{
    ActivityMetric *m = ctx;
    size_t n = s->n_probe, p;
    Status st = live_gather(m, s, &p, msg);
    if (st || p == 0)
        return st;
    size_t np = n * p;
    metric_put(s, METRIC_ACTIVITY_UNITS, NULL, (double)p);
    Moments mo;
    Status mst = moments_compute_f(m->x, np, 1, &mo, NULL);
    metric_put(s, METRIC_ACT_MEAN, NULL, mst ? NAN : mo.mean);
    metric_put(s, METRIC_ACT_STD, NULL, mst ? NAN : mo.std);
    metric_put(s, METRIC_ACT_SKEW, NULL, mst ? NAN : mo.skewness);
    metric_put(s, METRIC_ACT_KURT, NULL, mst ? NAN : mo.kurtosis);
    if ((st = whole_fc(m, s, n, p, msg)) || (st = entropy_keys(m, s, n, p, msg)))
        return st;
    return flexibility(m, s, n, p, msg);
}

Status activity_metric_prime(ActivityMetric *m, const Snapshot *s, char *msg)
{
    size_t n = s->n_probe, p;
    if (activity_slices_resolve(&s->config, atomic_load(&m->settings->slices)) != ACTIVITY_SLICES_EPOCHS)
        return ST_OK;
    Status st = live_gather(m, s, &p, msg);
    if (st || p < 2)
        return st;
    if ((st = grow((void **)&m->corr, &m->corr_cap, p * p, sizeof(double), msg)))
        return st;
    size_t silent = 0;
    st = fc_correlation_f(m->x, n, p, p, FC_ZERO_DIAGONAL, m->corr, &silent, msg);
    if (fatal(st))
        return st;
    int want = atomic_load(&m->settings->windows);
    want = want > FC_WINDOWS_MAX ? FC_WINDOWS_MAX : want;
    return hist_push(&m->hist, s->epoch, st ? NULL : m->corr, p, want >= 2 ? (size_t)want : 0, msg);
}
