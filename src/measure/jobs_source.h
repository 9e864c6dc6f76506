/* Where the analyses of a snapshot find what is not in it (other epochs,
 * the per-epoch series, the data set and its pixel measures), and small
 * pieces they share: the context keys of their JSON, the probe activity
 * matrix, a masked Pearson r. Not a public header. */
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

/* ST_EINVAL with a sentence when s is NULL: for the JobFns of analyses
 * that run on snapshots only. */
Status jobs_need_snapshot(const Snapshot *s, const char *name, char *msg);

/* 1 when the job was asked to stop (never when job is NULL). */
int jobs_cancelled(Job *job);

/* Pearson r over the entries with mask[i] != 0 (all when mask is NULL), or
 * NaN when it is undefined (fewer than 3 entries, a constant map). */
double jobs_pearson(const double *a, const double *b, const unsigned char *mask, size_t n);

/* "  0.8512", or "     n/a" for NaN. */
void jobs_format_r(char *buf, size_t cap, double r);

/* Epochs that :pca and :distances visit besides the shown one. */
#define JOBS_VISIT_EPOCHS 8

/* Up to JOBS_VISIT_EPOCHS recorded epochs before the shown one, evenly
 * spread, then the shown one, into epochs (room for JOBS_VISIT_EPOCHS + 1).
 * Returns the count (at least 1). */
size_t jobs_visit_epochs(const AnalysisArgs *a, const Snapshot *s, size_t *epochs);

/* The probe items' activity over every layer: n_probe × d doubles, the
 * input pixels (x/255 of the first n_probe held-out items, as the trainer
 * feeds them) then each later layer's activations. Without a data set of
 * the right shape the input block is left out (*with_input = 0). *out is
 * caller-owned. ST_EINVAL for fewer than 2 probe items. */
Status jobs_activity_matrix(const Snapshot *s, const Dataset *data, double **out, size_t *d, int *with_input,
                            char *msg);

/* "N probe items × the units of\n input 784, HL1 ..." for the views. */
void jobs_describe_units(const Snapshot *s, int with_input, StrBuf *text);

/* The probe labels of s as ints (caller-owned), NULL when out of memory. */
int *jobs_probe_classes(const Snapshot *s);

#endif
