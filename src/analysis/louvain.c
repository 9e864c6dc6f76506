#include "neurotop/analysis/louvain.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/modmatrix.h"

/* ---- operators ---------------------------------------------------------- */

static void dense_row(const void *ctx, size_t u, LouvainRow *out)
{
    const Matrix *b = ctx;
    const double *row = &MAT_AT(b, u, 0);
    out->diag = row[u];
    out->len = b->cols;
    out->vals = row;
    out->cols = NULL;
    out->start = 0;
    out->n_extra = 0;
}

void louvain_op_dense(LouvainOp *op, const Matrix *b)
{
    *op = (LouvainOp){.n = b ? b->rows : 0, .ctx = b, .row = dense_row};
}

static void sparse_row(const void *ctx, size_t u, LouvainRow *out)
{
    const ModSparse *s = ctx;
    out->diag = s->diag[u];
    out->len = s->ptr[u + 1] - s->ptr[u];
    out->vals = s->val + s->ptr[u];
    out->cols = s->col + s->ptr[u];
    out->start = 0;
    out->n_extra = 0;
}

void louvain_op_sparse(LouvainOp *op, const ModSparse *s)
{
    *op = (LouvainOp){.n = s ? s->n : 0, .ctx = s, .row = sparse_row};
    if (!s)
        return;
    /* B = R − gp·k⁺k⁺ᵀ − (−gn)·k⁻k⁻ᵀ; a zero term is left out */
    if (s->gp != 0) {
        op->x[op->rank] = s->kp;
        op->sigma[op->rank++] = s->gp;
    }
    if (s->gn != 0) {
        op->x[op->rank] = s->kn;
        op->sigma[op->rank++] = -s->gn;
    }
}

/* The meta-graph after an aggregation: sparse rows, diagonal included. */
typedef struct {
    size_t n;
    size_t *ptr; /* n + 1 */
    size_t *col;
    double *val;
    double *diag;
    double *x[LOUVAIN_MAX_RANK]; /* module sums of the level's x vectors */
} Csr;

static void csr_free(Csr *c)
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
    const Csr *c = ctx;
    out->diag = c->diag[u];
    out->len = c->ptr[u + 1] - c->ptr[u];
    out->vals = c->val + c->ptr[u];
    out->cols = c->col + c->ptr[u];
    out->start = 0;
    out->n_extra = 0;
}

/* ---- workspace ---------------------------------------------------------- */

typedef struct {
    int *label;          /* module id of each node of the current level */
    size_t *size;        /* members of each module id */
    double *acc;         /* Σ B_uv per module id for the node being visited; kept 0 */
    unsigned char *seen; /* module id already in `touched`; kept 0 */
    int *touched;        /* module ids met in the current row */
    size_t *perm;        /* node order of the sweep */
    int *renum;          /* old module id → new id */
    int *orig;           /* level-0 node → node of the current level */
    int *ne;             /* the non-empty module ids, in no order */
    size_t *ne_pos;      /* position of each non-empty id in ne */
    size_t n_ne;
    double *tot[LOUVAIN_MAX_RANK]; /* Σ x_r over each module id */
} Work;

static void work_done(Work *w)
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
}

static Status work_init(Work *w, size_t n, size_t rank, char *msg)
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
        work_done(w);
        return status_fail(msg, ST_ENOMEM, "out of memory for a Louvain workspace of %zu nodes", n);
    }
    return ST_OK;
}

/* Add every entry of row r into w->acc by module id of its column; returns
 * the number of module ids now listed in w->touched (pre-filled with nt). */
