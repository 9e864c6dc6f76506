#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/multislice.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/rng.h"
#include "support/support.h"

static Matrix *mat3(const double v[9])
{
    Matrix *m = matrix_new(3, 3);
    memcpy(m->data, v, 9 * sizeof *v);
    return m;
}

static const double PATH[9] = {0, 1, 0, 1, 0, 1, 0, 1, 0};
static const double TRI[9] = {0, 1, 1, 1, 0, 1, 1, 1, 0};
static const double SIGNED[9] = {0, 1, -1, 1, 0, 0, -1, 0, 0};
/* rows `1,1 / 1,1 / 2,1` in layer-major order: layer 1 then layer 2 */
static const int EX_PART[6] = {1, 1, 2, 1, 1, 1};

static double q_two_layers(const double l1[9], ModSign mode, Status *st)
{
    Matrix *a = mat3(l1), *b = mat3(TRI);
    const Matrix *layers[2] = {a, b};
    Multislice *ms;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(multislice_new(3, 2, &ms, msg), ST_OK);
    double q = NAN;
    *st = multislice_build(ms, layers, 2, 1.0, 0.5, mode, msg);
    if (!*st) {
        cr_assert_float_eq(multislice_two_mu(ms), 13.0, 1e-12);
        cr_assert_eq(multislice_quality(ms, EX_PART, &q, msg), ST_OK, "%s", msg);
    }
    multislice_free(ms);
    matrix_free(a);
    matrix_free(b);
    return q;
}

Test(multislice, worked_examples)
{
    Status st;
    cr_assert_float_eq(q_two_layers(PATH, MOD_SIGN_NONE, &st), 0.11538461538461542, 1e-12);
    cr_assert_float_eq(q_two_layers(PATH, MOD_SIGN_SYM, &st), 0.11538461538461542, 1e-12);
    cr_assert_float_eq(q_two_layers(SIGNED, MOD_SIGN_SYM, &st), 0.23076923076923078, 1e-12);
    q_two_layers(SIGNED, MOD_SIGN_NONE, &st);
    cr_assert_eq(st, ST_EINVAL);
    q_two_layers(PATH, MOD_SIGN_ASYM, &st);
    cr_assert_eq(st, ST_EINVAL);
}

Test(multislice, one_layer_is_plain_modularity)
{
    Matrix *a = support_karate();
    char msg[STATUS_MSG_LEN];
    const int *p = SUPPORT_KARATE_OPT;
    Multislice *ms;
    cr_assert_eq(multislice_new(34, 1, &ms, msg), ST_OK);
    const Matrix *layers[1] = {a};
    double q;
    cr_assert_eq(multislice_build(ms, layers, 1, 1.5, 3.0, MOD_SIGN_NONE, msg), ST_OK);
    cr_assert_eq(multislice_quality(ms, p, &q, msg), ST_OK);
    cr_assert_float_eq(q, 0.26429980276134113, 1e-12);
    multislice_free(ms);
    matrix_free(a);
    /* signed: T = 1 gives the §4 sym value */
    double w4[16] = {0, 1, -0.5, 0.2, 1, 0, 0.3, -0.4, -0.5, 0.3, 0, 0.8, 0.2, -0.4, 0.8, 0};
    Matrix *w = matrix_new(4, 4);
    memcpy(w->data, w4, sizeof w4);
    cr_assert_eq(multislice_new(4, 1, &ms, msg), ST_OK);
    layers[0] = w;
    int p4[4] = {1, 1, 2, 2};
    cr_assert_eq(multislice_build(ms, layers, 1, 1.0, 1.0, MOD_SIGN_SYM, msg), ST_OK);
    cr_assert_eq(multislice_quality(ms, p4, &q, msg), ST_OK);
    cr_assert_float_eq(q, 0.3410326086956522, 1e-12);
    multislice_free(ms);
    matrix_free(w);
}

/* Q straight from the definition: an explicit NT×NT supra-matrix. */
static double q_reference(Matrix **layers, size_t n, size_t t, double gamma, double omega,
                          const int *g)
{
    size_t nt = n * t;
    double *sup = calloc(nt * nt, sizeof *sup), two_mu = 0;
    for (size_t s = 0; s < t; s++) {
        double sp = 0, sn = 0, *kp = calloc(n, sizeof *kp), *kn = calloc(n, sizeof *kn);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double w = 0.5 * (MAT_AT(layers[s], i, j) + MAT_AT(layers[s], j, i));
                kp[i] += fmax(w, 0);
                kn[i] += fmax(-w, 0);
            }
        for (size_t i = 0; i < n; i++) {
            sp += kp[i];
            sn += kn[i];
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double w = 0.5 * (MAT_AT(layers[s], i, j) + MAT_AT(layers[s], j, i));
                double b = w - (sp > 0 ? gamma * kp[i] * kp[j] / sp : 0) +
                           (sn > 0 ? gamma * kn[i] * kn[j] / sn : 0);
                sup[(s * n + i) * nt + s * n + j] = b;
            }
        two_mu += sp + sn;
        free(kp);
        free(kn);
    }
    for (size_t s = 0; s + 1 < t; s++)
        for (size_t i = 0; i < n; i++) {
            sup[(s * n + i) * nt + (s + 1) * n + i] = omega;
            sup[((s + 1) * n + i) * nt + s * n + i] = omega;
        }
    two_mu += 2 * omega * n * (t - 1);
    double q = 0;
    for (size_t u = 0; u < nt; u++)
        for (size_t v = 0; v < nt; v++)
            q += g[u] == g[v] ? sup[u * nt + v] : 0;
    free(sup);
    return q / two_mu;
}

