#ifndef NEUROTOP_RUN_SNAPSHOT_IO_H
#define NEUROTOP_RUN_SNAPSHOT_IO_H

/* Snapshot files (.nts): the model config, weights, held-out evaluation,
 * probe activations and per-epoch metrics, each section CRC-checked, written
 * atomically (temporary file, fsync, rename). */

#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

Status snapshot_save(const Snapshot *s, const char *path, char *msg);
/* Load and validate a snapshot file; a corrupted or truncated file gives
 * ST_EFORMAT with the file and the section named. */
Status snapshot_load(const char *path, Snapshot **out, char *msg);

#endif
