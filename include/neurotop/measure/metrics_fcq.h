#ifndef NEUROTOP_MEASURE_METRICS_FCQ_H
#define NEUROTOP_MEASURE_METRICS_FCQ_H

/* Modularity of the whole-probe functional network of the hidden units, as
 * seed paper 001 (Fig. 2, Fig. 4) measures it for HebbFF: the Pearson
 * correlation of every pair of hidden units over all probe items (the test
 * stream), zero diagonal, read as a signed graph (docs/methods.md §4 sym, Gómez et
 * al. 2009, doi:10.1103/PhysRevE.80.016114, γ = 1) and partitioned by Louvain
 * (best of a few runs). While η grows every
 * unit dips on a repeat and all correlations turn positive, so Louvain finds
 * one module (Q ≈ 0); the same measure after regressing the mean activation
 * out of every unit (fc.h FC_REGRESS_MEAN) shows the modules underneath.
 * Both are reported with the module count and the mean correlation.
 *
 * Keys (set on measured epochs only; absent otherwise):
 *   fcq, fcq_modules, fcq_mean_r           raw correlations
 *   fcq_reg, fcq_reg_modules, fcq_reg_mean_r   mean activation regressed out
 * The hidden units are those of every hidden layer of the snapshot, HL1
 * first (HebbFF has one). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

#define FCQ_REPS_DEFAULT 3

typedef struct FcqMetric FcqMetric;

/* One readout of a functional network. */
typedef struct {
    double q;       /* best Louvain Q (signed sym, γ = 1) */
    size_t modules; /* modules of the best run */
    double mean_r;  /* mean correlation over the unit pairs */
} FcqValue;

/* seed: the run's seed (epoch e draws Louvain orders from a seed derived from
 * (seed, e)); reps ≥ 1 Louvain runs per readout; every ≥ 1: measure epochs
 * that are multiples of `every` (epoch 0 included). Buffers grow on first
 * use and are reused. ST_EINVAL for reps or every of 0; ST_ENOMEM. */
Status fcq_metric_new(uint64_t seed, size_t reps, size_t every, FcqMetric **out, char *msg);
/* fcq_metric_free(NULL) is safe. */
void fcq_metric_free(FcqMetric *m);

/* Measure the n × p row-major activations x (row stride ldx ≥ p): the
 * correlation matrix (fc_correlation_f, zero diagonal, plus fc_flags, e.g.
 * FC_REGRESS_MEAN) and its best-of-reps Louvain partition with Louvain
 * streams 0..reps−1 of `seed`. A network whose correlations are all zero
 * (every unit silent) gives q 0, one module per unit, mean 0. Errors: those
 * of fc_correlation_f (n < 2, non-finite values), ST_EINVAL for p < 2,
 * ST_ENOMEM. Time O(n·p²/2 + reps · Louvain on p nodes). */
Status fcq_measure(FcqMetric *m, const float *x, size_t n, size_t p, size_t ldx, unsigned fc_flags,
                   uint64_t seed, FcqValue *out, char *msg);

/* The EpochMetricFn (publisher.h); ctx is an FcqMetric. Sets the keys above
 * on measured epochs that have probe activations of at least 2 items and 2
 * hidden units; does nothing otherwise. */
Status fcq_metric_epoch(Snapshot *s, void *ctx, char *msg);

#endif
