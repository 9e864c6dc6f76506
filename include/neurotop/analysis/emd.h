#ifndef NEUROTOP_ANALYSIS_EMD_H
#define NEUROTOP_ANALYSIS_EMD_H

/* Earth mover's distance (docs/methods.md §20) through an exact solver of the
 * transportation problem (Hitchcock 1941): the transportation simplex with a
 * least-cost starting basis and u–v (MODI) potentials, as in Rubner, Tomasi
 * & Guibas 2000, "The Earth Mover's Distance as a Metric for Image
 * Retrieval", IJCV 40:99, doi:10.1023/A:1026543900054.
 * Degeneracy: the basis is always a spanning tree of m + n − 1 cells, zero
 * flows included; pivots use Dantzig's rule and switch to Bland's rule after
 * a run of degenerate pivots, which rules out cycling. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* Minimum-cost transport of supply (m values) to demand (n values) with
 * cost[i*n + j] per unit from i to j: min Σ f_ij cost_ij subject to
 * Σ_j f_ij = supply_i, Σ_i f_ij = demand_j, f >= 0.
 * supply and demand are finite, >= 0, with positive totals that agree to a
 * relative 1e-9 (rounding differences are absorbed); cost is finite.
 * *total receives the optimal cost; flow (m×n, may be NULL) the optimal
 * flows. Inputs are borrowed. ST_EINVAL on bad input, ST_ENOMEM, ST_ENUMERIC
 * if the iteration cap is hit (not expected).
 * Time: O(mn log mn) to start, then O(mn + m + n) per pivot (typically a
 * small multiple of m + n pivots); memory O(mn). */
Status emd_transport(const double *supply, size_t m, const double *demand, size_t n,
                     const double *cost, double *total, double *flow, char *msg);

/* EMD between two rows×cols non-negative images a and b (row-major), §20:
 * p = a/Σa, q = b/Σb, ground distance the Euclidean distance between pixel
 * centres in pixel units. Only pixels with positive mass take part, so the
 * cost is O(k_a·k_b) for k_a, k_b non-zero pixels. The result is the average
 * distance travelled per unit of mass.
 * ST_EINVAL when a size is 0, an entry is negative or not finite, or a total
 * is not positive. */
Status emd_images(const double *a, const double *b, size_t rows, size_t cols, double *emd,
                  char *msg);

#endif
