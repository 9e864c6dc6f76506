#ifndef NEUROTOP_ANALYSIS_LOUVAIN_INTERNAL_H
#define NEUROTOP_ANALYSIS_LOUVAIN_INTERNAL_H

/* The pieces Louvain (louvain.c) and Leiden (leiden.c) share: the
 * workspace of one level, the best move of a node, the renumbering of
 * module ids and the aggregation B' = SᵀBS. Not a public header. */

#include <stddef.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"

/* The meta-graph after an aggregation: sparse rows, diagonal included. */
typedef struct {
    size_t n;
    size_t *ptr; /* n + 1 */
    size_t *col;
    double *val;
    double *diag;
    double *x[LOUVAIN_MAX_RANK]; /* module sums of the level's x vectors */
} LouvainCsr;

/* louvain_i_csr_free(NULL) does nothing. */
void louvain_i_csr_free(LouvainCsr *c);

/* The operator of an aggregated level: rows from c, the low-rank part of
 * base (same σ, x summed per module). c is borrowed by meta. */
void louvain_i_meta_op(const LouvainOp *base, const LouvainCsr *c, LouvainOp *meta);

/* The workspace of one optimisation, sized for the first level (n nodes);
 * every later level is smaller. */
typedef struct {
    int *label;          /* module id of each node of the current level */
    size_t *size;        /* members of each module id */
    double *acc;         /* Σ B_uv per module id for the node being visited; kept 0 */
    unsigned char *seen; /* module id already in `touched`; kept 0 */
    int *touched;        /* module ids met in the current row */
    size_t *perm;        /* node order of the sweep */
    int *renum;          /* old module id → new id */
    int *orig;           /* level-0 node → node of the current level */
    int *ne;             /* the non-empty module ids, in no order */
    size_t *ne_pos;      /* position of each non-empty id in ne */
    size_t n_ne;
    size_t min_empty;    /* the lowest empty module id (n when none) */
    double *tot[LOUVAIN_MAX_RANK]; /* Σ x_r over each module id */
} LouvainWork;

Status louvain_i_work_init(LouvainWork *w, size_t n, size_t rank, char *msg);
void louvain_i_work_done(LouvainWork *w);

/* The level being optimised: its operator and whether its null model is
 * "positive" (every σ_r ≥ 0 and x_r ≥ 0), so that a module sharing no entry
 * of R with u can never beat moving out alone. */
typedef struct {
    const LouvainOp *op;
    int positive;
    Rng *random_moves; /* non-NULL: a random improving module, not the best */
} LouvainLevel;

void louvain_i_level(const LouvainOp *op, LouvainLevel *lv);

/* Start a level of op->n nodes: with init (ids in 0..n−1) its modules,
 * else every node alone; sets sizes, module sums, the non-empty list and
 * min_empty. */
void louvain_i_start(LouvainWork *w, const LouvainOp *op, const int *init);

/* Add every entry of row r into w->acc by module id of its column; returns
 * the number of module ids now listed in w->touched (pre-filled with nt). */
size_t louvain_i_row_accumulate(LouvainWork *w, const LouvainRow *r, size_t nt);
/* Zero acc and seen for the nt listed ids. */
void louvain_i_touched_reset(LouvainWork *w, size_t nt);

/* The best module for node u (docs/methods.md §2 step 2): the argmax of
 * gain(c) = H_uc − H_ua + B_uu with gain(a) = 0 and the lowest id on ties,
 * among the modules met in u's row (every non-empty one when the null
 * model is not positive) and the lowest empty id. *gain receives its gain.
 * With lv->random_moves, a uniformly random one of the candidates whose
 * gain exceeds LOUVAIN_TOL instead (u's own module when there is none). */
int louvain_i_best_module(LouvainWork *w, const LouvainLevel *lv, size_t u, const LouvainRow *r,
                          double *gain);

/* Move node u to module `to`, updating sizes, sums, the non-empty list and
 * min_empty. */
void louvain_i_move(LouvainWork *w, const LouvainOp *op, size_t u, int to);

/* Renumber the non-empty module ids of labels (n nodes, ids < n, sizes in
 * size[]) as 0..k−1 in increasing id order (bctpy's np.unique); returns k.
 * renum is scratch of n. */
size_t louvain_i_renumber(int *labels, const size_t *size, int *renum, size_t n);

/* B' = SᵀBS for labels 0..k−1 of op's nodes (labels[u] for node u), as
 * sparse rows; uses w->acc/seen/touched as scratch. */
Status louvain_i_collapse(const LouvainOp *op, LouvainWork *w, const int *labels, size_t k,
                          LouvainCsr **out, char *msg);

/* The argument checks every engine makes on an operator. */
Status louvain_i_check_op(const LouvainOp *op, char *msg);

#endif
