/* :flex, :allegiance, :fc and :moments (jobs_functional.h): functional
 * networks of the hidden units from the probe activations. */
#include "neurotop/measure/jobs_functional.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_functional_internal.h"
#include "jobs_source.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/measure/metrics_activity.h"

/* ---- shared helpers ----------------------------------------------------- */

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
    if (!s)
        return;
    json_kv_int(w, "epoch", (long long)s->epoch);
    if (layer != JOBS_NO_LAYER) {
        char sel[64];
        jobs_selection_name(s, layer, sel, sizeof sel);
        json_kv_string(w, "layer", sel);
    }
}

/* ---- the multilayer partition of :flex and :allegiance ----------------- */

typedef struct {
    size_t n, p, t, len;   /* probe items, units, windows, window length */
    float *x;
    ActivityFlex *flex;
    size_t reps;
    double *q;
    int *parts;            /* reps × p·t layer-major */
    const int *best;       /* the best run's partition, into parts */
    LouvainSummary sum;
    FlexSummary fs;
    double *node;          /* per-unit flexibility */
    double fc_mean, fc_mean_abs;
    int *modal;            /* each unit's most frequent community */
    size_t *order, *bounds, n_modules;
    double *alleg;         /* p × p allegiance in unit order */
} Flex;

static void flex_done(Flex *f)
{
    free(f->x);
    activity_flex_free(f->flex);
    free(f->q);
    free(f->parts);
    free(f->node);
    free(f->modal);
    free(f->order);
    free(f->bounds);
    free(f->alleg);
}

/* The most frequent label of each unit over the windows (ties: the
 * smallest label), so units can be drawn module by module. */
static Status modal_labels(Flex *f, char *msg)
{
    size_t k = f->fs.communities;
    size_t *count = calloc(k + 1, sizeof *count);
    if (!count)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = 0; i < f->p; i++) {
        memset(count, 0, (k + 1) * sizeof *count);
        for (size_t s = 0; s < f->t; s++) {
            int l = f->best[s * f->p + i];
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
    return ST_OK;
}

static Status flex_run(Job *job, const Snapshot *s, const AnalysisArgs *a, Flex *f, char *msg)
{
    memset(f, 0, sizeof *f);
    f->n = s->n_probe;
    f->reps = a->reps > 0 ? (size_t)a->reps : 1;
    Status st = jobs_gather_hidden(s, a->layer, &f->x, &f->p, msg);
    if (st)
        return st;
    size_t p = f->p;
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a functional network needs at least 2 units, the selection has %zu", p);
    if (a->windows < 2 || !activity_window_plan(f->n, (size_t)a->windows, &f->t, &f->len))
        return status_fail(msg, ST_EINVAL,
                           "%zu probe items do not make 2 windows of at least %d items (asked for %ld windows)",
                           f->n, FC_WINDOW_MIN_LEN, a->windows);
    size_t pt = p * f->t;
    double *corr = malloc(p * p * sizeof *corr);
    f->q = malloc(f->reps * sizeof *f->q);
    f->parts = f->reps <= SIZE_MAX / sizeof(int) / pt ? malloc(f->reps * pt * sizeof(int)) : NULL;
    f->node = malloc(p * sizeof *f->node);
    f->modal = malloc(p * sizeof *f->modal);
    f->order = malloc(p * sizeof *f->order);
    f->bounds = malloc((p + 1) * sizeof *f->bounds);
    f->alleg = malloc(p * p * sizeof *f->alleg);
    if (!corr || !f->q || !f->parts || !f->node || !f->modal || !f->order || !f->bounds || !f->alleg) {
        free(corr);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs on %zu × %zu node-layers", f->reps,
                           p, f->t);
    }
    st = fc_correlation_f(f->x, f->n, p, p, FC_ZERO_DIAGONAL | jobs_fc_flags(a), corr, NULL, msg);
    if (!st)
        st = fc_summary(corr, p, &f->fc_mean, &f->fc_mean_abs, msg);
    free(corr);
    if (!st)
        st = activity_flex_new(&f->flex, msg);
    if (!st)
        st = activity_flex_build(f->flex, f->x, f->n, p, p, f->t, f->len, a->omega, a->gamma, jobs_fc_flags(a), msg);
    if (st)
        return st;
    job_set_progress(job, 0.05);
    LouvainOp op;
    activity_flex_op(f->flex, &op);
    /* Runs in slices so progress and Esc are seen between them. */
    size_t slice = f->reps / 20 ? f->reps / 20 : 1;
    for (size_t r0 = 0; r0 < f->reps && !st; r0 += slice) {
        size_t r1 = r0 + slice < f->reps ? r0 + slice : f->reps;
        st = louvain_run_range(&op, a->seed, 0, r0, r1, f->q, f->parts, job_cancel_flag(job), msg);
        job_set_progress(job, 0.05 + 0.9 * (double)r1 / (double)f->reps);
    }
    if (!st)
        st = louvain_summarize(f->q, f->reps, &f->sum, msg);
    if (st)
        return st;
    f->best = f->parts + f->sum.best * pt;
    MultiPartition mp = flexibility_partition_layers(f->best, p, f->t);
    if ((st = activity_flex_summarize(f->flex, f->best, f->node, &f->fs, msg)) || (st = modal_labels(f, msg)) ||
        (st = flexibility_module_order(f->modal, p, f->order, &f->n_modules, f->bounds, msg)))
        return st;
    return flexibility_allegiance(&mp, f->alleg, msg);
}

