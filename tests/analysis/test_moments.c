#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/moments.h"

Test(moments, methods_example)
{
    const double x[5] = {1, 2, 3, 4, 10};
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(moments_compute(x, 5, 1, &m, msg), ST_OK);
    cr_assert_eq(m.n, 5);
    cr_assert_float_eq(m.mean, 4.0, 1e-15);
    cr_assert_float_eq(m.std, 3.1622776601683795, 1e-15);
    cr_assert_float_eq(m.skewness, 1.1384199576606167, 1e-14);
    cr_assert_float_eq(m.kurtosis, -0.212, 1e-14);
    cr_assert_eq(m.min, 1.0);
    cr_assert_eq(m.max, 10.0);
    const float xf[5] = {1, 2, 3, 4, 10};
    Moments mf;
    cr_assert_eq(moments_compute_f(xf, 5, 1, &mf, msg), ST_OK);
    cr_assert_float_eq(mf.kurtosis, -0.212, 1e-14);
}

Test(moments, stride_reads_a_column)
{
    const double x[5 * 2] = {1, -9, 2, -9, 3, -9, 4, -9, 10, -9};
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(moments_compute(x, 5, 2, &m, msg), ST_OK);
    cr_assert_float_eq(m.skewness, 1.1384199576606167, 1e-14);
}

Test(moments, constant_values_give_null_shape)
{
    const double x[3] = {0.1, 0.1, 0.1};
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(moments_compute(x, 3, 1, &m, msg), ST_OK);
    cr_assert_eq(m.mean, 0.1);
    cr_assert_eq(m.std, 0.0);
    cr_assert(isnan(m.skewness));
    cr_assert(isnan(m.kurtosis));
    cr_assert_eq(moments_compute(x, 1, 1, &m, msg), ST_OK);
    cr_assert(isnan(m.skewness));
}

Test(moments, symmetric_two_point_distribution)
{
    /* ±1 with equal weight: std 1, skewness 0, kurtosis 1 − 3 = −2. */
    const double x[4] = {-1, 1, 1, -1};
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(moments_compute(x, 4, 1, &m, msg), ST_OK);
    cr_assert_float_eq(m.std, 1.0, 1e-15);
    cr_assert_float_eq(m.skewness, 0.0, 1e-15);
    cr_assert_float_eq(m.kurtosis, -2.0, 1e-15);
}

Test(moments, rejects_empty_and_non_finite)
{
    const double x[2] = {1, NAN};
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(moments_compute(x, 0, 1, &m, msg), ST_EINVAL);
    cr_assert_eq(moments_compute(x, 2, 1, &m, msg), ST_EINVAL);
    cr_assert_eq(moments_compute(x, 1, 0, &m, msg), ST_EINVAL);
}
