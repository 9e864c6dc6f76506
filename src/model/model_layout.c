/* Typed parameter layouts and what is read from them: edge blocks, the
 * weight graph, receptive fields, kind metrics and the state block. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/receptive.h"
#include "neurotop/core/matrix.h"
#include "model_internal.h"

static const char *const CHAIN_NAMES[MODEL_MAX_LAYERS - 1] = {"alpha",   "beta", "gamma", "delta",
                                                              "epsilon", "zeta", "eta"};

void model_add_block(ParamBlock *out, size_t max, size_t *n, size_t *off, BlockType type,
                     const char *name, size_t from, size_t to, int edge, size_t n_dims,
                     const size_t *dims)
{
    size_t count = type == BLOCK_POOL || type == BLOCK_STATE ? 0 : 1;
    for (size_t d = 0; d < n_dims && d < MODEL_BLOCK_DIMS; d++)
        count *= dims[d];
    if (*n < max) {
        ParamBlock *b = &out[*n];
        memset(b, 0, sizeof *b);
        b->type = type;
        snprintf(b->name, sizeof b->name, "%s", name);
        b->from = from;
        b->to = to;
        b->n_dims = n_dims;
        for (size_t d = 0; d < n_dims && d < MODEL_BLOCK_DIMS; d++)
            b->dims[d] = dims[d];
        b->offset = count ? *off : 0;
        b->count = count;
        b->edge = edge;
    }
    (*n)++;
    *off += count;
}

void model_dense_chain(const ModelConfig *c, ParamBlock *out, size_t max, size_t *n, size_t *off)
{
    for (size_t l = 1; l < c->n_layers; l++) {
        const size_t dims[2] = {c->sizes[l - 1], c->sizes[l]};
        model_add_block(out, max, n, off, BLOCK_DENSE, CHAIN_NAMES[l - 1], l - 1, l, 1, 2, dims);
    }
}

size_t model_layout_checked(const ModelKind *k, const ModelConfig *c, ParamBlock *out,
                            size_t *total)
{
    *total = 0;
    if (!k->layout)
        return 0;
    size_t nb = k->layout(c, out, MODEL_MAX_BLOCKS);
    if (nb == 0 || nb > MODEL_MAX_BLOCKS)
        return 0;
    size_t at = 0;
    int too_big = 0;
    for (size_t i = 0; i < nb; i++) {
        const ParamBlock *b = &out[i];
        if (b->n_dims < 1 || b->n_dims > MODEL_BLOCK_DIMS || !b->name[0] || b->from >= c->n_layers ||
            b->to >= c->n_layers)
            return 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(out[j].name, b->name) == 0)
                return 0;
        size_t prod = 1;
        for (size_t d = 0; d < b->n_dims; d++)
            if (size_mul(prod, b->dims[d], &prod) != 0)
                too_big = 1;
        if (b->mirrored && (b->type != BLOCK_DENSE || !b->edge || b->n_dims != 2 || b->dims[1] < 2))
            return 0;
        if (b->type == BLOCK_POOL || b->type == BLOCK_STATE) {
            if (b->count != 0 || b->edge)
                return 0;
            continue;
        }
        if (too_big || prod > MODEL_MAX_PARAMS) {
            too_big = 1;
            continue;
        }
        if (prod == 0 || b->count != prod || b->offset != at)
            return 0;
        at += prod;
        if (at > MODEL_MAX_PARAMS)
            too_big = 1;
    }
    *total = too_big ? 0 : at;
    return nb;
}

size_t model_layout(const ModelConfig *config, ParamBlock *out, size_t max)
{
    if (model_config_validate(config, NULL) != ST_OK)
        return 0;
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t total;
    size_t nb = model_layout_checked(model_kind_of(config), config, all, &total);
    if (nb > max)
        nb = max;
    memcpy(out, all, nb * sizeof *out);
    return nb;
}

size_t model_param_count(const ModelConfig *config)
{
    if (model_config_validate(config, NULL) != ST_OK)
        return 0;
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t total;
    model_layout_checked(model_kind_of(config), config, all, &total);
    return total;
}

size_t model_extra_count(const ModelConfig *config)
{
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(config, all, MODEL_MAX_BLOCKS), extra = 0;
    for (size_t i = 0; i < nb; i++)
        if (!all[i].edge)
            extra += all[i].count;
    return extra;
}

static void to_weight_block(const ParamBlock *p, const float *params, WeightBlock *b)
{
    memset(b, 0, sizeof *b);
    b->from = p->from;
    b->to = p->to;
    b->rows = p->dims[0];
    b->ld = p->count / p->dims[0];
    b->offset = p->offset;
    /* A mirrored block is the one column its others mirror: its last. */
    b->cols = p->mirrored ? 1 : b->ld;
    if (p->mirrored)
        b->offset += b->ld - 1;
    b->w = params ? params + b->offset : NULL;
    snprintf(b->name, sizeof b->name, "%.7s", p->name);
}

