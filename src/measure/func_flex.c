/* Flexibility and allegiance (func.h): of a given multilayer
 * partition (analyze flexibility|allegiance --partitions F) and of the one
 * a snapshot's probe activations give (:flex, :allegiance), over epochs or
 * windows of the probe. */
#include "neurotop/measure/func.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"
#include "jobs_source.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/weightq.h"

const char *const FLEX_SLICE_WORDS[] = {"epochs", "probe", NULL};

/* ---- the result of a partition --------------------------------------- */

Status flex_result_compute(const MultiPartition *p, unsigned what, FlexResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->n = p->n_nodes;
    r->t = p->n_layers;
    r->system = NAN;
    size_t n = p->n_nodes, nn;
    Status st = ST_OK;
    if (what & FLEX_NODES) {
        if (!(r->node = malloc((n ? n : 1) * sizeof *r->node)))
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu nodes", n);
        st = flexibility_compute(p, r->node, &r->system, msg);
    }
    if (!st && (what & FLEX_ALLEGIANCE)) {
        if (size_mul(n, n, &nn) || nn > SIZE_MAX / sizeof(double))
            st = status_fail(msg, ST_EINVAL, "%zu nodes give too large an allegiance matrix", n);
        else if (!(r->matrix = malloc((nn ? nn : 1) * sizeof *r->matrix)))
            st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu allegiance matrix", n, n);
        else
            st = flexibility_allegiance(p, r->matrix, msg);
    }
    if (st)
        flex_result_done(r);
    return st;
}

void flex_result_done(FlexResult *r)
{
    free(r->node);
    free(r->matrix);
    r->node = NULL;
    r->matrix = NULL;
}

/* ---- the partition of a snapshot ------------------------------------- */

void flex_fit_done(FlexFit *f)
{
    free(f->best);
    free(f->modal);
    free(f->order);
    free(f->bounds);
    free(f->epochs);
    f->best = f->modal = NULL;
    f->order = f->bounds = f->epochs = NULL;
}

MultiPartition flex_fit_partition(const FlexFit *f)
{
    return flexibility_partition_layers(f->best, f->p, f->t);
}

/* reps Louvain runs on the windowed multislice; the best run's labels into
 * f->best. */
static Status fit_runs(Job *job, const ActivityFlex *flex, FlexFit *f, char *msg)
{
    size_t pt = f->p * f->t;
    double *q = malloc(f->reps * sizeof *q);
    int *parts = f->reps <= SIZE_MAX / sizeof(int) / pt ? malloc(f->reps * pt * sizeof *parts) : NULL;
    f->best = malloc(pt * sizeof *f->best);
    Status st = ST_OK;
    if (!q || !parts || !f->best)
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs on %zu × %zu node-layers", f->reps,
                         f->p, f->t);
    LouvainOp op;
    activity_flex_op(flex, &op);
    /* Runs in slices so progress and Esc are seen between them. */
    size_t slice = f->reps / 20 ? f->reps / 20 : 1;
    for (size_t r0 = 0; r0 < f->reps && !st; r0 += slice) {
        size_t r1 = r0 + slice < f->reps ? r0 + slice : f->reps;
        st = community_run_range(&op, &f->algo, f->seed, 0, r0, r1, q, parts, job_cancel_flag(job), msg);
        job_set_progress(job, 0.05 + 0.9 * (double)r1 / (double)f->reps);
    }
    if (!st)
        st = louvain_summarize(q, f->reps, &f->sum, msg);
    if (!st)
        memcpy(f->best, parts + f->sum.best * pt, pt * sizeof *f->best);
    free(q);
    free(parts);
    return st;
}

/* Each unit's most frequent label over the windows (ties: the smallest
 * label), and the unit order module by module. */
static Status fit_modules(FlexFit *f, char *msg)
{
    size_t p = f->p, k = f->communities;
    f->modal = malloc(p * sizeof *f->modal);
    f->order = malloc(p * sizeof *f->order);
    f->bounds = malloc((p + 1) * sizeof *f->bounds);
    size_t *count = calloc(k + 1, sizeof *count);
    if (!f->modal || !f->order || !f->bounds || !count) {
        free(count);
        return status_fail(msg, ST_ENOMEM, "out of memory for the modules of %zu units", p);
    }
    for (size_t i = 0; i < p; i++) {
        memset(count, 0, (k + 1) * sizeof *count);
        for (size_t s = 0; s < f->t; s++) {
            int l = f->best[s * p + i];
            if (l >= 1 && (size_t)l <= k)
                count[l]++;
        }
        size_t best = 1;
        for (size_t l = 2; l <= k; l++)
            if (count[l] > count[best])
                best = l;
        f->modal[i] = (int)best;
    }
    free(count);
    return flexibility_module_order(f->modal, p, f->order, &f->n_modules, f->bounds, msg);
}

