#ifndef NEUROTOP_ANALYSIS_LOCALIZE_H
#define NEUROTOP_ANALYSIS_LOCALIZE_H

/* Putting neurons back in their place from activity alone (seed paper 004;
 * docs/methods.md, localisation). Given every neuron's responses to a set of
 * stimuli and the architecture (a NetLayout), half of the neurons' locations
 * are known (training) and the other half are to be found:
 *
 *  1. features per neuron: response mean and standard deviation and its
 *     entries in the top eigenvectors of the absolute response correlation
 *     matrix (localize_features);
 *  2. random forests predict the layer, and within each layer the family,
 *     row and column (one forest per non-trivial question: 15 for LeNet);
 *  3. the log-probabilities add up to the log-confidence of every test
 *     neuron for every test location, and one-to-one assignment (Hungarian,
 *     analysis/assign.h) maximises their sum;
 *  4. the score is the mean over layers of each layer's RMS graph distance
 *     between where a neuron is and where it was put (analysis/netdist.h),
 *     split into active and silent neurons, beside the random assignment
 *     baseline and the floor set by dense layers, whose families nothing in
 *     the responses can tell apart. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/forest.h"
#include "neurotop/analysis/netlayout.h"
#include "neurotop/core/status.h"

/* stage names a step ("correlation", "eigenvectors", "forests",
 * "assignment", "distances"); frac is 0..1 within it. Non-zero cancels. */
typedef int (*LocalizeProgressFn)(void *ctx, const char *stage, double frac);

typedef struct {
    size_t n_eig;      /* eigenvectors used as features (paper: 16) */
    size_t eig_block;  /* subspace size, 0 = 2·n_eig */
    size_t corr_block; /* rows per correlation panel, 0 = 1024 */
    uint64_t seed;     /* start block of the subspace iteration */
    LocalizeProgressFn progress;
    void *progress_ctx;
} LocFeatureOptions;

/* n_eig 16, automatic blocks, seed 0, no progress. */
LocFeatureOptions loc_feature_options_default(void);

typedef struct {
    size_t n, d;          /* neurons; features per neuron */
    float *x;             /* n×d row-major: mean, std, eigenvector entries (per set) */
    unsigned char *silent; /* constant response (to every set, once concatenated) */
    double t_moments, t_corr, t_eig; /* seconds */
    size_t eig_iters;                /* subspace iterations used */
} LocFeatures;

/* Features of n neurons from resp (m images × n neurons, row-major), which
 * is overwritten with the standardised responses. Allocates the n×n float
 * correlation matrix for the duration (4n² bytes: 1.55 GB for LeNet) on top
 * of resp. *out is caller-owned (loc_features_done). O(n²m/2 + iters·n²p). */
Status localize_features(float *resp, size_t m, size_t n, const LocFeatureOptions *opt,
                         LocFeatures *out, char *msg);

/* Side by side: out->x rows are the parts' rows concatenated (the CONCAT
 * feature set); a neuron is silent when it is silent in every part. */
Status loc_features_concat(const LocFeatures *parts, size_t count, LocFeatures *out, char *msg);
void loc_features_done(LocFeatures *f);

typedef enum { LOC_SPLIT_CHECKERBOARD = 0, LOC_SPLIT_RANDOM } LocSplit;

typedef struct {
    LocSplit split;  /* checkerboard: (x+y) even trains, dense layers even families;
                        random: a random half of each layer (rounded down) trains */
    uint64_t seed;   /* split, forests, shuffles */
    ForestOptions forest;
    double smoothing; /* p ← (1−s)·p + s/K before the logarithm, so no cost is infinite */
    LocalizeProgressFn progress;
    void *progress_ctx;
} LocalizeOptions;

/* Checkerboard, seed 0, forests of 100 trees (√d features), smoothing 0.01. */
LocalizeOptions localize_options_default(void);

typedef struct {
    size_t n_layers;
    size_t n_test[NETLAYOUT_MAX_LAYERS], n_test_silent[NETLAYOUT_MAX_LAYERS];
    size_t n_silent[NETLAYOUT_MAX_LAYERS]; /* all neurons of the layer */
    /* Per layer RMS graph-distance error over its test neurons, and the
     * parts from active and silent neurons (err² = active² + silent²).
     * baseline: the RMS error of a uniformly random one-to-one assignment
     * of all test neurons to all test locations (seed 004's random
     * assignment); baseline_layer: the same within the neuron's own layer.
     * Both are exact expectations over the test set, not samples. */
    double err[NETLAYOUT_MAX_LAYERS], err_active[NETLAYOUT_MAX_LAYERS],
        err_silent[NETLAYOUT_MAX_LAYERS], baseline[NETLAYOUT_MAX_LAYERS],
        baseline_layer[NETLAYOUT_MAX_LAYERS];
    /* Means over layers with test neurons. floor: perfect placement except
     * in dense layers of several families, which score baseline_layer
     * (random among their own test locations), over the same layer count. */
    double mean_err, mean_active, mean_silent, mean_baseline, mean_baseline_layer, floor;
    size_t n_total_test, n_correct, n_classifiers;
    size_t *test;     /* n_total_test neuron indices, ascending */
    size_t *assigned; /* assigned[i]: the location (neuron index) given to test[i] */
    double t_forests, t_assign, t_score; /* seconds */
} LocalizeResult;

/* Run steps 2–4 on features f of the layout's neurons (f->n must equal
 * netlayout_neurons). The order of neurons and locations is shuffled before
 * the assignment, so ties (dense layers) are broken at random and never by
 * the true index. *out caller-owned (localize_result_done). */
Status localize_run(const NetLayout *layout, const LocFeatures *f, const LocalizeOptions *opt,
                    LocalizeResult *out, char *msg);
void localize_result_done(LocalizeResult *r);

/* Step 4 alone: fill r's counts, per-layer errors, baselines, means and
 * floor for the assignment test[i] → assigned[i] (n_test neurons, each
 * location used once), silent flags over all neurons. One breadth-first
 * search per test neuron (analysis/netdist.h). r->test and r->assigned are
 * not touched. */
Status localize_score(const NetLayout *layout, const size_t *test, const size_t *assigned,
                      size_t n_test, const unsigned char *silent, LocalizeResult *r,
                      LocalizeProgressFn progress, void *ctx, char *msg);

#endif
