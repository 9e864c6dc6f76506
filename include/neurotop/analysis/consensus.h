#ifndef NEUROTOP_ANALYSIS_CONSENSUS_H
#define NEUROTOP_ANALYSIS_CONSENSUS_H

/* Consensus partitions (docs/methods.md §6): bctpy `consensus_und`
 * after Lancichinetti & Fortunato 2012, doi:10.1038/srep00336.
 * From R partitions: agreement matrix D, entries below τ set to 0, R Louvain
 * runs on the unsigned modularity matrix of D (γ = 1), repeated until the R
 * runs agree, at most max_rounds rounds. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/community.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

/* Runs r = 0..reps−1 of one batch on op: run r must use the stream
 * stream0 + r, write q[r] and the canonical partition parts[r·n..], exactly as
 * community_run_range(op, algo, seed, stream0, 0, reps, ...) would. A caller with
 * worker threads supplies one that splits the range; NULL means serial. */
typedef Status (*ConsensusBatchFn)(void *user, const LouvainOp *op, const CommunityAlgo *algo,
                                   uint64_t seed, uint64_t stream0, size_t reps, double *q, int *parts,
                                   const volatile int *cancel, char *msg);

typedef struct {
    double tau;         /* agreement threshold, in (0, 1]; 0.5 by default */
    size_t reps;        /* Louvain runs per round, ≥ 1 */
    size_t max_rounds;  /* ≥ 1; 20 by default */
    uint64_t seed;      /* round g (1-based) uses streams g·reps + r */
    CommunityAlgo algo; /* the optimiser of every round (zero: Louvain) */
    const volatile int *cancel;              /* NULL = never; polled per run and round */
    void (*progress)(void *user, double frac); /* optional, frac in 0..1 */
    void *progress_user;
    ConsensusBatchFn batch;                   /* optional, see above */
    void *batch_user;
} ConsensusOptions;

/* τ = 0.5, reps = 10, max_rounds = 20, seed 0, no cancel/progress/batch. */
void consensus_options_default(ConsensusOptions *o);

/* Agreement matrix of R partitions (parts: R·n labels of any integer values,
 * partition r at parts[r·n]): D_ij = (1/R)·#{r : P_r(i) = P_r(j)} for i ≠ j,
 * D_ii = 0, into d (n×n, caller-owned). Time O(Σ_r Σ_c |c|²) ≤ O(R n²). */
Status consensus_agreement(const int *parts, size_t reps, size_t n, Matrix *d, char *msg);

/* The consensus of the R partitions in parts (R·n, any integer labels), made
 * from the Louvain runs of step 1 on orig (the original B, n = orig->n).
 * out (n) receives the canonical consensus partition; k (optional) its number
 * of modules and rounds (optional) the rounds used. When the rounds never
 * agree, the last round's partition with the highest Q on orig wins (the first
 * on ties). Memory: one n×n double matrix, the sparse B of D and opt->reps·n
 * labels. Time per round:
 * the agreement plus opt->reps Louvain runs on an n-node graph. */
Status consensus_run(const LouvainOp *orig, const int *parts, size_t reps,
                     const ConsensusOptions *opt, int *out, size_t *k, size_t *rounds,
                     char *msg);

#endif
