#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/mapper.h"
#include "neurotop/core/rng.h"

static MapperParams single(size_t intervals, double overlap, double eps)
{
    return (MapperParams){.intervals = intervals, .overlap = overlap, .cluster = MAPPER_CLUSTER_SINGLE, .eps = eps};
}

/* Number of vertices of degree deg. */
static size_t count_degree(const MapperGraph *g, size_t deg)
{
    size_t c = 0;
    for (size_t v = 0; v < g->n_vertices; v++) {
        size_t k = 0;
        for (size_t e = 0; e < g->n_edges; e++)
            k += g->edges[e].a == v || g->edges[e].b == v;
        c += k == deg;
    }
    return c;
}

Test(mapper, cover_n4_p025_by_hand)
{
    /* L = 1/(4 - 3·0.25) = 4/13, step L·0.75 = 3/13:
     * [0, 4/13], [3/13, 7/13], [6/13, 10/13], [9/13, 1]; each shared part is
     * 1/13 = 0.25·L. */
    const double want[4][2] = {{0, 4.0 / 13}, {3.0 / 13, 7.0 / 13}, {6.0 / 13, 10.0 / 13}, {9.0 / 13, 1}};
    char msg[STATUS_MSG_LEN];
    double s[4], e[4];
    for (size_t k = 0; k < 4; k++) {
        cr_assert_eq(mapper_cover_interval(0, 1, 4, 0.25, k, &s[k], &e[k], msg), ST_OK, "%s", msg);
        cr_assert_float_eq(s[k], want[k][0], 1e-15, "start %zu: %.17g", k, s[k]);
        cr_assert_float_eq(e[k], want[k][1], 1e-15, "end %zu: %.17g", k, e[k]);
    }
    for (size_t k = 0; k + 1 < 4; k++)
        cr_assert_float_eq((e[k] - s[k + 1]) / (e[k] - s[k]), 0.25, 1e-12);
}

Test(mapper, cover_overlap_is_exactly_p_and_covers_the_range)
{
    Rng r;
    rng_seed(&r, 15, 0);
    char msg[STATUS_MSG_LEN];
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)rng_below(&r, 40);
        double p = rng_uniform(&r) * 0.95, lo = rng_normal(&r) * 10, hi = lo + rng_uniform(&r) * 100 + 1e-3;
        double s0, e0, s1, e1, first, last;
        cr_assert_eq(mapper_cover_interval(lo, hi, n, p, 0, &first, &e0, msg), ST_OK);
        cr_assert_eq(mapper_cover_interval(lo, hi, n, p, n - 1, &s0, &last, msg), ST_OK);
        cr_assert_eq(first, lo);
        cr_assert_eq(last, hi);
        for (size_t k = 0; k + 1 < n; k++) {
            cr_assert_eq(mapper_cover_interval(lo, hi, n, p, k, &s0, &e0, msg), ST_OK);
            cr_assert_eq(mapper_cover_interval(lo, hi, n, p, k + 1, &s1, &e1, msg), ST_OK);
            double len = e0 - s0;
            cr_assert_float_eq(e0 - s1, p * len, 1e-9 * (hi - lo), "n %zu p %g k %zu", n, p, k);
            cr_assert_float_eq(len, (hi - lo) / ((double)n - (double)(n - 1) * p), 1e-9 * (hi - lo));
        }
    }
    /* every point of a random cloud lies in some cube: single linkage leaves none out */
    double x[300];
    for (size_t i = 0; i < 300; i++)
        x[i] = floor(rng_uniform(&r) * 50) / 7;
    for (size_t n = 1; n < 30; n += 4)
        for (double p = 0; p < 0.9; p += 0.2) {
            MapperGraph *g = NULL;
            MapperParams mp = single(n, p, 0.01);
            cr_assert_eq(mapper_run(x, 300, 1, x, 1, NULL, &mp, &g, msg), ST_OK, "%s", msg);
            cr_assert_eq(g->unclustered, 0);
            mapper_graph_free(g);
        }
}

