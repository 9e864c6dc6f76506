#include "neurotop/analysis/emd.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"

/* Relative disagreement of the two totals that still counts as balanced. */
#define BALANCE_TOL 1e-9
/* Cost bands of the approximate least-cost start. */
#define START_BUCKETS 4096
/* Rows per partial-pricing block (measured on 28×28 pairs: ~1/32 is best). */
#define PRICE_ROWS(m) ((m) / 32 + 1)

/* The simplex state. Nodes 0..m-1 are rows (sources), m..m+n-1 columns.
 * Basic cell k links row bi[k] and column bj[k]; its half-edges 2k (in the
 * row's list) and 2k+1 (in the column's list) sit in doubly linked lists. */
typedef struct {
    size_t m, n, nb;      /* nb = m + n − 1 basic cells */
    const double *cost;
    size_t *bi, *bj;
    double *bx;
    size_t *head, *next, *prev; /* head per node; next/prev per half-edge */
    double *pot;          /* u for rows, v for columns */
    size_t *parent;       /* basic cell joining a node to its BFS parent */
    size_t *depth, *queue;
    size_t *path_a, *path_b;
} Simplex;

#define NONE SIZE_MAX

static void link_half(Simplex *s, size_t node, size_t h)
{
    s->prev[h] = NONE;
    s->next[h] = s->head[node];
    if (s->head[node] != NONE)
        s->prev[s->head[node]] = h;
    s->head[node] = h;
}

static void unlink_half(Simplex *s, size_t node, size_t h)
{
    if (s->prev[h] != NONE)
        s->next[s->prev[h]] = s->next[h];
    else
        s->head[node] = s->next[h];
    if (s->next[h] != NONE)
        s->prev[s->next[h]] = s->prev[h];
}

static void set_cell(Simplex *s, size_t k, size_t i, size_t j, double x)
{
    s->bi[k] = i;
    s->bj[k] = j;
    s->bx[k] = x;
    link_half(s, i, 2 * k);
    link_half(s, s->m + j, 2 * k + 1);
}

/* Cells in increasing cost, approximately: a counting sort into at most
 * START_BUCKETS cost bands (by index within a band). Any order gives a valid
 * start; a cheaper one only saves pivots, and this is O(mn), not O(mn log mn). */
static Status cost_order(const double *cost, size_t mn, size_t *order, char *msg)
{
    double lo = cost[0], hi = cost[0];
    for (size_t t = 1; t < mn; t++) {
        lo = fmin(lo, cost[t]);
        hi = fmax(hi, cost[t]);
    }
    size_t nbk = mn < START_BUCKETS ? mn : START_BUCKETS;
    size_t *count = calloc(nbk + 1, sizeof *count);
    if (!count)
        return status_fail(msg, ST_ENOMEM, "out of memory ordering %zu transport costs", mn);
    double scale = hi > lo ? (double)(nbk - 1) / (hi - lo) : 0.0;
    for (size_t t = 0; t < mn; t++)
        count[(size_t)((cost[t] - lo) * scale) + 1]++;
    for (size_t k = 1; k <= nbk; k++)
        count[k] += count[k - 1];
    for (size_t t = 0; t < mn; t++)
        order[count[(size_t)((cost[t] - lo) * scale)]++] = t;
    free(count);
    return ST_OK;
}

/* Least-cost start: allocate along cells in increasing cost, crossing out
 * exactly one exhausted line per allocation (both only at the very end), so
 * the m + n − 1 cells form a spanning tree even when allocations are 0. */
