#include "neurotop/analysis/hclust.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

Status hclust_average(const double *d, size_t n, HclustMerge *merges, char *msg)
{
    if (!d || !merges || n == 0)
        return status_fail(msg, ST_EINVAL, "clustering needs at least one item and its distances");
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j && (!isfinite(d[i * n + j]) || d[i * n + j] < 0 || d[i * n + j] != d[j * n + i]))
                return status_fail(msg, ST_EINVAL,
                                   "the distances must be finite, >= 0 and symmetric (items %zu and %zu)", i, j);
    /* Working distances between the active clusters, a slot per item: slot
     * i holds the cluster whose smallest original item is i's. */
    double *w = malloc(n * n * sizeof *w);
    size_t *id = malloc(n * sizeof *id), *size = malloc(n * sizeof *size);
    unsigned char *alive = malloc(n);
    if (!w || !id || !size || !alive) {
        free(w);
        free(id);
        free(size);
        free(alive);
        return status_fail(msg, ST_ENOMEM, "out of memory clustering %zu items", n);
    }
    memcpy(w, d, n * n * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        id[i] = i;
        size[i] = 1;
        alive[i] = 1;
    }
    for (size_t k = 0; k + 1 < n; k++) {
        size_t bi = 0, bj = 0;
        double best = INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (!alive[i])
                continue;
            for (size_t j = i + 1; j < n; j++)
                if (alive[j] && w[i * n + j] < best) {
                    best = w[i * n + j];
                    bi = i;
                    bj = j;
                }
        }
        merges[k] = (HclustMerge){.a = id[bi], .b = id[bj], .height = best, .size = size[bi] + size[bj]};
        /* Average linkage: the new cluster's distance to c is the
         * size-weighted mean of its parts' (Lance–Williams). */
        for (size_t c = 0; c < n; c++) {
            if (!alive[c] || c == bi || c == bj)
                continue;
            double v = ((double)size[bi] * w[bi * n + c] + (double)size[bj] * w[bj * n + c]) /
                       (double)(size[bi] + size[bj]);
            w[bi * n + c] = w[c * n + bi] = v;
        }
        size[bi] += size[bj];
        id[bi] = n + k;
        alive[bj] = 0;
    }
    free(w);
    free(id);
    free(size);
    free(alive);
    return ST_OK;
}

/* Items under node x (an item or n + merge) get label lab. Iterative, so a
 * chain of 100,000 merges does not exhaust the stack. */
static void paint(const HclustMerge *m, size_t n, size_t x, int lab, int *label, size_t *stack)
{
    size_t top = 0;
    stack[top++] = x;
    while (top) {
        size_t v = stack[--top];
        if (v < n) {
            label[v] = lab;
        } else {
            stack[top++] = m[v - n].b;
            stack[top++] = m[v - n].a;
        }
    }
}

void hclust_cut(const HclustMerge *m, size_t n, size_t k, int *label)
{
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    size_t *stack = malloc((n + 1) * sizeof *stack);
    if (!stack) {
        for (size_t i = 0; i < n; i++)
            label[i] = 0;
        return;
    }
    /* The roots after the first n − k merges: every node not merged by
     * one of them. */
    size_t keep = n - k;
    unsigned char *used = calloc(2 * n, 1);
    for (size_t j = 0; used && j < keep; j++) {
        used[m[j].a] = 1;
        used[m[j].b] = 1;
    }
    int next = 0;
    for (size_t i = 0; i < n; i++)
        label[i] = -1;
    for (size_t x = 0; used && x < n + keep; x++)
        if (!used[x])
            paint(m, n, x, next++, label, stack);
    /* Renumber by first item. */
    int *map = malloc((size_t)(next > 0 ? next : 1) * sizeof *map);
    if (map) {
        for (int g = 0; g < next; g++)
            map[g] = -1;
        int c = 0;
        for (size_t i = 0; i < n; i++) {
            if (label[i] >= 0 && map[label[i]] < 0)
                map[label[i]] = c++;
            label[i] = label[i] >= 0 ? map[label[i]] : 0;
        }
    }
    free(map);
    free(used);
    free(stack);
}

