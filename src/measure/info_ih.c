/* Hidden-node information by epoch and per unit (info_ih.h). */
#include "neurotop/measure/info_ih.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/measure/metrics_info.h"

/* Rows of the table of the series. */
#define IH_TABLE_ROWS 12

void ih_result_done(IhResult *r)
{
    free(r->epochs);
    for (size_t h = 0; h < IH_MAX_LAYERS; h++) {
        free(r->mean[h]);
        free(r->unit_ih[h]);
    }
    memset(r, 0, sizeof *r);
}

static void series_key(size_t h, char *key, size_t cap)
{
    snprintf(key, cap, "ih_hl%zu_mean", h + 1);
}

/* The series of every layer (NaN for a layer never recorded). */
static Status copy_series(const SeriesTable *t, IhResult *r, char *msg)
{
    const double *col[IH_MAX_LAYERS] = {0};
    for (size_t h = 0; h < r->n_hidden; h++) {
        char key[METRIC_KEY_LEN];
        series_key(h, key, sizeof key);
        col[h] = series_get(t, key);
        r->have_series |= col[h] != NULL;
    }
    if (!r->have_series || t->n == 0)
        return ST_OK;
    r->n = t->n;
    if (!(r->epochs = malloc(r->n * sizeof *r->epochs)))
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu epochs", r->n);
    memcpy(r->epochs, t->epoch, r->n * sizeof *r->epochs);
    for (size_t h = 0; h < r->n_hidden; h++) {
        if (!(r->mean[h] = malloc(r->n * sizeof *r->mean[h])))
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu epochs", r->n);
        for (size_t i = 0; i < r->n; i++)
            r->mean[h][i] = col[h] ? col[h][i] : NAN;
    }
    return ST_OK;
}

Status ih_compute(const SeriesTable *t, const Snapshot *s, IhResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    size_t L = s->config.n_layers;
    if (L < 3)
        return status_fail(msg, ST_EINVAL, "the model has no hidden layer");
    r->n_hidden = L - 2 < IH_MAX_LAYERS ? L - 2 : IH_MAX_LAYERS;
    Status st = copy_series(t, r, msg);
    for (size_t h = 0; h < r->n_hidden && !st && s->n_probe; h++) {
        r->units[h] = s->config.sizes[h + 1];
        if (!(r->unit_ih[h] = malloc(r->units[h] * sizeof *r->unit_ih[h])))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the IH of %zu units", r->units[h]);
        else
            st = info_snapshot_ih(s, h + 1, r->unit_ih[h], msg);
    }
    if (!st && !r->have_series && !s->n_probe)
        st = status_fail(msg, ST_EINVAL, "this run records neither IH series nor probe activations");
    if (st)
        ih_result_done(r);
    return st;
}

void ih_json(const IhResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_key(w, "epochs");
    json_real_array(w, r->epochs, r->n);
    for (size_t h = 0; h < r->n_hidden && r->n; h++) {
        char key[METRIC_KEY_LEN];
        series_key(h, key, sizeof key);
        json_key(w, key);
        json_real_array(w, r->mean[h], r->n);
    }
    if (r->unit_ih[0]) {
        json_key(w, "units");
        json_array_begin(w);
        for (size_t h = 0; h < r->n_hidden; h++)
            json_real_array(w, r->unit_ih[h], r->units[h]);
        json_array_end(w);
    }
    json_object_end(w);
}

static void view_table(const IhResult *r, StrBuf *t)
{
    strbuf_printf(t, " epoch");
    for (size_t h = 0; h < r->n_hidden; h++)
        strbuf_printf(t, "     HL%zu", h + 1);
    strbuf_append(t, "\n");
    size_t idx[IH_TABLE_ROWS];
    size_t k = jobs_pick_indices(r->n, IH_TABLE_ROWS, idx);
    for (size_t i = 0; i < k; i++) {
        strbuf_printf(t, "%6.0f", r->epochs[idx[i]]);
        for (size_t h = 0; h < r->n_hidden; h++)
            strbuf_printf(t, "  %6.4f", r->mean[h][idx[i]]);
        strbuf_append(t, "\n");
    }
    strbuf_printf(t, "change");
    for (size_t h = 0; h < r->n_hidden; h++)
        strbuf_printf(t, " %+7.4f", r->mean[h][r->n - 1] - r->mean[h][0]);
    strbuf_append(t, "\n\n");
}

/* 1 when the run's model learns images (its kind has no generated task):
 * the kind says so, its name is never compared. */
static int sees_images(const Snapshot *s)
{
    const ModelKind *k = s ? model_kind_of(&s->config) : NULL;
    return !k || !k->task;
}

Status ih_view(const IhResult *r, const Snapshot *s, JobResult *out)
{
    StrBuf *t = &out->text;
    strbuf_printf(t, "Hidden-node information IH · epoch %zu\n", s->epoch);
    strbuf_printf(t, "IH = MI(unit active > 0.5; class), bits,\nmean per layer over the probe items\n\n");
    Status st = ST_OK;
    if (r->n) {
        view_table(r, t);
        const double *ys[IH_MAX_LAYERS];
        for (size_t h = 0; h < r->n_hidden; h++)
            ys[h] = r->mean[h];
        size_t before = out->n_plots;
        st = job_result_add_lines(out, "mean IH per layer (bits)", r->epochs, ys, r->n_hidden, r->n);
        for (size_t h = 0; !st && out->n_plots > before && h < r->n_hidden && h < JOB_PLOT_MAX_SERIES; h++)
            snprintf(out->plots[before].names[h], sizeof out->plots[before].names[h], "IH HL%zu", h + 1);
    } else {
        strbuf_printf(t, "(no ih_hl*_mean series recorded in this run)\n\n");
    }
    if (sees_images(s))
        strbuf_printf(t, "Seed paper 000: both layers gain IH early;\nlate, HL1 falls while HL2 keeps rising.\n");
    else
        strbuf_printf(t, "Classes: the %s task's labels,\nnot digits; seed paper 000's pattern for\n"
                         "the MLP on MNIST does not apply.\n",
                      model_kind_of(&s->config)->task);
    for (size_t h = 0; h < r->n_hidden && !st && r->unit_ih[h]; h++) {
        char label[48];
        snprintf(label, sizeof label, "IH per HL%zu unit, epoch %zu", h + 1, s->epoch);
        st = jobs_add_unit_map(out, label, r->unit_ih[h], r->units[h], 0, 0, 0);
    }
    return st;
}

Status ih_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Status st = jobs_need_snapshot(s, "ih", msg);
    if (st)
        return st;
    SeriesTable t;
    if ((st = jobs_series(a, s, &t, msg)))
        return st;
    IhResult r;
    st = ih_compute(&t, s, &r, msg);
    series_done(&t);
    job_set_progress(job, 0.8);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        ih_json(&r, s, &w);
        if (ih_view(&r, s, out))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plot and maps");
        ih_result_done(&r);
    }
    return st;
}
