#ifndef NEUROTOP_ANALYSIS_GRAPH_H
#define NEUROTOP_ANALYSIS_GRAPH_H

/* The weight graph of a layered network (seed paper 000; docs/architecture.md):
 * a signed, weighted, symmetric node × node adjacency built from the weight
 * blocks between layers, with a layer label per node. Nodes are numbered
 * layer by layer in input order (784-100-100-10: input 0–783, HL1 784–883,
 * HL2 884–983, output 984–993); each block fills the upper triangle and is
 * mirrored; the diagonal is 0. analysis/ does not see models: callers
 * describe their blocks with the small structs below. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

#define GRAPH_MAX_LAYERS 32
/* Layer selections: a bit per layer. The hidden subgraph (HL1 + HL2 +
 * output), whose Q responds to learning more clearly than the whole graph's,
 * is GRAPH_ALL & ~GRAPH_LAYER(0). */
#define GRAPH_LAYER(l) ((uint32_t)1u << (l))
#define GRAPH_ALL ((uint32_t)0xFFFFFFFFu)

/* One weight block: w[i·ld + j] joins unit i of layer `from` with unit j of
 * layer `to`; rows = size of `from`, cols = size of `to`, ld the distance
 * between rows (0 means cols; more for a view of some columns of a wider
 * matrix). from == to is a within-layer block, entered as (w + wᵀ)/2 off
 * the diagonal. Several blocks on the same pair of layers add up. w is
 * borrowed. */
typedef struct {
    size_t from, to;
    size_t rows, cols;
    const float *w;
    size_t ld;
} GraphBlock;

/* A layered network: n_layers (1..GRAPH_MAX_LAYERS) sizes, each ≥ 1, and its
 * blocks. Every pointer is borrowed. */
typedef struct {
    size_t n_layers;
    const size_t *layer_sizes;
    size_t n_blocks;
    const GraphBlock *blocks;
} GraphSpec;

/* Number of nodes in the layers selected by mask (at least one layer must
 * be selected). O(layers). */
Status graph_count_nodes(const GraphSpec *spec, uint32_t mask, size_t *n, char *msg);

/* Adjacency of the sub-graph induced by the layers in mask (GRAPH_ALL for the
 * whole graph), into the caller's adj (n×n with n from graph_count_nodes, so a
 * per-epoch caller reuses one buffer). layer and unit (n each, optional) get
 * each node's layer index and its unit index inside that layer. Blocks that
 * touch an unselected layer are left out. Errors: ST_EINVAL for an
 * inconsistent spec (block sizes, layer indices, NULL weights), a wrong adj
 * size or a non-finite weight. Time O(n² + Σ block sizes). */
Status graph_fill(const GraphSpec *spec, uint32_t mask, Matrix *adj, int *layer, int *unit,
                  char *msg);

/* Adjacency of one block alone: the nodes of `from` then those of `to` (just
 * one layer when from == to), with only that block's edges. adj must be
 * (rows + cols)×(rows + cols), or rows×rows for a within-layer block. */
Status graph_fill_block(const GraphSpec *spec, size_t block, Matrix *adj, int *layer, int *unit,
                        char *msg);

/* The same graph row by row, for a caller that never needs it dense (the
 * live Q of a wide network: 2,794 nodes would take 62 MB as a matrix).
 * graph_rows_init checks the spec and every weight once (errors as
 * graph_fill's), labels the nodes like graph_fill (layer and unit optional)
 * and sizes the rows; graph_rows_next(r, i, ...) then writes row i's
 * non-zero entries, columns ascending — the ModRowFn of modmatrix.h. The
 * spec stays borrowed until graph_rows_done. Row i costs O(Σ block sizes
 * of its layer's other side). */
typedef struct {
    const GraphSpec *spec;
    uint32_t mask;
    size_t n;                      /* nodes */
    size_t max_row;                /* most entries a row can have */
    size_t nnz_bound;              /* at least every row's entries together */
    size_t first[GRAPH_MAX_LAYERS]; /* each selected layer's first node */
    double *acc;                   /* scratch: one layer's columns */
} GraphRows;

Status graph_rows_init(GraphRows *r, const GraphSpec *spec, uint32_t mask, int *layer, int *unit,
                       char *msg);
Status graph_rows_next(void *rows, size_t i, size_t *col, double *val, size_t *count, char *msg);
/* Frees the scratch; NULL and a failed init are safe. */
void graph_rows_done(GraphRows *r);

/* An owned weight graph: adjacency and per-node layer and unit. */
typedef struct {
    Matrix *adj;
    int *layer;
    int *unit;
} WeightGraph;

/* Allocating forms of graph_fill / graph_fill_block; free with graph_free. */
Status graph_new(const GraphSpec *spec, uint32_t mask, WeightGraph **out, char *msg);
Status graph_new_block(const GraphSpec *spec, size_t block, WeightGraph **out, char *msg);
/* graph_free(NULL) does nothing. */
void graph_free(WeightGraph *g);

#endif
