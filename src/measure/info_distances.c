/* Within- and between-category distances in the PCA space of the shown
 * epoch (info_distances.h). */
#include "neurotop/measure/info_distances.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/pca.h"

void distances_result_done(DistancesResult *r)
{
    free(r->pc1);
    free(r->pc2);
    free(r->cls);
    memset(r, 0, sizeof *r);
}

/* The fit of the shown epoch's activity and its items' PC1/PC2 scores. */
static Status fit_shown(const Snapshot *s, const Dataset *data, DistancesResult *r, PcaFit **fit, size_t *d,
                        char *msg)
{
    double *x = NULL, *scores = NULL;
    Status st = jobs_activity_matrix(s, data, &x, d, &r->with_input, msg);
    r->k = *d < 3 ? *d : 3;
    r->n = s->n_probe;
    if (!st)
        st = pca_fit(x, s->n_probe, *d, *d, 1, r->k, fit, msg);
    if (!st && (!(r->cls = jobs_probe_classes(s)) || !(scores = malloc(r->n * r->k * sizeof *scores))))
        st = status_fail(msg, ST_ENOMEM, "out of memory for the scores of %zu items", r->n);
    if (!st)
        st = pca_transform(*fit, x, r->n, *d, scores, msg);
    for (size_t c = 0; !st && c < r->k; c++)
        r->share += (*fit)->ratio[c];
    if (!st && r->k >= 2) {
        r->pc1 = malloc(r->n * sizeof *r->pc1);
        r->pc2 = malloc(r->n * sizeof *r->pc2);
        if (!r->pc1 || !r->pc2)
            st = status_fail(msg, ST_ENOMEM, "out of memory for the scores of %zu items", r->n);
        for (size_t i = 0; !st && i < r->n; i++) {
            r->pc1[i] = scores[i * r->k];
            r->pc2[i] = scores[i * r->k + 1];
        }
    }
    free(scores);
    free(x);
    return st;
}

/* Projects epoch `epoch` into the fit; 0 when it cannot be (missing, other
 * probe items or units), ST_ENOMEM aside. */
static int project_epoch(EpochSource *src, size_t epoch, const Dataset *data, const PcaFit *fit,
                         const DistancesResult *r, double *within, double *between)
{
    Snapshot *se = NULL;
    double *x = NULL, *scores = malloc(r->n * r->k * sizeof *scores);
    size_t d = 0;
    int with_input;
    char why[STATUS_MSG_LEN];
    int ok = scores && epoch_source_get(src, epoch, 1, &se, why) == ST_OK && se->n_probe == r->n &&
             jobs_activity_matrix(se, data, &x, &d, &with_input, why) == ST_OK && d == fit->d &&
             pca_transform(fit, x, r->n, d, scores, why) == ST_OK &&
             pca_category_distances(scores, r->n, r->k, r->cls, within, between, why) == ST_OK;
    free(scores);
    free(x);
    snapshot_release(se);
    return ok;
}

Status distances_compute(Job *job, const Snapshot *s, const AnalysisArgs *a, DistancesResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    const Dataset *data = jobs_data(a);
    PcaFit *fit = NULL;
    size_t d = 0;
    Status st = fit_shown(s, data, r, &fit, &d, msg);
    job_set_progress(job, 0.3);
    size_t epochs[JOBS_VISIT_EPOCHS + 1];
    size_t n_ep = st ? 0 : jobs_visit_epochs(a, s, epochs);
    EpochSource src;
    epoch_source_init(&src, s, a);
    for (size_t e = 0; e < n_ep && !st; e++) {
        if (jobs_cancelled(job)) {
            st = status_fail(msg, ST_ECANCELED, "cancelled");
            break;
        }
        size_t i = r->n_epochs;
        if (project_epoch(&src, epochs[e], data, fit, r, &r->within[i], &r->between[i]))
            r->epochs[r->n_epochs++] = (double)epochs[e];
        else
            r->skipped++;
        job_set_progress(job, 0.3 + 0.6 * (double)(e + 1) / (double)n_ep);
    }
    epoch_source_done(&src);
    pca_fit_free(fit);
    if (!st && r->n_epochs == 0)
        st = status_fail(msg, ST_EINVAL, "no epoch with probe activations could be projected");
    return st;
}