/* Louvain on the built network, the communities of the best run and the
 * modules. */
static Status fit_solve(Job *job, const ActivityFlex *flex, FlexFit *f, char *msg)
{
    Status st = fit_runs(job, flex, f, msg);
    FlexSummary fs;
    if (!st && !(st = activity_flex_summarize(flex, f->best, NULL, &fs, msg)))
        f->communities = fs.communities;
    if (!st)
        st = fit_modules(f, msg);
    return st;
}

static FlexFit fit_init(const AnalysisArgs *a, size_t n, size_t p)
{
    return (FlexFit){.layer = a->layer, .n = n, .p = p, .reps = a->reps > 0 ? (size_t)a->reps : 1,
                     .algo = params_algo(a), .omega = a->omega, .gamma = a->gamma,
                     .regress_mean = a->regress_mean, .seed = a->seed};
}

Status flex_fit_compute(Job *job, const float *x, size_t n, size_t p, const AnalysisArgs *a, FlexFit *f,
                        char *msg)
{
    *f = fit_init(a, n, p);
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a functional network needs at least 2 units, the selection has %zu", p);
    if (a->windows < 2 || !activity_window_plan(n, (size_t)a->windows, &f->t, &f->len))
        return status_fail(msg, ST_EINVAL,
                           "%zu probe items do not make 2 windows of at least %d items (asked for %ld windows)", n,
                           FC_WINDOW_MIN_LEN, a->windows);
    unsigned flags = jobs_fc_flags(a);
    double *corr = malloc(p * p * sizeof *corr);
    if (!corr)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-unit correlation matrix", p);
    Status st = fc_correlation_f(x, n, p, p, FC_ZERO_DIAGONAL | flags, corr, NULL, msg);
    if (!st)
        st = fc_summary(corr, p, &f->fc_mean, &f->fc_mean_abs, msg);
    free(corr);
    ActivityFlex *flex = NULL;
    if (!st)
        st = activity_flex_new(&flex, msg);
    if (!st)
        st = activity_flex_build(flex, x, n, p, p, f->t, f->len, f->omega, f->gamma, flags, msg);
    job_set_progress(job, 0.05);
    if (!st)
        st = fit_solve(job, flex, f, msg);
    activity_flex_free(flex);
    if (st)
        flex_fit_done(f);
    return st;
}

Status flex_fit_compute_slices(Job *job, const double *const *fc, const size_t *epochs, size_t t, size_t n,
                               size_t p, const AnalysisArgs *a, FlexFit *f, char *msg)
{
    *f = fit_init(a, n, p);
    f->over_epochs = 1;
    f->time = 1;
    f->t = t;
    f->len = n;
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a functional network needs at least 2 units, the selection has %zu", p);
    if (t < 2)
        return status_fail(msg, ST_EINVAL, "flexibility needs at least 2 slices, not %zu", t);
    if (!(f->epochs = malloc(t * sizeof *f->epochs)))
        return status_fail(msg, ST_ENOMEM, "out of memory");
    memcpy(f->epochs, epochs, t * sizeof *f->epochs);
    Status st = fc_summary(fc[t - 1], p, &f->fc_mean, &f->fc_mean_abs, msg);
    ActivityFlex *flex = NULL;
    if (!st)
        st = activity_flex_new(&flex, msg);
    if (!st)
        st = activity_flex_build_slices(flex, fc, p, t, f->omega, f->gamma, msg);
    job_set_progress(job, 0.05);
    if (!st)
        st = fit_solve(job, flex, f, msg);
    activity_flex_free(flex);
    if (st)
        flex_fit_done(f);
    return st;
}

/* ---- documents -------------------------------------------------------- */

