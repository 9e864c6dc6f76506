#ifndef NEUROTOP_RUN_SNAPSHOT_IO_H
#define NEUROTOP_RUN_SNAPSHOT_IO_H

/* Snapshot files (.nts): the model config, kind parameters and typed
 * parameter blocks, the held-out evaluation and the per-epoch metrics,
 * each section CRC-checked, written atomically (temporary file, fsync,
 * rename). snapshot_save writes format 2; snapshot_load reads formats 1
 * (files written before typed blocks) and 2 (snapshot_io.c lists the
 * sections). */

#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

Status snapshot_save(const Snapshot *s, const char *path, char *msg);
/* The same with (with_opt 1) or without the optimiser state "train.opt",
 * which for HebbFF is four times the weights: a run keeps it for its
 * latest epoch only (snapshot_save_opt), not in every epoch's file. */
Status snapshot_save_parts(const Snapshot *s, const char *path, int with_opt, char *msg);
/* The optimiser state of s alone ("train.epoch" and "train.opt"), and
 * reading it back: *epoch, *opt (caller-owned, n doubles). Errors as
 * snapshot_load. */
Status snapshot_save_opt(const Snapshot *s, const char *path, char *msg);
Status snapshot_load_opt(const char *path, size_t *epoch, double **opt, size_t *n, char *msg);
/* Load and validate a snapshot file; a corrupted or truncated file, or a
 * format this build does not know, gives ST_EFORMAT and one sentence
 * naming the file (and the section at fault). */
Status snapshot_load(const char *path, Snapshot **out, char *msg);

#endif
