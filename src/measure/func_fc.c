/* :fc (func.h): the whole-probe correlation matrix of the hidden
 * units, its histogram and its modules. */
#include "neurotop/measure/func.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/matrix.h"

void fc_result_done(FcResult *r)
{
    free(r->c);
    free(r->modules);
    free(r->order);
    r->c = NULL;
    r->modules = NULL;
    r->order = NULL;
}

/* Labels of a signed (sym) Louvain partition of r->c, best of
 * FC_LOUVAIN_REPS runs, for drawing it module by module. */
static Status fc_modules(FcResult *r, uint64_t seed, const volatile int *cancel, char *msg)
{
    size_t p = r->p;
    Matrix *b = matrix_new(p, p);
    if (!b)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-unit modularity matrix", p);
    memcpy(b->data, r->c, p * p * sizeof(double));
    Status st = modmat_build(b, 1.0, MOD_SIGN_SYM, b, NULL, msg); /* B over A, in place */
    LouvainSummary sum;
    if (!st) {
        LouvainOp op;
        louvain_op_dense(&op, b);
        st = louvain_run_reps(&op, seed, FC_LOUVAIN_REPS, r->modules, &sum, NULL, NULL, cancel, msg);
    }
    if (!st) {
        r->q = sum.q_best;
        r->k = 0;
        for (size_t i = 0; i < p; i++)
            r->k = (size_t)r->modules[i] > r->k ? (size_t)r->modules[i] : r->k;
    }
    matrix_free(b);
    return st;
}

Status fc_result_compute(Job *job, const float *x, size_t n, size_t p, int regress_mean, uint64_t seed,
                         FcResult *r, char *msg)
{
    *r = (FcResult){.p = p, .n = n, .regress_mean = regress_mean, .mean = NAN, .mean_abs = NAN, .q = NAN};
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a correlation matrix needs at least 2 units, the selection has %zu", p);
    if (p > SIZE_MAX / sizeof(double) / p)
        return status_fail(msg, ST_EINVAL, "%zu units give too large a correlation matrix", p);
    r->c = malloc(p * p * sizeof *r->c);
    r->modules = malloc(p * sizeof *r->modules);
    r->order = malloc(p * sizeof *r->order);
    Status st = ST_OK;
    if (!r->c || !r->modules || !r->order)
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu-unit correlation matrix", p);
    unsigned flags = FC_ZERO_DIAGONAL | (regress_mean ? FC_REGRESS_MEAN : 0u);
    if (!st && !(st = fc_correlation_f(x, n, p, p, flags, r->c, &r->silent, msg)) &&
        !(st = fc_summary(r->c, p, &r->mean, &r->mean_abs, msg)))
        st = fc_histogram(r->c, p, FC_HIST_BINS, r->counts, msg);
    job_set_progress(job, 0.3);
    /* Every unit silent leaves nothing to partition: the matrix alone. */
    r->have_modules = !st && r->silent + 1 < p;
    if (!st && !r->have_modules)
        snprintf(r->no_modules, sizeof r->no_modules, "every unit is silent");
    if (r->have_modules) {
        st = fc_modules(r, seed, job_cancel_flag(job), r->no_modules);
        if (st == ST_ECANCELED || st == ST_ENOMEM) {
            status_fail(msg, st, "%s", r->no_modules);
        } else {
            r->have_modules = !st;
            st = ST_OK;
        }
    }
    size_t n_modules;
    if (!st && r->have_modules)
        st = flexibility_module_order(r->modules, p, r->order, &n_modules, NULL, msg);
    /* The maps are block-averaged into ~30 columns, which pulls typical
     * values far below the largest |r|: they clip at twice the mean |r|. */
    r->map_scale = fmin(1.0, fmax(0.05, 2.0 * r->mean_abs));
    if (st)
        fc_result_done(r);
    return st;
}

void fc_json(const FcResult *r, const Snapshot *s, int layer, JsonWriter *w)
{
    jobs_functional_json_open(w, s, layer);
    json_kv_int(w, "units", (long long)r->p);
    json_kv_int(w, "samples", (long long)r->n);
    json_key(w, "regress_mean");
    json_bool(w, r->regress_mean);
    json_kv_real(w, "mean", r->mean);
    json_kv_real(w, "mean_abs", r->mean_abs);
    json_kv_real(w, "map_scale", r->map_scale);
    json_kv_int(w, "silent", (long long)r->silent);
    json_key(w, "histogram");
    json_array_begin(w);
    for (size_t b = 0; b < FC_HIST_BINS; b++)
        json_int(w, (long long)r->counts[b]);
    json_array_end(w);
    if (r->have_modules) {
        json_kv_real(w, "modules_q", r->q);
        json_key(w, "modules");
        json_int_array(w, r->modules, r->p);
    }
    json_key(w, "matrix");
    json_real_matrix(w, r->c, r->p, r->p);
    json_object_end(w);
}

