#ifndef NEUROTOP_MEASURE_WEIGHTQ_H
#define NEUROTOP_MEASURE_WEIGHTQ_H

/* Louvain runs on a weight graph: the one engine behind the live per-epoch
 * Q (metrics_modularity.h), jobs_weight_q (`experiment mlp-phases`, :corr)
 * and the louvain/consensus analyses. It reads one part of a snapshot's
 * weight graph (weightgraph.h) or any square adjacency, builds the sparse
 * factored modularity matrix (modmatrix.h) and runs R seeded Louvain runs
 * (louvain.h): run r draws only from stream r of the seed, so a result
 * depends on (graph, gamma, sign, R, seed) alone.
 *
 * A WeightQ keeps its buffers from call to call (adjacency, B, labels,
 * the Q of every run), so a per-epoch caller allocates only when the graph
 * or R grows. One WeightQ is used by one thread at a time. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/community.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/json.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/run/snapshot.h"

typedef struct {
    double gamma;   /* resolution, finite and >= 0 */
    ModSign sign;   /* how negative weights enter B */
    size_t reps;    /* Louvain runs, >= 1 */
    uint64_t seed;  /* run r uses stream r of this seed */
    int keep_runs;  /* 1: keep every run's partition in runs (for a consensus) */
    CommunityAlgo algo; /* the optimiser (zero: one Louvain pass per run) */
    const volatile int *cancel;                /* NULL = never; polled every sweep */
    void (*progress)(void *user, double frac); /* optional: 0..1 over the runs */
    void *progress_user;
} WeightQOptions;

typedef struct {
    /* The graph of the last weightq_load. */
    Matrix *adj;        /* n_graph × n_graph adjacency (graph.h) */
    int *layer, *unit;  /* n_graph: each node's layer and unit in that layer */
    size_t n_graph;
    /* The runs of the last weightq_run. */
    size_t n;           /* nodes */
    ModSparse b;
    LouvainOp op;       /* B of the last run (borrows b): valid until the next */
    double *q;          /* reps: Q of every run */
    int *runs;          /* reps × n canonical partitions, with keep_runs only */
    int *best;          /* n: the best run's canonical partition, labels 1..k */
    size_t k;           /* modules of best */
    LouvainSummary sum; /* Q over the runs; sum.q_best is best's Q */
    /* Capacities of the buffers above and a scratch partition. */
    size_t cap_n, cap_q, cap_runs, cap_labels;
    int *scratch;
} WeightQ;

/* An empty engine (nothing allocated). */
void weightq_init(WeightQ *w);
/* Frees every buffer; the WeightQ may be initialised again. NULL is safe. */
void weightq_done(WeightQ *w);

/* gamma 1, signed asym (the weight graph has negative weights), 1 run,
 * seed 0, no kept runs, no cancel, no progress. */
void weightq_options_default(WeightQOptions *o);

/* Load one part of s's weight graph into w->adj, w->layer, w->unit
 * (w->n_graph nodes), reusing the buffers when the size is unchanged.
 * ST_EINVAL for a snapshot without weight blocks or a part whose Q is not
 * defined (snapshot_graph_part_check: HebbFF's hidden star); ST_ENOMEM.
 * O(n² + weights). */
Status weightq_load(WeightQ *w, const Snapshot *s, GraphPart part, char *msg);

/* R Louvain runs on the square adjacency adj (w->adj after weightq_load, or
 * any other matrix): B of adj with o->gamma and o->sign (modmat_build_sparse,
 * whose rules and errors apply), then runs r = 0..R−1. Fills w->q, w->best,
 * w->k, w->sum, and w->runs when o->keep_runs; w->op stays valid for
 * louvain_quality or a consensus until the next call. The best run is the
 * first with the highest Q (louvain_summarize). ST_ECANCELED when cancelled.
 * Time R × one run on the sparse B; memory O(n + edges + R), plus R·n
 * labels with keep_runs. */
Status weightq_run(WeightQ *w, const Matrix *adj, const WeightQOptions *o, char *msg);

/* The runs of weightq_load then weightq_run, with the same results, but B
 * is built from the weight blocks row by row: no n×n adjacency (w->adj is
 * left as it was; w->layer and w->unit are filled), so a 2,794-node graph
 * costs its edges, not 62 MB. */
Status weightq_snapshot(WeightQ *w, const Snapshot *s, GraphPart part, const WeightQOptions *o,
                        char *msg);

/* The optimiser's keys, each only when it is not the default (so Louvain's
 * documents are unchanged): "method" ("leiden"), "iterate" (true),
 * "random_moves" (true). Into the open object of w. */
void weightq_algo_json(JsonWriter *w, const CommunityAlgo *algo);

/* The keys every batch of Louvain runs reports, written here once: "reps",
 * "Q" (q: the best run's, or a consensus's), "q_mean", "q_sd", "q_min",
 * "q_max" (over the runs), "n_communities" (k), then the partition:
 * "partition" (n labels) when t is 0, else "partitions" (t arrays of n
 * labels from a layer-major labels array). Into the open object of w. */
void weightq_summary_json(JsonWriter *w, const LouvainSummary *sum, double q, size_t k,
                          const int *labels, size_t n, size_t t);

#endif
