#ifndef NEUROTOP_ANALYSIS_NETLAYOUT_H
#define NEUROTOP_ANALYSIS_NETLAYOUT_H

/* The geometry of a layered network of neurons arranged as families of
 * height × width maps (LeNet: convolution and pooling layers, then dense
 * layers of width-1 maps), shared by the LeNet model and the localisation
 * analysis. Neurons are numbered layer by layer, then family, row, column:
 * index = netlayout_offset(layer) + (f·height + y)·width + x. */

#include <stddef.h>

#define NETLAYOUT_MAX_LAYERS 8

typedef enum { LAYER_INPUT = 0, LAYER_CONV, LAYER_POOL, LAYER_DENSE } LayerKind;

typedef struct {
    LayerKind kind;
    char name[16];
    size_t families, height, width;
    /* Convolution kernel side or pooling window side; 0 for input and dense. */
    size_t kernel;
} NetLayer;

typedef struct {
    size_t n_layers;
    NetLayer layers[NETLAYOUT_MAX_LAYERS];
} NetLayout;

/* Seed 004's LeNet: 28×28 input, 20@24×24 convolution (5×5), 2×2 max pooling,
 * 50@8×8 convolution (5×5 over all 20 families), pooling, 500 dense, 10
 * soft-max: 19,694 neurons counting the input pixels. */
void netlayout_lenet(NetLayout *out);

/* Neurons in one layer, and in the whole network. */
size_t netlayout_layer_neurons(const NetLayout *layout, size_t layer);
size_t netlayout_neurons(const NetLayout *layout);

/* Index of the first neuron of a layer (layer = n_layers gives the total). */
size_t netlayout_offset(const NetLayout *layout, size_t layer);

#endif
