#ifndef NEUROTOP_RUN_REPLAY_H
#define NEUROTOP_RUN_REPLAY_H

/* Replay of a recorded run directory (docs/architecture.md, "Run
 * directory"): walk a run epoch by epoch, forward and backward, without
 * training.
 *
 * replay_open reads run.json (fatal when missing or malformed: it is what
 * makes the folder a run), metrics.jsonl (one JSON object per epoch, every
 * numeric key kept in a SeriesTable, null as NaN) and lists
 * snapshots/epoch-NNNNNN.nts. Damage is reported per epoch and never stops
 * the rest of the run from replaying: a malformed metrics line is skipped
 * and reported with its line number (a truncated last line, as a crash
 * leaves it, included); a missing or corrupted snapshot file is reported
 * when replay_snapshot is asked for it. replay_problems lists everything
 * found so far.
 *
 * Snapshot files hold no probe activations and no model state
 * (snapshot_io.c says why); after replay_attach_data, replay_snapshot
 * recomputes them exactly as the trainer did: a model built from the
 * snapshot's config and parameters, ops->activations on the first n_probe
 * held-out items, and for a kind with a state block (HebbFF's plastic
 * matrix) model_state on the whole held-out set.
 *
 * Thread safety: the functions lock the replay's mutex, so the UI thread
 * and a job worker may share one Replay; replay_snapshot holds it while it
 * reads a file and computes activations (~0.4 ms per file, ~5 ms with 1000
 * probe items, default MLP). The exceptions are replay_dir, replay_info,
 * replay_series and replay_epochs: they return borrowed pointers, valid
 * until replay_refresh or replay_free, so call replay_refresh from the
 * thread that reads them (or use replay_copy_series). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"
#include "neurotop/run/snapshot.h"
#include "neurotop/run/store.h"

/* Snapshots kept in memory by default (about 0.4 MB each for the default
 * MLP without activations, 1.2 MB with 1000 probe items). */
#define REPLAY_DEFAULT_CACHE 8
/* An epoch number for problems that belong to no epoch. */
#define REPLAY_NO_EPOCH SIZE_MAX

/* The fields of run.json. Absent fields stay 0 / "" / NaN; has_config says
 * whether model, sizes, init, seed and the kind parameters formed a valid
 * ModelConfig. */
typedef struct {
    char version[32];     /* neurotop_version */
    char created_utc[32];
    char model[16];
    ModelConfig config;   /* kind, n_layers, sizes, init, seed, input_shape, kind parameters */
    int has_config;
    char data[64];
    char data_source[512];
    size_t n_train, n_test;
    uint64_t seed;
    double lr;            /* NaN when absent */
    size_t batch, epochs, epoch_size, probe, qreps;
    /* What the recorded probe activations of the hidden layers held, and
     * what a replay recomputes: run.json "activity"; POST when absent
     * (runs recorded before the field). */
    ModelActivity activity;
    /* The kind parameters as run.json gives them under their keys (task_n,
     * ...), in the kind's table order; NaN when absent (config.kparams has
     * the table default there). A replay regenerates a generated data set
     * from them and the seed. */
    size_t n_kparams;
    double kparams[MODEL_MAX_KPARAMS];
} ReplayInfo;

typedef enum {
    REPLAY_PROBLEM_RUN_JSON = 0, /* a run.json field of the wrong type (ignored) */
    REPLAY_PROBLEM_METRICS,      /* a metrics.jsonl line (skipped) */
    REPLAY_PROBLEM_SNAPSHOT      /* a snapshot file (that epoch shows no snapshot) */
} ReplayProblemKind;

typedef struct {
    ReplayProblemKind kind;
    size_t epoch;         /* REPLAY_NO_EPOCH when unknown or not tied to an epoch */
    size_t line;          /* line in run.json or metrics.jsonl, 0 for snapshots */
    Status status;        /* ST_EFORMAT, ST_ENOTFOUND, ST_EIO... */
    char text[STATUS_MSG_LEN]; /* one sentence naming the epoch and the file */
} ReplayProblem;

typedef struct Replay Replay;

/* Open the run directory dir. *out is caller-owned (replay_free), NULL on
 * failure: ST_ENOTFOUND when dir has no run.json, ST_EFORMAT when run.json
 * is not a JSON object (line and column named), ST_EIO, ST_ENOMEM. A
 * missing metrics.jsonl or snapshots/ folder is not an error (an empty
 * series, no snapshots). O(size of metrics.jsonl + files in snapshots/). */
Status replay_open(const char *dir, Replay **out, char *msg);
/* Temporary files of atomic writes ("NAME.tmp.PID") left in the run folder,
 * snapshots/ and analyses/ by a process that no longer exists (killed while
 * writing) are removed; replay_open does it once run.json has been read.
 * Returns how many were removed (a read-only folder keeps them). */
