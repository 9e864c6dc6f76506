#ifndef NEUROTOP_MEASURE_INFO_TRANSPORT_H
#define NEUROTOP_MEASURE_INFO_TRANSPORT_H

/* Two analyses of files that move mass or match rows: the earth mover's
 * distance between two non-negative images (docs/methods.md §20,
 * `analyze emd --a F --b F`) and the minimum-cost assignment of a square
 * cost matrix (§21, `analyze assign --cost F`). */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

typedef struct {
    size_t rows, cols;  /* the images' shape */
    double emd;         /* the distance, in pixel units */
} TransportEmdResult;

/* The EMD of the rows × cols images a and b (emd_images). */
Status transport_emd_compute(const double *a, const double *b, size_t rows, size_t cols, TransportEmdResult *r,
                             char *msg);
/* {"emd"}. */
void transport_emd_json(const TransportEmdResult *r, JsonWriter *w);
/* The JobFn of `emd` (files only: args->files[PARAM_A], [PARAM_B]). */
Status transport_emd_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

typedef struct {
    size_t n;
    int *assignment;    /* n: the column of each row */
    double cost;        /* the total cost */
} TransportAssignResult;

/* Frees the assignment and zeroes *r; safe on a zeroed result. */
void transport_assign_result_done(TransportAssignResult *r);
/* The assignment of the n × n cost matrix (assign_solve) into *r (zeroed
 * first). ST_EINVAL for n beyond INT_MAX, errors of assign_solve. */
Status transport_assign_compute(const double *cost, size_t n, TransportAssignResult *r, char *msg);
/* {"assignment", "cost"}. */
void transport_assign_json(const TransportAssignResult *r, JsonWriter *w);
/* The JobFn of `assign` (files only: args->files[PARAM_COST]). */
Status transport_assign_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
