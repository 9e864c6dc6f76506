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

/* One entry; for a callback source, a non-finite value is an input error. */
static Status entry(const CostSrc *src, size_t i, size_t j, double *c, char *msg)
{
    if (src->m) {
        *c = src->m[i * src->n + j];
        return ST_OK;
    }
    *c = src->fn(src->ctx, i, j);
    if (!isfinite(*c))
        return status_fail(msg, ST_EINVAL, "assignment cost (%zu, %zu) is not finite", i, j);
    return ST_OK;
}

/* Jonker–Volgenant initialisation, which matches most rows cheaply:
 * column reduction (v_j = min_i c_ij, each column's argmin row takes it if
 * still free), reduction transfer for rows holding one column, then two
 * passes of augmenting row reduction. Keeps c_ij − u_i − v_j >= 0 for every
 * matched row with equality on its column. Writes the free rows to free_rows
 * and their count to *n_free. */
static Status jv_init(const CostSrc *src, Work *w, size_t *free_rows, size_t *n_free, char *msg)
{
    size_t n = src->n;
    Status st = ST_OK;
    size_t *argi = w->path, *matches = w->scanned_rows; /* scratch until the augmentation */
    double c;
    for (size_t j = 0; j < n; j++)
        w->v[j] = INFINITY;
    for (size_t i = 0; i < n; i++) {
        matches[i] = 0;
        for (size_t j = 0; j < n; j++) {
            if ((st = entry(src, i, j, &c, msg)))
                return st;
            if (c < w->v[j]) {
                w->v[j] = c;
                argi[j] = i;
            }
        }
    }
    for (size_t j = n; j-- > 0;) {
        size_t i = argi[j];
        if (matches[i]++ == 0) {
            w->col4row[i] = j;
            w->row4col[j] = i;
        }
    }
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        if (matches[i] == 0) {
            free_rows[nf++] = i;
            continue;
        }
        size_t j1 = w->col4row[i];
        double mu = INFINITY;
        if (matches[i] == 1) {
            for (size_t j = 0; j < n; j++) {
                if (j == j1)
                    continue;
                if ((st = entry(src, i, j, &c, msg)))
                    return st;
                mu = fmin(mu, c - w->v[j]);
            }
            if (isfinite(mu))
                w->v[j1] -= mu;
        }
        if ((st = entry(src, i, j1, &c, msg)))
            return st;
        w->u[i] = c - w->v[j1];
    }
    /* Augmenting row reduction. A reprocessed row strictly lowers one v, but
     * real-valued costs can make those steps tiny: cap the work per pass. */
    for (int pass = 0; pass < 2 && nf > 0 && n > 1; pass++) {
        size_t k = 0, prev = nf, budget = 4 * n;
        nf = 0;
        while (k < prev) {
            if (budget-- == 0) {
                while (k < prev)
                    free_rows[nf++] = free_rows[k++];
                break;
            }
            size_t i = free_rows[k++], j1 = 0, j2 = NONE;
            double h1 = INFINITY, h2 = INFINITY;
            for (size_t j = 0; j < n; j++) {
                if ((st = entry(src, i, j, &c, msg)))
                    return st;
                double h = c - w->v[j];
                if (h < h2) {
                    if (h < h1) {
                        h2 = h1;
                        j2 = j1;
                        h1 = h;
                        j1 = j;
                    } else {
                        h2 = h;
                        j2 = j;
                    }
                }
            }
            size_t i0 = w->row4col[j1];
            int strict = h1 < h2;
            if (strict)
                w->v[j1] -= h2 - h1;
            else if (i0 != NONE) {
                j1 = j2;
                i0 = w->row4col[j1];
            }
            if (i0 != NONE)
                w->col4row[i0] = NONE;
            w->row4col[j1] = i;
            w->col4row[i] = j1;
            w->u[i] = h2;
            if (i0 != NONE) {
                if (strict)
                    free_rows[--k] = i0;
                else
                    free_rows[nf++] = i0;
            }
        }
    }
    *n_free = nf;
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
    size_t *free_rows = malloc(n * sizeof *free_rows), n_free = 0;
    if (!free_rows)
        st = status_fail(msg, ST_ENOMEM, "out of memory for an assignment of size %zu", n);
    if (!st)
        st = jv_init(src, &w, free_rows, &n_free, msg);
    for (size_t k = 0; k <= n_free && !st; k++) {
        if (k > 0)
            st = augment_row(src, &w, free_rows[k - 1], msg);
        size_t done = n - n_free + k;
        if (!st && progress && progress(pctx, done, n))
            st = status_fail(msg, ST_ECANCELED, "assignment canceled with %zu of %zu rows matched", done, n);
    }
    free(free_rows);
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
