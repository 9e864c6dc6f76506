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

/* Index of label v in the sorted unique table seen[0..k). */
static size_t seen_find(const Seen *seen, size_t k, int v)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (seen[mid].label < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

Status flexibility_module_order(const int *labels, size_t n, size_t *order, size_t *n_modules,
                                size_t *bounds, char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a module order needs at least one node");
    if (n > SIZE_MAX / sizeof(Seen) - 1)
        return status_fail(msg, ST_EINVAL, "%zu nodes are too many", n);
    Seen *seen = malloc(n * sizeof *seen);
    size_t *rank = malloc(n * sizeof *rank);     /* module rank of each node */
    size_t *start = calloc(n + 1, sizeof *start); /* counting-sort offsets */
    if (!seen || !rank || !start) {
        free(seen);
        free(rank);
        free(start);
        return status_fail(msg, ST_ENOMEM, "out of memory ordering %zu nodes", n);
    }
    /* Sorting (label, node) pairs leaves each label's first node at the
     * head of its run: a table of distinct labels with first appearances. */
    for (size_t i = 0; i < n; i++)
        seen[i] = (Seen){labels[i], i};
    qsort(seen, n, sizeof *seen, seen_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || seen[i].label != seen[i - 1].label)
            seen[k++] = seen[i];
    /* Rank the modules by first appearance: scan the nodes in order and
     * number each label the first time it is met (rank doubles as a
     * "first node of its label" marker here). */
    for (size_t i = 0; i < n; i++)
        rank[i] = SIZE_MAX;
    for (size_t m = 0; m < k; m++)
        rank[seen[m].first] = m;
    size_t next = 0;
    for (size_t i = 0; i < n; i++)
        if (rank[i] != SIZE_MAX)
            seen[rank[i]].first = next++; /* first now holds the module rank */
    for (size_t i = 0; i < n; i++)
        rank[i] = seen[seen_find(seen, k, labels[i])].first;
    /* Stable counting sort by rank keeps nodes ascending inside a module. */
    for (size_t i = 0; i < n; i++)
        start[rank[i] + 1]++;
    for (size_t m = 0; m < k; m++)
        start[m + 1] += start[m];
    if (bounds)
        for (size_t m = 0; m <= k; m++)
            bounds[m] = start[m];
    for (size_t i = 0; i < n; i++)
        order[start[rank[i]]++] = i;
    if (n_modules)
        *n_modules = k;
    free(seen);
    free(rank);
    free(start);
    return ST_OK;
}
