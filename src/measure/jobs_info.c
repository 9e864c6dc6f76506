/* The weight-graph helpers that :corr shares with `neurotop experiment
 * mlp-phases` (jobs_info.h). */
#include "neurotop/measure/jobs_info.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/roles.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/measure/weightq.h"

const char *const JOBS_CORR_MAPS[] = {"edges", "ip", "id", "pc", "mz", "mean", NULL};

/* ---- weight-graph helpers ----------------------------------------------- */

Status jobs_weight_q(const Snapshot *s, int hidden, size_t reps, uint64_t seed, double *q, int *labels,
                     size_t *n_nodes, const volatile int *cancel, char *msg)
{
    WeightQ w;
    WeightQOptions o;
    weightq_init(&w);
    weightq_options_default(&o); /* signed asym, gamma 1 */
    o.reps = reps;
    o.seed = seed;
    o.cancel = cancel;
    Status st = weightq_snapshot(&w, s, hidden ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE, &o, msg);
    if (!st) {
        *q = w.sum.q_best;
        if (labels)
            memcpy(labels, w.best, w.n * sizeof *labels);
        if (n_nodes)
            *n_nodes = w.n;
    }
    weightq_done(&w);
    return st;
}

Status jobs_weight_roles(const Snapshot *s, const int *labels, double *pc, double *mz, char *msg)
{
    WeightGraph *g = NULL;
    Status st = snapshot_weight_graph(s, GRAPH_PART_WHOLE, &g, msg);
    if (!st)
        st = roles_compute(g->adj, labels, pc, mz, msg);
    graph_free(g);
    return st;
}

void jobs_edge_change(const float *a, const float *b, size_t rows, size_t cols, size_t ld, double *per_row)
{
    for (size_t i = 0; i < rows; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < cols; j++)
            sum += fabs((double)b[i * ld + j] - (double)a[i * ld + j]);
        per_row[i] = sum;
    }
}
