#ifndef NEUROTOP_MEASURE_LOCSET_H
#define NEUROTOP_MEASURE_LOCSET_H

/* Localising one stimulus set, behind `:localize`, `analyze localize` and
 * `neurotop experiment lenet-localization` (seed paper 004, Dyer & Griffin 2022, Neural Networks 156,
 * doi:10.1016/j.neunet.2022.10.009, §5–6.1): for one stimulus set, make the
 * images, record every neuron's response through a callback (the model),
 * build the features and localise (analysis/localize.h), timing each
 * step; for CONCAT, localise on the features of several sets side by side.
 * Compute only: no printing, no threads. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/localize.h"
#include "neurotop/analysis/netlayout.h"
#include "neurotop/core/json.h"
#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/data/dataset.h"
#include "neurotop/data/stimuli.h"

/* Responses of all neurons (in NetLayout order) to count images of
 * rows·cols floats: out is count × neurons, row-major. */
typedef Status (*LocResponseFn)(void *ctx, const float *images, size_t count, float *out,
                                char *msg);

typedef struct {
    const NetLayout *layout;   /* borrowed; layer 0 is the image */
    LocResponseFn responses;
    void *responses_ctx;
    const ImageSet *digits;    /* borrowed; for MNIST, trMNIST and MIXED (may be NULL otherwise) */
    size_t images;             /* per set, before IMPULSE's fixed count */
    size_t chunk;              /* images per response call, 0 = 500 */
    uint64_t seed;             /* stimuli, eigenvectors, split, forests */
    size_t random_splits;      /* also localise on this many random splits (0: none) */
    LocFeatureOptions features;
    LocalizeOptions localize;
} LocSetSpec;

typedef struct {
    char name[32];
    size_t images;
    LocalizeResult result;     /* with the split of e->localize */
    /* Over random_splits random splits (seeds seed+1, seed+2, ...): mean and
     * sample standard deviation of the score. */
    size_t n_random;
    double random_mean, random_sd;
    double t_stimuli, t_responses, t_moments, t_corr, t_eig, t_forests, t_assign, t_score;
} LocSetResult;

/* Defaults: 10,000 images, chunks of 500, seed 0, 16 eigenvectors,
 * checkerboard split, 100 trees; layout, responses and digits unset. */
LocSetSpec locset_defaults(void);

/* One stimulus set. When keep is not NULL the set's features are moved
 * into it (caller-owned, for CONCAT). Peak memory: the responses (images ×
 * neurons floats) plus the n×n correlation matrix. out caller-owned
 * (locset_set_done). */
Status locset_run_set(const LocSetSpec *e, StimulusKind kind, LocSetResult *out,
                         LocFeatures *keep, char *msg);

/* CONCAT: localise on the features of count sets side by side; name gets
 * "CONCAT". Timings are the parts' sums. */
Status locset_run_concat(const LocSetSpec *e, const LocFeatures *parts,
                            const LocSetResult *part_results, size_t count, LocSetResult *out,
                            char *msg);

void locset_set_done(LocSetResult *r);

/* The JSON of one set, as fields of the open object of w: "stimulus",
 * "images", "error", "error_active", "error_silent", "random",
 * "random_within_layer", "floor", "paper" (null when the paper has none
 * or the network is not LeNet),
 * "test", "correct", "layers" (per layer: "name", "neurons", "test",
 * "silent", "silent_test", "error", "error_active", "error_silent",
 * "random", "random_within_layer"), "random_splits" ({"n", "mean", "sd"},
 * when run) and "seconds" (stimuli, responses, moments, correlation,
 * eigenvectors, forests, assignment, distances). */
void locset_json_fields(const NetLayout *layout, const LocSetResult *r, JsonWriter *w);

/* A picture of the network for a screen: a title line, then one line per
 * layer with its shape, silent neurons and a bar of its error on a scale
 * to the largest random baseline ('|' marks the layer's random baseline),
 * then the score beside the random baseline, the floor and (LeNet only)
 * the paper. */
void locset_picture(const NetLayout *layout, const LocSetResult *r, StrBuf *out);

/* Seed 004's overall error for a set name (Fig. 14 and §6.1, §6.3: MNIST
 * 2.9, trMNIST 1.7, GAUSSIAN 1.5, IMPULSE 0.8, MIXED 0.8, CONCAT 0.4,
 * CONSTANT 4.3, offGAUSSIAN 2.1); NAN when the paper gives none. The
 * paper's random assignment is 4.6. */
double locset_paper_error(const char *name);
#define LOCSET_PAPER_RANDOM 4.6

#endif
