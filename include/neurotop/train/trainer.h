#ifndef NEUROTOP_TRAIN_TRAINER_H
#define NEUROTOP_TRAIN_TRAINER_H

/* The trainer thread: owns the model, trains epoch after epoch under the
 * Control, and after each epoch evaluates on the held-out set, records the
 * probe activations and the kind's state (model_state) and hands an
 * immutable Snapshot to its Publisher, which
 * computes the per-epoch metrics on a second thread, appends the metrics line
 * to the run directory and publishes the snapshot to the Store.
 * Headless and TUI runs share it. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"
#include "neurotop/train/control.h"
#include "neurotop/train/publisher.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/store.h"

typedef struct {
    size_t epochs;     /* stop after this many epochs; 0 = no limit */
    size_t epoch_size; /* training examples per epoch; 0 = one full pass */
    size_t batch;      /* mini-batch size, >= 1 */
    float lr;
    uint64_t seed;
    size_t n_probe;    /* probe items taken from the held-out set */
    int save_every;    /* write a snapshot file every N epochs (0 = never) */
    ModelActivity activity; /* what the probe activations of the hidden layers hold */
} TrainerConfig;

typedef struct Trainer Trainer;

/* Takes ownership of model on success (on failure the caller keeps it); data, control, store and rundir are borrowed and
 * must outlive the trainer. rundir may be NULL (nothing written). The
 * data must have the model's input size; for a supervised kind at most
 * its output count of classes. An unsupervised kind (ModelKind.supervised
 * 0) trains with labels NULL, and its metrics lines carry test_acc and
 * test_loss null and its reconstruction error as test_recon. */
Status trainer_new(Model *model, const Dataset *data, const TrainerConfig *cfg, Control *control,
                   Store *store, RunDir *rundir, Trainer **out, char *msg);
void trainer_free(Trainer *t);

/* Per-epoch metric hooks and the after-publish callback; both run on the
 * publisher thread (publisher.h), in epoch order. */
Status trainer_add_metric(Trainer *t, EpochMetricFn fn, void *ctx);
void trainer_on_epoch(Trainer *t, EpochCallback cb, void *ctx);

/* Start the thread. */
Status trainer_start(Trainer *t, char *msg);
/* Wait for the thread to end (after the last epoch, or control_stop). Returns
 * the trainer's final status and message. */
Status trainer_join(Trainer *t, char *msg);

/* Run in the calling thread until done (headless). */
Status trainer_run(Trainer *t, char *msg);

#endif
