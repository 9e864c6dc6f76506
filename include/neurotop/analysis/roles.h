#ifndef NEUROTOP_ANALYSIS_ROLES_H
#define NEUROTOP_ANALYSIS_ROLES_H

/* Node roles for a partition (docs/methods.md §7): participation coefficient and
 * within-module degree z-score, Guimerà & Amaral 2005, doi:10.1038/nature03288,
 * as bctpy `participation_coef` and `module_degree_zscore` compute them, on the
 * positive weights only (Shine et al. 2021, seed paper 000). */

#include <stddef.h>

#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

/* With W = (A + Aᵀ)/2 and W⁺ = max(W, 0), diagonal included:
 *   k_i = Σ_j W⁺_ij, k_is = Σ_{j∈s} W⁺_ij,
 *   pc_i = 1 − Σ_s (k_is / k_i)², 0 when k_i = 0;
 *   mz_i = (κ_i − mean_{s_i} κ) / std_{s_i} κ with κ_i = k_{i,s_i} and the
 *   population std over i's module; mz_i = 0 when that std is 0 (singletons
 *   included; a std below 1e-12 of the module's largest |κ| counts as 0, so
 *   rounding never turns equal degrees into ±1).
 * a: square, finite. labels: n integers of any values. pc, mz: n each,
 * caller-owned, either may be NULL. Time O(n² + n·k), memory O(n + k). */
Status roles_compute(const Matrix *a, const int *labels, double *pc, double *mz, char *msg);

#endif
