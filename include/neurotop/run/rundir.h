#ifndef NEUROTOP_RUN_RUNDIR_H
#define NEUROTOP_RUN_RUNDIR_H

/* The run directory (docs/architecture.md): runs/<UTC time>-<model>/ with
 * run.json, metrics.jsonl (one JSON object per epoch, flushed every epoch),
 * snapshots/epoch-NNNNNN.nts and analyses/. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/run/snapshot.h"

typedef struct RunDir RunDir;

/* Create root/<UTC yyyymmdd-hhmmss>-<model>/ (a suffix -2, -3… when taken)
 * with snapshots/ and analyses/, and write run_json (atomically) into it.
 * log_path, when not NULL, also receives every metrics line. */
Status rundir_create(const char *root, const char *model, const char *run_json,
                     const char *log_path, RunDir **out, char *msg);
/* Open an existing folder (for replay or to add analyses). */
Status rundir_open(const char *path, RunDir **out, char *msg);
void rundir_free(RunDir *rd);
const char *rundir_path(const RunDir *rd);

/* Append one line to metrics.jsonl (and the log file), flushed to disk. */
Status rundir_append_metrics(RunDir *rd, const char *line, char *msg);
/* Write a snapshot as snapshots/epoch-NNNNNN.nts, or under name when given
 * (a bare name goes into snapshots/, a path with '/' is used as is). The file
 * appears atomically. *written (may be NULL) receives the path. */
Status rundir_save_snapshot(RunDir *rd, const Snapshot *s, const char *name, char *written,
                            size_t cap, char *msg);

/* One metrics.jsonl line for a snapshot: {"epoch":N,"examples":M,<metrics...>}. */
void metrics_format_line(const Snapshot *s, StrBuf *out);

#endif
