#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/rng.h"

/* A 3-2-2-1 network: α (3×2), β (2×2), γ (2×1). */
static const size_t SIZES[4] = {3, 2, 2, 1};
static const float ALPHA[6] = {1, 2, 3, 4, 5, 6};
static const float BETA[4] = {-1, -2, -3, -4};
static const float GAMMA[2] = {7, 8};

static GraphSpec small_spec(GraphBlock *b)
{
    b[0] = (GraphBlock){0, 1, 3, 2, ALPHA, 0};
    b[1] = (GraphBlock){1, 2, 2, 2, BETA, 0};
    b[2] = (GraphBlock){2, 3, 2, 1, GAMMA, 0};
    return (GraphSpec){4, SIZES, 3, b};
}

Test(graph, whole_graph_layout)
{
    GraphBlock b[3];
    GraphSpec spec = small_spec(b);
    WeightGraph *g;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(graph_new(&spec, GRAPH_ALL, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->adj->rows, 8);
    int lay[8] = {0, 0, 0, 1, 1, 2, 2, 3}, unit[8] = {0, 1, 2, 0, 1, 0, 1, 0};
    cr_assert_arr_eq(g->layer, lay, sizeof lay);
    cr_assert_arr_eq(g->unit, unit, sizeof unit);
    cr_assert_eq(MAT_AT(g->adj, 0, 3), 1);
    cr_assert_eq(MAT_AT(g->adj, 2, 4), 6);
    cr_assert_eq(MAT_AT(g->adj, 4, 2), 6);
    cr_assert_eq(MAT_AT(g->adj, 3, 6), -2);
    cr_assert_eq(MAT_AT(g->adj, 6, 7), 8);
    double sum = 0;
    for (size_t i = 0; i < 8; i++) {
        cr_assert_eq(MAT_AT(g->adj, i, i), 0);
        for (size_t j = 0; j < 8; j++) {
            cr_assert_eq(MAT_AT(g->adj, i, j), MAT_AT(g->adj, j, i));
            sum += MAT_AT(g->adj, i, j);
        }
    }
    cr_assert_float_eq(sum, 2 * (21 - 10 + 15), 1e-12);
    graph_free(g);
}

Test(graph, hidden_subgraph_and_single_block)
{
    GraphBlock b[3];
    GraphSpec spec = small_spec(b);
    char msg[STATUS_MSG_LEN];
    size_t n;
    cr_assert_eq(graph_count_nodes(&spec, GRAPH_ALL & ~GRAPH_LAYER(0), &n, msg), ST_OK);
    cr_assert_eq(n, 5);
    WeightGraph *g;
    cr_assert_eq(graph_new(&spec, GRAPH_ALL & ~GRAPH_LAYER(0), &g, msg), ST_OK);
    int lay[5] = {1, 1, 2, 2, 3};
    cr_assert_arr_eq(g->layer, lay, sizeof lay);
    cr_assert_eq(MAT_AT(g->adj, 0, 2), -1); /* β survives, α is gone */
    cr_assert_eq(MAT_AT(g->adj, 4, 3), 8);
    cr_assert_eq(MAT_AT(g->adj, 0, 1), 0);
    graph_free(g);
    cr_assert_eq(graph_new_block(&spec, 1, &g, msg), ST_OK);
    cr_assert_eq(g->adj->rows, 4);
    int lay2[4] = {1, 1, 2, 2}, unit2[4] = {0, 1, 0, 1};
    cr_assert_arr_eq(g->layer, lay2, sizeof lay2);
    cr_assert_arr_eq(g->unit, unit2, sizeof unit2);
    cr_assert_eq(MAT_AT(g->adj, 1, 3), -4);
    cr_assert_eq(MAT_AT(g->adj, 3, 1), -4);
    graph_free(g);
    /* a within-layer block is averaged with its transpose, diagonal dropped */
    const float rec[4] = {9, 1, 3, 9};
    GraphBlock wb[1] = {{1, 1, 2, 2, rec, 0}};
    GraphSpec ws = {4, SIZES, 1, wb};
    cr_assert_eq(graph_new_block(&ws, 0, &g, msg), ST_OK);
    cr_assert_eq(g->adj->rows, 2);
    cr_assert_eq(MAT_AT(g->adj, 0, 1), 2);
    cr_assert_eq(MAT_AT(g->adj, 1, 0), 2);
    cr_assert_eq(MAT_AT(g->adj, 0, 0), 0);
    graph_free(g);
}

Test(graph, mlp_node_order_784_100_100_10)
{
    const size_t sizes[4] = {784, 100, 100, 10};
    Rng rng;
    rng_seed(&rng, 1, 0);
    float *w[3];
    GraphBlock b[3];
    for (size_t l = 0; l < 3; l++) {
        size_t cnt = sizes[l] * sizes[l + 1];
        w[l] = malloc(cnt * sizeof *w[l]);
        for (size_t i = 0; i < cnt; i++)
            w[l][i] = (float)(2 * rng_uniform(&rng) - 1);
        b[l] = (GraphBlock){l, l + 1, sizes[l], sizes[l + 1], w[l], 0};
    }
    GraphSpec spec = {4, sizes, 3, b};
    Matrix *adj = matrix_new(994, 994);
    int layer[994];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(graph_fill(&spec, GRAPH_ALL, adj, layer, NULL, msg), ST_OK);
    cr_assert_eq(layer[783], 0);
    cr_assert_eq(layer[784], 1);
    cr_assert_eq(layer[883], 1);
    cr_assert_eq(layer[884], 2);
    cr_assert_eq(layer[983], 2);
    cr_assert_eq(layer[984], 3);
    cr_assert_eq(MAT_AT(adj, 5, 784 + 7), (double)w[0][5 * 100 + 7]);
    cr_assert_eq(MAT_AT(adj, 884 + 99, 984 + 9), (double)w[2][99 * 10 + 9]);
    cr_assert_eq(MAT_AT(adj, 984 + 9, 884 + 99), (double)w[2][99 * 10 + 9]);
    cr_assert_eq(MAT_AT(adj, 5, 884), 0); /* input and HL2 are not joined */
    /* refilling the same buffer gives the same graph (no accumulation) */
    cr_assert_eq(graph_fill(&spec, GRAPH_ALL, adj, NULL, NULL, msg), ST_OK);
    cr_assert_eq(MAT_AT(adj, 5, 784 + 7), (double)w[0][5 * 100 + 7]);
    matrix_free(adj);
    for (int l = 0; l < 3; l++)
        free(w[l]);
}

Test(graph, errors)
{
    GraphBlock b[3];
    GraphSpec spec = small_spec(b);
    char msg[STATUS_MSG_LEN];
    size_t n;
    WeightGraph *g = NULL;
    cr_assert_eq(graph_count_nodes(&spec, 0, &n, msg), ST_EINVAL);
    Matrix *small = matrix_new(7, 7);
    cr_assert_eq(graph_fill(&spec, GRAPH_ALL, small, NULL, NULL, msg), ST_EINVAL);
    b[1].rows = 3;
    cr_assert_eq(graph_new(&spec, GRAPH_ALL, &g, msg), ST_EINVAL);
    cr_assert(strstr(msg, "block 1") != NULL, "%s", msg);
    cr_assert_null(g);
    b[1].rows = 2;
    b[2].to = 4;
    cr_assert_eq(graph_new(&spec, GRAPH_ALL, &g, msg), ST_EINVAL);
    b[2].to = 3;
    float bad[2] = {1, NAN};
    b[2].w = bad;
    cr_assert_eq(graph_new(&spec, GRAPH_ALL, &g, msg), ST_EINVAL);
    cr_assert(strstr(msg, "finite") != NULL, "%s", msg);
    /* a block outside the selection is not read */
    cr_assert_eq(graph_new(&spec, GRAPH_LAYER(0) | GRAPH_LAYER(1), &g, msg), ST_OK);
    graph_free(g);
    cr_assert_eq(graph_new_block(&spec, 3, &g, msg), ST_EINVAL);
    graph_free(NULL);
    matrix_free(small);
}

/* A random layered spec: 3–5 layers of 1–9 units, the feed-forward blocks,
 * sometimes a second block on the same pair, a within-layer block and a
 * view of a wider matrix; a third of the weights 0. */
static GraphSpec random_spec(Rng *r, size_t *sizes, GraphBlock *b, float *pool)
{
    size_t n_layers = 3 + (size_t)rng_below(r, 3), nb = 0, used = 0;
    for (size_t l = 0; l < n_layers; l++)
        sizes[l] = 1 + (size_t)rng_below(r, 9);
    for (size_t l = 0; l < n_layers; l++) {
        size_t kinds = 1 + (size_t)rng_below(r, 3);
        for (size_t k = 0; k < kinds; k++) {
            size_t from = l, to = k == 2 || l + 1 == n_layers ? l : l + 1;
            size_t ld = sizes[to] + (k == 1 ? 2 : 0);
            float *w = pool + used;
            for (size_t e = 0; e < sizes[from] * ld; e++)
                w[e] = rng_below(r, 3) == 0 ? 0.0f : (float)rng_normal(r);
            used += sizes[from] * ld;
            b[nb++] = (GraphBlock){from, to, sizes[from], sizes[to], w, ld};
        }
    }
    return (GraphSpec){n_layers, sizes, nb, b};
}

/* The row form gives the very B the dense form gives, bit for bit: same
 * edges, same values, same strengths; so the live Q (built from rows) and
 * the analyses (built from the dense adjacency) agree exactly. */
Test(graph, rows_build_the_same_sparse_b_as_the_dense_adjacency)
{
    Rng r;
    rng_seed(&r, 17, 0);
    char msg[STATUS_MSG_LEN];
    static float pool[5 * 3 * 9 * 11];
    for (int trial = 0; trial < 200; trial++) {
        size_t sizes[5];
        GraphBlock b[15];
        GraphSpec spec = random_spec(&r, sizes, b, pool);
        uint32_t mask = trial % 3 == 0 ? GRAPH_ALL & ~GRAPH_LAYER(0) : GRAPH_ALL;
        WeightGraph *g = NULL;
        cr_assert_eq(graph_new(&spec, mask, &g, msg), ST_OK, "%s", msg);
        size_t n = g->adj->rows;
        GraphRows rows;
        int layer[45], unit[45];
        cr_assert_eq(graph_rows_init(&rows, &spec, mask, layer, unit, msg), ST_OK, "%s", msg);
        cr_assert_eq(rows.n, n);
        cr_assert_arr_eq(layer, g->layer, n * sizeof *layer);
        cr_assert_arr_eq(unit, g->unit, n * sizeof *unit);
        ModSparse dense, sparse;
        modsparse_init(&dense);
        modsparse_init(&sparse);
        ModSign mode = (ModSign)(trial % 2 ? MOD_SIGN_ASYM : MOD_SIGN_SYM);
        Status sd = modmat_build_sparse(g->adj, 1.0, mode, &dense, NULL, msg);
        Status sr = modmat_build_sparse_rows(n, rows.max_row, rows.nnz_bound, graph_rows_next, &rows, 1.0,
                                             mode, &sparse, NULL, msg);
        cr_assert_eq(sr, sd, "trial %d", trial);
        if (sd == ST_OK) {
            cr_assert_eq(sparse.nnz, dense.nnz, "trial %d", trial);
            cr_assert(sparse.nnz <= rows.nnz_bound);
            cr_assert_arr_eq(sparse.ptr, dense.ptr, (n + 1) * sizeof *sparse.ptr);
            cr_assert_arr_eq(sparse.col, dense.col, dense.nnz * sizeof *sparse.col);
            cr_assert_arr_eq(sparse.val, dense.val, dense.nnz * sizeof *sparse.val);
            cr_assert_arr_eq(sparse.kp, dense.kp, n * sizeof *sparse.kp);
            cr_assert_arr_eq(sparse.kn, dense.kn, n * sizeof *sparse.kn);
            cr_assert_eq(sparse.gp, dense.gp);
            cr_assert_eq(sparse.gn, dense.gn);
        }
        for (size_t i = 0; i < n; i++)
            cr_assert(sd != ST_OK || dense.ptr[i + 1] - dense.ptr[i] <= rows.max_row);
        modsparse_done(&dense);
        modsparse_done(&sparse);
        graph_rows_done(&rows);
        graph_free(g);
    }
}

Test(graph, rows_report_a_bad_weight_as_the_dense_form_does)
{
    GraphBlock b[3];
    GraphSpec spec = small_spec(b);
    float bad[4] = {-1, -2, INFINITY, -4};
    b[1].w = bad;
    char msg[STATUS_MSG_LEN], dense[STATUS_MSG_LEN];
    WeightGraph *g = NULL;
    cr_assert_eq(graph_new(&spec, GRAPH_ALL, &g, dense), ST_EINVAL);
    GraphRows rows;
    cr_assert_eq(graph_rows_init(&rows, &spec, GRAPH_ALL, NULL, NULL, msg), ST_EINVAL);
    cr_assert_str_eq(msg, dense);
    cr_assert_str_eq(msg, "block 1 has a non-finite weight at (1, 0)");
    graph_rows_done(&rows);
    /* outside the selection it is not read */
    cr_assert_eq(graph_rows_init(&rows, &spec, GRAPH_LAYER(2) | GRAPH_LAYER(3), NULL, NULL, msg), ST_OK);
    cr_assert_eq(rows.n, 3);
    size_t col[3];
    double val[3];
    size_t cnt;
    cr_assert_eq(graph_rows_next(&rows, 2, col, val, &cnt, msg), ST_OK);
    cr_assert_eq(cnt, 2, "the output unit meets both HL2 units");
    cr_assert_eq(col[0], 0);
    cr_assert_eq(val[0], 7);
    cr_assert_eq(val[1], 8);
    graph_rows_done(&rows);
    graph_rows_done(NULL);
}
