/* :pca and :distances (jobs_info.h): principal components of the probe
 * activity and category distances in that space. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/measure/jobs_info.h"

/* Epochs besides the shown one that :pca and :distances visit. */
#define ACTIVITY_EPOCHS 8

/* ---- the activity matrix ------------------------------------------------ */

/* The probe items' activity over every layer: n_probe × d floats, the input
 * pixels (x/255 of the first n_probe held-out items, as the trainer feeds
 * them) then each later layer's activations. Without a data set of the
 * right shape the input block is left out (*with_input = 0). */
static Status activity_matrix(const Snapshot *s, const Dataset *data, float **out, size_t *d, int *with_input,
                              char *msg)
{
    *out = NULL;
    if (s->n_probe < 2)
        return status_fail(msg, ST_EINVAL, "epoch %zu holds %zu probe items; PCA needs at least 2", s->epoch,
                           s->n_probe);
    size_t n_in = s->config.sizes[0];
    *with_input = data && data->test.rows * data->test.cols == n_in && data->test.n >= s->n_probe;
    size_t cols = *with_input ? n_in : 0;
    for (size_t l = 1; l < s->config.n_layers; l++)
        cols += s->config.sizes[l];
    if (cols > SIZE_MAX / sizeof(float) / s->n_probe)
        return status_fail(msg, ST_EINVAL, "%zu × %zu activity values overflow", s->n_probe, cols);
    float *x = malloc(s->n_probe * cols * sizeof(float));
    float *pix = *with_input ? malloc(n_in * sizeof(float)) : NULL;
    if (!x || (*with_input && !pix)) {
        free(x);
        free(pix);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu × %zu activity values", s->n_probe, cols);
    }
    for (size_t i = 0; i < s->n_probe; i++) {
        float *row = x + i * cols;
        if (*with_input) {
            imageset_item_float(&data->test, i, pix);
            memcpy(row, pix, n_in * sizeof(float));
            row += n_in;
        }
        for (size_t l = 1; l < s->config.n_layers; l++) {
            size_t u = s->config.sizes[l];
            memcpy(row, s->acts[l - 1] + i * u, u * sizeof(float));
            row += u;
        }
    }
    free(pix);
    *out = x;
    *d = cols;
    return ST_OK;
}

static void describe_units(const Snapshot *s, int with_input, StrBuf *text)
{
    strbuf_printf(text, "%zu probe items × the units of\n ", s->n_probe);
    for (size_t l = with_input ? 0 : 1; l < s->config.n_layers; l++) {
        char name[16];
        model_layer_name(&s->config, l, 0, name, sizeof name);
        strbuf_printf(text, "%s%s %zu", l == (with_input ? 0u : 1u) ? "" : ", ", name, s->config.sizes[l]);
    }
    strbuf_append(text, "\n");
}

/* The epochs to visit: up to ACTIVITY_EPOCHS recorded epochs before the
 * shown one, evenly spread, then the shown one. Returns the count. */
static size_t visit_epochs(const AnalysisArgs *a, const Snapshot *s, size_t *epochs, char *msg)
{
    SeriesTable t;
    size_t k = 0;
    if (jobs_series(a, s, &t, msg) == ST_OK) {
        size_t n = 0;
        while (n < t.n && t.epoch[n] < (double)s->epoch)
            n++;
        size_t idx[ACTIVITY_EPOCHS];
        size_t m = jobs_pick_indices(n, ACTIVITY_EPOCHS, idx);
        for (size_t i = 0; i < m; i++)
            epochs[k++] = (size_t)t.epoch[idx[i]];
        series_done(&t);
    }
    epochs[k++] = s->epoch;
    return k;
}

static int *probe_classes(const Snapshot *s)
{
    int *cls = malloc(s->n_probe * sizeof(int));
    for (size_t i = 0; cls && i < s->n_probe; i++)
        cls[i] = s->probe_labels[i];
    return cls;
}