static Status start_basis(Simplex *s, const double *supply, const double *demand, char *msg)
{
    size_t m = s->m, n = s->n, mn = m * n;
    size_t *order = malloc(mn * sizeof *order);
    double *rs = malloc((m + n) * sizeof *rs);
    unsigned char *dead = calloc(m + n, 1);
    if (!order || !rs || !dead) {
        free(order);
        free(rs);
        free(dead);
        return status_fail(msg, ST_ENOMEM, "out of memory starting a %zu × %zu transport", m, n);
    }
    Status st = cost_order(s->cost, mn, order, msg);
    if (st) {
        free(order);
        free(rs);
        free(dead);
        return st;
    }
    memcpy(rs, supply, m * sizeof *rs);
    memcpy(rs + m, demand, n * sizeof *rs);
    size_t rows_left = m, cols_left = n, k = 0;
    for (size_t t = 0; t < mn && k < s->nb; t++) {
        size_t i = order[t] / n, j = order[t] % n;
        if (dead[i] || dead[m + j])
            continue;
        double x = rs[i] < rs[m + j] ? rs[i] : rs[m + j];
        set_cell(s, k++, i, j, x);
        rs[i] -= x;
        rs[m + j] -= x;
        if (rows_left == 1 && cols_left == 1)
            break;
        if (cols_left == 1 || (rows_left > 1 && rs[i] <= rs[m + j])) {
            dead[i] = 1;
            rows_left--;
        } else {
            dead[m + j] = 1;
            cols_left--;
        }
    }
    free(order);
    free(rs);
    free(dead);
    if (k != s->nb)
        return status_fail(msg, ST_EINTERNAL, "transport start built %zu of %zu basic cells", k, s->nb);
    return ST_OK;
}

/* Potentials u_i + v_j = c_ij on the basis tree, rooted at row 0, with each
 * node's parent cell and depth for the cycle search. */
static Status tree_potentials(Simplex *s, char *msg)
{
    size_t nodes = s->m + s->n, qh = 0, qt = 0;
    for (size_t v = 0; v < nodes; v++)
        s->depth[v] = NONE;
    s->pot[0] = 0.0;
    s->depth[0] = 0;
    s->parent[0] = NONE;
    s->queue[qt++] = 0;
    while (qh < qt) {
        size_t v = s->queue[qh++];
        for (size_t h = s->head[v]; h != NONE; h = s->next[h]) {
            size_t k = h >> 1;
            size_t w = (h & 1) ? s->bi[k] : s->m + s->bj[k];
            if (s->depth[w] != NONE)
                continue;
            s->pot[w] = s->cost[s->bi[k] * s->n + s->bj[k]] - s->pot[v];
            s->depth[w] = s->depth[v] + 1;
            s->parent[w] = k;
            s->queue[qt++] = w;
        }
    }
    if (qt != nodes)
        return status_fail(msg, ST_EINTERNAL, "transport basis is not a spanning tree");
    return ST_OK;
}

static size_t other_end(const Simplex *s, size_t k, size_t v)
{
    return v < s->m ? s->m + s->bj[k] : s->bi[k];
}

/* Pivot on entering cell (p, q). Returns 1 when the pivot moved no mass. */
static int pivot(Simplex *s, size_t p, size_t q)
{
    /* Tree paths from column q and from row p up to their common ancestor. */
    size_t a = s->m + q, b = p, na = 0, nb = 0;
    while (a != b) {
        if (s->depth[a] >= s->depth[b]) {
            s->path_a[na++] = s->parent[a];
            a = other_end(s, s->parent[a], a);
        } else {
            s->path_b[nb++] = s->parent[b];
            b = other_end(s, s->parent[b], b);
        }
    }
    /* Cycle q → ... → p: path_a in order, then path_b reversed; signs
     * alternate starting with −, the entering cell is +. */
    size_t len = na + nb, leave = NONE;
    double theta = INFINITY;
    for (size_t t = 0; t < len; t += 2) {
        size_t k = t < na ? s->path_a[t] : s->path_b[len - 1 - t];
        size_t ck = s->bi[k] * s->n + s->bj[k];
        if (s->bx[k] < theta ||
            (s->bx[k] == theta && ck < s->bi[leave] * s->n + s->bj[leave])) {
            theta = s->bx[k];
            leave = k;
        }
    }
    for (size_t t = 0; t < len; t++) {
        size_t k = t < na ? s->path_a[t] : s->path_b[len - 1 - t];
        if (t % 2 == 0)
            s->bx[k] = k == leave ? 0.0 : s->bx[k] - theta;
        else
            s->bx[k] += theta;
    }
    unlink_half(s, s->bi[leave], 2 * leave);
    unlink_half(s, s->m + s->bj[leave], 2 * leave + 1);
    set_cell(s, leave, p, q, theta);
    return theta == 0.0;
}

/* Entering cell: the most negative reduced cost c_ij − u_i − v_j < −eps
 * within the first block of rows (round-robin from *cursor) that has one,
 * or, under Bland's rule, the lowest-index one. Partial pricing makes a
 * pivot cheaper than a full O(mn) scan. NONE when the basis is optimal. */