static Matrix **random_layers(Rng *rng, size_t n, size_t t, int planted)
{
    Matrix **l = malloc(t * sizeof *l);
    for (size_t s = 0; s < t; s++) {
        l[s] = matrix_new(n, n);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double w = 2 * rng_uniform(rng) - 1;
                if (planted)
                    w = 0.3 * w + (i % 3 == j % 3 ? 0.8 : -0.2);
                MAT_AT(l[s], i, j) = i == j ? 0 : w;
            }
    }
    return l;
}

static void free_layers(Matrix **l, size_t t)
{
    for (size_t s = 0; s < t; s++)
        matrix_free(l[s]);
    free(l);
}

Test(multislice, quality_matches_explicit_supra_matrix_and_louvain_is_consistent)
{
    Rng rng;
    rng_seed(&rng, 2, 0);
    char msg[STATUS_MSG_LEN];
    for (int trial = 0; trial < 6; trial++) {
        size_t n = 4 + rng_below(&rng, 8), t = 1 + rng_below(&rng, 4);
        Matrix **l = random_layers(&rng, n, t, 0);
        double gamma = 0.5 + 0.3 * trial, omega = 0.25 * trial;
        Multislice *ms;
        cr_assert_eq(multislice_new(n, t, &ms, msg), ST_OK);
        cr_assert_eq(multislice_build(ms, (const Matrix *const *)l, t, gamma, omega, MOD_SIGN_SYM, msg),
                     ST_OK, "%s", msg);
        int *g = malloc(n * t * sizeof *g);
        for (size_t u = 0; u < n * t; u++)
            g[u] = (int)rng_below(&rng, 3);
        double q;
        cr_assert_eq(multislice_quality(ms, g, &q, msg), ST_OK);
        cr_assert(fabs(q - q_reference(l, n, t, gamma, omega, g)) < 1e-12, "trial %d", trial);
        /* Louvain on the block operator */
        LouvainOp op;
        multislice_op(ms, &op);
        cr_assert_eq(op.n, n * t);
        Rng r2;
        rng_seed(&r2, 9, (uint64_t)trial);
        double ql;
        cr_assert_eq(louvain_run(&op, &r2, g, &ql, NULL, NULL, msg), ST_OK, "%s", msg);
        cr_assert(fabs(ql - q_reference(l, n, t, gamma, omega, g)) <= 1e-9);
        int *single = malloc(n * t * sizeof *single), *one = calloc(n * t, sizeof *one);
        for (size_t u = 0; u < n * t; u++)
            single[u] = (int)u;
        cr_assert_geq(ql, q_reference(l, n, t, gamma, omega, single) - 1e-12);
        cr_assert_geq(ql, q_reference(l, n, t, gamma, omega, one) - 1e-12);
        cr_assert_eq(g[0], 1);
        free(single);
        free(one);
        free(g);
        multislice_free(ms);
        free_layers(l, t);
    }
}

Test(multislice, planted_communities_persist_across_layers)
{
    Rng rng;
    rng_seed(&rng, 4, 0);
    size_t n = 30, t = 6;
    Matrix **l = random_layers(&rng, n, t, 1);
    char msg[STATUS_MSG_LEN];
    Multislice *ms;
    cr_assert_eq(multislice_new(n, t, &ms, msg), ST_OK);
    cr_assert_eq(multislice_build(ms, (const Matrix *const *)l, t, 1.0, 1.0, MOD_SIGN_SYM, msg), ST_OK);
    LouvainOp op;
    multislice_op(ms, &op);
    int *best = malloc(n * t * sizeof *best);
    LouvainSummary sum;
    cr_assert_eq(louvain_run_reps(&op, 0, 3, best, &sum, NULL, NULL, NULL, msg), ST_OK);
    for (size_t s = 0; s < t; s++)
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(best[s * n + i], (int)(i % 3) + 1, "node %zu layer %zu", i, s);
    free(best);
    multislice_free(ms);
    free_layers(l, t);
}

Test(multislice, errors_name_the_layer)
{
    char msg[STATUS_MSG_LEN] = "";
    Matrix *a = mat3(PATH), *z = matrix_new(3, 3), *r = matrix_new(3, 4);
    Multislice *ms;
    cr_assert_eq(multislice_new(3, 2, &ms, msg), ST_OK);
    const Matrix *zl[2] = {a, z};
    cr_assert_eq(multislice_build(ms, zl, 2, 1, 1, MOD_SIGN_SYM, msg), ST_EINVAL);
    cr_assert(strstr(msg, "layer 2") != NULL, "%s", msg);
    cr_assert_eq(multislice_build(ms, zl, 2, 1, 1, MOD_SIGN_NONE, msg), ST_EINVAL);
    const Matrix *rl[2] = {r, a};
    cr_assert_eq(multislice_build(ms, rl, 2, 1, 1, MOD_SIGN_NONE, msg), ST_EINVAL);
    cr_assert(strstr(msg, "layer 1") != NULL, "%s", msg);
    const Matrix *ok[2] = {a, a};
    cr_assert_eq(multislice_build(ms, ok, 1, 1, 1, MOD_SIGN_NONE, msg), ST_EINVAL);
    cr_assert_eq(multislice_build(ms, ok, 2, 1, -1, MOD_SIGN_NONE, msg), ST_EINVAL);
    cr_assert_eq(multislice_build(ms, ok, 2, 1, INFINITY, MOD_SIGN_NONE, msg), ST_EINVAL);
    cr_assert_eq(multislice_build(ms, ok, 2, 1, 1, MOD_SIGN_NONE, msg), ST_OK);
    multislice_free(ms);
    cr_assert_eq(multislice_new(0, 2, &ms, msg), ST_EINVAL);
    cr_assert_null(ms);
    multislice_free(NULL);
    matrix_free(a);
    matrix_free(z);
    matrix_free(r);
}
