/* The hebbff kind's table: kind parameters (the familiarity task of seed
 * paper 001), shape rules, typed layout, per-epoch numbers and state. The
 * arithmetic is in hebbff.c. */
#include <stdio.h>

#include "hebbff_internal.h"
#include "model_internal.h"

/* The familiarity task (data/familiarity.h); the data registry finds these
 * by their run.json keys (task_n, ...). Ranges as the command line always
 * allowed them. */
enum { KP_N = 0, KP_R, KP_P, KP_CHAINS, KP_TRAIN, KP_TEST, KP_COUNT };

static const KindParam HEBBFF_KPARAMS[KP_COUNT] = {
    [KP_N] = {"task-n", 100, 8, 10000, KPARAM_WHOLE, "length of the random +-1 stimuli"},
    [KP_R] = {"task-r", 5, 1, 10000, KPARAM_WHOLE,
              "a repeat shows the stimulus this many steps earlier"},
    [KP_P] = {"task-p", 0.5, 0, 1, KPARAM_REAL, "probability of a repeat"},
    [KP_CHAINS] = {"task-chains", 0, 0, 1, KPARAM_FLAG,
                   "allow repeats of repeats (repeat fraction 0.5)"},
    [KP_TRAIN] = {"task-train", 2500, 10, 10000000, KPARAM_WHOLE,
                  "steps of the fixed training stream"},
    [KP_TEST] = {"task-test", 2500, 10, 10000000, KPARAM_WHOLE,
                 "steps of the held-out test stream"},
};

static const char *const HEBBFF_MEASURES[] = {"fcq", NULL};

static Status hebbff_kparams_check(const double *v, char *msg)
{
    if (v[KP_R] >= v[KP_TRAIN])
        return status_fail(msg, ST_EINVAL, "--task-r must be shorter than the training stream");
    return ST_OK;
}

static Status hebbff_check(const ModelConfig *c, char *msg)
{
    if (c->n_layers != 3 || c->sizes[2] != 2)
        return status_fail(msg, ST_EINVAL,
                           "a hebbff model has three layers {N, M, 2} (inputs, hidden units, "
                           "the two outputs novel/repeat)");
    return ST_OK;
}

/* W1 and w2 are the edge blocks; w2 is stored M × 2 with column 0 the
 * mirror of column 1 (hebbff.h), so it is marked mirrored: the weight graph,
 * histograms and moments see the one read-out node that w2 feeds. Then b1,
 * b2, λ_raw and η; A is the plastic state of input -> hidden. */
static size_t hebbff_kind_layout(const ModelConfig *c, ParamBlock *out, size_t max)
{
    const size_t n = c->sizes[0], m = c->sizes[1], one = 1, nm[2] = {n, m};
    size_t count = 0, off = 0;
    model_dense_chain(c, out, max, &count, &off);
    if (max >= 2)
        out[1].mirrored = 1; /* beta: hidden -> output */
    model_add_block(out, max, &count, &off, BLOCK_BIAS, "b1", 1, 1, 0, 1, &m);
    model_add_block(out, max, &count, &off, BLOCK_SCALAR, "b2", 2, 2, 0, 1, &one);
    model_add_block(out, max, &count, &off, BLOCK_SCALAR, "lambda_raw", 0, 1, 0, 1, &one);
    model_add_block(out, max, &count, &off, BLOCK_SCALAR, "eta", 0, 1, 0, 1, &one);
    model_add_block(out, max, &count, &off, BLOCK_STATE, "A", 0, 1, 0, 2, nm);
    return count;
}

static size_t hebbff_metrics(const ModelConfig *c, const float *params, ModelMetric *out,
                             size_t max)
{
    if (max < 2)
        return 0;
    snprintf(out[0].key, sizeof out[0].key, "lambda");
    out[0].value = hebbff_lambda(c, params);
    snprintf(out[1].key, sizeof out[1].key, "eta");
    out[1].value = hebbff_eta(c, params);
    return 2;
}

/* The plastic matrix after the stream x, run from A = 0 (hebbff_run_stream). */
static Status hebbff_state(const Model *m, const float *x, size_t n, float *out, char *msg)
{
    return hebbff_run_stream(&m->config, m->params, x, n, out, NULL, NULL, msg);
}

const ModelKind hebbff_kind = {
    .name = "hebbff",
    .description = "HebbFF (Tyulmankov et al. 2022), the plastic network of seed paper 001, on "
                   "continual familiarity; --batch is its BPTT window",
    .n_hidden = 1,
    .hidden = {120},
    .min_hidden = 1,
    .max_hidden = 1,
    .lr = 0.001,
    .batch = 50,
    .probe = 0,
    .probe_kparam = KP_TEST,
    .epoch_kparam = KP_TRAIN,
    .inits = MODEL_INIT_BIT(MODEL_INIT_UNIFORM),
    /* Seed paper 001 builds its activity matrix from the hidden state
     * before the sigmoid. */
    .activity = MODEL_ACTIVITY_PRE,
    .task = "familiarity",
    .supervised = 1,
    .n_kparams = KP_COUNT,
    .kparams = HEBBFF_KPARAMS,
    .measures = HEBBFF_MEASURES,
    .kparams_check = hebbff_kparams_check,
    .check = hebbff_check,
    .layout = hebbff_kind_layout,
    .metrics = hebbff_metrics,
    .ops =
        {
            .create = hebbff_create,
            .train = hebbff_train,
            .predict = hebbff_predict,
            .activations = hebbff_activations,
            .pre_activations = hebbff_pre_activations,
            .gradient = hebbff_gradient,
            .state = hebbff_state,
            .reset_state = hebbff_reset_state,
            .opt_size = hebbff_opt_size,
            .opt_get = hebbff_opt_get,
            .opt_set = hebbff_opt_set,
            .free = hebbff_free_impl,
            .sequential = 1,
        },
};
