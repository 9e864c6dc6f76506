#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/rng.h"
#include "support/support.h"

static const double W4[16] = {0, 1, -0.5, 0.2, 1, 0, 0.3, -0.4, -0.5, 0.3, 0, 0.8, 0.2, -0.4, 0.8, 0};

/* Q both ways: through B and straight from A; they must agree. */
static double q_of(const Matrix *a, const int *p, double gamma, ModSign mode)
{
    char msg[STATUS_MSG_LEN];
    Matrix *b = matrix_new(a->rows, a->cols);
    double q1, q2;
    cr_assert_eq(modmat_build(a, gamma, mode, b, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(modmat_quality(b, p, &q1, msg), ST_OK, "%s", msg);
    cr_assert_eq(modmat_quality_direct(a, p, gamma, mode, &q2, msg), ST_OK, "%s", msg);
    cr_assert(fabs(q1 - q2) <= 1e-12, "via B %.17g, direct %.17g", q1, q2);
    matrix_free(b);
    return q1;
}

Test(modmatrix, karate_worked_values)
{
    Matrix *a = support_karate();
    cr_assert_float_eq(q_of(a, SUPPORT_KARATE_OPT, 1.0, MOD_SIGN_NONE), 0.41978961209730437, 1e-12);
    cr_assert_float_eq(q_of(a, SUPPORT_KARATE_OPT, 1.5, MOD_SIGN_NONE), 0.26429980276134113, 1e-12);
    int ig[34];
    memcpy(ig, SUPPORT_KARATE_OPT, sizeof ig);
    ig[9] = 1;
    cr_assert_float_eq(q_of(a, ig, 1.0, MOD_SIGN_NONE), 0.41880341880341876, 1e-12);
    /* non-negative input: the signed forms equal the unsigned one */
    cr_assert_float_eq(q_of(a, SUPPORT_KARATE_OPT, 1.0, MOD_SIGN_SYM), 0.41978961209730437, 1e-12);
    cr_assert_float_eq(q_of(a, SUPPORT_KARATE_OPT, 1.0, MOD_SIGN_ASYM), 0.41978961209730437, 1e-12);
    matrix_free(a);
}

Test(modmatrix, w4_signed_worked_values)
{
    Matrix *a = support_matrix_from(W4, 4, 4);
    int p[4] = {1, 1, 2, 2};
    cr_assert_float_eq(q_of(a, p, 1.0, MOD_SIGN_SYM), 0.3410326086956522, 1e-12);
    cr_assert_float_eq(q_of(a, p, 1.0, MOD_SIGN_ASYM), 0.41945297731569, 1e-12);
    /* the hand calculation of docs/methods.md §4 */
    double bp = 3.6 - 10.66 / 4.6, bn = 0 - 1.62 / 1.8;
    cr_assert_float_eq(q_of(a, p, 1.0, MOD_SIGN_SYM), (bp - bn) / 6.4, 1e-12);
    cr_assert_float_eq(q_of(a, p, 1.0, MOD_SIGN_ASYM), bp / 4.6 - bn / 6.4, 1e-12);
    char msg[STATUS_MSG_LEN];
    Matrix *b = matrix_new(4, 4);
    ModTotals t;
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_SYM, b, &t, msg), ST_OK);
    cr_assert_float_eq(t.s_pos, 4.6, 1e-12);
    cr_assert_float_eq(t.s_neg, 1.8, 1e-12);
    matrix_free(b);
    matrix_free(a);
}

Test(modmatrix, unsigned_rows_sum_to_zero_and_b_is_symmetric)
{
    Matrix *a = support_karate();
    Matrix *b = matrix_new(34, 34);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_NONE, b, NULL, msg), ST_OK);
    for (size_t i = 0; i < 34; i++) {
        double s = 0;
        for (size_t j = 0; j < 34; j++) {
            s += MAT_AT(b, i, j);
            cr_assert_eq(MAT_AT(b, i, j), MAT_AT(b, j, i));
        }
        cr_assert(fabs(s) < 1e-15, "row %zu sums to %g", i, s);
    }
    int one[34] = {0};
    double q;
    cr_assert_eq(modmat_quality(b, one, &q, msg), ST_OK);
    cr_assert(fabs(q) < 1e-14);
    matrix_free(b);
    matrix_free(a);
}

