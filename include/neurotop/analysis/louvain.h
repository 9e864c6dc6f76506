#ifndef NEUROTOP_ANALYSIS_LOUVAIN_H
#define NEUROTOP_ANALYSIS_LOUVAIN_H

/* Louvain modularity maximisation on an abstract modularity matrix B
 * (docs/methods.md §5), as bctpy `community_louvain` spells it: local moving with a
 * fresh random node order per sweep, gain(c) = H_uc − H_ua + B_uu, a move only
 * when the best gain exceeds 1e-10, the lowest module id on ties, aggregation
 * B' = SᵀBS, stop when a level moves nothing. Blondel et al. 2008,
 * doi:10.1088/1742-5468/2008/10/P10008; the abstract-B idea is GenLouvain's
 * (Jutla, Jeub, Mucha; Mucha et al. 2010, doi:10.1126/science.1184819).
 *
 * B is seen only through LouvainOp, one row at a time, so the same engine runs
 * on a dense single-layer B (louvain_op_dense), on a sparse graph with a
 * low-rank null model (louvain_op_sparse) and on the block-structured
 * multislice B (multislice.h) without forming the supra-matrix. The first
 * aggregation turns B into a small sparse meta-graph owned by the engine.
 *
 * Determinism: run r of a batch draws only from rng_seed(&rng, seed, stream0 + r),
 * so a caller may split the runs of a batch across threads (louvain_run_range
 * on disjoint ranges) and get byte-identical results. Nothing here is
 * thread-unsafe: the operator is read-only and each call owns its workspace. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"

#define LOUVAIN_TOL 1e-10        /* a move needs a gain above this (bctpy) */
#define LOUVAIN_BEAT 1e-12       /* a later run must beat the best Q by more than this */
#define LOUVAIN_MAX_SWEEPS 1000  /* per level, as bctpy's guard; exceeded → ST_ENUMERIC */

/* Row u of B: `len` values, at columns cols[0..len) or, when cols is NULL, at
 * the consecutive columns start..start+len−1; plus up to two extra entries
 * (columns outside the first set). Together they must list every non-zero
 * B_uv, v = u included; diag repeats B_uu. Pointers are borrowed from the
 * operator and stay valid until the next row() call on the same thread. */
typedef struct {
    double diag;
    size_t len;
    const double *vals;
    const size_t *cols;
    size_t start;
    size_t n_extra;
    size_t extra_col[2];
    double extra_val[2];
} LouvainRow;

#define LOUVAIN_MAX_RANK 2

/* A symmetric modularity matrix B of order n, B = R − Σ_{r<rank} σ_r x_r x_rᵀ:
 * row() lists R (for a plain B, rank = 0 and R = B); the optional low-rank
 * part is the null model of a sparse graph (B = W/s − γ k kᵀ/s²), kept as
 * vectors so a sweep costs O(edges + modules) instead of O(n²). The engine
 * keeps the per-module sums of each x_r, and aggregation keeps the form
 * (SᵀBS = SᵀRS − Σ σ_r (Sᵀx_r)(Sᵀx_r)ᵀ). row() must be safe to call from
 * several threads at once (it only reads ctx). Zero-initialise unused fields. */
typedef struct {
    size_t n;
    const void *ctx;
    void (*row)(const void *ctx, size_t u, LouvainRow *out);
    size_t rank;
    const double *x[LOUVAIN_MAX_RANK];
    double sigma[LOUVAIN_MAX_RANK];
} LouvainOp;

/* A dense symmetric n×n B (e.g. from modmat_build) as an operator. b is
 * borrowed and must outlive op. O(1). */
void louvain_op_dense(LouvainOp *op, const Matrix *b);

/* The factored B of modmat_build_sparse as an operator (s borrowed). With
 * rank-1 null models (no negative weights) only the modules of u's
 * neighbours and an empty one are candidates, as in igraph; with a negative
 * part every non-empty module is scanned. O(1). */
void louvain_op_sparse(LouvainOp *op, const ModSparse *s);

/* Q = Σ_uv B_uv δ(c_u, c_v) through the operator; labels are any integers
 * (n of them). Time O(nnz(B)), memory O(n). */
Status louvain_quality(const LouvainOp *op, const int *labels, double *q, char *msg);

/* One Louvain run drawing its node orders from rng. labels (n, caller-owned)
 * receives the canonical partition 1..k (docs/methods.md §2); q the modularity
 * recomputed from that partition (louvain_quality); k may be NULL.
 * cancel (NULL = never) is polled once per sweep: ST_ECANCELED.
 * Time per sweep O(nnz(B)) at the first level; memory O(n) plus the
 * meta-graph (at most k₁² entries, k₁ = modules after the first level). */
Status louvain_run(const LouvainOp *op, Rng *rng, int *labels, double *q, size_t *k,
                   const volatile int *cancel, char *msg);

/* Flags of louvain_run_from and leiden_run. */
#define LOUVAIN_MOVE_RANDOM 1u /* a node moves to a uniformly random module among those
                                  that gain more than LOUVAIN_TOL, not to the best one
                                  (GenLouvain's 'moverand'), drawing from the run's rng */

/* louvain_run from a given partition: the first level starts with the
 * modules of init (n labels of any integer values; NULL = every node alone)
 * and is aggregated even when no node moves, so the modules of init may
 * still merge. Q never falls below init's (every move and merge gains).
 * One pass of GenLouvain's iterated scheme (community.h). flags: 0 or
 * LOUVAIN_MOVE_RANDOM. */
Status louvain_run_from(const LouvainOp *op, Rng *rng, const int *init, unsigned flags, int *labels,
                        double *q, size_t *k, const volatile int *cancel, char *msg);

/* Runs r = r0..r1−1 of a batch: run r uses rng_seed(&rng, seed, stream0 + r)
 * and writes q[r] and the canonical partition parts[r·n .. r·n+n−1]. The arrays
 * are indexed by the absolute r, so threads given disjoint ranges can share
 * them. q and parts must hold at least r1 and r1·n entries. */
Status louvain_run_range(const LouvainOp *op, uint64_t seed, uint64_t stream0, size_t r0,
                         size_t r1, double *q, int *parts, const volatile int *cancel, char *msg);

/* Summary of the Q of R runs. best = the first run with the highest Q (a later
 * run replaces it only when it is higher by more than LOUVAIN_BEAT); sd is the
 * sample standard deviation (R − 1; 0 when R = 1). */
typedef struct {
    size_t reps;
    size_t best;
    double q_best, q_mean, q_sd, q_min, q_max;
} LouvainSummary;

/* Summarise q[0..reps) (reps ≥ 1, every q finite). O(reps). */
Status louvain_summarize(const double *q, size_t reps, LouvainSummary *out, char *msg);

/* Convenience: reps runs with streams 0..reps−1 (one thread), the best
 * partition into best_labels (n, canonical), the summary into sum. all_q
 * (reps) and all_parts (reps·n) are optional outputs; without all_parts only
 * the best partition is kept (memory O(n + reps)). Time reps × one run. */
Status louvain_run_reps(const LouvainOp *op, uint64_t seed, size_t reps, int *best_labels,
                        LouvainSummary *sum, double *all_q, int *all_parts,
                        const volatile int *cancel, char *msg);

#endif
