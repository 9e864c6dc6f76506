/* `analyze` KINDs for network modularity: quality (§1), louvain (§2),
 * roles (§3), degrees (§4) and multislice (§5) of METHODS.md. */
#include "files_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/consensus.h"
#include "neurotop/analysis/degrees.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/analysis/roles.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

#define MAX_LAYERS 100000

static Status read_square(const char *path, Matrix **out, char *msg)
{
    Status st = matrix_read_file(path, out, msg);
    if (st)
        return st;
    if ((*out)->rows != (*out)->cols) {
        st = status_fail(msg, ST_EINVAL, "%s is %zu×%zu, but a square matrix is needed", path,
                         (*out)->rows, (*out)->cols);
        matrix_free(*out);
        *out = NULL;
    }
    return st;
}

/* A partition file for an n-node matrix, as canonical int labels. */
static Status read_partition(const char *path, size_t n, int **out, char *msg)
{
    long *raw;
    size_t len;
    Status st = labels_read_file(path, &raw, &len, msg);
    if (st)
        return st;
    if (len != n) {
        free(raw);
        return status_fail(msg, ST_EINVAL, "%s has %zu labels, but the matrix has %zu rows", path,
                           len, n);
    }
    *out = malloc(n * sizeof **out);
    if (!*out)
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n);
    else if ((st = modmat_relabel_long(raw, n, *out, NULL, msg))) {
        free(*out);
        *out = NULL;
    }
    free(raw);
    return st;
}

Status analyze_quality(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *a = NULL;
    int *p = NULL;
    double q;
    Status st = read_square(args->files[PARAM_MATRIX], &a, msg);
    if (!st && !(st = read_partition(args->files[PARAM_PARTITION], a->rows, &p, msg)) &&
        !(st = modmat_quality_direct(a, p, args->gamma, args->sign, &q, msg))) {
        json_object_begin(w);
        json_kv_real(w, "Q", q);
        json_object_end(w);
    }
    free(p);
    matrix_free(a);
    return st;
}

static void write_louvain(JsonWriter *w, double q, const int *p, size_t n, size_t k)
{
    json_object_begin(w);
    json_kv_real(w, "Q", q);
    json_key(w, "partition");
    json_int_array(w, p, n);
    json_kv_int(w, "n_communities", (long long)k);
}

static void write_summary(JsonWriter *w, const LouvainSummary *s)
{
    json_kv_int(w, "reps", (long long)s->reps);
    json_kv_real(w, "q_mean", s->q_mean);
    json_kv_real(w, "q_sd", s->q_sd);
    json_kv_real(w, "q_min", s->q_min);
    json_kv_real(w, "q_max", s->q_max);
}

Status analyze_louvain(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *a = NULL;
    int *best = NULL, *all = NULL;
    double *q = NULL;
    ModSparse sp;
    modsparse_init(&sp);
    Status st = read_square(args->files[PARAM_MATRIX], &a, msg);
    if (st)
        return st;
    size_t n = a->rows, reps = (size_t)args->reps, k = 0, total;
    /* factored B: a sweep costs O(edges + modules), not O(n²) */
    st = modmat_build_sparse(a, args->gamma, args->sign, &sp, NULL, msg);
    matrix_free(a);
    if (st)
        goto done;
    LouvainOp op;
    louvain_op_sparse(&op, &sp);
    best = malloc(n * sizeof *best);
    q = malloc(reps * sizeof *q);
    if (!best || !q || size_mul(reps, n, &total)) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs", reps);
        goto done;
    }
    if (args->consensus) {
        all = malloc(total * sizeof *all);
        if (!all) {
            st = status_fail(msg, ST_ENOMEM, "out of memory for %zu partitions of %zu nodes", reps, n);
            goto done;
        }
    }
    LouvainSummary sum;
    if ((st = louvain_run_reps(&op, args->seed, reps, best, &sum, q, all, NULL, msg)))
        goto done;
    double qb = sum.q_best;
    size_t rounds = 0;
    if (args->consensus) {
        ConsensusOptions o;
        consensus_options_default(&o);
        o.reps = reps;
        o.seed = args->seed;
        if ((st = consensus_run(&op, all, reps, &o, best, &k, &rounds, msg)) ||
            (st = louvain_quality(&op, best, &qb, msg)))
            goto done;
    } else {
        for (size_t i = 0; i < n; i++)
            k = (size_t)best[i] > k ? (size_t)best[i] : k;
    }
    write_louvain(w, qb, best, n, k);
    write_summary(w, &sum);
    if (args->consensus)
        json_kv_int(w, "consensus_rounds", (long long)rounds);
    json_object_end(w);
done:
    free(best);
    free(all);
    free(q);
    modsparse_done(&sp);
    return st;
}

Status analyze_roles(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *a = NULL;
    int *p = NULL;
    double *pc = NULL, *mz = NULL;
    Status st = read_square(args->files[PARAM_MATRIX], &a, msg);
    if (st || (st = read_partition(args->files[PARAM_PARTITION], a->rows, &p, msg)))
        goto done;
    size_t n = a->rows;
    pc = malloc(n * sizeof *pc);
    mz = malloc(n * sizeof *mz);
    if (!pc || !mz) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for the roles of %zu nodes", n);
        goto done;
    }
    if ((st = roles_compute(a, p, pc, mz, msg)))
        goto done;
    json_object_begin(w);
    json_key(w, "pc");
    json_real_array(w, pc, n);
    json_key(w, "mz");
    json_real_array(w, mz, n);
    json_object_end(w);
done:
    free(pc);
    free(mz);
    free(p);
    matrix_free(a);
    return st;
}

