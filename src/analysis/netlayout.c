#include "neurotop/analysis/netlayout.h"

#include <string.h>

static void layer_set(NetLayer *l, LayerKind kind, const char *name, size_t families,
                      size_t height, size_t width, size_t kernel)
{
    l->kind = kind;
    memset(l->name, 0, sizeof l->name);
    strncpy(l->name, name, sizeof l->name - 1);
    l->families = families;
    l->height = height;
    l->width = width;
    l->kernel = kernel;
}

void netlayout_lenet(NetLayout *out)
{
    memset(out, 0, sizeof *out);
    layer_set(&out->layers[0], LAYER_INPUT, "INPUT", 1, 28, 28, 0);
    layer_set(&out->layers[1], LAYER_CONV, "CONVRAMP1", 20, 24, 24, 5);
    layer_set(&out->layers[2], LAYER_POOL, "POOLING1", 20, 12, 12, 2);
    layer_set(&out->layers[3], LAYER_CONV, "CONVRAMP2", 50, 8, 8, 5);
    layer_set(&out->layers[4], LAYER_POOL, "POOLING2", 50, 4, 4, 2);
    layer_set(&out->layers[5], LAYER_DENSE, "LINEARRAMP", 500, 1, 1, 0);
    layer_set(&out->layers[6], LAYER_DENSE, "LINEARSOFT", 10, 1, 1, 0);
    out->n_layers = 7;
}

size_t netlayout_layer_neurons(const NetLayout *layout, size_t layer)
{
    if (layer >= layout->n_layers)
        return 0;
    const NetLayer *l = &layout->layers[layer];
    return l->families * l->height * l->width;
}

size_t netlayout_offset(const NetLayout *layout, size_t layer)
{
    size_t off = 0;
    for (size_t i = 0; i < layer && i < layout->n_layers; i++)
        off += netlayout_layer_neurons(layout, i);
    return off;
}

size_t netlayout_neurons(const NetLayout *layout)
{
    return netlayout_offset(layout, layout->n_layers);
}
