#include "neurotop/analysis/leiden.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "louvain_internal.h"
#include "neurotop/analysis/modmatrix.h"

/* Leiden's workspace beyond the level machinery of Louvain. */
typedef struct {
    LouvainWork w;
    size_t *queue;        /* circular queue of nodes (n) */
    unsigned char *inq;   /* node is in the queue */
    unsigned char *pos;   /* refined cluster holds a positive neighbour of v; kept 0 */
    int *ref;             /* refined cluster of each node */
    size_t *rsize;        /* members of each refined cluster */
    double *rext;         /* B(C, S−C) of each refined cluster */
    double *rtot[LOUVAIN_MAX_RANK]; /* Σ x_r over each refined cluster */
    int *start;           /* initial partition of the level */
} Leiden;

static void leiden_done(Leiden *l)
{
    louvain_i_work_done(&l->w);
    free(l->queue);
    free(l->inq);
    free(l->pos);
    free(l->ref);
    free(l->rsize);
    free(l->rext);
    for (int r = 0; r < LOUVAIN_MAX_RANK; r++)
        free(l->rtot[r]);
    free(l->start);
}

static Status leiden_init(Leiden *l, size_t n, size_t rank, char *msg)
{
    memset(l, 0, sizeof *l);
    Status st = louvain_i_work_init(&l->w, n, rank, msg);
    if (st)
        return st;
    l->queue = malloc(n * sizeof *l->queue);
    l->inq = calloc(n, 1);
    l->pos = calloc(n, 1);
    l->ref = malloc(n * sizeof *l->ref);
    l->rsize = malloc(n * sizeof *l->rsize);
    l->rext = malloc(n * sizeof *l->rext);
    l->start = malloc(n * sizeof *l->start);
    int ok = l->queue && l->inq && l->pos && l->ref && l->rsize && l->rext && l->start;
    for (size_t r = 0; r < rank; r++)
        ok &= (l->rtot[r] = malloc(n * sizeof *l->rtot[r])) != NULL;
    if (!ok) {
        leiden_done(l);
        return status_fail(msg, ST_ENOMEM, "out of memory for a Leiden workspace of %zu nodes", n);
    }
    return ST_OK;
}

/* Column of entry j of row r (extras after the len regular ones). */
static size_t row_col(const LouvainRow *r, size_t j)
{
    if (j < r->len)
        return r->cols ? r->cols[j] : r->start + j;
    return r->extra_col[j - r->len];
}

static double row_val(const LouvainRow *r, size_t j)
{
    return j < r->len ? r->vals[j] : r->extra_val[j - r->len];
}

/* Step 1: the queue-driven local moving, from the partition already in
 * l->w (louvain_i_start). The queue follows moves through the graph's
 * entries, but the null model ties every node to every module's total, so
 * a move can change the best module of a node that is no neighbour: when
 * the queue runs dry after a move, every node is queued again in a fresh
 * order, until a round moves nothing (the same local optimum as Louvain's
 * sweeps; on the 994-node graph it halves the passes of --iterate). */
static Status fast_move(const LouvainOp *op, Leiden *l, unsigned flags, Rng *rng, const volatile int *cancel,
                        char *msg)
{
    LouvainWork *w = &l->w;
    size_t n = op->n;
    LouvainLevel lv;
    louvain_i_level(op, &lv);
    if (flags & LOUVAIN_MOVE_RANDOM)
        lv.random_moves = rng;
    size_t pops = 0;
    uint64_t limit = (uint64_t)LOUVAIN_MAX_SWEEPS * (uint64_t)n;
    for (int moved = 1; moved;) {
        moved = 0;
        rng_permutation(rng, w->perm, n);
        for (size_t i = 0; i < n; i++) {
            l->queue[i] = w->perm[i];
            l->inq[i] = 1;
        }
        size_t head = 0, count = n;
        while (count > 0) {
            if (pops % n == 0) {
                if (cancel && *cancel)
                    return status_fail(msg, ST_ECANCELED, "Leiden was cancelled");
                if ((uint64_t)pops >= limit)
                    return status_fail(msg, ST_ENUMERIC, "Leiden made moves for %d passes without settling",
                                       LOUVAIN_MAX_SWEEPS);
            }
            pops++;
            size_t v = l->queue[head];
            head = head + 1 == n ? 0 : head + 1;
            count--;
            l->inq[v] = 0;
            LouvainRow r;
            op->row(op->ctx, v, &r);
            double gain;
            int best = louvain_i_best_module(w, &lv, v, &r, &gain);
            if (!(gain > LOUVAIN_TOL))
                continue;
            louvain_i_move(w, op, v, best);
            moved = 1;
            /* the neighbours outside the new module may now prefer it */
            for (size_t j = 0; j < r.len + r.n_extra; j++) {
                size_t u = row_col(&r, j);
                if (u == v || row_val(&r, j) == 0.0 || w->label[u] == best || l->inq[u])
                    continue;
                size_t tail = head + count;
                l->queue[tail >= n ? tail - n : tail] = u;
                l->inq[u] = 1;
                count++;
            }
        }
    }
    return ST_OK;
}

