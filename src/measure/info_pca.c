/* Explained variance of a PCA, of a matrix or of a snapshot's probe
 * activity (info_pca.h). */
#include "neurotop/measure/info_pca.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

void princomp_result_done(PrincompResult *r)
{
    free(r->ratio);
    free(r->scores);
    free(r->cls);
    memset(r, 0, sizeof *r);
}

Status princomp_compute(const double *x, size_t n, size_t d, int standardize, PrincompResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->ratio = malloc((d ? d : 1) * sizeof *r->ratio);
    if (!r->ratio)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu ratios", d);
    Status st = pca_explained(x, n, d, d, standardize, r->ratio, &r->n80, msg);
    if (st) {
        princomp_result_done(r);
        return st;
    }
    r->n = n;
    r->d = d;
    return ST_OK;
}

static void epoch_record(PrincompEpoch *e, size_t epoch, const double *ratio, size_t d, size_t n80)
{
    e->epoch = epoch;
    e->n_top = d < PRINCOMP_TOP ? d : PRINCOMP_TOP;
    memcpy(e->top, ratio, e->n_top * sizeof *ratio);
    e->n80 = n80;
}

static double top3(const PrincompEpoch *e)
{
    double sum = 0.0;
    for (size_t i = 0; i < e->n_top && i < 3; i++)
        sum += e->top[i];
    return sum;
}

void princomp_json(const PrincompResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_key(w, "explained_ratio");
    json_real_array(w, r->ratio, r->d);
    json_kv_int(w, "n80", (long long)r->n80);
    if (s) {
        json_kv_int(w, "units", (long long)r->d);
        json_kv_int(w, "with_input", r->with_input);
        json_key(w, "over_epochs");
        json_array_begin(w);
        for (size_t e = 0; e < r->n_epochs; e++) {
            json_object_begin(w);
            json_kv_int(w, "epoch", (long long)r->epochs[e].epoch);
            json_key(w, "explained_top10");
            json_real_array(w, r->epochs[e].top, r->epochs[e].n_top);
            json_kv_int(w, "n80", (long long)r->epochs[e].n80);
            json_object_end(w);
        }
        json_array_end(w);
        json_key(w, "projection");
        json_real_array(w, r->scores, r->scores ? r->n * r->k : 0);
    }
    json_object_end(w);
}

static void view_text(const PrincompResult *r, const Snapshot *s, StrBuf *t)
{
    if (s) {
        strbuf_printf(t, "PCA of probe activity · epoch %zu\n", s->epoch);
        jobs_describe_units(s, r->with_input, t);
        strbuf_printf(t, "standardised (docs/methods.md §16)%s\n\n",
                      r->with_input ? "" : "; no data set: input left out");
    } else {
        strbuf_printf(t, "PCA of %zu rows × %zu columns\n\n", r->n, r->d);
    }
    strbuf_printf(t, "explained variance, top 10 (%%):\n");
    for (size_t i = 0; i < r->d && i < PRINCOMP_TOP; i++)
        strbuf_printf(t, "%5.1f%s", 100.0 * r->ratio[i], i == 4 ? "\n" : "");
    PrincompEpoch shown;
    epoch_record(&shown, 0, r->ratio, r->d, r->n80);
    strbuf_printf(t, "\ntop 3: %.1f%%   n80 = %zu of %zu\n", 100.0 * top3(&shown), r->n80, r->d);
    if (!s)
        return;
    strbuf_printf(t, "\n epoch   PC1%%  top3%%   n80\n");
    for (size_t i = 0; i < r->n_epochs; i++)
        strbuf_printf(t, "%6zu  %5.1f  %5.1f  %4zu\n", r->epochs[i].epoch, 100.0 * r->epochs[i].top[0],
                      100.0 * top3(&r->epochs[i]), r->epochs[i].n80);
    if (r->skipped)
        strbuf_printf(t, "(%zu earlier epoch%s not available)\n", r->skipped, r->skipped == 1 ? "" : "s");
    strbuf_printf(t, "\nScatter: the probe items on PC pairs, one\ncolour per class (legend under it; with\n"
                     "fewer than 256 colours the class number\nis the marker).\n");
}

/* The projection on the top-3 components as a cloud, then the PC1-PC3 and
 * PC2-PC3 planes (PC1-PC2 with only two components). */
static Status view_projection(const PrincompResult *r, JobResult *out)
{
    static const size_t pairs[3][2] = {{0, 1}, {0, 2}, {1, 2}};
    size_t n = r->n;
    double *px = malloc((n ? n : 1) * sizeof *px), *py = malloc((n ? n : 1) * sizeof *py),
           *pz = malloc((n ? n : 1) * sizeof *pz);
    Status st = px && py && pz ? ST_OK : ST_ENOMEM;
    for (size_t p = 0; p < 3 && !st && pairs[p][1] < r->k; p++) {
        for (size_t i = 0; i < n; i++) {
            px[i] = r->scores[i * r->k + pairs[p][0]];
            py[i] = r->scores[i * r->k + pairs[p][1]];
            pz[i] = r->k == 3 ? r->scores[i * r->k + 2] : 0.0;
        }
        char label[48];
        snprintf(label, sizeof label, "PC%zu (x) vs PC%zu (y)", pairs[p][0] + 1, pairs[p][1] + 1);
        if (p == 0 && r->k == 3)
            st = job_result_add_cloud(out, "PC1-3 in 3-D: a/d w/s rotate", px, py, pz, r->cls, n);
        else
            st = job_result_add_scatter(out, label, px, py, r->cls, n);
    }
    free(px);
    free(py);
    free(pz);
    return st;
}

