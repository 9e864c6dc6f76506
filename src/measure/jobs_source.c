#include "jobs_source.h"
#include "neurotop/measure/metrics_activity.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/permtest.h"

void epoch_source_init(EpochSource *src, const Snapshot *shown, const AnalysisArgs *args)
{
    memset(src, 0, sizeof *src);
    src->shown = shown;
    src->lookup = args->epochs;
    if (!src->lookup) {
        src->own_status = epoch_lookup_new(args->store, args->replay, args->run_dir, jobs_data(args),
                                           shown->n_probe, &src->own, src->own_problem);
        src->lookup = src->own;
    }
}

void epoch_source_done(EpochSource *src)
{
    epoch_lookup_free(src->own);
    src->own = NULL;
}

const Dataset *jobs_data(const AnalysisArgs *a)
{
    if (a->data)
        return a->data;
    return a->pixel_info ? pixel_info_data(a->pixel_info) : NULL;
}

Status epoch_source_get(EpochSource *src, size_t epoch, int need_acts, Snapshot **out, char *msg)
{
    *out = NULL;
    if (src->shown->epoch == epoch && (!need_acts || src->shown->n_probe > 0)) {
        /* Snapshots are immutable; retaining only moves the atomic count. */
        *out = snapshot_retain((Snapshot *)(uintptr_t)src->shown);
        return ST_OK;
    }
    if (!src->lookup)
        return status_fail(msg, src->own_status, "%s", src->own_problem);
    return epoch_lookup_get(src->lookup, epoch, need_acts, out, msg);
}

Status jobs_series(const AnalysisArgs *a, const Snapshot *shown, SeriesTable *out, char *msg)
{
    series_init(out);
    Status st = ST_OK;
    if (a->replay)
        st = replay_copy_series(a->replay, out);
    else if (a->store)
        st = store_copy_series(a->store, out);
    if (st)
        return status_fail(msg, st, "cannot copy the per-epoch series");
    size_t n = 0;
    while (n < out->n && out->epoch[n] <= (double)shown->epoch)
        n++;
    out->n = n;
    return ST_OK;
}

Status jobs_pixels(const AnalysisArgs *a, PixelInfo **own, PixelInfoView *v, char *msg)
{
    *own = NULL;
    PixelInfo *pi = a->pixel_info;
    if (!pi) {
        if (!a->data)
            return status_fail(msg, ST_EINVAL, "pixel information needs the run's data set, which this session has not loaded");
        Status st = pixel_info_new(a->data, own, msg);
        if (st)
            return st;
        pi = *own;
    }
    return pixel_info_get(pi, v, msg);
}

Status jobs_add_unit_map(JobResult *out, const char *label, const double *v, size_t n, size_t rows,
                         size_t cols, int diverging)
{
    if (rows * cols != n || rows == 0) {
        size_t side = (size_t)llround(sqrt((double)n));
        if (side * side == n) {
            rows = cols = side;
        } else {
            rows = 1;
            cols = n;
        }
    }
    return job_result_add_map(out, label, v, rows, cols, diverging);
}

size_t jobs_pick_indices(size_t n, size_t max, size_t *idx)
{
    if (n == 0 || max == 0)
        return 0;
    if (n <= max) {
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        return n;
    }
    if (max == 1) {
        idx[0] = n - 1;
        return 1;
    }
    size_t k = 0;
    for (size_t j = 0; j < max; j++) {
        size_t i = (size_t)llround((double)j * (double)(n - 1) / (double)(max - 1));
        if (k == 0 || i > idx[k - 1])
            idx[k++] = i;
    }
    return k;
}

Status jobs_need_snapshot(const Snapshot *s, const char *name, char *msg)
{
    if (s)
        return ST_OK;
    return status_fail(msg, ST_EINVAL, "%s runs on a snapshot of a run, not on files", name);
}

int jobs_cancelled(Job *job)
{
    const volatile int *flag = job_cancel_flag(job);
    return flag && *flag;
}

