#include "jobs_source.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void epoch_source_init(EpochSource *src, const Snapshot *shown, const JobArgs *args)
{
    memset(src, 0, sizeof *src);
    src->shown = shown;
    src->args = args;
}

void epoch_source_done(EpochSource *src)
{
    replay_free(src->own);
    src->own = NULL;
}

const Dataset *jobs_data(const JobArgs *a)
{
    if (a->data)
        return a->data;
    return a->pixel_info ? pixel_info_data(a->pixel_info) : NULL;
}

/* The live run's directory read as a replay, opened once per job. */
static Replay *own_replay(EpochSource *src)
{
    const JobArgs *a = src->args;
    if (src->own || src->own_failed)
        return src->own;
    src->own_failed = 1;
    if (!a->run_dir) {
        snprintf(src->own_problem, sizeof src->own_problem, "this session keeps no run directory");
        return NULL;
    }
    if (replay_open(a->run_dir, &src->own, src->own_problem)) {
        src->own = NULL;
        return NULL;
    }
    const Dataset *d = jobs_data(a);
    if (d && src->shown->n_probe &&
        replay_attach_data(src->own, d, src->shown->n_probe, src->own_problem)) {
        replay_free(src->own);
        src->own = NULL;
        return NULL;
    }
    src->own_failed = 0;
    return src->own;
}

static int usable(const Snapshot *s, int need_acts)
{
    return s && (!need_acts || s->n_probe > 0);
}

Status epoch_source_get(EpochSource *src, size_t epoch, int need_acts, Snapshot **out, char *msg)
{
    *out = NULL;
    if (src->shown->epoch == epoch && usable(src->shown, need_acts)) {
        /* Snapshots are immutable; retaining only moves the atomic count. */
        *out = snapshot_retain((Snapshot *)(uintptr_t)src->shown);
        return ST_OK;
    }
    const JobArgs *a = src->args;
    Snapshot *s = a->store ? store_at_epoch(a->store, epoch) : NULL;
    if (usable(s, need_acts)) {
        *out = s;
        return ST_OK;
    }
    snapshot_release(s);
    s = NULL;
    Replay *r = a->replay ? a->replay : own_replay(src);
    char why[STATUS_MSG_LEN] = "";
    if (r && replay_snapshot(r, epoch, &s, why) == ST_OK && usable(s, need_acts)) {
        *out = s;
        return ST_OK;
    }
    if (s)
        snprintf(why, sizeof why, "no data set to recompute its probe activations");
    snapshot_release(s);
    if (!r)
        snprintf(why, sizeof why, "%s", src->own_problem);
    return status_fail(msg, ST_ENOTFOUND, "epoch %zu is not available: %s", epoch,
                       why[0] ? why : "no snapshot of it was kept");
}

Status jobs_series(const JobArgs *a, const Snapshot *shown, SeriesTable *out, char *msg)
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

Status jobs_pixels(const JobArgs *a, PixelInfo **own, PixelInfoView *v, char *msg)
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
