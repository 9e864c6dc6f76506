#include "neurotop/run/replay.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "neurotop/core/sanitize.h"
#include "replay_internal.h"

/* ---- small helpers -------------------------------------------------------- */

int replay_list_push(SizeList *l, size_t x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        size_t *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = x;
    return 0;
}

/* First index with v[i] >= x. */
static size_t lower_bound(const SizeList *l, size_t x)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int replay_list_has(const SizeList *l, size_t x)
{
    size_t i = lower_bound(l, x);
    return i < l->n && l->v[i] == x;
}

int replay_list_insert(SizeList *l, size_t x)
{
    size_t i = lower_bound(l, x);
    if (i < l->n && l->v[i] == x)
        return 0;
    if (replay_list_push(l, x))
        return -1;
    memmove(l->v + i + 1, l->v + i, (l->n - 1 - i) * sizeof *l->v);
    l->v[i] = x;
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

int replay_rebuild_timeline(Replay *r)
{
    r->timeline.n = 0;
    size_t i = 0, j = 0;
    while (i < r->epochs.n || j < r->snaps.n) {
        size_t x;
        if (j == r->snaps.n || (i < r->epochs.n && r->epochs.v[i] < r->snaps.v[j]))
            x = r->epochs.v[i++];
        else if (i == r->epochs.n || r->snaps.v[j] < r->epochs.v[i])
            x = r->snaps.v[j++];
        else {
            x = r->epochs.v[i++];
            j++;
        }
        if (replay_list_push(&r->timeline, x))
            return -1;
    }
    return 0;
}

void replay_add_problem(Replay *r, ReplayProblemKind kind, size_t epoch, size_t line, Status st,
                        const char *text)
{
    if (r->n_problems == r->cap_problems) {
        size_t cap = r->cap_problems ? 2 * r->cap_problems : 16;
        ReplayProblem *p = realloc(r->problems, cap * sizeof *p);
        if (!p)
            return; /* a problem we cannot record is still returned to the caller */
        r->problems = p;
        r->cap_problems = cap;
    }
    ReplayProblem *p = &r->problems[r->n_problems++];
    p->kind = kind;
    p->epoch = epoch;
    p->line = line;
    p->status = st;
    text_sanitize(text, p->text, sizeof p->text); /* it may quote the damaged file */
}

/* ---- snapshots/ ------------------------------------------------------------ */

/* "epoch-<digits>.nts" → epoch; -1 for any other name (temporary files too). */
static int snapshot_name_epoch(const char *name, size_t *epoch)
{
    if (strncmp(name, "epoch-", 6) != 0)
        return -1;
    const char *p = name + 6;
    size_t e = 0, digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (e > (SIZE_MAX - 9) / 10)
            return -1;
        e = e * 10 + (size_t)(*p - '0');
    }
    if (!digits || strcmp(p, ".nts") != 0)
        return -1;
    *epoch = e;
    return 0;
}

static Status scan_snapshots(Replay *r, char *msg)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/snapshots", r->dir);
    DIR *d = opendir(path);
    if (!d)
        return ST_OK; /* no snapshots: the series still replay */
    struct dirent *ent;
    SizeList found = {0};
    Status st = ST_OK;
    while ((ent = readdir(d)) != NULL) {
        size_t e;
        if (snapshot_name_epoch(ent->d_name, &e) == 0 && replay_list_push(&found, e)) {
            st = status_fail(msg, ST_ENOMEM, "out of memory listing %s", path);
            break;
        }
    }
    closedir(d);
    if (!st) {
        if (found.n > 1) /* an empty folder leaves found.v NULL, which qsort may not take */
            qsort(found.v, found.n, sizeof *found.v, cmp_size);
        for (size_t i = 0; i < found.n && !st; i++)
            if (replay_list_insert(&r->snaps, found.v[i]))
                st = status_fail(msg, ST_ENOMEM, "out of memory listing %s", path);
    }
    free(found.v);
    return st;
}

/* The process id of an atomic write's temporary file ("NAME.tmp.PID",
 * core/fileio.h), or 0 when name is not one. */
static pid_t temp_owner(const char *name)
{
    const char *t = strstr(name, ".tmp.");
    if (!t)
        return 0;
    const char *p = t + 5;
    long pid = 0;
    for (; *p >= '0' && *p <= '9' && pid < 100000000; p++)
        pid = pid * 10 + (*p - '0');
    return *p == '\0' && p > t + 5 ? (pid_t)pid : 0;
}

/* A kill -9 during an atomic write leaves its temporary file for good:
 * remove those of processes that no longer exist (a live writer keeps its
 * own). Returns how many were removed; a folder we may not write is left
 * as it is. */