Test(modmatrix, quality_is_sum_of_b_over_same_community_pairs_random)
{
    Rng rng;
    rng_seed(&rng, 7, 0);
    for (int trial = 0; trial < 20; trial++) {
        size_t n = 2 + rng_below(&rng, 30);
        Matrix *a = matrix_new(n, n);
        for (size_t i = 0; i < n * n; i++)
            a->data[i] = 2 * rng_uniform(&rng) - 1; /* asymmetric and signed */
        int *p = malloc(n * sizeof *p);
        for (size_t i = 0; i < n; i++)
            p[i] = (int)rng_below(&rng, 4) - 2;
        ModSign modes[2] = {MOD_SIGN_SYM, MOD_SIGN_ASYM};
        for (int m = 0; m < 2; m++) {
            double gamma = 0.5 + trial * 0.1;
            double q = q_of(a, p, gamma, modes[m]);
            /* explicit Σ B δ with B written out from the definitions */
            double sp = 0, sn = 0, *kp = calloc(n, sizeof *kp), *kn = calloc(n, sizeof *kn);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    double w = 0.5 * (MAT_AT(a, i, j) + MAT_AT(a, j, i));
                    kp[i] += fmax(w, 0);
                    kn[i] += fmax(-w, 0);
                }
            for (size_t i = 0; i < n; i++) {
                sp += kp[i];
                sn += kn[i];
            }
            double ref = 0;
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    if (p[i] != p[j])
                        continue;
                    double w = 0.5 * (MAT_AT(a, i, j) + MAT_AT(a, j, i));
                    double bp = fmax(w, 0) - gamma * kp[i] * kp[j] / sp;
                    double bn = fmax(-w, 0) - gamma * kn[i] * kn[j] / sn;
                    ref += modes[m] == MOD_SIGN_SYM ? (bp - bn) / (sp + sn) : bp / sp - bn / (sp + sn);
                }
            cr_assert(fabs(q - ref) < 1e-12, "trial %d mode %d: %.17g vs %.17g", trial, m, q, ref);
            free(kp);
            free(kn);
        }
        free(p);
        matrix_free(a);
    }
}

Test(modmatrix, build_in_place_and_asymmetric_input)
{
    Matrix *a = support_karate();
    /* make it asymmetric while keeping (A+Aᵀ)/2 */
    MAT_AT(a, 0, 1) = 1.5;
    MAT_AT(a, 1, 0) = 0.5;
    Matrix *b = matrix_new(34, 34);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_NONE, b, NULL, msg), ST_OK);
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_NONE, a, NULL, msg), ST_OK);
    for (size_t i = 0; i < 34 * 34; i++)
        cr_assert_eq(a->data[i], b->data[i]);
    double q;
    cr_assert_eq(modmat_quality(a, SUPPORT_KARATE_OPT, &q, msg), ST_OK);
    cr_assert_float_eq(q, 0.41978961209730437, 1e-12);
    matrix_free(b);
    matrix_free(a);
}

