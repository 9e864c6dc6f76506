#include "jobs_source.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