/* m (p × p in unit order) with rows and columns in f's module order. */
static double *ordered_matrix(const Flex *f, const double *m)
{
    double *o = malloc(f->p * f->p * sizeof *o);
    if (o)
        for (size_t i = 0; i < f->p; i++)
            for (size_t j = 0; j < f->p; j++)
                o[i * f->p + j] = m[f->order[i] * f->p + f->order[j]];
    return o;
}

static void flex_headline(const Snapshot *s, const AnalysisArgs *a, const Flex *f, const char *what, StrBuf *t)
{
    char sel[64];
    jobs_selection_name(s, a->layer, sel, sizeof sel);
    /* Short lines: the result box keeps ~46 columns for text beside the maps. */
    strbuf_printf(t, "%s · %s (%zu units) · epoch %zu\n", what, sel, f->p, s->epoch);
    strbuf_printf(t, "%zu windows of %zu · ω %g γ %g · %zu runs\n", f->t, f->len, a->omega, a->gamma, f->reps);
    if (a->regress_mean)
        strbuf_append(t, "mean activation regressed out of every unit\n");
    strbuf_printf(t, "multilayer Q %.4f, %zu communities\n", f->sum.q_best, f->fs.communities);
    strbuf_printf(t, "  runs: %.4f ± %.4f, %.4f – %.4f\n", f->sum.q_mean, f->sum.q_sd, f->sum.q_min, f->sum.q_max);
    strbuf_printf(t, "system flexibility %.4f\n", f->fs.system);
    strbuf_printf(t, "whole probe: mean r %+.3f, mean |r| %.3f\n", f->fc_mean, f->fc_mean_abs);
    /* FINDINGS, seed 001: one community with all-positive r is a common mode. */
    if (f->fs.communities <= 1 || f->fc_mean > 0.5)
        strbuf_append(t, a->regress_mean ? "one dominant community even without the mean\n"
                                         : "collapsed: a common mode dominates r;\n  try :flex --regress-mean\n");
}

static void flex_json_head(JsonWriter *w, const Snapshot *s, const AnalysisArgs *a, const Flex *f)
{
    char sel[64];
    jobs_selection_name(s, a->layer, sel, sizeof sel);
    json_object_begin(w);
    json_kv_int(w, "epoch", (long long)s->epoch);
    json_kv_string(w, "layer", sel);
    json_kv_int(w, "units", (long long)f->p);
    json_kv_int(w, "windows", (long long)f->t);
    json_kv_int(w, "window_len", (long long)f->len);
    json_kv_real(w, "omega", a->omega);
    json_kv_real(w, "gamma", a->gamma);
    json_kv_string(w, "signed", "sym");
    json_key(w, "regress_mean");
    json_bool(w, a->regress_mean);
    json_kv_int(w, "reps", (long long)f->reps);
    json_kv_int(w, "seed", (long long)a->seed);
    json_kv_real(w, "Q", f->sum.q_best);
    json_kv_real(w, "q_mean", f->sum.q_mean);
    json_kv_real(w, "q_sd", f->sum.q_sd);
    json_kv_real(w, "q_min", f->sum.q_min);
    json_kv_real(w, "q_max", f->sum.q_max);
    json_kv_int(w, "n_communities", (long long)f->fs.communities);
    json_kv_real(w, "flexibility_system", f->fs.system);
    json_kv_real(w, "fc_mean", f->fc_mean);
    json_kv_real(w, "fc_mean_abs", f->fc_mean_abs);
    json_key(w, "module_order");
    json_array_begin(w);
    for (size_t i = 0; i < f->p; i++)
        json_int(w, (long long)f->order[i]);
    json_array_end(w);
}

