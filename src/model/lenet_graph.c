/* LeNet's weight graph: the shared-kernel family graph. A convolution or
 * pooling layer is one node per family (a kernel is shared by all the
 * positions of its family), the input image is one node, the dense layers
 * are one node per unit. Edges:
 *   input -> conv1 family f: the sum of kernel f's weights;
 *   conv family f -> its pooled family f: 1, the gain of a max (its output
 *     is one of its inputs), no edge between different families;
 *   pool1 family c -> conv2 family f: the sum of kernel f's weights over
 *     input channel c;
 *   pool2 family f -> dense unit u: the sum of the weights from the
 *     positions of family f to u;
 *   dense -> softmax: the weights as they are.
 * docs/methods.md states the same. */
#include <stdlib.h>
#include <string.h>

#include "lenet_internal.h"

/* Nodes per layer of the family graph. */
size_t lenet_graph_sizes(const ModelConfig *c, size_t *sizes)
{
    LenetShape s;
    if (lenet_shape_of(c, &s, NULL))
        return 0;
    const size_t n[7] = {1, s.f1, s.f1, s.f2, s.f2, s.dense, s.classes};
    memcpy(sizes, n, sizeof n);
    return 7;
}

static void set_block(WeightBlock *b, size_t from, size_t to, size_t rows, size_t cols,
                      const float *w, size_t offset, const char *name)
{
    memset(b, 0, sizeof *b);
    b->from = from;
    b->to = to;
    b->rows = rows;
    b->cols = cols;
    b->ld = cols;
    b->w = w;
    b->offset = offset;
    strncpy(b->name, name, sizeof b->name - 1);
}

size_t lenet_graph(const ModelConfig *c, const float *params, float **owned, WeightBlock *out,
                   size_t max)
{
    LenetShape s;
    *owned = NULL;
    if (lenet_shape_of(c, &s, NULL) || max < 6)
        return 0;
    const size_t kk = s.k * s.k, pos = s.p2h * s.p2w;
    /* Computed blocks, one after the other in *owned. */
    const size_t n_in = s.f1, n_p1 = s.f1 * s.f1, n_c2 = s.f1 * s.f2, n_p2 = s.f2 * s.f2,
                 n_d = s.f2 * s.dense;
    float *w = NULL;
    if (params) {
        w = calloc(n_in + n_p1 + n_c2 + n_p2 + n_d, sizeof *w);
        if (!w)
            return 0;
        float *a = w, *b = a + n_in, *cc = b + n_p1, *d = cc + n_c2, *e = d + n_p2;
        for (size_t f = 0; f < s.f1; f++) {
            for (size_t i = 0; i < kk; i++)
                a[f] += params[s.o_k1 + f * kk + i];
            b[f * s.f1 + f] = 1.0f;
        }
        for (size_t f = 0; f < s.f2; f++) {
            for (size_t ch = 0; ch < s.f1; ch++)
                for (size_t i = 0; i < kk; i++)
                    cc[ch * s.f2 + f] += params[s.o_k2 + (f * s.f1 + ch) * kk + i];
            d[f * s.f2 + f] = 1.0f;
        }
        for (size_t f = 0; f < s.f2; f++)
            for (size_t q = 0; q < pos; q++) {
                const float *row = params + s.o_w3 + (f * pos + q) * s.dense;
                for (size_t u = 0; u < s.dense; u++)
                    e[f * s.dense + u] += row[u];
            }
        *owned = w;
    }
    float *a = w, *b = w ? a + n_in : NULL, *cc = w ? b + n_p1 : NULL, *d = w ? cc + n_c2 : NULL,
          *e = w ? d + n_p2 : NULL;
    /* offset: where the block's source weights start in the parameters. */
    set_block(&out[0], 0, 1, 1, s.f1, a, s.o_k1, "conv1");
    set_block(&out[1], 1, 2, s.f1, s.f1, b, 0, "pool1");
    set_block(&out[2], 2, 3, s.f1, s.f2, cc, s.o_k2, "conv2");
    set_block(&out[3], 3, 4, s.f2, s.f2, d, 0, "pool2");
    set_block(&out[4], 4, 5, s.f2, s.dense, e, s.o_w3, "dense");
    set_block(&out[5], 5, 6, s.dense, s.classes, params ? params + s.o_w4 : NULL, s.o_w4, "out");
    return 6;
}
