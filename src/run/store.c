#include "neurotop/run/store.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct Store {
    pthread_mutex_t mu;
    Snapshot **ring;
    size_t cap, count, head; /* head: index of the oldest */
    SeriesTable series;
    TrainProgress progress;
    unsigned long version;
    char message[256];
    unsigned long message_serial;
    int wake[2];
};

/* ---- series ------------------------------------------------------------- */

void series_init(SeriesTable *t)
{
    memset(t, 0, sizeof *t);
}

void series_done(SeriesTable *t)
{
    free(t->epoch);
    for (size_t k = 0; k < t->n_keys; k++)
        free(t->values[k]);
    series_init(t);
}

const double *series_get(const SeriesTable *t, const char *key)
{
    for (size_t k = 0; k < t->n_keys; k++)
        if (strcmp(t->keys[k], key) == 0)
            return t->values[k];
    return NULL;
}

/* Capacity grows in powers of two; every column shares it. */
static size_t series_cap(size_t n)
{
    size_t c = 16;
    while (c < n)
        c *= 2;
    return c;
}

static Status grow_to(SeriesTable *t, size_t n)
{
    size_t old = t->n ? series_cap(t->n) : 0, cap = series_cap(n);
    if (old >= n && t->epoch)
        return ST_OK;
    double *e = realloc(t->epoch, cap * sizeof *e);
    if (!e)
        return ST_ENOMEM;
    t->epoch = e;
    for (size_t k = 0; k < t->n_keys; k++) {
        double *v = realloc(t->values[k], cap * sizeof *v);
        if (!v)
            return ST_ENOMEM;
        t->values[k] = v;
    }
    return ST_OK;
}

static int key_index(SeriesTable *t, const char *key)
{
    for (size_t k = 0; k < t->n_keys; k++)
        if (strcmp(t->keys[k], key) == 0)
            return (int)k;
    if (t->n_keys == SERIES_MAX_KEYS)
        return -1;
    double *v = malloc(series_cap(t->n + 1) * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < t->n; i++)
        v[i] = NAN;
    snprintf(t->keys[t->n_keys], METRIC_KEY_LEN, "%s", key);
    t->values[t->n_keys] = v;
    return (int)t->n_keys++;
}

Status series_append(SeriesTable *t, const Snapshot *s)
{
    if (grow_to(t, t->n + 1))
        return ST_ENOMEM;
    size_t i = t->n;
    t->epoch[i] = (double)s->epoch;
    for (size_t k = 0; k < t->n_keys; k++)
        t->values[k][i] = NAN;
    for (size_t m = 0; m < s->n_metrics; m++) {
        int k = key_index(t, s->metrics[m].key);
        if (k >= 0)
            t->values[k][i] = s->metrics[m].value;
    }
    t->n++;
    return ST_OK;
}

Status series_copy(const SeriesTable *src, SeriesTable *dst)
{
    series_init(dst);
    size_t cap = series_cap(src->n);
    dst->epoch = malloc(cap * sizeof(double));
    if (!dst->epoch)
        return ST_ENOMEM;
    if (src->n)
        memcpy(dst->epoch, src->epoch, src->n * sizeof(double));
    for (size_t k = 0; k < src->n_keys; k++) {
        dst->values[k] = malloc(cap * sizeof(double));
        if (!dst->values[k]) {
            dst->n_keys = k;
            series_done(dst);
            return ST_ENOMEM;
        }
        if (src->n)
            memcpy(dst->values[k], src->values[k], src->n * sizeof(double));
        memcpy(dst->keys[k], src->keys[k], METRIC_KEY_LEN);
    }
    dst->n_keys = src->n_keys;
    dst->n = src->n;
    return ST_OK;
}

/* ---- store -------------------------------------------------------------- */