static void fit_json_fields(const FlexFit *f, JsonWriter *w)
{
    json_kv_int(w, "units", (long long)f->p);
    json_kv_string(w, "slices", f->over_epochs ? "epochs" : "probe");
    json_key(w, "time");
    json_bool(w, f->time);
    if (f->over_epochs) {
        json_key(w, "epochs");
        json_array_begin(w);
        for (size_t k = 0; k < f->t; k++)
            json_int(w, (long long)f->epochs[k]);
        json_array_end(w);
        json_kv_int(w, "probe_items", (long long)f->n);
    } else {
        json_kv_int(w, "windows", (long long)f->t);
        json_kv_int(w, "window_len", (long long)f->len);
    }
    json_kv_real(w, "omega", f->omega);
    json_kv_real(w, "gamma", f->gamma);
    json_kv_string(w, "signed", "sym");
    json_key(w, "regress_mean");
    json_bool(w, f->regress_mean);
    json_kv_int(w, "reps", (long long)f->reps);
    weightq_algo_json(w, &f->algo);
    json_kv_int(w, "seed", (long long)f->seed);
    json_kv_real(w, "Q", f->sum.q_best);
    json_kv_real(w, "q_mean", f->sum.q_mean);
    json_kv_real(w, "q_sd", f->sum.q_sd);
    json_kv_real(w, "q_min", f->sum.q_min);
    json_kv_real(w, "q_max", f->sum.q_max);
    json_kv_int(w, "n_communities", (long long)f->communities);
    json_kv_real(w, "fc_mean", f->fc_mean);
    json_kv_real(w, "fc_mean_abs", f->fc_mean_abs);
    json_key(w, "module_order");
    json_array_begin(w);
    for (size_t i = 0; i < f->p; i++)
        json_int(w, (long long)f->order[i]);
    json_array_end(w);
    json_key(w, "module_bounds");
    json_array_begin(w);
    for (size_t m = 0; m <= f->n_modules; m++)
        json_int(w, (long long)f->bounds[m]);
    json_array_end(w);
    json_key(w, "partitions");
    json_int_matrix(w, f->best, f->t, f->p);
}

void flexibility_json(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JsonWriter *w)
{
    jobs_functional_json_open(w, s, fit ? fit->layer : JOBS_NO_LAYER);
    if (fit)
        fit_json_fields(fit, w);
    json_key(w, "node");
    json_real_array(w, r->node, r->n);
    json_kv_real(w, "system", r->system);
    json_object_end(w);
}

void allegiance_json(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JsonWriter *w)
{
    jobs_functional_json_open(w, s, fit ? fit->layer : JOBS_NO_LAYER);
    if (fit)
        fit_json_fields(fit, w);
    json_key(w, "matrix");
    json_real_matrix(w, r->matrix, r->n, r->n);
    json_object_end(w);
}

/* ---- the jobs --------------------------------------------------------- */

/* The whole-probe correlation matrix of the selection at one epoch into
 * out and its probe items into *n: 1 when it was found, 0 when the epoch
 * has no snapshot with probe activations (nothing written). */
static int epoch_fc(EpochSource *src, size_t epoch, const AnalysisArgs *a, size_t p, double *out, size_t *n,
                    Status *st, char *msg)
{
    Snapshot *se = NULL;
    float *x = NULL;
    size_t pe = 0;
    *st = epoch_source_get(src, epoch, 1, &se, msg);
    if (*st == ST_ENOTFOUND) {
        *st = ST_OK;
        return 0;
    }
    if (!*st)
        *st = jobs_gather_hidden(se, a->layer, &x, &pe, msg);
    if (!*st && pe != p)
        *st = status_fail(msg, ST_EINVAL, "epoch %zu has %zu units in the selection, not %zu", epoch, pe, p);
    if (!*st)
        *st = fc_correlation_f(x, se->n_probe, p, p, FC_ZERO_DIAGONAL | jobs_fc_flags(a), out, NULL, msg);
    if (!*st)
        *n = se->n_probe;
    free(x);
    snapshot_release(se);
    return !*st;
}

