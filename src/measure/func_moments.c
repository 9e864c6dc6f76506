/* Moments and entropy (func.h): of a matrix (analyze moments
 * and entropy --matrix F) and of each layer's probe activations
 * (:moments, one row per layer). */
#include "neurotop/measure/func.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"
#include "neurotop/analysis/histogram.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"
#include "neurotop/measure/metrics_activity.h"

#define MOMENTS_MAX_ROWS (sizeof ((MomentsResult *)0)->rows / sizeof ((MomentsResult *)0)->rows[0])

Status moments_result_add_row(MomentsResult *r, const char *name, const double *x, size_t n, size_t u,
                              double ridge, char *msg)
{
    if (r->n_rows >= MOMENTS_MAX_ROWS)
        return status_fail(msg, ST_EINVAL, "a moments table holds at most %zu rows", MOMENTS_MAX_ROWS);
    MomentsRow *row = &r->rows[r->n_rows];
    memset(row, 0, sizeof *row);
    snprintf(row->name, sizeof row->name, "%s", name ? name : "");
    row->units = u;
    Status st = moments_compute(x, n * u, 1, &row->m, msg);
    if (st)
        return st;
    if (ridge >= 0.0) {
        /* An undefined entropy (e.g. a singular covariance) is a row's
         * answer, not a failure of the table. */
        char inner[STATUS_MSG_LEN];
        row->has_entropy = 1;
        /* A u × u covariance: past the unit cap the entropy is not computed. */
        row->entropy_status = u > ACTIVITY_MAX_UNITS ? ST_EINVAL
                                                     : entropy_gaussian(x, n, u, u, ridge, &row->e, inner);
        if (row->entropy_status == ST_ENOMEM)
            return status_fail(msg, ST_ENOMEM, "%s", inner);
    }
    r->n_rows++;
    return ST_OK;
}

/* ---- documents -------------------------------------------------------- */

void moments_json_fields(const Moments *m, JsonWriter *w)
{
    json_kv_real(w, "mean", m->mean);
    json_kv_real(w, "std", m->std);
    json_kv_real(w, "skewness", m->skewness); /* NaN prints as null */
    json_kv_real(w, "kurtosis", m->kurtosis);
    json_kv_int(w, "n", (long long)m->n);
    json_kv_real(w, "min", m->min);
    json_kv_real(w, "max", m->max);
}

void entropy_json_fields(const EntropyResult *e, double ridge, JsonWriter *w)
{
    json_kv_real(w, "entropy_nats", e->entropy_nats);
    json_kv_int(w, "d", (long long)e->d);
    json_kv_int(w, "dropped", (long long)e->dropped);
    json_kv_real(w, "ridge_eps", e->ridge_eps);
    if (ridge > 0.0) {
        json_key(w, "ridge_needed");
        json_bool(w, e->ridge_needed);
        json_kv_real(w, "ridge_shift", e->ridge_shift);
    }
}

void moments_row_json(const MomentsRow *row, double ridge, JsonWriter *w)
{
    json_object_begin(w);
    if (row->name[0]) {
        json_kv_string(w, "layer", row->name);
        json_kv_int(w, "units", (long long)row->units);
    }
    moments_json_fields(&row->m, w);
    if (row->has_entropy && row->entropy_status == ST_OK) {
        entropy_json_fields(&row->e, ridge, w);
    } else if (row->has_entropy) {
        json_key(w, "entropy_nats");
        json_null(w);
    }
    json_object_end(w);
}

void moments_json(const MomentsResult *r, const Snapshot *s, JsonWriter *w)
{
    if (!s) {
        if (r->n_rows)
            moments_row_json(&r->rows[0], r->ridge, w);
        return;
    }
    jobs_functional_json_open(w, s, JOBS_NO_LAYER);
    json_kv_int(w, "samples", (long long)r->samples);
    json_kv_real(w, "ridge", r->ridge);
    json_key(w, "layers");
    json_array_begin(w);
    for (size_t i = 0; i < r->n_rows; i++)
        moments_row_json(&r->rows[i], r->ridge, w);
    json_array_end(w);
    json_object_end(w);
}