Store *store_new(size_t ring_capacity, char *msg)
{
    Store *st = calloc(1, sizeof *st);
    if (!st) {
        status_fail(msg, ST_ENOMEM, "out of memory creating the store");
        return NULL;
    }
    st->cap = ring_capacity ? ring_capacity : 1;
    st->ring = calloc(st->cap, sizeof *st->ring);
    if (!st->ring || pipe(st->wake) != 0) {
        free(st->ring);
        free(st);
        status_fail(msg, ST_EIO, "cannot create the store's wake pipe");
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(st->wake[i], F_SETFL, fcntl(st->wake[i], F_GETFL) | O_NONBLOCK);
        fcntl(st->wake[i], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&st->mu, NULL);
    series_init(&st->series);
    return st;
}

void store_free(Store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->count; i++)
        snapshot_release(st->ring[(st->head + i) % st->cap]);
    free(st->ring);
    series_done(&st->series);
    close(st->wake[0]);
    close(st->wake[1]);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

Status store_preload_series(Store *st, const SeriesTable *t)
{
    pthread_mutex_lock(&st->mu);
    Status rc = ST_EINVAL;
    if (st->series.n == 0) {
        SeriesTable copy;
        rc = series_copy(t, &copy);
        if (!rc) {
            series_done(&st->series);
            st->series = copy;
            st->version++;
        }
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

Status store_publish(Store *st, Snapshot *s)
{
    pthread_mutex_lock(&st->mu);
    Status rc = series_append(&st->series, s);
    if (!rc) {
        if (st->count == st->cap) {
            snapshot_release(st->ring[st->head]);
            st->head = (st->head + 1) % st->cap;
            st->count--;
        }
        st->ring[(st->head + st->count) % st->cap] = snapshot_retain(s);
        st->count++;
        st->version++;
    }
    pthread_mutex_unlock(&st->mu);
    store_wake(st);
    return rc;
}

Snapshot *store_latest(Store *st)
{
    pthread_mutex_lock(&st->mu);
    Snapshot *s = st->count ? snapshot_retain(st->ring[(st->head + st->count - 1) % st->cap]) : NULL;
    pthread_mutex_unlock(&st->mu);
    return s;
}

Snapshot *store_at_epoch(Store *st, size_t epoch)
{
    Snapshot *found = NULL;
    pthread_mutex_lock(&st->mu);
    for (size_t i = 0; i < st->count; i++) {
        Snapshot *s = st->ring[(st->head + i) % st->cap];
        if (s->epoch == epoch)
            found = snapshot_retain(s);
    }
    pthread_mutex_unlock(&st->mu);
    return found;
}

Status store_copy_series(Store *st, SeriesTable *dst)
{
    pthread_mutex_lock(&st->mu);
    Status rc = series_copy(&st->series, dst);
    pthread_mutex_unlock(&st->mu);
    return rc;
}

unsigned long store_version(Store *st)
{
    pthread_mutex_lock(&st->mu);
    unsigned long v = st->version;
    pthread_mutex_unlock(&st->mu);
    return v;
}

void store_set_progress(Store *st, const TrainProgress *p)
{
    pthread_mutex_lock(&st->mu);
    st->progress = *p;
    st->version++;
    pthread_mutex_unlock(&st->mu);
    store_wake(st);
}

TrainProgress store_get_progress(Store *st)
{
    pthread_mutex_lock(&st->mu);
    TrainProgress p = st->progress;
    pthread_mutex_unlock(&st->mu);
    return p;
}

void store_post_message(Store *st, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&st->mu);
    memcpy(st->message, buf, sizeof buf);
    st->message_serial++;
    st->version++;
    pthread_mutex_unlock(&st->mu);
    store_wake(st);
}

unsigned long store_last_message(Store *st, char *buf, size_t cap)
{
    pthread_mutex_lock(&st->mu);
    snprintf(buf, cap, "%s", st->message);
    unsigned long serial = st->message_serial;
    pthread_mutex_unlock(&st->mu);
    return serial;
}

void store_wake(Store *st)
{
    char c = 1;
    /* A full pipe already means "wake up": the failure is harmless. */
    if (write(st->wake[1], &c, 1) < 0) {
    }
}

int store_wake_fd(const Store *st)
{
    return st->wake[0];
}

void store_drain_wake(Store *st)
{
    char buf[64];
    while (read(st->wake[0], buf, sizeof buf) > 0) {
    }
}
