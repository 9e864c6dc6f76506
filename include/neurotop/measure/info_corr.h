#ifndef NEUROTOP_MEASURE_INFO_CORR_H
#define NEUROTOP_MEASURE_INFO_CORR_H

/* Pearson r of two maps with its permutation p-value (docs/methods.md
 * §22), as seed paper 000 (Shine et al. 2021, doi:10.1186/s40708-021-00147-z)
 * relates edge change, pixel information and node roles. One analysis:
 * `analyze permtest --a F --b F` (two matrices of one shape) and
 * `:corr MAP1 MAP2 [PERMS]` (two maps over the input pixels of the shown
 * epoch, also over the live pixels only: dead pixels inflate r). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

/* The two maps and what they are. */
typedef struct {
    size_t n;              /* entries of each map */
    double *a, *b;         /* owned */
    unsigned char *live;   /* owned; NULL: no live row */
    size_t rows, cols;     /* the maps' shape (rows × cols = n), 0 when none */
    char name[2][16];      /* the :corr map names ("" on files) */
    char note[2][64];      /* what each map is, for the view */
    int have_roles;        /* pc or mz was asked for: roles_used is set */
    JobPartitionInfo roles_used; /* the partition of pc/mz (whole graph, shown epoch) */
    char no_live[STATUS_MSG_LEN]; /* why there is no live row */
} CorrMaps;

/* Frees the maps and zeroes *m; safe on a zeroed CorrMaps. */
void corr_maps_done(CorrMaps *m);

typedef struct {
    PermTest all;          /* over every entry */
    uint64_t seed;
    int have_live;         /* the live row was computed */
    PermTest live;
    char live_problem[STATUS_MSG_LEN]; /* why not, when the maps have a live mask */
} CorrResult;

/* The permutation test of m->a against m->b over all entries, and over the
 * live ones when m->live is set (a failure there is kept in
 * live_problem, not returned). Errors as permtest_run. O(perms·n). */
Status corr_compute(const CorrMaps *m, size_t perms, uint64_t seed, CorrResult *r, char *msg);

/* {context of s, r, p, perms, exceed, n, seed}, and on a snapshot then
 * map1, map2, when computed live: {n, r, p, exceed}, and for pc or mz
 * "partition_used" (job_json_partition). */
void corr_json(const CorrResult *r, const CorrMaps *m, const Snapshot *s, JsonWriter *w);

/* The `:corr` overlay: both rows, both maps, the scatter of the live
 * pixels (all when there is no mask). ST_ENOMEM. */
Status corr_view(const CorrResult *r, const CorrMaps *m, const Snapshot *s, JobResult *out);

/* The JobFn of `permtest`: on files the matrices args->files[PARAM_A] and
 * [PARAM_B]; on a snapshot the maps args->map1 and map2 of JOBS_CORR_MAPS
 * over its input units: edges (args->epoch_from → the shown epoch), ip,
 * id, mean (the run's training images), pc, mz (roles on the whole weight
 * graph for args->partition when it covers the graph, else the best of 10
 * Louvain runs). */
Status corr_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
