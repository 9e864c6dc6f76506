#ifndef NEUROTOP_ANALYSIS_LEIDEN_H
#define NEUROTOP_ANALYSIS_LEIDEN_H

/* The Leiden algorithm (Traag, Waltman, van Eck 2019, "From Louvain to
 * Leiden: guaranteeing well-connected communities", Sci. Rep. 9:5233,
 * doi:10.1038/s41598-019-41695-z) on the abstract modularity operator of
 * louvain.h, so it runs on the dense and sparse single-layer B of every
 * sign mode and on the multislice supra-matrix alike.
 *
 * One run, level by level:
 * 1. Fast local moving: the nodes in a random order in a queue; a node
 *    moves to the module of best gain (louvain.h's rule: gain > LOUVAIN_TOL,
 *    lowest id on ties) and its neighbours outside that module (nodes with a
 *    non-zero entry in its row) rejoin the queue. When the queue is empty
 *    after a move, every node is queued again in a fresh order (the null
 *    model ties a node to modules it has no entry in); stops when a round
 *    moves nothing. If every module is one node, the run ends.
 * 2. Refinement: inside each module S, start from singletons and visit the
 *    nodes in a random order; a node v still alone, well connected to S
 *    (B(v, S−v) ≥ 0), joins the well-connected sub-community C of S
 *    (B(C, S−C) ≥ 0) that holds a positive neighbour of v (R_vu > 0) and
 *    has the largest gain B(v, C) ≥ 0 (the greedy choice of leidenalg, not
 *    the randomised one of the paper). Sub-communities are therefore
 *    connected through positive entries.
 * 3. Aggregation on the refined partition; the modules of step 1 are the
 *    initial partition of the aggregate. If the refinement merged nothing,
 *    the modules themselves are aggregated (igraph's fallback) and the
 *    final partition is split into its connected parts (positive entries of
 *    R), which keeps every community connected.
 * The R of the operator (LouvainOp.row) is the graph: with the sparse
 * operator R_uv > 0 exactly when W_uv > 0, so every community is connected
 * in the positive graph; with a dense B (rank 0) in the graph of B > 0,
 * which for `none` is a subgraph of W > 0.
 *
 * Time per level O(nnz(B)) per queue pass plus O(nnz(B)) for the
 * refinement; memory O(n) plus the meta-graph, as Louvain. */

#include <stddef.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"

/* One Leiden run drawing its node orders from rng, from the partition init
 * (n labels of any integer values; NULL = every node alone). labels (n,
 * caller-owned) receives the canonical partition 1..k, q the modularity
 * recomputed from it (louvain_quality), k (optional) its number of
 * communities. cancel (NULL = never) is polled once per n queue pops:
 * ST_ECANCELED. More than LOUVAIN_MAX_SWEEPS·n pops on a level: ST_ENUMERIC.
 * flags: 0 or LOUVAIN_MOVE_RANDOM (the moving phase only; the refinement
 * stays greedy). */
Status leiden_run(const LouvainOp *op, Rng *rng, const int *init, unsigned flags, int *labels, double *q,
                  size_t *k, const volatile int *cancel, char *msg);

/* Split every community of labels (n, any integers) into its connected
 * parts in the graph of positive R entries of op; labels receives the
 * canonical result, k (optional) its number of communities, split
 * (optional) how many communities were split. Time O(nnz(R)). */
Status leiden_split_disconnected(const LouvainOp *op, int *labels, size_t *k, size_t *split, char *msg);

#endif