/* Summary lines and the histogram as text bars; bins and centres for the
 * plot. */
static void fc_text(const FcResult *r, const Snapshot *s, int layer, StrBuf *t, double *bins, double *centres)
{
    char sel[64];
    jobs_selection_name(s, layer, sel, sizeof sel);
    /* Short lines: the result box keeps ~46 columns for text beside the maps. */
    strbuf_printf(t, "Correlations · %s (%zu units) · epoch %zu\n", sel, r->p, s->epoch);
    strbuf_printf(t, "over %zu probe items%s\n", r->n, r->regress_mean ? ", mean activation regressed out" : "");
    strbuf_printf(t, "mean r %+.4f, mean |r| %.4f\nsilent units %zu\n", r->mean, r->mean_abs, r->silent);
    if (r->have_modules)
        strbuf_printf(t, "Louvain on r (sym, best of %d):\n  Q %.4f, %zu modules\n", FC_LOUVAIN_REPS, r->q, r->k);
    else
        strbuf_printf(t, "no modules: %s\n", r->no_modules);
    if (r->mean > 0.5 && !r->regress_mean)
        strbuf_append(t, "mostly positive: a common mode;\n  try :fc --regress-mean\n");
    size_t pairs = r->p * (r->p - 1) / 2, most = 1;
    for (size_t b = 0; b < FC_HIST_BINS; b++)
        most = r->counts[b] > most ? r->counts[b] : most;
    strbuf_printf(t, "\nhistogram of r over %zu pairs\n", pairs);
    for (size_t b = 0; b < FC_HIST_BINS; b++) {
        double lo = -1.0 + 2.0 * (double)b / FC_HIST_BINS;
        char bar[32];
        size_t len = (size_t)llround(24.0 * (double)r->counts[b] / (double)most);
        memset(bar, '#', len);
        bar[len] = '\0';
        strbuf_printf(t, "%+5.1f..%+5.1f %6zu %s\n", lo, lo + 2.0 / FC_HIST_BINS, r->counts[b], bar);
        bins[b] = (double)r->counts[b];
        centres[b] = lo + 1.0 / FC_HIST_BINS;
    }
}

Status fc_view(const FcResult *r, const Snapshot *s, int layer, JobResult *out)
{
    size_t p = r->p;
    double bins[FC_HIST_BINS], centres[FC_HIST_BINS], scale = r->map_scale;
    fc_text(r, s, layer, &out->text, bins, centres);
    double *clipped = malloc(p * p * sizeof *clipped);
    if (!clipped)
        return ST_ENOMEM;
    char label[48];
    Status st = ST_OK;
    /* Module order first: block-averaged, the unit order mostly cancels to
     * blank while module blocks keep their sign. */
    if (r->have_modules) {
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++)
                clipped[i * p + j] = fmin(scale, fmax(-scale, r->c[r->order[i] * p + r->order[j]]));
        snprintf(label, sizeof label, "r by module, clipped ±%.2f", scale);
        st = job_result_add_map(out, label, clipped, p, p, 1);
    }
    for (size_t i = 0; i < p * p; i++)
        clipped[i] = fmin(scale, fmax(-scale, r->c[i]));
    snprintf(label, sizeof label, "r in unit order, clipped ±%.2f", scale);
    if (!st)
        st = job_result_add_map(out, label, clipped, p, p, 1);
    const double *ys[1] = {bins};
    if (!st)
        st = job_result_add_lines(out, "histogram of r (-1..1)", centres, ys, 1, FC_HIST_BINS);
    free(clipped);
    return st;
}

Status job_fc(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    if (!s)
        return status_fail(msg, ST_EINVAL, "fc runs on a snapshot's probe activations only");
    float *x = NULL;
    size_t p = 0;
    FcResult r;
    memset(&r, 0, sizeof r);
    Status st = activity_fc_units(&s->config, a->layer, &p, msg);
    if (!st)
        st = jobs_gather_hidden(s, a->layer, &x, &p, msg);
    if (!st)
        st = fc_result_compute(job, x, s->n_probe, p, a->regress_mean, a->seed, &r, msg);
    if (!st && (st = fc_view(&r, s, a->layer, out)))
        status_fail(msg, st, "out of memory for the result on screen");
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        fc_json(&r, s, a->layer, &w);
    }
    free(x);
    fc_result_done(&r);
    return st;
}