/* Per-layer mean flexibility, the most flexible units, communities per
 * window, and module sizes by layer. */
static Status flex_details(const Snapshot *s, const AnalysisArgs *a, const Flex *f, JobResult *out, double *per_window)
{
    StrBuf *t = &out->text;
    if (a->layer == ACTIVITY_ALL_HIDDEN && s->config.n_layers > 3) {
        strbuf_append(t, "  per layer:");
        for (size_t h = 1, c = 0; h + 1 < s->config.n_layers; c += s->config.sizes[h], h++) {
            double sum = 0.0;
            for (size_t i = 0; i < s->config.sizes[h]; i++)
                sum += f->node[c + i];
            strbuf_printf(t, " HL%zu %.4f", h, sum / (double)s->config.sizes[h]);
        }
        strbuf_append(t, "\n");
    }
    size_t top[5], n_top = 0;
    for (size_t i = 0; i < f->p; i++) {
        size_t k = n_top < 5 ? n_top++ : 5;
        if (k == 5 && !(f->node[i] > f->node[top[4]]))
            continue;
        if (k == 5)
            k = 4;
        while (k > 0 && f->node[i] > f->node[top[k - 1]]) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = i;
    }
    strbuf_append(t, "most flexible units:\n ");
    for (size_t k = 0; k < n_top; k++) {
        char name[32];
        jobs_unit_name(s, a->layer, top[k], name, sizeof name);
        strbuf_printf(t, " %s %.2f%s", name, f->node[top[k]], k == 2 && n_top > 3 ? "\n " : "");
    }
    strbuf_append(t, "\n");
    double lo = INFINITY, hi = 0.0, mean = 0.0;
    int *labels = malloc(f->p * sizeof *labels);
    if (!labels)
        return ST_ENOMEM;
    for (size_t w = 0; w < f->t; w++) {
        size_t k = 0;
        if (modmat_relabel(f->best + w * f->p, f->p, labels, &k, NULL))
            k = 0;
        per_window[w] = (double)k;
        lo = per_window[w] < lo ? per_window[w] : lo;
        hi = per_window[w] > hi ? per_window[w] : hi;
        mean += per_window[w] / (double)f->t;
    }
    free(labels);
    strbuf_printf(t, "communities per window %.2f (%.0f – %.0f)\n\n", mean, lo, hi);
    strbuf_append(t, "modules (each unit's most frequent community)\n");
    strbuf_append(t, "module  size  flexibility  first unit\n");
    for (size_t m = 0; m < f->n_modules; m++) {
        size_t b0 = f->bounds[m], b1 = f->bounds[m + 1];
        double flex = 0.0;
        for (size_t i = b0; i < b1; i++)
            flex += f->node[f->order[i]];
        char first[32];
        jobs_unit_name(s, a->layer, f->order[b0], first, sizeof first);
        strbuf_printf(t, "%6zu %5zu %12.3f  %s\n", m + 1, b1 - b0, flex / (double)(b1 - b0), first);
    }
    return ST_OK;
}

