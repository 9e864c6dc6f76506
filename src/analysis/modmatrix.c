#include "neurotop/analysis/modmatrix.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* B_ij = ap·W⁺_ij − an·W⁻_ij − gp·k⁺_i k⁺_j + gn·k⁻_i k⁻_j covers none, sym
 * and asym with one loop (docs/methods.md §4); only the coefficients differ. */
typedef struct {
    double ap, an, gp, gn;
} Coef;

static Status check_square(const Matrix *a, const char *what, char *msg)
{
    if (!a || !a->data || a->rows == 0)
        return status_fail(msg, ST_EINVAL, "the %s is empty", what);
    if (a->rows != a->cols)
        return status_fail(msg, ST_EINVAL, "the %s is %zu×%zu, but a square matrix is needed", what,
                           a->rows, a->cols);
    return ST_OK;
}

static Status check_gamma(double gamma, char *msg)
{
    if (!isfinite(gamma) || gamma < 0)
        return status_fail(msg, ST_EINVAL, "gamma must be finite and >= 0, got %g", gamma);
    return ST_OK;
}

/* Validate one symmetrised entry W_ij. */
static Status check_entry(double w, size_t i, size_t j, ModSign mode, char *msg)
{
    if (!isfinite(w))
        return status_fail(msg, ST_EINVAL, "the matrix entry at row %zu, column %zu is not finite",
                           i + 1, j + 1);
    if (mode == MOD_SIGN_NONE && w < 0)
        return status_fail(msg, ST_EINVAL,
                           "the matrix has a negative weight (%g at row %zu, column %zu), which "
                           "unsigned modularity does not allow; use a signed form",
                           w, i + 1, j + 1);
    return ST_OK;
}

/* One symmetrised entry, validated. */
static Status sym_entry(const Matrix *a, size_t i, size_t j, ModSign mode, double *w, char *msg)
{
    *w = 0.5 * (MAT_AT(a, i, j) + MAT_AT(a, j, i));
    return check_entry(*w, i, j, mode, msg);
}

static Status make_coef(ModTotals t, double gamma, ModSign mode, Coef *c, char *msg)
{
    double sp = t.s_pos, sn = t.s_neg, tot = sp + sn;
    if (mode == MOD_SIGN_NONE && !(sp > 0))
        return status_fail(msg, ST_EINVAL, "the matrix has no positive weight (total strength 0)");
    if (!(tot > 0))
        return status_fail(msg, ST_EINVAL, "the matrix is all zero, so modularity is undefined");
    if (!isfinite(tot))
        return status_fail(msg, ST_EINVAL, "the total weight of the matrix overflows");
    memset(c, 0, sizeof *c);
    c->an = 1.0 / tot;
    if (sn > 0)
        c->gn = gamma / (sn * tot);
    if (mode == MOD_SIGN_SYM) {
        c->ap = 1.0 / tot;
        if (sp > 0)
            c->gp = gamma / (sp * tot);
    } else if (sp > 0) {
        c->ap = 1.0 / sp;
        c->gp = gamma / (sp * sp);
    }
    return ST_OK;
}

static Status check_mode(ModSign mode, char *msg)
{
    if (mode != MOD_SIGN_NONE && mode != MOD_SIGN_SYM && mode != MOD_SIGN_ASYM)
        return status_fail(msg, ST_EINVAL, "unknown signed mode %d", (int)mode);
    return ST_OK;
}

/* Row i of W → row i of B. restrict lets the compiler vectorise: the row
 * never overlaps the strength vectors. */
static void transform_row(double *restrict row, size_t n, double pi, double ni,
                          const double *restrict kp, const double *restrict kn, Coef c)
{
    for (size_t j = 0; j < n; j++) {
        double w = row[j];
        /* W⁺ and −W⁻ without branches (signs are unpredictable); both exact */
        double pos = 0.5 * (w + fabs(w)), neg = 0.5 * (w - fabs(w));
        /* products grouped as k_i·k_j so that B_ij == B_ji bit for bit */
        row[j] = (c.ap * pos + c.an * neg) - c.gp * (pi * kp[j]) + c.gn * (ni * kn[j]);
    }
}

