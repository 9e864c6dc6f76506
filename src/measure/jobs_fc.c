/* :fc and :moments (jobs_functional.h): the whole-probe correlation matrix
 * of the hidden units and the per-layer activation statistics. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_functional_internal.h"
#include "jobs_source.h"
#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/histogram.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/measure/jobs_functional.h"
#include "neurotop/measure/metrics_activity.h"

#define FC_BINS 20
#define FC_LOUVAIN_REPS 10
#define MOMENT_BINS 40

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

/* One row of the :moments table: the n × u block of values at x (row
 * stride ld). */
typedef struct {
    char name[24];
    const float *x;
    size_t n, u, ld;
    Moments m;
    EntropyResult e;
    Status e_status;
} MomentRow;

static Status moment_row(MomentRow *r, float *scratch, char *msg)
{
    /* Moments over every value of the block: copy it dense first. */
    for (size_t i = 0; i < r->n; i++)
        memcpy(scratch + i * r->u, r->x + i * r->ld, r->u * sizeof(float));
    Status st = moments_compute_f(scratch, r->n * r->u, 1, &r->m, msg);
    if (st)
        return st;
    char inner[STATUS_MSG_LEN];
    r->e_status = entropy_gaussian_f(r->x, r->n, r->u, r->ld, ACTIVITY_RIDGE, &r->e, inner);
    return r->e_status == ST_ENOMEM ? status_fail(msg, ST_ENOMEM, "%s", inner) : ST_OK;
}

