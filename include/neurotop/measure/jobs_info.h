#ifndef NEUROTOP_MEASURE_JOBS_INFO_H
#define NEUROTOP_MEASURE_JOBS_INFO_H

/* Pieces of the information analyses of seed paper 000 (Shine et al.
 * 2021, Brain Informatics 8:26, doi:10.1186/s40708-021-00147-z) that other
 * code shares: the map names of :corr (info_corr.h), and the weight-graph
 * helpers that :corr and `neurotop experiment mlp-phases` use. The
 * analyses themselves: info_mi.h, info_ih.h, info_edges.h, info_corr.h, info_pca.h,
 * info_distances.h, info_phases.h, info_confusion.h, info_transport.h. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/measure/jobs.h"

/* Names accepted by :corr, NULL-terminated. */
extern const char *const JOBS_CORR_MAPS[];

/* Weight-graph helpers shared with `neurotop experiment mlp-phases`. */

/* Best Q of `reps` Louvain runs (signed asym, γ = 1, streams 0..reps−1 of
 * `seed`) on the snapshot's whole weight graph (hidden = 0) or its hidden
 * subgraph (hidden = 1, every layer but the input). labels (may be NULL)
 * receives the best partition: *n_nodes values, which the caller sizes
 * with the total unit count (whole) or that minus the inputs (hidden).
 * Time reps × one run on the sparse factored B. */
Status jobs_weight_q(const Snapshot *s, int hidden, size_t reps, uint64_t seed, double *q, int *labels,
                     size_t *n_nodes, const volatile int *cancel, char *msg);

/* PC and MZ (roles.h, docs/methods.md §7) of every node of the whole weight graph
 * for labels (one per node, total unit count); pc, mz caller-owned, either
 * may be NULL. O(n²). */
Status jobs_weight_roles(const Snapshot *s, const int *labels, double *pc, double *mz, char *msg);

/* Σ_j |b[i][j] − a[i][j]| for each row i of two rows×cols float blocks
 * whose rows are ld >= cols apart (a[i*ld + j]; ld = cols for a plain
 * block, more for a column view such as HebbFF's read-out), per source
 * unit over the targets, into per_row (rows values). */
void jobs_edge_change(const float *a, const float *b, size_t rows, size_t cols, size_t ld, double *per_row);

#endif
