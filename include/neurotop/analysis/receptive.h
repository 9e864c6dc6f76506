#ifndef NEUROTOP_ANALYSIS_RECEPTIVE_H
#define NEUROTOP_ANALYSIS_RECEPTIVE_H

/* Receptive fields of the units of a layered network (seed paper 002,
 * Zorzi/Testolin et al., §3.1): the field of a first-hidden-layer unit j is
 * its input weights W1[:, j]; deeper units see the input through products of
 * the weight matrices: for a second-layer unit l, RF[i] = Σ_j W1[i,j]·W2[j,l];
 * for a third-layer unit m, RF[i] = Σ_j Σ_l W1[i,j]·W2[j,l]·W3[l,m]. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* A borrowed chain of n_blocks weight blocks: block b connects layer b to
 * layer b+1 and is sizes[b] × sizes[b+1] row-major float, blocks[b][i·sizes[b+1] + j]
 * being the weight from unit i of layer b to unit j of layer b+1 (the
 * model's WeightBlock layout). sizes has n_blocks + 1 entries; layer 0 is
 * the input (e.g. 784 pixels). */
typedef struct {
    size_t n_blocks;
    const size_t *sizes;
    const float *const *blocks;
} WeightChain;

/* Field of unit `unit` of layer `layer` (1 <= layer <= n_blocks, unit <
 * sizes[layer]) into field (sizes[0] floats, caller-owned): column unit of
 * block layer−1, carried down by layer−1 matrix-vector products (sgemv).
 * Errors: ST_EINVAL for a layer or unit out of range or a zero size;
 * ST_ENOMEM. O(Σ_{b<layer−1} sizes[b]·sizes[b+1]). */
Status receptive_field(const WeightChain *chain, size_t layer, size_t unit, float *field,
                       char *msg);

/* All fields of layer `layer` into out (sizes[layer] × sizes[0] row-major,
 * caller-owned: row u is the field of unit u), as the product
 * (W_1 ⋯ W_layer)ᵀ evaluated from the top with sgemm. Same errors.
 * O(sizes[layer] · Σ_{b<layer−1} sizes[b]·sizes[b+1]). */
Status receptive_fields(const WeightChain *chain, size_t layer, float *out, char *msg);

/* Scales a field of n values for drawing with a symmetric range:
 * out[i] = (1 + field[i]/m)/2 with m = max |field|, so −m → 0, 0 → 0.5 and
 * +m → 1 (all 0.5 when m = 0). *min and *max (either may be NULL) receive
 * the raw extremes. out may equal field. Errors: ST_EINVAL for n = 0 or a
 * non-finite value. O(n). */
Status receptive_scale(const float *field, size_t n, float *out, double *min, double *max,
                       char *msg);

#endif
