#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/pca.h"
#include "neurotop/core/rng.h"

static const double EX[4 * 2] = {2, 0, 0, 1, -2, 0, 0, -1};

Test(pca, methods_example_and_tolerance)
{
    double ratio[2];
    size_t n80 = 0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pca_explained(EX, 4, 2, 2, 0, ratio, &n80, msg), ST_OK);
    cr_assert_float_eq(ratio[0], 0.8, 1e-15);
    cr_assert_float_eq(ratio[1], 0.2, 1e-15);
    cr_assert_eq(n80, 1, "0.8 must count as reaching 0.8 (the 1e-12 tolerance)");
    cr_assert_eq(pca_explained(EX, 4, 2, 2, 1, ratio, &n80, msg), ST_OK);
    cr_assert_float_eq(ratio[0], 0.5, 1e-15);
    cr_assert_float_eq(ratio[1], 0.5, 1e-15);
    cr_assert_eq(n80, 2);
}

Test(pca, tolerance_catches_a_ratio_just_below_point_eight)
{
    /* Variances 0.8 − 1e-14 and 0.2 + 1e-14 (diagonal covariance): within
     * the 1e-12 tolerance, so n80 = 1; a shortfall of 1e-9 gives n80 = 2. */
    double ratio[2];
    size_t n80;
    char msg[STATUS_MSG_LEN];
    double a = sqrt(1.5 * (0.8 - 1e-14)), b = sqrt(1.5 * (0.2 + 1e-14));
    double x[4 * 2] = {a, 0, 0, b, -a, 0, 0, -b};
    cr_assert_eq(pca_explained(x, 4, 2, 2, 0, ratio, &n80, msg), ST_OK);
    cr_assert(ratio[0] < 0.8);
    cr_assert_eq(n80, 1);
    a = sqrt(1.5 * (0.8 - 1e-9));
    b = sqrt(1.5 * (0.2 + 1e-9));
    double y[4 * 2] = {a, 0, 0, b, -a, 0, 0, -b};
    cr_assert_eq(pca_explained(y, 4, 2, 2, 0, ratio, &n80, msg), ST_OK);
    cr_assert_eq(n80, 2);
}

Test(pca, ratios_sum_to_one_and_gram_path_agrees)
{
    Rng r;
    rng_seed(&r, 3, 1);
    /* n < d takes the Gram path; pca_fit with k = d takes the d×d one. */
    enum { N = 6, D = 10 };
    double x[N * D];
    for (size_t k = 0; k < N * D; k++)
        x[k] = rng_normal(&r) * (1.0 + (double)(k % D));
    for (int st = 0; st < 2; st++) {
        double ratio[D], sum = 0.0;
        size_t n80;
        char msg[STATUS_MSG_LEN];
        cr_assert_eq(pca_explained(x, N, D, D, st, ratio, &n80, msg), ST_OK);
        for (size_t i = 0; i < D; i++) {
            sum += ratio[i];
            cr_assert(ratio[i] >= 0.0);
            if (i > 0)
                cr_assert(ratio[i] <= ratio[i - 1] + 1e-15);
            if (i >= N - 1)
                cr_assert(ratio[i] < 1e-12, "rank is at most n-1");
        }
        cr_assert_float_eq(sum, 1.0, 1e-12);
        PcaFit *f = NULL;
        cr_assert_eq(pca_fit(x, N, D, D, st, D, &f, msg), ST_OK, "%s", msg);
        for (size_t i = 0; i < N - 1; i++)
            cr_assert_float_eq(f->ratio[i], ratio[i], 1e-10, "component %zu", i);
        pca_fit_free(f);
    }
}

Test(pca, fit_axes_scores_and_sign)
{
    PcaFit *f = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pca_fit(EX, 4, 2, 2, 0, 2, &f, msg), ST_OK);
    cr_assert_float_eq(f->variance[0], 8.0 / 3.0, 1e-14);
    cr_assert_float_eq(f->variance[1], 2.0 / 3.0, 1e-14);
    cr_assert_float_eq(f->total_variance, 10.0 / 3.0, 1e-14);
    cr_assert_float_eq(f->ratio[0], 0.8, 1e-14);
    /* Axes (1,0) and (0,1), signed so the largest entry is positive. */
    cr_assert_float_eq(f->axes[0], 1.0, 1e-14);
    cr_assert_float_eq(f->axes[1], 0.0, 1e-14);
    cr_assert_float_eq(f->axes[2], 0.0, 1e-14);
    cr_assert_float_eq(f->axes[3], 1.0, 1e-14);
    double s[4 * 2];
    cr_assert_eq(pca_transform(f, EX, 4, 2, s, msg), ST_OK);
    const double want[8] = {2, 0, 0, 1, -2, 0, 0, -1};
    for (size_t k = 0; k < 8; k++)
        cr_assert_float_eq(s[k], want[k], 1e-14, "score %zu", k);
    /* A shifted copy of the data lands shifted by the projected offset. */
    const float moved[2] = {3.0f, -1.0f};
    double sm[2];
    cr_assert_eq(pca_transform_f(f, moved, 1, 2, sm, msg), ST_OK);
    cr_assert_float_eq(sm[0], 3.0, 1e-14);
    cr_assert_float_eq(sm[1], -1.0, 1e-14);
    pca_fit_free(f);
    pca_fit_free(NULL);
}

