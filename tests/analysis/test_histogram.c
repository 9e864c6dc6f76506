#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/histogram.h"

Test(histogram, hand_case_counts_and_moments)
{
    const float v[8] = {-1, -0.5f, 0, 0.25f, 0.5f, 1, 2, -3};
    size_t counts[4];
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(histogram_compute(v, 8, -1.0, 1.0, 4, counts, &m, msg), ST_OK);
    /* [-1,-.5): -1 and the clamped -3; [-.5,0): -0.5; [0,.5): 0, 0.25;
     * [.5,1]: 0.5, 1 (the top edge) and the clamped 2. */
    cr_assert_eq(counts[0], 2);
    cr_assert_eq(counts[1], 1);
    cr_assert_eq(counts[2], 2);
    cr_assert_eq(counts[3], 3);
    cr_assert_float_eq(m.mean, -0.09375, 1e-15);
    /* scipy.stats: std (ddof 0), skew, kurtosis of the same values. */
    cr_assert_float_eq(m.std, 1.39159025488827, 1e-13);
    cr_assert_float_eq(m.skewness, -0.6781741545790876, 1e-13);
    cr_assert_float_eq(m.kurtosis, 0.09418483738097594, 1e-13);
    double lo, hi;
    cr_assert_eq(histogram_symmetric_range(v, 8, &lo, &hi, msg), ST_OK);
    cr_assert_eq(lo, -3.0);
    cr_assert_eq(hi, 3.0);
}

Test(histogram, double_values_and_no_stats)
{
    const double v[7] = {0.05, 0.15, 0.25, 0.3, 0.9, 1e300, -1e300};
    size_t counts[3];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(histogram_compute_d(v, 7, 0.0, 0.3, 3, counts, NULL, msg), ST_OK);
    cr_assert_eq(counts[0], 2, "0.05 and the huge negative value");
    cr_assert_eq(counts[1], 1);
    cr_assert_eq(counts[2], 4, "0.25, the top edge 0.3, 0.9 and the huge value");
}

Test(histogram, all_zero_range_and_errors)
{
    const float z[3] = {0, 0, 0};
    const float bad[2] = {0, NAN};
    double lo, hi;
    size_t counts[2];
    Moments m;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(histogram_symmetric_range(z, 3, &lo, &hi, msg), ST_OK);
    cr_assert_eq(lo, -1.0);
    cr_assert_eq(hi, 1.0);
    cr_assert_eq(histogram_compute(z, 3, lo, hi, 2, counts, &m, msg), ST_OK);
    cr_assert_eq(counts[1], 3);
    cr_assert(isnan(m.skewness));
    cr_assert_eq(histogram_compute(z, 3, 1.0, 1.0, 2, counts, NULL, msg), ST_EINVAL);
    cr_assert_eq(histogram_compute(z, 3, 0.0, 1.0, 0, counts, NULL, msg), ST_EINVAL);
    cr_assert_eq(histogram_compute(z, 0, 0.0, 1.0, 2, counts, NULL, msg), ST_EINVAL);
    cr_assert_eq(histogram_compute(bad, 2, 0.0, 1.0, 2, counts, NULL, msg), ST_EINVAL);
    cr_assert_eq(histogram_compute(z, 3, -INFINITY, 1.0, 2, counts, NULL, msg), ST_EINVAL);
    cr_assert_eq(histogram_symmetric_range(bad, 2, &lo, &hi, msg), ST_EINVAL);
}
