#ifndef NEUROTOP_RUN_COHORT_RUNS_H
#define NEUROTOP_RUN_COHORT_RUNS_H

/* A set of recorded runs read together (`neurotop cohort`): every run
 * directory (a folder with run.json) given, or found below a folder given —
 * a sweep folder (task-NNNN/<run>/), a batch of instances (<run>-iNN/), or
 * runs from several machines copied into one folder — with each run's
 * metrics and run.json. Runs that are still being written are read as far
 * as they go; cohort_runs_refresh reads what they added. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/run/store.h"

/* Folders are searched this deep below a folder given. */
#define COHORT_RUNS_DEPTH 3
#define COHORT_RUNS_MAX 100000

typedef struct CohortRuns CohortRuns;

/* Find and read the runs under dirs[0..n_dirs) (a folder given twice, or
 * reached twice, counts once), sorted by path. A run whose run.json cannot
 * be read is left out and counted (cohort_runs_skipped); ST_ENOTFOUND
 * when no run is found, ST_EINVAL for a folder that does not exist,
 * ST_ENOMEM. */
Status cohort_runs_open(const char *const *dirs, size_t n_dirs, CohortRuns **out, char *msg);
/* cohort_runs_free(NULL) is safe. */
void cohort_runs_free(CohortRuns *c);

size_t cohort_runs_count(const CohortRuns *c);
size_t cohort_runs_skipped(const CohortRuns *c);
const char *cohort_runs_dir(const CohortRuns *c, size_t run);
/* The run's metrics (borrowed; valid until the next refresh). */
const SeriesTable *cohort_runs_series(const CohortRuns *c, size_t run);

/* The value of a top-level key of the run's run.json as text: numbers as
 * %g ("0.3", not 0.29999999999999999), strings as they are, arrays as
 * "784-100-10" (numbers joined by '-'); "" when absent. A key may be given
 * with '-' for '_' (epoch-size). */
void cohort_runs_value(const CohortRuns *c, size_t run, const char *key, char *buf, size_t cap);

/* Keys of run.json whose values differ between runs (the swept options:
 * seed, lr, ...), in the first run's key order, at most max of them; the
 * bookkeeping keys (created_utc, data_source, neurotop_version) are left
 * out. Returns how many were written to keys (each cap bytes). */
size_t cohort_runs_varying(const CohortRuns *c, char (*keys)[32], size_t max);

/* Every metric key some run has, in first-seen order (at most max). */
size_t cohort_runs_metrics(const CohortRuns *c, char (*keys)[METRIC_KEY_LEN], size_t max);

/* The largest epoch any run recorded + 1 (0 when none). */
size_t cohort_runs_epochs(const CohortRuns *c);

/* The n_runs × n_epochs matrix (runs[i], epoch e at i·n_epochs + e) of a
 * metric, NaN where a run has no value at that epoch. Caller frees. NULL
 * when out of memory. */
double *cohort_runs_matrix(const CohortRuns *c, const size_t *runs, size_t n_runs, const char *key,
                           size_t n_epochs);

/* Read what the runs appended since they were read, and runs that have
 * appeared below the folders given. */
Status cohort_runs_refresh(CohortRuns *c, char *msg);

#endif
