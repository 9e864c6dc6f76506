#include <criterion/criterion.h>

#include "neurotop/analysis/flexibility.h"

/* docs/methods.md §10/§11: rows are nodes, columns layers. */
static const int P3[3 * 4] = {1, 1, 2, 2, 1, 1, 1, 1, 2, 1, 2, 2};

Test(flexibility, methods_example)
{
    MultiPartition p = flexibility_partition_nodes(P3, 3, 4);
    double node[3], sys;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(flexibility_compute(&p, node, &sys, msg), ST_OK);
    cr_assert_float_eq(node[0], 1.0 / 3.0, 1e-15);
    cr_assert_float_eq(node[1], 0.0, 1e-15);
    cr_assert_float_eq(node[2], 2.0 / 3.0, 1e-15);
    cr_assert_float_eq(sys, 1.0 / 3.0, 1e-15);
}

Test(flexibility, layer_major_view_gives_the_same)
{
    int t[4 * 3];
    for (size_t i = 0; i < 3; i++)
        for (size_t s = 0; s < 4; s++)
            t[s * 3 + i] = P3[i * 4 + s];
    MultiPartition p = flexibility_partition_layers(t, 3, 4);
    double node[3], sys, a[9];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(flexibility_compute(&p, node, &sys, msg), ST_OK);
    cr_assert_float_eq(node[2], 2.0 / 3.0, 1e-15);
    cr_assert_float_eq(sys, 1.0 / 3.0, 1e-15);
    cr_assert_eq(flexibility_allegiance(&p, a, msg), ST_OK);
    cr_assert_float_eq(a[0 * 3 + 2], 0.75, 1e-15);
}

Test(flexibility, constant_partition_is_zero_and_always_changing_is_one)
{
    enum { N = 5, T = 6 };
    int still[N * T], moving[N * T];
    for (int i = 0; i < N; i++)
        for (int s = 0; s < T; s++) {
            still[i * T + s] = i % 2;
            moving[i * T + s] = s % 2 ? -i : 10 + i; /* every step a new label */
        }
    double node[N], sys;
    char msg[STATUS_MSG_LEN];
    MultiPartition a = flexibility_partition_nodes(still, N, T);
    cr_assert_eq(flexibility_compute(&a, node, &sys, msg), ST_OK);
    cr_assert_eq(sys, 0.0);
    for (int i = 0; i < N; i++)
        cr_assert_eq(node[i], 0.0);
    MultiPartition b = flexibility_partition_nodes(moving, N, T);
    cr_assert_eq(flexibility_compute(&b, node, &sys, msg), ST_OK);
    cr_assert_eq(sys, 1.0);
    for (int i = 0; i < N; i++)
        cr_assert_eq(node[i], 1.0);
}

Test(flexibility, fewer_than_two_layers_is_an_error)
{
    const int one[3] = {1, 2, 3};
    MultiPartition p = flexibility_partition_nodes(one, 3, 1);
    double sys;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(flexibility_compute(&p, NULL, &sys, msg), ST_EINVAL);
    cr_assert(strstr(msg, "2 layers") != NULL, "%s", msg);
    /* Allegiance of a single layer is defined: 0/1 co-membership. */
    double a[9];
    cr_assert_eq(flexibility_allegiance(&p, a, msg), ST_OK);
    cr_assert_eq(a[1], 0.0);
    cr_assert_eq(a[4], 1.0);
}

Test(allegiance, methods_example_symmetric_unit_diagonal)
{
    MultiPartition p = flexibility_partition_nodes(P3, 3, 4);
    double a[9];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(flexibility_allegiance(&p, a, msg), ST_OK);
    const double want[9] = {1, 0.5, 0.75, 0.5, 1, 0.25, 0.75, 0.25, 1};
    for (size_t k = 0; k < 9; k++)
        cr_assert_float_eq(a[k], want[k], 1e-15, "entry %zu", k);
}

Test(allegiance, random_partition_invariants)
{
    enum { N = 17, T = 9 };
    int g[N * T];
    unsigned v = 12345;
    for (size_t k = 0; k < N * T; k++) {
        v = v * 1103515245u + 12345u;
        g[k] = (int)((v >> 16) % 4);
    }
    MultiPartition p = flexibility_partition_nodes(g, N, T);
    double a[N * N];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(flexibility_allegiance(&p, a, msg), ST_OK);
    for (size_t i = 0; i < N; i++) {
        cr_assert_eq(a[i * N + i], 1.0);
        for (size_t j = 0; j < N; j++) {
            cr_assert_eq(a[i * N + j], a[j * N + i]);
            double k = a[i * N + j] * T; /* a whole number of layers */
            cr_assert_float_eq(k, (double)(long)(k + 0.5), 1e-12);
        }
    }
}

Test(allegiance, module_order_groups_by_first_appearance)
{
    const int labels[6] = {5, 3, 5, -1, 3, 5};
    size_t order[6], bounds[7], k = 0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(flexibility_module_order(labels, 6, order, &k, bounds, msg), ST_OK);
    const size_t want[6] = {0, 2, 5, 1, 4, 3};
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(order[i], want[i], "order[%zu] = %zu", i, order[i]);
    cr_assert_eq(k, 3);
    cr_assert_eq(bounds[0], 0);
    cr_assert_eq(bounds[1], 3);
    cr_assert_eq(bounds[2], 5);
    cr_assert_eq(bounds[3], 6);
    cr_assert_eq(flexibility_module_order(labels, 0, order, &k, bounds, msg), ST_EINVAL);
}
