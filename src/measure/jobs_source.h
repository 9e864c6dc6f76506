/* Where the information jobs (jobs_info.c, jobs_activity.c) find what is
 * not in the snapshot they run on: other epochs, the per-epoch series, the
 * data set and its pixel measures. Not a public header. */
#ifndef NEUROTOP_MEASURE_JOBS_SOURCE_H
#define NEUROTOP_MEASURE_JOBS_SOURCE_H

#include "neurotop/measure/jobs.h"
#include "neurotop/run/epochs.h"

/* Other epochs of the run: the shown snapshot, else the session's
 * EpochLookup (args->epochs), else one made here from args->store,
 * args->replay, args->run_dir and the data set (run/epochs.h). */
typedef struct {
    const Snapshot *shown;
    EpochLookup *lookup; /* borrowed or own */
    EpochLookup *own;
    Status own_status;
    char own_problem[STATUS_MSG_LEN];
} EpochSource;

void epoch_source_init(EpochSource *src, const Snapshot *shown, const AnalysisArgs *args);
void epoch_source_done(EpochSource *src);
/* The snapshot of an epoch (retained: the caller releases it). With
 * need_acts, a snapshot without probe activations counts as missing.
 * ST_ENOTFOUND with a sentence when the epoch is nowhere to be found. */
Status epoch_source_get(EpochSource *src, size_t epoch, int need_acts, Snapshot **out, char *msg);

/* The per-epoch series (store, or the replay) cut after the shown epoch.
 * The caller owns *out (series_done). An empty series is not an error. */
Status jobs_series(const AnalysisArgs *a, const Snapshot *shown, SeriesTable *out, char *msg);

/* The data set (args->data, or the pixel cache's), or NULL. */
const Dataset *jobs_data(const AnalysisArgs *a);

/* Pixel measures: args->pixel_info, or a cache of args->data made here
 * (*own, freed by the caller with pixel_info_free). ST_EINVAL with a
 * sentence when the session has no data set. */
Status jobs_pixels(const AnalysisArgs *a, PixelInfo **own, PixelInfoView *v, char *msg);

/* Add a map of n values over the units of a layer: rows×cols when given
 * (the image shape of the input layer), a square when n is one, else one
 * row. */
Status jobs_add_unit_map(JobResult *out, const char *label, const double *v, size_t n, size_t rows,
                         size_t cols, int diverging);

/* Evenly spaced indices into [0, n): at most max of them, the first and the
 * last always included; returns how many were written to idx. */
size_t jobs_pick_indices(size_t n, size_t max, size_t *idx);


#endif