void hclust_leaf_order(const HclustMerge *m, size_t n, size_t *order)
{
    if (n == 0)
        return;
    size_t *stack = malloc(n * sizeof *stack);
    if (!stack) {
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        return;
    }
    size_t top = 0, at = 0;
    stack[top++] = n == 1 ? 0 : 2 * n - 2; /* the root */
    while (top) {
        size_t v = stack[--top];
        if (v < n) {
            order[at++] = v;
        } else {
            stack[top++] = m[v - n].b;
            stack[top++] = m[v - n].a;
        }
    }
    free(stack);
}

/* The first item under node x. */
static size_t first_item(const HclustMerge *m, size_t n, size_t x)
{
    while (x >= n)
        x = m[x - n].a;
    return x;
}

void hclust_dendrogram(const HclustMerge *m, size_t n, size_t k, const int *label, size_t width,
                       StrBuf *out)
{
    if (n == 0 || k == 0 || width < 4)
        return;
    if (k > n)
        k = n;
    size_t keep = n - k, nodes = 2 * n - 1;
    /* row and column of every node that is a group root or above the cut */
    double *row = malloc(nodes * sizeof *row);
    size_t *col = malloc(nodes * sizeof *col), *stack = malloc((nodes + 1) * sizeof *stack);
    size_t *root_of_row = malloc(k * sizeof *root_of_row);
    char *grid = malloc(k * width);
    if (!row || !col || !stack || !root_of_row || !grid)
        goto done;
    memset(grid, ' ', k * width);
    /* The scale runs from a little below the lowest merge drawn to the
     * root, so merges at close heights still stand apart. */
    double hmax = n > 1 ? m[n - 2].height : 0.0;
    double hlo = keep + 1 < n ? 0.9 * m[keep].height : 0.0;
    /* Rows: the group roots in the tree's order (from the root down,
     * stopping at nodes made before the cut). */
    size_t top = 0, rows = 0;
    stack[top++] = n == 1 ? 0 : nodes - 1;
    while (top && rows < k) {
        size_t v = stack[--top];
        if (v < n + keep) {
            row[v] = (double)rows;
            col[v] = 0;
            root_of_row[rows++] = v;
        } else {
            stack[top++] = m[v - n].b;
            stack[top++] = m[v - n].a;
        }
    }
    for (size_t j = keep; j + 1 < n; j++) {
        size_t a = m[j].a, b = m[j].b, x = n + j;
        size_t X = hmax > hlo ? (size_t)lround((m[j].height - hlo) / (hmax - hlo) * (double)(width - 1)) : width - 1;
        if (X >= width)
            X = width - 1;
        size_t ya = (size_t)row[a], yb = (size_t)row[b];
        if (ya > yb) {
            size_t t = ya;
            ya = yb;
            yb = t;
        }
        for (size_t c = col[a]; c < X; c++)
            grid[(size_t)row[a] * width + c] = '-';
        for (size_t c = col[b]; c < X; c++)
            grid[(size_t)row[b] * width + c] = '-';
        for (size_t y = ya; y <= yb; y++)
            grid[y * width + X] = y == ya || y == yb ? '+' : '|';
        row[x] = floor((row[a] + row[b]) / 2.0);
        col[x] = X;
    }
    for (size_t r = 0; r < rows; r++) {
        size_t v = root_of_row[r], members = v < n ? 1 : m[v - n].size;
        char head[32];
        snprintf(head, sizeof head, "G%d (%zu)", label[first_item(m, n, v)] + 1, members);
        strbuf_printf(out, "%-10s ", head);
        size_t end = width;
        while (end > 0 && grid[r * width + end - 1] == ' ')
            end--;
        strbuf_append_n(out, grid + r * width, end);
        strbuf_append(out, "\n");
    }
    char lo[16];
    int w = snprintf(lo, sizeof lo, "%.3g", hlo);
    strbuf_printf(out, "%-10s %s%*s%.3g\n", "height", lo, (int)(width > (size_t)w + 5 ? width - (size_t)w - 5 : 1), "",
                  hmax);
done:
    free(row);
    free(col);
    free(stack);
    free(root_of_row);
    free(grid);
}
