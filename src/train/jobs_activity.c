/* :pca, :distances, :phases and :confusion (jobs_info.h): analyses of the
 * probe activity, the per-epoch series and the held-out evaluation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/train/jobs_info.h"

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
        jobs_layer_name(l, s->config.n_layers, name, sizeof name);
        strbuf_printf(text, "%s%s %zu", l == (with_input ? 0u : 1u) ? "" : ", ", name, s->config.sizes[l]);
    }
    strbuf_append(text, "\n");
}

/* The epochs to visit: up to ACTIVITY_EPOCHS recorded epochs before the
 * shown one, evenly spread, then the shown one. Returns the count. */
static size_t visit_epochs(const JobArgs *a, const Snapshot *s, size_t *epochs, char *msg)
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

Status job_pca(Job *job, const Snapshot *s, const JobArgs *a, JobResult *out, char *msg)
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
            if (job_result_add_scatter(out, label, px, py, cls, s->n_probe))
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

Status job_distances(Job *job, const Snapshot *s, const JobArgs *a, JobResult *out, char *msg)
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

/* ---- :phases ------------------------------------------------------------ */

/* Writes words of text into lines of at most width columns. */
static void wrap(StrBuf *out, const char *text, size_t width)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (!len)
            break;
        if (col && col + 1 + len > width) {
            strbuf_append(out, "\n");
            col = 0;
        } else if (col) {
            strbuf_append(out, " ");
            col++;
        }
        strbuf_printf(out, "%.*s", (int)len, p);
        col += len;
        p += len;
    }
    strbuf_append(out, "\n");
}

typedef struct {
    const char *key, *name;
    size_t n;
    double *x, *q, *acc;
    long *ep;
    Phase *lab;
    PhaseResult res;
    int ok;
    char problem[STATUS_MSG_LEN];
} PhaseRun;

static Status phase_run(const SeriesTable *t, const double *acc, PhaseRun *r, char *msg)
{
    const double *q = series_get(t, r->key);
    r->x = malloc((t->n + 1) * sizeof(double));
    r->q = malloc((t->n + 1) * sizeof(double));
    r->acc = malloc((t->n + 1) * sizeof(double));
    r->ep = malloc((t->n + 1) * sizeof(long));
    r->lab = malloc((t->n + 1) * sizeof(Phase));
    if (!r->x || !r->q || !r->acc || !r->ep || !r->lab)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    r->n = 0;
    for (size_t i = 0; q && acc && i < t->n; i++)
        if (isfinite(q[i]) && isfinite(acc[i])) {
            r->x[r->n] = t->epoch[i];
            r->q[r->n] = q[i];
            r->acc[r->n] = acc[i];
            r->ep[r->n++] = (long)t->epoch[i];
        }
    if (r->n < 3) {
        snprintf(r->problem, sizeof r->problem, "%zu epochs with %s and test_acc: need 3", r->n, r->key);
        return ST_OK;
    }
    if (phases_detect(r->q, r->acc, r->ep, r->n, NULL, r->lab, &r->res, r->problem) == ST_OK)
        r->ok = 1;
    return ST_OK;
}

static void phase_run_done(PhaseRun *r)
{
    free(r->x);
    free(r->q);
    free(r->acc);
    free(r->ep);
    free(r->lab);
}

/* First and last epoch labelled p, or 0 when none. */
static int phase_span(const PhaseRun *r, Phase p, long *first, long *last)
{
    int found = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->lab[i] == p) {
            if (!found)
                *first = r->ep[i];
            *last = r->ep[i];
            found = 1;
        }
    return found;
}