Status job_moments(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    (void)a;
    size_t nl = s->config.n_layers, nh = nl >= 2 ? nl - 2 : 0, n = s->n_probe;
    if (n < 2 || nl < 2)
        return status_fail(msg, ST_EINVAL, "epoch %zu holds %zu probe items; moments need at least 2", s->epoch, n);
    MomentRow rows[MODEL_MAX_LAYERS + 1];
    size_t n_rows = 0, p_all = 0, widest = 0;
    float *all = NULL, *scratch = NULL;
    Status st = ST_OK;
    for (size_t l = 1; l < nl; l++)
        widest = s->config.sizes[l] > widest ? s->config.sizes[l] : widest;
    if (nh > 0 && (st = jobs_gather_hidden(s, ACTIVITY_ALL_HIDDEN, &all, &p_all, msg)))
        return st;
    widest = p_all > widest ? p_all : widest;
    scratch = widest <= SIZE_MAX / sizeof(float) / n ? malloc(n * widest * sizeof(float)) : NULL;
    if (!scratch) {
        free(all);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu × %zu activations", n, widest);
    }
    for (size_t l = 1; l < nl; l++) {
        MomentRow *r = &rows[n_rows++];
        memset(r, 0, sizeof *r);
        model_layer_name(&s->config, l, 0, r->name, sizeof r->name);
        r->x = s->acts[l - 1];
        r->n = n;
        r->u = r->ld = s->config.sizes[l];
        if (l == nh && nh > 1) { /* every hidden layer together, after the last one */
            MomentRow *h = &rows[n_rows++];
            memset(h, 0, sizeof *h);
            snprintf(h->name, sizeof h->name, "all hidden");
            h->x = all;
            h->n = n;
            h->u = h->ld = p_all;
        }
    }
    for (size_t i = 0; i < n_rows && !st; i++) {
        if (!rows[i].x)
            st = status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu holds no probe activations", s->epoch);
        else
            st = moment_row(&rows[i], scratch, msg);
        job_set_progress(job, (double)(i + 1) / (double)(n_rows + 1));
    }
    if (st)
        goto done;
    StrBuf *t = &out->text;
    /* Two narrow tables: the result box keeps ~46 columns beside the plot. */
    strbuf_printf(t, "Activation moments · epoch %zu\nover %zu probe items\n\n", s->epoch, n);
    strbuf_printf(t, "%-10s %7s %7s %7s %7s\n", "layer", "mean", "std", "skew", "kurt");
    for (size_t i = 0; i < n_rows; i++) {
        const MomentRow *r = &rows[i];
        strbuf_printf(t, "%-10s %7.4f %7.4f %+7.3f %+7.3f\n", r->name, r->m.mean, r->m.std, r->m.skewness,
                      r->m.kurtosis);
    }
    strbuf_printf(t, "\n%-10s %5s %6s %6s %5s %8s\n", "layer", "units", "min", "max", "const", "entropy");
    for (size_t i = 0; i < n_rows; i++) {
        const MomentRow *r = &rows[i];
        strbuf_printf(t, "%-10s %5zu %6.3f %6.3f %5zu ", r->name, r->u, r->m.min, r->m.max,
                      r->e_status ? 0 : r->e.dropped);
        if (r->e_status)
            strbuf_append(t, "     n/a\n");
        else
            strbuf_printf(t, "%8.1f%s\n", r->e.entropy_nats, r->e.ridge_needed ? " ridge" : "");
    }
    strbuf_printf(t, "\nstd: population; kurt: excess (§9);\nentropy: nats, Gaussian fit, ridge %g;\n"
                     "ridge = Σ was singular without it;\nconst = units constant over the probe\n",
                  ACTIVITY_RIDGE);
    /* Activation histograms of the hidden layers over a shared range. */
    if (nh > 0) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n_rows; i++) {
            lo = rows[i].m.min < lo && strcmp(rows[i].name, "output") ? rows[i].m.min : lo;
            hi = rows[i].m.max > hi && strcmp(rows[i].name, "output") ? rows[i].m.max : hi;
        }
        if (!(hi > lo))
            hi = lo + 1.0;
        double xs[MOMENT_BINS], ys[JOB_PLOT_MAX_SERIES][MOMENT_BINS];
        const double *yp[JOB_PLOT_MAX_SERIES];
        size_t ns = 0, counts[MOMENT_BINS];
        for (size_t b = 0; b < MOMENT_BINS; b++)
            xs[b] = lo + (hi - lo) * ((double)b + 0.5) / MOMENT_BINS;
        for (size_t h = 1; h <= nh && ns < JOB_PLOT_MAX_SERIES; h++) {
            size_t u = s->config.sizes[h];
            if (histogram_compute(s->acts[h - 1], n * u, lo, hi, MOMENT_BINS, counts, NULL, NULL))
                continue;
            for (size_t b = 0; b < MOMENT_BINS; b++)
                ys[ns][b] = (double)counts[b] / (double)(n * u);
            yp[ns] = ys[ns];
            ns++;
        }
        if (ns && (st = job_result_add_lines(out, "activation histogram, HL1..", xs, yp, ns, MOMENT_BINS))) {
            status_fail(msg, st, "out of memory");
            goto done;
        }
    }
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_kv_int(&w, "samples", (long long)n);
    json_kv_real(&w, "ridge", ACTIVITY_RIDGE);
    json_key(&w, "layers");
    json_array_begin(&w);
    for (size_t i = 0; i < n_rows; i++) {
        const MomentRow *r = &rows[i];
        json_object_begin(&w);
        json_kv_string(&w, "layer", r->name);
        json_kv_int(&w, "units", (long long)r->u);
        json_kv_real(&w, "mean", r->m.mean);
        json_kv_real(&w, "std", r->m.std);
        json_kv_real(&w, "skewness", r->m.skewness);
        json_kv_real(&w, "kurtosis", r->m.kurtosis);
        json_kv_real(&w, "min", r->m.min);
        json_kv_real(&w, "max", r->m.max);
        if (r->e_status) {
            json_key(&w, "entropy_nats");
            json_null(&w);
        } else {
            json_kv_real(&w, "entropy_nats", r->e.entropy_nats);
            json_key(&w, "ridge_needed");
            json_bool(&w, r->e.ridge_needed);
            json_kv_int(&w, "constant_units", (long long)r->e.dropped);
        }
        json_object_end(&w);
    }
    json_array_end(&w);
    json_object_end(&w);
done:
    free(all);
    free(scratch);
    return st;
}
