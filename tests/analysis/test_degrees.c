#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/degrees.h"

static const double W4[16] = {0, 1, -0.5, 0.2, 1, 0, 0.3, -0.4, -0.5, 0.3, 0, 0.8, 0.2, -0.4, 0.8, 0};

Test(degrees, w4_worked_values)
{
    Matrix *a = matrix_new(4, 4);
    memcpy(a->data, W4, sizeof W4);
    MAT_AT(a, 2, 2) = 5; /* the diagonal is ignored */
    int d[4], dp[4], dn[4];
    double s[4], knn[4];
    DegreeStats out = {d, dp, dn, s, knn};
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(degrees_compute(a, 0.25, &out, msg), ST_OK, "%s", msg);
    int ed[4] = {2, 3, 3, 2}, edp[4] = {1, 2, 2, 1}, edn[4] = {1, 1, 1, 1};
    cr_assert_arr_eq(d, ed, sizeof d);
    cr_assert_arr_eq(dp, edp, sizeof dp);
    cr_assert_arr_eq(dn, edn, sizeof dn);
    double es[4] = {0.7, 0.9, 0.6, 0.6}, ek[4] = {3, 7.0 / 3, 7.0 / 3, 3};
    for (int i = 0; i < 4; i++) {
        cr_assert_float_eq(s[i], es[i], 1e-12);
        cr_assert_float_eq(knn[i], ek[i], 1e-12);
    }
    /* the threshold is strict, and knn works without a degree output */
    DegreeStats only = {NULL, NULL, NULL, NULL, knn};
    cr_assert_eq(degrees_compute(a, 0.8, &only, msg), ST_OK);
    cr_assert_float_eq(knn[0], 1.0, 1e-12); /* only the 1.0 edge survives */
    cr_assert_float_eq(knn[2], 0.0, 1e-12);
    matrix_free(a);
}

Test(degrees, asymmetric_input_is_symmetrised)
{
    Matrix *a = matrix_new(2, 2);
    MAT_AT(a, 0, 1) = 1.0;
    MAT_AT(a, 1, 0) = 0.0; /* W_01 = 0.5 */
    int d[2];
    double s[2];
    DegreeStats out = {d, NULL, NULL, s, NULL};
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(degrees_compute(a, 0.4, &out, msg), ST_OK);
    cr_assert_eq(d[0], 1);
    cr_assert_eq(d[1], 1);
    cr_assert_float_eq(s[1], 0.5, 1e-15);
    cr_assert_eq(degrees_compute(a, 0.5, &out, msg), ST_OK);
    cr_assert_eq(d[0], 0);
    cr_assert_eq(degrees_compute(a, -1, &out, msg), ST_EINVAL);
    cr_assert_eq(degrees_compute(a, NAN, &out, msg), ST_EINVAL);
    matrix_free(a);
}

Test(degrees, layer_correlation)
{
    /* layer 0: strength = 2·degree + 1 → r = 1; layer 1: anti-correlated;
     * layer 2: a single node → NaN; layer 3: constant degree → NaN */
    double s[9] = {1, 3, 5, 4, 2, 0, 7, 1, 2};
    int d[9] = {0, 1, 2, 0, 1, 2, 3, 4, 4};
    int l[9] = {0, 0, 0, 1, 1, 1, 2, 3, 3};
    double r[4];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(degrees_layer_correlation(s, d, l, 9, 4, r, msg), ST_OK);
    cr_assert_float_eq(r[0], 1.0, 1e-12);
    cr_assert_float_eq(r[1], -1.0, 1e-12);
    cr_assert(isnan(r[2]));
    cr_assert(isnan(r[3]));
    l[4] = 4;
    cr_assert_eq(degrees_layer_correlation(s, d, l, 9, 4, r, msg), ST_EINVAL);
}