Status job_phases(Job *job, const Snapshot *s, const JobArgs *a, JobResult *out, char *msg)
{
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    const double *acc = series_get(&t, "test_acc");
    PhaseRun runs[2] = {{.key = "q_whole", .name = "whole"}, {.key = "q_hidden", .name = "hidden"}};
    for (int i = 0; i < 2 && !st; i++)
        st = phase_run(&t, acc, &runs[i], msg);
    job_set_progress(job, 0.6);
    if (!st && !runs[0].ok && !runs[1].ok)
        st = status_fail(msg, ST_EINVAL, "no phases: %s", runs[0].problem);
    if (!st) {
        PhaseParams pp;
        phases_default_params(&pp);
        strbuf_printf(&out->text, "Learning phases · epochs up to %zu\n", s->epoch);
        strbuf_printf(&out->text, "noise floor %.3g, smoothing window %zu\n\n", pp.noise, pp.window);
        strbuf_printf(&out->text, "graph   early    middle   late     peak\n");
        JsonWriter w;
        json_init(&w, &out->json);
        json_object_begin(&w);
        json_kv_int(&w, "epoch", (long long)s->epoch);
        json_kv_real(&w, "noise", pp.noise);
        json_kv_int(&w, "window", (long long)pp.window);
        for (int i = 0; i < 2; i++) {
            PhaseRun *r = &runs[i];
            json_key(&w, r->name);
            json_object_begin(&w);
            if (!r->ok) {
                strbuf_printf(&out->text, "%-7s (%s)\n", r->name, r->problem);
                json_kv_string(&w, "problem", r->problem);
                json_object_end(&w);
                continue;
            }
            strbuf_printf(&out->text, "%-7s", r->name);
            for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
                long f = 0, l = 0;
                char span[24] = "-";
                if (phase_span(r, p, &f, &l))
                    snprintf(span, sizeof span, "%ld-%ld", f, l);
                strbuf_printf(&out->text, " %-8s", span);
                json_key(&w, phases_name(p));
                if (phase_span(r, p, &f, &l)) {
                    json_array_begin(&w);
                    json_int(&w, f);
                    json_int(&w, l);
                    json_array_end(&w);
                } else {
                    json_null(&w);
                }
            }
            strbuf_printf(&out->text, " %ld\n", r->ep[r->res.peak]);
            json_kv_int(&w, "peak_epoch", r->ep[r->res.peak]);
            json_kv_real(&w, "r_middle", r->res.r_middle);
            json_kv_int(&w, "n_middle", (long long)r->res.n_middle);
            json_object_end(&w);
        }
        strbuf_printf(&out->text, "\nr(Q, accuracy) in the middle phase\n");
        for (int i = 0; i < 2; i++)
            if (runs[i].ok) {
                if (isfinite(runs[i].res.r_middle))
                    strbuf_printf(&out->text, "%-7s %7.3f over %zu epochs\n", runs[i].name, runs[i].res.r_middle,
                                  runs[i].res.n_middle);
                else
                    strbuf_printf(&out->text, "%-7s     n/a (%zu epochs)\n", runs[i].name, runs[i].res.n_middle);
            }
        strbuf_printf(&out->text, "(seed paper 000: r = 0.981)\n\nRule:\n");
        wrap(&out->text, phases_rule_text(), 44);
        json_object_end(&w);
        for (int i = 0; i < 2 && !st; i++) {
            PhaseRun *r = &runs[i];
            if (!r->ok)
                continue;
            char label[48];
            snprintf(label, sizeof label, "Q %s (phases shaded)", r->name);
            const double *ys[1] = {r->q};
            if (job_result_add_lines(out, label, r->x, ys, 1, r->n)) {
                st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
                break;
            }
            JobPlot *pl = &out->plots[out->n_plots - 1];
            for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
                long f, l;
                if (phase_span(r, p, &f, &l)) {
                    pl->range[p - 1][0] = (double)f;
                    pl->range[p - 1][1] = (double)l;
                }
            }
        }
        const PhaseRun *r0 = runs[0].ok ? &runs[0] : &runs[1];
        const double *ya[1] = {r0->acc};
        if (!st && job_result_add_lines(out, "test accuracy", r0->x, ya, 1, r0->n))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
    }
    for (int i = 0; i < 2; i++)
        phase_run_done(&runs[i]);
    series_done(&t);
    return st;
}

