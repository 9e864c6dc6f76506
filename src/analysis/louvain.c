#include "neurotop/analysis/louvain.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "louvain_internal.h"
#include "neurotop/analysis/community.h"
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

/* docs/methods.md §2 step 2: sweeps in fresh random orders until one moves
 * nothing, from the partition init (module ids < n; NULL = every node alone). */
static Status local_moving(const LouvainOp *op, LouvainWork *w, const int *init, unsigned flags, Rng *rng,
                           int *moved_any, const volatile int *cancel, char *msg)
{
    size_t n = op->n;
    LouvainLevel lv;
    louvain_i_level(op, &lv);
    if (flags & LOUVAIN_MOVE_RANDOM)
        lv.random_moves = rng;
    louvain_i_start(w, op, init);
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
            LouvainRow r;
            op->row(op->ctx, u, &r);
            double gain;
            int best = louvain_i_best_module(w, &lv, u, &r, &gain);
            if (!(gain > LOUVAIN_TOL))
                continue;
            louvain_i_move(w, op, u, best);
            moved = 1;
        }
        if (!moved)
            break;
        *moved_any = 1;
    }
    return ST_OK;
}

/* ---- public ------------------------------------------------------------- */

Status louvain_quality(const LouvainOp *op, const int *labels, double *q, char *msg)
{
    Status st = louvain_i_check_op(op, msg);
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

Status louvain_run_from(const LouvainOp *op, Rng *rng, const int *init, unsigned flags, int *labels,
                        double *q, size_t *k, const volatile int *cancel, char *msg)
{
    Status st = louvain_i_check_op(op, msg);
    if (st)
        return st;
    if (!rng || !labels || !q)
        return status_fail(msg, ST_EINVAL, "louvain_run needs an Rng, labels and an output");
    size_t n0 = op->n;
    LouvainWork w;
    if ((st = louvain_i_work_init(&w, n0, op->rank, msg)))
        return st;
    int *start = NULL;
    LouvainCsr *csr = NULL;
    if (init) {
        /* ids 0..k−1 for the first level */
        size_t k0;
        if (!(start = malloc(n0 * sizeof *start)))
            st = status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n0);
        else if (!(st = modmat_relabel(init, n0, start, &k0, msg)))
            for (size_t i = 0; i < n0; i++)
                start[i]--;
        if (st)
            goto done;
    }
    for (size_t i = 0; i < n0; i++)
        w.orig[i] = (int)i;
    const LouvainOp *cur = op;
    LouvainOp meta;
    for (;;) {
        int moved;
        if ((st = local_moving(cur, &w, start, flags, rng, &moved, cancel, msg)))
            goto done;
        size_t nk = louvain_i_renumber(w.label, w.size, w.renum, cur->n);
        for (size_t i = 0; i < n0; i++)
            w.orig[i] = w.label[w.orig[i]];
        /* a level that moved nothing ends the run, unless it started from a
         * given partition that still has to be aggregated */
        if (!moved && nk == cur->n)
            break;
        free(start);
        start = NULL;
        LouvainCsr *next = NULL;
        if ((st = louvain_i_collapse(cur, &w, w.label, nk, &next, msg)))
            goto done;
        louvain_i_csr_free(csr);
        csr = next;
        louvain_i_meta_op(op, csr, &meta);
        cur = &meta;
    }
    if ((st = modmat_relabel(w.orig, n0, labels, k, msg)))
        goto done;
    st = louvain_quality(op, labels, q, msg);
done:
    free(start);
    louvain_i_csr_free(csr);
    louvain_i_work_done(&w);
    return st;
}

Status louvain_run(const LouvainOp *op, Rng *rng, int *labels, double *q, size_t *k,
                   const volatile int *cancel, char *msg)
{
    return louvain_run_from(op, rng, NULL, 0, labels, q, k, cancel, msg);
}

Status louvain_run_range(const LouvainOp *op, uint64_t seed, uint64_t stream0, size_t r0,
                         size_t r1, double *q, int *parts, const volatile int *cancel, char *msg)
{
    return community_run_range(op, NULL, seed, stream0, r0, r1, q, parts, cancel, msg);
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
    return community_run_reps(op, NULL, seed, reps, best_labels, sum, all_q, all_parts, cancel, msg);
}
