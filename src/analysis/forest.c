#include "neurotop/analysis/forest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/rng.h"

typedef struct {
    ForestNode *nodes;
    size_t n_nodes, cap;
    float *proba;
    size_t n_leaves, leaf_cap;
} Tree;

struct Forest {
    size_t d, k, n_trees;
    Tree *trees;
};

/* Shared by all trees of one training: binned features and work space. */
typedef struct {
    size_t n, d, k, mtry, min_leaf, max_bins;
    const int *y;
    uint8_t *bins;   /* d × n, column-major: bins[f·n + row] */
    float *thr;      /* thr[f·max_bins + b]: split "bin <= b" is "x <= thr" */
    size_t *nbins;   /* per feature */
    size_t *idx;     /* rows of the current tree's sample (with repeats) */
    size_t *base;    /* rows of the (balanced) training set */
    size_t n_base;
    size_t *feat;    /* feature order */
    uint32_t *cnt, *cl, *cr;
    size_t *bincount, *binstart;
    int *sorted;     /* node labels ordered by bin */
    uint8_t *sorted_bin;
} Grow;

typedef struct {
    size_t node, lo, hi;
} Span;

ForestOptions forest_options_default(void)
{
    return (ForestOptions){.n_trees = 100, .max_features = 0, .min_leaf = 1, .max_bins = 256,
                           .bootstrap = 1, .balance = 0, .seed = 0};
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Candidate thresholds of feature f and the bin of every training row. */
static void bin_feature(Grow *g, const float *x, size_t f, float *col)
{
    size_t n = g->n;
    for (size_t i = 0; i < n; i++)
        col[i] = x[i * g->d + f];
    qsort(col, n, sizeof *col, cmp_float);
    size_t nu = 0;
    for (size_t i = 0; i < n; i++)
        if (nu == 0 || col[i] != col[nu - 1])
            col[nu++] = col[i];
    float *t = g->thr + f * g->max_bins;
    size_t nb = nu <= g->max_bins ? nu : g->max_bins;
    for (size_t b = 0; b + 1 < nb; b++) {
        size_t hi = nu <= g->max_bins ? b + 1 : (b + 1) * nu / g->max_bins;
        double lo_v = col[hi - 1], hi_v = col[hi];
        float mid = (float)(lo_v + (hi_v - lo_v) / 2);
        t[b] = mid >= col[hi] ? col[hi - 1] : mid;
    }
    g->nbins[f] = nb;
    for (size_t i = 0; i < n; i++) {
        float v = x[i * g->d + f];
        size_t lo = 0, hi = nb - 1; /* count of thresholds < v */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (t[mid] < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        g->bins[f * n + i] = (uint8_t)lo;
    }
}

static Status tree_add_node(Tree *t, size_t *id)
{
    if (t->n_nodes == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        ForestNode *p = realloc(t->nodes, cap * sizeof *p);
        if (!p)
            return ST_ENOMEM;
        t->nodes = p;
        t->cap = cap;
    }
    *id = t->n_nodes++;
    t->nodes[*id] = (ForestNode){.feature = -1};
    return ST_OK;
}

static Status tree_make_leaf(Tree *t, size_t node, const uint32_t *cnt, size_t k, size_t total)
{
    if (t->n_leaves == t->leaf_cap) {
        size_t cap = t->leaf_cap ? 2 * t->leaf_cap : 32;
        float *p = realloc(t->proba, cap * k * sizeof *p);
        if (!p)
            return ST_ENOMEM;
        t->proba = p;
        t->leaf_cap = cap;
    }
    float *pr = t->proba + t->n_leaves * k;
    for (size_t c = 0; c < k; c++)
        pr[c] = (float)((double)cnt[c] / (double)total);
    t->nodes[node].feature = -1;
    t->nodes[node].leaf = (uint32_t)t->n_leaves++;
    return ST_OK;
}

/* Best "bin <= b" split of rows idx[lo..hi) on feature f by the Gini proxy
 * Σc_L²/n_L + Σc_R²/n_R (larger is purer). Returns 0 when f is constant
 * there; otherwise 1 and, if it beats *best, updates *best and *best_b. */
static int scan_feature(Grow *g, size_t f, size_t lo, size_t hi, double sumsq, double *best,
                        size_t *best_b)
{
    size_t m = hi - lo, nb = g->nbins[f], k = g->k;
    const uint8_t *bin = g->bins + f * g->n;
    if (m * 8 < nb) {
        /* few samples: insertion sort of (bin, label) pairs */
        for (size_t i = 0; i < m; i++) {
            size_t r = g->idx[lo + i];
            uint8_t b = bin[r];
            int lab = g->y[r];
            size_t j = i;
            while (j > 0 && g->sorted_bin[j - 1] > b) {
                g->sorted_bin[j] = g->sorted_bin[j - 1];
                g->sorted[j] = g->sorted[j - 1];
                j--;
            }
            g->sorted_bin[j] = b;
            g->sorted[j] = lab;
        }
    } else {
        memset(g->bincount, 0, nb * sizeof *g->bincount);
        for (size_t i = lo; i < hi; i++)
            g->bincount[bin[g->idx[i]]]++;
        size_t s = 0;
        for (size_t b = 0; b < nb; b++) {
            g->binstart[b] = s;
            s += g->bincount[b];
        }
        for (size_t i = lo; i < hi; i++) {
            size_t r = g->idx[i];
            size_t p = g->binstart[bin[r]]++;
            g->sorted[p] = g->y[r];
            g->sorted_bin[p] = bin[r];
        }
    }
    if (g->sorted_bin[0] == g->sorted_bin[m - 1])
        return 0;
    memset(g->cl, 0, k * sizeof *g->cl);
    memcpy(g->cr, g->cnt, k * sizeof *g->cr);
    double sl = 0, sr = sumsq;
    for (size_t i = 0; i + 1 < m; i++) {
        int c = g->sorted[i];
        sl += 2.0 * g->cl[c] + 1;
        g->cl[c]++;
        sr -= 2.0 * g->cr[c] - 1;
        g->cr[c]--;
        if (g->sorted_bin[i + 1] == g->sorted_bin[i])
            continue;
        size_t nl = i + 1, nr = m - nl;
        if (nl < g->min_leaf || nr < g->min_leaf)
            continue;
        double proxy = sl / (double)nl + sr / (double)nr;
        if (proxy > *best * (1 + 1e-12) + 1e-12) {
            *best = proxy;
            *best_b = g->sorted_bin[i];
        }
    }
    return 1;
}

static Status grow_tree(Grow *g, Tree *t, Rng *rng, size_t m, Span *stack)
{
    size_t top = 0, root;
    if (tree_add_node(t, &root) != ST_OK)
        return ST_ENOMEM;
    stack[top++] = (Span){root, 0, m};
    while (top > 0) {
        Span s = stack[--top];
        size_t k = g->k, n_node = s.hi - s.lo;
        memset(g->cnt, 0, k * sizeof *g->cnt);
        for (size_t i = s.lo; i < s.hi; i++)
            g->cnt[g->y[g->idx[i]]]++;
        double sumsq = 0;
        size_t present = 0;
        for (size_t c = 0; c < k; c++) {
            sumsq += (double)g->cnt[c] * g->cnt[c];
            present += g->cnt[c] > 0;
        }
        double best = sumsq / (double)n_node;
        size_t best_f = SIZE_MAX, best_b = 0;
        if (present > 1 && n_node >= 2 * g->min_leaf) {
            rng_permutation(rng, g->feat, g->d);
            size_t tried = 0;
            for (size_t j = 0; j < g->d && tried < g->mtry; j++) {
                double before = best;
                size_t f = g->feat[j];
                tried += (size_t)scan_feature(g, f, s.lo, s.hi, sumsq, &best, &best_b);
                if (best != before)
                    best_f = f;
            }
        }
        if (best_f == SIZE_MAX) {
            if (tree_make_leaf(t, s.node, g->cnt, k, n_node) != ST_OK)
                return ST_ENOMEM;
            continue;
        }
        const uint8_t *bin = g->bins + best_f * g->n;
        size_t a = s.lo, b = s.hi;
        while (a < b) {
            if (bin[g->idx[a]] <= best_b)
                a++;
            else {
                size_t tmp = g->idx[a];
                g->idx[a] = g->idx[--b];
                g->idx[b] = tmp;
            }
        }
        size_t left, right;
        if (tree_add_node(t, &left) != ST_OK || tree_add_node(t, &right) != ST_OK)
            return ST_ENOMEM;
        ForestNode *nd = &t->nodes[s.node];
        nd->feature = (int32_t)best_f;
        nd->threshold = g->thr[best_f * g->max_bins + best_b];
        nd->left = (uint32_t)left;
        nd->right = (uint32_t)right;
        stack[top++] = (Span){right, a, s.hi};
        stack[top++] = (Span){left, s.lo, a};
    }
    return ST_OK;
}

static Status check_args(const float *x, size_t n, size_t d, const int *y, size_t k,
                         const ForestOptions *o, char *msg)
{
    if (n == 0 || d == 0 || k == 0)
        return status_fail(msg, ST_EINVAL, "a forest needs samples, features and classes");
    if (o->n_trees == 0 || o->min_leaf == 0 || o->max_bins < 2 || o->max_bins > 256 ||
        o->max_features > d)
        return status_fail(msg, ST_EINVAL, "forest options out of range (trees >= 1, leaf >= 1, "
                                           "bins 2..256, features <= %zu)", d);
    if (n > UINT32_MAX / 2)
        return status_fail(msg, ST_EINVAL, "too many samples for a forest (%zu)", n);
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= k)
            return status_fail(msg, ST_EINVAL, "label %d of sample %zu is outside 0..%zu", y[i], i,
                               k - 1);
        for (size_t f = 0; f < d; f++)
            if (!isfinite(x[i * d + f]))
                return status_fail(msg, ST_EINVAL, "feature %zu of sample %zu is not finite", f, i);
    }
    return ST_OK;
}