/* ---- :confusion --------------------------------------------------------- */

/* Epochs visited for a class's history. */
#define CONFUSION_EPOCHS 40

static void confusion_table(const Snapshot *s, StrBuf *text)
{
    size_t k = s->eval.n_classes;
    const uint32_t *c = s->eval.confusion;
    strbuf_printf(text, "t\\p");
    for (size_t j = 0; j < k; j++)
        strbuf_printf(text, "%4zu", j);
    strbuf_append(text, "\n");
    for (size_t i = 0; i < k; i++) {
        strbuf_printf(text, "%3zu", i);
        for (size_t j = 0; j < k; j++)
            strbuf_printf(text, "%4u", (unsigned)c[i * k + j]);
        strbuf_append(text, "\n");
    }
    /* Per-class accuracy under its column (keeps the table 43 cells wide). */
    strbuf_printf(text, "ok%%");
    for (size_t i = 0; i < k; i++) {
        uint64_t row = 0;
        for (size_t j = 0; j < k; j++)
            row += c[i * k + j];
        if (row)
            strbuf_printf(text, "%4.0f", 100.0 * (double)c[i * k + i] / (double)row);
        else
            strbuf_printf(text, "%4s", "-");
    }
    strbuf_append(text, "\n");
}

/* Row i of the confusion matrix as shares of the class (NaN when empty). */
static void row_shares(const Snapshot *s, size_t i, double *out)
{
    size_t k = s->eval.n_classes;
    uint64_t row = 0;
    for (size_t j = 0; j < k; j++)
        row += s->eval.confusion[i * k + j];
    for (size_t j = 0; j < k; j++)
        out[j] = row ? (double)s->eval.confusion[i * k + j] / (double)row : NAN;
}

static Status class_history(Job *job, const Snapshot *s, const JobArgs *a, size_t c, JobResult *out,
                            JsonWriter *w, char *msg)
{
    size_t k = s->eval.n_classes;
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    size_t idx[CONFUSION_EPOCHS];
    size_t m = jobs_pick_indices(t.n, CONFUSION_EPOCHS, idx);
    double *shares = malloc((m + 1) * k * sizeof(double)), *ex = malloc((m + 1) * sizeof(double));
    if (!shares || !ex)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    size_t done = 0;
    EpochSource src;
    epoch_source_init(&src, s, a);
    for (size_t i = 0; i < m && !st; i++) {
        Snapshot *se = NULL;
        char why[STATUS_MSG_LEN];
        if (epoch_source_get(&src, (size_t)t.epoch[idx[i]], 0, &se, why) == ST_OK && se->eval.n_classes == k) {
            row_shares(se, c, shares + done * k);
            shares[done * k + c] = NAN; /* the diagonal would drown the confusions */
            ex[done++] = t.epoch[idx[i]];
        }
        snapshot_release(se);
        job_set_progress(job, 0.2 + 0.7 * (double)(i + 1) / (double)m);
    }
    epoch_source_done(&src);
    if (!st && done == 0) {
        row_shares(s, c, shares);
        shares[c] = NAN;
        ex[done++] = (double)s->epoch;
    }
    if (!st) {
        /* The three classes c is most often taken for at the last epoch. */
        size_t top[3] = {k, k, k};
        const double *last = shares + (done - 1) * k;
        for (int r = 0; r < 3; r++)
            for (size_t j = 0; j < k; j++) {
                if (j == c || j == top[0] || j == top[1] || !isfinite(last[j]))
                    continue;
                if (top[r] == k || last[j] > last[top[r]])
                    top[r] = j;
            }
        strbuf_printf(&out->text, "\nClass %zu over %zu epochs: share predicted as\n epoch", c, done);
        for (int r = 0; r < 3; r++)
            if (top[r] < k)
                strbuf_printf(&out->text, "     %zu", top[r]);
        strbuf_printf(&out->text, "\n");
        size_t rows_idx[12];
        size_t nr = jobs_pick_indices(done, 12, rows_idx);
        for (size_t r = 0; r < nr; r++) {
            strbuf_printf(&out->text, "%6.0f", ex[rows_idx[r]]);
            for (int q = 0; q < 3; q++)
                if (top[q] < k)
                    strbuf_printf(&out->text, " %5.3f", shares[rows_idx[r] * k + top[q]]);
            strbuf_printf(&out->text, "\n");
        }
        json_kv_int(w, "class", (long long)c);
        json_key(w, "history_epochs");
        json_real_array(w, ex, done);
        json_key(w, "history_shares");
        json_real_array(w, shares, done * k);
        char label[48];
        snprintf(label, sizeof label, "class %zu taken for (row=epoch)", c);
        if (job_result_add_map(out, label, shares, done, k, 0))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the map");
        const double *ys[3];
        double *cols = malloc(3 * done * sizeof(double));
        size_t n_lines = 0;
        for (int q = 0; q < 3 && cols; q++)
            if (top[q] < k) {
                for (size_t i = 0; i < done; i++)
                    cols[n_lines * done + i] = shares[i * k + top[q]];
                ys[n_lines] = cols + n_lines * done;
                n_lines++;
            }
        snprintf(label, sizeof label, "class %zu: top %zu confusions", c, n_lines);
        if (!st && (!cols || (n_lines && job_result_add_lines(out, label, ex, ys, n_lines, done))))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plot");
        free(cols);
    }
    free(shares);
    free(ex);
    series_done(&t);
    return st;
}