size_t replay_clean_temps(const char *dir);
/* How many replay_open removed. */
size_t replay_temps_removed(const Replay *r);
/* Releases the cached snapshots (callers keep their own references).
 * replay_free(NULL) is safe. */
void replay_free(Replay *r);

/* Read metrics lines appended since the last read and list new snapshot
 * files (for a run that is still being written). A last line without its
 * line break is left for the next refresh. Invalidates the pointers given
 * out by replay_info, replay_series and replay_epochs. */
Status replay_refresh(Replay *r, char *msg);

/* The run directory as given, and run.json's fields. Borrowed. */
const char *replay_dir(const Replay *r);
const ReplayInfo *replay_info(const Replay *r);

/* Per-epoch series with every numeric key of metrics.jsonl except "epoch"
 * ("examples" included), in first-seen key order; the bits of each value
 * are those the live run printed (%.17g reads back exactly). Values that
 * are neither numbers nor null, keys of 32 bytes or more and keys beyond
 * the first SERIES_MAX_KEYS are ignored. Borrowed. */
const SeriesTable *replay_series(const Replay *r);
/* A copy the caller owns (series_done), safe across refreshes. */
Status replay_copy_series(Replay *r, SeriesTable *dst);

/* Epochs with a metrics line, ascending (*n of them). Borrowed. */
const size_t *replay_epochs(const Replay *r, size_t *n);
/* 1 when snapshots/epoch-NNNNNN.nts was listed for this epoch and has not
 * failed to load. */
int replay_has_snapshot(const Replay *r, size_t epoch);

/* The snapshot of an epoch (retained: the caller releases it). Loaded from
 * snapshots/epoch-NNNNNN.nts on first use and kept in a bounded cache
 * (least recently used out). With data attached, acts and probe_labels
 * are filled (n_probe items), and state for a kind that has one. A config
 * without an input shape takes run.json's input_shape, else the attached
 * data's image shape. On failure *out is NULL, the problem is
 * recorded once (replay_problems) and later calls fail the same way
 * without reading the file again: ST_ENOTFOUND when the file does not
 * exist, ST_EFORMAT when it is corrupted, truncated or holds another epoch,
 * ST_EINVAL when it does not fit the attached data; msg names the epoch
 * and the file. O(file size + n_probe × params) on a miss, O(cache) on a hit. */
Status replay_snapshot(Replay *r, size_t epoch, Snapshot **out, char *msg);

/* Keep at most n (>= 1) snapshots in memory; drops the excess now. */
void replay_set_cache(Replay *r, size_t n);

/* Recompute probe activations for every snapshot loaded from now on (the
 * cache is emptied): the first n_probe held-out items of d (clamped to
 * d->test.n, as the trainer does), with their labels; the whole held-out
 * set is kept when the run's kind has a state block. d is only read
 * during the call (the pixels needed are copied). ST_EINVAL when d's
 * images do not have the run's input size (when run.json gives it) or
 * n_probe is 0. O(n_probe × pixels). */
Status replay_attach_data(Replay *r, const Dataset *d, size_t n_probe, char *msg);

/* The data set the run learned, opened again from run.json: a named data
 * set or folder (data_open), or a generated one (the familiarity task)
 * regenerated from run.json's kind parameters and seed exactly as the run
 * drew it. *out is caller-owned (dataset_free). ST_ENOTFOUND when run.json
 * names no data set; otherwise data_open's errors. */
Status replay_open_data(const Replay *r, Dataset **out, char *msg);

/* Problems found so far: their number, and a copy of problem i
 * (0 <= i < count; returns 0 when out of range), in the order found
 * (run.json, then metrics.jsonl by line, then snapshots as they are
 * asked for). */
size_t replay_problem_count(const Replay *r);
int replay_problem_at(const Replay *r, size_t i, ReplayProblem *out);
/* A copy of the problem recorded for an epoch's snapshot, if any (1/0). */
int replay_snapshot_problem(const Replay *r, size_t epoch, ReplayProblem *out);

/* Cursor helpers for the UI. The timeline is every epoch that has a
 * metrics line or a snapshot file. All return `epoch` itself when the
 * timeline is empty.
 * replay_clamp: the timeline epoch nearest to epoch (the lower on a tie);
 *   replay_clamp(r, 0) is the first epoch, replay_clamp(r, SIZE_MAX) the last.
 * replay_step: |delta| timeline epochs after (delta > 0) or before
 *   (delta < 0) the clamped epoch, stopping at the ends.
 * replay_step_snapshot: the nearest epoch after (dir > 0) or before
 *   (dir < 0) epoch whose snapshot is present and has not failed to load;
 *   epoch itself when there is none. O(log epochs) or O(epochs). */
size_t replay_clamp(const Replay *r, size_t epoch);
size_t replay_step(const Replay *r, size_t epoch, long delta);
size_t replay_step_snapshot(const Replay *r, size_t epoch, int dir);

#endif
