/* Earth mover's distance and minimum-cost assignment of files
 * (info_transport.h). */
#include "neurotop/measure/info_transport.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/assign.h"
#include "neurotop/analysis/emd.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

static Status files_only(const Snapshot *s, const char *name, char *msg)
{
    if (s)
        return status_fail(msg, ST_EINVAL, "%s runs on files only", name);
    return ST_OK;
}

Status transport_emd_compute(const double *a, const double *b, size_t rows, size_t cols, TransportEmdResult *r,
                             char *msg)
{
    r->rows = rows;
    r->cols = cols;
    return emd_images(a, b, rows, cols, &r->emd, msg);
}

void transport_emd_json(const TransportEmdResult *r, JsonWriter *w)
{
    json_object_begin(w);
    json_kv_real(w, "emd", r->emd);
    json_object_end(w);
}

Status transport_emd_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg)
{
    (void)job;
    Status st = files_only(s, "emd", msg);
    if (st)
        return st;
    Matrix *a = NULL, *b = NULL;
    const char *pa = args->files[PARAM_A], *pb = args->files[PARAM_B];
    st = matrix_read_file(pa, &a, msg);
    if (!st)
        st = matrix_read_file(pb, &b, msg);
    if (!st && (a->rows != b->rows || a->cols != b->cols))
        st = status_fail(msg, ST_EINVAL, "%s is %zu x %zu but %s is %zu x %zu: shapes must match", pa, a->rows,
                         a->cols, pb, b->rows, b->cols);
    TransportEmdResult r;
    if (!st)
        st = transport_emd_compute(a->data, b->data, a->rows, a->cols, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        transport_emd_json(&r, &w);
    }
    matrix_free(a);
    matrix_free(b);
    return st;
}

void transport_assign_result_done(TransportAssignResult *r)
{
    free(r->assignment);
    memset(r, 0, sizeof *r);
}

Status transport_assign_compute(const double *cost, size_t n, TransportAssignResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    if (n > INT_MAX)
        return status_fail(msg, ST_EINVAL, "a cost matrix of %zu rows is too large", n);
    size_t *a = malloc((n ? n : 1) * sizeof *a);
    r->assignment = malloc((n ? n : 1) * sizeof *r->assignment);
    Status st = a && r->assignment ? ST_OK
                                   : status_fail(msg, ST_ENOMEM, "out of memory for an assignment of %zu rows", n);
    if (!st)
        st = assign_solve(cost, n, a, &r->cost, msg);
    for (size_t i = 0; !st && i < n; i++)
        r->assignment[i] = (int)a[i];
    free(a);
    if (st)
        transport_assign_result_done(r);
    else
        r->n = n;
    return st;
}

void transport_assign_json(const TransportAssignResult *r, JsonWriter *w)
{
    json_object_begin(w);
    json_key(w, "assignment");
    json_int_array(w, r->assignment, r->n);
    json_kv_real(w, "cost", r->cost);
    json_object_end(w);
}

Status transport_assign_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg)
{
    (void)job;
    Status st = files_only(s, "assign", msg);
    if (st)
        return st;
    Matrix *c = NULL;
    const char *path = args->files[PARAM_COST];
    st = matrix_read_file(path, &c, msg);
    if (!st && c->rows != c->cols)
        st = status_fail(msg, ST_EINVAL, "%s is %zu x %zu: the cost matrix must be square", path, c->rows, c->cols);
    TransportAssignResult r = {0};
    if (!st)
        st = transport_assign_compute(c->data, c->rows, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        transport_assign_json(&r, &w);
    }
    transport_assign_result_done(&r);
    matrix_free(c);
    return st;
}
