#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/core/rng.h"

static const double EX_A[6] = {1, 2, 3, 4, 5, 6};
static const double EX_B[6] = {2, 1, 4, 3, 6, 5};

Test(permtest, methods_example_r_and_p_bounds)
{
    PermTest t;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(permtest_run(EX_A, EX_B, NULL, 6, 10000, 0, &t, msg), ST_OK);
    cr_assert_float_eq(t.r, 29.0 / 35.0, 1e-14);
    cr_assert_eq(t.perms, 10000);
    cr_assert_eq(t.n, 6);
    cr_assert_float_eq(t.p, (1.0 + (double)t.exceed) / 10001.0, 1e-15);
    cr_assert(t.p >= 0.045 && t.p <= 0.072, "p = %g", t.p);
    double r;
    cr_assert_eq(permtest_pearson(EX_A, EX_B, 6, &r, msg), ST_OK);
    cr_assert_float_eq(r, 29.0 / 35.0, 1e-14);
}

Test(permtest, methods_example_converges_to_exact_p_with_ties)
{
    /* Exact p = 42/720 counts the 18 exact ties; strict counting gives 24/720. */
    PermTest t;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(permtest_run(EX_A, EX_B, NULL, 6, 200000, 7, &t, msg), ST_OK);
    cr_assert(fabs(t.p - 42.0 / 720.0) < 0.003, "p = %g", t.p);
}

Test(permtest, same_seed_same_p)
{
    PermTest t1, t2;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(permtest_run(EX_A, EX_B, NULL, 6, 3000, 42, &t1, msg), ST_OK);
    cr_assert_eq(permtest_run(EX_A, EX_B, NULL, 6, 3000, 42, &t2, msg), ST_OK);
    cr_assert_eq(t1.exceed, t2.exceed);
}

Test(permtest, perfect_linear_pair_has_minimal_p)
{
    enum { N = 60 };
    double a[N], b[N], c[N];
    for (int i = 0; i < N; i++) {
        a[i] = i;
        b[i] = 3.0 * i + 1.0;
        c[i] = -0.5 * i;
    }
    PermTest t;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(permtest_run(a, b, NULL, N, 2000, 0, &t, msg), ST_OK);
    cr_assert_float_eq(t.r, 1.0, 1e-14);
    cr_assert_leq(t.p, 2.0 / 2001.0);
    cr_assert_eq(permtest_run(a, c, NULL, N, 2000, 3, &t, msg), ST_OK);
    cr_assert_float_eq(t.r, -1.0, 1e-14);
    cr_assert_leq(t.p, 2.0 / 2001.0);
}

Test(permtest, independent_pairs_spread_p_over_unit_interval)
{
    enum { N = 40, SEEDS = 20 };
    double a[N], b[N], pmin = 1, pmax = 0;
    int below_half = 0;
    char msg[STATUS_MSG_LEN];
    for (int s = 0; s < SEEDS; s++) {
        Rng r;
        rng_seed(&r, (uint64_t)s, 99);
        for (int i = 0; i < N; i++) {
            a[i] = rng_normal(&r);
            b[i] = rng_normal(&r);
        }
        PermTest t;
        cr_assert_eq(permtest_run(a, b, NULL, N, 500, (uint64_t)s, &t, msg), ST_OK);
        cr_assert(t.p > 0.0 && t.p <= 1.0);
        pmin = fmin(pmin, t.p);
        pmax = fmax(pmax, t.p);
        below_half += t.p < 0.5;
    }
    cr_assert_lt(pmin, 0.25, "pmin %g", pmin);
    cr_assert_gt(pmax, 0.75, "pmax %g", pmax);
    /* Binomial(20, 1/2) lies in [4, 16] with probability 0.997. */
    cr_assert(below_half >= 4 && below_half <= 16, "%d of 20 below 0.5", below_half);
}

Test(permtest, mask_equals_compacted_input_and_removes_dead_entries)
{
    /* Entries 0..3 are "dead" (0 in both maps): they inflate r. */
    const double a[10] = {0, 0, 0, 0, 5, 6, 7, 8, 9, 10};
    const double b[10] = {0, 0, 0, 0, 7, 5, 9, 6, 8, 10};
    const unsigned char mask[10] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    PermTest full, live, compact;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(permtest_run(a, b, NULL, 10, 1000, 5, &full, msg), ST_OK);
    cr_assert_eq(permtest_run(a, b, mask, 10, 1000, 5, &live, msg), ST_OK);
    cr_assert_eq(permtest_run(a + 4, b + 4, NULL, 6, 1000, 5, &compact, msg), ST_OK);
    cr_assert_eq(live.n, 6);
    cr_assert_float_eq(live.r, compact.r, 1e-15);
    cr_assert_eq(live.exceed, compact.exceed);
    cr_assert_gt(full.r, live.r);
    /* Live entries: a = 5..10, b = 7,5,9,6,8,10: Σ(a−ā)(b−b̄) = 10.5, Σ = 17.5 each. */
    cr_assert_float_eq(live.r, 10.5 / 17.5, 1e-14);
}

Test(permtest, errors)
{
    const double c3[3] = {2, 2, 2}, v3[3] = {1, 2, 3}, bad[3] = {1, NAN, 3};
    const unsigned char mask[3] = {1, 0, 1};
    PermTest t;
    double r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(permtest_run(v3, v3, NULL, 2, 10, 0, &t, msg), ST_EINVAL);
    cr_assert_eq(permtest_run(c3, v3, NULL, 3, 10, 0, &t, msg), ST_EINVAL);
    cr_assert_eq(permtest_run(v3, c3, NULL, 3, 10, 0, &t, msg), ST_EINVAL);
    cr_assert_eq(permtest_run(v3, v3, NULL, 3, 0, 0, &t, msg), ST_EINVAL);
    cr_assert_eq(permtest_run(v3, v3, mask, 3, 10, 0, &t, msg), ST_EINVAL);
    cr_assert_eq(permtest_run(bad, v3, NULL, 3, 10, 0, &t, msg), ST_EINVAL);
    cr_assert_eq(permtest_pearson(v3, c3, 3, &r, msg), ST_EINVAL);
    cr_assert_eq(permtest_pearson(v3, v3, 2, &r, msg), ST_EINVAL);
    /* Equal values whose computed mean is off by an ulp still count as constant. */
    const double tenth[3] = {0.1, 0.1, 0.1};
    cr_assert_eq(permtest_pearson(v3, tenth, 3, &r, msg), ST_EINVAL);
}
