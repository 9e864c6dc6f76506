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
 * blocks (caller-provided, room for MODEL_MAX_LAYERS), whose weights are
 * borrowed from s. Returns the number of blocks (0 when s has none). */
size_t snapshot_graph_spec(const Snapshot *s, GraphSpec *spec, GraphBlock *blocks);

/* The adjacency of one part of s's weight graph, with each node's layer and
 * unit (*out owned by the caller: graph_free). ST_EINVAL for a snapshot
 * without weight blocks, ST_ENOMEM. O(n² + weights). */
Status snapshot_weight_graph(const Snapshot *s, GraphPart part, WeightGraph **out, char *msg);

#endif
