#include "neurotop/measure/weightgraph.h"

#include <stdlib.h>

const char *graph_part_name(GraphPart part)
{
    return part == GRAPH_PART_HIDDEN ? "hidden" : "whole";
}

uint32_t graph_part_mask(GraphPart part)
{
    return part == GRAPH_PART_HIDDEN ? GRAPH_ALL & ~GRAPH_LAYER(0) : GRAPH_ALL;
}

size_t snapshot_graph_spec(const Snapshot *s, GraphSpec *spec, GraphBlock *blocks, size_t *sizes,
                           float **owned)
{
    /* The kind says which blocks are edges of the graph (model_graph_blocks)
     * and how many nodes each layer has (a mirrored read-out is one). */
    WeightBlock wb[MODEL_MAX_LAYERS];
    size_t nb = model_graph_blocks(&s->config, s->params, wb, MODEL_MAX_LAYERS, owned);
    size_t nl = model_graph_sizes(&s->config, sizes);
    for (size_t b = 0; b < nb; b++)
        blocks[b] = (GraphBlock){.from = wb[b].from, .to = wb[b].to, .rows = wb[b].rows,
                                 .cols = wb[b].cols, .w = wb[b].w, .ld = wb[b].ld};
    *spec = (GraphSpec){.n_layers = nl, .layer_sizes = sizes, .n_blocks = nb, .blocks = blocks};
    return nl ? nb : 0;
}

size_t snapshot_graph_nodes(const Snapshot *s, GraphPart part)
{
    size_t sizes[MODEL_MAX_LAYERS], nl = model_graph_sizes(&s->config, sizes), n = 0;
    uint32_t mask = graph_part_mask(part);
    for (size_t l = 0; l < nl; l++)
        if (mask & GRAPH_LAYER(l))
            n += sizes[l];
    return n;
}

int snapshot_graph_part_defined(const Snapshot *s, GraphPart part)
{
    size_t sizes[MODEL_MAX_LAYERS], nl = model_graph_sizes(&s->config, sizes), kept = 0, single = 0;
    uint32_t mask = graph_part_mask(part);
    for (size_t l = 0; l < nl; l++)
        if (mask & GRAPH_LAYER(l)) {
            kept++;
            single += sizes[l] == 1;
        }
    return !(kept == 2 && single >= 1);
}

Status snapshot_graph_part_check(const Snapshot *s, GraphPart part, char *msg)
{
    if (snapshot_graph_part_defined(s, part))
        return ST_OK;
    return status_fail(msg, ST_EINVAL,
                       "the %s subgraph of this %s network is a star (one layer joined to a single node), "
                       "whose modularity depends only on the balance of its positive and negative weights",
                       graph_part_name(part), s->config.kind);
}

Status snapshot_weight_graph(const Snapshot *s, GraphPart part, WeightGraph **out, char *msg)
{
    GraphBlock blocks[MODEL_MAX_LAYERS];
    size_t sizes[MODEL_MAX_LAYERS];
    GraphSpec spec;
    float *owned = NULL;
    *out = NULL;
    if (snapshot_graph_spec(s, &spec, blocks, sizes, &owned) == 0) {
        free(owned);
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu has no weight blocks", s->epoch);
    }
    Status st = snapshot_graph_part_check(s, part, msg);
    if (!st)
        st = graph_new(&spec, graph_part_mask(part), out, msg);
    free(owned);
    return st;
}
