#ifndef NEUROTOP_MEASURE_METRICS_MODULARITY_H
#define NEUROTOP_MEASURE_METRICS_MODULARITY_H

/* Per-epoch modularity of the weight graph (seed paper 000): signed asym
 * Louvain (Rubinov & Sporns) with γ = 1 on the whole graph and on the hidden
 * subgraph (HL1 + HL2 + output, whose Q responds to learning more clearly
 * than the whole graph's), best of a few runs, with the spread over runs so Louvain noise is
 * not read as learning.
 *
 * Leiden instead of Louvain with modularity_metric_set_method.
 *
 * Keys per readout R in {whole, hidden}: q_R (best run), q_R_min, q_R_max,
 * q_R_mean, modules_R (modules of the best run); plus q_reps. */

#include <stdatomic.h>
#include <stdint.h>

#include "neurotop/analysis/community.h"
#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

#define QREPS_DEFAULT 3
#define QREPS_MAX 1000

/* Settings the UI may change while training runs (`:set qreps N`). */
typedef struct {
    atomic_int qreps; /* Louvain runs per readout per epoch; 0 = off */
} ModularitySettings;

typedef struct ModularityMetric ModularityMetric;

/* settings is borrowed and must outlive the metric; seed is the run's seed
 * (epoch e uses Louvain streams derived from (seed, e)). */
Status modularity_metric_new(ModularitySettings *settings, uint64_t seed,
                             ModularityMetric **out, char *msg);
void modularity_metric_free(ModularityMetric *m);

/* The optimiser of the live Q (`--q-method`; Louvain unless set, as seed
 * paper 000). Set it before training starts. */
void modularity_metric_set_method(ModularityMetric *m, CommunityMethod method);

/* The EpochMetricFn (publisher.h): ctx is a ModularityMetric. */
Status modularity_metric_epoch(Snapshot *s, void *ctx, char *msg);

#endif
