#ifndef NEUROTOP_TRAIN_RECORDER_H
#define NEUROTOP_TRAIN_RECORDER_H

/* The trainer's side of the weight trajectories (run/trajectory.h): counts
 * mini-batches and appends every unit's incoming weights every K of them,
 * step 0 being the initial weights. A thread of its own packs and writes
 * them (the trainer copies the parameters and goes on). A step is counted
 * per mini-batch the model trains (ceil(n / batch) for n examples), so a
 * run resumed at an epoch boundary knows its step from the epoch alone. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/model/model.h"

typedef struct Recorder Recorder;

/* every >= 1 mini-batches of batch >= 1 examples, under run_dir. */
Status recorder_new(const char *run_dir, const ModelConfig *config, size_t every, int half, size_t batch,
                    Recorder **out, char *msg);
void recorder_free(Recorder *r);

/* Place the recorder after `batches` mini-batches: a fresh run (batches 0)
 * records its initial weights; a resumed run cuts the files back to that
 * step (records of steps trained after the snapshot are dropped). */
Status recorder_begin(Recorder *r, const float *params, uint64_t batches, uint64_t examples, uint32_t epoch,
                      int resumed, char *msg);

/* Examples that can be trained before the next record is due (a multiple
 * of the batch). */
size_t recorder_room(const Recorder *r);

/* After n more examples were trained: records when a step is due. A
 * failed write stops the recording (the status says why) but not training. */
Status recorder_advance(Recorder *r, const float *params, size_t n, uint64_t examples, uint32_t epoch,
                        char *msg);

/* Wait until every record handed over is on disk (at the end of a run). */
Status recorder_flush(Recorder *r, char *msg);

/* Wait until every record made at or before `examples` training examples
 * is on disk (or has failed): the metrics thread calls it before it writes
 * an epoch's line and snapshot, so a resumed run finds every record up to
 * its epoch — and the trainer itself never waits for the writer at an
 * epoch's end. Safe from any thread. */
void recorder_wait_through(Recorder *r, uint64_t examples);

/* Records written and bytes on disk since this recorder began. */
uint64_t recorder_count(const Recorder *r);
unsigned long long recorder_bytes(const Recorder *r);

#endif
