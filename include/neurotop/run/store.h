#ifndef NEUROTOP_RUN_STORE_H
#define NEUROTOP_RUN_STORE_H

/* The only state shared between the trainer, the job workers and the UI:
 * a bounded ring of recent snapshots, the per-epoch metric series, the live
 * training progress and messages for the status line. Every call locks the
 * store's mutex; nothing blocks for long. Writers wake the UI through a pipe
 * whose read end the UI poll()s together with stdin. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

#define SERIES_MAX_KEYS SNAPSHOT_MAX_METRICS

/* Per-epoch series, one column per metric key; a copy owned by its holder. */
typedef struct {
    size_t n;                 /* epochs recorded */
    double *epoch;            /* n epoch numbers */
    size_t n_keys;
    char keys[SERIES_MAX_KEYS][METRIC_KEY_LEN];
    double *values[SERIES_MAX_KEYS]; /* values[k][i], NAN when absent */
} SeriesTable;

void series_init(SeriesTable *t);
void series_done(SeriesTable *t);
/* Column of a key, or NULL when no epoch has it. Borrowed. */
const double *series_get(const SeriesTable *t, const char *key);
/* Append one epoch's metrics (from a snapshot). */
Status series_append(SeriesTable *t, const Snapshot *s);
/* Deep copy. */
Status series_copy(const SeriesTable *src, SeriesTable *dst);

typedef enum { TRAIN_STATE_PAUSED = 0, TRAIN_STATE_RUNNING, TRAIN_STATE_DONE, TRAIN_STATE_FAILED } TrainState;

typedef struct {
    TrainState state;
    size_t epoch;            /* epoch in progress (last finished + 1) */
    size_t epochs_total;     /* 0 = unbounded */
    size_t done_in_epoch;    /* examples of this epoch done */
    size_t epoch_size;       /* examples per epoch */
    double examples_per_sec; /* recent training speed */
    double lr;
} TrainProgress;

typedef struct Store Store;

Store *store_new(size_t ring_capacity, char *msg);
void store_free(Store *st);

/* Publish a finished snapshot: the store takes one reference of its own and
 * appends its metrics to the series. Wakes the UI. */
Status store_publish(Store *st, Snapshot *s);
/* Start the series of a store that has published nothing with a copy of t
 * (the epochs of a resumed run before its first snapshot). ST_EINVAL when
 * the store already has a series, ST_ENOMEM. */
Status store_preload_series(Store *st, const SeriesTable *t);
/* Latest snapshot (retained: the caller releases), or NULL. */
Snapshot *store_latest(Store *st);
/* Snapshot of a given epoch if still in the ring (retained), else NULL. */
Snapshot *store_at_epoch(Store *st, size_t epoch);
/* Copy of the series (the caller owns dst and calls series_done). */
Status store_copy_series(Store *st, SeriesTable *dst);
/* Change counter: incremented by every publish/progress/message, so the UI
 * redraws only on change. */
unsigned long store_version(Store *st);

void store_set_progress(Store *st, const TrainProgress *p);
TrainProgress store_get_progress(Store *st);

/* A one-line message for the status line (trainer errors, saves). */
void store_post_message(Store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies the latest message into buf (empty when none); returns its serial. */
unsigned long store_last_message(Store *st, char *buf, size_t cap);

/* Wake the UI (write a byte to the pipe); safe from any thread. */
void store_wake(Store *st);
/* Read end of the wake pipe (non-blocking), and a drain for after poll(). */
int store_wake_fd(const Store *st);
void store_drain_wake(Store *st);

#endif
