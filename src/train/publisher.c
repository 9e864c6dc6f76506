#include "neurotop/train/publisher.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/strbuf.h"

#define PUBLISHER_MAX_HOOKS 16
/* Epochs the trainer may run ahead of the metrics. */
#define QUEUE_CAP 3

typedef struct {
    EpochMetricFn fn;
    void *ctx;
} Hook;

struct Publisher {
    Store *store;
    RunDir *rundir;
    int save_every;
    Hook hooks[PUBLISHER_MAX_HOOKS];
    size_t n_hooks;
    EpochCallback on_epoch, before_write;
    void *on_epoch_ctx, *before_write_ctx;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    Snapshot *queue[QUEUE_CAP];
    size_t head, count;
    int closed;
    int started;
    pthread_t thread;
    Status status;
    char status_msg[STATUS_MSG_LEN];
};

Status publisher_new(Store *store, RunDir *rundir, int save_every, Publisher **out, char *msg)
{
    Publisher *p = calloc(1, sizeof *p);
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    p->store = store;
    p->rundir = rundir;
    p->save_every = save_every;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    *out = p;
    return ST_OK;
}

Status publisher_add_metric(Publisher *p, EpochMetricFn fn, void *ctx)
{
    if (p->n_hooks == PUBLISHER_MAX_HOOKS)
        return ST_EINVAL;
    p->hooks[p->n_hooks].fn = fn;
    p->hooks[p->n_hooks].ctx = ctx;
    p->n_hooks++;
    return ST_OK;
}

void publisher_on_epoch(Publisher *p, EpochCallback cb, void *ctx)
{
    p->on_epoch = cb;
    p->on_epoch_ctx = ctx;
}

void publisher_before_write(Publisher *p, EpochCallback cb, void *ctx)
{
    p->before_write = cb;
    p->before_write_ctx = ctx;
}

/* Metrics, metrics line, snapshot file, store — in that order, so the run
 * directory never lists an epoch the store has not seen. */
static Status publish_one(Publisher *p, Snapshot *s, char *msg)
{
    Status st = ST_OK;
    for (size_t h = 0; h < p->n_hooks && !st; h++)
        st = p->hooks[h].fn(s, p->hooks[h].ctx, msg);
    if (!st && p->rundir) {
        if (p->before_write)
            p->before_write(s, p->before_write_ctx);
        StrBuf line;
        strbuf_init(&line);
        metrics_format_line(s, &line);
        st = strbuf_failed(&line) ? status_fail(msg, ST_ENOMEM, "out of memory")
                                  : rundir_append_metrics(p->rundir, strbuf_cstr(&line), msg);
        strbuf_done(&line);
        if (!st && p->save_every > 0 && s->epoch % (size_t)p->save_every == 0)
            st = rundir_save_snapshot(p->rundir, s, NULL, NULL, 0, msg);
    }
    if (!st)
        st = store_publish(p->store, s);
    if (!st && p->on_epoch)
        p->on_epoch(s, p->on_epoch_ctx);
    return st;
}

static void *thread_main(void *arg)
{
    Publisher *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->count == 0 && !p->closed)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->count == 0) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        Snapshot *s = p->queue[p->head];
        int failed = p->status != ST_OK;
        pthread_mutex_unlock(&p->mu);

        char msg[STATUS_MSG_LEN] = "";
        Status st = failed ? ST_OK : publish_one(p, s, msg);
        snapshot_release(s);

        pthread_mutex_lock(&p->mu);
        p->head = (p->head + 1) % QUEUE_CAP;
        p->count--;
        if (st && !p->status) {
            p->status = st;
            memcpy(p->status_msg, msg, sizeof msg);
        }
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

Status publisher_start(Publisher *p, char *msg)
{
    /* Signals belong to the main thread, which turns them into a clean stop. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&p->thread, NULL, thread_main, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return status_fail(msg, ST_EINTERNAL, "cannot start the metrics thread");
    p->started = 1;
    return ST_OK;
}

static Status take_status(Publisher *p, char *msg)
{
    if (p->status && msg)
        memcpy(msg, p->status_msg, STATUS_MSG_LEN);
    return p->status;
}

Status publisher_submit(Publisher *p, Snapshot *s, char *msg)
{
    if (!p->started) {
        /* No thread: publish in the caller's thread. */
        Status st = publish_one(p, s, msg);
        snapshot_release(s);
        return st;
    }
    pthread_mutex_lock(&p->mu);
    while (p->count == QUEUE_CAP && !p->status)
        pthread_cond_wait(&p->cv, &p->mu);
    Status st = take_status(p, msg);
    if (!st) {
        p->queue[(p->head + p->count) % QUEUE_CAP] = s;
        p->count++;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    if (st)
        snapshot_release(s);
    return st;
}

Status publisher_status(Publisher *p, char *msg)
{
    pthread_mutex_lock(&p->mu);
    Status st = take_status(p, msg);
    pthread_mutex_unlock(&p->mu);
    return st;
}

Status publisher_finish(Publisher *p, char *msg)
{
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->closed = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
        p->started = 0;
    }
    return publisher_status(p, msg);
}

void publisher_free(Publisher *p)
{
    if (!p)
        return;
    publisher_finish(p, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
