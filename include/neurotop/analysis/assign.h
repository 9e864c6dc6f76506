#ifndef NEUROTOP_ANALYSIS_ASSIGN_H
#define NEUROTOP_ANALYSIS_ASSIGN_H

/* Minimum-cost one-to-one assignment (docs/methods.md §21): find the permutation
 * σ minimising Σ_i C[i][σ(i)] over an n×n cost matrix. Jonker–Volgenant
 * initialisation (column reduction, reduction transfer, two passes of
 * augmenting row reduction), then shortest augmenting paths with row/column
 * potentials for the rows still free (Jonker & Volgenant 1987, "A shortest
 * augmenting path algorithm for dense and sparse linear assignment
 * problems", Computing 38:325, doi:10.1007/BF02278710; the Dijkstra form of
 * Crouse 2016, "On implementing 2D rectangular assignment algorithms",
 * IEEE Trans. Aerospace and Electronic Systems 52:1679), O(n³)
 * worst case, O(n²) memory for the matrix form and O(n) for the callback form.
 * Costs may be negative. When several assignments tie, one optimal
 * assignment is returned (deterministically). */

#include <stddef.h>

#include "neurotop/core/status.h"

/* Cost of assigning row i to column j (both < n), computed on demand. Must be
 * deterministic; a non-finite value aborts the solve with ST_EINVAL. */
typedef double (*AssignCostFn)(void *ctx, size_t i, size_t j);

/* Called once the initial matching is built and after each further row is
 * matched (rows_done of n; the last call has rows_done = n); a non-zero
 * return cancels the solve with ST_ECANCELED. */
typedef int (*AssignProgressFn)(void *ctx, size_t rows_done, size_t n);

/* Solve for the n×n row-major matrix cost (finite entries, n >= 1).
 * assignment[i] = σ(i), a 0-based column (caller-owned, n values); *total =
 * Σ_i cost[i][σ(i)] summed from the matrix. ST_EINVAL for n = 0, a
 * non-finite entry, or entries so large that sums could overflow; ST_ENOMEM. */
Status assign_solve(const double *cost, size_t n, size_t *assignment, double *total, char *msg);

/* Same with costs computed on the fly by fn (for n too large to store a
 * matrix, e.g. 10,000² doubles = 800 MB): each entry may be evaluated many
 * times. progress may be NULL. O(n) memory besides the caller's tables. */
Status assign_solve_fn(AssignCostFn fn, void *ctx, size_t n, size_t *assignment, double *total,
                       AssignProgressFn progress, void *progress_ctx, char *msg);

#endif