/* Rows of the training set; with balancing, extra draws of each smaller
 * class up to the largest class's count. */
static Status make_base(Grow *g, int balance, Rng *rng)
{
    size_t *count = calloc(g->k, sizeof *count), biggest = 0;
    if (!count)
        return ST_ENOMEM;
    for (size_t i = 0; i < g->n; i++)
        count[g->y[i]]++;
    for (size_t c = 0; c < g->k; c++)
        biggest = count[c] > biggest ? count[c] : biggest;
    size_t total = g->n;
    if (balance)
        for (size_t c = 0; c < g->k; c++)
            total += count[c] ? biggest - count[c] : 0;
    g->base = malloc(total * sizeof *g->base);
    size_t *rows = malloc(g->n * sizeof *rows);
    if (!g->base || !rows) {
        free(count);
        free(rows);
        return ST_ENOMEM;
    }
    for (size_t i = 0; i < g->n; i++)
        g->base[i] = i;
    size_t at = g->n;
    for (size_t c = 0; balance && c < g->k; c++) {
        if (!count[c] || count[c] == biggest)
            continue;
        size_t nc = 0;
        for (size_t i = 0; i < g->n; i++)
            if ((size_t)g->y[i] == c)
                rows[nc++] = i;
        for (size_t e = count[c]; e < biggest; e++)
            g->base[at++] = rows[rng_below(rng, nc)];
    }
    g->n_base = total;
    free(rows);
    free(count);
    return ST_OK;
}

