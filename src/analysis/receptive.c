#include "neurotop/analysis/receptive.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"

/* Checks the chain up to `layer` and returns the largest layer size among
 * layers 0..layer (for scratch buffers). */
static Status check_chain(const WeightChain *c, size_t layer, size_t *max_size, char *msg)
{
    if (layer == 0 || layer > c->n_blocks)
        return status_fail(msg, ST_EINVAL, "layer %zu has no receptive field (layers 1..%zu)", layer,
                           c->n_blocks);
    size_t mx = 0;
    for (size_t b = 0; b <= layer; b++) {
        if (c->sizes[b] == 0)
            return status_fail(msg, ST_EINVAL, "layer %zu has no units", b);
        mx = c->sizes[b] > mx ? c->sizes[b] : mx;
    }
    for (size_t b = 0; b < layer; b++) {
        size_t nn;
        if (size_mul(c->sizes[b], c->sizes[b + 1], &nn) || nn > SIZE_MAX / sizeof(float))
            return status_fail(msg, ST_EINVAL, "weight block %zu is too large", b);
        if (!c->blocks[b])
            return status_fail(msg, ST_EINVAL, "weight block %zu is missing", b);
    }
    *max_size = mx;
    return ST_OK;
}

Status receptive_field(const WeightChain *chain, size_t layer, size_t unit, float *field,
                       char *msg)
{
    size_t mx;
    Status st = check_chain(chain, layer, &mx, msg);
    if (st)
        return st;
    const size_t *sz = chain->sizes;
    if (unit >= sz[layer])
        return status_fail(msg, ST_EINVAL, "unit %zu is out of range (layer %zu has %zu units)", unit,
                           layer, sz[layer]);
    float *a = malloc(mx * sizeof *a), *b = malloc(mx * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return status_fail(msg, ST_ENOMEM, "out of memory for a receptive field");
    }
    const float *top = chain->blocks[layer - 1];
    for (size_t i = 0; i < sz[layer - 1]; i++)
        a[i] = top[i * sz[layer] + unit];
    /* v ← W_b v walks the field down to the input, one layer at a time. */
    for (size_t blk = layer - 1; blk-- > 0;) {
        linalg_sgemv(0, sz[blk], sz[blk + 1], 1.0f, chain->blocks[blk], sz[blk + 1], a, 0.0f, b);
        float *t = a;
        a = b;
        b = t;
    }
    memcpy(field, a, sz[0] * sizeof *field);
    free(a);
    free(b);
    return ST_OK;
}

Status receptive_fields(const WeightChain *chain, size_t layer, float *out, char *msg)
{
    size_t mx;
    Status st = check_chain(chain, layer, &mx, msg);
    if (st)
        return st;
    const size_t *sz = chain->sizes;
    size_t units = sz[layer], cells;
    if (size_mul(units, mx, &cells) || cells > SIZE_MAX / sizeof(float))
        return status_fail(msg, ST_EINVAL, "layer %zu is too large for its receptive fields", layer);
    float *a = malloc(cells * sizeof *a), *b = malloc(cells * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu receptive fields", units);
    }
    /* R = W_layerᵀ (units × sizes[layer−1]), then R ← R·W_bᵀ down to the input. */
    const float *top = chain->blocks[layer - 1];
    size_t below = sz[layer - 1];
    for (size_t i = 0; i < below; i++)
        for (size_t u = 0; u < units; u++)
            a[u * below + i] = top[i * units + u];
    for (size_t blk = layer - 1; blk-- > 0;) {
        linalg_sgemm(0, 1, units, sz[blk], sz[blk + 1], 1.0f, a, sz[blk + 1], chain->blocks[blk],
                     sz[blk + 1], 0.0f, b, sz[blk]);
        float *t = a;
        a = b;
        b = t;
    }
    memcpy(out, a, units * sz[0] * sizeof *out);
    free(a);
    free(b);
    return ST_OK;
}

Status receptive_scale(const float *field, size_t n, float *out, double *min, double *max,
                       char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "an empty receptive field cannot be scaled");
    double lo = field[0], hi = field[0], m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = field[i];
        if (!isfinite(v))
            return status_fail(msg, ST_EINVAL, "receptive field value %zu is not finite", i);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        m = fabs(v) > m ? fabs(v) : m;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = m > 0.0 ? (float)(0.5 + 0.5 * (double)field[i] / m) : 0.5f;
    if (min)
        *min = lo;
    if (max)
        *max = hi;
    return ST_OK;
}
