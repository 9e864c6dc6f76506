#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/receptive.h"
#include "neurotop/core/rng.h"

/* A 4-2-2-1 chain with small integers: every product is exact in float. */
static const float W1[4 * 2] = {1, 2, 0, -1, 3, 1, -2, 0};
static const float W2[2 * 2] = {1, -1, 2, 3};
static const float W3[2 * 1] = {2, -1};
static const size_t SIZES[4] = {4, 2, 2, 1};

static WeightChain chain(void)
{
    static const float *const blocks[3] = {W1, W2, W3};
    WeightChain c = {3, SIZES, blocks};
    return c;
}

static void expect_field(const float *got, const float *want)
{
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(got[i], want[i], "pixel %zu: got %g, want %g", i, got[i], want[i]);
}

Test(receptive, hand_chain_one_unit_at_a_time)
{
    WeightChain c = chain();
    float f[4];
    char msg[STATUS_MSG_LEN];
    /* HL1: columns of W1. */
    cr_assert_eq(receptive_field(&c, 1, 0, f, msg), ST_OK);
    expect_field(f, (const float[]){1, 0, 3, -2});
    cr_assert_eq(receptive_field(&c, 1, 1, f, msg), ST_OK);
    expect_field(f, (const float[]){2, -1, 1, 0});
    /* HL2: W1·W2 = [[5,5],[-2,-3],[5,0],[-2,2]]. */
    cr_assert_eq(receptive_field(&c, 2, 0, f, msg), ST_OK);
    expect_field(f, (const float[]){5, -2, 5, -2});
    cr_assert_eq(receptive_field(&c, 2, 1, f, msg), ST_OK);
    expect_field(f, (const float[]){5, -3, 0, 2});
    /* Output: W1·W2·W3 = [5, -1, 10, -6]. */
    cr_assert_eq(receptive_field(&c, 3, 0, f, msg), ST_OK);
    expect_field(f, (const float[]){5, -1, 10, -6});
}

Test(receptive, hand_chain_whole_layers)
{
    WeightChain c = chain();
    float all[2 * 4];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(receptive_fields(&c, 1, all, msg), ST_OK);
    expect_field(all, (const float[]){1, 0, 3, -2});
    expect_field(all + 4, (const float[]){2, -1, 1, 0});
    cr_assert_eq(receptive_fields(&c, 2, all, msg), ST_OK);
    expect_field(all, (const float[]){5, -2, 5, -2});
    expect_field(all + 4, (const float[]){5, -3, 0, 2});
    cr_assert_eq(receptive_fields(&c, 3, all, msg), ST_OK);
    expect_field(all, (const float[]){5, -1, 10, -6});
}

Test(receptive, layer_products_agree_on_a_random_chain)
{
    enum { A = 30, B = 7, C = 5, D = 3 };
    static float w1[A * B], w2[B * C], w3[C * D];
    Rng r;
    rng_seed(&r, 5, 0);
    for (size_t k = 0; k < A * B; k++)
        w1[k] = (float)rng_normal(&r);
    for (size_t k = 0; k < B * C; k++)
        w2[k] = (float)rng_normal(&r);
    for (size_t k = 0; k < C * D; k++)
        w3[k] = (float)rng_normal(&r);
    const size_t sizes[4] = {A, B, C, D};
    const float *const blocks[3] = {w1, w2, w3};
    WeightChain c = {3, sizes, blocks};
    float all[D * A], one[A];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(receptive_fields(&c, 3, all, msg), ST_OK);
    for (size_t u = 0; u < D; u++) {
        cr_assert_eq(receptive_field(&c, 3, u, one, msg), ST_OK);
        for (size_t i = 0; i < A; i++) {
            double want = 0.0; /* direct triple sum in double */
            for (size_t j = 0; j < B; j++)
                for (size_t l = 0; l < C; l++)
                    want += (double)w1[i * B + j] * w2[j * C + l] * w3[l * D + u];
            cr_assert_float_eq(one[i], want, 1e-4);
            cr_assert_float_eq(all[u * A + i], want, 1e-4);
        }
    }
}

Test(receptive, symmetric_scaling)
{
    const float f[4] = {5, -1, 10, -6};
    float out[4];
    double lo, hi;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(receptive_scale(f, 4, out, &lo, &hi, msg), ST_OK);
    const float want[4] = {0.75f, 0.45f, 1.0f, 0.2f};
    for (size_t i = 0; i < 4; i++)
        cr_assert_float_eq(out[i], want[i], 1e-7);
    cr_assert_eq(lo, -6.0);
    cr_assert_eq(hi, 10.0);
    const float z[3] = {0, 0, 0};
    cr_assert_eq(receptive_scale(z, 3, out, NULL, NULL, msg), ST_OK);
    cr_assert_eq(out[0], 0.5f);
    const float bad[1] = {NAN};
    cr_assert_eq(receptive_scale(bad, 1, out, NULL, NULL, msg), ST_EINVAL);
}

Test(receptive, rejects_bad_layer_or_unit)
{
    WeightChain c = chain();
    float f[4];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(receptive_field(&c, 0, 0, f, msg), ST_EINVAL);
    cr_assert_eq(receptive_field(&c, 4, 0, f, msg), ST_EINVAL);
    cr_assert_eq(receptive_field(&c, 2, 2, f, msg), ST_EINVAL);
    cr_assert_eq(receptive_fields(&c, 4, f, msg), ST_EINVAL);
}