Status job_confusion(Job *job, const Snapshot *s, const JobArgs *a, JobResult *out, char *msg)
{
    size_t k = s->eval.n_classes;
    if (!s->eval.confusion || k == 0)
        return status_fail(msg, ST_EINVAL, "epoch %zu has no confusion matrix", s->epoch);
    if (a->cls >= 0 && (size_t)a->cls >= k)
        return status_fail(msg, ST_EINVAL, "the class must be from 0 to %zu, not %d", k - 1, a->cls);
    strbuf_printf(&out->text, "Confusion · held-out set · epoch %zu\n", s->epoch);
    strbuf_printf(&out->text, "accuracy %.4f; rows true, columns predicted\n\n", s->eval.accuracy);
    confusion_table(s, &out->text);
    double *shares = malloc(k * k * sizeof(double));
    if (!shares)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; i++) {
        row_shares(s, i, shares + i * k);
        shares[i * k + i] = NAN;
    }
    /* The largest confusions, for the text. */
    strbuf_printf(&out->text, "\nmost confused (true→predicted: share)\n");
    for (int r = 0; r < 5; r++) {
        size_t bi = 0, bj = 0;
        double best = 0.0;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                if (isfinite(shares[i * k + j]) && shares[i * k + j] > best) {
                    best = shares[i * k + j];
                    bi = i;
                    bj = j;
                }
        if (best <= 0.0)
            break;
        strbuf_printf(&out->text, "%s%zu→%zu: %.3f", r == 0 ? "" : r == 3 ? "\n" : "  ", bi, bj, best);
        shares[bi * k + bj] = -shares[bi * k + bj]; /* marked as listed */
    }
    strbuf_append(&out->text, "\n");
    for (size_t i = 0; i < k * k; i++)
        if (shares[i] < 0)
            shares[i] = -shares[i];
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_kv_real(&w, "accuracy", s->eval.accuracy);
    json_kv_int(&w, "n_classes", (long long)k);
    json_key(&w, "confusion");
    json_array_begin(&w);
    for (size_t i = 0; i < k * k; i++)
        json_int(&w, s->eval.confusion[i]);
    json_array_end(&w);
    Status st = job_result_add_map(out, "confusions (share, diag blank)", shares, k, k, 0);
    if (st)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the map");
    free(shares);
    job_set_progress(job, 0.2);
    if (!st && a->cls >= 0)
        st = class_history(job, s, a, (size_t)a->cls, out, &w, msg);
    json_object_end(&w);
    return st;
}