/* ---- screen ----------------------------------------------------------- */

Status moments_view(const MomentsResult *r, const Snapshot *s, JobResult *out)
{
    StrBuf *t = &out->text;
    /* Two narrow tables: the result box keeps ~46 columns beside the plot. */
    strbuf_printf(t, "Activation moments · epoch %zu\nover %zu probe items\n\n", s->epoch, r->samples);
    strbuf_printf(t, "%-10s %7s %7s %7s %7s\n", "layer", "mean", "std", "skew", "kurt");
    for (size_t i = 0; i < r->n_rows; i++) {
        const MomentsRow *row = &r->rows[i];
        strbuf_printf(t, "%-10s %7.4f %7.4f %+7.3f %+7.3f\n", row->name, row->m.mean, row->m.std, row->m.skewness,
                      row->m.kurtosis);
    }
    strbuf_printf(t, "\n%-10s %5s %6s %6s %5s %8s\n", "layer", "units", "min", "max", "const", "entropy");
    for (size_t i = 0; i < r->n_rows; i++) {
        const MomentsRow *row = &r->rows[i];
        int ok = row->has_entropy && row->entropy_status == ST_OK;
        strbuf_printf(t, "%-10s %5zu %6.3f %6.3f %5zu ", row->name, row->units, row->m.min, row->m.max,
                      ok ? row->e.dropped : 0);
        if (!ok)
            strbuf_append(t, "     n/a\n");
        else
            strbuf_printf(t, "%8.1f%s\n", row->e.entropy_nats, row->e.ridge_needed ? " ridge" : "");
    }
    strbuf_printf(t, "\nstd: population; kurt: excess (§15);\nentropy: nats, Gaussian fit, ridge %g;\n"
                     "ridge = Σ was singular without it;\nconst = units constant over the probe\n",
                  r->ridge);
    if (!r->n_hist)
        return ST_OK;
    const double *yp[JOB_PLOT_MAX_SERIES];
    for (size_t k = 0; k < r->n_hist; k++)
        yp[k] = r->hist[k];
    return job_result_add_lines(out, "activation histogram, HL1..", r->hist_x, yp, r->n_hist, MOMENTS_HIST_BINS);
}

/* ---- inputs ----------------------------------------------------------- */

/* Activation histograms of the hidden layers over the range of every
 * row but the output's (the last). */
static void hidden_histograms(MomentsResult *r, const Snapshot *s)
{
    size_t nh = s->config.n_layers - 2, n = r->samples;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i + 1 < r->n_rows; i++) {
        lo = fmin(lo, r->rows[i].m.min);
        hi = fmax(hi, r->rows[i].m.max);
    }
    if (!(hi > lo))
        hi = lo + 1.0;
    for (size_t b = 0; b < MOMENTS_HIST_BINS; b++)
        r->hist_x[b] = lo + (hi - lo) * ((double)b + 0.5) / MOMENTS_HIST_BINS;
    size_t counts[MOMENTS_HIST_BINS];
    for (size_t h = 1; h <= nh && r->n_hist < JOB_PLOT_MAX_SERIES; h++) {
        size_t u = s->config.sizes[h];
        if (histogram_compute(s->acts[h - 1], n * u, lo, hi, MOMENTS_HIST_BINS, counts, NULL, NULL))
            continue;
        for (size_t b = 0; b < MOMENTS_HIST_BINS; b++)
            r->hist[r->n_hist][b] = (double)counts[b] / (double)(n * u);
        r->n_hist++;
    }
}

/* A row of n × u float activations, widened into scratch. */
static Status add_float_row(MomentsResult *r, const char *name, const float *x, size_t n, size_t u,
                            double *scratch, char *msg)
{
    for (size_t i = 0; i < n * u; i++)
        scratch[i] = (double)x[i];
    return moments_result_add_row(r, name, scratch, n, u, ACTIVITY_RIDGE, msg);
}

/* Every layer after the input, and every hidden layer together after the
 * last hidden one when there are several. */
