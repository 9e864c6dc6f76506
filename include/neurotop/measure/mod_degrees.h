#ifndef NEUROTOP_MEASURE_MOD_DEGREES_H
#define NEUROTOP_MEASURE_MOD_DEGREES_H

/* Thresholded degree statistics (docs/methods.md §8; seed paper 002) of a
 * matrix file or of a snapshot's whole weight graph (`:degrees`), where
 * they are also summarised per layer with r(strength, degree). */

#include <stddef.h>

#include "neurotop/measure/jobs.h"
#include "neurotop/measure/mod_common.h"

typedef struct {
    double threshold;
    size_t n;
    int *degree, *degree_pos, *degree_neg; /* n each, owned */
    double *strength, *knn;                /* n each, owned */
    int has_layers;                        /* 1: the per-layer fields are set */
    size_t n_layers;
    char name[MODEL_MAX_LAYERS][MOD_LAYER_NAME_LEN];
    double layer_r[MODEL_MAX_LAYERS];      /* r(strength, degree), NaN when undefined */
    double layer_r_pn[MODEL_MAX_LAYERS];   /* r(positive degree, negative degree), the same */
    double layer_degree[MODEL_MAX_LAYERS], layer_pos[MODEL_MAX_LAYERS], layer_neg[MODEL_MAX_LAYERS];
    double layer_strength[MODEL_MAX_LAYERS], layer_knn[MODEL_MAX_LAYERS]; /* means */
    size_t input_side;
} DegreesResult;

/* degrees_compute on adj with |w| > threshold; layers (NULL on files) adds
 * the per-layer means and r. Errors of degrees_compute and
 * degrees_layer_correlation, ST_ENOMEM; *r owned by the caller
 * (degrees_result_done, safe after a failure). */
Status degrees_result_compute(const Matrix *adj, double threshold, const ModLayers *layers,
                              DegreesResult *r, char *msg);
void degrees_result_done(DegreesResult *r);

/* On a snapshot "epoch" and "graph" first; then "threshold", "degree",
 * "degree_pos", "degree_neg", "strength", "knn", and with layers
 * "layer_r_strength_degree" and "layer_r_pos_neg" (seed paper 002 reports
 * both correlations per layer). */
void degrees_result_json(const DegreesResult *r, const Snapshot *s, JsonWriter *w);
/* The same keys into an open object. */
void degrees_result_json_fields(const DegreesResult *r, const Snapshot *s, JsonWriter *w);

/* The screen: the per-layer table (one row over all nodes on files) and
 * degree and strength over the input pixels. */
Status degrees_result_view(const DegreesResult *r, const Snapshot *s, JobResult *out, char *msg);

Status job_degrees(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
