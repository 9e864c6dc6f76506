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
/* Write a snapshot as snapshots/epoch-NNNNNN.nts, or under name when given
 * (a bare name goes into snapshots/, a path with '/' is used as is). The file
 * appears atomically. *written (may be NULL) receives the path. An epoch's
 * snapshot (no name) that finds the disk full is skipped as
 * rundir_append_metrics skips a line. */
Status rundir_save_snapshot(RunDir *rd, const Snapshot *s, const char *name, char *written,
                            size_t cap, char *msg);

/* One metrics.jsonl line for a snapshot: {"epoch":N,"examples":M,<metrics...>}. */
void metrics_format_line(const Snapshot *s, StrBuf *out);

#endif
