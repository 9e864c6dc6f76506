/* `analyze` KINDs for activity statistics: flexibility, allegiance (§6–§7),
 * entropy (§8), moments (§9) and pca (§10) of METHODS.md. */
#include "files_internal.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

/* The N×T multilayer partition CSV of METHODS §0, node-major. */
static Status read_partitions(const char *path, int **labels, size_t *n, size_t *t, char *msg)
{
    return labels_matrix_read(path, labels, n, t, msg);
}

Status analyze_flexibility(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    int *g;
    size_t n, t;
    Status st = read_partitions(args->files[PARAM_PARTITIONS], &g, &n, &t, msg);
    if (st)
        return st;
    double *node = malloc(n * sizeof *node), system = 0.0;
    if (!node) {
        free(g);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu nodes", n);
    }
    MultiPartition p = flexibility_partition_nodes(g, n, t);
    st = flexibility_compute(&p, node, &system, msg);
    if (!st) {
        json_object_begin(w);
        json_key(w, "node");
        json_real_array(w, node, n);
        json_kv_real(w, "system", system);
        json_object_end(w);
    }
    free(node);
    free(g);
    return st;
}

Status analyze_allegiance(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    int *g;
    size_t n, t, nn;
    Status st = read_partitions(args->files[PARAM_PARTITIONS], &g, &n, &t, msg);
    if (st)
        return st;
    if (size_mul(n, n, &nn) || nn > SIZE_MAX / sizeof(double)) {
        free(g);
        return status_fail(msg, ST_EINVAL, "%zu nodes give too large an allegiance matrix", n);
    }
    double *a = malloc(nn * sizeof *a);
    if (!a) {
        free(g);
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu allegiance matrix", n, n);
    }
    MultiPartition p = flexibility_partition_nodes(g, n, t);
    st = flexibility_allegiance(&p, a, msg);
    if (!st) {
        json_object_begin(w);
        json_key(w, "matrix");
        json_array_begin(w);
        for (size_t i = 0; i < n; i++)
            json_real_array(w, a + i * n, n);
        json_array_end(w);
        json_object_end(w);
    }
    free(a);
    free(g);
    return st;
}

Status analyze_entropy(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *x = NULL;
    Status st = matrix_read_file(args->files[PARAM_MATRIX], &x, msg);
    if (st)
        return st;
    EntropyResult r;
    st = entropy_gaussian(x->data, x->rows, x->cols, x->cols, args->ridge, &r, msg);
    if (!st) {
        json_object_begin(w);
        json_kv_real(w, "entropy_nats", r.entropy_nats);
        json_kv_int(w, "d", (long long)r.d);
        json_kv_int(w, "dropped", (long long)r.dropped);
        json_kv_real(w, "ridge_eps", r.ridge_eps);
        if (args->ridge > 0.0) {
            json_key(w, "ridge_needed");
            json_bool(w, r.ridge_needed);
            json_kv_real(w, "ridge_shift", r.ridge_shift);
        }
        json_object_end(w);
    }
    matrix_free(x);
    return st;
}

Status analyze_moments(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *x = NULL;
    Status st = matrix_read_file(args->files[PARAM_MATRIX], &x, msg);
    if (st)
        return st;
    Moments m;
    st = moments_compute(x->data, x->rows * x->cols, 1, &m, msg);
    if (!st) {
        json_object_begin(w);
        json_kv_real(w, "mean", m.mean);
        json_kv_real(w, "std", m.std);
        json_kv_real(w, "skewness", m.skewness); /* NaN prints as null */
        json_kv_real(w, "kurtosis", m.kurtosis);
        json_kv_int(w, "n", (long long)m.n);
        json_object_end(w);
    }
    matrix_free(x);
    return st;
}
