#ifndef NEUROTOP_MEASURE_INFO_PHASES_H
#define NEUROTOP_MEASURE_INFO_PHASES_H

/* The learning phases of seed paper 000 (Shine et al. 2021,
 * doi:10.1186/s40708-021-00147-z) in a run's series: phases_detect
 * (analysis/phases.h) on the modularity Q of the whole weight graph and of
 * its hidden subgraph (series q_whole, q_hidden) against test_acc, up to the
 * shown epoch: the early, middle and late phases, the peak of Q and
 * r(Q, accuracy) in the middle phase (paper: 0.981). Runs on snapshots
 * only (`:phases`). */

#include <stddef.h>

#include "neurotop/analysis/phases.h"
#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

/* The phases of one graph's Q. */
typedef struct {
    const char *key, *name; /* the series ("q_whole") and the graph ("whole") */
    size_t n;               /* epochs with both Q and accuracy */
    double *x, *q, *acc;    /* n: epoch, Q, accuracy */
    long *ep;               /* n epochs */
    Phase *lab;             /* n phase labels */
    PhaseResult res;
    int ok;                 /* phases were found; else problem says why */
    char problem[STATUS_MSG_LEN];
} QPhasesGraph;

typedef struct {
    PhaseParams params;
    QPhasesGraph graphs[2]; /* whole, hidden */
} QPhasesResult;

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void qphases_result_done(QPhasesResult *r);

/* The phases of both graphs from the series t into *r (zeroed first).
 * ST_EINVAL when neither graph has phases, ST_ENOMEM. O(epochs). */
Status qphases_compute(const SeriesTable *t, QPhasesResult *r, char *msg);

/* {context of s, noise, window, whole: {early, middle, late ([first,
 * last] epoch or null), peak_epoch, r_middle, n_middle} or {problem},
 * hidden: the same}. */
void qphases_json(const QPhasesResult *r, const Snapshot *s, JsonWriter *w);

/* The `:phases` overlay: the table of phases, r(Q, accuracy), the rule,
 * Q of each graph with the phases shaded, and the accuracy. ST_ENOMEM. */
Status qphases_view(const QPhasesResult *r, const Snapshot *s, JobResult *out);

/* The JobFn (snapshots only). */
Status qphases_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
