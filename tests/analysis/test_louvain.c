#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/fileio.h"
#include "support/support.h"

static int is_canonical(const int *p, size_t n, size_t k)
{
    int next = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 1 || p[i] > next + 1)
            return 0;
        if (p[i] == next + 1)
            next++;
    }
    return (size_t)next == k;
}

Test(louvain, karate_reaches_041_with_20_reps)
{
    Matrix *b = support_karate_modularity(1.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    int best[34];
    LouvainSummary s;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(louvain_run_reps(&op, 0, 20, best, &s, NULL, NULL, NULL, msg), ST_OK, "%s", msg);
    cr_assert_geq(s.q_best, 0.41);
    cr_assert_leq(s.q_best, 0.4197896120973044 + 1e-12);
    double q;
    cr_assert_eq(modmat_quality(b, best, &q, msg), ST_OK);
    cr_assert(fabs(q - s.q_best) <= 1e-12);
    cr_assert_eq(best[0], 1);
    cr_assert_leq(s.q_min, s.q_mean);
    cr_assert_leq(s.q_mean, s.q_max);
    cr_assert_eq(s.q_max, s.q_best);
    /* keeping every run gives the same best partition and summary */
    double all_q[20];
    int *all = malloc(20 * 34 * sizeof *all), best2[34];
    LouvainSummary s2;
    cr_assert_eq(louvain_run_reps(&op, 0, 20, best2, &s2, all_q, all, NULL, msg), ST_OK);
    cr_assert_arr_eq(best, best2, sizeof best);
    cr_assert_arr_eq(all + s2.best * 34, best, sizeof best);
    cr_assert_eq(s.best, s2.best);
    cr_assert_eq(s.q_mean, s2.q_mean);
    cr_assert_eq(all_q[s2.best], s2.q_best);
    free(all);
    matrix_free(b);
}

Test(louvain, never_worse_than_singletons_or_one_module)
{
    Rng rng;
    rng_seed(&rng, 3, 0);
    char msg[STATUS_MSG_LEN];
    ModSign modes[3] = {MOD_SIGN_NONE, MOD_SIGN_SYM, MOD_SIGN_ASYM};
    for (int trial = 0; trial < 12; trial++) {
        size_t n = 5 + rng_below(&rng, 60);
        Matrix *a = support_planted(&rng, n, 2 + (size_t)trial % 4);
        ModSign mode = modes[trial % 3];
        if (mode == MOD_SIGN_NONE)
            for (size_t i = 0; i < n * n; i++)
                a->data[i] = fabs(a->data[i]);
        double gamma = 0.5 + 0.25 * (trial % 4);
        Matrix *b = matrix_new(n, n);
        cr_assert_eq(modmat_build(a, gamma, mode, b, NULL, msg), ST_OK, "%s", msg);
        LouvainOp op;
        louvain_op_dense(&op, b);
        ModSparse sp;
        modsparse_init(&sp);
        cr_assert_eq(modmat_build_sparse(a, gamma, mode, &sp, NULL, msg), ST_OK, "%s", msg);
        LouvainOp ops[2];
        ops[0] = op;
        louvain_op_sparse(&ops[1], &sp);
        int *p = malloc(n * sizeof *p), *single = malloc(n * sizeof *p), *one = calloc(n, sizeof *p);
        for (size_t i = 0; i < n; i++)
            single[i] = (int)i;
        double qs, q1;
        cr_assert_eq(modmat_quality(b, single, &qs, msg), ST_OK);
        cr_assert_eq(modmat_quality(b, one, &q1, msg), ST_OK);
        for (int o = 0; o < 2; o++) {
            double q, qa;
            size_t k;
            cr_assert_eq(louvain_run(&ops[o], &rng, p, &q, &k, NULL, msg), ST_OK, "%s", msg);
            cr_assert_eq(modmat_quality_direct(a, p, gamma, mode, &qa, msg), ST_OK);
            cr_assert_geq(q, qs - 1e-12, "trial %d op %d", trial, o);
            cr_assert_geq(q, q1 - 1e-12, "trial %d op %d", trial, o);
            cr_assert(fabs(q - qa) <= 1e-9, "trial %d op %d: %.17g vs %.17g", trial, o, q, qa);
            cr_assert(is_canonical(p, n, k), "trial %d op %d", trial, o);
        }
        modsparse_done(&sp);
        free(p);
        free(single);
        free(one);
        matrix_free(b);
        matrix_free(a);
    }
}

Test(louvain, disjoint_cliques_are_found)
{
    size_t n = 12;
    Matrix *a = matrix_new(n, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            MAT_AT(a, i, j) = (i != j && i % 3 == j % 3) ? 1.0 : 0.0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_NONE, a, NULL, msg), ST_OK);
    LouvainOp op;
    louvain_op_dense(&op, a);
    int best[12];
    LouvainSummary s;
    cr_assert_eq(louvain_run_reps(&op, 5, 3, best, &s, NULL, NULL, NULL, msg), ST_OK);
    int exp[12] = {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3};
    cr_assert_arr_eq(best, exp, sizeof exp);
    cr_assert_float_eq(s.q_best, 2.0 / 3.0, 1e-12);
    cr_assert_float_eq(s.q_sd, 0.0, 1e-15);
    matrix_free(a);
}

