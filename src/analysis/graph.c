#include "neurotop/analysis/graph.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static Status check_spec(const GraphSpec *s, char *msg)
{
    if (!s || !s->layer_sizes || s->n_layers == 0 || s->n_layers > GRAPH_MAX_LAYERS)
        return status_fail(msg, ST_EINVAL, "a weight graph needs 1 to %d layers",
                           GRAPH_MAX_LAYERS);
    size_t total = 0;
    for (size_t l = 0; l < s->n_layers; l++) {
        if (s->layer_sizes[l] == 0)
            return status_fail(msg, ST_EINVAL, "layer %zu has no units", l);
        if (s->layer_sizes[l] > (size_t)INT_MAX - total)
            return status_fail(msg, ST_EINVAL, "the layers have too many units in total");
        total += s->layer_sizes[l];
    }
    if (s->n_blocks > 0 && !s->blocks)
        return status_fail(msg, ST_EINVAL, "the weight graph spec has no blocks array");
    for (size_t b = 0; b < s->n_blocks; b++) {
        const GraphBlock *k = &s->blocks[b];
        if (k->from >= s->n_layers || k->to >= s->n_layers)
            return status_fail(msg, ST_EINVAL, "block %zu joins layers %zu and %zu, but there are %zu",
                               b, k->from, k->to, s->n_layers);
        if (k->rows != s->layer_sizes[k->from] || k->cols != s->layer_sizes[k->to])
            return status_fail(msg, ST_EINVAL, "block %zu is %zu×%zu, but its layers have %zu and %zu units",
                               b, k->rows, k->cols, s->layer_sizes[k->from], s->layer_sizes[k->to]);
        if (!k->w)
            return status_fail(msg, ST_EINVAL, "block %zu has no weights", b);
        if (k->ld && k->ld < k->cols)
            return status_fail(msg, ST_EINVAL, "block %zu has rows %zu apart, fewer than its %zu columns",
                               b, k->ld, k->cols);
    }
    return ST_OK;
}

Status graph_count_nodes(const GraphSpec *spec, uint32_t mask, size_t *n, char *msg)
{
    Status st = check_spec(spec, msg);
    if (st)
        return st;
    if (!n)
        return status_fail(msg, ST_EINVAL, "graph_count_nodes needs an output");
    size_t total = 0;
    for (size_t l = 0; l < spec->n_layers; l++)
        if (mask & GRAPH_LAYER(l))
            total += spec->layer_sizes[l];
    if (total == 0)
        return status_fail(msg, ST_EINVAL, "the layer selection keeps no layer");
    *n = total;
    return ST_OK;
}

/* Add block k with its `from` units at row offset oi and `to` units at oj. */
static Status add_block(const GraphSpec *spec, size_t b, size_t oi, size_t oj, Matrix *adj,
                        char *msg)
{
    const GraphBlock *k = &spec->blocks[b];
    for (size_t i = 0; i < k->rows; i++) {
        const float *row = k->w + i * (k->ld ? k->ld : k->cols);
        for (size_t j = 0; j < k->cols; j++) {
            double w = row[j];
            if (!isfinite(w))
                return status_fail(msg, ST_EINVAL, "block %zu has a non-finite weight at (%zu, %zu)",
                                   b, i, j);
            if (k->from == k->to) {
                /* within a layer the pair (i,j) appears twice: average */
                if (i == j)
                    continue;
                MAT_AT(adj, oi + i, oj + j) += 0.5 * w;
                MAT_AT(adj, oj + j, oi + i) += 0.5 * w;
            } else {
                MAT_AT(adj, oi + i, oj + j) += w;
                MAT_AT(adj, oj + j, oi + i) += w;
            }
        }
    }
    return ST_OK;
}

static void label_nodes(size_t first, size_t layer, size_t count, int *lab, int *unit)
{
    for (size_t u = 0; u < count; u++) {
        if (lab)
            lab[first + u] = (int)layer;
        if (unit)
            unit[first + u] = (int)u;
    }
}

static Status check_adj(const Matrix *adj, size_t n, char *msg)
{
    if (!adj || !adj->data || adj->rows != n || adj->cols != n)
        return status_fail(msg, ST_EINVAL, "the adjacency buffer must be %zu×%zu", n, n);
    return ST_OK;
}

