#ifndef NEUROTOP_ANALYSIS_SELECTIVITY_H
#define NEUROTOP_ANALYSIS_SELECTIVITY_H

/* How much a unit prefers one class: the class selectivity index of
 * Morcos, Barrett, Rabinowitz & Botvinick (2018, "On the importance of single
 * directions for generalization", ICLR), docs/methods.md §19:
 *
 *     SI = (μ_max − μ_rest) / (μ_max + μ_rest)
 *
 * where μ_c is the unit's mean activation over the items of class c, μ_max
 * the largest of them and μ_rest the mean of μ_c over the other classes
 * present. 0: the same mean response to every class; 1: the unit answers
 * one class only. Defined for non-negative activations (sigmoid, ReLU). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

/* SI of each of n_units units from their activations on n_items items
 * (acts: n_items × n_units row-major) with class labels (any byte value is
 * a class). out[u] is 0 when μ_max + μ_rest = 0 and NaN when the unit has
 * a negative or non-finite activation. ST_EINVAL when fewer than two
 * classes are present or a size is 0 (msg says which). O(n_items · n_units). */
Status selectivity_class_index(const float *acts, size_t n_items, size_t n_units, const uint8_t *labels,
                               double *out, char *msg);

#endif