Test(louvain, deterministic_and_splittable)
{
    Rng rng;
    rng_seed(&rng, 1, 0);
    size_t n = 80, reps = 6;
    Matrix *a = support_planted(&rng, n, 4);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_SYM, a, NULL, msg), ST_OK);
    LouvainOp op;
    louvain_op_dense(&op, a);
    double q1[6], q2[6];
    int *p1 = malloc(reps * n * sizeof(int)), *p2 = malloc(reps * n * sizeof(int));
    cr_assert_eq(louvain_run_range(&op, 42, 0, 0, reps, q1, p1, NULL, msg), ST_OK);
    /* as two workers would: disjoint ranges into the same arrays */
    cr_assert_eq(louvain_run_range(&op, 42, 0, 4, 6, q2, p2, NULL, msg), ST_OK);
    cr_assert_eq(louvain_run_range(&op, 42, 0, 0, 4, q2, p2, NULL, msg), ST_OK);
    cr_assert_arr_eq(q1, q2, sizeof q1);
    cr_assert_arr_eq(p1, p2, reps * n * sizeof(int));
    /* run r is its own stream */
    Rng r3;
    rng_seed(&r3, 42, 3);
    int p3[80];
    double q3;
    cr_assert_eq(louvain_run(&op, &r3, p3, &q3, NULL, NULL, msg), ST_OK);
    cr_assert_eq(q3, q1[3]);
    cr_assert_arr_eq(p3, p1 + 3 * n, sizeof p3);
    /* on a structureless graph, another seed finds other local optima */
    for (size_t i = 0; i < n * n; i++)
        a->data[i] = 2 * rng_uniform(&rng) - 1;
    cr_assert_eq(modmat_build(a, 1.0, MOD_SIGN_SYM, a, NULL, msg), ST_OK);
    cr_assert_eq(louvain_run_range(&op, 42, 0, 0, reps, q1, p1, NULL, msg), ST_OK);
    cr_assert_eq(louvain_run_range(&op, 43, 0, 0, reps, q2, p2, NULL, msg), ST_OK);
    cr_assert(memcmp(q1, q2, sizeof q1) != 0);
    free(p1);
    free(p2);
    matrix_free(a);
}

Test(louvain, summary_keeps_first_best)
{
    double q[5] = {0.3, 0.5, 0.5 + 1e-13, 0.4, 0.5 + 2e-12};
    LouvainSummary s;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(louvain_summarize(q, 4, &s, msg), ST_OK);
    cr_assert_eq(s.best, 1);
    cr_assert_eq(s.q_best, 0.5);
    cr_assert_eq(s.q_min, 0.3);
    cr_assert_eq(s.q_max, 0.5 + 1e-13);
    cr_assert_float_eq(s.q_mean, (1.7 + 1e-13) / 4, 1e-15);
    cr_assert_eq(louvain_summarize(q, 5, &s, msg), ST_OK);
    cr_assert_eq(s.best, 4);
    double two[2] = {1.0, 3.0};
    cr_assert_eq(louvain_summarize(two, 2, &s, msg), ST_OK);
    cr_assert_float_eq(s.q_sd, sqrt(2.0), 1e-15);
    cr_assert_eq(louvain_summarize(two, 0, &s, msg), ST_EINVAL);
}

