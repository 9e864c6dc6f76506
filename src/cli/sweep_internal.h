#ifndef NEUROTOP_CLI_SWEEP_INTERNAL_H
#define NEUROTOP_CLI_SWEEP_INTERNAL_H

/* Between the sweep command (cmd_sweep.c) and its folder (sweep_folder.c).
 *
 *   <runs>/<name>/              the sweep folder
 *       sweep.tsv               the tasks it was started with (task, label, options)
 *       task-0000/              one task
 *           <UTC time>-<model>/ its run directory
 *           done                written when the run has all its epochs
 *           log.txt             its output when run by --jobs
 *       slurm/                  Slurm's output files (--slurm) */

#include <stddef.h>

#include "neurotop/cli/sweep.h"

typedef struct {
    char root[1024]; /* the --runs folder, absolute */
    char dir[1100];  /* root/name */
} SweepFolder;

typedef enum { SWEEP_TASK_NEW = 0, SWEEP_TASK_STARTED, SWEEP_TASK_DONE } SweepTaskState;

/* The folder of the sweep under runs: made (with runs) when create is 1,
 * its sweep.tsv written when new and checked when not (ST_EINVAL when the
 * folder was started with other tasks). With create 0 nothing is written. */
Status sweep_folder_open(const SweepSpec *s, const char *runs, int create, SweepFolder *f, char *msg);
void sweep_task_dir(const SweepFolder *f, size_t task, char *out, size_t cap);
/* The state of a task; run (may be NULL) gets its run directory or "". */
SweepTaskState sweep_task_state(const SweepFolder *f, size_t task, char *run, size_t cap);
const char *sweep_task_state_name(SweepTaskState s);
/* 1 when the run's metrics reach epoch `epochs`. */
int sweep_run_complete(const char *run, size_t epochs);
/* Run (or resume, or skip when done) one task in this process, printing
 * its epochs; returns the exit code of `neurotop train` (0 when done). */
int sweep_run_task(const SweepSpec *s, const SweepFolder *f, size_t task);

#endif
