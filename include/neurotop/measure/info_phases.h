#ifndef NEUROTOP_MEASURE_INFO_PHASES_H
#define NEUROTOP_MEASURE_INFO_PHASES_H

/* The learning phases of seed paper 000 (Shine et al. 2021,
 * doi:10.1186/s40708-021-00147-z) in a run, up to the shown epoch:
 * phases_detect (analysis/phases.h, docs/methods.md §23) on the modularity
 * Q of the whole weight graph and of its hidden subgraph against test_acc.
 * Each epoch's Q is a distribution over Louvain runs, from one of two
 * sources:
 *  - the runs the run recorded (keys q_<graph>_mean, _min, _max and
 *    q_reps; the SD of the runs is estimated from their range, SD ≈
 *    range / d2(R), trend.h), or
 *  - with `:phases R` (`analyze phases --reps R`), R new Louvain runs on
 *    every saved snapshot (the accuracy from the snapshot).
 * Reported per graph: the phases, the peak, the tests behind the rise and
 * the fall, the trends with 95% intervals, r(Q, accuracy) over the middle
 * phase raw and on first differences (with a permutation p), and how the
 * phase boundaries move with α. Runs on snapshots only (`:phases`). */

#include <stddef.h>

#include "neurotop/analysis/phases.h"
#include "neurotop/analysis/permtest.h"
#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

/* The phases of one graph's Q. */
typedef struct {
    const char *key, *name; /* the series ("q_whole") and the graph ("whole") */
    size_t n;               /* epochs with Q runs and accuracy */
    double *x, *mean, *sd, *acc; /* n each: epoch, mean Q of the runs, SD of the runs, accuracy */
    size_t *runs;           /* n: Louvain runs of each epoch */
    long *ep;               /* n epochs */
    Phase *lab;             /* n phase labels */
    PhaseResult res;
    int diff_ok;            /* diff_test holds r of first differences with a permutation p */
    PermTest diff_test;
    long sens[PHASES_N_SENSITIVITY][4]; /* start epoch of each phase at each α of the table, -1 absent */
    int ok;                 /* phases were found; else problem says why */
    char problem[STATUS_MSG_LEN];
} QPhasesGraph;

typedef struct {
    PhaseParams params;
    size_t reps;            /* 0: the recorded runs; else R runs on each saved snapshot */
    size_t perms;
    uint64_t seed;
    QPhasesGraph graphs[2]; /* whole, hidden */
} QPhasesResult;

/* A Welch test as {diff, t, df, p} under key, and a trend as {from, to,
 * shape, slope, lo, hi} (null without points; slope/lo/hi null when not
 * fitted): the JSON of :phases and of `experiment mlp-phases`. */
void phases_json_welch(JsonWriter *w, const char *key, const WelchTest *t);
void phases_json_trend(JsonWriter *w, const char *key, const PhaseTrend *tr);

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void qphases_result_done(QPhasesResult *r);

/* The phases of both graphs from the recorded runs in the series t into
 * *r (zeroed first; r->params from params, NULL = defaults; perms and
 * seed for the permutation test of the first differences). An epoch counts
 * when its q_<graph>_mean, _min, _max, q_reps (>= 2) and test_acc are all
 * known. ST_EINVAL when neither graph has phases, ST_ENOMEM. */
Status qphases_compute(const SeriesTable *t, const PhaseParams *params, size_t perms, uint64_t seed,
                       QPhasesResult *r, char *msg);

/* {context of s, alpha, source, reps, whole: {early, middle, late ([first,
 * last] epoch or null), peak_epoch, rise, fall ({diff, t, df, p}),
 * alpha_search, trends, climb_share, r_middle, r_middle_diff, p_middle_diff,
 * n_middle, sensitivity} or {problem}, hidden: the same}. */
void qphases_json(const QPhasesResult *r, const Snapshot *s, JsonWriter *w);

/* The `:phases` overlay: the table of phases, the trends, r(Q, accuracy),
 * the sensitivity to α, the rule, Q of each graph with the phases shaded,
 * and the accuracy. ST_ENOMEM. */
Status qphases_view(const QPhasesResult *r, const Snapshot *s, JobResult *out);

/* The JobFn (snapshots only). */
Status qphases_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
