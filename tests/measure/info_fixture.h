/* The small network, data set and run of the tests of the information
 * analyses (test_jobs_info.c, test_info_analyses.c). */
#ifndef NEUROTOP_TESTS_MEASURE_INFO_FIXTURE_H
#define NEUROTOP_TESTS_MEASURE_INFO_FIXTURE_H

#include <stddef.h>

#include "neurotop/measure/jobs.h"

#define INFO_N_TRAIN 60
#define INFO_N_PROBE 20

/* A 9-4-3-3 network on 3×3 images: 60 seeded training items of three
 * classes (pixels 0 and 8 never on), 20 held-out items (the probe set). */
Dataset *info_tiny_dataset(void);

/* Weights: W0 + epoch·step pattern, so edge changes are known; probe
 * activations: seeded values in (0, 1); confusion: by hand. */
Snapshot *info_tiny_snapshot(size_t epoch);

/* Runs fn on s on a job runner and waits for its result. */
JobResult *info_run_job(const char *name, JobFn fn, const AnalysisArgs *a, Snapshot *s, Store *store);

/* The number after "key": in the result's JSON (the first occurrence). */
double info_json_number(const JobResult *r, const char *key);
/* n numbers of the JSON array after "key":[ (null is NaN). */
void info_json_numbers(const JobResult *r, const char *key, double *out, size_t n);

typedef struct {
    Dataset *d;
    PixelInfo *pi;
    Store *store;
    Snapshot *snaps[4];
    AnalysisArgs a;
} InfoFixture;

/* Epochs 0..3 published to a store (each with Q, accuracy and IH series
 * values), the shown snapshot is epoch 3; f->a holds the :info defaults
 * with the store, the data set and its pixel cache. */
void info_fixture_init(InfoFixture *f);
void info_fixture_done(InfoFixture *f);

/* The activity matrix the PCA analyses should build: input pixels/255,
 * HL1, HL2, output (INFO_N_PROBE × *d floats, caller-owned). */
float *info_activity(const InfoFixture *f, const Snapshot *s, size_t *d);

#endif