static size_t price(const Simplex *s, double eps, int bland, size_t *cursor, size_t block)
{
    size_t m = s->m, n = s->n, best = NONE, i = bland ? 0 : *cursor;
    const double *v = s->pot + m;
    double best_r = -eps;
    for (size_t scanned = 0; scanned < m; scanned++) {
        const double *ci = s->cost + i * n;
        double ui = s->pot[i];
        for (size_t j = 0; j < n; j++) {
            double r = ci[j] - ui - v[j];
            if (r < best_r) {
                best_r = r;
                best = i * n + j;
                if (bland)
                    return best;
            }
        }
        i = i + 1 == m ? 0 : i + 1;
        if (best != NONE && (scanned + 1) % block == 0)
            break;
    }
    *cursor = i;
    return best;
}

static void simplex_free(Simplex *s)
{
    free(s->bi);
    free(s->bj);
    free(s->bx);
    free(s->head);
    free(s->next);
    free(s->prev);
    free(s->pot);
    free(s->parent);
    free(s->depth);
    free(s->queue);
    free(s->path_a);
    free(s->path_b);
}

static Status check_side(const double *x, size_t len, const char *what, double *sum, char *msg)
{
    double t = 0.0;
    for (size_t i = 0; i < len; i++) {
        if (!isfinite(x[i]) || x[i] < 0.0)
            return status_fail(msg, ST_EINVAL, "%s entry %zu must be finite and >= 0", what, i);
        t += x[i];
    }
    if (!(t > 0.0) || !isfinite(t))
        return status_fail(msg, ST_EINVAL, "%s must have a positive finite total", what);
    *sum = t;
    return ST_OK;
}

Status emd_transport(const double *supply, size_t m, const double *demand, size_t n,
                     const double *cost, double *total, double *flow, char *msg)
{
    if (!supply || !demand || !cost || !total)
        return status_fail(msg, ST_EINVAL, "emd_transport needs non-NULL inputs");
    size_t mn;
    if (m == 0 || n == 0 || size_mul(m, n, &mn) || mn > SIZE_MAX / (2 * sizeof(size_t)) ||
        m + n > SIZE_MAX / 4)
        return status_fail(msg, ST_EINVAL, "transport of %zu × %zu is empty or too large", m, n);
    double ts, td;
    Status st = check_side(supply, m, "supply", &ts, msg);
    if (!st)
        st = check_side(demand, n, "demand", &td, msg);
    if (st)
        return st;
    if (fabs(ts - td) > BALANCE_TOL * fmax(ts, td))
        return status_fail(msg, ST_EINVAL, "supply total %.17g and demand total %.17g differ", ts, td);
    double cmax = 0.0;
    for (size_t t = 0; t < mn; t++) {
        if (!isfinite(cost[t]))
            return status_fail(msg, ST_EINVAL, "transport cost entry %zu is not finite", t);
        cmax = fmax(cmax, fabs(cost[t]));
    }

    Simplex s = {.m = m, .n = n, .nb = m + n - 1, .cost = cost};
    size_t nodes = m + n;
    s.bi = malloc(s.nb * sizeof *s.bi);
    s.bj = malloc(s.nb * sizeof *s.bj);
    s.bx = malloc(s.nb * sizeof *s.bx);
    s.head = malloc(nodes * sizeof *s.head);
    s.next = malloc(2 * s.nb * sizeof *s.next);
    s.prev = malloc(2 * s.nb * sizeof *s.prev);
    s.pot = malloc(nodes * sizeof *s.pot);
    s.parent = malloc(nodes * sizeof *s.parent);
    s.depth = malloc(nodes * sizeof *s.depth);
    s.queue = malloc(nodes * sizeof *s.queue);
    s.path_a = malloc(nodes * sizeof *s.path_a);
    s.path_b = malloc(nodes * sizeof *s.path_b);
    if (!s.bi || !s.bj || !s.bx || !s.head || !s.next || !s.prev || !s.pot || !s.parent ||
        !s.depth || !s.queue || !s.path_a || !s.path_b) {
        simplex_free(&s);
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu × %zu transport", m, n);
    }
    for (size_t v = 0; v < nodes; v++)
        s.head[v] = NONE;
    st = start_basis(&s, supply, demand, msg);

    /* Reduced costs above −eps count as optimal: the objective is then within
     * eps × total mass of the optimum, and eps dwarfs potential round-off. */
    double eps = 1e-11 * (1.0 + cmax);
    size_t max_iter = 50 * (m + n) + 5 * mn + 1000, degenerate_run = 0;
    int bland = 0;
    size_t cursor = 0, block = PRICE_ROWS(m);
    for (size_t iter = 0; !st; iter++) {
        if (iter >= max_iter) {
            st = status_fail(msg, ST_ENUMERIC, "transport simplex did not converge in %zu pivots", max_iter);
            break;
        }
        st = tree_potentials(&s, msg);
        if (st)
            break;
        size_t best = price(&s, eps, bland, &cursor, block);
        if (best == NONE)
            break;
        int degenerate = pivot(&s, best / n, best % n);
        degenerate_run = degenerate ? degenerate_run + 1 : 0;
        /* A long run of zero-mass pivots may be a cycle: Bland's rule ends it.
         * Runs of ~(m+n)/3 occur in assignment-like problems without cycling. */
        bland = degenerate_run > (m + n) / 2;
    }
    if (!st) {
        double sum = 0.0;
        if (flow)
            memset(flow, 0, mn * sizeof *flow);
        for (size_t k = 0; k < s.nb; k++) {
            sum += s.bx[k] * cost[s.bi[k] * n + s.bj[k]];
            if (flow)
                flow[s.bi[k] * n + s.bj[k]] = s.bx[k];
        }
        *total = sum;
    }
    simplex_free(&s);
    return st;
}

