#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/forest.h"
#include "neurotop/core/rng.h"

/* Six samples worked by hand with the Gini proxy Σc_L²/n_L + Σc_R²/n_R:
 *   A(1,0)→0 B(2,0)→0 C(3,1)→1 D(4,1)→1 E(5,0)→1 F(6,1)→0
 * root: x0 <= 2.5 scores 2 + 10/4 = 4.5, better than x0 <= 1.5 (3.6),
 * 3.5 (3.33), 4.5 (3), 5.5 (3.6) and x1 <= 0.5 (3.33). Its right child
 * {C,D,E,F}: x0 <= 5.5 scores 3 + 1 = 4 against 2.67, 3 and x1's 2.67. */
Test(forest, single_tree_matches_hand_built_tree)
{
    float x[12] = {1, 0, 2, 0, 3, 1, 4, 1, 5, 0, 6, 1};
    int y[6] = {0, 0, 1, 1, 1, 0};
    ForestOptions o = forest_options_default();
    o.n_trees = 1;
    o.bootstrap = 0;
    o.max_features = 2;
    Forest *f = NULL;
    char msg[512];
    cr_assert_eq(forest_train(x, 6, 2, y, 2, &o, &f, msg), ST_OK, "%s", msg);
    size_t count;
    const ForestNode *nd = forest_tree_nodes(f, 0, &count);
    const float *pr = forest_tree_proba(f, 0);
    cr_assert_eq(count, 5);
    cr_assert_eq(nd[0].feature, 0);
    cr_assert_float_eq(nd[0].threshold, 2.5f, 0);
    const ForestNode *l = &nd[nd[0].left], *r = &nd[nd[0].right];
    cr_assert_eq(l->feature, -1);
    cr_assert_eq(pr[l->leaf * 2], 1.0f);
    cr_assert_eq(r->feature, 0);
    cr_assert_float_eq(r->threshold, 5.5f, 0);
    const ForestNode *rl = &nd[r->left], *rr = &nd[r->right];
    cr_assert_eq(rl->feature, -1);
    cr_assert_eq(rr->feature, -1);
    cr_assert_eq(pr[rl->leaf * 2 + 1], 1.0f);
    cr_assert_eq(pr[rr->leaf * 2], 1.0f);
    double p[2];
    float q[2] = {5.4f, 0};
    forest_predict(f, q, p);
    cr_assert_eq(p[1], 1.0);
    forest_free(f);
}

static void blobs(Rng *rng, size_t n, float *x, int *y)
{
    for (size_t i = 0; i < n; i++) {
        int c = (int)(i % 3);
        y[i] = c;
        for (size_t j = 0; j < 5; j++)
            x[i * 5 + j] = (float)(rng_normal(rng) + (j == (size_t)c ? 10.0 : 0.0));
    }
}

Test(forest, separable_data_is_separated)
{
    enum { N = 300 };
    float x[N * 5], t[N * 5];
    int y[N], yt[N];
    Rng rng;
    rng_seed(&rng, 9, 0);
    blobs(&rng, N, x, y);
    blobs(&rng, N, t, yt);
    ForestOptions o = forest_options_default();
    o.n_trees = 30;
    o.seed = 2;
    Forest *f = NULL;
    char msg[512];
    cr_assert_eq(forest_train(x, N, 5, y, 3, &o, &f, msg), ST_OK);
    /* held-out points: every one classified right, confidently on average
     * (a tree that split on noise first may still send a point astray) */
    double mean = 0;
    for (size_t i = 0; i < N; i++) {
        double p[3];
        forest_predict(f, t + i * 5, p);
        cr_assert_float_eq(p[0] + p[1] + p[2], 1.0, 1e-9);
        for (int c = 0; c < 3; c++)
            cr_assert(c == yt[i] || p[yt[i]] > p[c], "sample %zu: p = %f", i, p[yt[i]]);
        mean += p[yt[i]] / N;
    }
    cr_assert(mean > 0.95, "mean p %f", mean);
    forest_free(f);
}

Test(forest, seeded_and_balanced)
{
    /* 60 samples of class 0, 6 of class 1, overlapping: balancing moves
     * probability towards the rare class; the same seed repeats exactly. */
    enum { N = 66 };
    float x[N * 2];
    int y[N];
    Rng rng;
    rng_seed(&rng, 1, 0);
    for (size_t i = 0; i < N; i++) {
        y[i] = i < 60 ? 0 : 1;
        x[2 * i] = (float)(rng_normal(&rng) + (y[i] ? 1.0 : 0.0));
        x[2 * i + 1] = (float)rng_normal(&rng);
    }
    ForestOptions o = forest_options_default();
    o.n_trees = 50;
    o.seed = 7;
    o.min_leaf = 5;
    Forest *a = NULL, *b = NULL, *c = NULL;
    char msg[512];
    cr_assert_eq(forest_train(x, N, 2, y, 2, &o, &a, msg), ST_OK);
    cr_assert_eq(forest_train(x, N, 2, y, 2, &o, &b, msg), ST_OK);
    o.balance = 1;
    cr_assert_eq(forest_train(x, N, 2, y, 2, &o, &c, msg), ST_OK);
    double mean_a = 0, mean_c = 0;
    for (size_t i = 0; i < N; i++) {
        double pa[2], pb[2], pc[2];
        forest_predict(a, x + 2 * i, pa);
        forest_predict(b, x + 2 * i, pb);
        forest_predict(c, x + 2 * i, pc);
        cr_assert_eq(pa[1], pb[1]);
        mean_a += pa[1] / N;
        mean_c += pc[1] / N;
    }
    cr_assert(mean_c > mean_a + 0.1, "balanced %f vs %f", mean_c, mean_a);
    forest_free(a);
    forest_free(b);
    forest_free(c);
}

Test(forest, quantile_bins_still_separate)
{
    /* 2,000 distinct values, 16 bins: threshold 1000.5 is not a candidate
     * but the nearest quantile midpoint still splits the classes cleanly. */
    enum { N = 2000 };
    float *x = malloc(N * sizeof *x);
    int *y = malloc(N * sizeof *y);
    for (size_t i = 0; i < N; i++) {
        x[i] = (float)i;
        y[i] = i >= 1000;
    }
    ForestOptions o = forest_options_default();
    o.n_trees = 1;
    o.bootstrap = 0;
    o.max_bins = 16;
    Forest *f = NULL;
    char msg[512];
    cr_assert_eq(forest_train(x, N, 1, y, 2, &o, &f, msg), ST_OK);
    size_t count;
    const ForestNode *nd = forest_tree_nodes(f, 0, &count);
    cr_assert_eq(nd[0].feature, 0);
    cr_assert_float_eq(nd[0].threshold, 999.5f, 0);
    forest_free(f);
    free(x);
    free(y);
}

Test(forest, bad_input)
{
    float x[2] = {0, NAN};
    int y[2] = {0, 1};
    Forest *f = NULL;
    char msg[512];
    cr_assert_eq(forest_train(x, 2, 1, y, 2, NULL, &f, msg), ST_EINVAL);
    cr_assert(strstr(msg, "not finite") != NULL, "%s", msg);
    x[1] = 1;
    y[1] = 2;
    cr_assert_eq(forest_train(x, 2, 1, y, 2, NULL, &f, msg), ST_EINVAL);
    cr_assert_null(f);
    forest_free(NULL);
}
