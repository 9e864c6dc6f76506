/* Benchmark of Mapper (analysis/mapper.h) at the size issue 15 budgets: the
 * output layer of a 784-100-10 network followed for 5,000 recorded steps,
 * i.e. 10 × 5,000 points of 100 dimensions. The trajectories are synthetic:
 * every unit starts at the origin and drifts along its own direction with a
 * small random walk on top, so the expected graph is a tree with 10 leaves.
 * Filter: L2 norm; 15 intervals, overlap 0.4, single linkage at 5% of the
 * largest norm. Times are CPU time of the calling thread, best of --reps N
 * (default 3). Lines starting with "result" are the figures; the budget is
 * under 1 s. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/mapper.h"
#include "neurotop/core/rng.h"

#define UNITS 10
#define STEPS 5000
#define DIM 100

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int reps = 3;
    if (argc == 3 && strcmp(argv[1], "--reps") == 0)
        reps = atoi(argv[2]) > 0 ? atoi(argv[2]) : 3;
    size_t n = (size_t)UNITS * STEPS;
    double *x = malloc(n * DIM * sizeof *x), *f = malloc(n * sizeof *f), dir[DIM], walk[DIM];
    if (!x || !f) {
        fprintf(stderr, "bench_mapper: out of memory\n");
        return 1;
    }
    Rng r;
    rng_seed(&r, 15, 0);
    double max_norm = 0.0;
    for (size_t u = 0; u < UNITS; u++) {
        double len = 0.0;
        for (size_t j = 0; j < DIM; j++) {
            dir[j] = rng_normal(&r);
            len += dir[j] * dir[j];
            walk[j] = 0.0;
        }
        len = sqrt(len);
        for (size_t t = 0; t < STEPS; t++) {
            double *p = x + (u * STEPS + t) * DIM, s = 5.0 * (double)t / STEPS, q = 0.0;
            for (size_t j = 0; j < DIM; j++) {
                walk[j] += 0.003 * rng_normal(&r);
                p[j] = walk[j] + s * dir[j] / len;
                q += p[j] * p[j];
            }
            f[u * STEPS + t] = sqrt(q);
            max_norm = sqrt(q) > max_norm ? sqrt(q) : max_norm;
        }
    }
    MapperParams prm = {.intervals = 15, .overlap = 0.4, .cluster = MAPPER_CLUSTER_SINGLE, .eps = 0.05 * max_norm};
    char msg[STATUS_MSG_LEN];
    double best = INFINITY;
    MapperGraph *g = NULL;
    for (int k = 0; k < reps; k++) {
        mapper_graph_free(g);
        g = NULL;
        double t0 = now_seconds();
        Status st = mapper_run(x, n, DIM, f, 1, NULL, &prm, &g, msg);
        double dt = now_seconds() - t0;
        if (st) {
            fprintf(stderr, "bench_mapper: %s\n", msg);
            return 1;
        }
        best = dt < best ? dt : best;
    }
    size_t *deg = malloc(g->n_vertices * sizeof *deg), leaves = 0;
    if (deg) {
        mapper_graph_degrees(g, deg);
        for (size_t v = 0; v < g->n_vertices; v++)
            leaves += deg[v] == 1;
    }
    printf("mapper of %d units x %d steps in %d-D: %zu vertices, %zu edges, %zu components, %zu cycles, %zu leaves\n",
           UNITS, STEPS, DIM, g->n_vertices, g->n_edges, g->components, g->cycles, leaves);
    printf("result mapper_10x5000_seconds %.3f (budget 1 s: %s)\n", best, best < 1.0 ? "met" : "NOT met");
    free(deg);
    mapper_graph_free(g);
    free(x);
    free(f);
    return 0;
}