static Status check_image(const double *x, size_t len, const char *name, double *sum, char *msg)
{
    double t = 0.0;
    for (size_t i = 0; i < len; i++) {
        if (!isfinite(x[i]) || x[i] < 0.0)
            return status_fail(msg, ST_EINVAL, "image %s has a negative or non-finite entry at %zu", name, i);
        t += x[i];
    }
    if (!(t > 0.0) || !isfinite(t))
        return status_fail(msg, ST_EINVAL, "image %s must have a positive finite total", name);
    *sum = t;
    return ST_OK;
}

Status emd_images(const double *a, const double *b, size_t rows, size_t cols, double *emd,
                  char *msg)
{
    if (!a || !b || !emd)
        return status_fail(msg, ST_EINVAL, "emd_images needs non-NULL inputs");
    size_t len;
    if (rows == 0 || cols == 0 || size_mul(rows, cols, &len))
        return status_fail(msg, ST_EINVAL, "images of %zu × %zu pixels are empty or too large", rows, cols);
    double sa, sb;
    Status st = check_image(a, len, "a", &sa, msg);
    if (!st)
        st = check_image(b, len, "b", &sb, msg);
    if (st)
        return st;
    size_t ka = 0, kb = 0;
    for (size_t t = 0; t < len; t++) {
        ka += a[t] > 0.0;
        kb += b[t] > 0.0;
    }
    size_t cells;
    if (size_mul(ka, kb, &cells) || cells > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu × %zu positive pixels is too large a transport", ka, kb);
    double *p = malloc(ka * sizeof *p), *q = malloc(kb * sizeof *q);
    size_t *ia = malloc(ka * sizeof *ia), *ib = malloc(kb * sizeof *ib);
    double *cost = malloc(cells * sizeof *cost);
    if (!p || !q || !ia || !ib || !cost) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for an EMD of %zu × %zu pixels", ka, kb);
        goto done;
    }
    ka = kb = 0;
    for (size_t t = 0; t < len; t++) {
        if (a[t] > 0.0) {
            ia[ka] = t;
            p[ka++] = a[t] / sa;
        }
        if (b[t] > 0.0) {
            ib[kb] = t;
            q[kb++] = b[t] / sb;
        }
    }
    for (size_t i = 0; i < ka; i++) {
        double ri = (double)(ia[i] / cols), ci = (double)(ia[i] % cols);
        for (size_t j = 0; j < kb; j++) {
            double dr = ri - (double)(ib[j] / cols), dc = ci - (double)(ib[j] % cols);
            cost[i * kb + j] = sqrt(dr * dr + dc * dc);
        }
    }
    st = emd_transport(p, ka, q, kb, cost, emd, NULL, msg);
done:
    free(p);
    free(q);
    free(ia);
    free(ib);
    free(cost);
    return st;
}
