#ifndef NEUROTOP_MEASURE_MOD_LOUVAIN_H
#define NEUROTOP_MEASURE_MOD_LOUVAIN_H

/* The louvain and consensus analyses (docs/methods.md §5): R seeded Louvain
 * runs on a weight graph (the sparse engine of weightq.h), the best run's
 * partition or, with the consensus switch, the consensus partition of the
 * R runs (bctpy consensus_und, τ = 0.5; seed paper 000 used R = 500).
 *
 * On files (`analyze louvain --matrix W`) the graph is the matrix; on a
 * snapshot (`:louvain`, `:consensus`) it is the whole weight graph or its
 * hidden subgraph (args->hidden), and the result adds the make-up of the
 * modules by layer. */

#include <stddef.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/measure/jobs.h"
#include "neurotop/measure/mod_common.h"
#include "neurotop/measure/weightq.h"

typedef struct {
    GraphPart part;       /* the part of a snapshot's graph analysed */
    double gamma;
    ModSign sign;
    size_t n;             /* nodes */
    int *partition;       /* n canonical labels 1..k (owned): best run or consensus */
    size_t k;             /* modules */
    double q;             /* Q of partition */
    LouvainSummary runs;  /* Q over the R runs */
    int consensus;        /* 1: partition is the consensus of the runs */
    CommunityAlgo algo;   /* args->method and args->iterate */
    size_t rounds;        /* consensus rounds, 0 without */
    int has_modules;      /* 1: modules below holds the make-up by layer */
    ModuleTable modules;
} LouvainResult;

/* Louvain (or args->method, iterated with args->iterate) on adj with
 * args->gamma, sign, reps, seed and consensus (w is the
 * engine whose buffers are used: adj may be w->adj after weightq_load).
 * layers (NULL on files) adds the module table. job (NULL = none) sees the
 * progress and may cancel (ST_ECANCELED). Errors of weightq_run and
 * consensus_run; *r is owned by the caller (louvain_result_done, safe
 * after a failure). */
Status louvain_result_compute(WeightQ *w, const Matrix *adj, const ModLayers *layers,
                              const AnalysisArgs *args, Job *job, LouvainResult *r, char *msg);
void louvain_result_done(LouvainResult *r);

/* One JSON object: on a snapshot (s != NULL) "epoch" and "graph" first;
 * then "gamma", "signed", the run summary (weightq_summary_json: "reps",
 * "Q", "q_mean", "q_sd", "q_min", "q_max", "n_communities", "partition"),
 * "consensus_rounds" for a consensus, and "modules" when the make-up by
 * layer is known. */
void louvain_result_json(const LouvainResult *r, const Snapshot *s, JsonWriter *w);

/* The screen: a title line (graph, nodes, sign, epoch, runs), the Q line
 * and the module table. */
void louvain_result_view(const LouvainResult *r, const Snapshot *s, JobResult *out);

/* The JobFns of `louvain` (args->consensus as given) and `consensus`
 * (always a consensus). On a snapshot the partition is also left in
 * out->partition for :roles, :modules and :corr. */
Status job_louvain(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
Status job_consensus(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
