#ifndef NEUROTOP_MEASURE_JOBS_INFO_H
#define NEUROTOP_MEASURE_JOBS_INFO_H

/* The information, dimensionality and learning-phase analyses of seed
 * paper 000 (Shine et al. 2021, Brain Informatics 8:26,
 * doi:10.1186/s40708-021-00147-z) as `:` jobs (jobs.h). Definitions:
 * METHODS.md §10 (PCA), §11 (IP, ID, IH), §14 (permutation test) and
 * analysis/phases.h (the phase rule).
 *
 * Besides the snapshot they run on (the shown epoch), these jobs read the
 * AnalysisArgs sources: other epochs come from the store's ring, the replayed
 * run, or the run directory's snapshots/epoch-NNNNNN.nts (probe
 * activations recomputed from the data set when a job needs them); the
 * per-epoch series from the store (or the replay), cut at the shown epoch;
 * pixel measures from args->pixel_info (or computed from args->data). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/measure/jobs.h"

/* :info — IP and ID of the training images as two maps, with maxima,
 * means over the live pixels and r(IP, ID) (paper: −0.560). */
Status job_info(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :ih — mean IH per hidden layer over the epochs (series ih_hl<h>_mean),
 * as a table and a plot, and the per-unit IH of the shown epoch as maps. */
Status job_ih(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :edges [FROM] [TO] — Σ over the target units of |ΔW| per source unit for
 * every weight block between two epochs (args->epoch_from, default 0;
 * args->epoch_to, default the shown epoch): the α map over the input pixels
 * and the per-node sums for β and γ; r with IP over all and live pixels. */
Status job_edges(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :corr MAP1 MAP2 [PERMS] — Pearson r and the permutation p-value
 * (args->perms, seed args->seed) between two maps over the input pixels,
 * over all pixels and over the live ones. Maps (args->map1, map2): edges
 * (epoch_from → the shown epoch), ip, id, pc, mz (roles on the whole weight
 * graph: args->partition when it covers the whole graph, else the best of
 * 10 Louvain runs), mean (pixel mean intensity). */
Status job_corr(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :pca — explained variance of the standardised probe activity over the
 * input, hidden and output units (§10): top-10 ratios and n80 at the shown
 * epoch and at up to 8 earlier epochs, and the top-3 projection of the probe
 * items as three scatter plots coloured by class. */
Status job_pca(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :distances — within- and between-category distances (pca.h) in the top-3
 * PCA space of the shown epoch, at that epoch and at up to 8 earlier epochs
 * projected into the same space. */
Status job_distances(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :phases — phases_detect on q_whole and q_hidden against test_acc up to
 * the shown epoch: phase starts, the peak, r(Q, acc) in the middle phase,
 * and the rule (phases_rule_text); plots with the phases shaded. */
Status job_phases(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* :confusion [CLASS] — the shown epoch's confusion matrix (table and map);
 * with args->cls >= 0, how that class's predictions evolved over the
 * recorded epochs. */
Status job_confusion(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

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

/* PC and MZ (roles.h, METHODS §3) of every node of the whole weight graph
 * for labels (one per node, total unit count); pc, mz caller-owned, either
 * may be NULL. O(n²). */
Status jobs_weight_roles(const Snapshot *s, const int *labels, double *pc, double *mz, char *msg);

/* Σ_j |b[i][j] − a[i][j]| for each row i of two rows×cols float blocks
 * (per source unit, over the targets), into per_row (rows values). */
void jobs_edge_change(const float *a, const float *b, size_t rows, size_t cols, double *per_row);

#endif