Status job_flex(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Flex f;
    Status st = flex_run(job, s, a, &f, msg);
    double *ordered = NULL, *win = NULL, *per_window = NULL;
    if (st)
        goto done;
    ordered = ordered_matrix(&f, f.alleg);
    win = malloc(f.p * f.t * sizeof *win);
    per_window = malloc(f.t * 2 * sizeof *per_window);
    if (!ordered || !win || !per_window) {
        st = status_fail(msg, ST_ENOMEM, "out of memory");
        goto done;
    }
    flex_headline(s, a, &f, "Flexibility", &out->text);
    if ((st = flex_details(s, a, &f, out, per_window))) {
        status_fail(msg, st, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < f.p; i++)
        for (size_t w = 0; w < f.t; w++)
            win[i * f.t + w] = f.best[w * f.p + f.order[i]];
    double *xs = per_window + f.t;
    for (size_t w = 0; w < f.t; w++)
        xs[w] = (double)(w + 1);
    const double *ys[1] = {per_window};
    /* Per-unit flexibility stacked by layer when the layers are equal squares. */
    size_t side = 0, rows = 1, cols = f.p;
    if (a->layer == ACTIVITY_ALL_HIDDEN) {
        size_t u = s->config.sizes[1], nh = s->config.n_layers - 2;
        side = (size_t)llround(sqrt((double)u));
        for (size_t h = 2; h <= nh; h++)
            side = s->config.sizes[h] == u ? side : 0;
        if (side * side == u && u * nh == f.p) {
            rows = side * nh;
            cols = side;
        }
    }
    if ((st = job_result_add_map(out, "allegiance, units by module", ordered, f.p, f.p, 0)) ||
        (st = job_result_add_map(out, "community per window (units by module)", win, f.p, f.t, 0)) ||
        (st = jobs_add_unit_map(out, "flexibility per unit", f.node, f.p, rows, cols, 0)) ||
        (st = job_result_add_lines(out, "communities per window", xs, ys, 1, f.t))) {
        status_fail(msg, st, "out of memory");
        goto done;
    }
    JsonWriter w;
    json_init(&w, &out->json);
    flex_json_head(&w, s, a, &f);
    json_key(&w, "flexibility_node");
    json_real_array(&w, f.node, f.p);
    json_key(&w, "partitions");
    json_array_begin(&w);
    for (size_t l = 0; l < f.t; l++)
        json_int_array(&w, f.best + l * f.p, f.p);
    json_array_end(&w);
    json_object_end(&w);
done:
    free(ordered);
    free(win);
    free(per_window);
    flex_done(&f);
    return st;
}

Status job_allegiance(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Flex f;
    Status st = flex_run(job, s, a, &f, msg);
    double *ordered = NULL;
    if (st)
        goto done;
    if (!(ordered = ordered_matrix(&f, f.alleg))) {
        st = status_fail(msg, ST_ENOMEM, "out of memory");
        goto done;
    }
    flex_headline(s, a, &f, "Allegiance", &out->text);
    /* Mean allegiance of distinct pairs within and between modules. */
    double in = 0.0, between = 0.0, n_in = 0.0, n_between = 0.0;
    for (size_t i = 0; i < f.p; i++)
        for (size_t j = i + 1; j < f.p; j++) {
            int same = f.modal[i] == f.modal[j];
            in += same ? f.alleg[i * f.p + j] : 0.0;
            between += same ? 0.0 : f.alleg[i * f.p + j];
            n_in += same;
            n_between += !same;
        }
    strbuf_printf(&out->text, "\nmean allegiance\n  within modules %.3f, between modules %.3f\n",
                  n_in > 0 ? in / n_in : NAN, n_between > 0 ? between / n_between : NAN);
    strbuf_printf(&out->text, "%zu modules (each unit's most frequent\ncommunity), sizes:", f.n_modules);
    for (size_t m = 0; m < f.n_modules; m++)
        strbuf_printf(&out->text, " %zu", f.bounds[m + 1] - f.bounds[m]);
    strbuf_append(&out->text, "\n\nP_ij = fraction of windows in which\nunits i and j share a community\n");
    if ((st = job_result_add_map(out, "allegiance, units by module", ordered, f.p, f.p, 0))) {
        status_fail(msg, st, "out of memory");
        goto done;
    }
    JsonWriter w;
    json_init(&w, &out->json);
    flex_json_head(&w, s, a, &f);
    json_key(&w, "module_bounds");
    json_array_begin(&w);
    for (size_t m = 0; m <= f.n_modules; m++)
        json_int(&w, (long long)f.bounds[m]);
    json_array_end(&w);
    json_key(&w, "matrix");
    json_array_begin(&w);
    for (size_t i = 0; i < f.p; i++)
        json_real_array(&w, f.alleg + i * f.p, f.p);
    json_array_end(&w);
    json_object_end(&w);
done:
    free(ordered);
    flex_done(&f);
    return st;
}
