#include "neurotop/analysis/assign.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define NONE SIZE_MAX

/* Where costs come from: a matrix (fast path) or a callback. */
typedef struct {
    const double *m;
    size_t n;
    AssignCostFn fn;
    void *ctx;
} CostSrc;

typedef struct {
    double *u, *v, *d;    /* row and column potentials; path lengths to columns */
    size_t *row4col, *col4row, *path, *remaining, *scanned_rows;
    unsigned char *scanned_col;
} Work;

static void work_free(Work *w)
{
    free(w->u);
    free(w->v);
    free(w->d);
    free(w->row4col);
    free(w->col4row);
    free(w->path);
    free(w->remaining);
    free(w->scanned_rows);
    free(w->scanned_col);
}

static Status work_alloc(Work *w, size_t n, char *msg)
{
    *w = (Work){0};
    if (n > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "assignment of size %zu is too large", n);
    w->u = calloc(n, sizeof *w->u);
    w->v = calloc(n, sizeof *w->v);
    w->d = malloc(n * sizeof *w->d);
    w->row4col = malloc(n * sizeof *w->row4col);
    w->col4row = malloc(n * sizeof *w->col4row);
    w->path = malloc(n * sizeof *w->path);
    w->remaining = malloc(n * sizeof *w->remaining);
    w->scanned_rows = malloc(n * sizeof *w->scanned_rows);
    w->scanned_col = malloc(n);
    if (!w->u || !w->v || !w->d || !w->row4col || !w->col4row || !w->path || !w->remaining ||
        !w->scanned_rows || !w->scanned_col) {
        work_free(w);
        return status_fail(msg, ST_ENOMEM, "out of memory for an assignment of size %zu", n);
    }
    for (size_t k = 0; k < n; k++)
        w->row4col[k] = w->col4row[k] = NONE;
    return ST_OK;
}

/* Add row cur to the matching: Dijkstra over columns on reduced costs
 * c_ij − u_i − v_j (non-negative for matched rows), then update the
 * potentials and flip the augmenting path. */
static Status augment_row(const CostSrc *src, Work *w, size_t cur, char *msg)
{
    size_t n = src->n, n_rem = n, n_sr = 0, sink = NONE, i = cur;
    double min_val = 0.0;
    for (size_t k = 0; k < n; k++) {
        /* Reversed order: ties then prefer low column indices (swap-removal). */
        w->remaining[k] = n - 1 - k;
        w->d[k] = INFINITY;
        w->scanned_col[k] = 0;
    }
    while (sink == NONE) {
        w->scanned_rows[n_sr++] = i;
        double lowest = INFINITY, ui = w->u[i];
        size_t at = NONE;
        const double *row = src->m ? src->m + i * n : NULL;
        for (size_t k = 0; k < n_rem; k++) {
            size_t j = w->remaining[k];
            double c = row ? row[j] : src->fn(src->ctx, i, j);
            if (!row && !isfinite(c))
                return status_fail(msg, ST_EINVAL, "assignment cost (%zu, %zu) is not finite", i, j);
            double r = min_val + c - ui - w->v[j];
            if (r < w->d[j]) {
                w->path[j] = i;
                w->d[j] = r;
            }
            /* Among equal distances prefer a free column: the path ends sooner. */
            if (w->d[j] < lowest || (w->d[j] == lowest && w->row4col[j] == NONE)) {
                lowest = w->d[j];
                at = k;
            }
        }
        if (at == NONE || !isfinite(lowest))
            return status_fail(msg, ST_ENUMERIC, "assignment path lengths overflowed (costs too large)");
        min_val = lowest;
        size_t j = w->remaining[at];
        w->scanned_col[j] = 1;
        w->remaining[at] = w->remaining[--n_rem];
        if (w->row4col[j] == NONE)
            sink = j;
        else
            i = w->row4col[j];
    }
    w->u[cur] += min_val;
    for (size_t k = 1; k < n_sr; k++) {
        size_t r = w->scanned_rows[k];
        w->u[r] += min_val - w->d[w->col4row[r]];
    }
    for (size_t j = 0; j < n; j++)
        if (w->scanned_col[j])
            w->v[j] -= min_val - w->d[j];
    for (size_t j = sink;;) {
        size_t r = w->path[j];
        w->row4col[j] = r;
        size_t prev = w->col4row[r];
        w->col4row[r] = j;
        if (r == cur)
            break;
        j = prev;
    }
    return ST_OK;
}

static Status solve(const CostSrc *src, size_t *assignment, double *total,
                    AssignProgressFn progress, void *pctx, char *msg)
{
    size_t n = src->n;
    Work w;
    Status st = work_alloc(&w, n, msg);
    if (st)
        return st;
    for (size_t cur = 0; cur < n && !st; cur++) {
        st = augment_row(src, &w, cur, msg);
        if (!st && progress && progress(pctx, cur + 1, n))
            st = status_fail(msg, ST_ECANCELED, "assignment canceled after %zu of %zu rows", cur + 1, n);
    }
    if (!st) {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++) {
            size_t j = w.col4row[i];
            assignment[i] = j;
            sum += src->m ? src->m[i * n + j] : src->fn(src->ctx, i, j);
        }
        if (!isfinite(sum))
            st = status_fail(msg, ST_ENUMERIC, "assignment cost overflowed");
        else
            *total = sum;
    }
    work_free(&w);
    return st;
}

Status assign_solve(const double *cost, size_t n, size_t *assignment, double *total, char *msg)
{
    if (!cost || !assignment || !total)
        return status_fail(msg, ST_EINVAL, "assign_solve needs non-NULL inputs");
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "an assignment needs at least one row");
    if (n > SIZE_MAX / n)
        return status_fail(msg, ST_EINVAL, "assignment of size %zu is too large", n);
    /* Path lengths add up to ~2n entries; keep them far from overflow. */
    double limit = DBL_MAX / (4.0 * ((double)n + 1.0));
    for (size_t t = 0; t < n * n; t++) {
        if (!isfinite(cost[t]))
            return status_fail(msg, ST_EINVAL, "cost entry (%zu, %zu) is not finite", t / n, t % n);
        if (fabs(cost[t]) > limit)
            return status_fail(msg, ST_EINVAL, "cost entry (%zu, %zu) is too large to sum safely", t / n, t % n);
    }
    CostSrc src = {.m = cost, .n = n};
    return solve(&src, assignment, total, NULL, NULL, msg);
}

Status assign_solve_fn(AssignCostFn fn, void *ctx, size_t n, size_t *assignment, double *total,
                       AssignProgressFn progress, void *progress_ctx, char *msg)
{
    if (!fn || !assignment || !total)
        return status_fail(msg, ST_EINVAL, "assign_solve_fn needs non-NULL inputs");
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "an assignment needs at least one row");
    CostSrc src = {.n = n, .fn = fn, .ctx = ctx};
    return solve(&src, assignment, total, progress, progress_ctx, msg);
}