/* The fit over the last recorded epochs up to the snapshot's. */
static Status fit_over_epochs(Job *job, const Snapshot *s, const AnalysisArgs *a, FlexFit *fit, char *msg)
{
    size_t p, t = (size_t)a->windows;
    int given = (a->given & ((uint64_t)1 << PARAM_WINDOWS)) != 0;
    Status st = activity_fc_units(&s->config, a->layer, &p, msg);
    if (st)
        return st;
    if (!given && t > s->epoch + 1)
        t = s->epoch + 1;
    if (t < 2)
        return status_fail(msg, ST_EINVAL,
                           "flexibility over epochs needs 2 epochs and epoch 0 is the first; --slices probe "
                           "uses windows of its probe items");
    size_t pp;
    if (size_mul(p, p, &pp) || pp > SIZE_MAX / sizeof(double) / t)
        return status_fail(msg, ST_EINVAL, "%zu epochs of %zu units are too many", t, p);
    double *fc = malloc(t * pp * sizeof *fc);
    const double **slices = malloc(t * sizeof *slices);
    size_t *epochs = malloc(t * sizeof *epochs);
    if (!fc || !slices || !epochs)
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu correlation matrices of %zu units", t, p);
    /* Newest first into the last slots, skipping epochs without a snapshot. */
    EpochSource src;
    epoch_source_init(&src, s, a);
    size_t found = 0, n = 0;
    for (size_t e = s->epoch + 1; !st && e-- > 0 && found < t;) {
        size_t ne = 0;
        if (epoch_fc(&src, e, a, p, fc + (t - 1 - found) * pp, &ne, &st, msg)) {
            n = found ? n : ne; /* the newest epoch's probe, as the shown one's */
            epochs[t - 1 - found++] = e;
        }
        if (!st && jobs_cancelled(job))
            st = status_fail(msg, ST_ECANCELED, "cancelled");
        job_set_progress(job, 0.05 * (double)found / (double)t);
    }
    epoch_source_done(&src);
    if (!st && found < 2)
        st = status_fail(msg, ST_EINVAL, "no epoch before %zu has a snapshot with probe activations", s->epoch);
    else if (!st && found < t && given)
        st = status_fail(msg, ST_EINVAL, "only %zu epochs up to %zu have a snapshot with probe activations, too few "
                         "for %zu slices", found, s->epoch, t);
    for (size_t k = 0; !st && k < found; k++)
        slices[k] = fc + (t - found + k) * pp;
    if (!st)
        st = flex_fit_compute_slices(job, slices, epochs + (t - found), found, n, p, a, fit, msg);
    free(fc);
    free(slices);
    free(epochs);
    return st;
}

/* The fit of the snapshot's selection, with its flexibility and allegiance
 * (the screens of both show both). */
static Status from_snapshot(Job *job, const Snapshot *s, const AnalysisArgs *a, FlexFit *fit, FlexResult *r,
                            char *msg)
{
    ActivitySlices wanted = ACTIVITY_SLICES_KIND;
    Status st = a->slices[0] ? activity_slices_parse(a->slices, "--slices", &wanted, msg) : ST_OK;
    if (st)
        return st;
    if (activity_slices_resolve(&s->config, (int)wanted) == ACTIVITY_SLICES_EPOCHS) {
        st = fit_over_epochs(job, s, a, fit, msg);
    } else {
        float *x = NULL;
        size_t p = 0;
        st = activity_fc_units(&s->config, a->layer, &p, msg);
        if (!st)
            st = jobs_gather_hidden(s, a->layer, &x, &p, msg);
        if (!st)
            st = flex_fit_compute(job, x, s->n_probe, p, a, fit, msg);
        fit->time = activity_probe_is_stream(&s->config);
        free(x);
    }
    if (!st) {
        MultiPartition mp = flex_fit_partition(fit);
        st = flex_result_compute(&mp, FLEX_NODES | FLEX_ALLEGIANCE, r, msg);
    }
    return st;
}

/* The N × T node-major partition CSV of docs/methods.md §2. */
static Status from_file(const AnalysisArgs *a, unsigned what, FlexResult *r, char *msg)
{
    const char *path = a->files[PARAM_PARTITIONS];
    if (!path)
        return status_fail(msg, ST_EINVAL, "a multilayer partition on files needs --partitions FILE");
    int *g = NULL;
    size_t n, t;
    Status st = labels_matrix_read(path, &g, &n, &t, msg);
    if (st)
        return st;
    MultiPartition mp = flexibility_partition_nodes(g, n, t);
    st = flex_result_compute(&mp, what, r, msg);
    free(g);
    return st;
}

typedef void (*FlexJsonFn)(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JsonWriter *w);
typedef Status (*FlexViewFn)(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JobResult *out);

static Status flex_job(Job *job, const Snapshot *s, const AnalysisArgs *a, unsigned what, FlexJsonFn json,
                       FlexViewFn view, JobResult *out, char *msg)
{
    FlexFit fit;
    FlexResult r;
    memset(&fit, 0, sizeof fit);
    memset(&r, 0, sizeof r);
    Status st = s ? from_snapshot(job, s, a, &fit, &r, msg) : from_file(a, what, &r, msg);
    if (!st && s && (st = view(&r, &fit, s, out)))
        status_fail(msg, st, "out of memory for the result on screen");
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        json(&r, s ? &fit : NULL, s, &w);
    }
    flex_result_done(&r);
    flex_fit_done(&fit);
    return st;
}

Status job_flex(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    return flex_job(job, s, a, FLEX_NODES, flexibility_json, flexibility_view, out, msg);
}

Status job_allegiance(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    return flex_job(job, s, a, FLEX_ALLEGIANCE, allegiance_json, allegiance_view, out, msg);
}
