#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/abscorr.h"
#include "neurotop/core/rng.h"

static int stop_after_first(void *ctx, double frac)
{
    (void)frac;
    return ++*(int *)ctx >= 1;
}

Test(abscorr, matches_direct_double_computation)
{
    enum { M = 37, N = 9 };
    float r[M * N];
    Rng rng;
    rng_seed(&rng, 4, 0);
    for (size_t i = 0; i < M; i++) {
        double common = rng_normal(&rng);
        for (size_t j = 0; j < N; j++)
            r[i * N + j] = (float)(j * 0.3 * common + rng_normal(&rng) + 5.0 * (double)j);
        r[i * N + 4] = 2.5f;                                  /* constant neuron */
        r[i * N + 6] = r[i * N + 1] > 1.0f ? r[i * N + 1] : 0; /* a ramp of neuron 1 */
    }
    double mean[N], sd[N];
    unsigned char cst[N];
    char msg[512];
    cr_assert_eq(abscorr_moments(r, M, N, mean, sd, cst, msg), ST_OK);
    /* direct: textbook two-pass Pearson in double */
    double dm[N], ds[N];
    for (size_t j = 0; j < N; j++) {
        double s = 0, s2 = 0;
        for (size_t i = 0; i < M; i++)
            s += r[i * N + j];
        dm[j] = s / M;
        for (size_t i = 0; i < M; i++)
            s2 += (r[i * N + j] - dm[j]) * (r[i * N + j] - dm[j]);
        ds[j] = sqrt(s2 / M);
        cr_assert_float_eq(mean[j], dm[j], 1e-9);
        cr_assert_float_eq(sd[j], ds[j], 1e-9);
        cr_assert_eq(cst[j], j == 4);
    }
    cr_assert_eq(sd[4], 0.0);
    float z[M * N], c[N * N];
    for (size_t i = 0; i < M * N; i++)
        z[i] = r[i];
    cr_assert_eq(abscorr_standardise(z, M, N, mean, sd, cst, msg), ST_OK);
    for (size_t i = 0; i < N * N; i++)
        c[i] = -7.0f; /* the lower triangle must stay untouched */
    /* panels of 4 neurons: 3 panels, the last one short */
    cr_assert_eq(abscorr_matrix(z, M, N, 4, c, NULL, NULL, msg), ST_OK);
    for (size_t a = 0; a < N; a++)
        for (size_t b = 0; b < N; b++) {
            if (b < a) {
                cr_assert_eq(c[a * N + b], -7.0f);
                continue;
            }
            double want;
            if (a == b)
                want = 1.0;
            else if (a == 4 || b == 4)
                want = 0.0;
            else {
                double s = 0;
                for (size_t i = 0; i < M; i++)
                    s += (r[i * N + a] - dm[a]) * (r[i * N + b] - dm[b]);
                want = fabs(s / (M * ds[a] * ds[b]));
            }
            cr_assert_float_eq(c[a * N + b], want, 2e-6, "(%zu,%zu) %f vs %f", a, b,
                               c[a * N + b], want);
        }
    int calls = 0;
    cr_assert_eq(abscorr_matrix(z, M, N, 4, c, stop_after_first, &calls, msg), ST_ECANCELED);
    cr_assert_eq(calls, 1);
}

Test(abscorr, huge_values_keep_precision)
{
    /* impulse-like responses: 0 or ±1e9 */
    enum { M = 6, N = 3 };
    float r[M * N] = {1e9f, 0, 0, -1e9f, 0, 0, 0, 1e9f, 1e9f, 0, -1e9f, -1e9f, 0, 0, 0, 0, 0, 0};
    double mean[N], sd[N];
    unsigned char cst[N];
    char msg[512];
    cr_assert_eq(abscorr_moments(r, M, N, mean, sd, cst, msg), ST_OK);
    cr_assert_float_eq(sd[0], sqrt(2e18 / 6), 1.0);
    float c[N * N];
    cr_assert_eq(abscorr_standardise(r, M, N, mean, sd, cst, msg), ST_OK);
    cr_assert_eq(abscorr_matrix(r, M, N, 0, c, NULL, NULL, msg), ST_OK);
    cr_assert_float_eq(c[1 * N + 2], 1.0, 1e-6);
    cr_assert_float_eq(c[0 * N + 1], 0.0, 1e-6);
}

Test(abscorr, bad_input)
{
    float r[2] = {NAN, 1};
    double mean[1], sd[1];
    unsigned char cst[1];
    char msg[512];
    cr_assert_eq(abscorr_moments(r, 2, 1, mean, sd, cst, msg), ST_EINVAL);
    cr_assert(strstr(msg, "non-finite") != NULL);
    cr_assert_eq(abscorr_moments(r, 0, 1, mean, sd, cst, msg), ST_EINVAL);
}
