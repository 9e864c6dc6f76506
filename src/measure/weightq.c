#include "neurotop/measure/weightq.h"

#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/graph.h"
#include "neurotop/core/rng.h"

/* Progress is reported this many times over the runs at most, so a job's
 * progress bar moves without a lock taken after every run. */
#define WEIGHTQ_PROGRESS_STEPS 20

void weightq_init(WeightQ *w)
{
    memset(w, 0, sizeof *w);
    modsparse_init(&w->b);
}

void weightq_done(WeightQ *w)
{
    if (!w)
        return;
    matrix_free(w->adj);
    free(w->layer);
    free(w->unit);
    modsparse_done(&w->b);
    free(w->q);
    free(w->runs);
    free(w->best);
    free(w->scratch);
    memset(w, 0, sizeof *w);
}

void weightq_options_default(WeightQOptions *o)
{
    memset(o, 0, sizeof *o);
    o->gamma = 1.0;
    o->sign = MOD_SIGN_ASYM;
    o->reps = 1;
}

/* Each node's layer and unit for n nodes (grown, never shrunk). */
static Status ensure_labels(WeightQ *w, size_t n, char *msg)
{
    if (n <= w->cap_labels)
        return ST_OK;
    free(w->layer);
    free(w->unit);
    w->layer = malloc(n * sizeof *w->layer);
    w->unit = malloc(n * sizeof *w->unit);
    w->cap_labels = w->layer && w->unit ? n : 0;
    if (!w->cap_labels)
        return status_fail(msg, ST_ENOMEM, "out of memory for the %zu-node weight graph", n);
    return ST_OK;
}

/* The graph buffers for n nodes (the adjacency kept when n is unchanged). */
static Status ensure_graph(WeightQ *w, size_t n, char *msg)
{
    Status st = ensure_labels(w, n, msg);
    if (st || (w->adj && w->n_graph == n))
        return st;
    matrix_free(w->adj);
    w->adj = matrix_new(n, n);
    w->n_graph = w->adj ? n : 0;
    if (!w->n_graph)
        return status_fail(msg, ST_ENOMEM, "out of memory for the %zu-node weight graph", n);
    return ST_OK;
}

/* The spec of one part of s's weight graph and its node count. *owned
 * (freed by the caller) holds any weights the snapshot had to convert. */
typedef struct {
    GraphBlock blocks[MODEL_MAX_LAYERS];
    size_t sizes[MODEL_MAX_LAYERS];
    GraphSpec spec;
    uint32_t mask;
    size_t n;
    float *owned;
} PartSpec;

static Status part_spec(const Snapshot *s, GraphPart part, PartSpec *p, char *msg)
{
    p->owned = NULL;
    if (snapshot_graph_spec(s, &p->spec, p->blocks, p->sizes, &p->owned) == 0)
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu has no weight blocks", s->epoch);
    p->mask = graph_part_mask(part);
    Status st = snapshot_graph_part_check(s, part, msg);
    return st ? st : graph_count_nodes(&p->spec, p->mask, &p->n, msg);
}

Status weightq_load(WeightQ *w, const Snapshot *s, GraphPart part, char *msg)
{
    PartSpec p;
    Status st = part_spec(s, part, &p, msg);
    if (!st)
        st = ensure_graph(w, p.n, msg);
    if (!st)
        st = graph_fill(&p.spec, p.mask, w->adj, w->layer, w->unit, msg);
    free(p.owned);
    return st;
}

/* Room for n labels and R runs (grown, never shrunk). */
static Status ensure_runs(WeightQ *w, size_t n, size_t reps, int keep, char *msg)
{
    if (n > w->cap_n) {
        free(w->best);
        free(w->scratch);
        w->best = malloc(n * sizeof *w->best);
        w->scratch = malloc(n * sizeof *w->scratch);
        w->cap_n = w->best && w->scratch ? n : 0;
        if (!w->cap_n)
            return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-node partition", n);
    }
    if (reps > w->cap_q) {
        free(w->q);
        w->q = malloc(reps * sizeof *w->q);
        w->cap_q = w->q ? reps : 0;
        if (!w->q)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs", reps);
    }
    size_t total;
    if (keep && (size_mul(reps, n, &total) || total > SIZE_MAX / sizeof(int)))
        return status_fail(msg, ST_ENOMEM, "%zu runs of %zu nodes are too many to keep", reps, n);
    if (keep && total > w->cap_runs) {
        free(w->runs);
        w->runs = malloc(total * sizeof *w->runs);
        w->cap_runs = w->runs ? total : 0;
        if (!w->runs)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu partitions of %zu nodes", reps, n);
    }
    return ST_OK;
}

