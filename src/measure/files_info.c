/* `analyze` KINDs for information and comparison of maps: mi (§11), emd
 * (§12), assign (§13) and permtest (§14) of METHODS.md. */
#include "files_internal.h"

#include <limits.h>
#include <stdlib.h>

#include "neurotop/analysis/assign.h"
#include "neurotop/analysis/emd.h"
#include "neurotop/analysis/info.h"
#include "neurotop/analysis/permtest.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"
#include "neurotop/data/dataset.h"
#include "neurotop/data/idx.h"

Status analyze_mi(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    ImageSet set = {0};
    uint8_t *labels = NULL;
    size_t n_labels = 0;
    double *ip = NULL, *id = NULL;
    int *theta = NULL;
    Status st = idx_read_images(args->files[PARAM_IMAGES], &set, msg);
    if (!st)
        st = idx_read_labels(args->files[PARAM_LABELS], &labels, &n_labels, msg);
    if (st)
        goto done;
    if (set.n == 0 || n_labels == 0) {
        st = status_fail(msg, ST_EFORMAT, "the image and label files must hold at least one item");
        goto done;
    }
    if (set.n != n_labels) {
        st = status_fail(msg, ST_EINVAL, "%s holds %zu images but %s holds %zu labels",
                         args->files[PARAM_IMAGES], set.n, args->files[PARAM_LABELS], n_labels);
        goto done;
    }
    size_t p = set.rows * set.cols; /* the reader has bounded n·rows·cols */
    ip = malloc(p * sizeof *ip);
    id = malloc(p * sizeof *id);
    theta = malloc(p * sizeof *theta);
    if (!ip || !id || !theta) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu pixels", p);
        goto done;
    }
    st = info_pixel_ip_id(set.pixels, labels, set.n, p, ip, id, theta, msg);
    if (st)
        goto done;
    json_object_begin(w);
    json_key(w, "ip");
    json_real_array(w, ip, p);
    json_key(w, "id");
    json_real_array(w, id, p);
    json_key(w, "theta");
    json_int_array(w, theta, p);
    json_kv_int(w, "n", (long long)set.n);
    json_object_end(w);
done:
    imageset_done(&set);
    free(labels);
    free(ip);
    free(id);
    free(theta);
    return st;
}

/* Reads --a and --b, which must have the same rows × cols shape. */
static Status read_pair(const AnalysisArgs *args, Matrix **a, Matrix **b, char *msg)
{
    *a = *b = NULL;
    Status st = matrix_read_file(args->files[PARAM_A], a, msg);
    if (!st)
        st = matrix_read_file(args->files[PARAM_B], b, msg);
    if (!st && ((*a)->rows != (*b)->rows || (*a)->cols != (*b)->cols))
        st = status_fail(msg, ST_EINVAL, "%s is %zu x %zu but %s is %zu x %zu: shapes must match",
                         args->files[PARAM_A], (*a)->rows, (*a)->cols, args->files[PARAM_B], (*b)->rows, (*b)->cols);
    if (st) {
        matrix_free(*a);
        matrix_free(*b);
        *a = *b = NULL;
    }
    return st;
}

Status analyze_permtest(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *a, *b;
    Status st = read_pair(args, &a, &b, msg);
    if (st)
        return st;
    PermTest t;
    st = permtest_run(a->data, b->data, NULL, a->rows * a->cols, (size_t)args->perms,
                      (uint64_t)args->seed, &t, msg);
    if (!st) {
        json_object_begin(w);
        json_kv_real(w, "r", t.r);
        json_kv_real(w, "p", t.p);
        json_kv_int(w, "perms", (long long)t.perms);
        json_kv_int(w, "exceed", (long long)t.exceed);
        json_object_end(w);
    }
    matrix_free(a);
    matrix_free(b);
    return st;
}

Status analyze_emd(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *a, *b;
    Status st = read_pair(args, &a, &b, msg);
    if (st)
        return st;
    double d;
    st = emd_images(a->data, b->data, a->rows, a->cols, &d, msg);
    if (!st) {
        json_object_begin(w);
        json_kv_real(w, "emd", d);
        json_object_end(w);
    }
    matrix_free(a);
    matrix_free(b);
    return st;
}

Status analyze_assign(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *c = NULL;
    size_t *a = NULL;
    int *ai = NULL;
    Status st = matrix_read_file(args->files[PARAM_COST], &c, msg);
    if (st)
        return st;
    size_t n = c->rows;
    if (c->rows != c->cols) {
        st = status_fail(msg, ST_EINVAL, "%s is %zu x %zu: the cost matrix must be square",
                         args->files[PARAM_COST], c->rows, c->cols);
        goto done;
    }
    if (n > INT_MAX) {
        st = status_fail(msg, ST_EINVAL, "%s has too many rows (%zu)", args->files[PARAM_COST], n);
        goto done;
    }
    a = malloc(n * sizeof *a);
    ai = malloc(n * sizeof *ai);
    if (!a || !ai) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for an assignment of %zu rows", n);
        goto done;
    }
    double cost;
    st = assign_solve(c->data, n, a, &cost, msg);
    if (st)
        goto done;
    for (size_t i = 0; i < n; i++)
        ai[i] = (int)a[i];
    json_object_begin(w);
    json_key(w, "assignment");
    json_int_array(w, ai, n);
    json_kv_real(w, "cost", cost);
    json_object_end(w);
done:
    matrix_free(c);
    free(a);
    free(ai);
    return st;
}
