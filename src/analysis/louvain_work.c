/* The level machinery shared by Louvain and Leiden (louvain_internal.h). */
#include "louvain_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the meta-graph ----------------------------------------------------- */

void louvain_i_csr_free(LouvainCsr *c)
{
    if (!c)
        return;
    free(c->ptr);
    free(c->col);
    free(c->val);
    free(c->diag);
    for (int r = 0; r < LOUVAIN_MAX_RANK; r++)
        free(c->x[r]);
    free(c);
}

static void csr_row(const void *ctx, size_t u, LouvainRow *out)
{
    const LouvainCsr *c = ctx;
    out->diag = c->diag[u];
    out->len = c->ptr[u + 1] - c->ptr[u];
    out->vals = c->val + c->ptr[u];
    out->cols = c->col + c->ptr[u];
    out->start = 0;
    out->n_extra = 0;
}

void louvain_i_meta_op(const LouvainOp *base, const LouvainCsr *c, LouvainOp *meta)
{
    *meta = (LouvainOp){.n = c->n, .ctx = c, .row = csr_row, .rank = base->rank};
    for (size_t r = 0; r < base->rank; r++) {
        meta->x[r] = c->x[r];
        meta->sigma[r] = base->sigma[r];
    }
}

/* ---- workspace ---------------------------------------------------------- */

void louvain_i_work_done(LouvainWork *w)
{
    free(w->label);
    free(w->size);
    free(w->acc);
    free(w->seen);
    free(w->touched);
    free(w->perm);
    free(w->renum);
    free(w->orig);
    free(w->ne);
    free(w->ne_pos);
    for (int r = 0; r < LOUVAIN_MAX_RANK; r++)
        free(w->tot[r]);
    memset(w, 0, sizeof *w);
}

Status louvain_i_work_init(LouvainWork *w, size_t n, size_t rank, char *msg)
{
    memset(w, 0, sizeof *w);
    w->label = malloc(n * sizeof *w->label);
    w->size = malloc(n * sizeof *w->size);
    w->acc = calloc(n, sizeof *w->acc);
    w->seen = calloc(n, 1);
    w->touched = malloc(n * sizeof *w->touched);
    w->perm = malloc(n * sizeof *w->perm);
    w->renum = malloc(n * sizeof *w->renum);
    w->orig = malloc(n * sizeof *w->orig);
    w->ne = malloc(n * sizeof *w->ne);
    w->ne_pos = malloc(n * sizeof *w->ne_pos);
    int ok = 1;
    for (size_t r = 0; r < rank; r++)
        ok &= (w->tot[r] = malloc(n * sizeof *w->tot[r])) != NULL;
    if (!ok || !w->label || !w->size || !w->acc || !w->seen || !w->touched || !w->perm ||
        !w->renum || !w->orig || !w->ne || !w->ne_pos) {
        louvain_i_work_done(w);
        return status_fail(msg, ST_ENOMEM, "out of memory for a Louvain workspace of %zu nodes", n);
    }
    return ST_OK;
}

void louvain_i_level(const LouvainOp *op, LouvainLevel *lv)
{
    lv->op = op;
    lv->positive = 1;
    lv->random_moves = NULL;
    for (size_t k = 0; k < op->rank; k++) {
        lv->positive &= op->sigma[k] >= 0;
        for (size_t u = 0; u < op->n; u++)
            lv->positive &= op->x[k][u] >= 0;
    }
}

static void ne_add(LouvainWork *w, int c)
{
    w->ne_pos[c] = w->n_ne;
    w->ne[w->n_ne++] = c;
}

static void ne_remove(LouvainWork *w, int c)
{
    int last = w->ne[--w->n_ne];
    w->ne[w->ne_pos[c]] = last;
    w->ne_pos[last] = w->ne_pos[c];
}

void louvain_i_start(LouvainWork *w, const LouvainOp *op, const int *init)
{
    size_t n = op->n;
    for (size_t c = 0; c < n; c++) {
        w->size[c] = 0;
        for (size_t k = 0; k < op->rank; k++)
            w->tot[k][c] = 0;
    }
    w->n_ne = 0;
    for (size_t u = 0; u < n; u++) {
        int c = init ? init[u] : (int)u;
        w->label[u] = c;
        if (w->size[c]++ == 0)
            ne_add(w, c);
        for (size_t k = 0; k < op->rank; k++)
            w->tot[k][c] += op->x[k][u];
    }
    w->min_empty = 0;
    while (w->min_empty < n && w->size[w->min_empty] > 0)
        w->min_empty++;
}

