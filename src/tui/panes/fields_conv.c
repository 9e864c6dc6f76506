/* The fields pane's views of a convolutional model (fields_conv.h). */
#include "fields_conv.h"

#include <math.h>
#include <string.h>

/* A layer of `units` units in `families` maps: square maps when they are,
 * else one row. */
static void map_shape(size_t units, size_t families, size_t *rows, size_t *cols)
{
    size_t n = families ? units / families : units;
    size_t side = (size_t)llround(sqrt((double)n));
    *rows = side * side == n ? side : 1;
    *cols = side * side == n ? side : n;
}

/* Kernels (one per CONV block), maps (the output layer of every CONV and
 * POOL block), then fields of every layer after the first convolution's. */
int conv_view_at(const ModelConfig *c, size_t i, ConvView *out)
{
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(c, b, MODEL_MAX_BLOCKS), k = 0, first_conv = 0, families = 0;
    size_t fam_of[MODEL_MAX_LAYERS] = {0};
    for (size_t j = 0; j < nb; j++) {
        if (b[j].type == BLOCK_CONV) {
            if (!first_conv)
                first_conv = b[j].to;
            families = b[j].dims[0];
            fam_of[b[j].to] = families;
            if (k++ == i) {
                memset(out, 0, sizeof *out);
                out->type = CONV_VIEW_KERNELS;
                out->layer = b[j].to;
                out->units = b[j].dims[0];
                out->channels = b[j].dims[1];
                out->rows = b[j].dims[2];
                out->cols = b[j].dims[3];
                out->offset = b[j].offset;
                return 1;
            }
        } else if (b[j].type == BLOCK_POOL) {
            fam_of[b[j].to] = families;
        }
    }
    if (!first_conv)
        return 0;
    for (size_t l = 1; l < c->n_layers; l++)
        if (fam_of[l] && k++ == i) {
            memset(out, 0, sizeof *out);
            out->type = CONV_VIEW_MAPS;
            out->layer = l;
            out->units = fam_of[l];
            map_shape(c->sizes[l], fam_of[l], &out->rows, &out->cols);
            return 1;
        }
    for (size_t l = first_conv + 1; l < c->n_layers; l++)
        if (k++ == i) {
            memset(out, 0, sizeof *out);
            out->type = CONV_VIEW_FIELDS;
            out->layer = l;
            out->units = c->sizes[l];
            model_input_shape(c, &out->rows, &out->cols);
            return 1;
        }
    return 0;
}

size_t conv_view_count(const ModelConfig *c)
{
    ConvView v;
    size_t n = 0;
    while (n < 64 && conv_view_at(c, n, &v))
        n++;
    return n;
}

int conv_view_fill(const Snapshot *snap, const ConvView *v, size_t item, float *out)
{
    const size_t px = v->rows * v->cols;
    if (v->type == CONV_VIEW_FIELDS)
        return model_receptive_fields(&snap->config, snap->params, v->layer, out, NULL) ? -1 : 0;
    if (v->type == CONV_VIEW_MAPS) {
        const float *a = snap->acts[v->layer - 1];
        if (!a || item >= snap->n_probe)
            return -1;
        memcpy(out, a + item * snap->config.sizes[v->layer], v->units * px * sizeof *out);
        return 0;
    }
    const float *k = snap->params + v->offset;
    for (size_t f = 0; f < v->units; f++)
        for (size_t p = 0; p < px; p++) {
            float sum = 0.0f;
            for (size_t ch = 0; ch < v->channels; ch++)
                sum += k[(f * v->channels + ch) * px + p];
            out[f * px + p] = sum;
        }
    return 0;
}
