#ifndef NEUROTOP_MEASURE_MOD_MULTISLICE_H
#define NEUROTOP_MEASURE_MOD_MULTISLICE_H

/* The multislice analysis (docs/methods.md §9): multilayer modularity with
 * ordinal coupling of T square matrix files of one size (`analyze
 * multislice --layers F1,F2,...`): Q of given partitions (--partitions, an
 * N × T CSV), or the best of R seeded Louvain runs. Files only. */

#include <stddef.h>

#include "neurotop/analysis/community.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/measure/jobs.h"

typedef struct {
    size_t n, t;          /* nodes per layer, layers */
    double q;             /* Q of the given partitions, or of the best run */
    int ran;              /* 1: Louvain ran (the fields below are set) */
    CommunityAlgo algo;   /* the optimiser that ran */
    LouvainSummary runs;
    size_t k;             /* communities of the best run */
    int *labels;          /* n × t layer-major canonical labels of the best run (owned) */
} MultisliceResult;

/* The supra-modularity of layers[0..t) (multislice_build: gamma, omega,
 * sign and their rules); with given (n·t layer-major labels) its Q,
 * otherwise reps runs of algo (NULL = Louvain) from seed (cancel may be
 * NULL). *r owned by
 * the caller (multislice_result_done, safe after a failure). */
Status multislice_result_compute(const Matrix *const *layers, size_t t, double gamma, double omega,
                                 ModSign sign, const int *given, size_t reps, uint64_t seed,
                                 const CommunityAlgo *algo, const volatile int *cancel, MultisliceResult *r,
                                 char *msg);
void multislice_result_done(MultisliceResult *r);

/* {"Q"} for given partitions; after Louvain the run summary
 * (weightq_summary_json) with "partitions" as t arrays of n labels. */
void multislice_result_json(const MultisliceResult *r, JsonWriter *w);
void multislice_result_view(const MultisliceResult *r, JobResult *out);

Status job_multislice(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
