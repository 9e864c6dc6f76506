#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/assign.h"
#include "neurotop/analysis/emd.h"
#include "neurotop/core/rng.h"
#include "support/support.h"

Test(assign, methods_example)
{
    const double c[9] = {4, 1, 3, 2, 0, 5, 3, 2, 2};
    size_t a[3];
    double cost;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(assign_solve(c, 3, a, &cost, msg), ST_OK);
    cr_assert_eq(a[0], 1);
    cr_assert_eq(a[1], 0);
    cr_assert_eq(a[2], 2);
    cr_assert_float_eq(cost, 5.0, 1e-12);
}

static void assert_permutation(const size_t *a, size_t n)
{
    unsigned char seen[64] = {0};
    for (size_t i = 0; i < n; i++) {
        cr_assert_lt(a[i], n);
        cr_assert_eq(seen[a[i]], 0, "column %zu used twice", a[i]);
        seen[a[i]] = 1;
    }
}

Test(assign, random_6x6_match_brute_force)
{
    double c[36];
    size_t a[6];
    char msg[STATUS_MSG_LEN];
    Rng r;
    rng_seed(&r, 6, 0);
    for (int trial = 0; trial < 200; trial++) {
        for (int t = 0; t < 36; t++) {
            switch (trial % 3) {
            case 0: c[t] = rng_uniform(&r); break;                    /* generic */
            case 1: c[t] = (double)rng_below(&r, 4); break;           /* many ties */
            default: c[t] = 100.0 * (rng_uniform(&r) - 0.5); break;   /* negative */
            }
        }
        double cost;
        cr_assert_eq(assign_solve(c, 6, a, &cost, msg), ST_OK);
        assert_permutation(a, 6);
        double s = 0;
        for (int i = 0; i < 6; i++)
            s += c[i * 6 + a[i]];
        cr_assert_float_eq(s, cost, 1e-12);
        cr_assert_float_eq(cost, support_assignment_brute(c, 6), 1e-9, "trial %d", trial);
    }
}

typedef struct {
    const double *x, *y;
    int calls;
} PointCtx;

/* Squared distance between point i of x and point j of y (1-D). */
static double point_cost(void *ctx, size_t i, size_t j)
{
    PointCtx *p = ctx;
    p->calls++;
    double d = p->x[i] - p->y[j];
    return d * d;
}

Test(assign, callback_matches_matrix)
{
    enum { N = 40 };
    double x[N], y[N], c[N * N], cm, cf;
    size_t am[N], af[N];
    char msg[STATUS_MSG_LEN];
    Rng r;
    rng_seed(&r, 2, 0);
    for (int i = 0; i < N; i++) {
        x[i] = rng_uniform(&r);
        y[i] = rng_uniform(&r);
    }
    PointCtx ctx = {x, y, 0};
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++)
            c[i * N + j] = point_cost(&ctx, i, j);
    cr_assert_eq(assign_solve(c, N, am, &cm, msg), ST_OK);
    cr_assert_eq(assign_solve_fn(point_cost, &ctx, N, af, &cf, NULL, NULL, msg), ST_OK);
    cr_assert_float_eq(cm, cf, 1e-12);
    for (int i = 0; i < N; i++)
        cr_assert_eq(am[i], af[i]);
    /* Squared cost on a line: sorted order matching is optimal. */
    double sx[N], sy[N];
    for (int i = 0; i < N; i++) {
        sx[i] = x[i];
        sy[i] = y[i];
    }
    for (int i = 1; i < N; i++)
        for (int k = i; k > 0 && sx[k] < sx[k - 1]; k--) {
            double t = sx[k]; sx[k] = sx[k - 1]; sx[k - 1] = t;
        }
    for (int i = 1; i < N; i++)
        for (int k = i; k > 0 && sy[k] < sy[k - 1]; k--) {
            double t = sy[k]; sy[k] = sy[k - 1]; sy[k - 1] = t;
        }
    double sorted = 0;
    for (int i = 0; i < N; i++)
        sorted += (sx[i] - sy[i]) * (sx[i] - sy[i]);
    cr_assert_float_eq(cm, sorted, 1e-12);
}

/* Integral transport with unit masses is an assignment: both solvers agree,
 * on problems degenerate enough to exercise the transport solver's Bland rule. */
Test(assign, agrees_with_unit_transport)
{
    enum { NMAX = 24 };
    double c[NMAX * NMAX], ones[NMAX], ca, ct;
    size_t a[NMAX];
    char msg[STATUS_MSG_LEN];
    Rng r;
    rng_seed(&r, 30, 0);
    for (int i = 0; i < NMAX; i++)
        ones[i] = 1.0;
    /* Several of these (e.g. n = 10, trial 2) hit long degenerate runs. */
    for (size_t n = 6; n <= NMAX; n += 2) {
        for (int trial = 0; trial < 5; trial++) {
            for (size_t t = 0; t < n * n; t++)
                c[t] = (double)rng_below(&r, 1000);
            cr_assert_eq(assign_solve(c, n, a, &ca, msg), ST_OK);
            cr_assert_eq(emd_transport(ones, n, ones, n, c, &ct, NULL, msg), ST_OK);
            cr_assert_float_eq(ca, ct, 1e-9, "n %zu trial %d", n, trial);
        }
    }
}

static int cancel_at_3(void *ctx, size_t done, size_t n)
{
    size_t *last = ctx;
    cr_assert_leq(done, n);
    cr_assert_geq(done, *last, "progress went backwards");
    *last = done;
    return done >= 3;
}

static int never_cancel(void *ctx, size_t done, size_t n)
{
    (void)n;
    *(size_t *)ctx = done;
    return 0;
}

static double nan_cost(void *ctx, size_t i, size_t j)
{
    (void)ctx;
    return i == 2 && j == 1 ? NAN : 1.0;
}

Test(assign, errors_and_cancel)
{
    double c[4] = {1, 2, NAN, 4}, cost;
    size_t a[5], seen = 0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(assign_solve(c, 0, a, &cost, msg), ST_EINVAL);
    cr_assert_eq(assign_solve(c, 2, a, &cost, msg), ST_EINVAL);
    double huge[4] = {1e308, 1, 1, 1};
    cr_assert_eq(assign_solve(huge, 2, a, &cost, msg), ST_EINVAL);
    double x[5] = {0, 1, 2, 3, 4};
    PointCtx ctx = {x, x, 0};
    cr_assert_eq(assign_solve_fn(point_cost, &ctx, 5, a, &cost, cancel_at_3, &seen, msg),
                 ST_ECANCELED);
    cr_assert_geq(seen, 3);
    seen = 0;
    cr_assert_eq(assign_solve_fn(point_cost, &ctx, 5, a, &cost, never_cancel, &seen, msg), ST_OK);
    cr_assert_eq(seen, 5);
    cr_assert_float_eq(cost, 0.0, 1e-15);
    cr_assert_eq(assign_solve_fn(nan_cost, NULL, 3, a, &cost, NULL, NULL, msg), ST_EINVAL);
    /* n = 1 is trivial. */
    double one = -2.5;
    cr_assert_eq(assign_solve(&one, 1, a, &cost, msg), ST_OK);
    cr_assert_eq(a[0], 0);
    cr_assert_float_eq(cost, -2.5, 1e-15);
}
