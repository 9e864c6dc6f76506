#ifndef NEUROTOP_MEASURE_WEIGHTGRAPH_H
#define NEUROTOP_MEASURE_WEIGHTGRAPH_H

/* The weight graph of a snapshot, the one place where a model's parameters
 * become the signed, weighted node × node graph that modularity, roles and
 * degrees are measured on (the model kind says which blocks are edges). Two
 * parts are read out: the whole graph, and the hidden subgraph (every layer
 * but the input), which in the MLP of seed paper 000 responds to learning
 * more clearly than the whole graph, whose 784 input nodes dominate. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/graph.h"
#include "neurotop/run/snapshot.h"

typedef enum { GRAPH_PART_WHOLE = 0, GRAPH_PART_HIDDEN } GraphPart;

/* "whole" or "hidden" (the spelling of metric keys and JSON). */
const char *graph_part_name(GraphPart part);
/* The layer mask of a part (analysis/graph.h). */
uint32_t graph_part_mask(GraphPart part);

/* The layered description of s's weight graph: spec->blocks points at
 * blocks and spec->layer_sizes at sizes (both caller-provided, room for
 * MODEL_MAX_LAYERS: model_graph_sizes, so HebbFF's read-out is one node),
 * whose weights are borrowed from s or from *owned (weights the kind
 * computes, LeNet's family graph: free it once done with spec; NULL when
 * none). Returns the number of blocks (0 when s has none). */
size_t snapshot_graph_spec(const Snapshot *s, GraphSpec *spec, GraphBlock *blocks, size_t *sizes,
                           float **owned);

/* Nodes of one part of s's weight graph (0 when s has no weight graph). */
size_t snapshot_graph_nodes(const Snapshot *s, GraphPart part);

/* 1 when the modularity of a part of s's weight graph says something
 * about its structure; 0 when that part is a star: two layers, one of
 * them a single node (HebbFF's hidden subgraph: M hidden units and the one
 * read-out node). The best signed `asym` Q of a star is b / (2(a + b)),
 * a and b its total positive and negative weight (docs/methods.md §3), a
 * function of the signs' balance alone, so it is not reported. */
int snapshot_graph_part_defined(const Snapshot *s, GraphPart part);

/* The adjacency of one part of s's weight graph, with each node's layer and
 * unit (*out owned by the caller: graph_free). ST_EINVAL for a snapshot
 * without weight blocks or a part that is not defined
 * (snapshot_graph_part_defined), ST_ENOMEM. O(n² + weights). */
Status snapshot_weight_graph(const Snapshot *s, GraphPart part, WeightGraph **out, char *msg);

/* ST_OK when the part is defined, else ST_EINVAL with one sentence saying
 * why (for the analyses that take a part). */
Status snapshot_graph_part_check(const Snapshot *s, GraphPart part, char *msg);

#endif
