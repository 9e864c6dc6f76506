#ifndef NEUROTOP_ANALYSIS_HCLUST_H
#define NEUROTOP_ANALYSIS_HCLUST_H

/* Agglomerative hierarchical clustering with average linkage (UPGMA: Sokal
 * & Michener 1958) on a distance matrix, a cut into K groups and a text
 * dendrogram of the groups (docs/methods.md §20.1; seed paper 002 clusters
 * the receptive fields this way, on their earth mover's distances). */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"

/* One merge: clusters a and b (0..n-1 are the items, n + k the cluster
 * made by merge k) joined at distance height into a cluster of size items. */
typedef struct {
    size_t a, b;
    double height;
    size_t size;
} HclustMerge;

/* Average-linkage clustering of n >= 1 items with the symmetric distances
 * d (n × n, finite, >= 0; the diagonal is ignored) into merges (n − 1,
 * caller-allocated), in order of merging; ties go to the pair with the
 * lowest indices, so the tree is deterministic. ST_EINVAL for a bad
 * matrix, ST_ENOMEM. Time O(n³), memory O(n²). */
Status hclust_average(const double *d, size_t n, HclustMerge *merges, char *msg);

/* Cut the tree of n items into k groups (1 <= k <= n) by undoing its last
 * k − 1 merges: label[i] in 0..k-1 for every item, groups numbered in the
 * order of their first item. O(n). */
void hclust_cut(const HclustMerge *merges, size_t n, size_t k, int *label);

/* The items in the order the tree draws them (left subtree first), into
 * order (n values). O(n). */
void hclust_leaf_order(const HclustMerge *merges, size_t n, size_t *order);

/* A dendrogram of the k groups of the cut (hclust_cut's numbering) drawn
 * in ASCII, at most width columns for the tree: one line per group, "G3
 * (12)" then the tree, the height scale under it (from 0.9 × the lowest
 * merge drawn to the root's). Appended to out. O(k·width). */
void hclust_dendrogram(const HclustMerge *merges, size_t n, size_t k, const int *label, size_t width,
                       StrBuf *out);

#endif