/* Step 2: the refined partition inside the modules in l->w.label (ids as
 * the moving left them) into l->ref, renumbered 0..kr−1. */
static void refine(const LouvainOp *op, Leiden *l, Rng *rng, size_t *kr)
{
    LouvainWork *w = &l->w;
    size_t n = op->n, rank = op->rank;
    const int *label = w->label;
    for (size_t v = 0; v < n; v++) {
        LouvainRow r;
        op->row(op->ctx, v, &r);
        /* B(v, S) through R, then the low-rank part; B(v, S−v) = that − B_vv */
        double rs = 0, bvv = r.diag;
        for (size_t j = 0; j < r.len + r.n_extra; j++)
            if (label[row_col(&r, j)] == label[v])
                rs += row_val(&r, j);
        for (size_t t = 0; t < rank; t++) {
            double cx = op->sigma[t] * op->x[t][v];
            rs -= cx * w->tot[t][label[v]];
            bvv -= cx * op->x[t][v];
            l->rtot[t][v] = op->x[t][v];
        }
        l->ref[v] = (int)v;
        l->rsize[v] = 1;
        l->rext[v] = rs - bvv;
    }
    rng_permutation(rng, w->perm, n);
    for (size_t p = 0; p < n; p++) {
        size_t v = w->perm[p];
        if (l->rsize[v] != 1 || l->ref[v] != (int)v || !(l->rext[v] >= 0))
            continue;
        LouvainRow r;
        op->row(op->ctx, v, &r);
        size_t nt = 0;
        for (size_t j = 0; j < r.len + r.n_extra; j++) {
            size_t u = row_col(&r, j);
            if (u == v || label[u] != label[v])
                continue;
            int c = l->ref[u];
            double val = row_val(&r, j);
            if (!w->seen[c]) {
                w->seen[c] = 1;
                w->touched[nt++] = c;
            }
            w->acc[c] += val;
            if (val > 0)
                l->pos[c] = 1;
        }
        int best = -1;
        double best_h = 0;
        for (size_t t = 0; t < nt; t++) {
            int c = w->touched[t];
            if (!l->pos[c] || !(l->rext[c] >= 0))
                continue;
            double h = w->acc[c];
            for (size_t s = 0; s < rank; s++)
                h -= op->sigma[s] * op->x[s][v] * l->rtot[s][c];
            if (h >= 0 && (best < 0 || h > best_h || (h == best_h && c < best))) {
                best = c;
                best_h = h;
            }
        }
        for (size_t t = 0; t < nt; t++)
            l->pos[w->touched[t]] = 0;
        louvain_i_touched_reset(w, nt);
        if (best < 0)
            continue;
        /* B(C∪v, S−C−v) = B(C, S−C) + B(v, S−v) − 2 B(v, C) */
        l->rext[best] += l->rext[v] - 2.0 * best_h;
        l->ref[v] = best;
        l->rsize[best]++;
        l->rsize[v] = 0;
        for (size_t s = 0; s < rank; s++)
            l->rtot[s][best] += op->x[s][v];
    }
    *kr = louvain_i_renumber(l->ref, l->rsize, w->renum, n);
}

/* Union-find root with path halving. */
static size_t uf_find(size_t *parent, size_t u)
{
    while (parent[u] != u) {
        parent[u] = parent[parent[u]];
        u = parent[u];
    }
    return u;
}

