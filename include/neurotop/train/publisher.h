#ifndef NEUROTOP_TRAIN_PUBLISHER_H
#define NEUROTOP_TRAIN_PUBLISHER_H

/* The per-epoch metrics worker: a thread that takes each finished epoch's
 * snapshot from the trainer, computes the per-epoch metrics (modularity and
 * the like), appends the metrics line to the run directory, writes the
 * snapshot file and publishes the snapshot to the store — while the trainer
 * already trains the next epoch on the other core. Epochs leave in the order
 * they came in; a short queue bounds how far training may run ahead. */

#include "neurotop/core/status.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/snapshot.h"
#include "neurotop/run/store.h"

/* Per-epoch metric hook: adds keys to the snapshot before it is published.
 * Runs on the publisher thread, one epoch at a time. */
typedef Status (*EpochMetricFn)(Snapshot *s, void *ctx, char *msg);

/* Called on the publisher thread after each snapshot is published. */
typedef void (*EpochCallback)(const Snapshot *s, void *ctx);

typedef struct Publisher Publisher;

/* store is borrowed; rundir (may be NULL: nothing written) is borrowed.
 * save_every: write snapshots/epoch-N.nts every N epochs (0 = never). */
Status publisher_new(Store *store, RunDir *rundir, int save_every, Publisher **out, char *msg);
/* Stops the thread if still running, then frees. NULL is safe. */
void publisher_free(Publisher *p);

Status publisher_add_metric(Publisher *p, EpochMetricFn fn, void *ctx);
void publisher_on_epoch(Publisher *p, EpochCallback cb, void *ctx);

/* Called on the publisher thread before anything of an epoch is written to
 * the run directory (the trajectory recorder's barrier). */
void publisher_before_write(Publisher *p, EpochCallback cb, void *ctx);

Status publisher_start(Publisher *p, char *msg);
/* Hand over a snapshot (the publisher takes the caller's reference). Blocks
 * while the queue is full. Returns the worker's error once it has failed. */
Status publisher_submit(Publisher *p, Snapshot *s, char *msg);
/* Non-blocking: the worker's error, or ST_OK. */
Status publisher_status(Publisher *p, char *msg);
/* Publish everything queued, stop the thread, return the worker's status. */
Status publisher_finish(Publisher *p, char *msg);

#endif
