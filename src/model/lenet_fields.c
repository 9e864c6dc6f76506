/* LeNet's receptive fields: the weight paths from the pixels to each unit,
 * as for a dense chain, with the ReLUs and biases left out and a 2 × 2 max
 * pooling taken as the mean of its window (the max picks one of the four
 * paths; which one depends on the image). Conv1 unit (f, y, x) is kernel f
 * placed at (y, x); conv2 unit (f, y, x) sums kernel f's weights times the
 * fields of the pooled units under it; the dense layers multiply by their
 * weight matrices. */
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "lenet_internal.h"

/* Mean of each 2 × 2 window of f_n maps h × w of fields (npx values each). */
static void pool_fields(const float *in, size_t f_n, size_t h, size_t w, size_t oh, size_t ow,
                        size_t npx, float *out)
{
    for (size_t f = 0; f < f_n; f++)
        for (size_t y = 0; y < oh; y++)
            for (size_t x = 0; x < ow; x++) {
                float *o = out + ((f * oh + y) * ow + x) * npx;
                memset(o, 0, npx * sizeof *o);
                for (size_t i = 0; i < 2; i++)
                    for (size_t j = 0; j < 2; j++) {
                        const float *a = in + ((f * h + 2 * y + i) * w + 2 * x + j) * npx;
                        for (size_t p = 0; p < npx; p++)
                            o[p] += 0.25f * a[p];
                    }
            }
}

Status lenet_fields(const ModelConfig *c, const float *params, size_t layer, float *out, char *msg)
{
    LenetShape s;
    Status st = lenet_shape_of(c, &s, msg);
    if (st)
        return st;
    const size_t npx = s.in_h * s.in_w, K = s.k, kk = K * K;
    size_t sizes[7];
    lenet_layer_sizes(&s, sizes);
    /* Layer l's fields go to out when l == layer, else to scratch. */
    float *cur = layer == 1 ? out : malloc(sizes[1] * npx * sizeof *cur);
    if (!cur)
        return status_fail(msg, ST_ENOMEM, "out of memory for the receptive fields");
    memset(cur, 0, sizes[1] * npx * sizeof *cur);
    for (size_t f = 0; f < s.f1; f++)
        for (size_t y = 0; y < s.c1h; y++)
            for (size_t x = 0; x < s.c1w; x++)
                for (size_t i = 0; i < K; i++)
                    for (size_t j = 0; j < K; j++)
                        cur[((f * s.c1h + y) * s.c1w + x) * npx + (y + i) * s.in_w + x + j] =
                            params[s.o_k1 + f * kk + i * K + j];
    float *gather = NULL;
    for (size_t l = 2; l <= layer && !st; l++) {
        float *next = l == layer ? out : malloc(sizes[l] * npx * sizeof *next);
        if (!next) {
            st = status_fail(msg, ST_ENOMEM, "out of memory for the receptive fields");
            break;
        }
        if (l == 2)
            pool_fields(cur, s.f1, s.c1h, s.c1w, s.p1h, s.p1w, npx, next);
        else if (l == 4)
            pool_fields(cur, s.f2, s.c2h, s.c2w, s.p2h, s.p2w, npx, next);
        else if (l == 3) {
            const size_t kk2 = s.f1 * kk;
            gather = malloc(kk2 * npx * sizeof *gather);
            float *row = malloc(s.f2 * npx * sizeof *row);
            if (!gather || !row) {
                free(row);
                if (next != out)
                    free(next);
                st = status_fail(msg, ST_ENOMEM, "out of memory for the receptive fields");
                break;
            }
            for (size_t y = 0; y < s.c2h; y++)
                for (size_t x = 0; x < s.c2w; x++) {
                    for (size_t ch = 0; ch < s.f1; ch++)
                        for (size_t i = 0; i < K; i++)
                            for (size_t j = 0; j < K; j++)
                                memcpy(gather + ((ch * K + i) * K + j) * npx,
                                       cur + ((ch * s.p1h + y + i) * s.p1w + x + j) * npx,
                                       npx * sizeof *gather);
                    linalg_sgemm(0, 0, s.f2, npx, kk2, 1.0f, params + s.o_k2, kk2, gather, npx,
                                 0.0f, row, npx);
                    for (size_t f = 0; f < s.f2; f++)
                        memcpy(next + ((f * s.c2h + y) * s.c2w + x) * npx, row + f * npx,
                               npx * sizeof *row);
                }
            free(row);
        } else if (l == 5) {
            linalg_sgemm(1, 0, s.dense, npx, sizes[4], 1.0f, params + s.o_w3, s.dense, cur, npx,
                         0.0f, next, npx);
        } else {
            linalg_sgemm(1, 0, s.classes, npx, s.dense, 1.0f, params + s.o_w4, s.classes, cur, npx,
                         0.0f, next, npx);
        }
        if (cur != out)
            free(cur);
        cur = next;
    }
    free(gather);
    if (cur != out)
        free(cur);
    return st;
}
