#ifndef NEUROTOP_EXPERIMENT_DBN_DEGREES_H
#define NEUROTOP_EXPERIMENT_DBN_DEGREES_H

/* The statistics seed paper 002 (Testolin, Piccolini & Suweis 2020,
 * doi:10.1093/comnet/cnz018, §4.1–4.3) reports on a DBN before and after
 * training, from its weight graph (the block adjacency of the paper's Eq. 9):
 * the weights' mean, standard deviation and skewness per RBM and over all,
 * the node strengths per layer (the share that is negative), and the edges
 * kept at a threshold θ with their signs. Compute only: `neurotop
 * experiment dbn-degrees` (cli/) prints them beside the paper. */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/model/model.h"

typedef struct {
    size_t epoch;
    size_t n_blocks;                      /* RBMs */
    double mean[MODEL_MAX_LAYERS], std[MODEL_MAX_LAYERS], skew[MODEL_MAX_LAYERS];
    double all_mean, all_std, all_skew;   /* every weight of the DBN */
    size_t n_layers;
    double strength_mean[MODEL_MAX_LAYERS];
    double strength_neg[MODEL_MAX_LAYERS]; /* share of the layer's nodes with strength < 0 */
    double theta;
    double kept;                          /* share of the weights with |w| > θ */
    size_t pos, neg;                      /* of those, w > θ and w < −θ */
} DbnDegreesStats;

/* The statistics of (c, params) at threshold theta (finite, >= 0) into
 * out, epoch set to `epoch`. The weight graph's blocks (model_graph_blocks)
 * must be a chain: block l joins layer l to l + 1. ST_EINVAL otherwise.
 * Time O(weights). */
Status dbn_degrees_measure(const ModelConfig *c, const float *params, size_t epoch, double theta,
                           DbnDegreesStats *out, char *msg);

/* One JSON object: "epoch", "theta", "w_mean", "w_std", "w_skew" (per RBM),
 * "all_mean", "all_std", "all_skew", "strength_mean", "strength_neg" (per
 * layer), "kept", "pos", "neg". */
void dbn_degrees_json(const DbnDegreesStats *s, JsonWriter *w);

#endif