/* row_accumulate with the module ids of `label`. */
static size_t accumulate(LouvainWork *w, const int *label, const LouvainRow *r, size_t nt)
{
    double *acc = w->acc;
    unsigned char *seen = w->seen;
    int *touched = w->touched;
    for (size_t j = 0; j < r->len; j++) {
        int c = label[r->cols ? r->cols[j] : r->start + j];
        if (!seen[c]) {
            seen[c] = 1;
            touched[nt++] = c;
        }
        acc[c] += r->vals[j];
    }
    for (size_t e = 0; e < r->n_extra; e++) {
        int c = label[r->extra_col[e]];
        if (!seen[c]) {
            seen[c] = 1;
            touched[nt++] = c;
        }
        acc[c] += r->extra_val[e];
    }
    return nt;
}

size_t louvain_i_row_accumulate(LouvainWork *w, const LouvainRow *r, size_t nt)
{
    return accumulate(w, w->label, r, nt);
}

void louvain_i_touched_reset(LouvainWork *w, size_t nt)
{
    for (size_t t = 0; t < nt; t++) {
        int c = w->touched[t];
        w->seen[c] = 0;
        w->acc[c] = 0;
    }
}

/* Candidates are the modules met in u's row plus the lowest empty id
 * (moving out alone); a module that shares no entry with u's row has
 * R_uc = 0 and, with a positive null model, can only lose to or tie with
 * the empty id, so leaving it out changes no maximum. Otherwise every
 * non-empty module is scanned. A full dense row meets every non-empty
 * module, so it skips the bookkeeping of which modules were met.
 * H_uc = R_uc − Σ_r σ_r x_r[u] X_r[c] (X_r = module sums). */
int louvain_i_best_module(LouvainWork *w, const LouvainLevel *lv, size_t u, const LouvainRow *r,
                          double *gain)
{
    const LouvainOp *op = lv->op;
    size_t n = op->n, rank = op->rank;
    int a = w->label[u], best = a;
    double best_gain = 0.0, hua, bdiag = r->diag;
    double cu[LOUVAIN_MAX_RANK] = {0}; /* σ_r x_r[u] */
    Rng *rnd = lv->random_moves;
    uint64_t improving = 0; /* candidates seen so far that gain (random moves) */
    for (size_t k = 0; k < rank; k++) {
        cu[k] = op->sigma[k] * op->x[k][u];
        bdiag -= cu[k] * op->x[k][u];
    }
#define LOWRANK(c) (rank == 0 ? 0.0 : rank == 1 ? cu[0] * w->tot[0][c] : cu[0] * w->tot[0][c] + cu[1] * w->tot[1][c])
/* random moves: reservoir sampling, one uniform choice among the gainers */
#define CONSIDER(c, g)                                                   \
    do {                                                                 \
        double g_ = (g);                                                 \
        if (rnd) {                                                       \
            if (g_ > LOUVAIN_TOL && rng_below(rnd, ++improving) == 0) {  \
                best_gain = g_;                                          \
                best = (c);                                              \
            }                                                            \
        } else if (g_ > best_gain || (g_ == best_gain && (c) < best)) {  \
            best_gain = g_;                                              \
            best = (c);                                                  \
        }                                                                \
    } while (0)
    if (rank == 0 && !r->cols && r->start == 0 && r->len == n && r->n_extra == 0) {
        const int *label = w->label;
        double *acc = w->acc;
        for (size_t v = 0; v < n; v++)
            acc[label[v]] += r->vals[v];
        hua = acc[a];
        for (size_t t = 0; t < w->n_ne; t++) {
            int c = w->ne[t];
            double g = acc[c] - hua + bdiag;
            acc[c] = 0;
            if (c != a)
                CONSIDER(c, g);
        }
    } else {
        w->seen[a] = 1;
        w->touched[0] = a;
        size_t nt = louvain_i_row_accumulate(w, r, 1);
        hua = w->acc[a] - LOWRANK(a);
        if (rank == 0 || lv->positive) {
            for (size_t t = 1; t < nt; t++) {
                int c = w->touched[t];
                CONSIDER(c, w->acc[c] - LOWRANK(c) - hua + bdiag);
            }
        } else {
            /* acc is 0 for the modules the row did not meet */
            for (size_t t = 0; t < w->n_ne; t++) {
                int c = w->ne[t];
                if (c != a)
                    CONSIDER(c, w->acc[c] - LOWRANK(c) - hua + bdiag);
            }
        }
        louvain_i_touched_reset(w, nt);
    }
    /* an empty module has X_r = 0 */
    if (w->min_empty < n)
        CONSIDER((int)w->min_empty, -hua + bdiag);
#undef CONSIDER
#undef LOWRANK
    *gain = best_gain;
    return best;
}