#define SYM_TILE 32

/* Row sums of W±, and of W to catch NaN and Inf (they poison it). */
typedef struct {
    double *kp, *kn, *raw;
} RowSums;

/* The tiles (ib, jb) and (jb, ib) of W, and their part of the row sums.
 * Both tiles of A are copied out before anything is written, so b may alias
 * a, and every access to the big matrices runs along rows (strided stores
 * into an 8 MB matrix cost more than the arithmetic). */
static void symmetrize_tile(const double *ad, double *bd, size_t n, size_t ib, size_t jb,
                            RowSums *sums)
{
    double x[SYM_TILE][SYM_TILE], y[SYM_TILE][SYM_TILE];
    size_t ni = ib + SYM_TILE < n ? SYM_TILE : n - ib;
    size_t nj = jb + SYM_TILE < n ? SYM_TILE : n - jb;
    for (size_t i = 0; i < ni; i++)
        memcpy(x[i], ad + (ib + i) * n + jb, nj * sizeof(double));
    for (size_t j = 0; j < nj; j++)
        memcpy(y[j], ad + (jb + j) * n + ib, ni * sizeof(double));
    double cp[SYM_TILE] = {0}, cn[SYM_TILE] = {0}, cr[SYM_TILE] = {0};
    for (size_t i = 0; i < ni; i++) {
        double p = 0, m = 0, r = 0;
        for (size_t j = 0; j < nj; j++) {
            double w = 0.5 * (x[i][j] + y[j][i]), aw = fabs(w);
            /* W⁺ and W⁻ without branches (signs are unpredictable); both exact */
            double wp = 0.5 * (w + aw), wn = 0.5 * (aw - w);
            x[i][j] = w;
            p += wp;
            m += wn;
            r += w;
            cp[j] += wp;
            cn[j] += wn;
            cr[j] += w;
        }
        sums->kp[ib + i] += p;
        sums->kn[ib + i] += m;
        sums->raw[ib + i] += r;
    }
    if (ib != jb)
        for (size_t j = 0; j < nj; j++) {
            sums->kp[jb + j] += cp[j];
            sums->kn[jb + j] += cn[j];
            sums->raw[jb + j] += cr[j];
        }
    for (size_t i = 0; i < ni; i++)
        memcpy(bd + (ib + i) * n + jb, x[i], nj * sizeof(double));
    for (size_t j = 0; j < nj; j++) {
        double *dst = bd + (jb + j) * n + ib;
        for (size_t i = 0; i < ni; i++)
            dst[i] = x[i][j];
    }
}

Status modmat_build(const Matrix *a, double gamma, ModSign mode, Matrix *b, ModTotals *totals,
                    char *msg)
{
    Status st = check_square(a, "matrix", msg);
    if (st || (st = check_gamma(gamma, msg)) || (st = check_mode(mode, msg)))
        return st;
    if (!b || !b->data || b->rows != a->rows || b->cols != a->cols)
        return status_fail(msg, ST_EINVAL, "the output buffer must be %zu×%zu", a->rows, a->cols);
    size_t n = a->rows;
    double *kp = calloc(3 * n, sizeof *kp);
    if (!kp)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu node strengths", n);
    double *kn = kp + n;
    RowSums sums = {kp, kn, kp + 2 * n};
    const double *ad = a->data;
    double *bd = b->data;
    /* Pass 1: W = (A + Aᵀ)/2 into b, with the row sums. */
    for (size_t ib = 0; ib < n; ib += SYM_TILE)
        for (size_t jb = ib; jb < n; jb += SYM_TILE)
            symmetrize_tile(ad, bd, n, ib, jb, &sums);
    ModTotals t = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(sums.raw[i]) || !isfinite(kp[i]) || !isfinite(kn[i]) ||
            (mode == MOD_SIGN_NONE && kn[i] > 0)) {
            for (size_t j = 0; j < n; j++)
                if ((st = check_entry(bd[i * n + j], i, j, mode, msg)))
                    goto done;
        }
        t.s_pos += kp[i];
        t.s_neg += kn[i];
    }
    /* Pass 2: W → B. */
    Coef c;
    if ((st = make_coef(t, gamma, mode, &c, msg)))
        goto done;
    for (size_t i = 0; i < n; i++)
        transform_row(bd + i * n, n, kp[i], kn[i], kp, kn, c);
    if (totals)
        *totals = t;