Status leiden_split_disconnected(const LouvainOp *op, int *labels, size_t *k, size_t *split, char *msg)
{
    Status st = louvain_i_check_op(op, msg);
    if (st)
        return st;
    if (!labels)
        return status_fail(msg, ST_EINVAL, "leiden_split_disconnected needs labels");
    size_t n = op->n, before;
    size_t *parent = malloc(n * sizeof *parent);
    long *root = malloc(n * sizeof *root);
    if (!parent || !root) {
        free(parent);
        free(root);
        return status_fail(msg, ST_ENOMEM, "out of memory for the components of %zu nodes", n);
    }
    if ((st = modmat_relabel(labels, n, labels, &before, msg)))
        goto done;
    for (size_t u = 0; u < n; u++)
        parent[u] = u;
    for (size_t u = 0; u < n; u++) {
        LouvainRow r;
        op->row(op->ctx, u, &r);
        for (size_t j = 0; j < r.len + r.n_extra; j++) {
            size_t v = row_col(&r, j);
            if (v != u && row_val(&r, j) > 0 && labels[u] == labels[v]) {
                size_t a = uf_find(parent, u), b = uf_find(parent, v);
                if (a != b)
                    parent[a < b ? b : a] = a < b ? a : b;
            }
        }
    }
    for (size_t u = 0; u < n; u++)
        root[u] = (long)uf_find(parent, u);
    size_t after;
    if ((st = modmat_relabel_long(root, n, labels, &after, msg)))
        goto done;
    if (k)
        *k = after;
    if (split)
        *split = after - before;
done:
    free(parent);
    free(root);
    return st;
}

Status leiden_run(const LouvainOp *op, Rng *rng, const int *init, unsigned flags, int *labels, double *q,
                  size_t *k, const volatile int *cancel, char *msg)
{
    Status st = louvain_i_check_op(op, msg);
    if (st)
        return st;
    if (!rng || !labels || !q)
        return status_fail(msg, ST_EINVAL, "leiden_run needs an Rng, labels and an output");
    size_t n0 = op->n;
    Leiden l;
    if ((st = leiden_init(&l, n0, op->rank, msg)))
        return st;
    LouvainWork *w = &l.w;
    LouvainCsr *csr = NULL;
    int has_start = init != NULL, fallback = 0;
    if (init) {
        if ((st = modmat_relabel(init, n0, l.start, NULL, msg)))
            goto done;
        for (size_t i = 0; i < n0; i++)
            l.start[i]--;
    }
    for (size_t i = 0; i < n0; i++)
        w->orig[i] = (int)i;
    const LouvainOp *cur = op;
    LouvainOp meta;
    for (;;) {
        size_t n = cur->n;
        louvain_i_start(w, cur, has_start ? l.start : NULL);
        if ((st = fast_move(cur, &l, flags, rng, cancel, msg)))
            goto done;
        if (w->n_ne == n) {
            louvain_i_renumber(w->label, w->size, w->renum, n);
            break;
        }
        size_t kr;
        refine(cur, &l, rng, &kr);
        size_t kp = louvain_i_renumber(w->label, w->size, w->renum, n);
        if (kr == n) {
            /* nothing merged: aggregate the modules themselves */
            memcpy(l.ref, w->label, n * sizeof *l.ref);
            kr = kp;
            fallback = 1;
        }
        /* the aggregate starts from the modules of this level */
        for (size_t u = 0; u < n; u++)
            l.start[l.ref[u]] = w->label[u];
        has_start = 1;
        LouvainCsr *next = NULL;
        if ((st = louvain_i_collapse(cur, w, l.ref, kr, &next, msg)))
            goto done;
        louvain_i_csr_free(csr);
        csr = next;
        louvain_i_meta_op(op, csr, &meta);
        cur = &meta;
        for (size_t i = 0; i < n0; i++)
            w->orig[i] = l.ref[w->orig[i]];
    }
    for (size_t i = 0; i < n0; i++)
        w->orig[i] = w->label[w->orig[i]];
    if ((st = modmat_relabel(w->orig, n0, labels, k, msg)))
        goto done;
    if (fallback && (st = leiden_split_disconnected(op, labels, k, NULL, msg)))
        goto done;
    st = louvain_quality(op, labels, q, msg);
done:
    louvain_i_csr_free(csr);
    leiden_done(&l);
    return st;
}
