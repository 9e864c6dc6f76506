#include "support/tinynet.h"

#include <string.h>

#include "neurotop/core/rng.h"

NetLayout tinynet_layout(void)
{
    NetLayout l;
    memset(&l, 0, sizeof l);
    l.n_layers = 5;
    l.layers[0] = (NetLayer){LAYER_INPUT, "IN", 1, 12, 12, 0};
    l.layers[1] = (NetLayer){LAYER_CONV, "CONV", 4, 8, 8, 5};
    l.layers[2] = (NetLayer){LAYER_POOL, "POOL", 4, 4, 4, 2};
    l.layers[3] = (NetLayer){LAYER_DENSE, "D1", 12, 1, 1, 0};
    l.layers[4] = (NetLayer){LAYER_DENSE, "D2", 4, 1, 1, 0};
    return l;
}

void tinynet_init(TinyNet *t, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed, 0);
    for (size_t f = 0; f < 4; f++) {
        for (size_t i = 0; i < 25; i++)
            t->wc[f][i] = (float)(rng_normal(&rng) * 0.3);
        t->bc[f] = f == 3 ? -1e6f : 0.1f;
    }
    for (size_t i = 0; i < 12 * 64; i++)
        t->w1[i / 64][i % 64] = (float)(rng_normal(&rng) * 0.3);
    for (size_t i = 0; i < 4 * 12; i++)
        t->w2[i / 12][i % 12] = (float)(rng_normal(&rng) * 0.3);
}

void tinynet_forward(const TinyNet *t, const float *img, float *o)
{
    float *cv = o + 144, *pl = o + 400, *d1 = o + 464, *d2 = o + 476;
    memcpy(o, img, 144 * sizeof *o);
    for (size_t f = 0; f < 4; f++)
        for (size_t y = 0; y < 8; y++)
            for (size_t x = 0; x < 8; x++) {
                float a = t->bc[f];
                for (size_t i = 0; i < 5; i++)
                    for (size_t j = 0; j < 5; j++)
                        a += t->wc[f][i * 5 + j] * img[(y + i) * 12 + x + j];
                cv[(f * 8 + y) * 8 + x] = a > 0 ? a : 0;
            }
    for (size_t f = 0; f < 4; f++)
        for (size_t y = 0; y < 4; y++)
            for (size_t x = 0; x < 4; x++) {
                float a = 0;
                for (size_t i = 0; i < 2; i++)
                    for (size_t j = 0; j < 2; j++) {
                        float v = cv[(f * 8 + 2 * y + i) * 8 + 2 * x + j];
                        a = v > a ? v : a;
                    }
                pl[(f * 4 + y) * 4 + x] = a;
            }
    for (size_t k = 0; k < 12; k++) {
        float a = 0;
        for (size_t i = 0; i < 64; i++)
            a += t->w1[k][i] * pl[i];
        d1[k] = a > 0 ? a : 0;
    }
    for (size_t k = 0; k < 4; k++) {
        float a = 0;
        for (size_t i = 0; i < 12; i++)
            a += t->w2[k][i] * d1[i];
        d2[k] = a;
    }
}