done:
    free(kp);
    return st;
}

void modsparse_init(ModSparse *s)
{
    memset(s, 0, sizeof *s);
}

void modsparse_done(ModSparse *s)
{
    if (!s)
        return;
    free(s->ptr);
    free(s->col);
    free(s->val);
    free(s->diag);
    free(s->kp);
    free(s->kn);
    free(s->tile);
    memset(s, 0, sizeof *s);
}

static int sparse_reserve_rows(ModSparse *s, size_t n)
{
    if (n <= s->cap_n)
        return 0;
    size_t *ptr = realloc(s->ptr, (n + 1) * sizeof *ptr);
    if (ptr)
        s->ptr = ptr;
    double *v[3] = {s->diag, s->kp, s->kn};
    for (int k = 0; k < 3; k++) {
        double *p = realloc(v[k], n * sizeof *p);
        if (p)
            v[k] = p;
        else
            ptr = NULL;
    }
    s->diag = v[0];
    s->kp = v[1];
    s->kn = v[2];
    if (!ptr)
        return -1;
    s->cap_n = n;
    return 0;
}

/* Room for need entries: exactly that many when the caller knows the
 * total, else doubling. */
static int sparse_reserve_nnz(ModSparse *s, size_t need, int exact)
{
    if (need <= s->cap_nnz)
        return 0;
    size_t cap = s->cap_nnz ? s->cap_nnz : 1024;
    while (cap < need)
        cap *= 2;
    if (exact)
        cap = need;
    size_t *col = realloc(s->col, cap * sizeof *col);
    if (!col)
        return -1;
    s->col = col;
    double *val = realloc(s->val, cap * sizeof *val);
    if (!val)
        return -1;
    s->val = val;
    s->cap_nnz = cap;
    return 0;
}

/* Row i of W, symmetrised from a dense A: columns i..i+SYM_TILE−1 of A are
 * copied row by row once per tile, since reading them straight would touch
 * a new page for every entry; the row reads of A for row i reuse the cache
 * lines that row i − 1 brought in. */
typedef struct {
    const Matrix *a;
    double *tile;
} DenseRows;

static Status dense_row(void *ctx, size_t i, size_t *col, double *val, size_t *count, char *msg)
{
    (void)msg;
    DenseRows *d = ctx;
    const double *ad = d->a->data;
    size_t n = d->a->rows;
    size_t ib = i - i % SYM_TILE, nb = n - ib < SYM_TILE ? n - ib : SYM_TILE;
    if (i == ib)
        for (size_t j = 0; j < n; j++)
            memcpy(d->tile + j * SYM_TILE, ad + j * n + ib, nb * sizeof *d->tile);
    const double *tcol = d->tile + (i - ib);
    size_t cnt = 0;
    for (size_t j = 0; j < n; j++) {
        double w = 0.5 * (ad[i * n + j] + tcol[j * SYM_TILE]);
        col[cnt] = j;
        val[cnt] = w;
        cnt += w != 0; /* branch-free compaction */
    }
    *count = cnt;
    return ST_OK;
}

Status modmat_build_sparse(const Matrix *a, double gamma, ModSign mode, ModSparse *s,
                           ModTotals *totals, char *msg)
{
    Status st = check_square(a, "matrix", msg);
    if (st)
        return st;
    if (!s)
        return status_fail(msg, ST_EINVAL, "modmat_build_sparse needs an output");
    size_t n = a->rows;
    double *tile = realloc(s->tile, SYM_TILE * n * sizeof *tile);
    if (!tile)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-node sparse graph", n);
    s->tile = tile;
    DenseRows d = {a, tile};
    return modmat_build_sparse_rows(n, n, 0, dense_row, &d, gamma, mode, s, totals, msg);
}

