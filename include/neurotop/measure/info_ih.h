#ifndef NEUROTOP_MEASURE_INFO_IH_H
#define NEUROTOP_MEASURE_INFO_IH_H

/* Hidden-node information IH (seed paper 000, Shine et al. 2021,
 * doi:10.1186/s40708-021-00147-z; docs/methods.md §17): the mean IH per
 * hidden layer over the recorded epochs (series ih_hl<h>_mean, up to the
 * shown epoch) and the IH of every unit of the shown epoch, from its probe
 * activations (metrics_info.h). Runs on snapshots only (`:ih`). */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

/* Hidden layers shown (one curve each). */
#define IH_MAX_LAYERS JOB_PLOT_MAX_SERIES

typedef struct {
    size_t n_hidden;                /* hidden layers (at most IH_MAX_LAYERS) */
    int have_series;                /* some layer's series was recorded */
    size_t n;                       /* epochs of the series (0 without one) */
    double *epochs;                 /* n */
    double *mean[IH_MAX_LAYERS];    /* n per layer; NaN for a layer never recorded */
    size_t units[IH_MAX_LAYERS];    /* units per layer */
    double *unit_ih[IH_MAX_LAYERS]; /* IH per unit of the shown epoch; NULL without probe items */
} IhResult;

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void ih_result_done(IhResult *r);

/* From the per-epoch series t (cut at the shown epoch) and the shown
 * snapshot s, into *r (zeroed first). ST_EINVAL for a model without
 * hidden layers, or when there is neither a series nor probe activations;
 * ST_ENOMEM. */
Status ih_compute(const SeriesTable *t, const Snapshot *s, IhResult *r, char *msg);

/* {context of s, epochs, ih_hl<h>_mean per layer (with a series), units
 * (one array per layer, with probe items)}. */
void ih_json(const IhResult *r, const Snapshot *s, JsonWriter *w);

/* The `:ih` overlay: a table of the series and its change, the curves, one
 * map of unit IH per layer. ST_ENOMEM. */
Status ih_view(const IhResult *r, const Snapshot *s, JobResult *out);

/* The JobFn (snapshots only). */
Status ih_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