void distances_json(const DistancesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_int(w, "components", (long long)r->k);
    json_key(w, "epochs");
    json_real_array(w, r->epochs, r->n_epochs);
    json_key(w, "within");
    json_real_array(w, r->within, r->n_epochs);
    json_key(w, "between");
    json_real_array(w, r->between, r->n_epochs);
    json_object_end(w);
}

/* 1 when the run's model learns images (its kind has no generated task):
 * the kind says so, its name is never compared. */
static int sees_images(const Snapshot *s)
{
    const ModelKind *k = s ? model_kind_of(&s->config) : NULL;
    return !k || !k->task;
}

Status distances_view(const DistancesResult *r, const Snapshot *s, JobResult *out)
{
    StrBuf *t = &out->text;
    strbuf_printf(t, "Category distances · PCA space of epoch %zu\n", s->epoch);
    jobs_describe_units(s, r->with_input, t);
    strbuf_printf(t, "top %zu components (%.1f%% of the variance)\n\n", r->k, 100.0 * r->share);
    strbuf_printf(t, "within  = mean distance of an item to its\n          class centroid\n");
    strbuf_printf(t, "between = mean distance between centroids\n\n");
    strbuf_printf(t, " epoch   within  between  ratio\n");
    for (size_t i = 0; i < r->n_epochs; i++)
        strbuf_printf(t, "%6.0f %8.3f %8.3f %6.2f\n", r->epochs[i], r->within[i], r->between[i],
                      r->within[i] > 0 ? r->between[i] / r->within[i] : NAN);
    if (r->skipped)
        strbuf_printf(t, "(%zu earlier epoch%s not available)\n", r->skipped, r->skipped == 1 ? "" : "s");
    if (sees_images(s))
        strbuf_printf(t, "\nSeed paper 000 (Fig. 4): classes overlap\nearly, spread apart in the middle, and\n"
                         "tighten late.\n");
    else
        strbuf_printf(t, "\nClasses: the %s task's labels;\nseed paper 000's digits do not apply.\n",
                      model_kind_of(&s->config)->task);
    /* The untrained epoch 0 is far off the scale of the others (random
     * weights spread the items widely): the plot starts after it, the table
     * keeps it. */
    size_t i0 = 0;
    while (i0 < r->n_epochs && r->epochs[i0] <= 0)
        i0++;
    if (r->n_epochs - i0 < 2)
        i0 = 0;
    const double *ys[2] = {r->within + i0, r->between + i0};
    Status st = ST_OK;
    if (r->n_epochs - i0 > 1) {
        char label[48];
        snprintf(label, sizeof label, i0 ? "within, between from epoch %.0f" : "within, between", r->epochs[i0]);
        size_t before = out->n_plots;
        st = job_result_add_lines(out, label, r->epochs + i0, ys, 2, r->n_epochs - i0);
        if (!st && out->n_plots > before) {
            snprintf(out->plots[before].names[0], sizeof out->plots[before].names[0], "within");
            snprintf(out->plots[before].names[1], sizeof out->plots[before].names[1], "between");
        }
    }
    if (!st && r->pc1)
        st = job_result_add_scatter(out, "PC1 (x) vs PC2 (y)", r->pc1, r->pc2, r->cls, r->n);
    return st;
}

Status distances_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Status st = jobs_need_snapshot(s, "distances", msg);
    DistancesResult r = {0};
    if (!st)
        st = distances_compute(job, s, a, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        distances_json(&r, s, &w);
        if (distances_view(&r, s, out))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
    }
    distances_result_done(&r);
    return st;
}