static size_t clean_stale_temps(const char *folder)
{
    DIR *d = opendir(folder);
    if (!d)
        return 0;
    size_t removed = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        pid_t pid = temp_owner(ent->d_name);
        if (pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", folder, ent->d_name);
        if (unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

size_t replay_clean_temps(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/snapshots", dir);
    size_t n = clean_stale_temps(dir) + clean_stale_temps(path);
    snprintf(path, sizeof path, "%s/analyses", dir);
    return n + clean_stale_temps(path);
}

/* ---- open / free / refresh -------------------------------------------------- */

Status replay_open(const char *dir, Replay **out, char *msg)
{
    *out = NULL;
    if (!dir || !*dir)
        return status_fail(msg, ST_EINVAL, "no run directory given");
    if (strlen(dir) >= 900)
        return status_fail(msg, ST_EINVAL, "the run directory path is too long");
    Replay *r = calloc(1, sizeof *r);
    if (!r)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    r->mu = malloc(sizeof *r->mu);
    if (!r->mu) {
        free(r);
        return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    pthread_mutex_init(r->mu, NULL);
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    size_t dl = strlen(r->dir);
    while (dl > 1 && r->dir[dl - 1] == '/')
        r->dir[--dl] = '\0';
    series_init(&r->series);
    r->cache_cap = REPLAY_DEFAULT_CACHE;
    r->cache = calloc(r->cache_cap, sizeof *r->cache);
    Status st = r->cache ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st)
        st = replay_read_info(r->dir, &r->info, r, msg);
    if (!st)
        r->temps_removed = replay_clean_temps(r->dir);
    if (!st)
        st = replay_read_metrics(r, 1, msg);
    if (!st)
        st = scan_snapshots(r, msg);
    if (!st && replay_rebuild_timeline(r))
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (st) {
        replay_free(r);
        return st;
    }
    *out = r;
    return ST_OK;
}

void replay_cache_clear(Replay *r)
{
    for (size_t i = 0; i < r->cache_n; i++)
        snapshot_release(r->cache[i].s);
    r->cache_n = 0;
}

void replay_free(Replay *r)
{
    if (!r)
        return;
    replay_cache_clear(r);
    free(r->cache);
    series_done(&r->series);
    free(r->epochs.v);
    free(r->snaps.v);
    free(r->timeline.v);
    free(r->problems);
    free(r->probe_x);
    free(r->probe_y);
    model_free(r->model);
    pthread_mutex_destroy(r->mu);
    free(r->mu);
    free(r);
}

Status replay_refresh(Replay *r, char *msg)
{
    pthread_mutex_lock(r->mu);
    Status st = replay_read_metrics(r, 0, msg);
    if (!st)
        st = scan_snapshots(r, msg);
    if (!st && replay_rebuild_timeline(r))
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    pthread_mutex_unlock(r->mu);
    return st;
}

/* ---- accessors ------------------------------------------------------------ */

const char *replay_dir(const Replay *r)
{
    return r->dir;
}

size_t replay_temps_removed(const Replay *r)
{
    return r->temps_removed;
}

const ReplayInfo *replay_info(const Replay *r)
{
    return &r->info;
}

const SeriesTable *replay_series(const Replay *r)
{
    return &r->series;
}

Status replay_copy_series(Replay *r, SeriesTable *dst)
{
    pthread_mutex_lock(r->mu);
    Status st = series_copy(&r->series, dst);
    pthread_mutex_unlock(r->mu);
    return st;
}

const size_t *replay_epochs(const Replay *r, size_t *n)
{
    *n = r->epochs.n;
    return r->epochs.v;
}

/* Index of the recorded snapshot problem of an epoch, or -1. Locked by caller. */
long replay_snap_problem(const Replay *r, size_t epoch)
{
    for (size_t i = 0; i < r->n_problems; i++)
        if (r->problems[i].kind == REPLAY_PROBLEM_SNAPSHOT && r->problems[i].epoch == epoch)
            return (long)i;
    return -1;
}

int replay_has_snapshot(const Replay *r, size_t epoch)
{
    pthread_mutex_lock(r->mu);
    int ok = replay_list_has(&r->snaps, epoch) && replay_snap_problem(r, epoch) < 0;
    pthread_mutex_unlock(r->mu);
    return ok;
}

size_t replay_problem_count(const Replay *r)
{
    pthread_mutex_lock(r->mu);
    size_t n = r->n_problems;
    pthread_mutex_unlock(r->mu);
    return n;
}

int replay_problem_at(const Replay *r, size_t i, ReplayProblem *out)
{
    pthread_mutex_lock(r->mu);
    int ok = i < r->n_problems;
    if (ok)
        *out = r->problems[i];
    pthread_mutex_unlock(r->mu);
    return ok;
}

int replay_snapshot_problem(const Replay *r, size_t epoch, ReplayProblem *out)
{
    pthread_mutex_lock(r->mu);
    long i = replay_snap_problem(r, epoch);
    if (i >= 0 && out)
        *out = r->problems[i];
    pthread_mutex_unlock(r->mu);
    return i >= 0;
}

/* ---- cursor ------------------------------------------------------------------ */

static size_t clamp_locked(const Replay *r, size_t epoch)
{
    const SizeList *t = &r->timeline;
    if (!t->n)
        return epoch;
    size_t i = lower_bound(t, epoch);
    if (i == t->n)
        return t->v[t->n - 1];
    if (t->v[i] == epoch || i == 0)
        return t->v[i];
    return epoch - t->v[i - 1] <= t->v[i] - epoch ? t->v[i - 1] : t->v[i];
}

size_t replay_clamp(const Replay *r, size_t epoch)
{
    pthread_mutex_lock(r->mu);
    size_t e = clamp_locked(r, epoch);
    pthread_mutex_unlock(r->mu);
    return e;
}

size_t replay_step(const Replay *r, size_t epoch, long delta)
{
    pthread_mutex_lock(r->mu);
    size_t e = epoch;
    const SizeList *t = &r->timeline;
    if (t->n) {
        size_t i = lower_bound(t, clamp_locked(r, epoch));
        if (delta >= 0)
            i = (size_t)delta >= t->n - 1 - i ? t->n - 1 : i + (size_t)delta;
        else
            i = (size_t)(-(delta + 1)) + 1 >= i ? 0 : i - ((size_t)(-(delta + 1)) + 1);
        e = t->v[i];
    }
    pthread_mutex_unlock(r->mu);
    return e;
}

size_t replay_step_snapshot(const Replay *r, size_t epoch, int dir)
{
    pthread_mutex_lock(r->mu);
    size_t e = epoch;
    const SizeList *s = &r->snaps;
    if (dir > 0) {
        for (size_t i = lower_bound(s, epoch); i < s->n; i++)
            if (s->v[i] > epoch && replay_snap_problem(r, s->v[i]) < 0) {
                e = s->v[i];
                break;
            }
    } else if (dir < 0) {
        for (size_t i = lower_bound(s, epoch); i-- > 0;)
            if (replay_snap_problem(r, s->v[i]) < 0) {
                e = s->v[i];
                break;
            }
    }
    pthread_mutex_unlock(r->mu);
    return e;
}

/* ---- snapshots ---------------------------------------------------------------- */

void replay_set_cache(Replay *r, size_t n)
{
    if (n == 0)
        n = 1;
    pthread_mutex_lock(r->mu);
    CacheSlot *c = calloc(n, sizeof *c);
    if (c) {
        /* Keep the most recently used ones. */
        while (r->cache_n > n) {
            size_t old = 0;
            for (size_t i = 1; i < r->cache_n; i++)
                if (r->cache[i].used < r->cache[old].used)
                    old = i;
            snapshot_release(r->cache[old].s);
            r->cache[old] = r->cache[--r->cache_n];
        }
        memcpy(c, r->cache, r->cache_n * sizeof *c);
        free(r->cache);
        r->cache = c;
        r->cache_cap = n;
    }
    pthread_mutex_unlock(r->mu);
}

static void cache_put(Replay *r, size_t epoch, Snapshot *s)
{
    if (r->cache_n == r->cache_cap) {
        size_t old = 0;
        for (size_t i = 1; i < r->cache_n; i++)
            if (r->cache[i].used < r->cache[old].used)
                old = i;
        snapshot_release(r->cache[old].s);
        r->cache[old] = r->cache[--r->cache_n];
    }
    r->cache[r->cache_n++] = (CacheSlot){.epoch = epoch, .s = snapshot_retain(s), .used = ++r->tick};
}

Status replay_snapshot(Replay *r, size_t epoch, Snapshot **out, char *msg)
{
    *out = NULL;
    pthread_mutex_lock(r->mu);
    Status st = ST_OK;
    for (size_t i = 0; i < r->cache_n; i++)
        if (r->cache[i].epoch == epoch) {
            r->cache[i].used = ++r->tick;
            *out = snapshot_retain(r->cache[i].s);
            goto done;
        }
    long p = replay_snap_problem(r, epoch);
    if (p >= 0) {
        st = status_fail(msg, r->problems[p].status, "%s", r->problems[p].text);
        goto done;
    }
    Snapshot *s = NULL;
    st = replay_load_epoch(r, epoch, &s, msg);
    if (!st) {
        cache_put(r, epoch, s);
        *out = s;
    }
done:
    pthread_mutex_unlock(r->mu);
    return st;
}
