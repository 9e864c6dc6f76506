#ifndef NEUROTOP_ANALYSIS_FOREST_H
#define NEUROTOP_ANALYSIS_FOREST_H

/* Random forest classifier (Breiman 2001, "Random forests", Machine
 * Learning 45:5, doi:10.1023/A:1010933404324): CART trees grown to purity
 * on the Gini impurity, each on a bootstrap sample, trying a random subset of
 * features at each split; class probabilities are the mean over trees of the
 * class fractions in the leaf reached.
 *
 * Split thresholds are midpoints between consecutive distinct training
 * values of a feature; with more than max_bins distinct values the
 * candidates are thinned to max_bins − 1 quantile midpoints, so each node
 * scans its samples once per tried feature (counting sort on the bin, then
 * an O(1) update of Σcount² per sample). Growing one tree costs about
 * O(n · depth · mtry); prediction O(depth) per tree. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

typedef struct {
    size_t n_trees;      /* >= 1 */
    size_t max_features; /* features tried per split; 0 = round(√d) */
    size_t min_leaf;     /* fewest samples in a leaf (>= 1) */
    size_t max_bins;     /* 2..256 */
    int bootstrap;       /* each tree draws n samples with replacement */
    /* Before the trees are grown, every class present is oversampled (drawn
     * with replacement) up to the count of the largest class. */
    int balance;
    uint64_t seed;       /* tree t draws from stream (seed, t) */
} ForestOptions;

/* 100 trees, √d features, leaves of 1, 256 bins, bootstrap on, no balancing, seed 0. */
ForestOptions forest_options_default(void);

/* A node: an internal node sends x to left when x[feature] <= threshold;
 * a leaf (feature < 0) holds n_classes probabilities at proba[leaf]. */
typedef struct {
    int32_t feature;
    float threshold;
    uint32_t left, right, leaf;
} ForestNode;

typedef struct Forest Forest;

/* x: n×d row-major finite features; y: n labels in 0..n_classes−1. *out is
 * caller-owned (forest_free). ST_EINVAL for empty input, a label out of
 * range, a non-finite feature or bad options. */
Status forest_train(const float *x, size_t n, size_t d, const int *y, size_t n_classes,
                    const ForestOptions *opt, Forest **out, char *msg);
void forest_free(Forest *f);

size_t forest_classes(const Forest *f);

/* proba[c] for one sample of d features (n_classes values, summing to 1). */
void forest_predict(const Forest *f, const float *x, double *proba);

/* Inspection: the nodes of tree t (node 0 is the root) and its leaf table. */
size_t forest_trees(const Forest *f);
const ForestNode *forest_tree_nodes(const Forest *f, size_t t, size_t *count);
const float *forest_tree_proba(const Forest *f, size_t t);

#endif
