#ifndef NEUROTOP_ANALYSIS_DEGREES_H
#define NEUROTOP_ANALYSIS_DEGREES_H

/* Thresholded degree statistics (docs/methods.md §8; seed paper 002). */

#include <stddef.h>

#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

/* Per-node outputs, each n long and caller-owned; any may be NULL. */
typedef struct {
    int *degree;     /* #{j ≠ i : |W_ij| > T} */
    int *degree_pos; /* #{j ≠ i : W_ij > T} */
    int *degree_neg; /* #{j ≠ i : W_ij < −T} */
    double *strength; /* Σ_{j≠i} W_ij, signed and not thresholded (BCT strengths_und) */
    double *knn;     /* mean degree of i's thresholded neighbours, 0 when degree_i = 0 */
} DegreeStats;

/* Degree statistics of W = (A + Aᵀ)/2, diagonal ignored, threshold T finite
 * and ≥ 0 (strict: an edge needs |W_ij| > T). a: square, finite, at most
 * INT_MAX nodes. Time O(n²), memory O(n). */
Status degrees_compute(const Matrix *a, double threshold, const DegreeStats *out, char *msg);

/* Pearson r between strength and degree inside each layer (seed paper 002
 * compares the two per layer): r[l] over the nodes
 * with layer[i] == l, for l = 0..n_layers−1. r[l] is NaN when the layer has
 * fewer than 2 nodes or either series is constant there (callers show "–").
 * layer values must lie in 0..n_layers−1. Time O(n·n_layers), memory O(n_layers). */
Status degrees_layer_correlation(const double *strength, const int *degree, const int *layer,
                                 size_t n, size_t n_layers, double *r, char *msg);

#endif