Status analyze_degrees(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *a = NULL;
    Status st = read_square(args->files[PARAM_MATRIX], &a, msg);
    if (st)
        return st;
    size_t n = a->rows;
    int *ints = malloc(3 * n * sizeof *ints);
    double *reals = malloc(2 * n * sizeof *reals);
    if (!ints || !reals) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for the degrees of %zu nodes", n);
        goto done;
    }
    DegreeStats d = {ints, ints + n, ints + 2 * n, reals, reals + n};
    if ((st = degrees_compute(a, args->theta, &d, msg)))
        goto done;
    json_object_begin(w);
    json_key(w, "degree");
    json_int_array(w, d.degree, n);
    json_key(w, "degree_pos");
    json_int_array(w, d.degree_pos, n);
    json_key(w, "degree_neg");
    json_int_array(w, d.degree_neg, n);
    json_key(w, "strength");
    json_real_array(w, d.strength, n);
    json_key(w, "knn");
    json_real_array(w, d.knn, n);
    json_object_end(w);
done:
    free(ints);
    free(reals);
    matrix_free(a);
    return st;
}

/* --layers F1,F2,...: every file square and of one size. */
static Status read_layers(const char *list, Matrix ***out, size_t *t, char *msg)
{
    size_t count = 1;
    for (const char *c = list; *c; c++)
        count += *c == ',';
    if (count > MAX_LAYERS)
        return status_fail(msg, ST_EINVAL, "--layers lists %zu files (at most %d)", count, MAX_LAYERS);
    Matrix **l = calloc(count, sizeof *l);
    char *copy = malloc(strlen(list) + 1);
    Status st = ST_OK;
    if (!l || !copy) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu layers", count);
        goto fail;
    }
    strcpy(copy, list);
    char *tok = copy;
    for (size_t s = 0; s < count; s++) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (!*tok) {
            st = status_fail(msg, ST_EINVAL, "--layers has an empty file name at position %zu", s + 1);
            goto fail;
        }
        if ((st = read_square(tok, &l[s], msg)))
            goto fail;
        if (l[s]->rows != l[0]->rows) {
            st = status_fail(msg, ST_EINVAL, "layer %zu (%s) is %zu×%zu, but layer 1 is %zu×%zu", s + 1,
                             tok, l[s]->rows, l[s]->cols, l[0]->rows, l[0]->cols);
            goto fail;
        }
        tok = comma ? comma + 1 : tok + strlen(tok);
    }
    free(copy);
    *out = l;
    *t = count;
    return ST_OK;
fail:
    for (size_t s = 0; l && s < count; s++)
        matrix_free(l[s]);
    free(l);
    free(copy);
    return st;
}

/* The N×T partition CSV as layer-major canonical labels. */
static Status read_multi_partition(const char *path, size_t n, size_t t, int **out, char *msg)
{
    int *g = NULL;
    size_t rows, cols;
    *out = NULL;
    Status st = labels_matrix_read(path, &g, &rows, &cols, msg);
    if (st)
        return st;
    int *layer_major = NULL;
    if (rows != n || cols != t) {
        st = status_fail(msg, ST_EINVAL, "%s is %zu×%zu, but %zu nodes × %zu layers are needed", path, rows,
                         cols, n, t);
        goto done;
    }
    layer_major = malloc(n * t * sizeof *layer_major);
    *out = malloc(n * t * sizeof **out);
    if (!layer_major || !*out) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu×%zu partition", n, t);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < t; s++)
            layer_major[s * n + i] = g[i * t + s];
    st = modmat_relabel(layer_major, n * t, *out, NULL, msg);
done:
    if (st) {
        free(*out);
        *out = NULL;
    }
    free(layer_major);
    free(g);
    return st;
}

Status analyze_multislice(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix **layers = NULL;
    size_t t = 0;
    Multislice *ms = NULL;
    int *g = NULL;
    Status st = read_layers(args->files[PARAM_LAYERS], &layers, &t, msg);
    if (st)
        return st;
    size_t n = layers[0]->rows;
    if ((st = multislice_new(n, t, &ms, msg)) ||
        (st = multislice_build(ms, (const Matrix *const *)layers, t, args->gamma, args->omega,
                               args->sign, msg)))
        goto done;
    double q;
    if (args->files[PARAM_PARTITIONS]) {
        if ((st = read_multi_partition(args->files[PARAM_PARTITIONS], n, t, &g, msg)) ||
            (st = multislice_quality(ms, g, &q, msg)))
            goto done;
        json_object_begin(w);
        json_kv_real(w, "Q", q);
        json_object_end(w);
        goto done;
    }
    g = malloc(n * t * sizeof *g);
    if (!g) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu node-layers", n * t);
        goto done;
    }
    LouvainOp op;
    multislice_op(ms, &op);
    LouvainSummary sum;
    if ((st = louvain_run_reps(&op, args->seed, (size_t)args->reps, g, &sum, NULL, NULL, NULL, msg)))
        goto done;
    int k = 0;
    for (size_t u = 0; u < n * t; u++)
        k = g[u] > k ? g[u] : k;
    json_object_begin(w);
    json_kv_real(w, "Q", sum.q_best);
    json_key(w, "partitions");
    json_array_begin(w);
    for (size_t s = 0; s < t; s++)
        json_int_array(w, g + s * n, n);
    json_array_end(w);
    json_kv_int(w, "n_communities", k);
    write_summary(w, &sum);
    json_object_end(w);
done:
    free(g);
    multislice_free(ms);
    for (size_t s = 0; s < t; s++)
        matrix_free(layers[s]);
    free(layers);
    return st;
}