Status modmat_build_sparse_rows(size_t n, size_t max_row, size_t nnz_hint, ModRowFn row, void *ctx,
                                double gamma, ModSign mode, ModSparse *s, ModTotals *totals,
                                char *msg)
{
    Status st = check_gamma(gamma, msg);
    if (st || (st = check_mode(mode, msg)))
        return st;
    if (!s || !row || n == 0)
        return status_fail(msg, ST_EINVAL, "modmat_build_sparse_rows needs rows and an output");
    if (max_row > n)
        max_row = n;
    if (sparse_reserve_rows(s, n) || (nnz_hint && sparse_reserve_nnz(s, nnz_hint + max_row, 1)))
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-node sparse graph", n);
    s->n = n;
    s->nnz = 0;
    ModTotals t = {0, 0};
    for (size_t i = 0; i < n; i++) {
        s->ptr[i] = s->nnz;
        s->diag[i] = 0;
        if (sparse_reserve_nnz(s, s->nnz + max_row, 0))
            return status_fail(msg, ST_ENOMEM, "out of memory for the edges of a %zu-node graph", n);
        size_t *col = s->col + s->nnz, cnt = 0;
        double *val = s->val + s->nnz, p = 0, m = 0, raw = 0;
        if ((st = row(ctx, i, col, val, &cnt, msg)))
            return st;
        for (size_t e = 0; e < cnt; e++) {
            double w = val[e], aw = fabs(w);
            raw += w;
            p += 0.5 * (w + aw);
            m += 0.5 * (aw - w);
        }
        /* the sums are finite unless an entry is not (or they overflow,
         * which make_coef reports) */
        if (!isfinite(raw) || !isfinite(p) || !isfinite(m) || (mode == MOD_SIGN_NONE && m > 0))
            for (size_t e = 0; e < cnt; e++)
                if ((st = check_entry(val[e], i, col[e], mode, msg)))
                    return st;
        s->nnz += cnt;
        s->kp[i] = p;
        s->kn[i] = m;
        t.s_pos += p;
        t.s_neg += m;
    }
    s->ptr[n] = s->nnz;
    Coef c;
    if ((st = make_coef(t, gamma, mode, &c, msg)))
        return st;
    for (size_t i = 0; i < n; i++)
        for (size_t e = s->ptr[i]; e < s->ptr[i + 1]; e++) {
            double w = s->val[e];
            s->val[e] = w > 0 ? c.ap * w : c.an * w;
            if (s->col[e] == i)
                s->diag[i] = s->val[e];
        }
    s->gp = c.gp;
    s->gn = c.gn;
    if (totals)
        *totals = t;
    return ST_OK;
}

/* Dense community ids 0..k-1 (first appearance) into a fresh array. */
static Status dense_ids(const int *labels, size_t n, int **ids, size_t *k, char *msg)
{
    *ids = malloc(n * sizeof **ids);
    if (!*ids)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n);
    Status st = modmat_relabel(labels, n, *ids, k, msg);
    if (st) {
        free(*ids);
        *ids = NULL;
        return st;
    }
    for (size_t i = 0; i < n; i++)
        (*ids)[i]--;
    return ST_OK;
}

Status modmat_quality(const Matrix *b, const int *labels, double *q, char *msg)
{
    Status st = check_square(b, "modularity matrix", msg);
    if (st)
        return st;
    if (!labels || !q)
        return status_fail(msg, ST_EINVAL, "modmat_quality needs labels and an output");
    size_t n = b->rows, k;
    int *id;
    if ((st = dense_ids(labels, n, &id, &k, msg)))
        return st;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const double *row = &MAT_AT(b, i, 0);
        int ci = id[i];
        double s = 0;
        for (size_t j = 0; j < n; j++)
            s += id[j] == ci ? row[j] : 0.0;
        sum += s;
    }
    free(id);
    *q = sum;
    return ST_OK;
}