Test(mapper, points_on_a_line_make_a_path)
{
    /* x = 0..9, N = 3, p = 0.5: L = 4.5, pre-images {0..4}, {3..6}, {5..9}. */
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = i;
    MapperParams p = single(3, 0.5, 1.5);
    MapperGraph *g = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_run(x, 10, 1, x, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 3);
    cr_assert_eq(g->vertices[0].size, 5);
    cr_assert_eq(g->vertices[1].size, 4);
    cr_assert_eq(g->vertices[2].size, 5);
    cr_assert_eq(g->vertices[1].members[0], 3);
    cr_assert_float_eq(g->vertices[1].mean_filter[0], 4.5, 1e-12);
    cr_assert_float_eq(g->vertices[2].mean_time, 7.0, 1e-12);
    cr_assert_eq(g->n_edges, 2);
    cr_assert_eq(g->edges[0].a, 0);
    cr_assert_eq(g->edges[0].b, 1);
    cr_assert_eq(g->edges[0].shared, 2);
    cr_assert_eq(g->edges[1].a, 1);
    cr_assert_eq(g->edges[1].b, 2);
    cr_assert_eq(g->edges[1].shared, 2);
    cr_assert_eq(g->components, 1);
    cr_assert_eq(g->cycles, 0);
    mapper_graph_free(g);
}

