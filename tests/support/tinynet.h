#ifndef NEUROTOP_TESTS_TINYNET_H
#define NEUROTOP_TESTS_TINYNET_H

/* A tiny LeNet-like network with random weights, run forward by hand, for
 * localisation tests with a known answer: input 12×12, convolution
 * 4@8×8 (5×5, ReLU), 2×2 max pooling 4@4×4, dense 12 (ReLU), dense 4
 * (linear): 480 neurons in NetLayout order. Family 3 of the convolution has
 * a bias of −1e6, so it and its pooling family never respond (unless an
 * input reaches ±1e6). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/netlayout.h"

#define TINYNET_NEURONS 480

typedef struct {
    float wc[4][25], bc[4], w1[12][64], w2[4][12];
} TinyNet;

NetLayout tinynet_layout(void);
void tinynet_init(TinyNet *t, uint64_t seed);
/* out: TINYNET_NEURONS values for one 144-pixel image. */
void tinynet_forward(const TinyNet *t, const float *img, float *out);

#endif
