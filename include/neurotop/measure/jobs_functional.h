#ifndef NEUROTOP_MEASURE_JOBS_FUNCTIONAL_H
#define NEUROTOP_MEASURE_JOBS_FUNCTIONAL_H

/* Functional networks of the hidden units as `:` jobs (jobs.h), from the
 * snapshot's probe activations (seed paper 001; METHODS.md §5–§9):
 * :flex, :allegiance, :fc and :moments. The layer selection is
 * args->layer (0 = every hidden layer side by side, h = HL h); with
 * args->regress_mean the mean activation across the chosen units is
 * regressed out of every unit before correlating (fc.h FC_REGRESS_MEAN),
 * which removes the common mode that makes every correlation positive
 * (FINDINGS.md, seed 001). */

#include "neurotop/measure/jobs.h"

#define JOBS_FLEX_REPS 20 /* Louvain runs of :flex and :allegiance */

/* :flex — args->windows windows (window plan of metrics_activity.h) of
 * the probe stream → per-window correlation matrices → multislice
 * modularity (§5, --signed sym, ω = args->omega, γ = args->gamma) with
 * args->reps Louvain runs (seed args->seed, streams 0..reps−1), best Q →
 * per-node and system flexibility (§6), number of communities, allegiance
 * (§7), the whole-probe mean r and mean |r| beside Q. Text: summary, the
 * per-layer mean flexibility, the most flexible units, module sizes; maps:
 * allegiance with nodes ordered by module (each node's most frequent
 * community over the windows), the community of every node in every window
 * (same order), per-unit flexibility; plot: communities per window. JSON:
 * the settings, Q and its spread, flexibility per node, the multilayer
 * partition (one list per window) and the module order.
 * Time: O(L·Z·p²) for the windows plus reps Louvain runs on p·L nodes. */
Status job_flex(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* :allegiance — the same multilayer partition as :flex with the same
 * arguments (same seed and streams, so the same answer), shown as the
 * allegiance matrix alone with nodes ordered by module, with the mean
 * allegiance within and between modules. JSON: the matrix (p×p), the
 * order and the module bounds. */
Status job_allegiance(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* :fc — whole-probe correlation matrix of the chosen units (zero diagonal,
 * silent units 0): mean r, mean |r|, silent units, the histogram of r over
 * [−1, 1] in 20 bins as text bars and a plot; maps: the matrix ordered by
 * the modules of a single-layer signed (sym) Louvain partition of it (10
 * runs) and in unit order, both clipped at ±map_scale = min(1, 2·mean |r|)
 * so block-averaged shades stay visible. JSON: the raw matrix, histogram,
 * summary, map_scale, modules. O(n·p²). */
Status job_fc(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* :moments — per layer (every hidden layer, all hidden together, the
 * output): mean, population std, skewness, excess kurtosis, min, max of the
 * probe activations (§9), constant units, and the entropy (§8, ridge 1e-6,
 * marked when the ridge was needed); plot: the activation histogram of each
 * hidden layer. JSON: one object per row. O(n·p + p³). */
Status job_moments(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
