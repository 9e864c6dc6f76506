/* Benchmark of the modularity engine on the 994-node weight graph of the
 * default MLP (784-100-100-10) and on a 120-unit × 50-window multilayer
 * network.
 *
 *   bench_louvain                    all figures (trained-like graph: the MLP
 *                                    trained --epochs epochs at lr 0.3, batch 1,
 *                                    on the bundled digits; a random U(-1,1)
 *                                    weight set when the digits are missing)
 *   bench_louvain --write-graph F    write that graph's adjacency as CSV and exit
 *   bench_louvain --graph F --single-only
 *                                    time single runs on the CSV graph F (for
 *                                    run_louvain.sh): Louvain, Leiden and each
 *                                    iterated (--iterate), on the positive part
 *                                    (sign none) and on the signed graph (asym)
 * Without --single-only also the dense operator, the build of B, the hidden
 * subgraph, a consensus, and two multislice cases (one with 3 planted
 * 100-node layers where every optimiser is compared, issue 17).
 * Options: --epochs E (default 2; 0 = untrained random weights), --runs N
 * (single-run timing repeats, default 10), --threads T (default 2).
 * Lines starting with "result" are parsed by run_louvain.sh. */

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/community.h"
#include "neurotop/analysis/consensus.h"
#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"

#define N_TRAIN 8000

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_louvain: %s: %s\n", what, msg);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The MLP's weights after `epochs` epochs of lr 0.3, batch 1 (seed paper
 * 000's setting), or the untrained U(-1,1) start. */
static Matrix *mlp_graph(int epochs, const char **source)
{
    char msg[STATUS_MSG_LEN];
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 4;
    c.sizes[0] = 784;
    c.sizes[1] = 100;
    c.sizes[2] = 100;
    c.sizes[3] = 10;
    c.init = MODEL_INIT_UNIFORM;
    c.seed = 1;
    Model *m = NULL;
    if (model_new(&c, &m, msg))
        die("model", msg);
    *source = "random U(-1,1) 784-100-100-10 weights";
    Dataset *ds = NULL;
    if (epochs > 0 && dataset_open("mnist10k", &ds, msg) == ST_OK && ds->train.rows * ds->train.cols == 784) {
        size_t n = ds->train.n < N_TRAIN ? ds->train.n : N_TRAIN;
        float *x = malloc(n * 784 * sizeof *x);
        int *y = malloc(n * sizeof *y);
        if (!x || !y)
            die("data", "out of memory");
        for (size_t i = 0; i < n; i++) {
            imageset_item_float(&ds->train, i, x + i * 784);
            y[i] = ds->train.labels[i];
        }
        for (int e = 0; e < epochs; e++) {
            double loss = 0;
            if (m->ops->train(m, x, y, n, 1, 0.3f, &loss, msg))
                die("train", msg);
        }
        free(x);
        free(y);
        *source = "784-100-100-10 MLP trained at lr 0.3, batch 1 on the bundled digits";
    } else if (epochs > 0) {
        fprintf(stderr, "bench_louvain: no bundled digits (%s); using untrained weights\n", msg);
    }
    dataset_free(ds);
    WeightBlock wb[3];
    GraphBlock gb[3];
    size_t nb = model_blocks(&m->config, m->params, wb, 3);
    for (size_t b = 0; b < nb; b++)
        gb[b] = (GraphBlock){wb[b].from, wb[b].to, wb[b].rows, wb[b].cols, wb[b].w, wb[b].ld};
    GraphSpec spec = {4, c.sizes, nb, gb};
    WeightGraph *g;
    if (graph_new(&spec, GRAPH_ALL, &g, msg))
        die("graph", msg);
    Matrix *adj = g->adj;
    g->adj = NULL;
    graph_free(g);
    model_free(m);
    return adj;
}

/* The suffix of a result line for an optimiser ("" for one Louvain pass,
 * so the lines run_louvain.sh has always read keep their names). */
static const char *algo_suffix(const CommunityAlgo *a)
{
    if (a->method == COMMUNITY_LEIDEN)
        return a->iterate ? "_leiden_iterated" : "_leiden";
    return a->iterate ? "_louvain_iterated" : "";
}