static size_t row_accumulate(Work *w, const LouvainRow *r, size_t nt)
{
    const int *label = w->label;
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

static void touched_reset(Work *w, size_t nt)
{
    for (size_t t = 0; t < nt; t++) {
        int c = w->touched[t];
        w->seen[c] = 0;
        w->acc[c] = 0;
    }
}

/* The level being optimised: its operator and whether its null model is
 * "positive" (every σ_r ≥ 0 and x_r ≥ 0), so that a module sharing no entry
 * of R with u can never beat moving out alone. */
typedef struct {
    const LouvainOp *op;
    int positive;
} Level;

/* Best module for node u (docs/methods.md §5 step 2): the argmax of
 * gain(c) = H_uc − H_ua + B_uu with gain(a) = 0 and the lowest id on ties,
 * where H_uc = R_uc − Σ_r σ_r x_r[u] X_r[c] (X_r = module sums).
 * Candidates are the modules met in u's row plus the lowest empty id (moving
 * out alone); a module that shares no entry with u's row has R_uc = 0 and,
 * with a positive null model, can only lose to or tie with the empty id, so
 * leaving it out changes no maximum. Otherwise every non-empty module is
 * scanned. A full dense row meets every non-empty module, so it skips the
 * bookkeeping of which modules were met. */
static int best_module(Work *w, const Level *lv, size_t u, const LouvainRow *r,
                       size_t min_empty, double *gain)
{
    const LouvainOp *op = lv->op;
    size_t n = op->n, rank = op->rank;
    int a = w->label[u], best = a;
    double best_gain = 0.0, hua, bdiag = r->diag;
    double cu[LOUVAIN_MAX_RANK] = {0}; /* σ_r x_r[u] */
    for (size_t k = 0; k < rank; k++) {
        cu[k] = op->sigma[k] * op->x[k][u];
        bdiag -= cu[k] * op->x[k][u];
    }
#define LOWRANK(c) (rank == 0 ? 0.0 : rank == 1 ? cu[0] * w->tot[0][c] : cu[0] * w->tot[0][c] + cu[1] * w->tot[1][c])
#define CONSIDER(c, g)                                                   \
    do {                                                                 \
        double g_ = (g);                                                 \
        if (g_ > best_gain || (g_ == best_gain && (c) < best)) {         \
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
        size_t nt = row_accumulate(w, r, 1);
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
        touched_reset(w, nt);
    }
    /* an empty module has X_r = 0 */
    if (min_empty < n)
        CONSIDER((int)min_empty, -hua + bdiag);
#undef CONSIDER
#undef LOWRANK
    *gain = best_gain;
    return best;
}

static void ne_add(Work *w, int c)
{
    w->ne_pos[c] = w->n_ne;
    w->ne[w->n_ne++] = c;
}

static void ne_remove(Work *w, int c)
{
    int last = w->ne[--w->n_ne];
    w->ne[w->ne_pos[c]] = last;
    w->ne_pos[last] = w->ne_pos[c];
}

/* docs/methods.md §5 step 2: sweeps in fresh random orders until one moves nothing.
 * Module ids are 0..n−1, one node each at the start. */
static Status local_moving(const LouvainOp *op, Work *w, Rng *rng, int *moved_any,
                           const volatile int *cancel, char *msg)
{
    size_t n = op->n, min_empty = n;
    Level lv = {op, 1};
    for (size_t k = 0; k < op->rank; k++) {
        lv.positive &= op->sigma[k] >= 0;
        for (size_t u = 0; u < n; u++)
            lv.positive &= op->x[k][u] >= 0;
    }
    w->n_ne = 0;
    for (size_t u = 0; u < n; u++) {
        w->label[u] = (int)u;
        w->size[u] = 1;
        ne_add(w, (int)u);
        for (size_t k = 0; k < op->rank; k++)
            w->tot[k][u] = op->x[k][u];
    }
    *moved_any = 0;
    for (size_t sweep = 0;; sweep++) {
        if (cancel && *cancel)
            return status_fail(msg, ST_ECANCELED, "Louvain was cancelled");
        if (sweep >= LOUVAIN_MAX_SWEEPS)
            return status_fail(msg, ST_ENUMERIC,
                               "Louvain made moves for %d sweeps without settling",
                               LOUVAIN_MAX_SWEEPS);
        rng_permutation(rng, w->perm, n);
        int moved = 0;
        for (size_t p = 0; p < n; p++) {
            size_t u = w->perm[p];
            int a = w->label[u];
            LouvainRow r;
            op->row(op->ctx, u, &r);
            double gain;
            int best = best_module(w, &lv, u, &r, min_empty, &gain);
            if (!(gain > LOUVAIN_TOL))
                continue;
            w->label[u] = best;
            for (size_t k = 0; k < op->rank; k++) {
                w->tot[k][a] -= op->x[k][u];
                w->tot[k][best] += op->x[k][u];
            }
            if (w->size[best]++ == 0) {
                ne_add(w, best);
                while (min_empty < n && w->size[min_empty] > 0)
                    min_empty++;
            }
            if (--w->size[a] == 0) {
                ne_remove(w, a);
                if ((size_t)a < min_empty)
                    min_empty = (size_t)a;
            }
            moved = 1;
        }
        if (!moved)
            break;
        *moved_any = 1;
    }
    return ST_OK;
}

/* Renumber non-empty module ids 0..k−1 in increasing id order (bctpy's
 * np.unique) and rewrite the labels. */
static size_t renumber(Work *w, size_t n)
{
    int k = 0;
    for (size_t c = 0; c < n; c++)
        w->renum[c] = w->size[c] > 0 ? k++ : -1;
    for (size_t u = 0; u < n; u++)
        w->label[u] = w->renum[w->label[u]];
    return (size_t)k;
}

static int grow(Csr *c, size_t *cap, size_t need)
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

/* B' = SᵀBS for labels 0..k−1 of the current level, as sparse rows. */
static Status collapse(const LouvainOp *op, Work *w, size_t k, Csr **out, char *msg)
{
    size_t n = op->n, cap = 0;
    Csr *c = calloc(1, sizeof *c);
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
        head[w->label[u] + 1]++;
    for (size_t m = 0; m < k; m++)
        head[m + 1] += head[m];
    for (size_t u = 0; u < n; u++)
        member[head[w->label[u]]++] = u;
    /* head[m] now ends module m; module m starts at head[m−1]. */
    size_t nnz = 0;
    for (size_t m = 0; m < k; m++) {
        size_t nt = 0;
        for (size_t p = m ? head[m - 1] : 0; p < head[m]; p++) {
            LouvainRow r;
            op->row(op->ctx, member[p], &r);
            nt = row_accumulate(w, &r, nt);
        }
        c->ptr[m] = nnz;
        if (grow(c, &cap, nnz + nt)) {
            touched_reset(w, nt);
            goto oom;
        }
        for (size_t t = 0; t < nt; t++) {
            int d = w->touched[t];
            c->col[nnz] = (size_t)d;
            c->val[nnz++] = w->acc[d];
            if ((size_t)d == m)
                c->diag[m] = w->acc[d];
        }
        touched_reset(w, nt);
    }
    c->ptr[k] = nnz;
    for (size_t r = 0; r < op->rank; r++) {
        if (!(c->x[r] = calloc(k, sizeof *c->x[r])))
            goto oom;
        for (size_t u = 0; u < n; u++)
            c->x[r][w->label[u]] += op->x[r][u];
    }
    free(head);
    free(member);
    *out = c;
    return ST_OK;
oom:
    free(head);
    free(member);
    csr_free(c);
    return status_fail(msg, ST_ENOMEM, "out of memory aggregating %zu modules", k);
}

/* ---- public ------------------------------------------------------------- */

static Status check_op(const LouvainOp *op, char *msg)
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

Status louvain_quality(const LouvainOp *op, const int *labels, double *q, char *msg)
{
    Status st = check_op(op, msg);
    if (st)
        return st;
    if (!labels || !q)
        return status_fail(msg, ST_EINVAL, "louvain_quality needs labels and an output");
    size_t n = op->n;
    int *id = malloc(n * sizeof *id);
    if (!id)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n);
    if ((st = modmat_relabel(labels, n, id, NULL, msg))) {
        free(id);
        return st;
    }
    size_t k = 0;
    for (size_t u = 0; u < n; u++)
        k = (size_t)id[u] > k ? (size_t)id[u] : k;
    double *tot = op->rank ? calloc(k * op->rank, sizeof *tot) : NULL;
    if (op->rank && !tot) {
        free(id);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu module sums", k);
    }
    double sum = 0;
    for (size_t u = 0; u < n; u++) {
        LouvainRow r;
        op->row(op->ctx, u, &r);
        int cu = id[u];
        double s = 0;
        for (size_t j = 0; j < r.len; j++)
            s += id[r.cols ? r.cols[j] : r.start + j] == cu ? r.vals[j] : 0.0;
        for (size_t e = 0; e < r.n_extra; e++)
            s += id[r.extra_col[e]] == cu ? r.extra_val[e] : 0.0;
        sum += s;
        for (size_t t = 0; t < op->rank; t++)
            tot[t * k + (size_t)cu - 1] += op->x[t][u];
    }
    /* Σ_uv σ x_u x_v δ = σ Σ_c X_c² */
    for (size_t t = 0; t < op->rank; t++)
        for (size_t c = 0; c < k; c++)
            sum -= op->sigma[t] * tot[t * k + c] * tot[t * k + c];
    free(tot);
    free(id);
    *q = sum;
    return ST_OK;
}

Status louvain_run(const LouvainOp *op, Rng *rng, int *labels, double *q, size_t *k,
                   const volatile int *cancel, char *msg)
{
    Status st = check_op(op, msg);
    if (st)
        return st;
    if (!rng || !labels || !q)
        return status_fail(msg, ST_EINVAL, "louvain_run needs an Rng, labels and an output");
    size_t n0 = op->n;
    Work w;
    if ((st = work_init(&w, n0, op->rank, msg)))
        return st;
    for (size_t i = 0; i < n0; i++)
        w.orig[i] = (int)i;
    const LouvainOp *cur = op;
    LouvainOp meta;
    Csr *csr = NULL;
    for (;;) {
        int moved;
        if ((st = local_moving(cur, &w, rng, &moved, cancel, msg)))
            goto done;
        size_t nk = renumber(&w, cur->n);
        for (size_t i = 0; i < n0; i++)
            w.orig[i] = w.label[w.orig[i]];
        if (!moved)
            break;
        Csr *next = NULL;
        if ((st = collapse(cur, &w, nk, &next, msg)))
            goto done;
        csr_free(csr);
        csr = next;
        meta = (LouvainOp){.n = nk, .ctx = csr, .row = csr_row, .rank = op->rank};
        for (size_t r = 0; r < op->rank; r++) {
            meta.x[r] = csr->x[r];
            meta.sigma[r] = op->sigma[r];
        }
        cur = &meta;
    }
    if ((st = modmat_relabel(w.orig, n0, labels, k, msg)))
        goto done;
    st = louvain_quality(op, labels, q, msg);
done:
    csr_free(csr);
    work_done(&w);
    return st;
}

Status louvain_run_range(const LouvainOp *op, uint64_t seed, uint64_t stream0, size_t r0,
                         size_t r1, double *q, int *parts, const volatile int *cancel, char *msg)
{
    Status st = check_op(op, msg);
    if (st)
        return st;
    size_t total;
    if (!q || !parts || r0 > r1 || size_mul(r1, op->n, &total))
        return status_fail(msg, ST_EINVAL, "louvain_run_range needs outputs and r0 <= r1");
    for (size_t r = r0; r < r1; r++) {
        Rng rng;
        rng_seed(&rng, seed, stream0 + r);
        if ((st = louvain_run(op, &rng, parts + r * op->n, &q[r], NULL, cancel, msg)))
            return st;
    }
    return ST_OK;
}

Status louvain_summarize(const double *q, size_t reps, LouvainSummary *out, char *msg)
{
    if (!q || !out || reps == 0)
        return status_fail(msg, ST_EINVAL, "louvain_summarize needs at least one run");
    LouvainSummary s = {reps, 0, q[0], 0, 0, q[0], q[0]};
    double sum = 0;
    for (size_t r = 0; r < reps; r++) {
        if (!isfinite(q[r]))
            return status_fail(msg, ST_ENUMERIC, "run %zu has a non-finite Q", r);
        if (q[r] > s.q_best + LOUVAIN_BEAT) {
            s.q_best = q[r];
            s.best = r;
        }
        s.q_min = q[r] < s.q_min ? q[r] : s.q_min;
        s.q_max = q[r] > s.q_max ? q[r] : s.q_max;
        sum += q[r];
    }
    s.q_mean = sum / (double)reps;
    double ss = 0;
    for (size_t r = 0; r < reps; r++)
        ss += (q[r] - s.q_mean) * (q[r] - s.q_mean);
    s.q_sd = reps > 1 ? sqrt(ss / (double)(reps - 1)) : 0.0;
    *out = s;
    return ST_OK;
}

Status louvain_run_reps(const LouvainOp *op, uint64_t seed, size_t reps, int *best_labels,
                        LouvainSummary *sum, double *all_q, int *all_parts,
                        const volatile int *cancel, char *msg)
{
    Status st = check_op(op, msg);
    if (st)
        return st;
    size_t n = op->n, total;
    if (!best_labels || !sum || reps == 0 || size_mul(reps, n, &total) ||
        total > SIZE_MAX / sizeof(int))
        return status_fail(msg, ST_EINVAL, "louvain_run_reps needs reps >= 1 and outputs");
    double *q = all_q ? all_q : malloc(reps * sizeof *q);
    int *scratch = all_parts ? NULL : malloc(n * sizeof *scratch);
    if (!q || (!all_parts && !scratch)) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs", reps);
        goto done;
    }
    if (all_parts) {
        if ((st = louvain_run_range(op, seed, 0, 0, reps, q, all_parts, cancel, msg)))
            goto done;
    } else {
        /* keep only the best partition so far: same choice as the summary's */
        double best = 0;
        for (size_t r = 0; r < reps; r++) {
            Rng rng;
            rng_seed(&rng, seed, r);
            if ((st = louvain_run(op, &rng, scratch, &q[r], NULL, cancel, msg)))
                goto done;
            if (r == 0 || q[r] > best + LOUVAIN_BEAT) {
                best = q[r];
                memcpy(best_labels, scratch, n * sizeof *scratch);
            }
        }
    }
    if ((st = louvain_summarize(q, reps, sum, msg)))
        goto done;
    if (all_parts)
        memcpy(best_labels, all_parts + sum->best * n, n * sizeof *best_labels);
done:
    if (!all_q)
        free(q);
    free(scratch);
    return st;
}