void louvain_i_move(LouvainWork *w, const LouvainOp *op, size_t u, int to)
{
    size_t n = op->n;
    int a = w->label[u];
    w->label[u] = to;
    for (size_t k = 0; k < op->rank; k++) {
        w->tot[k][a] -= op->x[k][u];
        w->tot[k][to] += op->x[k][u];
    }
    if (w->size[to]++ == 0) {
        ne_add(w, to);
        while (w->min_empty < n && w->size[w->min_empty] > 0)
            w->min_empty++;
    }
    if (--w->size[a] == 0) {
        ne_remove(w, a);
        if ((size_t)a < w->min_empty)
            w->min_empty = (size_t)a;
    }
}

size_t louvain_i_renumber(int *labels, const size_t *size, int *renum, size_t n)
{
    int k = 0;
    for (size_t c = 0; c < n; c++)
        renum[c] = size[c] > 0 ? k++ : -1;
    for (size_t u = 0; u < n; u++)
        labels[u] = renum[labels[u]];
    return (size_t)k;
}

/* ---- aggregation -------------------------------------------------------- */

static int grow(LouvainCsr *c, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    size_t *col = realloc(c->col, nc * sizeof *col);
    if (!col)
        return -1;
    c->col = col;
    double *val = realloc(c->val, nc * sizeof *val);
    if (!val)
        return -1;
    c->val = val;
    *cap = nc;
    return 0;
}

Status louvain_i_collapse(const LouvainOp *op, LouvainWork *w, const int *labels, size_t k,
                          LouvainCsr **out, char *msg)
{
    size_t n = op->n, cap = 0;
    LouvainCsr *c = calloc(1, sizeof *c);
    size_t *head = calloc(k + 1, sizeof *head);
    size_t *member = malloc(n * sizeof *member);
    if (!c || !head || !member)
        goto oom;
    c->n = k;
    c->ptr = malloc((k + 1) * sizeof *c->ptr);
    c->diag = calloc(k, sizeof *c->diag);
    if (!c->ptr || !c->diag)
        goto oom;
    for (size_t u = 0; u < n; u++)
        head[labels[u] + 1]++;
    for (size_t m = 0; m < k; m++)
        head[m + 1] += head[m];
    for (size_t u = 0; u < n; u++)
        member[head[labels[u]]++] = u;
    /* head[m] now ends module m; module m starts at head[m−1]. */
    size_t nnz = 0;
    for (size_t m = 0; m < k; m++) {
        size_t nt = 0;
        for (size_t p = m ? head[m - 1] : 0; p < head[m]; p++) {
            LouvainRow r;
            op->row(op->ctx, member[p], &r);
            nt = accumulate(w, labels, &r, nt);
        }
        c->ptr[m] = nnz;
        if (grow(c, &cap, nnz + nt)) {
            louvain_i_touched_reset(w, nt);
            goto oom;
        }
        for (size_t t = 0; t < nt; t++) {
            int d = w->touched[t];
            c->col[nnz] = (size_t)d;
            c->val[nnz++] = w->acc[d];
            if ((size_t)d == m)
                c->diag[m] = w->acc[d];
        }
        louvain_i_touched_reset(w, nt);
    }
    c->ptr[k] = nnz;
    for (size_t r = 0; r < op->rank; r++) {
        if (!(c->x[r] = calloc(k, sizeof *c->x[r])))
            goto oom;
        for (size_t u = 0; u < n; u++)
            c->x[r][labels[u]] += op->x[r][u];
    }
    free(head);
    free(member);
    *out = c;
    return ST_OK;
oom:
    free(head);
    free(member);
    louvain_i_csr_free(c);
    return status_fail(msg, ST_ENOMEM, "out of memory aggregating %zu modules", k);
}

Status louvain_i_check_op(const LouvainOp *op, char *msg)
{
    if (!op || !op->row || op->n == 0)
        return status_fail(msg, ST_EINVAL, "the modularity operator is empty");
    if (op->n > (size_t)INT_MAX)
        return status_fail(msg, ST_EINVAL, "%zu nodes are too many for Louvain", op->n);
    if (op->rank > LOUVAIN_MAX_RANK)
        return status_fail(msg, ST_EINVAL, "the null model has rank %zu (at most %d)", op->rank,
                           LOUVAIN_MAX_RANK);
    for (size_t r = 0; r < op->rank; r++)
        if (!op->x[r] || !isfinite(op->sigma[r]))
            return status_fail(msg, ST_EINVAL, "low-rank term %zu of the operator is unset", r);
    return ST_OK;
}
