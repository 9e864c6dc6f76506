#ifndef NEUROTOP_MEASURE_INFO_DISTANCES_H
#define NEUROTOP_MEASURE_INFO_DISTANCES_H

/* Category distances in PCA space (seed paper 000, Shine et al. 2021,
 * doi:10.1186/s40708-021-00147-z, Fig. 4): the probe items' standardised
 * activity of the shown epoch fixes the top-3 principal axes; the items of
 * that epoch and of up to 8 earlier ones are projected on them, and the
 * mean distance of an item to its class centroid (within) and between
 * class centroids (between) are reported per epoch (pca.h). Runs on
 * snapshots only (`:distances`). */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

#define DISTANCES_EPOCHS 9

typedef struct {
    int with_input;        /* the input pixels are among the units */
    size_t k;              /* components (min(units, 3)) */
    double share;          /* their share of the shown epoch's variance */
    size_t n_epochs;       /* epochs projected, the shown one last */
    double epochs[DISTANCES_EPOCHS], within[DISTANCES_EPOCHS], between[DISTANCES_EPOCHS];
    size_t skipped;        /* epochs that could not be projected */
    size_t n;              /* probe items of the shown epoch */
    double *pc1, *pc2;     /* their scores on PC1 and PC2 (NULL when k < 2) */
    int *cls;              /* their classes */
} DistancesResult;

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void distances_result_done(DistancesResult *r);

/* The distances of the shown epoch s and the earlier ones the run's epoch
 * lookup holds (args), into *r (zeroed first). ST_EINVAL without probe
 * activations, ST_ECANCELED, ST_ENOMEM. */
Status distances_compute(Job *job, const Snapshot *s, const AnalysisArgs *args, DistancesResult *r, char *msg);

/* {context of s, components, epochs, within, between}. */
void distances_json(const DistancesResult *r, const Snapshot *s, JsonWriter *w);

/* The `:distances` overlay: the table by epoch, both curves, the shown
 * epoch's items on PC1-PC2. ST_ENOMEM. */
Status distances_view(const DistancesResult *r, const Snapshot *s, JobResult *out);

/* The JobFn (snapshots only). */
Status distances_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