Status princomp_view(const PrincompResult *r, const Snapshot *s, JobResult *out)
{
    view_text(r, s, &out->text);
    if (!s)
        return ST_OK;
    Status st = r->scores && r->cls ? view_projection(r, out) : ST_OK;
    if (st || r->n_epochs < 2)
        return st;
    double x[PRINCOMP_EPOCHS], pc1[PRINCOMP_EPOCHS], t3[PRINCOMP_EPOCHS];
    for (size_t e = 0; e < r->n_epochs; e++) {
        x[e] = (double)r->epochs[e].epoch;
        pc1[e] = r->epochs[e].top[0];
        t3[e] = top3(&r->epochs[e]);
    }
    const double *ys[2] = {pc1, t3};
    size_t before = out->n_plots;
    st = job_result_add_lines(out, "variance explained by epoch", x, ys, 2, r->n_epochs);
    if (!st && out->n_plots > before) {
        snprintf(out->plots[before].names[0], sizeof out->plots[before].names[0], "PC1");
        snprintf(out->plots[before].names[1], sizeof out->plots[before].names[1], "top-3");
    }
    return st;
}

/* ---- a snapshot's probe activity ---------------------------------------- */

/* The ratios of an earlier epoch into *e; 0 when it cannot be read or
 * analysed (it is then reported as not available). */
static int visit_epoch(EpochSource *src, size_t epoch, const Dataset *data, PrincompEpoch *e)
{
    Snapshot *se = NULL;
    double *x = NULL;
    size_t d;
    int with_input;
    PrincompResult r = {0};
    char why[STATUS_MSG_LEN];
    int ok = epoch_source_get(src, epoch, 1, &se, why) == ST_OK &&
             jobs_activity_matrix(se, data, &x, &d, &with_input, why) == ST_OK &&
             princomp_compute(x, se->n_probe, d, 1, &r, why) == ST_OK;
    if (ok)
        epoch_record(e, epoch, r.ratio, r.d, r.n80);
    princomp_result_done(&r);
    free(x);
    snapshot_release(se);
    return ok;
}

/* The shown epoch: ratios, then the items' scores on the top-k axes. */
static Status analyse_shown(EpochSource *src, const Snapshot *s, const Dataset *data, PrincompResult *r,
                            char *msg)
{
    Snapshot *se = NULL;
    double *x = NULL;
    size_t d = 0;
    int with_input = 0;
    PcaFit *fit = NULL;
    Status st = epoch_source_get(src, s->epoch, 1, &se, msg);
    if (!st)
        st = jobs_activity_matrix(se, data, &x, &d, &with_input, msg);
    if (!st)
        st = princomp_compute(x, se->n_probe, d, 1, r, msg);
    if (!st) {
        r->with_input = with_input;
        r->k = d < 3 ? d : 3;
        st = pca_fit(x, r->n, d, d, 1, r->k, &fit, msg);
    }
    if (!st && (!(r->scores = malloc(r->n * r->k * sizeof *r->scores)) || !(r->cls = jobs_probe_classes(se))))
        st = status_fail(msg, ST_ENOMEM, "out of memory for the projection of %zu items", r->n);
    if (!st)
        st = pca_transform(fit, x, r->n, d, r->scores, msg);
    pca_fit_free(fit);
    free(x);
    snapshot_release(se);
    return st;
}

static Status snapshot_pca(Job *job, const Snapshot *s, const AnalysisArgs *a, PrincompResult *r, char *msg)
{
    const Dataset *data = jobs_data(a);
    size_t epochs[JOBS_VISIT_EPOCHS + 1];
    size_t n_ep = jobs_visit_epochs(a, s, epochs);
    EpochSource src;
    epoch_source_init(&src, s, a);
    memset(r, 0, sizeof *r);
    Status st = analyse_shown(&src, s, data, r, msg);
    for (size_t e = 0; e + 1 < n_ep && !st; e++) {
        if (jobs_cancelled(job)) {
            st = status_fail(msg, ST_ECANCELED, "cancelled");
            break;
        }
        int ok = visit_epoch(&src, epochs[e], data, &r->epochs[r->n_epochs]);
        r->n_epochs += (size_t)ok;
        r->skipped += (size_t)!ok;
        job_set_progress(job, 0.9 * (double)(e + 2) / (double)n_ep);
    }
    if (!st)
        epoch_record(&r->epochs[r->n_epochs++], s->epoch, r->ratio, r->d, r->n80);
    epoch_source_done(&src);
    return st;
}

static Status file_pca(const AnalysisArgs *a, PrincompResult *r, char *msg)
{
    Matrix *x = NULL;
    Status st = matrix_read_file(a->files[PARAM_MATRIX], &x, msg);
    if (!st)
        st = princomp_compute(x->data, x->rows, x->cols, a->standardize, r, msg);
    matrix_free(x);
    return st;
}

Status princomp_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    PrincompResult r = {0};
    Status st = s ? snapshot_pca(job, s, a, &r, msg) : file_pca(a, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        princomp_json(&r, s, &w);
        if (princomp_view(&r, s, out))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
    }
    princomp_result_done(&r);
    return st;
}