static Status from_snapshot(Job *job, const Snapshot *s, MomentsResult *r, char *msg)
{
    size_t nl = s->config.n_layers, nh = nl >= 2 ? nl - 2 : 0, n = s->n_probe, p_all = 0, widest = 0;
    if (n < 2 || nl < 2)
        return status_fail(msg, ST_EINVAL, "epoch %zu holds %zu probe items; moments need at least 2", s->epoch, n);
    for (size_t l = 1; l < nl; l++)
        if (!s->acts[l - 1])
            return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu holds no probe activations", s->epoch);
    r->samples = n;
    r->ridge = ACTIVITY_RIDGE;
    float *all = NULL;
    Status st = nh > 0 ? jobs_gather_hidden(s, ACTIVITY_ALL_HIDDEN, &all, &p_all, msg) : ST_OK;
    if (st)
        return st;
    for (size_t l = 1; l < nl; l++)
        widest = s->config.sizes[l] > widest ? s->config.sizes[l] : widest;
    widest = p_all > widest ? p_all : widest;
    double *scratch = widest <= SIZE_MAX / sizeof(double) / n ? malloc(n * widest * sizeof *scratch) : NULL;
    if (!scratch)
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu × %zu activations", n, widest);
    double rows = (double)(nl - 1 + (nh > 1)) + 1.0;
    size_t nodes[MODEL_MAX_LAYERS];
    if (model_graph_sizes(&s->config, nodes) != nl)
        memcpy(nodes, s->config.sizes, nl * sizeof *nodes);
    for (size_t l = 1; l < nl && !st; l++) {
        char name[24];
        model_layer_name(&s->config, l, 0, name, sizeof name);
        size_t u = s->config.sizes[l];
        if (nodes[l] == 1 && u > 1) {
            /* A mirrored read-out (HebbFF's [1 − p, p]) is one node: its last unit. */
            for (size_t i = 0; i < n; i++)
                scratch[i] = (double)s->acts[l - 1][i * u + u - 1];
            st = moments_result_add_row(r, name, scratch, n, 1, ACTIVITY_RIDGE, msg);
        } else {
            st = add_float_row(r, name, s->acts[l - 1], n, u, scratch, msg);
        }
        if (!st && l == nh && nh > 1)
            st = add_float_row(r, "all hidden", all, n, p_all, scratch, msg);
        job_set_progress(job, (double)r->n_rows / rows);
    }
    if (!st && nh > 0)
        hidden_histograms(r, s);
    free(all);
    free(scratch);
    return st;
}

/* The --matrix of an analysis on files (*x caller-owned). */
static Status read_matrix(const AnalysisArgs *a, Matrix **x, char *msg)
{
    *x = NULL;
    if (!a->files[PARAM_MATRIX])
        return status_fail(msg, ST_EINVAL, "this analysis on files needs --matrix FILE");
    return matrix_read_file(a->files[PARAM_MATRIX], x, msg);
}

Status job_moments(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    MomentsResult r;
    memset(&r, 0, sizeof r);
    Status st;
    if (s) {
        st = from_snapshot(job, s, &r, msg);
    } else {
        Matrix *x = NULL;
        if (!(st = read_matrix(a, &x, msg))) {
            r.samples = x->rows;
            st = moments_result_add_row(&r, NULL, x->data, x->rows, x->cols, -1.0, msg);
        }
        matrix_free(x);
    }
    if (!st && s && (st = moments_view(&r, s, out)))
        status_fail(msg, st, "out of memory for the result on screen");
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        moments_json(&r, s, &w);
    }
    return st;
}

Status job_entropy(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    (void)job;
    if (s)
        return status_fail(msg, ST_EINVAL, "entropy runs on files only; :moments shows the entropy of each layer");
    Matrix *x = NULL;
    Status st = read_matrix(a, &x, msg);
    EntropyResult e;
    if (!st)
        st = entropy_gaussian(x->data, x->rows, x->cols, x->cols, a->ridge, &e, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        json_object_begin(&w);
        entropy_json_fields(&e, a->ridge, &w);
        json_object_end(&w);
    }
    matrix_free(x);
    return st;
}
