#ifndef NEUROTOP_MEASURE_INFO_PCA_H
#define NEUROTOP_MEASURE_INFO_PCA_H

/* Explained variance of a principal component analysis (docs/methods.md
 * §16; seed paper 000, Shine et al. 2021, doi:10.1186/s40708-021-00147-z,
 * §4.8 and Fig. 4). One analysis: `analyze pca --matrix F [--standardize]`
 * (the rows of a matrix are the samples) and `:pca` (the standardised
 * probe activity over the input, hidden and output units of the shown
 * epoch, with the same ratios at up to 8 earlier epochs and the probe items
 * projected on the top 3 components). */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

/* Epochs :pca visits: up to 8 earlier ones and the shown one. */
#define PRINCOMP_EPOCHS 9
#define PRINCOMP_TOP 10

/* One visited epoch of :pca. */
typedef struct {
    size_t epoch;
    size_t n_top;              /* ratios kept (at most PRINCOMP_TOP) */
    double top[PRINCOMP_TOP];  /* the leading explained-variance ratios */
    size_t n80;
} PrincompEpoch;

typedef struct {
    /* The analysis of a matrix (files and snapshots alike). */
    size_t n, d;          /* samples (rows) and variables (columns) */
    double *ratio;        /* d explained-variance ratios, descending */
    size_t n80;           /* components that explain 80 % */
    /* A snapshot's extras: its units, earlier epochs, the projection. */
    int with_input;       /* the input pixels are among the columns */
    size_t n_epochs;      /* visited epochs, the shown one last */
    PrincompEpoch epochs[PRINCOMP_EPOCHS];
    size_t skipped;       /* earlier epochs that could not be read */
    size_t k;             /* components projected on (min(d, 3)) */
    double *scores;       /* n × k, or NULL */
    int *cls;             /* n class labels of the probe items, or NULL */
} PrincompResult;

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void princomp_result_done(PrincompResult *r);

/* The explained-variance ratios and n80 of the n × d row-major matrix x
 * (pca_explained; standardize divides each column by its std) into *r
 * (zeroed first). Errors as pca_explained. */
Status princomp_compute(const double *x, size_t n, size_t d, int standardize, PrincompResult *r, char *msg);

/* {context of s, explained_ratio, n80}, and on a snapshot then units,
 * with_input, over_epochs [{epoch, explained_top10, n80}] and projection
 * (the n × k scores, row-major). */
void princomp_json(const PrincompResult *r, const Snapshot *s, JsonWriter *w);

/* The `:pca` overlay: the top-10 ratios, n80, the table over epochs, the
 * top-3 projection as a rotatable cloud and two planes, PC1 and the top-3
 * share by epoch. ST_ENOMEM. */
Status princomp_view(const PrincompResult *r, const Snapshot *s, JobResult *out);

/* The JobFn of `pca`: on files args->files[PARAM_MATRIX] (standardised
 * with args->standardize); on a snapshot its probe activity, always
 * standardised, since pixels and activations have different scales. */
Status princomp_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
