#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/emd.h"
#include "neurotop/core/rng.h"
#include "support/support.h"

Test(emd, methods_example_unit_mass_to_seven)
{
    double a[20] = {0}, b[20] = {0}, d;
    char msg[STATUS_MSG_LEN];
    a[0] = 1.0;
    b[3 * 5 + 4] = 7.0;
    cr_assert_eq(emd_images(a, b, 4, 5, &d, msg), ST_OK);
    cr_assert_float_eq(d, 5.0, 1e-12);
}

/* A blob in the top-left corner of a 12×12 grid and 3× its copy moved by (dr, dc). */
static void blob_and_shift(double *a, double *b, int dr, int dc, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed, 1);
    memset(a, 0, 144 * sizeof *a);
    memset(b, 0, 144 * sizeof *b);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            if (rng_uniform(&r) < 0.6)
                a[i * 12 + j] = (double)(1 + rng_below(&r, 9));
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            b[(i + dr) * 12 + j + dc] = 3.0 * a[i * 12 + j];
}

Test(emd, methods_example_translation_is_sqrt13)
{
    double a[144], b[144], d;
    char msg[STATUS_MSG_LEN];
    for (uint64_t seed = 0; seed < 5; seed++) {
        blob_and_shift(a, b, 2, 3, seed);
        cr_assert_eq(emd_images(a, b, 12, 12, &d, msg), ST_OK);
        cr_assert_float_eq(d, sqrt(13.0), 1e-9, "seed %llu: %.17g", (unsigned long long)seed, d);
    }
}

Test(emd, symmetric_and_zero_for_identical_or_scaled)
{
    enum { R = 9, C = 7 };
    double a[R * C], b[R * C], d1, d2, d0;
    char msg[STATUS_MSG_LEN];
    Rng r;
    rng_seed(&r, 4, 0);
    for (int trial = 0; trial < 10; trial++) {
        for (int t = 0; t < R * C; t++) {
            a[t] = rng_uniform(&r) < 0.4 ? rng_uniform(&r) : 0.0;
            b[t] = rng_uniform(&r) < 0.4 ? (double)rng_below(&r, 3) : 0.0;
        }
        a[0] += 0.5;
        b[R * C - 1] += 1.0;
        cr_assert_eq(emd_images(a, b, R, C, &d1, msg), ST_OK);
        cr_assert_eq(emd_images(b, a, R, C, &d2, msg), ST_OK);
        cr_assert_float_eq(d1, d2, 1e-9);
        cr_assert_gt(d1, 0.0);
        cr_assert_eq(emd_images(a, a, R, C, &d0, msg), ST_OK);
        cr_assert_float_eq(d0, 0.0, 1e-12);
        for (int t = 0; t < R * C; t++)
            b[t] = 2.5 * a[t];
        cr_assert_eq(emd_images(a, b, R, C, &d0, msg), ST_OK);
        cr_assert_float_eq(d0, 0.0, 1e-12);
    }
}

Test(emd, one_row_images_match_cdf_formula)
{
    /* On a line, EMD = Σ |CDF_p − CDF_q| (unit spacing). Integer masses make
     * the problem highly degenerate. */
    enum { C = 25 };
    double a[C], b[C], d;
    char msg[STATUS_MSG_LEN];
    Rng r;
    rng_seed(&r, 8, 0);
    for (int trial = 0; trial < 20; trial++) {
        double sa = 0, sb = 0;
        for (int j = 0; j < C; j++) {
            a[j] = (double)rng_below(&r, 3);
            b[j] = (double)rng_below(&r, 3);
            sa += a[j];
            sb += b[j];
        }
        if (sa == 0 || sb == 0)
            continue;
        double fa = 0, fb = 0, expect = 0;
        for (int j = 0; j < C; j++) {
            fa += a[j] / sa;
            fb += b[j] / sb;
            expect += fabs(fa - fb);
        }
        cr_assert_eq(emd_images(a, b, 1, C, &d, msg), ST_OK);
        cr_assert_float_eq(d, expect, 1e-9, "trial %d", trial);
    }
}

Test(emd, unit_transport_equals_assignment_and_flows_balance)
{
    enum { N = 6 };
    double c[N * N], ones[N], flow[N * N], total;
    char msg[STATUS_MSG_LEN];
    Rng r;
    rng_seed(&r, 21, 0);
    for (int i = 0; i < N; i++)
        ones[i] = 1.0;
    for (int trial = 0; trial < 30; trial++) {
        for (int t = 0; t < N * N; t++)
            c[t] = (double)rng_below(&r, 10);
        cr_assert_eq(emd_transport(ones, N, ones, N, c, &total, flow, msg), ST_OK);
        cr_assert_float_eq(total, support_assignment_brute(c, N), 1e-9, "trial %d", trial);
        for (int i = 0; i < N; i++) {
            double rs = 0, cs = 0;
            for (int j = 0; j < N; j++) {
                cr_assert_geq(flow[i * N + j], 0.0);
                rs += flow[i * N + j];
                cs += flow[j * N + i];
            }
            cr_assert_float_eq(rs, 1.0, 1e-12);
            cr_assert_float_eq(cs, 1.0, 1e-12);
        }
    }
}

Test(emd, rejects_bad_images)
{
    double a[4] = {1, 0, 0, 0}, neg[4] = {1, -1, 0, 0}, zero[4] = {0}, d;
    double nan4[4] = {1, NAN, 0, 0};
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(emd_images(a, neg, 2, 2, &d, msg), ST_EINVAL);
    cr_assert_eq(emd_images(zero, a, 2, 2, &d, msg), ST_EINVAL);
    cr_assert_eq(emd_images(a, nan4, 2, 2, &d, msg), ST_EINVAL);
    cr_assert_eq(emd_images(a, a, 0, 2, &d, msg), ST_EINVAL);
    double s[2] = {1, 1}, t[2] = {1, 2}, c[4] = {0, 1, 1, 0}, total;
    cr_assert_eq(emd_transport(s, 2, t, 2, c, &total, NULL, msg), ST_EINVAL);
}

/* Seed paper 002 clusters receptive fields by EMD: an image moved by one
 * pixel is exactly one pixel away, one pixel diagonally √2 away. */
Test(emd, a_one_pixel_shift_is_the_pixel_distance)
{
    double a[36] = {0}, b[36] = {0}, c[36] = {0}, d;
    char msg[STATUS_MSG_LEN];
    /* a three-pixel stroke with unequal masses */
    a[1 * 6 + 1] = 1.0;
    a[2 * 6 + 1] = 2.0;
    a[3 * 6 + 2] = 0.5;
    for (int r = 0; r < 5; r++)
        for (int k = 0; k < 5; k++) {
            b[r * 6 + k + 1] = a[r * 6 + k];
            c[(r + 1) * 6 + k + 1] = a[r * 6 + k];
        }
    cr_assert_eq(emd_images(a, b, 6, 6, &d, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(d, 1.0, 1e-12);
    cr_assert_eq(emd_images(a, c, 6, 6, &d, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(d, sqrt(2.0), 1e-12);
    cr_assert_eq(emd_images(a, a, 6, 6, &d, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(d, 0.0, 1e-15);
}
