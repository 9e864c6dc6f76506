#ifndef NEUROTOP_RUN_RUNDIR_H
#define NEUROTOP_RUN_RUNDIR_H

/* The run directory (docs/architecture.md): runs/<UTC time>-<model>/ with
 * run.json, metrics.jsonl (one JSON object per epoch, flushed every epoch),
 * snapshots/epoch-NNNNNN.nts and analyses/. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/run/snapshot.h"
#include "neurotop/run/store.h"

typedef struct RunDir RunDir;

/* Create root/<UTC yyyymmdd-hhmmss>-<model>/ (a suffix -2, -3… when taken)
 * with snapshots/, analyses/ and run_json as run.json. The folder is made
 * under a hidden name (".new-MODEL.N.PID") and renamed when complete, so a
 * full disk or a kill never leaves a run folder without run.json (hidden
 * leftovers of dead processes are removed by the next rundir_create).
 * log_path, when not NULL, also receives every metrics line, appended:
 * runs sharing a log file interleave whole lines. */
Status rundir_create(const char *root, const char *model, const char *run_json,
                     const char *log_path, RunDir **out, char *msg);
/* Open an existing folder (for replay or to add analyses). */
Status rundir_open(const char *path, RunDir **out, char *msg);
/* Open a run to go on from epoch `epoch` (--resume): metrics.jsonl loses
 * its lines of later epochs (and a last line without its line end), and
 * later snapshot files and snapshots/interrupted.nts are removed, since the
 * resumed run writes them again; new metrics lines are appended (and
 * copied to log_path when given). ST_EINVAL for a read-only run. */
Status rundir_resume(const char *path, size_t epoch, const char *log_path, RunDir **out, char *msg);
void rundir_free(RunDir *rd);
const char *rundir_path(const RunDir *rd);

/* Append one line to metrics.jsonl (and the log file), flushed to disk,
 * with one write: a write that fails half-way is rolled back, so the file
 * never ends in half a line (one left by a crash is cut off when the file
 * is opened for appending). When the disk is full (ENOSPC, EDQUOT, or the
 * file-size limit) the line is skipped and ST_OK returned: training goes on
 * in memory, the store (rundir_set_store) gets one message saying so, and
 * writing resumes when there is room again. Other failures give ST_EIO. */
Status rundir_append_metrics(RunDir *rd, const char *line, char *msg);
/* Where the disk-full messages go (the run's store; may be NULL). */
void rundir_set_store(RunDir *rd, Store *store);
/* 1 while the last write found the disk full. */
int rundir_disk_full(const RunDir *rd);
/* The optimiser state of the latest epoch file, for --resume. */
#define RUNDIR_OPT_FILE "optimiser.nts"

/* Write a snapshot as snapshots/epoch-NNNNNN.nts, or under name when given
 * (a bare name goes into snapshots/, a path with '/' is used as is). The file
 * appears atomically. An epoch file leaves out the optimiser state, which
 * then replaces snapshots/optimiser.nts (snapshot_save_opt); a named file
 * keeps it. *written (may be NULL) receives the path. An epoch's snapshot
 * (no name) that finds the disk full is skipped as rundir_append_metrics
 * skips a line. */
Status rundir_save_snapshot(RunDir *rd, const Snapshot *s, const char *name, char *written,
                            size_t cap, char *msg);

/* A file of this name in a run directory marks a run that is shipped with
 * neurotop (sample-runs/): neurotop never writes into it. */
#define RUNDIR_READ_ONLY_MARK ".read-only"

/* 1 when neurotop must not write into the run: it holds
 * RUNDIR_READ_ONLY_MARK or the user cannot write into its folder. */
int rundir_is_read_only(const RunDir *rd);

/* Where results of kind `kind` ("analyses", "exports") of the run go, into
 * out (not created: the writer makes it): RUN/kind, or for a read-only run
 * (or a RUN/kind the user cannot write into) the per-user cache
 * $XDG_CACHE_HOME/neurotop/kind/NAME-HHHHHHHH (~/.cache when
 * XDG_CACHE_HOME is unset or relative), NAME the run folder's name and
 * HHHHHHHH a hash of its real path. ST_EIO when there is no cache folder
 * to use. */
/* The cache folder for a kind of output of the folder at path:
 * $XDG_CACHE_HOME/neurotop/KIND/NAME-HASH (else ~/.cache/neurotop/...),
 * NAME the folder's name and HASH of its real path. -1 when neither
 * variable names a cache folder. */
int rundir_cache_path(const char *kind, const char *path, char *out, size_t cap);

Status rundir_output_dir(const RunDir *rd, const char *kind, char *out, size_t cap, char *msg);

/* One metrics.jsonl line for a snapshot: {"epoch":N,"examples":M,<metrics...>}. */
void metrics_format_line(const Snapshot *s, StrBuf *out);

#endif