/* ---- :pca --------------------------------------------------------------- */

Status job_pca(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    const Dataset *data = jobs_data(a);
    size_t epochs[ACTIVITY_EPOCHS + 1];
    size_t n_ep = visit_epochs(a, s, epochs, msg);
    double ev1[ACTIVITY_EPOCHS + 1], top3[ACTIVITY_EPOCHS + 1], n80s[ACTIVITY_EPOCHS + 1],
        x_ep[ACTIVITY_EPOCHS + 1];
    size_t done = 0, skipped = 0;
    double *ratio = NULL, *scores = NULL;
    float *x = NULL;
    size_t d = 0, n80 = 0;
    int with_input = 0;
    PcaFit *fit = NULL;
    EpochSource src;
    epoch_source_init(&src, s, a);
    Status st = ST_OK;
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_key(&w, "over_epochs");
    json_array_begin(&w);
    for (size_t e = 0; e < n_ep && !st; e++) {
        if (*job_cancel_flag(job)) {
            st = status_fail(msg, ST_ECANCELED, "cancelled");
            break;
        }
        Snapshot *se = NULL;
        char why[STATUS_MSG_LEN];
        if (epoch_source_get(&src, epochs[e], 1, &se, why)) {
            if (e + 1 == n_ep)
                st = status_fail(msg, ST_EINVAL, "%s", why);
            skipped++;
            continue;
        }
        free(x);
        x = NULL;
        st = activity_matrix(se, data, &x, &d, &with_input, msg);
        if (!st && !ratio && !(ratio = malloc(d * sizeof(double))))
            st = status_fail(msg, ST_ENOMEM, "out of memory");
        if (!st)
            st = pca_explained_f(x, se->n_probe, d, d, 1, ratio, &n80, msg);
        snapshot_release(se);
        if (st)
            break;
        x_ep[done] = (double)epochs[e];
        ev1[done] = ratio[0];
        top3[done] = ratio[0] + (d > 1 ? ratio[1] : 0) + (d > 2 ? ratio[2] : 0);
        n80s[done] = (double)n80;
        json_object_begin(&w);
        json_kv_int(&w, "epoch", (long long)epochs[e]);
        json_key(&w, "explained_top10");
        json_real_array(&w, ratio, d < 10 ? d : 10);
        json_kv_int(&w, "n80", (long long)n80);
        json_object_end(&w);
        done++;
        job_set_progress(job, 0.9 * (double)(e + 1) / (double)n_ep);
    }
    json_array_end(&w);
    /* x and ratio now hold the shown epoch (the last visited). */
    size_t k = d < 3 ? d : 3;
    if (!st)
        st = pca_fit_f(x, s->n_probe, d, d, 1, k, &fit, msg);
    if (!st && !(scores = malloc(s->n_probe * k * sizeof(double))))
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st)
        st = pca_transform_f(fit, x, s->n_probe, d, scores, msg);
    if (!st) {
        strbuf_printf(&out->text, "PCA of probe activity · epoch %zu\n", s->epoch);
        describe_units(s, with_input, &out->text);
        strbuf_printf(&out->text, "standardised (METHODS §10)%s\n\n",
                      with_input ? "" : "; no data set: input left out");
        strbuf_printf(&out->text, "explained variance, top 10 (%%):\n");
        for (size_t i = 0; i < d && i < 10; i++)
            strbuf_printf(&out->text, "%5.1f%s", 100.0 * ratio[i], i == 4 ? "\n" : "");
        strbuf_printf(&out->text, "\ntop 3: %.1f%%   n80 = %zu of %zu\n\n", 100.0 * top3[done - 1], n80, d);
        strbuf_printf(&out->text, " epoch   PC1%%  top3%%   n80\n");
        for (size_t i = 0; i < done; i++)
            strbuf_printf(&out->text, "%6.0f  %5.1f  %5.1f  %4.0f\n", x_ep[i], 100.0 * ev1[i], 100.0 * top3[i],
                          n80s[i]);
        if (skipped)
            strbuf_printf(&out->text, "(%zu earlier epoch%s not available)\n", skipped, skipped == 1 ? "" : "s");
        strbuf_printf(&out->text, "\nScatter: the probe items on PC pairs,\none colour per class.\n");
        json_kv_int(&w, "units", (long long)d);
        json_kv_int(&w, "with_input", with_input);
        json_key(&w, "explained");
        json_real_array(&w, ratio, d);
        json_kv_int(&w, "n80", (long long)n80);
        json_key(&w, "projection");
        json_real_array(&w, scores, s->n_probe * k);
        int *cls = probe_classes(s);
        double *px = malloc(s->n_probe * sizeof(double)), *py = malloc(s->n_probe * sizeof(double));
        static const size_t pairs[3][2] = {{0, 1}, {0, 2}, {1, 2}};
        for (size_t p = 0; p < 3 && !st; p++) {
            if (pairs[p][1] >= k)
                break;
            if (!cls || !px || !py) {
                st = status_fail(msg, ST_ENOMEM, "out of memory");
                break;
            }
            for (size_t i = 0; i < s->n_probe; i++) {
                px[i] = scores[i * k + pairs[p][0]];
                py[i] = scores[i * k + pairs[p][1]];
            }
            char label[48];
            snprintf(label, sizeof label, "PC%zu (x) vs PC%zu (y)", pairs[p][0] + 1, pairs[p][1] + 1);
            Status add;
            if (p == 0 && k == 3) {
                /* The top-3 projection as a cloud the viewer can rotate. */
                double *pz = malloc(s->n_probe * sizeof(double));
                for (size_t i = 0; pz && i < s->n_probe; i++)
                    pz[i] = scores[i * k + 2];
                add = pz ? job_result_add_cloud(out, "PC1-3 in 3-D: a/d w/s rotate", px, py, pz, cls, s->n_probe)
                         : ST_ENOMEM;
                free(pz);
            } else {
                add = job_result_add_scatter(out, label, px, py, cls, s->n_probe);
            }
            if (add)
                st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
        }
        const double *ys[2] = {ev1, top3};
        if (!st && done > 1 && job_result_add_lines(out, "PC1 (1), top-3 (2) by epoch", x_ep, ys, 2, done))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
        free(cls);
        free(px);
        free(py);
    }
    json_object_end(&w);
    epoch_source_done(&src);
    pca_fit_free(fit);
    free(scores);
    free(ratio);
    free(x);
    return st;
}