Status graph_fill(const GraphSpec *spec, uint32_t mask, Matrix *adj, int *layer, int *unit,
                  char *msg)
{
    size_t n;
    Status st = graph_count_nodes(spec, mask, &n, msg);
    if (st || (st = check_adj(adj, n, msg)))
        return st;
    size_t off[GRAPH_MAX_LAYERS], pos = 0;
    for (size_t l = 0; l < spec->n_layers; l++) {
        off[l] = pos;
        if (mask & GRAPH_LAYER(l)) {
            label_nodes(pos, l, spec->layer_sizes[l], layer, unit);
            pos += spec->layer_sizes[l];
        }
    }
    memset(adj->data, 0, n * n * sizeof *adj->data);
    for (size_t b = 0; b < spec->n_blocks; b++) {
        const GraphBlock *k = &spec->blocks[b];
        if (!(mask & GRAPH_LAYER(k->from)) || !(mask & GRAPH_LAYER(k->to)))
            continue;
        if ((st = add_block(spec, b, off[k->from], off[k->to], adj, msg)))
            return st;
    }
    return ST_OK;
}

static Status check_weights(const GraphSpec *spec, uint32_t mask, char *msg)
{
    for (size_t b = 0; b < spec->n_blocks; b++) {
        const GraphBlock *k = &spec->blocks[b];
        if (!(mask & GRAPH_LAYER(k->from)) || !(mask & GRAPH_LAYER(k->to)))
            continue;
        for (size_t i = 0; i < k->rows; i++) {
            const float *row = k->w + i * (k->ld ? k->ld : k->cols);
            float sum = 0;
            for (size_t j = 0; j < k->cols; j++)
                sum += row[j] * 0.0f; /* NaN unless every weight is finite */
            for (size_t j = 0; sum != 0 && j < k->cols; j++)
                if (!isfinite(row[j]))
                    return status_fail(msg, ST_EINVAL, "block %zu has a non-finite weight at (%zu, %zu)",
                                       b, i, j);
        }
    }
    return ST_OK;
}

Status graph_rows_init(GraphRows *r, const GraphSpec *spec, uint32_t mask, int *layer, int *unit,
                       char *msg)
{
    memset(r, 0, sizeof *r);
    size_t n;
    Status st = graph_count_nodes(spec, mask, &n, msg);
    if (st || (st = check_weights(spec, mask, msg)))
        return st;
    size_t pos = 0, widest = 0;
    for (size_t l = 0; l < spec->n_layers; l++) {
        r->first[l] = pos;
        if (mask & GRAPH_LAYER(l)) {
            label_nodes(pos, l, spec->layer_sizes[l], layer, unit);
            pos += spec->layer_sizes[l];
            if (spec->layer_sizes[l] > widest)
                widest = spec->layer_sizes[l];
        }
    }
    /* A row of layer L has at most the units of the layers L shares a
     * block with; each block gives each of its cells at most twice. */
    size_t reach[GRAPH_MAX_LAYERS] = {0};
    uint32_t seen[GRAPH_MAX_LAYERS] = {0};
    for (size_t b = 0; b < spec->n_blocks; b++) {
        const GraphBlock *k = &spec->blocks[b];
        if (!(mask & GRAPH_LAYER(k->from)) || !(mask & GRAPH_LAYER(k->to)))
            continue;
        r->nnz_bound += k->from == k->to ? k->rows * (k->rows - 1) : 2 * k->rows * k->cols;
        if (!(seen[k->from] & GRAPH_LAYER(k->to))) {
            seen[k->from] |= GRAPH_LAYER(k->to);
            reach[k->from] += k->cols;
        }
        if (k->from != k->to && !(seen[k->to] & GRAPH_LAYER(k->from))) {
            seen[k->to] |= GRAPH_LAYER(k->from);
            reach[k->to] += k->rows;
        }
    }
    for (size_t l = 0; l < spec->n_layers; l++)
        if (reach[l] > r->max_row)
            r->max_row = reach[l];
    if (r->max_row > n)
        r->max_row = n;
    if (r->nnz_bound > n * r->max_row)
        r->nnz_bound = n * r->max_row;
    r->acc = malloc(widest * sizeof *r->acc);
    if (!r->acc)
        return status_fail(msg, ST_ENOMEM, "out of memory for a row of the %zu-node weight graph", n);
    r->spec = spec;
    r->mask = mask;
    r->n = n;
    return ST_OK;
}

/* Row u of block k's own layer (from == to): the cell (u, j) gets half of
 * w[u][j] and half of w[j][u], added in graph_fill's order so both forms
 * give the same sums bit for bit. */
static void add_within(const GraphBlock *k, size_t u, double *acc)
{
    size_t ld = k->ld ? k->ld : k->cols;
    for (size_t j = 0; j < k->rows; j++) {
        if (j == u)
            continue;
        double a = 0.5 * k->w[u * ld + j], b = 0.5 * k->w[j * ld + u];
        if (j < u) {
            acc[j] += b;
            acc[j] += a;
        } else {
            acc[j] += a;
            acc[j] += b;
        }
    }
}

