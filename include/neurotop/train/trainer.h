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
    size_t epochs;     /* stop after this many epochs; 0 = no limit (the Control
                          holds the limit from trainer_new on: the UI may move it) */
    size_t epoch_size; /* training examples per epoch; 0 = one full pass */
    size_t batch;      /* mini-batch size, >= 1 */
    float lr;
    uint64_t seed;
    size_t n_probe;    /* probe items taken from the held-out set */
    int save_every;    /* write a snapshot file every N epochs (0 = never) */
    size_t record_every; /* weight trajectories every K mini-batches (0 = off; needs a run directory) */
    int record_half;     /* ... in binary16 */
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

/* on: at the epoch limit (control_get_epochs) the trainer waits for the UI
 * to move it (n, Space, :epochs) instead of ending; the TUI's way. Off
 * (the default): training ends at the limit (headless). */
void trainer_wait_at_limit(Trainer *t, int on);

/* Go on from snapshot s of this run (s->resume.valid, from a snapshot
 * file): its weights and optimiser state, epoch counter, examples seen,
 * random stream and place in the data order (rebuilt from the seed and
 * checked against the file), and its learning rate into the Control. The
 * store gets the epoch's snapshot (evaluated again, with s's metrics); the
 * run directory is not written (its metrics line and file exist). Call
 * before trainer_start. ST_EINVAL naming the epoch when s cannot be
 * resumed here. */
Status trainer_resume(Trainer *t, const Snapshot *s, char *msg);

/* Evaluate, measure and publish only the epochs for which want(epoch, ctx)
 * returns 1; the others are trained and nothing else (no metrics line, no
 * snapshot, no hooks). For runs that analyse a few epochs of many
 * (`experiment mlp-phases`). NULL, the default, keeps every epoch. Call
 * before trainer_start. */
void trainer_set_epoch_filter(Trainer *t, int (*want)(size_t epoch, void *ctx), void *ctx);

/* Start the thread. */
Status trainer_start(Trainer *t, char *msg);
/* Wait for the thread to end (after the last epoch, or control_stop). Returns
 * the trainer's final status and message. */
Status trainer_join(Trainer *t, char *msg);

/* Run in the calling thread until done (headless). */
Status trainer_run(Trainer *t, char *msg);

#endif
