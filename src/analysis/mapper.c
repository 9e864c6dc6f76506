/* Mapper (mapper.h, docs/methods.md §28): cover, clustering of each
 * pre-image, nerve graph. */
#include "neurotop/analysis/mapper.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/pca.h"
#include "neurotop/core/rng.h"

#define NONE SIZE_MAX

/* Union-find with path halving and union by index (the smaller index
 * becomes the root, which keeps roots deterministic). */
static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

Status mapper_cover_interval(double lo, double hi, size_t n, double p, size_t k, double *start,
                             double *end, char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a cover needs at least one interval");
    if (k >= n)
        return status_fail(msg, ST_EINVAL, "interval %zu of a cover of %zu does not exist", k, n);
    if (!(p >= 0.0 && p < 1.0))
        return status_fail(msg, ST_EINVAL, "the overlap must lie in [0, 1), not %g", p);
    if (!isfinite(lo) || !isfinite(hi) || hi < lo)
        return status_fail(msg, ST_EINVAL, "the range [%g, %g] of a cover is not a finite interval", lo, hi);
    double range = hi - lo;
    double len = range / ((double)n - (double)(n - 1) * p);
    *start = lo + (double)k * len * (1.0 - p);
    *end = k + 1 == n ? hi : *start + len;
    return ST_OK;
}

static double row_norm(const double *x, size_t d)
{
    double s = 0.0;
    for (size_t j = 0; j < d; j++)
        s += x[j] * x[j];
    return sqrt(s);
}

Status mapper_filter_compute(const double *points, size_t n, size_t d, MapperFilter kind, size_t dims,
                             const double *time, double *filter, char *msg)
{
    if (n == 0 || d == 0)
        return status_fail(msg, ST_EINVAL, "a filter needs at least one point of at least one dimension");
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(points[i]))
            return status_fail(msg, ST_EINVAL, "point %zu has a value that is not finite", i / d);
    switch (kind) {
    case MAPPER_FILTER_NORM:
    case MAPPER_FILTER_TIME:
        if (dims != 1)
            return status_fail(msg, ST_EINVAL, "the %s filter has one dimension, not %zu",
                               kind == MAPPER_FILTER_NORM ? "norm" : "time", dims);
        for (size_t i = 0; i < n; i++) {
            filter[i] = kind == MAPPER_FILTER_NORM ? row_norm(points + i * d, d) : time ? time[i] : (double)i;
            if (!isfinite(filter[i]))
                return status_fail(msg, ST_EINVAL, "the time of point %zu is not finite", i);
        }
        return ST_OK;
    case MAPPER_FILTER_PCA: {
        if (dims < 1 || dims > MAPPER_MAX_FILTER_DIMS || dims > d)
            return status_fail(msg, ST_EINVAL,
                               "a PCA filter takes 1 to 3 components and no more than the %zu coordinates of the points, not %zu",
                               d, dims);
        if (n < 2)
            return status_fail(msg, ST_EINVAL, "a PCA filter needs at least two points");
        PcaFit *fit = NULL;
        Status st = pca_fit(points, n, d, d, 0, dims, &fit, msg);
        if (!st)
            st = pca_transform(fit, points, n, d, filter, msg);
        pca_fit_free(fit);
        return st;
    }
    }
    return status_fail(msg, ST_EINVAL, "unknown filter %d", (int)kind);
}

/* One (cube, point) membership of the cover. */
typedef struct {
    size_t cube, point;
} Entry;

static int entry_cmp(const void *pa, const void *pb)
{
    const Entry *a = pa, *b = pb;
    if (a->cube != b->cube)
        return a->cube < b->cube ? -1 : 1;
    return (a->point > b->point) - (a->point < b->point);
}

/* The intervals of one filter dimension that hold value x: [*klo, *khi].
 * Intervals are contiguous; candidates come from x's position in units of
 * the step L(1−p), and each is checked against its stored ends. A value
 * that falls between two intervals only by rounding (p = 0) goes to the
 * interval its position names. */