Status graph_rows_next(void *rows, size_t i, size_t *col, double *val, size_t *count, char *msg)
{
    GraphRows *r = rows;
    const GraphSpec *spec = r->spec;
    if (i >= r->n)
        return status_fail(msg, ST_EINVAL, "row %zu of a %zu-node weight graph", i, r->n);
    size_t L = 0;
    while (!(r->mask & GRAPH_LAYER(L)) || i >= r->first[L] + spec->layer_sizes[L])
        L++;
    size_t u = i - r->first[L], cnt = 0;
    for (size_t M = 0; M < spec->n_layers; M++) {
        if (!(r->mask & GRAPH_LAYER(M)))
            continue;
        size_t size = spec->layer_sizes[M], touched = 0;
        for (size_t b = 0; b < spec->n_blocks; b++) {
            const GraphBlock *k = &spec->blocks[b];
            size_t ld = k->ld ? k->ld : k->cols;
            int out = k->from == L && k->to == M, in = k->to == L && k->from == M;
            if (!out && !in)
                continue;
            if (!touched++)
                memset(r->acc, 0, size * sizeof *r->acc);
            if (L == M)
                add_within(k, u, r->acc);
            else if (out)
                for (size_t j = 0; j < size; j++)
                    r->acc[j] += k->w[u * ld + j];
            else
                for (size_t j = 0; j < size; j++)
                    r->acc[j] += k->w[j * ld + u];
        }
        for (size_t j = 0; touched && j < size; j++) {
            col[cnt] = r->first[M] + j;
            val[cnt] = r->acc[j];
            cnt += r->acc[j] != 0;
        }
    }
    *count = cnt;
    return ST_OK;
}

void graph_rows_done(GraphRows *r)
{
    if (!r)
        return;
    free(r->acc);
    r->acc = NULL;
}

static Status block_nodes(const GraphSpec *spec, size_t block, size_t *n, char *msg)
{
    Status st = check_spec(spec, msg);
    if (st)
        return st;
    if (block >= spec->n_blocks)
        return status_fail(msg, ST_EINVAL, "block %zu does not exist (%zu blocks)", block,
                           spec->n_blocks);
    const GraphBlock *k = &spec->blocks[block];
    *n = k->from == k->to ? k->rows : k->rows + k->cols;
    return ST_OK;
}

Status graph_fill_block(const GraphSpec *spec, size_t block, Matrix *adj, int *layer, int *unit,
                        char *msg)
{
    size_t n;
    Status st = block_nodes(spec, block, &n, msg);
    if (st || (st = check_adj(adj, n, msg)))
        return st;
    const GraphBlock *k = &spec->blocks[block];
    memset(adj->data, 0, n * n * sizeof *adj->data);
    size_t oj = k->from == k->to ? 0 : k->rows;
    label_nodes(0, k->from, k->rows, layer, unit);
    if (k->from != k->to)
        label_nodes(oj, k->to, k->cols, layer, unit);
    return add_block(spec, block, 0, oj, adj, msg);
}

void graph_free(WeightGraph *g)
{
    if (!g)
        return;
    matrix_free(g->adj);
    free(g->layer);
    free(g->unit);
    free(g);
}

static Status graph_alloc(size_t n, WeightGraph **out, char *msg)
{
    WeightGraph *g = calloc(1, sizeof *g);
    if (g) {
        g->adj = matrix_new(n, n);
        g->layer = malloc(n * sizeof *g->layer);
        g->unit = malloc(n * sizeof *g->unit);
    }
    if (!g || !g->adj || !g->layer || !g->unit) {
        graph_free(g);
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-node weight graph", n);
    }
    *out = g;
    return ST_OK;
}

Status graph_new(const GraphSpec *spec, uint32_t mask, WeightGraph **out, char *msg)
{
    size_t n;
    if (!out)
        return status_fail(msg, ST_EINVAL, "graph_new needs an output");
    *out = NULL;
    Status st = graph_count_nodes(spec, mask, &n, msg);
    WeightGraph *g;
    if (st || (st = graph_alloc(n, &g, msg)))
        return st;
    if ((st = graph_fill(spec, mask, g->adj, g->layer, g->unit, msg))) {
        graph_free(g);
        return st;
    }
    *out = g;
    return ST_OK;
}

Status graph_new_block(const GraphSpec *spec, size_t block, WeightGraph **out, char *msg)
{
    size_t n;
    if (!out)
        return status_fail(msg, ST_EINVAL, "graph_new_block needs an output");
    *out = NULL;
    Status st = block_nodes(spec, block, &n, msg);
    WeightGraph *g;
    if (st || (st = graph_alloc(n, &g, msg)))
        return st;
    if ((st = graph_fill_block(spec, block, g->adj, g->layer, g->unit, msg))) {
        graph_free(g);
        return st;
    }
    *out = g;
    return ST_OK;
}