double jobs_pearson(const double *a, const double *b, const unsigned char *mask, size_t n)
{
    char msg[STATUS_MSG_LEN];
    double r = NAN;
    if (!mask)
        return permtest_pearson(a, b, n, &r, msg) ? NAN : r;
    double *ka = malloc((n ? n : 1) * sizeof *ka), *kb = malloc((n ? n : 1) * sizeof *kb);
    size_t k = 0;
    for (size_t i = 0; ka && kb && i < n; i++)
        if (mask[i]) {
            ka[k] = a[i];
            kb[k++] = b[i];
        }
    if (!ka || !kb || permtest_pearson(ka, kb, k, &r, msg))
        r = NAN;
    free(ka);
    free(kb);
    return r;
}

void jobs_format_r(char *buf, size_t cap, double r)
{
    if (isfinite(r))
        snprintf(buf, cap, "%8.4f", r);
    else
        snprintf(buf, cap, "%8s", "n/a");
}

size_t jobs_visit_epochs(const AnalysisArgs *a, const Snapshot *s, size_t *epochs)
{
    SeriesTable t;
    char msg[STATUS_MSG_LEN];
    size_t k = 0;
    if (jobs_series(a, s, &t, msg) == ST_OK) {
        size_t n = 0;
        while (n < t.n && t.epoch[n] < (double)s->epoch)
            n++;
        size_t idx[JOBS_VISIT_EPOCHS];
        size_t m = jobs_pick_indices(n, JOBS_VISIT_EPOCHS, idx);
        for (size_t i = 0; i < m; i++)
            epochs[k++] = (size_t)t.epoch[idx[i]];
        series_done(&t);
    }
    epochs[k++] = s->epoch;
    return k;
}

/* Copies the probe items' pixels (as the trainer feeds them) and every
 * later layer's activations into x, row by row. */
static void fill_activity(const Snapshot *s, const Dataset *data, int with_input, size_t d, double *x,
                          float *pix)
{
    size_t n_in = s->config.sizes[0];
    for (size_t i = 0; i < s->n_probe; i++) {
        double *row = x + i * d;
        if (with_input) {
            imageset_item_float(&data->test, i, pix);
            for (size_t j = 0; j < n_in; j++)
                row[j] = pix[j];
            row += n_in;
        }
        for (size_t l = 1; l < s->config.n_layers; l++) {
            size_t u = s->config.sizes[l];
            const float *a = s->acts[l - 1] + i * u;
            for (size_t j = 0; j < u; j++)
                row[j] = a[j];
            row += u;
        }
    }
}

Status jobs_activity_matrix(const Snapshot *s, const Dataset *data, double **out, size_t *d, int *with_input,
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
    if (cols == 0 || cols > SIZE_MAX / sizeof(double) / s->n_probe)
        return status_fail(msg, ST_EINVAL, "%zu × %zu activity values do not make a matrix", s->n_probe, cols);
    /* The PCA's unit × unit covariance: 8192² doubles are 512 MiB. */
    if (cols > 2 * ACTIVITY_MAX_UNITS)
        return status_fail(msg, ST_EINVAL,
                           "PCA of the activity is computed for at most %d units, and this %s has %zu",
                           2 * ACTIVITY_MAX_UNITS, s->config.kind, cols);
    double *x = malloc(s->n_probe * cols * sizeof *x);
    float *pix = *with_input ? malloc(n_in * sizeof *pix) : NULL;
    if (!x || (*with_input && !pix)) {
        free(x);
        free(pix);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu × %zu activity values", s->n_probe, cols);
    }
    fill_activity(s, data, *with_input, cols, x, pix);
    free(pix);
    *out = x;
    *d = cols;
    return ST_OK;
}

void jobs_describe_units(const Snapshot *s, int with_input, StrBuf *text)
{
    strbuf_printf(text, "%zu probe items × the units of\n ", s->n_probe);
    size_t first = with_input ? 0 : 1;
    for (size_t l = first; l < s->config.n_layers; l++) {
        char name[16];
        model_layer_name(&s->config, l, 0, name, sizeof name);
        strbuf_printf(text, "%s%s %zu", l == first ? "" : ", ", name, s->config.sizes[l]);
    }
    strbuf_append(text, "\n");
}

int *jobs_probe_classes(const Snapshot *s)
{
    int *cls = malloc((s->n_probe ? s->n_probe : 1) * sizeof *cls);
    for (size_t i = 0; cls && i < s->n_probe; i++)
        cls[i] = s->probe_labels[i];
    return cls;
}
