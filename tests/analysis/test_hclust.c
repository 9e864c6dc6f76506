/* Average-linkage clustering (analysis/hclust.c): merge heights by hand,
 * obviously separate groups recovered, cut, leaf order, dendrogram. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/hclust.h"

static char msg[STATUS_MSG_LEN];

static void line_distances(const double *x, size_t n, double *d)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            d[i * n + j] = fabs(x[i] - x[j]);
}

/* Points 0, 1, 4 and 10 on a line. By hand: {0,1} at 1; then {0,1}–4 is
 * the mean of 4 and 3 = 3.5, 4–10 is 6: {0,1,4} at 3.5; then 10 against
 * {0,1,4} is the mean of 10, 9 and 6 = 25/3. */
Test(hclust, average_linkage_heights_by_hand)
{
    const double x[4] = {0, 1, 4, 10};
    double d[16];
    line_distances(x, 4, d);
    HclustMerge m[3];
    cr_assert_eq(hclust_average(d, 4, m, msg), ST_OK, "%s", msg);
    cr_expect_eq(m[0].a, 0);
    cr_expect_eq(m[0].b, 1);
    cr_expect_float_eq(m[0].height, 1.0, 1e-12);
    cr_expect_eq(m[1].a, 4, "the new cluster is node n + 0");
    cr_expect_eq(m[1].b, 2);
    cr_expect_float_eq(m[1].height, 3.5, 1e-12);
    cr_expect_float_eq(m[2].height, 25.0 / 3.0, 1e-12);
    cr_expect_eq(m[2].size, 4);
    int label[4];
    hclust_cut(m, 4, 2, label);
    const int want[4] = {0, 0, 0, 1};
    cr_expect_arr_eq(label, want, sizeof want);
    size_t order[4];
    hclust_leaf_order(m, 4, order);
    const size_t want_order[4] = {0, 1, 2, 3};
    cr_expect_arr_eq(order, want_order, sizeof want_order);
}

/* Three tight groups far apart, items interleaved: cut into 3, each
 * group is one cluster, numbered by its first item. */
Test(hclust, recovers_obviously_separate_groups)
{
    enum { N = 12 };
    double x[N], d[N * N];
    int truth[N];
    for (int i = 0; i < N; i++) {
        truth[i] = i % 3;
        x[i] = 100.0 * truth[i] + 0.1 * i;
    }
    line_distances(x, N, d);
    HclustMerge m[N - 1];
    cr_assert_eq(hclust_average(d, N, m, msg), ST_OK, "%s", msg);
    int label[N];
    hclust_cut(m, N, 3, label);
    for (int i = 0; i < N; i++)
        cr_expect_eq(label[i], truth[i], "item %d in group %d, expected %d", i, label[i], truth[i]);
    hclust_cut(m, N, 1, label);
    for (int i = 0; i < N; i++)
        cr_expect_eq(label[i], 0);
    hclust_cut(m, N, N, label);
    for (int i = 0; i < N; i++)
        cr_expect_eq(label[i], i, "a cut into N leaves every item alone");
    StrBuf b;
    strbuf_init(&b);
    hclust_cut(m, N, 3, label);
    hclust_dendrogram(m, N, 3, label, 30, &b);
    const char *t = strbuf_cstr(&b);
    cr_expect(strstr(t, "G1 (4)") && strstr(t, "G2 (4)") && strstr(t, "G3 (4)"), "%s", t);
    int lines = 0;
    for (const char *p = t; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 4, "one line per group and the scale:\n%s", t);
    strbuf_done(&b);
}

Test(hclust, rejects_bad_distances)
{
    double d[4] = {0, 1, 2, 0};
    HclustMerge m[1];
    cr_expect_eq(hclust_average(d, 2, m, msg), ST_EINVAL, "asymmetric");
    d[2] = NAN;
    d[1] = NAN;
    cr_expect_eq(hclust_average(d, 2, m, msg), ST_EINVAL, "not finite");
    cr_expect_eq(hclust_average(d, 0, m, msg), ST_EINVAL);
    double one = 0;
    cr_expect_eq(hclust_average(&one, 1, m, msg), ST_OK, "one item: no merge");
}