Status modmat_quality_direct(const Matrix *a, const int *labels, double gamma, ModSign mode,
                             double *q, char *msg)
{
    Status st = check_square(a, "matrix", msg);
    if (st || (st = check_gamma(gamma, msg)) || (st = check_mode(mode, msg)))
        return st;
    if (!labels || !q)
        return status_fail(msg, ST_EINVAL, "modmat_quality_direct needs labels and an output");
    size_t n = a->rows, k;
    int *id;
    if ((st = dense_ids(labels, n, &id, &k, msg)))
        return st;
    /* Per community: inner W⁺, inner W⁻, total k⁺, total k⁻. */
    double *acc = calloc(4 * k, sizeof *acc);
    if (!acc) {
        free(id);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu community totals", k);
    }
    double *inp = acc, *inn = acc + k, *kp = acc + 2 * k, *kn = acc + 3 * k;
    ModTotals t = {0, 0};
    for (size_t i = 0; i < n; i++) {
        int ci = id[i];
        for (size_t j = 0; j < n; j++) {
            double w;
            if ((st = sym_entry(a, i, j, mode, &w, msg)))
                goto done;
            double p = w > 0 ? w : 0, m = w < 0 ? -w : 0;
            kp[ci] += p;
            kn[ci] += m;
            t.s_pos += p;
            t.s_neg += m;
            if (id[j] == ci) {
                inp[ci] += p;
                inn[ci] += m;
            }
        }
    }
    Coef c;
    if ((st = make_coef(t, gamma, mode, &c, msg)))
        goto done;
    double sum = 0;
    for (size_t s = 0; s < k; s++)
        sum += c.ap * inp[s] - c.an * inn[s] - c.gp * kp[s] * kp[s] + c.gn * kn[s] * kn[s];
    *q = sum;
done:
    free(acc);
    free(id);
    return st;
}

typedef struct {
    long v;
    size_t i;
} LabelAt;

static int cmp_label_at(const void *x, const void *y)
{
    const LabelAt *a = x, *b = y;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Sort (label, index) pairs; each group's first index then orders the groups. */
static Status relabel_pairs(LabelAt *p, size_t n, int *out, size_t *k, char *msg)
{
    if (n > (size_t)INT32_MAX) {
        free(p);
        return status_fail(msg, ST_EINVAL, "%zu labels are more than an int can number", n);
    }
    qsort(p, n, sizeof *p, cmp_label_at);
    size_t *first = malloc(n * sizeof *first);
    if (!first) {
        free(p);
        return status_fail(msg, ST_ENOMEM, "out of memory relabelling %zu labels", n);
    }
    for (size_t g = 0; g < n;) {
        size_t h = g;
        while (h < n && p[h].v == p[g].v)
            first[p[h++].i] = p[g].i;
        g = h;
    }
    free(p);
    int next = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = first[i] == i ? ++next : out[first[i]];
    free(first);
    if (k)
        *k = (size_t)next;
    return ST_OK;
}

Status modmat_relabel_long(const long *in, size_t n, int *out, size_t *k, char *msg)
{
    if (!in || !out || n == 0)
        return status_fail(msg, ST_EINVAL, "a partition needs at least one label");
    LabelAt *p = malloc(n * sizeof *p);
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory relabelling %zu labels", n);
    for (size_t i = 0; i < n; i++)
        p[i] = (LabelAt){in[i], i};
    return relabel_pairs(p, n, out, k, msg);
}

Status modmat_relabel(const int *in, size_t n, int *out, size_t *k, char *msg)
{
    if (!in || !out || n == 0)
        return status_fail(msg, ST_EINVAL, "a partition needs at least one label");
    LabelAt *p = malloc(n * sizeof *p);
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory relabelling %zu labels", n);
    for (size_t i = 0; i < n; i++)
        p[i] = (LabelAt){in[i], i};
    return relabel_pairs(p, n, out, k, msg);
}

const char *modsign_name(ModSign mode)
{
    switch (mode) {
    case MOD_SIGN_NONE:
        return "none";
    case MOD_SIGN_SYM:
        return "sym";
    case MOD_SIGN_ASYM:
        return "asym";
    }
    return "?";
}

Status modsign_parse(const char *text, const char *what, ModSign *out, char *msg)
{
    static const ModSign modes[] = {MOD_SIGN_NONE, MOD_SIGN_SYM, MOD_SIGN_ASYM};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (text && strcmp(text, modsign_name(modes[i])) == 0) {
            *out = modes[i];
            return ST_OK;
        }
    return status_fail(msg, ST_EINVAL, "%s must be none, sym or asym, not '%s'", what, text ? text : "");
}