Test(mapper, two_separated_blobs_make_two_components)
{
    double pts[12] = {0, 0, 0.1, 0, 0.2, 0.1, 10, 0, 10.1, 0.1, 10.2, 0};
    double f[6];
    char msg[STATUS_MSG_LEN];
    for (int i = 0; i < 6; i++)
        f[i] = pts[2 * i];
    for (size_t n = 1; n <= 4; n += 3) {
        MapperParams p = single(n, 0.25, 1.0);
        MapperGraph *g = NULL;
        cr_assert_eq(mapper_run(pts, 6, 2, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
        cr_assert_eq(g->n_vertices, 2, "N = %zu", n);
        cr_assert_eq(g->n_edges, 0);
        cr_assert_eq(g->components, 2);
        cr_assert_eq(g->cycles, 0);
        mapper_graph_free(g);
    }
}

Test(mapper, y_shape_is_a_tree_with_one_branching_vertex)
{
    /* Stem from (0, -10) to the centre (0, 0), two arms at ±45° from there,
     * points 0.5 apart; filter = distance from the stem's far end. */
    double pts[2 * 61], f[61];
    size_t n = 0;
    for (int i = 0; i <= 20; i++, n++) {
        pts[2 * n] = 0;
        pts[2 * n + 1] = -10 + 0.5 * i;
    }
    for (int arm = -1; arm <= 1; arm += 2)
        for (int i = 1; i <= 20; i++, n++) {
            double t = 0.5 * i;
            pts[2 * n] = arm * t / sqrt(2.0);
            pts[2 * n + 1] = t / sqrt(2.0);
        }
    for (size_t i = 0; i < n; i++)
        f[i] = hypot(pts[2 * i], pts[2 * i + 1] + 10);
    MapperParams p = single(8, 0.25, 0.8);
    MapperGraph *g = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_run(pts, n, 2, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->components, 1);
    cr_assert_eq(g->cycles, 0);
    cr_assert_eq(count_degree(g, 3), 1, "one branching vertex");
    cr_assert_eq(count_degree(g, 1), 3, "three leaves");
    cr_assert_eq(count_degree(g, 1) + count_degree(g, 2) + count_degree(g, 3), g->n_vertices);
    mapper_graph_free(g);
}

Test(mapper, circle_has_one_cycle)
{
    double pts[80], f[40];
    for (int i = 0; i < 40; i++) {
        pts[2 * i] = cos(2 * M_PI * i / 40);
        pts[2 * i + 1] = sin(2 * M_PI * i / 40);
        f[i] = pts[2 * i];
    }
    MapperParams p = single(4, 0.3, 0.3);
    MapperGraph *g = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_run(pts, 40, 2, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 6);
    cr_assert_eq(g->n_edges, 6);
    cr_assert_eq(g->components, 1);
    cr_assert_eq(g->cycles, 1);
    mapper_graph_free(g);
}

Test(mapper, dbscan_splits_a_bridge_that_single_linkage_follows)
{
    /* 0 1 2 . . . . 7 . . . . 12 13 14 with eps = 5: single linkage chains
     * everything; with min_samples 4 only 2 and 12 are core points, 7 is a
     * border point at distance 5 from both and goes to the smaller index. */
    double x[7] = {0, 1, 2, 7, 12, 13, 14}, f[7] = {0};
    MapperParams p = single(3, 0.5, 5);
    MapperGraph *g = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_run(x, 7, 1, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 1, "a filter of zero range has one interval");
    cr_assert_eq(g->vertices[0].size, 7);
    mapper_graph_free(g);
    p.cluster = MAPPER_CLUSTER_DBSCAN;
    p.min_samples = 4;
    cr_assert_eq(mapper_run(x, 7, 1, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 2);
    cr_assert_eq(g->vertices[0].size, 4);
    cr_assert_eq(g->vertices[0].members[3], 3);
    cr_assert_eq(g->vertices[1].size, 3);
    cr_assert_eq(g->vertices[1].members[0], 4);
    cr_assert_eq(g->unclustered, 0);
    mapper_graph_free(g);
    /* min_samples 1: every point is a core point, DBSCAN = single linkage */
    p.min_samples = 1;
    cr_assert_eq(mapper_run(x, 7, 1, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 1);
    mapper_graph_free(g);
    /* an outlier is noise for DBSCAN, its own cluster for single linkage */
    double y[4] = {0, 0.1, 0.2, 5}, fy[4] = {0};
    p = (MapperParams){.intervals = 1, .overlap = 0, .cluster = MAPPER_CLUSTER_DBSCAN, .eps = 0.5, .min_samples = 2};
    cr_assert_eq(mapper_run(y, 4, 1, fy, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 1);
    cr_assert_eq(g->unclustered, 1);
    mapper_graph_free(g);
    p.cluster = MAPPER_CLUSTER_SINGLE;
    cr_assert_eq(mapper_run(y, 4, 1, fy, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
    cr_assert_eq(g->n_vertices, 2);
    cr_assert_eq(g->unclustered, 0);
    mapper_graph_free(g);
}

/* Components of the eps-graph by depth-first search over all pairs. */
static size_t brute_components(const double *x, size_t n, size_t d, double eps, int *comp)
{
    size_t c = 0, *stack = malloc(n * sizeof *stack);
    for (size_t i = 0; i < n; i++)
        comp[i] = -1;
    for (size_t s = 0; s < n; s++) {
        if (comp[s] >= 0)
            continue;
        size_t top = 0;
        stack[top++] = s;
        comp[s] = (int)c;
        while (top) {
            size_t u = stack[--top];
            for (size_t v = 0; v < n; v++) {
                double q = 0;
                for (size_t j = 0; j < d; j++)
                    q += (x[u * d + j] - x[v * d + j]) * (x[u * d + j] - x[v * d + j]);
                if (comp[v] < 0 && q <= eps * eps) {
                    comp[v] = (int)c;
                    stack[top++] = v;
                }
            }
        }
        c++;
    }
    free(stack);
    return c;
}

/* Both the low-dimensional path (as many screening directions as
 * coordinates) and the high-dimensional one (screening on a few principal
 * directions), on uniform clouds and on random walks whose consecutive
 * points are joined first. */
Test(mapper, single_linkage_matches_brute_force)
{
    enum { N = 150, DMAX = 12 };
    static double x[N * DMAX];
    double f[N] = {0};
    int comp[N], vert[N];
    Rng r;
    rng_seed(&r, 3, 0);
    char msg[STATUS_MSG_LEN];
    for (int trial = 0; trial < 20; trial++) {
        size_t d = trial % 2 ? DMAX : 3;
        int walk = trial % 4 >= 2;
        for (size_t i = 0; i < N * d; i++)
            x[i] = walk ? (i >= d ? x[i - d] : 0.0) + 0.3 * rng_normal(&r) : rng_uniform(&r) * 4;
        /* scales where the component count runs from many to few */
        double scale = walk ? 0.3 * sqrt((double)d) : (d == 3 ? 0.5 : 4.0);
        double eps = scale * (0.6 + 0.15 * (trial / 4));
        size_t c = brute_components(x, N, d, eps, comp);
        MapperParams p = single(1, 0, eps);
        MapperGraph *g = NULL;
        cr_assert_eq(mapper_run(x, N, d, f, 1, NULL, &p, &g, msg), ST_OK, "%s", msg);
        cr_assert_eq(g->n_vertices, c, "trial %d: eps %g", trial, eps);
        for (size_t v = 0; v < g->n_vertices; v++)
            for (size_t k = 0; k < g->vertices[v].size; k++)
                vert[g->vertices[v].members[k]] = (int)v;
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++)
                cr_assert_eq(comp[i] == comp[j], vert[i] == vert[j]);
        mapper_graph_free(g);
    }
}

Test(mapper, filters_and_determinism)
{
    /* points along the diagonal of the plane: the first PC is the line itself */
    double x[40], f[20], f2[20];
    for (int i = 0; i < 20; i++)
        x[2 * i] = x[2 * i + 1] = i;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_filter_compute(x, 20, 2, MAPPER_FILTER_NORM, 1, NULL, f, msg), ST_OK);
    cr_assert_float_eq(f[3], 3 * sqrt(2.0), 1e-12);
    cr_assert_eq(mapper_filter_compute(x, 20, 2, MAPPER_FILTER_TIME, 1, NULL, f, msg), ST_OK);
    cr_assert_eq(f[7], 7);
    cr_assert_eq(mapper_filter_compute(x, 20, 2, MAPPER_FILTER_PCA, 1, NULL, f, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(fabs(f[19] - f[0]), 19 * sqrt(2.0), 1e-9);
    cr_assert_eq(mapper_filter_compute(x, 20, 2, MAPPER_FILTER_PCA, 3, NULL, f, msg), ST_EINVAL);
    cr_assert_eq(mapper_filter_compute(x, 20, 2, MAPPER_FILTER_PCA, 1, NULL, f, msg), ST_OK);
    MapperParams p = single(5, 0.4, 1.5);
    MapperGraph *a = NULL, *b = NULL;
    cr_assert_eq(mapper_run(x, 20, 2, f, 1, NULL, &p, &a, msg), ST_OK, "%s", msg);
    memcpy(f2, f, sizeof f);
    cr_assert_eq(mapper_run(x, 20, 2, f2, 1, NULL, &p, &b, msg), ST_OK, "%s", msg);
    cr_assert_eq(a->n_vertices, 5);
    cr_assert_eq(a->cycles, 0);
    cr_assert_eq(a->components, 1);
    cr_assert_eq(a->n_vertices, b->n_vertices);
    cr_assert_eq(a->n_edges, b->n_edges);
    for (size_t v = 0; v < a->n_vertices; v++) {
        cr_assert_eq(a->vertices[v].size, b->vertices[v].size);
        cr_assert_arr_eq(a->vertices[v].members, b->vertices[v].members, a->vertices[v].size * sizeof(size_t));
    }
    mapper_graph_free(a);
    mapper_graph_free(b);
    /* two filter dimensions: a 3×3 grid of cubes over a 2-D grid of points */
    double grid[2 * 100];
    for (int i = 0; i < 100; i++) {
        grid[2 * i] = i % 10;
        grid[2 * i + 1] = i / 10;
    }
    p = single(3, 0.2, 1.01);
    cr_assert_eq(mapper_run(grid, 100, 2, grid, 2, NULL, &p, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a->n_vertices, 9);
    cr_assert_eq(a->vertices[5].cube[0], 1);
    cr_assert_eq(a->vertices[5].cube[1], 2);
    cr_assert_eq(a->components, 1);
    mapper_graph_free(a);
}

Test(mapper, errors)
{
    double x[4] = {0, 1, 2, 3}, f[4] = {0, 1, 2, 3}, s, e;
    char msg[STATUS_MSG_LEN];
    MapperGraph *g = NULL;
    cr_assert_eq(mapper_cover_interval(0, 1, 0, 0.2, 0, &s, &e, msg), ST_EINVAL);
    cr_assert_eq(mapper_cover_interval(0, 1, 3, 1.0, 0, &s, &e, msg), ST_EINVAL);
    cr_assert_eq(mapper_cover_interval(0, 1, 3, -0.1, 0, &s, &e, msg), ST_EINVAL);
    cr_assert_eq(mapper_cover_interval(0, 1, 3, 0.2, 3, &s, &e, msg), ST_EINVAL);
    MapperParams p = single(0, 0.2, 1);
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    cr_assert(strlen(msg) > 0);
    p = single(2, 1.0, 1);
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    p = single(2, 0.2, 0);
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    p = single(2, 0.2, -1);
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    p = single(MAPPER_MAX_INTERVALS + 1, 0.2, 1);
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    p = single(1000, 0.2, 1);
    cr_assert_eq(mapper_run(x, 2, 1, f, 2, NULL, &p, &g, msg), ST_OK, "%s", msg);
    mapper_graph_free(g);
    g = NULL;
    cr_assert_eq(mapper_run(x, 1, 1, f, 3, NULL, &p, &g, msg), ST_EINVAL, "10^9 cubes");
    p = (MapperParams){.intervals = 2, .overlap = 0.2, .cluster = MAPPER_CLUSTER_DBSCAN, .eps = 1, .min_samples = 0};
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    p = single(2, 0.2, 1);
    x[2] = NAN;
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    cr_assert_eq(mapper_filter_compute(x, 4, 1, MAPPER_FILTER_NORM, 1, NULL, f, msg), ST_EINVAL);
    x[2] = 2;
    f[1] = INFINITY;
    cr_assert_eq(mapper_run(x, 4, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    cr_assert_eq(mapper_run(x, 0, 1, f, 1, NULL, &p, &g, msg), ST_EINVAL);
    cr_assert_null(g);
    mapper_graph_free(NULL);
}
