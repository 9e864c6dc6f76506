#include "neurotop/run/epochs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct EpochLookup {
    Store *store;
    Replay *given;
    char *run_dir;
    const Dataset *data;
    size_t n_probe;
    pthread_mutex_t lock; /* guards own, failed and problem */
    Replay *own;
    int failed;
    char problem[STATUS_MSG_LEN];
};

Status epoch_lookup_new(Store *store, Replay *replay, const char *run_dir, const Dataset *data,
                        size_t n_probe, EpochLookup **out, char *msg)
{
    *out = NULL;
    EpochLookup *l = calloc(1, sizeof *l);
    if (!l)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    l->store = store;
    l->given = replay;
    l->data = data;
    l->n_probe = n_probe;
    if (run_dir && !(l->run_dir = strdup(run_dir))) {
        free(l);
        return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&l->lock, NULL);
    *out = l;
    return ST_OK;
}

void epoch_lookup_free(EpochLookup *l)
{
    if (!l)
        return;
    replay_free(l->own);
    pthread_mutex_destroy(&l->lock);
    free(l->run_dir);
    free(l);
}

Replay *epoch_lookup_replay(EpochLookup *l, char *msg)
{
    if (l->given)
        return l->given;
    pthread_mutex_lock(&l->lock);
    if (!l->own && !l->failed) {
        /* One attempt: a run folder that cannot be read now will not be
         * readable a moment later, and every reader would pay for it. */
        l->failed = 1;
        if (!l->run_dir) {
            snprintf(l->problem, sizeof l->problem, "this session keeps no run directory");
        } else if (replay_open(l->run_dir, &l->own, l->problem) == ST_OK) {
            if (l->data && l->n_probe && replay_attach_data(l->own, l->data, l->n_probe, l->problem)) {
                replay_free(l->own);
                l->own = NULL;
            } else {
                l->failed = 0;
            }
        } else {
            l->own = NULL;
        }
    }
    Replay *r = l->own;
    if (!r && msg)
        snprintf(msg, STATUS_MSG_LEN, "%s", l->problem);
    pthread_mutex_unlock(&l->lock);
    return r;
}

static int usable(const Snapshot *s, int need_acts)
{
    return s && (!need_acts || s->n_probe > 0);
}

Status epoch_lookup_get(EpochLookup *l, size_t epoch, int need_acts, Snapshot **out, char *msg)
{
    *out = NULL;
    Snapshot *s = l->store ? store_at_epoch(l->store, epoch) : NULL;
    if (usable(s, need_acts)) {
        *out = s;
        return ST_OK;
    }
    snapshot_release(s);
    s = NULL;
    char why[STATUS_MSG_LEN] = "";
    Replay *r = epoch_lookup_replay(l, why);
    /* A live run keeps writing: look again for files saved since it was read. */
    if (r && r != l->given && !replay_has_snapshot(r, epoch))
        replay_refresh(r, NULL);
    if (r && replay_snapshot(r, epoch, &s, why) == ST_OK) {
        if (usable(s, need_acts)) {
            *out = s;
            return ST_OK;
        }
        snprintf(why, sizeof why, "no data set to recompute its probe activations");
    }
    snapshot_release(s);
    return status_fail(msg, ST_ENOTFOUND, "epoch %zu is not available: %s", epoch,
                       why[0] ? why : "no snapshot of it was kept");
}