static void intervals_of(double x, const double *start, const double *end, size_t n, double lo, double step,
                         double ratio, size_t *klo, size_t *khi)
{
    if (n == 1 || step <= 0.0) {
        *klo = *khi = 0;
        return;
    }
    double t = floor((x - lo) / step);
    double first = t - ceil(ratio) - 1.0, last = t + 1.0;
    size_t a = first < 0.0 ? 0 : first >= (double)n ? n - 1 : (size_t)first;
    size_t b = last < 0.0 ? 0 : last >= (double)n ? n - 1 : (size_t)last;
    size_t got_lo = NONE, got_hi = NONE;
    for (size_t k = a; k <= b; k++)
        if (start[k] <= x && x <= end[k]) {
            if (got_lo == NONE)
                got_lo = k;
            got_hi = k;
        }
    if (got_lo == NONE) {
        size_t k = t < 0.0 ? 0 : t >= (double)n ? n - 1 : (size_t)t;
        got_lo = got_hi = k;
    }
    *klo = got_lo;
    *khi = got_hi;
}

/* A local point and its coordinate on the sweep axis, for the sweep. */
typedef struct {
    double x;
    size_t i;
} Key;

static int key_cmp(const void *pa, const void *pb)
{
    const Key *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Directions the pairs are pre-screened along. */
#define SWEEP_DIRS 4

/* Scratch of the clustering of one pre-image, sized for the largest. */
typedef struct {
    Key *order;     /* local points sorted along the sweep axis */
    double *proj;   /* m × SWEEP_DIRS: each point on orthonormal directions */
    double *basis;  /* d × SWEEP_DIRS, then the power iteration's scratch */
    double *scratch;/* d × SWEEP_DIRS */
    double *mean;   /* d */
    size_t dirs;    /* directions in use (1..SWEEP_DIRS) */
    size_t *parent; /* union-find over local indices */
    size_t *count;  /* DBSCAN: points within eps, itself included */
    size_t *best;   /* DBSCAN: nearest core neighbour of a border point */
    double *best_d2;
    size_t *label;  /* cluster of each local point, NONE for noise */
    size_t *root_label;
    size_t min_samples;
} Work;

/* Squared distance, given up (returning a value > bound) as soon as the
 * partial sum exceeds bound: most pairs in a sweep are far apart. */
static double dist2_within(const double *x, const double *y, size_t d, double bound)
{
    double s = 0.0;
    for (size_t j = 0; j < d; j++) {
        double t = x[j] - y[j];
        s += t * t;
        if (s > bound)
            return s;
    }
    return s;
}

/* Calls visit(u, v, d²) for every pair of local points u != v within eps,
 * sweeping along the axis of widest range. */
typedef void (*PairFn)(Work *w, size_t u, size_t v, double d2);

static void sweep_pairs(const double *points, size_t d, const size_t *idx, size_t m, double eps, Work *w,
                        PairFn visit, int skip_joined)
{
    double eps2 = eps * eps;
    /* Projections on orthonormal directions bound the distance from below;
     * the slack keeps rounding from dropping a pair at exactly eps. */
    double screen = eps2 * (1.0 + 1e-9) + 1e-300, reach = eps * (1.0 + 1e-9);
    size_t k = w->dirs;
    for (size_t a = 0; a < m; a++) {
        size_t u = w->order[a].i;
        const double *xu = points + idx[u] * d, *pu = w->proj + u * SWEEP_DIRS;
        for (size_t b = a + 1; b < m; b++) {
            if (w->order[b].x - w->order[a].x > reach)
                break;
            size_t v = w->order[b].i;
            const double *pv = w->proj + v * SWEEP_DIRS;
            double low = 0.0;
            for (size_t c = 0; c < k; c++)
                low += (pu[c] - pv[c]) * (pu[c] - pv[c]);
            if (low > screen)
                continue;
            /* single linkage: a pair already in one component adds nothing */
            if (skip_joined && uf_find(w->parent, u) == uf_find(w->parent, v))
                continue;
            double q = dist2_within(xu, points + idx[v] * d, d, eps2);
            if (q <= eps2)
                visit(w, u, v, q);
        }
    }
}

static void visit_union(Work *w, size_t u, size_t v, double d2)
{
    (void)d2;
    uf_union(w->parent, u, v);
}

static void visit_count(Work *w, size_t u, size_t v, double d2)
{
    (void)d2;
    w->count[u]++;
    w->count[v]++;
}

static void border_candidate(Work *w, size_t border, size_t core, double d2)
{
    if (w->best[border] == NONE || d2 < w->best_d2[border] || (d2 == w->best_d2[border] && core < w->best[border])) {
        w->best[border] = core;
        w->best_d2[border] = d2;
    }
}

static void visit_core(Work *w, size_t u, size_t v, double d2)
{
    int cu = w->count[u] >= w->min_samples, cv = w->count[v] >= w->min_samples;
    if (cu && cv)
        uf_union(w->parent, u, v);
    else if (cu)
        border_candidate(w, v, u, d2);
    else if (cv)
        border_candidate(w, u, v, d2);
}

/* Orthonormalises the k columns of the d×SWEEP_DIRS matrix q in place
 * (modified Gram-Schmidt); returns how many leading columns survived. */
static size_t orthonormalise(double *q, size_t d, size_t k)
{
    for (size_t c = 0; c < k; c++) {
        for (size_t e = 0; e < c; e++) {
            double dot = 0.0;
            for (size_t j = 0; j < d; j++)
                dot += q[j * SWEEP_DIRS + c] * q[j * SWEEP_DIRS + e];
            for (size_t j = 0; j < d; j++)
                q[j * SWEEP_DIRS + c] -= dot * q[j * SWEEP_DIRS + e];
        }
        double len = 0.0;
        for (size_t j = 0; j < d; j++)
            len += q[j * SWEEP_DIRS + c] * q[j * SWEEP_DIRS + c];
        if (!(len > 1e-200))
            return c;
        len = 1.0 / sqrt(len);
        for (size_t j = 0; j < d; j++)
            q[j * SWEEP_DIRS + c] *= len;
    }
    return k;
}

/* w->proj = the points on w->dirs orthonormal directions close to the
 * pre-image's leading principal axes (a few steps of subspace iteration
 * from a fixed start): the first one orders the sweep, and all of them
 * screen pairs before the full d-dimensional distance. Degenerate input
 * falls back to the coordinate axis of widest range. */
static void sweep_basis(const double *points, size_t d, const size_t *idx, size_t m, Work *w)
{
    size_t k = d < SWEEP_DIRS ? d : SWEEP_DIRS;
    double *q = w->basis, *z = w->scratch, *mean = w->mean;
    Rng r;
    rng_seed(&r, 0x5eeb, 0);
    for (size_t j = 0; j < d; j++) {
        mean[j] = 0.0;
        for (size_t c = 0; c < SWEEP_DIRS; c++)
            q[j * SWEEP_DIRS + c] = rng_normal(&r);
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < d; j++)
            mean[j] += points[idx[i] * d + j];
    for (size_t j = 0; j < d; j++)
        mean[j] /= (double)(m ? m : 1);
    k = orthonormalise(q, d, k);
    for (int it = 0; it < 4 && k > 0; it++) {
        /* z = Xcᵀ (Xc q), one pass over the points */
        memset(z, 0, d * SWEEP_DIRS * sizeof *z);
        for (size_t i = 0; i < m; i++) {
            const double *x = points + idx[i] * d;
            double y[SWEEP_DIRS] = {0};
            for (size_t j = 0; j < d; j++)
                for (size_t c = 0; c < k; c++)
                    y[c] += (x[j] - mean[j]) * q[j * SWEEP_DIRS + c];
            for (size_t j = 0; j < d; j++)
                for (size_t c = 0; c < k; c++)
                    z[j * SWEEP_DIRS + c] += (x[j] - mean[j]) * y[c];
        }
        size_t got = orthonormalise(z, d, k);
        if (got == 0)
            break;
        k = got;
        memcpy(q, z, d * SWEEP_DIRS * sizeof *q);
    }
    if (k == 0) {
        size_t axis = 0;
        double widest = -1.0;
        for (size_t j = 0; j < d && m; j++) {
            double lo = points[idx[0] * d + j], hi = lo;
            for (size_t i = 1; i < m; i++) {
                double v = points[idx[i] * d + j];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            if (hi - lo > widest) {
                widest = hi - lo;
                axis = j;
            }
        }
        for (size_t j = 0; j < d; j++)
            q[j * SWEEP_DIRS] = j == axis;
        k = 1;
    }
    w->dirs = k;
    for (size_t i = 0; i < m; i++) {
        const double *x = points + idx[i] * d;
        double *p = w->proj + i * SWEEP_DIRS;
        for (size_t c = 0; c < k; c++)
            p[c] = 0.0;
        for (size_t j = 0; j < d; j++)
            for (size_t c = 0; c < k; c++)
                p[c] += x[j] * q[j * SWEEP_DIRS + c];
    }
}

/* Clusters the m points idx[0..m) (ascending point indices) into
 * w->label: clusters numbered by their smallest member, NONE for DBSCAN
 * noise. Single linkage: the components of the graph joining points within
 * eps. DBSCAN: core points have >= min_samples points within eps (itself
 * included) and join as single linkage does; a border point joins the
 * cluster of its nearest core point (ties: the smaller index); the rest is
 * noise. Returns the number of clusters. */
static size_t cluster_preimage(const double *points, size_t d, const size_t *idx, size_t m, const MapperParams *p,
                               Work *w)
{
    sweep_basis(points, d, idx, m, w);
    for (size_t i = 0; i < m; i++) {
        w->order[i] = (Key){w->proj[i * SWEEP_DIRS], i};
        w->parent[i] = i;
        w->root_label[i] = NONE;
    }
    qsort(w->order, m, sizeof *w->order, key_cmp);
    int dbscan = p->cluster == MAPPER_CLUSTER_DBSCAN;
    if (!dbscan) {
        /* Points next to each other in the input (a trajectory's
         * consecutive steps) are usually within eps: joining them first
         * lets the sweep skip most pairs as already connected. */
        double eps2 = p->eps * p->eps;
        for (size_t i = 1; i < m; i++)
            if (dist2_within(points + idx[i - 1] * d, points + idx[i] * d, d, eps2) <= eps2)
                uf_union(w->parent, i - 1, i);
        sweep_pairs(points, d, idx, m, p->eps, w, visit_union, 1);
    } else {
        for (size_t i = 0; i < m; i++) {
            w->count[i] = 1;
            w->best[i] = NONE;
        }
        sweep_pairs(points, d, idx, m, p->eps, w, visit_count, 0);
        w->min_samples = p->min_samples;
        sweep_pairs(points, d, idx, m, p->eps, w, visit_core, 0);
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        size_t root;
        if (!dbscan || w->count[i] >= p->min_samples)
            root = uf_find(w->parent, i);
        else if (w->best[i] != NONE)
            root = uf_find(w->parent, w->best[i]);
        else {
            w->label[i] = NONE;
            continue;
        }
        if (w->root_label[root] == NONE)
            w->root_label[root] = k++;
        w->label[i] = w->root_label[root];
    }
    return k;
}

void mapper_graph_free(MapperGraph *g)
{
    if (!g)
        return;
    free(g->vertices);
    free(g->edges);
    free(g->member_block);
    free(g);
}

static Status check_args(const double *points, size_t n, size_t d, const double *filter, size_t dims,
                         const double *time, const MapperParams *p, size_t *cubes, char *msg)
{
    if (n == 0 || d == 0)
        return status_fail(msg, ST_EINVAL, "Mapper needs at least one point of at least one dimension");
    if (dims < 1 || dims > MAPPER_MAX_FILTER_DIMS)
        return status_fail(msg, ST_EINVAL, "the filter must have 1 to 3 dimensions, not %zu", dims);
    if (p->intervals < 1 || p->intervals > MAPPER_MAX_INTERVALS)
        return status_fail(msg, ST_EINVAL, "the number of intervals must lie in 1..%d, not %zu", MAPPER_MAX_INTERVALS,
                           p->intervals);
    *cubes = 1;
    for (size_t j = 0; j < dims; j++) {
        if (*cubes > MAPPER_MAX_CUBES / p->intervals)
            return status_fail(msg, ST_EINVAL, "%zu intervals in %zu filter dimensions make more than %d cubes",
                               p->intervals, dims, MAPPER_MAX_CUBES);
        *cubes *= p->intervals;
    }
    if (!(p->overlap >= 0.0 && p->overlap < 1.0))
        return status_fail(msg, ST_EINVAL, "the overlap must lie in [0, 1), not %g", p->overlap);
    if (!(p->eps > 0.0) || !isfinite(p->eps))
        return status_fail(msg, ST_EINVAL, "eps must be a positive finite distance, not %g", p->eps);
    if (p->cluster != MAPPER_CLUSTER_SINGLE && p->cluster != MAPPER_CLUSTER_DBSCAN)
        return status_fail(msg, ST_EINVAL, "unknown clustering %d", (int)p->cluster);
    if (p->cluster == MAPPER_CLUSTER_DBSCAN && p->min_samples < 1)
        return status_fail(msg, ST_EINVAL, "DBSCAN needs min_samples >= 1");
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(points[i]))
            return status_fail(msg, ST_EINVAL, "point %zu has a value that is not finite", i / d);
    for (size_t i = 0; i < n * dims; i++)
        if (!isfinite(filter[i]))
            return status_fail(msg, ST_EINVAL, "the filter value of point %zu is not finite", i / dims);
    for (size_t i = 0; time && i < n; i++)
        if (!isfinite(time[i]))
            return status_fail(msg, ST_EINVAL, "the time of point %zu is not finite", i);
    return ST_OK;
}

/* Covers the filter: every (cube, point) membership, sorted by cube then
 * point, into *entries (caller frees). */
static Status cover_points(const double *filter, size_t n, size_t dims, const MapperParams *p, MapperGraph *g,
                           Entry **entries, size_t *n_entries, char *msg)
{
    size_t N = p->intervals;
    double *start = malloc(N * sizeof *start), *end = malloc(N * sizeof *end);
    size_t *range = malloc(n * dims * 2 * sizeof *range);
    Entry *e = NULL;
    Status st = start && end && range ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory for a cover of %zu points", n);
    for (size_t j = 0; !st && j < dims; j++) {
        double lo = filter[j], hi = filter[j];
        for (size_t i = 1; i < n; i++) {
            double v = filter[i * dims + j];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        for (size_t k = 0; !st && k < N; k++)
            st = mapper_cover_interval(lo, hi, N, p->overlap, k, &start[k], &end[k], msg);
        g->lo[j] = lo;
        g->hi[j] = hi;
        g->length[j] = (hi - lo) / ((double)N - (double)(N - 1) * p->overlap);
        double step = g->length[j] * (1.0 - p->overlap);
        for (size_t i = 0; !st && i < n; i++)
            intervals_of(filter[i * dims + j], start, end, N, lo, step, 1.0 / (1.0 - p->overlap),
                         &range[(i * dims + j) * 2], &range[(i * dims + j) * 2 + 1]);
    }
    size_t total = 0;
    for (size_t i = 0; !st && i < n; i++) {
        size_t c = 1;
        for (size_t j = 0; j < dims; j++)
            c *= range[(i * dims + j) * 2 + 1] - range[(i * dims + j) * 2] + 1;
        total += c;
    }
    if (!st) {
        e = malloc(total * sizeof *e);
        if (!e)
            st = status_fail(msg, ST_ENOMEM, "out of memory for %zu cover memberships", total);
    }
    size_t o = 0;
    for (size_t i = 0; !st && i < n; i++) {
        const size_t *r = range + i * dims * 2;
        size_t k[MAPPER_MAX_FILTER_DIMS];
        for (size_t j = 0; j < dims; j++)
            k[j] = r[2 * j];
        for (;;) {
            size_t cube = 0;
            for (size_t j = 0; j < dims; j++)
                cube = cube * N + k[j];
            e[o++] = (Entry){cube, i};
            size_t j = dims;
            while (j > 0 && k[j - 1] == r[2 * (j - 1) + 1]) {
                k[j - 1] = r[2 * (j - 1)];
                j--;
            }
            if (j == 0)
                break;
            k[j - 1]++;
        }
    }
    if (!st)
        qsort(e, total, sizeof *e, entry_cmp);
    free(start);
    free(end);
    free(range);
    if (st) {
        free(e);
        return st;
    }
    *entries = e;
    *n_entries = total;
    return ST_OK;
}

static int edge_cmp(const void *pa, const void *pb)
{
    const MapperEdge *a = pa, *b = pb;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* Edges between clusters that share points, components and cycles. hits
 * are the (vertex, point) memberships as Entry{cube = vertex, point}. */
static Status build_nerve(MapperGraph *g, Entry *hits, size_t n_hits, char *msg)
{
    /* by point, then vertex */
    for (size_t i = 0; i < n_hits; i++) {
        size_t t = hits[i].cube;
        hits[i].cube = hits[i].point;
        hits[i].point = t;
    }
    qsort(hits, n_hits, sizeof *hits, entry_cmp);
    size_t n_pairs = 0;
    for (size_t a = 0, b; a < n_hits; a = b) {
        for (b = a; b < n_hits && hits[b].cube == hits[a].cube; b++)
            ;
        n_pairs += (b - a) * (b - a - 1) / 2;
    }
    MapperEdge *pairs = malloc((n_pairs ? n_pairs : 1) * sizeof *pairs);
    size_t *parent = malloc((g->n_vertices ? g->n_vertices : 1) * sizeof *parent);
    if (!pairs || !parent) {
        free(pairs);
        free(parent);
        return status_fail(msg, ST_ENOMEM, "out of memory for the edges of the Mapper graph");
    }
    size_t o = 0;
    for (size_t a = 0, b; a < n_hits; a = b) {
        for (b = a; b < n_hits && hits[b].cube == hits[a].cube; b++)
            ;
        for (size_t u = a; u < b; u++)
            for (size_t v = u + 1; v < b; v++)
                pairs[o++] = (MapperEdge){hits[u].point, hits[v].point, 1};
    }
    qsort(pairs, n_pairs, sizeof *pairs, edge_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        if (m && pairs[m - 1].a == pairs[i].a && pairs[m - 1].b == pairs[i].b)
            pairs[m - 1].shared++;
        else
            pairs[m++] = pairs[i];
    }
    g->edges = pairs;
    g->n_edges = m;
    for (size_t v = 0; v < g->n_vertices; v++)
        parent[v] = v;
    for (size_t i = 0; i < m; i++)
        uf_union(parent, pairs[i].a, pairs[i].b);
    g->components = 0;
    for (size_t v = 0; v < g->n_vertices; v++)
        g->components += uf_find(parent, v) == v;
    g->cycles = g->n_edges + g->components - g->n_vertices;
    free(parent);
    return ST_OK;
}

static void work_free(Work *w)
{
    free(w->order);
    free(w->proj);
    free(w->basis);
    free(w->scratch);
    free(w->mean);
    free(w->parent);
    free(w->count);
    free(w->best);
    free(w->best_d2);
    free(w->label);
    free(w->root_label);
}

static int work_alloc(Work *w, size_t m, size_t d)
{
    memset(w, 0, sizeof *w);
    m = m ? m : 1;
    w->order = malloc(m * sizeof *w->order);
    w->proj = malloc(m * SWEEP_DIRS * sizeof *w->proj);
    w->basis = malloc(d * SWEEP_DIRS * sizeof *w->basis);
    w->scratch = malloc(d * SWEEP_DIRS * sizeof *w->scratch);
    w->mean = malloc(d * sizeof *w->mean);
    w->parent = malloc(m * sizeof *w->parent);
    w->count = malloc(m * sizeof *w->count);
    w->best = malloc(m * sizeof *w->best);
    w->best_d2 = malloc(m * sizeof *w->best_d2);
    w->label = malloc(m * sizeof *w->label);
    w->root_label = malloc(m * sizeof *w->root_label);
    return w->order && w->proj && w->basis && w->scratch && w->mean && w->parent && w->count && w->best && w->best_d2 && w->label && w->root_label;
}

/* Vertices from the clusters: vert[e] is the vertex of entry e or NONE. */
static Status build_vertices(MapperGraph *g, const Entry *e, size_t n_e, const size_t *vert, size_t n_vert,
                             size_t intervals, const double *filter, const double *time, char *msg)
{
    size_t dims = g->filter_dims, used = 0;
    for (size_t i = 0; i < n_e; i++)
        used += vert[i] != NONE;
    g->vertices = calloc(n_vert ? n_vert : 1, sizeof *g->vertices);
    g->member_block = malloc((used ? used : 1) * sizeof *g->member_block);
    if (!g->vertices || !g->member_block)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu Mapper vertices", n_vert);
    g->n_vertices = n_vert;
    for (size_t i = 0; i < n_e; i++)
        if (vert[i] != NONE)
            g->vertices[vert[i]].size++;
    size_t off = 0;
    for (size_t v = 0; v < n_vert; v++) {
        g->vertices[v].members = g->member_block + off;
        off += g->vertices[v].size;
        g->vertices[v].size = 0;
    }
    for (size_t i = 0; i < n_e; i++) {
        if (vert[i] == NONE)
            continue;
        MapperVertex *x = &g->vertices[vert[i]];
        size_t pt = e[i].point;
        if (x->size == 0) {
            size_t c = e[i].cube;
            for (size_t j = dims; j > 0; j--) {
                x->cube[j - 1] = c % intervals;
                c /= intervals;
            }
        }
        x->members[x->size++] = pt;
        for (size_t j = 0; j < dims; j++)
            x->mean_filter[j] += filter[pt * dims + j];
        x->mean_time += time ? time[pt] : (double)pt;
    }
    for (size_t v = 0; v < n_vert; v++) {
        MapperVertex *x = &g->vertices[v];
        for (size_t j = 0; j < dims; j++)
            x->mean_filter[j] /= (double)x->size;
        x->mean_time /= (double)x->size;
    }
    return ST_OK;
}

Status mapper_run(const double *points, size_t n, size_t d, const double *filter, size_t dims,
                  const double *time, const MapperParams *params, MapperGraph **out, char *msg)
{
    *out = NULL;
    size_t cubes;
    Status st = check_args(points, n, d, filter, dims, time, params, &cubes, msg);
    if (st)
        return st;
    MapperGraph *g = calloc(1, sizeof *g);
    if (!g)
        return status_fail(msg, ST_ENOMEM, "out of memory for a Mapper graph");
    g->n_points = n;
    g->filter_dims = dims;
    Entry *e = NULL;
    size_t n_e = 0, *vert = NULL, *idx = NULL;
    unsigned char *covered = NULL;
    Work w = {0};
    st = cover_points(filter, n, dims, params, g, &e, &n_e, msg);
    size_t m_max = 0;
    for (size_t a = 0, b; !st && a < n_e; a = b) {
        for (b = a; b < n_e && e[b].cube == e[a].cube; b++)
            ;
        m_max = b - a > m_max ? b - a : m_max;
    }
    if (!st) {
        vert = malloc((n_e ? n_e : 1) * sizeof *vert);
        idx = malloc((m_max ? m_max : 1) * sizeof *idx);
        covered = calloc(n, 1);
        if (!work_alloc(&w, m_max, d) || !vert || !idx || !covered)
            st = status_fail(msg, ST_ENOMEM, "out of memory clustering pre-images of up to %zu points", m_max);
    }
    size_t n_vert = 0;
    for (size_t a = 0, b; !st && a < n_e; a = b) {
        for (b = a; b < n_e && e[b].cube == e[a].cube; b++)
            idx[b - a] = e[b].point;
        size_t k = cluster_preimage(points, d, idx, b - a, params, &w);
        for (size_t i = a; i < b; i++) {
            size_t l = w.label[i - a];
            vert[i] = l == NONE ? NONE : n_vert + l;
            if (l != NONE)
                covered[e[i].point] = 1;
        }
        n_vert += k;
    }
    if (!st)
        st = build_vertices(g, e, n_e, vert, n_vert, params->intervals, filter, time, msg);
    if (!st) {
        size_t h = 0;
        for (size_t i = 0; i < n_e; i++)
            if (vert[i] != NONE)
                e[h++] = (Entry){vert[i], e[i].point};
        st = build_nerve(g, e, h, msg);
    }
    for (size_t i = 0; !st && i < n; i++)
        g->unclustered += !covered[i];
    work_free(&w);
    free(e);
    free(vert);
    free(idx);
    free(covered);
    if (st) {
        mapper_graph_free(g);
        return st;
    }
    *out = g;
    return ST_OK;
}

void mapper_graph_degrees(const MapperGraph *g, size_t *deg)
{
    for (size_t v = 0; v < g->n_vertices; v++)
        deg[v] = 0;
    for (size_t e = 0; e < g->n_edges; e++) {
        deg[g->edges[e].a]++;
        deg[g->edges[e].b]++;
    }
}
