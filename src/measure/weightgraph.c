#include "neurotop/measure/weightgraph.h"

const char *graph_part_name(GraphPart part)
{
    return part == GRAPH_PART_HIDDEN ? "hidden" : "whole";
}

uint32_t graph_part_mask(GraphPart part)
{
    return part == GRAPH_PART_HIDDEN ? GRAPH_ALL & ~GRAPH_LAYER(0) : GRAPH_ALL;
}

size_t snapshot_graph_spec(const Snapshot *s, GraphSpec *spec, GraphBlock *blocks)
{
    /* The kind says which blocks are edges of the graph (model_graph_blocks). */
    WeightBlock wb[MODEL_MAX_LAYERS];
    size_t nb = model_graph_blocks(&s->config, s->params, wb, MODEL_MAX_LAYERS);
    for (size_t b = 0; b < nb; b++)
        blocks[b] = (GraphBlock){.from = wb[b].from, .to = wb[b].to, .rows = wb[b].rows,
                                 .cols = wb[b].cols, .w = wb[b].w};
    *spec = (GraphSpec){.n_layers = s->config.n_layers, .layer_sizes = s->config.sizes,
                        .n_blocks = nb, .blocks = blocks};
    return nb;
}

Status snapshot_weight_graph(const Snapshot *s, GraphPart part, WeightGraph **out, char *msg)
{
    GraphBlock blocks[MODEL_MAX_LAYERS];
    GraphSpec spec;
    *out = NULL;
    if (snapshot_graph_spec(s, &spec, blocks) == 0)
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu has no weight blocks", s->epoch);
    return graph_new(&spec, graph_part_mask(part), out, msg);
}