float *model_block_copy(const WeightBlock *b)
{
    if (!b->w || b->rows == 0 || b->cols == 0)
        return NULL;
    float *out = malloc(b->rows * b->cols * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < b->rows; i++)
        memcpy(out + i * b->cols, b->w + i * b->ld, b->cols * sizeof *out);
    return out;
}

size_t model_graph_sizes(const ModelConfig *config, size_t *sizes)
{
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(config, all, MODEL_MAX_BLOCKS);
    if (nb == 0)
        return 0;
    const ModelKind *k = model_kind_of(config);
    if (k->graph_sizes)
        return k->graph_sizes(config, sizes);
    for (size_t l = 0; l < config->n_layers; l++)
        sizes[l] = config->sizes[l];
    for (size_t i = 0; i < nb; i++)
        if (all[i].edge && all[i].mirrored)
            sizes[all[i].to] = 1;
    return config->n_layers;
}

size_t model_blocks(const ModelConfig *config, const float *params, WeightBlock *out, size_t max)
{
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(config, all, MODEL_MAX_BLOCKS), n = 0;
    for (size_t i = 0; i < nb && n < max; i++)
        if (all[i].edge)
            to_weight_block(&all[i], params, &out[n++]);
    return n;
}

size_t model_graph_blocks(const ModelConfig *config, const float *params, WeightBlock *out,
                          size_t max, float **owned)
{
    *owned = NULL;
    const ModelKind *k = model_kind_of(config);
    if (!k || model_config_validate(config, NULL) != ST_OK)
        return 0;
    if (k->graph)
        return k->graph(config, params, owned, out, max);
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(config, all, MODEL_MAX_BLOCKS), n = 0;
    for (size_t i = 0; i < nb && n < max; i++)
        if (all[i].edge && all[i].type == BLOCK_DENSE)
            to_weight_block(&all[i], params, &out[n++]);
    return n;
}

int model_state_block(const ModelConfig *config, ParamBlock *out)
{
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(config, all, MODEL_MAX_BLOCKS);
    for (size_t i = 0; i < nb; i++)
        if (all[i].type == BLOCK_STATE) {
            if (out)
                *out = all[i];
            return 1;
        }
    return 0;
}

void model_input_shape(const ModelConfig *config, size_t *rows, size_t *cols)
{
    if (config->in_rows && config->in_cols && config->in_rows * config->in_cols == config->sizes[0]) {
        *rows = config->in_rows;
        *cols = config->in_cols;
    } else {
        *rows = 1;
        *cols = config->sizes[0];
    }
}

/* Default fields: products of the dense blocks joining layers 0..layer. */
static Status chain_fields(const ModelConfig *c, const float *params, size_t layer, float *out,
                           char *msg)
{
    ParamBlock all[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(c, all, MODEL_MAX_BLOCKS);
    const float *ptrs[MODEL_MAX_LAYERS];
    for (size_t l = 1; l <= layer; l++) {
        ptrs[l - 1] = NULL;
        for (size_t i = 0; i < nb; i++)
            if (all[i].type == BLOCK_DENSE && all[i].edge && all[i].from == l - 1 && all[i].to == l)
                ptrs[l - 1] = params + all[i].offset;
        if (!ptrs[l - 1])
            return status_fail(msg, ST_EINVAL,
                               "the %s model has no dense weights from layer %zu to layer %zu",
                               c->kind, l - 1, l);
    }
    WeightChain chain = {.n_blocks = layer, .sizes = c->sizes, .blocks = ptrs};
    return receptive_fields(&chain, layer, out, msg);
}

Status model_receptive_fields(const ModelConfig *config, const float *params, size_t layer,
                              float *out, char *msg)
{
    Status st = model_config_validate(config, msg);
    if (st)
        return st;
    if (!params)
        return status_fail(msg, ST_EINVAL, "receptive fields need the model's parameters");
    if (layer == 0 || layer >= config->n_layers)
        return status_fail(msg, ST_EINVAL, "layer %zu has no receptive field (layers 1..%zu)", layer,
                           config->n_layers - 1);
    const ModelKind *k = model_kind_of(config);
    return k->fields ? k->fields(config, params, layer, out, msg)
                     : chain_fields(config, params, layer, out, msg);
}

size_t model_extra_metrics(const ModelConfig *config, const float *params, ModelMetric *out,
                           size_t max)
{
    const ModelKind *k = model_kind_of(config);
    if (!k || !k->metrics || !params || model_config_validate(config, NULL) != ST_OK)
        return 0;
    return k->metrics(config, params, out, max);
}
