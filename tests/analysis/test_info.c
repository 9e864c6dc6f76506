#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "neurotop/analysis/info.h"
#include "neurotop/core/rng.h"

/* docs/methods.md §17 worked example: eight 1×2 images. */
Test(info, methods_example_ip_id)
{
    const uint8_t px0[8] = {0, 0, 10, 200, 150, 200, 220, 255};
    const uint8_t labels[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    uint8_t pixels[16];
    for (int i = 0; i < 8; i++) {
        pixels[2 * i] = px0[i];
        pixels[2 * i + 1] = 0;
    }
    double ip[2], id[2];
    int theta[2];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_pixel_ip_id(pixels, labels, 8, 2, ip, id, theta, msg), ST_OK);
    cr_assert_float_eq(ip[0], 0.5487949406953986, 1e-12);
    cr_assert_float_eq(id[0], 0.27807190511263774, 1e-12);
    cr_assert_eq(theta[0], 10);
    cr_assert_float_eq(ip[1], 0.0, 1e-15);
    cr_assert_float_eq(id[1], 0.0, 1e-15);
    /* Hand check: 1 − (5/8)·H2(1/5). */
    double h2 = -(0.2 * log2(0.2) + 0.8 * log2(0.8));
    cr_assert_float_eq(ip[0], 1.0 - 0.625 * h2, 1e-12);
}

Test(info, methods_example_ih_one_bit)
{
    const float h[4] = {0.9f, 0.2f, 0.6f, 0.4f};
    const int labels[4] = {0, 1, 0, 1};
    double ih;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_hidden_ih(h, 4, 1, 1, labels, &ih, msg), ST_OK);
    cr_assert_float_eq(ih, 1.0, 1e-12);
}

Test(info, ih_threshold_is_strict_and_stride_respected)
{
    /* Two units in a stride-3 matrix; 0.5 exactly is "off". */
    const float h[12] = {0.5f, 0.9f, 99.0f, 0.5f, 0.1f, 99.0f, 0.7f, 0.9f, 99.0f, 0.7f, 0.1f, 99.0f};
    const int labels[4] = {5, -3, 5, -3};
    double ih[2];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_hidden_ih(h, 4, 2, 3, labels, ih, msg), ST_OK);
    /* Unit 0: on = items 2,3 (one of each class) → independent. */
    cr_assert_float_eq(ih[0], 0.0, 1e-15);
    /* Unit 1: on = items 0,2 (class 5 only) → 1 bit. */
    cr_assert_float_eq(ih[1], 1.0, 1e-12);
}

Test(info, ih_rejects_nan_and_empty)
{
    const float h[2] = {NAN, 0.2f};
    const int labels[2] = {0, 1};
    double ih;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_hidden_ih(h, 2, 1, 1, labels, &ih, msg), ST_EINVAL);
    cr_assert_eq(info_hidden_ih(h, 0, 1, 1, labels, &ih, msg), ST_EINVAL);
}

Test(info, independent_pixel_zero_determining_pixel_one_bit)
{
    /* Pixel 0 independent of class; pixel 1 equals the class; pixel 2 constant 7. */
    const uint8_t labels[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    const uint8_t p0[8] = {0, 255, 30, 90, 0, 255, 30, 90};
    const uint8_t p1[8] = {3, 3, 3, 3, 200, 200, 200, 200};
    uint8_t pixels[24];
    for (int i = 0; i < 8; i++) {
        pixels[3 * i] = p0[i];
        pixels[3 * i + 1] = p1[i];
        pixels[3 * i + 2] = 7;
    }
    double ip[3], id[3];
    int theta[3];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_pixel_ip_id(pixels, labels, 8, 3, ip, id, theta, msg), ST_OK);
    cr_assert_float_eq(ip[0], 0.0, 1e-15);
    cr_assert_float_eq(ip[1], 1.0, 1e-12);
    cr_assert_eq(theta[1], 3); /* smallest θ separating 3 from 200 */
    cr_assert_float_eq(id[1], 1.0, 1e-12);
    cr_assert_float_eq(ip[2], 0.0, 1e-15);
    cr_assert_float_eq(id[2], 0.0, 1e-15);
    cr_assert_eq(theta[2], 0);
}

