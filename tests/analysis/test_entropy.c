#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/entropy.h"

static const double LOG2PIE = 2.8378770664093453; /* log(2πe) */

Test(entropy, methods_example_one)
{
    const double x[4 * 2] = {1, 2, 2, 1, 3, 5, 4, 3};
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 4, 2, 2, 0.0, &r, msg), ST_OK);
    cr_assert_float_eq(r.entropy_nats, 3.4642585506570294, 1e-13);
    cr_assert_eq(r.d, 2);
    cr_assert_eq(r.dropped, 0);
    cr_assert_eq(r.ridge_eps, 0.0);
    cr_assert_eq(r.ridge_shift, 0.0);
}

Test(entropy, duplicate_column_is_singular_without_ridge)
{
    const double x[4 * 2] = {1, 1, 2, 2, 3, 3, 4, 4};
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 4, 2, 2, 0.0, &r, msg), ST_ENUMERIC);
    cr_assert(strstr(msg, "singular") != NULL, "%s", msg);
    /* A ridge too small for the 1e-12 pivot test still trips (docs/methods.md §14). */
    cr_assert_eq(entropy_gaussian(x, 4, 2, 2, 1e-15, &r, msg), ST_ENUMERIC);
}

Test(entropy, methods_ridge_example)
{
    const double x[4 * 2] = {1, 1, 2, 2, 3, 3, 4, 4};
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 4, 2, 2, 0.1, &r, msg), ST_OK);
    cr_assert_float_eq(r.entropy_nats, 2.5683788160430026, 1e-13);
    cr_assert_float_eq(r.ridge_eps, 1.0 / 6.0, 1e-15);
    cr_assert_eq(r.ridge_needed, 1);
    cr_assert(isnan(r.ridge_shift));
}

Test(entropy, ridge_on_regular_data_reports_its_shift)
{
    const double x[4 * 2] = {1, 2, 2, 1, 3, 5, 4, 3};
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 4, 2, 2, 0.1, &r, msg), ST_OK);
    /* Σ = [[5/3, 7/6], [7/6, 35/12]], ε = 0.1·(5/3 + 35/12)/2 = 11/48. */
    double e = 11.0 / 48.0;
    double det = (5.0 / 3 + e) * (35.0 / 12 + e) - (7.0 / 6) * (7.0 / 6);
    cr_assert_float_eq(r.ridge_eps, e, 1e-15);
    cr_assert_float_eq(r.entropy_nats, LOG2PIE + 0.5 * log(det), 1e-13);
    cr_assert_eq(r.ridge_needed, 0);
    cr_assert_float_eq(r.ridge_shift, 0.5 * log(det / 3.5), 1e-13);
}

Test(entropy, constant_columns_are_dropped)
{
    const double x[4 * 4] = {7, 1, 2, 0.3, 7, 2, 1, 0.3, 7, 3, 5, 0.3, 7, 4, 3, 0.3};
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 4, 4, 4, 0.0, &r, msg), ST_OK);
    cr_assert_eq(r.d, 2);
    cr_assert_eq(r.dropped, 2);
    cr_assert_float_eq(r.entropy_nats, 3.4642585506570294, 1e-13);
    const double c[3 * 2] = {1, 1, 1, 1, 1, 1};
    cr_assert_eq(entropy_gaussian(c, 3, 2, 2, 0.0, &r, msg), ST_EINVAL);
}

Test(entropy, known_covariance_matches_closed_form)
{
    /* Z has centred orthogonal ±1 columns (a Hadamard design): ZᵀZ = 4I, so
     * cov Z = (4/3) I. X = Z·B gives Σ = (4/3)·BᵀB with det Σ = (4/3)³·det(B)²;
     * B lower triangular with diagonal 1, 2, 3: det B = 6. */
    const double z[4 * 3] = {1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1};
    const double b[3 * 3] = {1, 0, 0, 1, 2, 0, 0, 1, 3};
    double x[4 * 3] = {0};
    for (int t = 0; t < 4; t++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                x[t * 3 + j] += z[t * 3 + k] * b[k * 3 + j];
    double det = pow(4.0 / 3.0, 3) * 36.0;
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 4, 3, 3, 0.0, &r, msg), ST_OK);
    cr_assert_float_eq(r.entropy_nats, 0.5 * (3 * LOG2PIE + log(det)), 1e-12);
    /* Scaling every variable by c adds d·log c. */
    double y[4 * 3];
    for (int k = 0; k < 12; k++)
        y[k] = 10.0 * x[k];
    EntropyResult r2;
    cr_assert_eq(entropy_gaussian(y, 4, 3, 3, 0.0, &r2, msg), ST_OK);
    cr_assert_float_eq(r2.entropy_nats - r.entropy_nats, 3 * log(10.0), 1e-12);
    /* Float input of the same small integers gives the same answer. */
    float xf[12];
    for (int k = 0; k < 12; k++)
        xf[k] = (float)x[k];
    cr_assert_eq(entropy_gaussian_f(xf, 4, 3, 3, 0.0, &r2, msg), ST_OK);
    cr_assert_float_eq(r2.entropy_nats, r.entropy_nats, 1e-13);
}

Test(entropy, rejects_bad_input)
{
    const double x[4] = {1, 2, 3, 4};
    const double bad[4] = {1, 2, INFINITY, 4};
    EntropyResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(entropy_gaussian(x, 1, 4, 4, 0.0, &r, msg), ST_EINVAL);
    cr_assert_eq(entropy_gaussian(x, 2, 2, 2, -1.0, &r, msg), ST_EINVAL);
    cr_assert_eq(entropy_gaussian(x, 2, 2, 2, NAN, &r, msg), ST_EINVAL);
    cr_assert_eq(entropy_gaussian(bad, 2, 2, 2, 0.0, &r, msg), ST_EINVAL);
    cr_assert_eq(entropy_gaussian(x, 2, 0, 2, 0.0, &r, msg), ST_EINVAL);
    cr_assert_eq(entropy_gaussian(x, 2, 2, 1, 0.0, &r, msg), ST_EINVAL);
}
