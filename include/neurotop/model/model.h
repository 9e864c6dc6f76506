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
    const float *w;
    char name[8]; /* "alpha", "beta", "gamma", ... */
} WeightBlock;

typedef struct {
    double accuracy; /* fraction correct */
    double loss;     /* mean cross-entropy */
    size_t n;
    size_t n_classes;
    uint32_t *confusion; /* n_classes × n_classes, [true][predicted], owned by caller */
} Evaluation;

typedef struct Model Model;

typedef struct {
    const char *kind;
    /* Train on n examples x (n × in, floats) with labels y in mini-batches of
     * `batch`, learning rate lr. Adds the summed loss to *loss_sum. */
    Status (*train)(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                    double *loss_sum, char *msg);
    /* Output-layer probabilities for n inputs into probs (n × out). */
    void (*predict)(const Model *m, const float *x, size_t n, float *probs);
    /* Activations of every non-input layer for n inputs: acts[l-1] is n × sizes[l]
     * (caller-allocated). */
    void (*activations)(const Model *m, const float *x, size_t n, float *const *acts);
    void (*free)(Model *m);
} ModelOps;

struct Model {
    const ModelOps *ops;
    ModelConfig config;
    size_t n_params;
    float *params; /* owned, n_params floats: all weight blocks back to back */
    void *impl;    /* model-specific scratch, owned */
};

/* Create a model of config->kind ("mlp") with weights initialised from
 * config->seed: uniform(-1,1), zero (output weights 0, hidden N(0,1e-8)),
 * or tiny (N(0,1e-6)). */
Status model_new(const ModelConfig *config, Model **out, char *msg);
/* model_free(NULL) is safe. */
void model_free(Model *m);

/* Weight blocks of a model (borrowed pointers into params or into the given
 * parameter array when params != NULL, e.g. a snapshot's copy). Returns the
 * number of blocks written (at most max). */
size_t model_blocks(const ModelConfig *config, const float *params, WeightBlock *out, size_t max);
/* Number of parameters implied by a config. */
size_t model_param_count(const ModelConfig *config);

/* Evaluate on n examples: accuracy, mean loss, confusion (ev->confusion must
 * hold n_classes² counters, n_classes = output units). */
void model_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev);

#endif