Test(louvain, cancel_and_argument_errors)
{
    Matrix *b = support_karate_modularity(1.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    int p[34];
    double q;
    char msg[STATUS_MSG_LEN];
    Rng rng;
    rng_seed(&rng, 0, 0);
    volatile int cancel = 1;
    cr_assert_eq(louvain_run(&op, &rng, p, &q, NULL, &cancel, msg), ST_ECANCELED);
    cr_assert_eq(louvain_run(&op, NULL, p, &q, NULL, NULL, msg), ST_EINVAL);
    cr_assert_eq(louvain_run_range(&op, 0, 0, 3, 2, &q, p, NULL, msg), ST_EINVAL);
    LouvainOp empty = {.n = 0};
    cr_assert_eq(louvain_run(&empty, &rng, p, &q, NULL, NULL, msg), ST_EINVAL);
    /* louvain_quality through the operator equals modmat_quality */
    int two[34];
    for (int i = 0; i < 34; i++)
        two[i] = i < 17 ? 4 : -1;
    double q1, q2;
    cr_assert_eq(louvain_quality(&op, two, &q1, msg), ST_OK);
    cr_assert_eq(modmat_quality(b, two, &q2, msg), ST_OK);
    cr_assert(fabs(q1 - q2) < 1e-15);
    matrix_free(b);
}

Test(louvain, gamma_zero_merges_a_connected_graph)
{
    /* with γ = 0, B = W/s ≥ 0: every connected graph ends in one module */
    Matrix *b = support_karate_modularity(0.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    int best[34];
    LouvainSummary s;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(louvain_run_reps(&op, 9, 2, best, &s, NULL, NULL, NULL, msg), ST_OK);
    for (int i = 0; i < 34; i++)
        cr_assert_eq(best[i], 1);
    cr_assert_float_eq(s.q_best, 1.0, 1e-12);
    matrix_free(b);
}

Test(louvain, sparse_operator_is_the_same_b)
{
    Rng rng;
    rng_seed(&rng, 21, 0);
    char msg[STATUS_MSG_LEN];
    ModSparse sp;
    modsparse_init(&sp);
    ModSign modes[3] = {MOD_SIGN_NONE, MOD_SIGN_SYM, MOD_SIGN_ASYM};
    /* larger graph first, then smaller ones: the buffers are reused */
    size_t sizes[3] = {60, 25, 7};
    for (int t = 0; t < 3; t++) {
        size_t n = sizes[t];
        Matrix *a = support_planted(&rng, n, 3);
        for (size_t i = 0; i < n * n; i++) /* sparsify and keep some self-loops */
            if (rng_uniform(&rng) < 0.5)
                a->data[i] = 0;
        MAT_AT(a, 1, 1) = 0.7;
        if (modes[t] == MOD_SIGN_NONE)
            for (size_t i = 0; i < n * n; i++)
                a->data[i] = fabs(a->data[i]);
        Matrix *b = matrix_new(n, n);
        cr_assert_eq(modmat_build(a, 1.3, modes[t], b, NULL, msg), ST_OK);
        cr_assert_eq(modmat_build_sparse(a, 1.3, modes[t], &sp, NULL, msg), ST_OK);
        LouvainOp op;
        louvain_op_sparse(&op, &sp);
        cr_assert_eq(op.rank, modes[t] == MOD_SIGN_NONE ? 1u : 2u);
        /* B_ij from the factors */
        for (size_t i = 0; i < n; i++) {
            LouvainRow r;
            op.row(op.ctx, i, &r);
            double *full = calloc(n, sizeof *full);
            for (size_t e = 0; e < r.len; e++)
                full[r.cols[e]] = r.vals[e];
            cr_assert_eq(r.diag, full[i]);
            for (size_t j = 0; j < n; j++) {
                double v = full[j];
                for (size_t k = 0; k < op.rank; k++)
                    v -= op.sigma[k] * op.x[k][i] * op.x[k][j];
                cr_assert(fabs(v - MAT_AT(b, i, j)) < 1e-15, "B[%zu][%zu]", i, j);
            }
            free(full);
        }
        int p[60];
        for (size_t i = 0; i < n; i++)
            p[i] = (int)rng_below(&rng, 3);
        double q1, q2;
        cr_assert_eq(louvain_quality(&op, p, &q1, msg), ST_OK);
        cr_assert_eq(modmat_quality(b, p, &q2, msg), ST_OK);
        cr_assert(fabs(q1 - q2) < 1e-14);
        matrix_free(b);
        matrix_free(a);
    }
    modsparse_done(&sp);
    modsparse_done(&sp); /* done twice is harmless */
}

Test(louvain, sparse_karate_reaches_041)
{
    Matrix *a = support_karate();
    char msg[STATUS_MSG_LEN];
    ModSparse sp;
    modsparse_init(&sp);
    cr_assert_eq(modmat_build_sparse(a, 1.0, MOD_SIGN_NONE, &sp, NULL, msg), ST_OK);
    cr_assert_eq(sp.nnz, 156);
    LouvainOp op;
    louvain_op_sparse(&op, &sp);
    int best[34];
    LouvainSummary s;
    cr_assert_eq(louvain_run_reps(&op, 0, 20, best, &s, NULL, NULL, NULL, msg), ST_OK);
    cr_assert_geq(s.q_best, 0.41);
    double q;
    cr_assert_eq(modmat_quality_direct(a, best, 1.0, MOD_SIGN_NONE, &q, msg), ST_OK);
    cr_assert(fabs(q - s.q_best) <= 1e-12);
    modsparse_done(&sp);
    matrix_free(a);
}