Test(pca, fit_scores_have_the_component_variances)
{
    Rng r;
    rng_seed(&r, 11, 0);
    enum { N = 200, D = 6, K = 3 };
    static double x[N * D];
    for (size_t t = 0; t < N; t++) {
        double a = rng_normal(&r), b = rng_normal(&r);
        for (size_t j = 0; j < D; j++)
            x[t * D + j] = (double)j * a + (j % 2 ? b : -b) + 0.1 * rng_normal(&r) + 5.0;
    }
    PcaFit *f = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pca_fit(x, N, D, D, 1, K, &f, msg), ST_OK);
    static double s[N * K];
    cr_assert_eq(pca_transform(f, x, N, D, s, msg), ST_OK);
    for (size_t c = 0; c < K; c++) {
        double m = 0, v = 0;
        for (size_t t = 0; t < N; t++)
            m += s[t * K + c];
        m /= N;
        for (size_t t = 0; t < N; t++)
            v += (s[t * K + c] - m) * (s[t * K + c] - m);
        v /= N - 1;
        cr_assert_float_eq(m, 0.0, 1e-10);
        cr_assert_float_eq(v, f->variance[c], 1e-10 * f->variance[0]);
        double norm = 0;
        for (size_t j = 0; j < D; j++)
            norm += f->axes[c * D + j] * f->axes[c * D + j];
        cr_assert_float_eq(norm, 1.0, 1e-12);
    }
    /* Standardised: total variance = number of non-constant columns. */
    cr_assert_float_eq(f->total_variance, (double)D, 1e-10);
    pca_fit_free(f);
}

Test(pca, constant_column_and_errors)
{
    const double x[3 * 2] = {1, 0.1, 2, 0.1, 4, 0.1};
    double ratio[2];
    size_t n80;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pca_explained(x, 3, 2, 2, 1, ratio, &n80, msg), ST_OK);
    cr_assert_float_eq(ratio[0], 1.0, 1e-15);
    cr_assert_eq(ratio[1], 0.0);
    cr_assert_eq(n80, 1);
    const double c[3 * 2] = {1, 2, 1, 2, 1, 2};
    cr_assert_eq(pca_explained(c, 3, 2, 2, 0, ratio, &n80, msg), ST_EINVAL);
    cr_assert(strstr(msg, "variance") != NULL, "%s", msg);
    cr_assert_eq(pca_explained(x, 1, 2, 2, 0, ratio, &n80, msg), ST_EINVAL);
    PcaFit *f = NULL;
    cr_assert_eq(pca_fit(x, 3, 2, 2, 0, 3, &f, msg), ST_EINVAL);
    cr_assert_eq(pca_fit(c, 3, 2, 2, 0, 1, &f, msg), ST_EINVAL);
    cr_assert_null(f);
}

Test(pca, category_distances_by_hand)
{
    /* A: (0,0),(2,0) → centroid (1,0); B: (0,4),(0,6) → (0,5); C: (3,4). */
    const double s[5 * 2] = {0, 0, 0, 4, 2, 0, 0, 6, 3, 4};
    const int lab[5] = {7, -2, 7, -2, 9};
    double within, between;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pca_category_distances(s, 5, 2, lab, &within, &between, msg), ST_OK);
    cr_assert_float_eq(within, 4.0 / 5.0, 1e-15);
    cr_assert_float_eq(between, (sqrt(26.0) + sqrt(20.0) + sqrt(10.0)) / 3.0, 1e-14);
    const int one[5] = {1, 1, 1, 1, 1};
    cr_assert_eq(pca_category_distances(s, 5, 2, one, &within, &between, msg), ST_EINVAL);
}