Test(info, mi_binary_and_counts_agree_with_hand_values)
{
    /* 2×3 table: on = (2,0,1), totals (2,2,2): n = 6, n_on = 3. */
    const unsigned char on[6] = {1, 1, 0, 0, 1, 0};
    const int labels[6] = {-7, -7, 40, 40, 2, 2};
    double mi;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_mi_binary(on, labels, 6, &mi, msg), ST_OK);
    /* H(B) = 1; H(B|C) = (1/3)·1 (only the mixed class is uncertain). */
    cr_assert_float_eq(mi, 1.0 - 1.0 / 3.0, 1e-12);
    const size_t cnt[3] = {2, 0, 1}, tot[3] = {2, 2, 2};
    cr_assert_float_eq(info_mi_counts(cnt, tot, 3), 2.0 / 3.0, 1e-12);
    cr_assert_eq(info_mi_binary(on, labels, 0, &mi, msg), ST_EINVAL);
}

/* Naive reference: evaluate every θ from scratch with info_mi_counts. */
static void naive_pixel(const uint8_t *x, const uint8_t *y, size_t n, double *ip, double *id,
                        int *theta)
{
    size_t tot[4] = {0}, on[4];
    for (size_t i = 0; i < n; i++)
        tot[y[i]]++;
    double mi[255], best = 0;
    for (int t = 0; t < 255; t++) {
        for (int c = 0; c < 4; c++)
            on[c] = 0;
        for (size_t i = 0; i < n; i++)
            if (x[i] > t)
                on[y[i]]++;
        mi[t] = info_mi_counts(on, tot, 4);
        if (mi[t] > best)
            best = mi[t];
    }
    int ts = 0;
    while (mi[ts] < best - 1e-12)
        ts++;
    size_t n_on = 0;
    for (int c = 0; c < 4; c++)
        on[c] = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] > ts) {
            on[y[i]]++;
            n_on++;
        }
    double s = 0;
    for (int c = 0; c < 4; c++)
        if (on[c])
            s += (double)on[c] / (double)n_on *
                 log2(((double)on[c] / (double)n_on) / ((double)tot[c] / (double)n));
    *ip = best;
    *id = n_on ? s : 0.0;
    *theta = ts;
}

Test(info, matches_naive_threshold_scan_and_bounds)
{
    enum { N = 300, P = 9 };
    uint8_t pixels[N * P], labels[N], col[N];
    Rng r;
    rng_seed(&r, 11, 0);
    for (size_t i = 0; i < N; i++) {
        labels[i] = (uint8_t)rng_below(&r, 4);
        for (size_t p = 0; p < P; p++) {
            /* Pixels with a class-dependent bias and few distinct levels (ties). */
            uint64_t v = rng_below(&r, 6) * 40 + (p % 3 == 0 ? labels[i] * 17 : 0);
            pixels[i * P + p] = (uint8_t)(v > 255 ? 255 : v);
        }
    }
    double ip[P], id[P];
    int theta[P];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_pixel_ip_id(pixels, labels, N, P, ip, id, theta, msg), ST_OK);
    for (size_t p = 0; p < P; p++) {
        for (size_t i = 0; i < N; i++)
            col[i] = pixels[i * P + p];
        double eip, eid;
        int et;
        naive_pixel(col, labels, N, &eip, &eid, &et);
        cr_assert_float_eq(ip[p], eip, 1e-12, "pixel %zu", p);
        cr_assert_float_eq(id[p], eid, 1e-12, "pixel %zu", p);
        cr_assert_eq(theta[p], et, "pixel %zu", p);
        cr_assert(ip[p] >= 0.0 && ip[p] <= 1.0);
        cr_assert(id[p] >= 0.0);
    }
    /* Class-biased pixels carry more information than the unbiased ones. */
    cr_assert_gt(ip[0], ip[1]);
}

Test(info, rejects_empty_input)
{
    uint8_t px[1] = {0}, lb[1] = {0};
    double ip[1];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_pixel_ip_id(px, lb, 0, 1, ip, NULL, NULL, msg), ST_EINVAL);
    cr_assert_eq(info_pixel_ip_id(px, lb, 1, 0, ip, NULL, NULL, msg), ST_EINVAL);
    /* One item: nothing to learn, but valid. */
    cr_assert_eq(info_pixel_ip_id(px, lb, 1, 1, ip, NULL, NULL, msg), ST_OK);
    cr_assert_float_eq(ip[0], 0.0, 1e-15);
}
