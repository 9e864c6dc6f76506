/* :fc (jobs_functional.h): the whole-probe correlation matrix of the
 * hidden units. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_functional_internal.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/measure/jobs_functional.h"

#define FC_BINS 20
#define FC_LOUVAIN_REPS 10

/* Labels of a 10-run signed (sym) Louvain partition of the correlation
 * matrix c (p × p), for drawing it module by module. */
static Status fc_modules(const double *c, size_t p, uint64_t seed, int *labels, size_t *k, double *q,
                         const volatile int *cancel, char *msg)
{
    Matrix *b = matrix_new(p, p);
    if (!b)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-unit modularity matrix", p);
    memcpy(b->data, c, p * p * sizeof(double));
    Status st = modmat_build(b, 1.0, MOD_SIGN_SYM, b, NULL, msg); /* B over A, in place */
    LouvainSummary sum;
    if (!st) {
        LouvainOp op;
        louvain_op_dense(&op, b);
        st = louvain_run_reps(&op, seed, FC_LOUVAIN_REPS, labels, &sum, NULL, NULL, cancel, msg);
    }
    if (!st) {
        *q = sum.q_best;
        *k = 0;
        for (size_t i = 0; i < p; i++)
            *k = (size_t)labels[i] > *k ? (size_t)labels[i] : *k;
    }
    matrix_free(b);
    return st;
}

Status job_fc(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    float *x = NULL;
    size_t p = 0, silent = 0, counts[FC_BINS], k = 0, n_modules = 0;
    double *c = NULL, *ordered = NULL, mean = NAN, mabs = NAN, q = NAN;
    int *labels = NULL;
    size_t *order = NULL;
    Status st = jobs_gather_hidden(s, a->layer, &x, &p, msg);
    if (!st && p < 2)
        st = status_fail(msg, ST_EINVAL, "a correlation matrix needs at least 2 units, the selection has %zu", p);
    if (st)
        goto done;
    c = malloc(p * p * sizeof *c);
    ordered = malloc(p * p * sizeof *ordered);
    labels = malloc(p * sizeof *labels);
    order = malloc(p * sizeof *order);
    if (!c || !ordered || !labels || !order) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu-unit correlation matrix", p);
        goto done;
    }
    if ((st = fc_correlation_f(x, s->n_probe, p, p, FC_ZERO_DIAGONAL | jobs_fc_flags(a), c, &silent, msg)) ||
        (st = fc_summary(c, p, &mean, &mabs, msg)) || (st = fc_histogram(c, p, FC_BINS, counts, msg)))
        goto done;
    job_set_progress(job, 0.3);
    /* Every unit silent leaves nothing to partition: show the matrix only. */
    char why[STATUS_MSG_LEN] = "";
    int have_modules = silent + 1 < p;
    if (have_modules) {
        st = fc_modules(c, p, a->seed, labels, &k, &q, job_cancel_flag(job), why);
        if (st == ST_ECANCELED || st == ST_ENOMEM) {
            status_fail(msg, st, "%s", why);
            goto done;
        }
        have_modules = !st;
        st = ST_OK;
    }
    if (have_modules && (st = flexibility_module_order(labels, p, order, &n_modules, NULL, msg)))
        goto done;
    char sel[64];
    jobs_selection_name(s, a->layer, sel, sizeof sel);
    StrBuf *t = &out->text;
    /* Short lines: the result box keeps ~46 columns for text beside the maps. */
    strbuf_printf(t, "Correlations · %s (%zu units) · epoch %zu\n", sel, p, s->epoch);
    strbuf_printf(t, "over %zu probe items%s\n", s->n_probe, a->regress_mean ? ", mean activation regressed out" : "");
    strbuf_printf(t, "mean r %+.4f, mean |r| %.4f\nsilent units %zu\n", mean, mabs, silent);
    if (have_modules)
        strbuf_printf(t, "Louvain on r (sym, best of %d):\n  Q %.4f, %zu modules\n", FC_LOUVAIN_REPS, q, k);
    else
        strbuf_printf(t, "no modules: %s\n", why[0] ? why : "every unit is silent");
    if (mean > 0.5 && !a->regress_mean)
        strbuf_append(t, "mostly positive: a common mode;\n  try :fc --regress-mean\n");
    size_t pairs = p * (p - 1) / 2, most = 1;
    for (size_t b = 0; b < FC_BINS; b++)
        most = counts[b] > most ? counts[b] : most;
    strbuf_printf(t, "\nhistogram of r over %zu pairs\n", pairs);
    double bins[FC_BINS], centres[FC_BINS];
    for (size_t b = 0; b < FC_BINS; b++) {
        double lo = -1.0 + 2.0 * (double)b / FC_BINS;
        char bar[32];
        size_t len = (size_t)llround(24.0 * (double)counts[b] / (double)most);
        memset(bar, '#', len);
        bar[len] = '\0';
        strbuf_printf(t, "%+5.1f..%+5.1f %6zu %s\n", lo, lo + 2.0 / FC_BINS, counts[b], bar);
        bins[b] = (double)counts[b];
        centres[b] = lo + 1.0 / FC_BINS;
    }
    /* The maps are block-averaged into ~30 columns, which pulls typical
     * values far below the largest |r|: clip them at twice the mean |r| so
     * the shades use the range (stated in the label; the JSON keeps r). */
    double scale = fmin(1.0, fmax(0.05, 2.0 * mabs));
    char label[2][48];
    snprintf(label[0], sizeof label[0], "r by module, clipped ±%.2f", scale);
    snprintf(label[1], sizeof label[1], "r in unit order, clipped ±%.2f", scale);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double v = have_modules ? c[order[i] * p + order[j]] : 0.0;
            ordered[i * p + j] = fmin(scale, fmax(-scale, v));
        }
    const double *ys[1] = {bins};
    /* Module order first: block-averaged, the unit order mostly cancels to
     * blank while module blocks keep their sign. */
    if ((have_modules && (st = job_result_add_map(out, label[0], ordered, p, p, 1))) ||
        (st = job_result_add_map(out, label[1], c, p, p, 1)) ||
        (st = job_result_add_lines(out, "histogram of r (-1..1)", centres, ys, 1, FC_BINS))) {
        status_fail(msg, st, "out of memory");
        goto done;
    }
    for (size_t m = 0; m < out->n_maps; m++) /* the unit-order copy; c stays raw for the JSON */
        for (size_t i = 0; i < p * p; i++)
            out->maps[m].v[i] = fmin(scale, fmax(-scale, out->maps[m].v[i]));
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_kv_string(&w, "layer", sel);
    json_kv_int(&w, "units", (long long)p);
    json_kv_int(&w, "samples", (long long)s->n_probe);
    json_key(&w, "regress_mean");
    json_bool(&w, a->regress_mean);
    json_kv_real(&w, "mean", mean);
    json_kv_real(&w, "mean_abs", mabs);
    json_kv_real(&w, "map_scale", scale);
    json_kv_int(&w, "silent", (long long)silent);
    json_key(&w, "histogram");
    json_array_begin(&w);
    for (size_t b = 0; b < FC_BINS; b++)
        json_int(&w, (long long)counts[b]);
    json_array_end(&w);
    if (have_modules) {
        json_kv_real(&w, "modules_q", q);
        json_key(&w, "modules");
        json_int_array(&w, labels, p);
    }
    json_key(&w, "matrix");
    json_array_begin(&w);
    for (size_t i = 0; i < p; i++)
        json_real_array(&w, c + i * p, p);
    json_array_end(&w);
    json_object_end(&w);
done:
    free(x);
    free(c);
    free(ordered);
    free(labels);
    free(order);
    return st;
}
