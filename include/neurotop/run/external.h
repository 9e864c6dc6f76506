#ifndef NEUROTOP_RUN_EXTERNAL_H
#define NEUROTOP_RUN_EXTERNAL_H

/* Runs recorded by other frameworks (docs/external-runs.md): a folder with
 * run.json and one NumPy archive per recorded step, step-NNNNNN.npz, holding
 * the dense weight matrices W0, W1, ... in layer order (stored in-by-out or
 * out-by-in as run.json's "layout" says), optionally the probe activations
 * act0, act1, ... of the layers after the input and the probe labels; and
 * optionally metrics.jsonl, one {"step": N, ...} object per line. A step
 * becomes a snapshot of a dense chain — what neurotop's weight analyses
 * (Q of the weight graph, weight moments, receptive fields) and activity
 * analyses read — at epoch N. The folder is only ever read. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

#define EXTERNAL_MAX_STEPS 1000000

typedef struct ExternalRun ExternalRun;

/* Open the folder: its run.json must be an object with "layout" either
 * "in_by_out" or "out_by_in"; "input_shape" [rows, cols] is optional.
 * ST_ENOTFOUND without run.json, ST_EFORMAT (naming the field) otherwise. */
Status external_open(const char *dir, ExternalRun **out, char *msg);
/* 1 when dir holds a run.json with "layout" and no "model": a run recorded
 * outside neurotop rather than one of neurotop's run directories. */
int external_is_run(const char *dir);
/* external_free(NULL) is safe. */
void external_free(ExternalRun *x);
const char *external_dir(const ExternalRun *x);

/* List the step files now in the folder (names step-DIGITS.npz; a writer's
 * temporary names do not match) and reread metrics.jsonl. Returns how
 * many steps there are; the list is ascending. */
Status external_scan(ExternalRun *x, size_t *n_steps, char *msg);
size_t external_step(const ExternalRun *x, size_t i);

/* The snapshot of a listed step (epoch = step), one reference for the
 * caller. ST_EFORMAT naming the file and the array for a broken or
 * inconsistent step (a missing W0, a chain whose sizes do not join, an
 * activation of the wrong shape); ST_ENOMEM. */
Status external_load(ExternalRun *x, size_t step, Snapshot **out, char *msg);

/* The run.json of neurotop's own run directory for this run, from a loaded
 * snapshot's config (model, sizes, input shape, where it came from). */
void external_run_json(const ExternalRun *x, const Snapshot *s, char *buf, size_t cap);

#endif
