#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/roles.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/rng.h"
#include "support/support.h"

Test(roles, karate_worked_values)
{
    Matrix *a = support_karate();
    char msg[STATUS_MSG_LEN];
    double pc[34], mz[34];
    cr_assert_eq(roles_compute(a, SUPPORT_KARATE_OPT, pc, mz, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(pc[0], 0.5390625, 1e-12);
    cr_assert_float_eq(mz[0], 2.1357076616511996, 1e-12);
    cr_assert_float_eq(pc[33], 0.5121107266435986, 1e-12);
    cr_assert_float_eq(mz[33], 2.511655074836764, 1e-12);
    /* invariants: pc in [0,1], mz has mean 0 inside each module */
    for (int i = 0; i < 34; i++)
        cr_assert(pc[i] >= 0 && pc[i] <= 1, "pc[%d] = %g", i, pc[i]);
    for (int c = 1; c <= 4; c++) {
        double s = 0;
        for (int i = 0; i < 34; i++)
            s += SUPPORT_KARATE_OPT[i] == c ? mz[i] : 0;
        cr_assert(fabs(s) < 1e-12, "module %d: mz sums to %g", c, s);
    }
    matrix_free(a);
}

Test(roles, w4_worked_values_and_negative_weights_ignored)
{
    double w4[16] = {0, 1, -0.5, 0.2, 1, 0, 0.3, -0.4, -0.5, 0.3, 0, 0.8, 0.2, -0.4, 0.8, 0};
    Matrix *a = matrix_new(4, 4);
    memcpy(a->data, w4, sizeof w4);
    int p[4] = {1, 1, 2, 2};
    double pc[4], mz[4];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(roles_compute(a, p, pc, mz, msg), ST_OK);
    double exp[4] = {10.0 / 36, 0.6 / 1.69, 0.48 / 1.21, 0.32};
    for (int i = 0; i < 4; i++) {
        cr_assert_float_eq(pc[i], exp[i], 1e-12, "pc[%d]", i);
        cr_assert_eq(mz[i], 0.0, "mz[%d]", i);
    }
    /* either output may be omitted */
    cr_assert_eq(roles_compute(a, p, NULL, mz, msg), ST_OK);
    cr_assert_eq(roles_compute(a, p, pc, NULL, msg), ST_OK);
    cr_assert_float_eq(pc[3], 0.32, 1e-12);
    matrix_free(a);
}

Test(roles, random_invariants_and_isolated_nodes)
{
    Rng rng;
    rng_seed(&rng, 5, 0);
    size_t n = 50;
    Matrix *a = matrix_new(n, n);
    for (size_t i = 0; i < n * n; i++)
        a->data[i] = rng_uniform(&rng) - 0.3;
    for (size_t j = 0; j < n; j++) /* node 0 has only negative links: k = 0 */
        MAT_AT(a, 0, j) = MAT_AT(a, j, 0) = -1;
    int p[50];
    for (size_t i = 0; i < n; i++)
        p[i] = (int)rng_below(&rng, 5);
    double pc[50], mz[50];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(roles_compute(a, p, pc, mz, msg), ST_OK);
    cr_assert_eq(pc[0], 0.0);
    for (size_t i = 0; i < n; i++)
        cr_assert(pc[i] >= 0 && pc[i] <= 1);
    for (int c = 0; c < 5; c++) {
        double s = 0, ss = 0;
        int cnt = 0;
        for (size_t i = 0; i < n; i++)
            if (p[i] == c) {
                s += mz[i];
                ss += mz[i] * mz[i];
                cnt++;
            }
        cr_assert(fabs(s) < 1e-10);
        if (cnt > 1)
            cr_assert_float_eq(ss / cnt, 1.0, 1e-10); /* population z-scores */
    }
    matrix_free(a);
}

Test(roles, errors)
{
    char msg[STATUS_MSG_LEN];
    Matrix *a = matrix_new(2, 3);
    int p[3] = {1, 1, 1};
    double pc[3];
    cr_assert_eq(roles_compute(a, p, pc, NULL, msg), ST_EINVAL);
    Matrix *b = matrix_new(3, 3);
    cr_assert_eq(roles_compute(b, NULL, pc, NULL, msg), ST_EINVAL);
    MAT_AT(b, 1, 2) = NAN;
    cr_assert_eq(roles_compute(b, p, pc, NULL, msg), ST_EINVAL);
    matrix_free(a);
    matrix_free(b);
}
