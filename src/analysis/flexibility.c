#include "neurotop/analysis/flexibility.h"

#include <stdint.h>
#include <stdlib.h>

#include "neurotop/core/matrix.h"

MultiPartition flexibility_partition_nodes(const int *labels, size_t n_nodes, size_t n_layers)
{
    MultiPartition p = {labels, n_nodes, n_layers, n_layers, 1};
    return p;
}

MultiPartition flexibility_partition_layers(const int *labels, size_t n_nodes, size_t n_layers)
{
    MultiPartition p = {labels, n_nodes, n_layers, 1, n_nodes};
    return p;
}

static int label_at(const MultiPartition *p, size_t i, size_t s)
{
    return p->labels[i * p->node_stride + s * p->layer_stride];
}

Status flexibility_compute(const MultiPartition *p, double *node, double *system, char *msg)
{
    if (p->n_nodes == 0)
        return status_fail(msg, ST_EINVAL, "flexibility needs at least one node");
    if (p->n_layers < 2)
        return status_fail(msg, ST_EINVAL, "flexibility needs at least 2 layers, got %zu",
                           p->n_layers);
    double sum = 0.0, steps = (double)(p->n_layers - 1);
    for (size_t i = 0; i < p->n_nodes; i++) {
        size_t changes = 0;
        for (size_t s = 0; s + 1 < p->n_layers; s++)
            changes += label_at(p, i, s) != label_at(p, i, s + 1);
        double f = (double)changes / steps;
        if (node)
            node[i] = f;
        sum += f;
    }
    if (system)
        *system = sum / (double)p->n_nodes;
    return ST_OK;
}

Status flexibility_allegiance(const MultiPartition *p, double *out, char *msg)
{
    size_t n = p->n_nodes, nn;
    if (n == 0 || p->n_layers == 0)
        return status_fail(msg, ST_EINVAL, "allegiance needs at least one node and one layer");
    if (size_mul(n, n, &nn) || nn > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu nodes give too large an allegiance matrix", n);
    for (size_t k = 0; k < nn; k++)
        out[k] = 0.0;
    /* Count agreements in the upper triangle layer by layer, then mirror. */
    for (size_t s = 0; s < p->n_layers; s++)
        for (size_t i = 0; i < n; i++) {
            int gi = label_at(p, i, s);
            double *row = out + i * n;
            for (size_t j = i + 1; j < n; j++)
                row[j] += label_at(p, j, s) == gi;
        }
    double inv = 1.0 / (double)p->n_layers;
    for (size_t i = 0; i < n; i++) {
        out[i * n + i] = 1.0;
        for (size_t j = i + 1; j < n; j++) {
            out[i * n + j] *= inv;
            out[j * n + i] = out[i * n + j];
        }
    }
    return ST_OK;
}

typedef struct {
    size_t module; /* rank of the module by first appearance */
    size_t node;
} Key;

static int key_cmp(const void *a, const void *b)
{
    const Key *x = a, *y = b;
    if (x->module != y->module)
        return x->module < y->module ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

typedef struct {
    int label;
    size_t first; /* first node with this label */
} Seen;

static int seen_cmp(const void *a, const void *b)
{
    const Seen *x = a, *y = b;
    if (x->label != y->label)
        return x->label < y->label ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

Status flexibility_module_order(const int *labels, size_t n, size_t *order, size_t *n_modules,
                                size_t *bounds, char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a module order needs at least one node");
    if (n > SIZE_MAX / sizeof(Key) || n > SIZE_MAX / sizeof(Seen))
        return status_fail(msg, ST_EINVAL, "%zu nodes are too many", n);
    Key *keys = malloc(n * sizeof *keys);
    Seen *seen = malloc(n * sizeof *seen);
    if (!keys || !seen) {
        free(keys);
        free(seen);
        return status_fail(msg, ST_ENOMEM, "out of memory ordering %zu nodes", n);
    }
    /* Sort (label, node) pairs: each label's first entry carries its first
     * appearance; ranking those gives the module order without a hash map. */
    for (size_t i = 0; i < n; i++)
        seen[i] = (Seen){labels[i], i};
    qsort(seen, n, sizeof *seen, seen_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || seen[i].label != seen[i - 1].label)
            seen[k++] = seen[i];
    /* seen[0..k) holds one entry per label; order them by first node. */
    for (size_t m = 0; m < k; m++)
        keys[m] = (Key){seen[m].first, (size_t)m};
    qsort(keys, k, sizeof *keys, key_cmp);
    /* keys[r].node is the index into seen of the r-th module to appear. */
    for (size_t r = 0; r < k; r++)
        seen[keys[r].node].first = r;
    for (size_t i = 0; i < n; i++) {
        Seen probe = {labels[i], 0};
        /* Binary search on label only (first is now the rank). */
        size_t lo = 0, hi = k;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (seen[mid].label < probe.label)
                lo = mid + 1;
            else
                hi = mid;
        }
        keys[i] = (Key){seen[lo].first, i};
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    for (size_t i = 0; i < n; i++)
        order[i] = keys[i].node;
    if (bounds) {
        size_t b = 0;
        for (size_t i = 0; i < n; i++)
            if (i == 0 || keys[i].module != keys[i - 1].module)
                bounds[b++] = i;
        bounds[b] = n;
    }
    if (n_modules)
        *n_modules = k;
    free(keys);
    free(seen);
    return ST_OK;
}