/* Best and median seconds of `runs` runs of algo on the positive part
 * (sign none) or on the signed graph (asym, the papers' setting), with the
 * factored (sparse + rank-1) B and, for comparison, the dense B. */
static void bench_single(const Matrix *adj, int runs, int dense, ModSign sign, const CommunityAlgo *algo)
{
    char msg[STATUS_MSG_LEN];
    size_t n = adj->rows;
    Matrix *pos = matrix_clone(adj);
    if (!pos)
        die("single", "out of memory");
    for (size_t i = 0; i < n * n && sign == MOD_SIGN_NONE; i++)
        pos->data[i] = pos->data[i] > 0 ? pos->data[i] : 0;
    ModSparse sp;
    modsparse_init(&sp);
    LouvainOp op;
    double tb = now_seconds();
    if (dense) {
        if (modmat_build(pos, 1.0, sign, pos, NULL, msg))
            die("modmat_build", msg);
        louvain_op_dense(&op, pos);
    } else {
        if (modmat_build_sparse(pos, 1.0, sign, &sp, NULL, msg))
            die("modmat_build_sparse", msg);
        louvain_op_sparse(&op, &sp);
    }
    tb = now_seconds() - tb;
    int *p = malloc(n * sizeof *p);
    double *t = malloc((size_t)runs * sizeof *t), qsum = 0, qbest = -1, tsum = 0;
    size_t ksum = 0, passes_sum = 0;
    for (int r = 0; r < runs; r++) {
        Rng rng;
        rng_seed(&rng, 0, (uint64_t)r);
        double q, t0 = now_seconds();
        size_t k, passes;
        if (community_run(&op, algo, &rng, NULL, p, &q, &k, &passes, NULL, msg))
            die("community_run", msg);
        t[r] = now_seconds() - t0;
        tsum += t[r];
        qsum += q;
        ksum += k;
        passes_sum += passes;
        qbest = q > qbest ? q : qbest;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    printf("result single_%s%s%s build_s %.6f best_s %.6f median_s %.6f mean_s %.6f q_mean %.6f q_best %.6f "
           "modules_mean %.1f passes_mean %.1f runs %d\n",
           sign == MOD_SIGN_NONE ? "unsigned" : "asym", dense ? "_dense" : "", algo_suffix(algo), tb, t[0],
           t[runs / 2], tsum / runs, qsum / runs, qbest, (double)ksum / runs, (double)passes_sum / runs, runs);
    free(t);
    free(p);
    modsparse_done(&sp);
    matrix_free(pos);
}

/* ---- threads: split a batch of runs across T workers -------------------- */

typedef struct {
    const LouvainOp *op;
    uint64_t seed, stream0;
    size_t r0, r1;
    double *q;
    int *parts;
    Status st;
    char msg[STATUS_MSG_LEN];
} Job;

static void *worker(void *arg)
{
    Job *j = arg;
    j->st = louvain_run_range(j->op, j->seed, j->stream0, j->r0, j->r1, j->q, j->parts, NULL, j->msg);
    return NULL;
}

static Status threaded_batch(void *user, const LouvainOp *op, const CommunityAlgo *algo, uint64_t seed,
                             uint64_t stream0, size_t reps, double *q, int *parts, const volatile int *cancel,
                             char *msg)
{
    (void)cancel;
    (void)algo; /* the bench's consensus is Louvain's */
    int threads = *(const int *)user;
    Job jobs[16];
    pthread_t tid[16];
    if (threads > 16)
        threads = 16;
    for (int k = 0; k < threads; k++) {
        jobs[k] = (Job){op, seed, stream0, reps * (size_t)k / (size_t)threads,
                        reps * (size_t)(k + 1) / (size_t)threads, q, parts, ST_OK, ""};
        if (k > 0)
            pthread_create(&tid[k], NULL, worker, &jobs[k]);
    }
    worker(&jobs[0]);
    for (int k = 1; k < threads; k++)
        pthread_join(tid[k], NULL);
    for (int k = 0; k < threads; k++)
        if (jobs[k].st)
            return status_fail(msg, jobs[k].st, "%s", jobs[k].msg);
    return ST_OK;
}

static void bench_consensus(const Matrix *adj, int threads)
{
    char msg[STATUS_MSG_LEN];
    size_t n = adj->rows, reps = 100;
    ModSparse sp;
    modsparse_init(&sp);
    int *parts = malloc(reps * n * sizeof *parts), *cons = malloc(n * sizeof *cons);
    double *q = malloc(reps * sizeof *q);
    if (!parts || !cons || !q)
        die("consensus", "out of memory");
    double t0 = now_seconds();
    if (modmat_build_sparse(adj, 1.0, MOD_SIGN_ASYM, &sp, NULL, msg))
        die("modmat_build_sparse", msg);
    LouvainOp op;
    louvain_op_sparse(&op, &sp);
    if (threaded_batch(&threads, &op, NULL, 0, 0, reps, q, parts, NULL, msg))
        die("runs", msg);
    double t1 = now_seconds();
    ConsensusOptions o;
    consensus_options_default(&o);
    o.reps = reps;
    o.batch = threaded_batch;
    o.batch_user = &threads;
    size_t k, rounds;
    if (consensus_run(&op, parts, reps, &o, cons, &k, &rounds, msg))
        die("consensus", msg);
    double t2 = now_seconds(), qc;
    louvain_quality(&op, cons, &qc, msg);
    LouvainSummary s;
    louvain_summarize(q, reps, &s, msg);
    printf("result asym100_consensus threads %d runs_s %.3f consensus_s %.3f total_s %.3f "
           "q_best %.6f q_mean %.6f q_min %.6f q_max %.6f consensus_q %.6f modules %zu rounds %zu\n",
           threads, t1 - t0, t2 - t1, t2 - t0, s.q_best, s.q_mean, s.q_min, s.q_max, qc, k, rounds);
    free(parts);
    free(cons);
    free(q);
    modsparse_done(&sp);
}

static void bench_build(const Matrix *adj)
{
    char msg[STATUS_MSG_LEN];
    Matrix *b = matrix_new(adj->rows, adj->cols);
    ModSparse sp;
    modsparse_init(&sp);
    double best = INFINITY, best_sp = INFINITY;
    for (int r = 0; r < 20; r++) {
        double t0 = now_seconds();
        if (modmat_build(adj, 1.0, MOD_SIGN_ASYM, b, NULL, msg))
            die("modmat_build", msg);
        double t1 = now_seconds();
        if (modmat_build_sparse(adj, 1.0, MOD_SIGN_ASYM, &sp, NULL, msg))
            die("modmat_build_sparse", msg);
        double t2 = now_seconds();
        best = t1 - t0 < best ? t1 - t0 : best;
        best_sp = t2 - t1 < best_sp ? t2 - t1 : best_sp;
    }
    printf("result modmat_build_994 reused_buffer dense_best_s %.6f sparse_best_s %.6f nnz %zu\n",
           best, best_sp, sp.nnz);
    modsparse_done(&sp);
    matrix_free(b);
}

/* Hidden subgraph (HL1 + HL2 + output): the rows and columns from 784 on. */
static void bench_hidden(const Matrix *adj)
{
    char msg[STATUS_MSG_LEN];
    size_t off = 784, n = adj->rows - off;
    Matrix *h = matrix_new(n, n);
    for (size_t i = 0; i < n; i++)
        memcpy(&MAT_AT(h, i, 0), &MAT_AT(adj, off + i, off), n * sizeof(double));
    if (modmat_build(h, 1.0, MOD_SIGN_ASYM, h, NULL, msg))
        die("hidden", msg);
    LouvainOp op;
    louvain_op_dense(&op, h);
    int *best = malloc(n * sizeof *best);
    LouvainSummary s;
    double t0 = now_seconds();
    if (louvain_run_reps(&op, 0, 5, best, &s, NULL, NULL, NULL, msg))
        die("hidden", msg);
    printf("result hidden_subgraph_asym nodes %zu reps 5 s %.4f q_best %.6f q_min %.6f\n", n,
           now_seconds() - t0, s.q_best, s.q_min);
    free(best);
    matrix_free(h);
}

/* 120 units × 2,500 samples in 4 latent groups, 50 windows of 50 samples:
 * correlation matrices (zero diagonal), --signed sym, ω = 1, γ = 1. */
static void bench_multislice(void)
{
    char msg[STATUS_MSG_LEN];
    size_t units = 120, windows = 50, len = 50;
    Rng rng;
    rng_seed(&rng, 3, 0);
    double *x = malloc(units * len * sizeof *x), latent[4][50];
    Matrix **layers = malloc(windows * sizeof *layers);
    for (size_t w = 0; w < windows; w++) {
        for (int g = 0; g < 4; g++)
            for (size_t t = 0; t < len; t++)
                latent[g][t] = rng_normal(&rng);
        for (size_t u = 0; u < units; u++) {
            double mean = 0, sd = 0;
            for (size_t t = 0; t < len; t++) {
                x[u * len + t] = latent[u % 4][t] + 1.5 * rng_normal(&rng);
                mean += x[u * len + t] / (double)len;
            }
            for (size_t t = 0; t < len; t++)
                sd += (x[u * len + t] - mean) * (x[u * len + t] - mean);
            sd = sqrt(sd);
            for (size_t t = 0; t < len; t++)
                x[u * len + t] = (x[u * len + t] - mean) / sd;
        }
        layers[w] = matrix_new(units, units);
        for (size_t i = 0; i < units; i++)
            for (size_t j = 0; j < units; j++) {
                double r = 0;
                for (size_t t = 0; t < len && i != j; t++)
                    r += x[i * len + t] * x[j * len + t];
                MAT_AT(layers[w], i, j) = r;
            }
    }
    Multislice *ms;
    double t0 = now_seconds();
    if (multislice_new(units, windows, &ms, msg) ||
        multislice_build(ms, (const Matrix *const *)layers, windows, 1.0, 1.0, MOD_SIGN_SYM, msg))
        die("multislice", msg);
    double t1 = now_seconds();
    LouvainOp op;
    multislice_op(ms, &op);
    int *g = malloc(units * windows * sizeof *g);
    double q, best = INFINITY;
    size_t k = 0;
    for (int r = 0; r < 3; r++) {
        Rng lr;
        rng_seed(&lr, 0, (uint64_t)r);
        double ta = now_seconds();
        if (louvain_run(&op, &lr, g, &q, &k, NULL, msg))
            die("multislice louvain", msg);
        double dt = now_seconds() - ta;
        best = dt < best ? dt : best;
    }
    printf("result multislice_120x50 build_s %.4f louvain_best_s %.4f q %.6f communities %zu\n",
           t1 - t0, best, q, k);
    free(g);
    multislice_free(ms);
    for (size_t w = 0; w < windows; w++)
        matrix_free(layers[w]);
    free(layers);
    free(x);
}

/* The issue-17 multislice case: 3 layers of 100 nodes with 4 planted groups
 * of 25 (i % 4), correlated: a base graph (edge probability 0.3 inside a
 * group, 0.05 between, weight U(0.5, 1.5)) of which each layer redraws 20%
 * of the node pairs; sign none, ω = 1, γ = 1. Every optimiser runs `runs`
 * times from streams 0..runs−1: mean and best Q, mean seconds. The
 * reference for --iterate is Louvain iterated the same way (GenLouvain's
 * iterated_genlouvain without random moves or post-processing), since no
 * Octave with GenLouvain is at hand. */
static void bench_multislice_planted(int runs)
{
    char msg[STATUS_MSG_LEN];
    size_t n = 100, t = 3;
    Rng rng;
    rng_seed(&rng, 17, 0);
    Matrix *base = matrix_new(n, n), *layers[3];
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j < n; j++) {
            double p = i % 4 == j % 4 ? 0.3 : 0.05;
            double w = i != j && rng_uniform(&rng) < p ? 0.5 + rng_uniform(&rng) : 0.0;
            MAT_AT(base, i, j) = MAT_AT(base, j, i) = w;
        }
    for (size_t s = 0; s < t; s++) {
        layers[s] = matrix_clone(base);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (rng_uniform(&rng) < 0.2) {
                    double p = i % 4 == j % 4 ? 0.3 : 0.05;
                    double w = rng_uniform(&rng) < p ? 0.5 + rng_uniform(&rng) : 0.0;
                    MAT_AT(layers[s], i, j) = MAT_AT(layers[s], j, i) = w;
                }
    }
    Multislice *ms;
    if (multislice_new(n, t, &ms, msg) ||
        multislice_build(ms, (const Matrix *const *)layers, t, 1.0, 1.0, MOD_SIGN_NONE, msg))
        die("multislice", msg);
    LouvainOp op;
    multislice_op(ms, &op);
    const CommunityAlgo algos[4] = {{.method = COMMUNITY_LOUVAIN}, {.method = COMMUNITY_LEIDEN}, {.method = COMMUNITY_LOUVAIN, .iterate = 1},
                                    {.method = COMMUNITY_LEIDEN, .iterate = 1}};
    int *g = malloc(n * t * sizeof *g);
    for (int a = 0; a < 4; a++) {
        double qsum = 0, qbest = -1, tsum = 0;
        for (int r = 0; r < runs; r++) {
            Rng lr;
            rng_seed(&lr, 0, (uint64_t)r);
            double q, t0 = now_seconds();
            if (community_run(&op, &algos[a], &lr, NULL, g, &q, NULL, NULL, NULL, msg))
                die("multislice run", msg);
            tsum += now_seconds() - t0;
            qsum += q;
            qbest = q > qbest ? q : qbest;
        }
        printf("result multislice_planted_3x100%s mean_s %.5f q_mean %.6f q_best %.6f runs %d\n",
               a == 0 ? "_louvain" : algo_suffix(&algos[a]), tsum / runs, qsum / runs, qbest, runs);
    }
    free(g);
    multislice_free(ms);
    for (size_t s = 0; s < t; s++)
        matrix_free(layers[s]);
    matrix_free(base);
}