/* ---- :distances --------------------------------------------------------- */

Status job_distances(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    const Dataset *data = jobs_data(a);
    float *x = NULL;
    size_t d = 0;
    int with_input = 0;
    PcaFit *fit = NULL;
    Status st = activity_matrix(s, data, &x, &d, &with_input, msg);
    size_t k = d < 3 ? d : 3;
    if (!st)
        st = pca_fit_f(x, s->n_probe, d, d, 1, k, &fit, msg);
    free(x);
    x = NULL;
    if (st)
        return st;
    job_set_progress(job, 0.3);
    size_t epochs[ACTIVITY_EPOCHS + 1];
    size_t n_ep = visit_epochs(a, s, epochs, msg);
    double ex[ACTIVITY_EPOCHS + 1], within[ACTIVITY_EPOCHS + 1], between[ACTIVITY_EPOCHS + 1];
    size_t done = 0, skipped = 0;
    double *scores = malloc(s->n_probe * k * sizeof(double));
    int *cls = probe_classes(s);
    if (!scores || !cls)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    EpochSource src;
    epoch_source_init(&src, s, a);
    for (size_t e = 0; e < n_ep && !st; e++) {
        if (*job_cancel_flag(job)) {
            st = status_fail(msg, ST_ECANCELED, "cancelled");
            break;
        }
        Snapshot *se = NULL;
        char why[STATUS_MSG_LEN];
        size_t de = 0;
        int wi = 0;
        if (epoch_source_get(&src, epochs[e], 1, &se, why) || se->n_probe != s->n_probe ||
            activity_matrix(se, data, &x, &de, &wi, why) || de != d) {
            snapshot_release(se);
            free(x);
            x = NULL;
            skipped++;
            continue;
        }
        st = pca_transform_f(fit, x, se->n_probe, d, scores, msg);
        if (!st)
            st = pca_category_distances(scores, se->n_probe, k, cls, &within[done], &between[done], msg);
        snapshot_release(se);
        free(x);
        x = NULL;
        if (!st)
            ex[done++] = (double)epochs[e];
        job_set_progress(job, 0.3 + 0.6 * (double)(e + 1) / (double)n_ep);
    }
    epoch_source_done(&src);
    if (!st && done == 0)
        st = status_fail(msg, ST_EINVAL, "no epoch with probe activations could be projected");
    if (!st) {
        strbuf_printf(&out->text, "Category distances · PCA space of epoch %zu\n", s->epoch);
        describe_units(s, with_input, &out->text);
        strbuf_printf(&out->text, "top %zu components (%.1f%% of the variance)\n\n", k,
                      100.0 * (fit->ratio[0] + (k > 1 ? fit->ratio[1] : 0) + (k > 2 ? fit->ratio[2] : 0)));
        strbuf_printf(&out->text, "within  = mean distance of an item to its\n          class centroid\n");
        strbuf_printf(&out->text, "between = mean distance between centroids\n\n");
        strbuf_printf(&out->text, " epoch   within  between  ratio\n");
        for (size_t i = 0; i < done; i++)
            strbuf_printf(&out->text, "%6.0f %8.3f %8.3f %6.2f\n", ex[i], within[i], between[i],
                          within[i] > 0 ? between[i] / within[i] : NAN);
        if (skipped)
            strbuf_printf(&out->text, "(%zu earlier epoch%s not available)\n", skipped, skipped == 1 ? "" : "s");
        strbuf_printf(&out->text, "\nSeed paper 000 (Fig. 4): classes overlap\nearly, spread apart in the middle, and\ntighten late.\n");
        JsonWriter w;
        json_init(&w, &out->json);
        json_object_begin(&w);
        json_kv_int(&w, "epoch", (long long)s->epoch);
        json_kv_int(&w, "components", (long long)k);
        json_key(&w, "epochs");
        json_real_array(&w, ex, done);
        json_key(&w, "within");
        json_real_array(&w, within, done);
        json_key(&w, "between");
        json_real_array(&w, between, done);
        json_object_end(&w);
        const double *ys[2] = {within, between};
        if (done > 1 && job_result_add_lines(out, "within (1) and between (2)", ex, ys, 2, done))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plot");
        /* The shown epoch (visited last) on PC1-PC2. */
        double *px = malloc(s->n_probe * sizeof(double)), *py = malloc(s->n_probe * sizeof(double));
        float *xs = NULL;
        size_t dd;
        int wi;
        if (!st && px && py && k >= 2 && activity_matrix(s, data, &xs, &dd, &wi, msg) == ST_OK &&
            pca_transform_f(fit, xs, s->n_probe, d, scores, msg) == ST_OK) {
            for (size_t i = 0; i < s->n_probe; i++) {
                px[i] = scores[i * k];
                py[i] = scores[i * k + 1];
            }
            if (job_result_add_scatter(out, "PC1 (x) vs PC2 (y)", px, py, cls, s->n_probe))
                st = status_fail(msg, ST_ENOMEM, "out of memory for the plot");
        }
        free(xs);
        free(px);
        free(py);
    }
    pca_fit_free(fit);
    free(scores);
    free(cls);
    return st;
}