static void grow_free(Grow *g)
{
    free(g->bins);
    free(g->thr);
    free(g->nbins);
    free(g->idx);
    free(g->base);
    free(g->feat);
    free(g->cnt);
    free(g->cl);
    free(g->cr);
    free(g->bincount);
    free(g->binstart);
    free(g->sorted);
    free(g->sorted_bin);
}

Status forest_train(const float *x, size_t n, size_t d, const int *y, size_t n_classes,
                    const ForestOptions *opt, Forest **out, char *msg)
{
    *out = NULL;
    ForestOptions o = opt ? *opt : forest_options_default();
    Status st = check_args(x, n, d, y, n_classes, &o, msg);
    if (st != ST_OK)
        return st;
    Grow g = {.n = n, .d = d, .k = n_classes, .y = y, .min_leaf = o.min_leaf, .max_bins = o.max_bins};
    g.mtry = o.max_features ? o.max_features : (size_t)lround(sqrt((double)d));
    if (g.mtry == 0)
        g.mtry = 1;
    Forest *f = calloc(1, sizeof *f);
    Span *stack = NULL;
    float *col = malloc(n * sizeof *col);
    Rng rng;
    rng_seed(&rng, o.seed, UINT64_MAX);
    g.bins = malloc(n * d);
    g.thr = malloc(d * o.max_bins * sizeof *g.thr);
    g.nbins = malloc(d * sizeof *g.nbins);
    g.feat = malloc(d * sizeof *g.feat);
    g.cnt = malloc(n_classes * sizeof *g.cnt);
    g.cl = malloc(n_classes * sizeof *g.cl);
    g.cr = malloc(n_classes * sizeof *g.cr);
    g.bincount = malloc(o.max_bins * sizeof *g.bincount);
    g.binstart = malloc(o.max_bins * sizeof *g.binstart);
    if (!f || !col || !g.bins || !g.thr || !g.nbins || !g.feat || !g.cnt || !g.cl || !g.cr ||
        !g.bincount || !g.binstart || make_base(&g, o.balance, &rng) != ST_OK)
        goto oom;
    size_t m = g.n_base;
    g.idx = malloc(m * sizeof *g.idx);
    g.sorted = malloc(m * sizeof *g.sorted);
    g.sorted_bin = malloc(m);
    stack = malloc((2 * m + 2) * sizeof *stack);
    f->trees = calloc(o.n_trees, sizeof *f->trees);
    if (!g.idx || !g.sorted || !g.sorted_bin || !stack || !f->trees)
        goto oom;
    f->d = d;
    f->k = n_classes;
    f->n_trees = o.n_trees;
    for (size_t j = 0; j < d; j++)
        bin_feature(&g, x, j, col);
    for (size_t t = 0; t < o.n_trees; t++) {
        Rng tr;
        rng_seed(&tr, o.seed, t);
        for (size_t i = 0; i < m; i++)
            g.idx[i] = o.bootstrap ? g.base[rng_below(&tr, m)] : g.base[i];
        if (grow_tree(&g, &f->trees[t], &tr, m, stack) != ST_OK)
            goto oom;
    }
    free(stack);
    free(col);
    grow_free(&g);
    *out = f;
    return ST_OK;
oom:
    free(stack);
    free(col);
    grow_free(&g);
    forest_free(f);
    return status_fail(msg, ST_ENOMEM, "out of memory growing a forest on %zu samples", n);
}

