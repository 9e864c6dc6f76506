#ifndef NEUROTOP_MEASURE_JOBS_LOCALIZE_H
#define NEUROTOP_MEASURE_JOBS_LOCALIZE_H

/* `:localize [STIMULUS] [IMAGES]` and `analyze localize --run DIR`: put
 * the neurons of a snapshot's network back in their places from their
 * responses to a stimulus set (measure/locset.h, docs/methods.md §29). */

#include "neurotop/analysis/netlayout.h"
#include "neurotop/measure/jobs.h"
#include "neurotop/model/model.h"

/* The NetLayout of a model, from its typed blocks (model_layout): layer 0
 * is its input image (model_input_shape); a layer computed by a CONV block
 * {families, channels, k, k} is families maps of (H−k+1)×(W−k+1), by a
 * POOL block {k, k} the maps below shrunk k times, otherwise a dense layer
 * of sizes[l] neurons. ST_EINVAL for more layers than a NetLayout holds,
 * non-square kernels, or maps that do not multiply to the layer's units. */
Status localize_layout_of(const ModelConfig *config, NetLayout *out, char *msg);

/* A model made from a snapshot's configuration and parameters, whose
 * responses (LocResponseFn of measure/locset.h) are, per image, its pixels
 * then every further layer's activations after the nonlinearity. */
typedef struct LocModel LocModel;
Status locmodel_open(const ModelConfig *config, const float *params, size_t n_params,
                     LocModel **out, char *msg);
void locmodel_free(LocModel *lm);
Status locmodel_responses(void *lm, const float *images, size_t count, float *out, char *msg);

/* The data's digits as one set, held-out first, then training (caller
 * releases with imageset_done). ST_EINVAL when there are none. */
Status localize_digits(const Dataset *d, ImageSet *out, char *msg);

/* The job: stimuli a->stimulus (default GAUSSIAN), a->n_images of them
 * (default 10,000; digits from the run's data, held-out first), seed
 * a->seed; every neuron's response is the model's activation after its
 * nonlinearity, the input's the pixel. Text: the per-layer picture; JSON:
 * the context keys, then locset_json_fields. Progress over the steps;
 * cancellation between chunks and panels. */
Status job_localize(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg);

#endif