int main(int argc, char **argv)
{
    const char *graph = NULL, *write = NULL;
    int epochs = 2, runs = 10, threads = 2, single_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--graph") == 0 && i + 1 < argc)
            graph = argv[++i];
        else if (strcmp(argv[i], "--write-graph") == 0 && i + 1 < argc)
            write = argv[++i];
        else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
            epochs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--single-only") == 0)
            single_only = 1;
        else {
            fprintf(stderr, "usage: bench_louvain [--graph F | --write-graph F] [--epochs E] "
                            "[--runs N] [--threads T] [--single-only]\n");
            return 2;
        }
    }
    if (runs < 1 || threads < 1)
        die("options", "--runs and --threads must be >= 1");
    linalg_set_threads(1);
    char msg[STATUS_MSG_LEN];
    Matrix *adj = NULL;
    const char *source = graph;
    if (graph) {
        if (matrix_read_file(graph, &adj, msg))
            die(graph, msg);
    } else {
        adj = mlp_graph(epochs, &source);
    }
    if (write) {
        if (csv_write_matrix(write, adj, msg))
            die(write, msg);
        matrix_free(adj);
        return 0;
    }
    printf("graph: %s, %zu nodes\n", source, adj->rows);
    /* Louvain, Leiden, each iterated (--iterate) */
    const CommunityAlgo algos[4] = {{.method = COMMUNITY_LOUVAIN}, {.method = COMMUNITY_LEIDEN}, {.method = COMMUNITY_LOUVAIN, .iterate = 1},
                                    {.method = COMMUNITY_LEIDEN, .iterate = 1}};
    for (int a = 0; a < 4; a++)
        bench_single(adj, runs, 0, MOD_SIGN_NONE, &algos[a]);
    for (int a = 0; a < 4; a++)
        bench_single(adj, runs, 0, MOD_SIGN_ASYM, &algos[a]);
    if (!single_only) {
        bench_single(adj, runs, 1, MOD_SIGN_NONE, &algos[0]);
        bench_single(adj, runs, 1, MOD_SIGN_NONE, &algos[1]);
        bench_build(adj);
        bench_hidden(adj);
        bench_consensus(adj, threads);
        bench_multislice();
        bench_multislice_planted(runs);
    }
    matrix_free(adj);
    return 0;
}