void forest_free(Forest *f)
{
    if (!f)
        return;
    for (size_t t = 0; f->trees && t < f->n_trees; t++) {
        free(f->trees[t].nodes);
        free(f->trees[t].proba);
    }
    free(f->trees);
    free(f);
}

size_t forest_classes(const Forest *f)
{
    return f->k;
}

void forest_predict(const Forest *f, const float *x, double *proba)
{
    for (size_t c = 0; c < f->k; c++)
        proba[c] = 0;
    for (size_t t = 0; t < f->n_trees; t++) {
        const Tree *tr = &f->trees[t];
        const ForestNode *nd = &tr->nodes[0];
        while (nd->feature >= 0)
            nd = &tr->nodes[x[nd->feature] <= nd->threshold ? nd->left : nd->right];
        const float *p = tr->proba + (size_t)nd->leaf * f->k;
        for (size_t c = 0; c < f->k; c++)
            proba[c] += p[c];
    }
    for (size_t c = 0; c < f->k; c++)
        proba[c] /= (double)f->n_trees;
}

size_t forest_trees(const Forest *f)
{
    return f->n_trees;
}

const ForestNode *forest_tree_nodes(const Forest *f, size_t t, size_t *count)
{
    *count = f->trees[t].n_nodes;
    return f->trees[t].nodes;
}

const float *forest_tree_proba(const Forest *f, size_t t)
{
    return f->trees[t].proba;
}