static void report(const WeightQOptions *o, size_t done)
{
    if (!o->progress)
        return;
    size_t step = (done * WEIGHTQ_PROGRESS_STEPS) / o->reps;
    if (done == o->reps || step != ((done - 1) * WEIGHTQ_PROGRESS_STEPS) / o->reps)
        o->progress(o->progress_user, (double)done / (double)o->reps);
}

/* Runs 0..R−1, keeping the best partition as louvain_summarize picks it. */
static Status run_all(WeightQ *w, const WeightQOptions *o, char *msg)
{
    size_t n = w->n;
    double best_q = 0.0;
    for (size_t r = 0; r < o->reps; r++) {
        Rng rng;
        rng_seed(&rng, o->seed, r);
        int *labels = o->keep_runs ? w->runs + r * n : w->scratch;
        Status st = community_run(&w->op, &o->algo, &rng, NULL, labels, &w->q[r], NULL, NULL, o->cancel, msg);
        if (st)
            return st;
        if (r == 0 || w->q[r] > best_q + LOUVAIN_BEAT) {
            best_q = w->q[r];
            memcpy(w->best, labels, n * sizeof *labels);
        }
        report(o, r + 1);
    }
    return ST_OK;
}

/* The runs on w->b, once it holds B. */
static Status run_on_b(WeightQ *w, const WeightQOptions *o, char *msg)
{
    w->n = w->b.n;
    louvain_op_sparse(&w->op, &w->b);
    Status st;
    if ((st = ensure_runs(w, w->n, o->reps, o->keep_runs, msg)) || (st = run_all(w, o, msg)) ||
        (st = louvain_summarize(w->q, o->reps, &w->sum, msg)))
        return st;
    w->k = 0;
    for (size_t i = 0; i < w->n; i++)
        if ((size_t)w->best[i] > w->k)
            w->k = (size_t)w->best[i];
    return ST_OK;
}

Status weightq_run(WeightQ *w, const Matrix *adj, const WeightQOptions *o, char *msg)
{
    if (o->reps == 0)
        return status_fail(msg, ST_EINVAL, "Louvain needs at least one run");
    Status st = modmat_build_sparse(adj, o->gamma, o->sign, &w->b, NULL, msg);
    return st ? st : run_on_b(w, o, msg);
}

Status weightq_snapshot(WeightQ *w, const Snapshot *s, GraphPart part, const WeightQOptions *o,
                        char *msg)
{
    if (o->reps == 0)
        return status_fail(msg, ST_EINVAL, "Louvain needs at least one run");
    PartSpec p;
    GraphRows rows;
    memset(&rows, 0, sizeof rows);
    Status st = part_spec(s, part, &p, msg);
    if (!st)
        st = ensure_labels(w, p.n, msg);
    if (!st)
        st = graph_rows_init(&rows, &p.spec, p.mask, w->layer, w->unit, msg);
    if (!st)
        st = modmat_build_sparse_rows(rows.n, rows.max_row, rows.nnz_bound, graph_rows_next, &rows,
                                      o->gamma, o->sign, &w->b, NULL, msg);
    graph_rows_done(&rows);
    free(p.owned);
    return st ? st : run_on_b(w, o, msg);
}

void weightq_algo_json(JsonWriter *w, const CommunityAlgo *algo)
{
    if (algo->method != COMMUNITY_LOUVAIN)
        json_kv_string(w, "method", community_method_name(algo->method));
    if (algo->iterate) {
        json_key(w, "iterate");
        json_bool(w, 1);
    }
    if (algo->random_moves) {
        json_key(w, "random_moves");
        json_bool(w, 1);
    }
}

void weightq_summary_json(JsonWriter *w, const LouvainSummary *sum, double q, size_t k,
                          const int *labels, size_t n, size_t t)
{
    json_kv_int(w, "reps", (long long)sum->reps);
    json_kv_real(w, "Q", q);
    json_kv_real(w, "q_mean", sum->q_mean);
    json_kv_real(w, "q_sd", sum->q_sd);
    json_kv_real(w, "q_min", sum->q_min);
    json_kv_real(w, "q_max", sum->q_max);
    json_kv_int(w, "n_communities", (long long)k);
    if (t == 0) {
        json_key(w, "partition");
        json_int_array(w, labels, n);
        return;
    }
    json_key(w, "partitions");
    json_int_matrix(w, labels, t, n);
}