Test(modmatrix, errors_name_the_problem)
{
    char msg[STATUS_MSG_LEN] = "";
    Matrix *a = support_matrix_from(W4, 4, 4);
    Matrix *b = matrix_new(4, 4);
    int p[4] = {1, 1, 2, 2};
    double q;
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_NONE, b, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "negative") != NULL, "%s", msg);
    cr_assert_eq(modmat_quality_direct(a, p, 1.0, MOD_SIGN_NONE, &q, msg), ST_EINVAL);
    cr_assert_eq(modmat_build(a, -1.0, MOD_SIGN_SYM, b, NULL, msg), ST_EINVAL);
    cr_assert_eq(modmat_build(a, NAN, MOD_SIGN_SYM, b, NULL, msg), ST_EINVAL);
    Matrix *z = matrix_new(4, 4);
    cr_assert_eq(modmat_build(z, 1.0, MOD_SIGN_SYM, b, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "zero") != NULL, "%s", msg);
    cr_assert_eq(modmat_build(z, 1.0, MOD_SIGN_NONE, b, NULL, msg), ST_EINVAL);
    cr_assert_eq(modmat_quality_direct(z, p, 1.0, MOD_SIGN_ASYM, &q, msg), ST_EINVAL);
    Matrix *r = matrix_new(3, 4);
    cr_assert_eq(modmat_build(r, 1.0, MOD_SIGN_SYM, b, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "square") != NULL, "%s", msg);
    Matrix *small = matrix_new(3, 3);
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_SYM, small, NULL, msg), ST_EINVAL);
    MAT_AT(a, 2, 3) = INFINITY;
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_SYM, b, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "finite") != NULL, "%s", msg);
    ModSparse sp;
    modsparse_init(&sp);
    cr_assert_eq(modmat_build_sparse(a, 1.0, MOD_SIGN_SYM, &sp, NULL, msg), ST_EINVAL);
    MAT_AT(a, 2, 3) = NAN; /* NaN is neither positive nor negative: still caught */
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_SYM, b, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "row 3, column 4") != NULL, "%s", msg);
    cr_assert_eq(modmat_build_sparse(a, 1.0, MOD_SIGN_SYM, &sp, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "row 3, column 4") != NULL, "%s", msg);
    cr_assert_eq(modmat_quality_direct(a, p, 1.0, MOD_SIGN_SYM, &q, msg), ST_EINVAL);
    MAT_AT(a, 2, 3) = 0.8;
    cr_assert_eq(modmat_build_sparse(a, 1.0, MOD_SIGN_NONE, &sp, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "negative") != NULL, "%s", msg);
    cr_assert_eq(modmat_build_sparse(z, 1.0, MOD_SIGN_SYM, &sp, NULL, msg), ST_EINVAL);
    modsparse_done(&sp);
    matrix_free(small);
    matrix_free(r);
    matrix_free(z);
    matrix_free(b);
    matrix_free(a);
}

Test(modmatrix, relabel_first_appearance)
{
    int in[6] = {5, 5, -3, 7, -3, 5}, out[6];
    size_t k;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(modmat_relabel(in, 6, out, &k, msg), ST_OK);
    int exp[6] = {1, 1, 2, 3, 2, 1};
    cr_assert_arr_eq(out, exp, sizeof exp);
    cr_assert_eq(k, 3);
    long big[4] = {9000000000L, -9000000000L, 9000000000L, 0};
    cr_assert_eq(modmat_relabel_long(big, 4, out, &k, msg), ST_OK);
    int exp2[4] = {1, 2, 1, 3};
    cr_assert_arr_eq(out, exp2, sizeof exp2);
    cr_assert_eq(k, 3);
    /* in place */
    cr_assert_eq(modmat_relabel(in, 6, in, NULL, msg), ST_OK);
    cr_assert_arr_eq(in, exp, sizeof exp);
    cr_assert_eq(modmat_relabel(in, 0, out, &k, msg), ST_EINVAL);
}

Test(modmatrix, sign_mode_names_round_trip)
{
    char msg[STATUS_MSG_LEN];
    ModSign modes[] = {MOD_SIGN_NONE, MOD_SIGN_SYM, MOD_SIGN_ASYM};
    for (size_t i = 0; i < 3; i++) {
        ModSign got = MOD_SIGN_NONE;
        cr_assert_eq(modsign_parse(modsign_name(modes[i]), "--signed", &got, msg), ST_OK);
        cr_assert_eq(got, modes[i]);
    }
    ModSign keep = MOD_SIGN_SYM;
    cr_assert_eq(modsign_parse("Asym", "--signed", &keep, msg), ST_EINVAL);
    cr_assert_eq(keep, MOD_SIGN_SYM);
    cr_assert_str_eq(msg, "--signed must be none, sym or asym, not 'Asym'");
}
