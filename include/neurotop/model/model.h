#ifndef NEUROTOP_MODEL_MODEL_H
#define NEUROTOP_MODEL_MODEL_H

/* The model interface: one table of operations every model implements
 * (ARCHITECTURE.md). Analyses only see the generic outputs: evaluation,
 * per-layer activations and weight blocks.
 *
 * Parameters live in one flat float array per model (a snapshot is one
 * memcpy). A model is owned by one thread (the trainer); the UI and the
 * analyses work on copies (snapshots). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"

#define MODEL_MAX_LAYERS 8
/* Sanity limits checked by model_config_validate: 2^28 parameters (1 GiB of
 * floats) and 2^20 units in all. */
#define MODEL_MAX_PARAMS ((size_t)1 << 28)
#define MODEL_MAX_UNITS ((size_t)1 << 20)

/* Weight initialisation (seed papers 000 and 003; FINDINGS "Seed 003"):
 * UNIFORM: every weight uniform in [-1, 1);
 * ZERO: output-layer weights exactly 0, hidden-layer weights normal with
 *       standard deviation 1e-8 (exact zero never breaks the symmetry);
 * TINY: every weight normal with standard deviation 1e-6. */
typedef enum { MODEL_INIT_UNIFORM = 0, MODEL_INIT_ZERO, MODEL_INIT_TINY } ModelInit;

typedef struct {
    char kind[16];                   /* "mlp" */
    size_t n_layers;                 /* including input and output: 4 for 784-100-100-10 */
    size_t sizes[MODEL_MAX_LAYERS];  /* units per layer */
    ModelInit init;
    uint64_t seed;
} ModelConfig;

/* One weight block between consecutive layers: w is rows×cols row-major with
 * rows = units of layer `from`, cols = units of layer `to` (w[i*cols+j] is the
 * weight from unit i of `from` to unit j of `to`). Pointers are borrowed. */
typedef struct {
    size_t from, to;
    size_t rows, cols;
    size_t offset; /* index of w[0] in the flat parameter array */
    const float *w; /* NULL when model_blocks was given no parameters */
    char name[8];   /* "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta" */
} WeightBlock;

typedef struct {
    double accuracy; /* fraction correct */
    double loss;     /* mean cross-entropy */
    size_t n;
    size_t n_classes;
    uint32_t *confusion; /* n_classes × n_classes, [true][predicted], owned by caller;
                            NULL = not wanted */
} Evaluation;

typedef struct Model Model;

/* The operations of a model kind. None of them is thread-safe: they share the
 * model's scratch (impl), so one thread at a time uses a Model, including
 * its const operations. */
typedef struct {
    const char *kind;
    /* Train on n examples x (n × in, floats) with labels y (0 <= y < out) in
     * mini-batches of `batch` (the last one may be smaller), learning rate lr.
     * Each update uses the mean gradient over its batch. Adds the summed loss
     * (cross-entropy of each example before its update) to *loss_sum.
     * ST_EINVAL for batch 0 or a label out of range (nothing trained then). */
    Status (*train)(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                    double *loss_sum, char *msg);
    /* Output-layer probabilities for n inputs into probs (n × out). */
    void (*predict)(const Model *m, const float *x, size_t n, float *probs);
    /* Activations of every non-input layer for n inputs: acts[l-1] is n × sizes[l]
     * (caller-allocated). */
    void (*activations)(const Model *m, const float *x, size_t n, float *const *acts);
    /* Mean loss gradient over n examples into grad (n_params floats, same
     * layout as params), without changing the model; adds the summed loss to
     * *loss_sum when not NULL. NULL for kinds without a loss gradient. */
    Status (*gradient)(const Model *m, const float *x, const int *y, size_t n, float *grad,
                       double *loss_sum, char *msg);
    /* Releases impl only; model_free frees params and the Model. */
    void (*free)(Model *m);
    /* 1 when the examples form a stream in time (HebbFF): the trainer must
     * feed the training examples in their stored order, never shuffled, and
     * the model carries a state across train() calls; predict/activations
     * then treat their n inputs as one stream starting from a fresh state.
     * 0 for models of independent examples (MLP). */
    int sequential;
    /* Clear the carried state (called by the trainer at the start of every
     * epoch of a sequential model). NULL for stateless models. */
    void (*reset_state)(Model *m);
} ModelOps;

struct Model {
    const ModelOps *ops;
    ModelConfig config;
    size_t n_params;
    float *params; /* owned, n_params floats: all weight blocks back to back,
                      then model_extra_count extra parameters (biases...) */
    void *impl;    /* model-specific scratch, owned */
};

/* Check a config: a registered kind, 2..MODEL_MAX_LAYERS layers, every
 * layer at least 1 unit, a known init, at most MODEL_MAX_PARAMS parameters
 * and MODEL_MAX_UNITS units, plus the kind's own shape rules (hebbff:
 * exactly {N, M, 2} and init "uniform"). ST_EINVAL with one sentence
 * otherwise. */
Status model_config_validate(const ModelConfig *config, char *msg);

/* Create a model of config->kind ("mlp", "hebbff") with weights initialised from
 * config->seed (see ModelInit; one Rng stream per weight block, so the same
 * config always gives the same weights). The config is validated first.
 * *out is owned by the caller (model_free). */
Status model_new(const ModelConfig *config, Model **out, char *msg);
/* model_free(NULL) is safe. */
void model_free(Model *m);

/* Weight blocks of a config (a layered chain: block l-1 joins layer l-1 to
 * layer l), with w borrowed from params (e.g. a model's or a snapshot's
 * array) or NULL when params is NULL. Returns the number of blocks written
 * (at most max); 0 for an invalid config. O(layers). */
size_t model_blocks(const ModelConfig *config, const float *params, WeightBlock *out, size_t max);
/* Number of parameters implied by a config, 0 when the config is invalid:
 * the weight blocks plus the kind's extra parameters. */
size_t model_param_count(const ModelConfig *config);
/* Parameters stored after the weight blocks (HebbFF: biases, decay and
 * plasticity rate; 0 for the MLP): they occupy the last model_extra_count
 * floats of the flat array. 0 for an invalid config. O(layers). */
size_t model_extra_count(const ModelConfig *config);

/* Evaluate on n >= 1 examples with labels 0 <= y < out (a sequential model
 * sees them as one stream, in one predict call): accuracy, mean
 * cross-entropy (probabilities below FLT_MIN count as FLT_MIN, so one
 * example adds at most ~87.3), n, n_classes = output units and, when
 * ev->confusion is not NULL, the n_classes² confusion counts [true][pred]
 * (ties go to the lowest class). Batched through ops->predict (sgemm for
 * the MLP). ST_EINVAL for n = 0 or a bad label, ST_ENOMEM. O(n · params). */
Status model_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev);

/* Replace a model's parameters by a copy of params (n must equal n_params),
 * e.g. to continue from or replay a snapshot. */
Status model_set_params(Model *m, const float *params, size_t n, char *msg);
/* A heap copy of the parameters (*out, m->n_params floats, caller frees). */
Status model_clone_params(const Model *m, float **out, char *msg);

/* The name of layer l of a config for tables and titles: "input", "HL1",
 * "HL2", ..., "output" ("in" and "out" when short_form is 1, for narrow
 * titles). "?" when l is not a layer of the config. */
void model_layer_name(const ModelConfig *config, size_t l, int short_form, char *buf, size_t cap);

/* "uniform", "zero", "tiny" (or "?" for an unknown value). */
const char *model_init_name(ModelInit init);

#endif
