#ifndef NEUROTOP_MODEL_MODEL_H
#define NEUROTOP_MODEL_MODEL_H

/* The model interface. A model kind is one const table (ModelKind): its
 * name and help line, the defaults of a run, the data it learns, its own
 * parameters (kind parameters), its parameter layout as typed blocks and
 * its operations. The registry in model.c is the only list of kinds; every
 * other layer asks the table instead of comparing kind names.
 *
 * Parameters live in one flat float array per model (a snapshot is one
 * memcpy); the typed blocks of the layout say what each part of it is. A
 * model is owned by one thread (the trainer); the UI and the analyses work
 * on copies (snapshots). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"

#define MODEL_MAX_LAYERS 8
/* Sanity limits checked by model_config_validate: 2^28 parameters (1 GiB of
 * floats) and 2^20 units in all. */
#define MODEL_MAX_PARAMS ((size_t)1 << 28)
#define MODEL_MAX_UNITS ((size_t)1 << 20)
/* Kind parameters per kind, typed blocks per layout, dims per block. */
#define MODEL_MAX_KPARAMS 12
#define MODEL_MAX_BLOCKS 32
#define MODEL_BLOCK_DIMS 4
#define MODEL_NAME_LEN 16

/* Weight initialisation (seed papers 000 and 003):
 * UNIFORM: every weight uniform in [-1, 1);
 * ZERO: output-layer weights exactly 0, hidden-layer weights normal with
 *       standard deviation 1e-8 (exact zero never breaks the symmetry);
 * TINY: every weight normal with standard deviation 1e-6. */
typedef enum { MODEL_INIT_UNIFORM = 0, MODEL_INIT_ZERO, MODEL_INIT_TINY } ModelInit;

/* What the probe activations of the hidden layers hold (--activity,
 * run.json "activity"): POST the unit's output σ(a), PRE its input a before
 * the nonlinearity (seed paper 001 builds its activity matrix from HebbFF's
 * hidden state before the sigmoid). The output layer is the same in both.
 * A run.json without the field was recorded with POST. */
typedef enum { MODEL_ACTIVITY_POST = 0, MODEL_ACTIVITY_PRE } ModelActivity;
/* A set of inits, for ModelKind.inits. */
#define MODEL_INIT_BIT(i) (1u << (unsigned)(i))
#define MODEL_INIT_ALL (MODEL_INIT_BIT(MODEL_INIT_UNIFORM) | MODEL_INIT_BIT(MODEL_INIT_ZERO) | \
                        MODEL_INIT_BIT(MODEL_INIT_TINY))

typedef struct ModelKind ModelKind;

typedef struct {
    char kind[MODEL_NAME_LEN];       /* "mlp" */
    size_t n_layers;                 /* including input and output: 4 for 784-100-100-10 */
    size_t sizes[MODEL_MAX_LAYERS];  /* units per layer */
    ModelInit init;
    uint64_t seed;
    /* Input image shape for drawing (rows × cols = sizes[0]); 0 when not
     * known (model_input_shape then gives 1 × sizes[0]). */
    size_t in_rows, in_cols;
    /* Kind parameters in the order of the kind's table: the first
     * n_kparams are set, the others take the table's defaults
     * (model_kparam). A hand-built config may leave n_kparams 0. */
    size_t n_kparams;
    double kparams[MODEL_MAX_KPARAMS];
    /* The kind's table when the model was made from one (model_new sets
     * it; model_new_kind may name a kind outside the registry); NULL =
     * look `kind` up in the registry. Never saved. */
    const ModelKind *table;
} ModelConfig;

/* One dense weight block between two layers: rows = units of layer `from`,
 * cols = nodes of layer `to` in the weight graph, and w[i*ld + j] is the
 * weight from unit i of `from` to unit j of `to`. ld = cols for a plain
 * block; a mirrored block (ParamBlock.mirrored: HebbFF's read-out) is the
 * view of its last column, cols 1 and ld its stored column count.
 * Pointers are borrowed. model_blocks gives the edge blocks of a layout in
 * this form; model_block_copy gives the values as one plain array. */
typedef struct {
    size_t from, to;
    size_t rows, cols;
    size_t ld;      /* distance between rows in w (>= cols) */
    size_t offset;  /* index of w[0] in the flat parameter array */
    const float *w; /* NULL when model_blocks was given no parameters */
    char name[8];   /* "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta" */
} WeightBlock;

/* The type of a block of a layout, and the meaning of its dims:
 * DENSE  {rows, cols}: rows = units of `from`, cols = units of `to`, w[i*cols + j]
 * CONV   {families, channels, kh, kw}: `families` kernels of kh × kw over
 *        `channels` input maps, kernel f at f*channels*kh*kw
 * POOL   {kh, kw}: a pooling window; holds no parameters
 * BIAS   {units}: one value per unit of layer `to`
 * SCALAR {1}: one number (HebbFF's λ_raw, η)
 * STATE  {rows, cols}: recurrent or plastic state computed by the model
 *        (HebbFF's plastic matrix A), not a parameter: see model_state. */
typedef enum {
    BLOCK_DENSE = 0,
    BLOCK_CONV,
    BLOCK_POOL,
    BLOCK_BIAS,
    BLOCK_SCALAR,
    BLOCK_STATE
} BlockType;

/* One typed block of a kind's layout. Blocks holding parameters (count >
 * 0) tile the flat parameter array exactly, in layout order; POOL and STATE
 * blocks have offset 0 and count 0. */
typedef struct {
    BlockType type;
    char name[MODEL_NAME_LEN]; /* unique in the layout: "alpha", "b1", "lambda_raw", "A" */
    size_t from, to;           /* layers joined; BIAS: from = to = the layer whose units it
                                  serves; SCALAR: the layers it concerns */
    size_t n_dims;
    size_t dims[MODEL_BLOCK_DIMS];
    size_t offset, count;      /* place in the flat parameter array */
    int edge;                  /* 1: enters the weight graph and the weight histograms */
    /* 1 (a DENSE edge block): every column but the last is a mirror of the
     * last (HebbFF's w2: column 0 = −column 1, the logit of "novel"), so
     * layer `to` is one read-out node. The weight graph, the weight
     * histograms and moments and the edge change see only the last column
     * (model_blocks), and that layer as one node (model_graph_sizes). */
    int mirrored;
} ParamBlock;

/* How a kind parameter is typed on the command line. */
typedef enum { KPARAM_WHOLE = 0, KPARAM_REAL, KPARAM_FLAG } KParamType;

/* One kind parameter: --OPTION on the command line, OPTION with '-' as '_'
 * in run.json (model_kparam_key), a value in [min, max] (a flag: 0 or 1,
 * set by the bare option). Two kinds that share an option name give it the
 * same type. */
typedef struct {
    const char *option; /* "task-n" */
    double def, min, max;
    KParamType type;
    const char *help;   /* one line for --help */
} KindParam;

/* A number a kind reports after each epoch (HebbFF: lambda, eta). */
typedef struct {
    char key[32];
    double value;
} ModelMetric;

typedef struct {
    double accuracy; /* fraction correct; NAN for an unsupervised kind */
    double loss;     /* mean cross-entropy; NAN for an unsupervised kind */
    double recon;    /* mean reconstruction error (unsupervised kinds); NAN otherwise */
    size_t n;
    size_t n_classes;
    uint32_t *confusion; /* n_classes × n_classes, [true][predicted], owned by caller;
                            NULL = not wanted */
} Evaluation;

typedef struct Model Model;

/* The operations of a kind (part of its table). None of them is
 * thread-safe: they share the model's scratch (impl), so one thread at a
 * time uses a Model, including its const operations. */
typedef struct {
    /* Called by model_new once m->config, m->n_params and the zeroed
     * m->params are set: allocates m->impl and initialises the parameters
     * from config->seed. */
    Status (*create)(Model *m, char *msg);
    /* Train on n examples x (n × in floats) in mini-batches of `batch` (the
     * last one may be smaller), learning rate lr. y holds n labels (0 <= y <
     * out) for a supervised kind and is NULL for an unsupervised one. Adds
     * the summed training loss (of each example before its update) to
     * *loss_sum. ST_EINVAL for batch 0 or a bad label (nothing trained). */
    Status (*train)(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                    double *loss_sum, char *msg);
    /* Output-layer probabilities for n inputs into probs (n × out); NULL
     * for a kind that does not classify. */
    void (*predict)(const Model *m, const float *x, size_t n, float *probs);
    /* Activations of every non-input layer for n inputs: acts[l-1] is n × sizes[l]
     * (caller-allocated). */
    void (*activations)(const Model *m, const float *x, size_t n, float *const *acts);
    /* The same with the hidden layers' pre-activations a (the values
     * before the nonlinearity) in place of σ(a); the output layer as
     * activations gives it. NULL = the kind records σ(a) only. */
    void (*pre_activations)(const Model *m, const float *x, size_t n, float *const *acts);
    /* Evaluation on n examples (y NULL for an unsupervised kind); NULL =
     * classification through predict (model_evaluate). An unsupervised
     * kind sets ev->recon and leaves accuracy and loss NAN. */
    Status (*evaluate)(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev);
    /* Mean loss gradient over n examples into grad (n_params floats, same
     * layout as params), without changing the model; adds the summed loss to
     * *loss_sum when not NULL. NULL for kinds without a loss gradient. */
    Status (*gradient)(const Model *m, const float *x, const int *y, size_t n, float *grad,
                       double *loss_sum, char *msg);
    /* The values of the layout's STATE block after the n inputs x (HebbFF:
     * the plastic matrix after the held-out stream) into out (prod(dims)
     * floats). NULL for kinds without state. */
    Status (*state)(const Model *m, const float *x, size_t n, float *out, char *msg);
    /* Clear the carried state (called by the trainer at the start of every
     * epoch of a sequential model). NULL for stateless models. */
    void (*reset_state)(Model *m);
    /* The optimiser state that training carries from one train() call to
     * the next (HebbFF: Adam's step count and moments), so that a run can
     * be resumed exactly: its size in doubles (0 before any training state
     * exists), a copy into out, and a restore from n values of in
     * (ST_EINVAL for another size). NULL for a kind without one (plain SGD). */
    size_t (*opt_size)(const Model *m);
    void (*opt_get)(const Model *m, double *out);
    Status (*opt_set)(Model *m, const double *in, size_t n, char *msg);
    /* Tell the model which epoch (0-based) it is in: the trainer calls it
     * before training each epoch, and on resuming with the epoch the
     * snapshot finished, before restoring the optimiser state. A kind whose
     * training changes from epoch to epoch (the DBN: which RBM trains, its
     * momentum, the stream of its hidden samples) keys them on it. NULL =
     * every epoch is the same. */
    void (*set_epoch)(Model *m, size_t epoch);
    /* Numbers the kind measures after an epoch on the held-out inputs and a
     * fixed sample of training inputs (the DBN: the free-energy gap and the
     * RBM that trained), keys listed in METRIC_LIST; returns how many were
     * written (at most max). NULL = none. */
    size_t (*data_metrics)(const Model *m, const float *train_x, size_t n_train,
                           const float *test_x, size_t n_test, ModelMetric *out, size_t max);
    /* Releases impl only; model_free frees params and the Model. */
    void (*free)(Model *m);
    /* 1 when the examples form a stream in time (HebbFF): the trainer must
     * feed the training examples in their stored order, never shuffled, and
     * the model carries a state across train() calls; predict/activations
     * then treat their n inputs as one stream starting from a fresh state.
     * 0 for models of independent examples (MLP). */
    int sequential;
} ModelOps;

/* A model kind: everything the rest of the program knows about it. */
struct ModelKind {
    const char *name;        /* "mlp": --model NAME, run.json "model", snapshot "model.kind" */
    const char *description; /* one line for --help */

    /* Defaults of a run (options the user did not set). */
    size_t n_hidden;                       /* default hidden layers ... */
    size_t hidden[MODEL_MAX_LAYERS - 2];   /* ... and their sizes */
    size_t min_hidden, max_hidden;         /* hidden layers allowed */
    double lr;
    size_t batch;
    size_t probe;                          /* probe items, unless probe_kparam >= 0 */
    int probe_kparam;                      /* kind parameter whose value is the probe default, or -1 */
    int epoch_kparam;                      /* kind parameter that sets the epoch length (no
                                              --epoch-size then), or -1 */
    unsigned inits;                        /* allowed inits: MODEL_INIT_BIT set */
    ModelActivity activity;                /* default --activity (PRE needs ops.pre_activations) */

    /* The data it learns: image data chosen by --data (task NULL), or the
     * generated set named `task` (data/registry.h) made from the kind
     * parameters, which the data registry finds by their run.json keys. */
    const char *task;
    int supervised;                        /* 0: trained and evaluated without labels */
    size_t n_kparams;
    const KindParam *kparams;
    /* Optional per-epoch measures its paper uses, by name (NULL-ended;
     * NULL = none): "fcq" is the whole-probe functional modularity. */
    const char *const *measures;
    /* Optional panes its runs show besides everyone's, by pane name
     * (NULL-ended; NULL = none): the DBN's "strength". */
    const char *const *panes;

    /* Rules joining several kind parameters (all of them, table order,
     * each already in range); NULL = none. */
    Status (*kparams_check)(const double *values, char *msg);
    /* Layer sizes that follow from the kind parameters and the input image
     * (LeNet): given a config whose kind parameters, sizes[0], input shape
     * and last layer (the classes) are set, sets n_layers and the hidden
     * sizes; leaves a config it cannot shape as it was (check then says
     * why). NULL = the hidden sizes are given (--hidden). */
    void (*shape)(ModelConfig *c);
    /* Shape rules beyond a valid chain of layers (NULL = none); the kind
     * parameters are already checked when it is called. */
    Status (*check)(const ModelConfig *c, char *msg);
    /* The typed blocks of a valid config into out (at most max); returns
     * their number. Required. */
    size_t (*layout)(const ModelConfig *c, ParamBlock *out, size_t max);
    /* Weight-graph blocks (dense, node × node, WeightBlock conventions)
     * with weights borrowed from params or computed into *owned (one heap
     * array the caller frees; NULL when nothing was computed or params is
     * NULL); NULL = the DENSE edge blocks of the layout (a mirrored one as
     * its last column). */
    size_t (*graph)(const ModelConfig *c, const float *params, float **owned, WeightBlock *out,
                    size_t max);
    /* The nodes per layer of that graph into sizes (LeNet: one node per
     * family of a convolution or pooling layer); returns the number of
     * layers. NULL = config->sizes, a layer fed by a mirrored block as one
     * node. */
    size_t (*graph_sizes)(const ModelConfig *c, size_t *sizes);
    /* Receptive fields of every unit of `layer` (sizes[layer] × sizes[0]
     * into out); NULL = weight products along the dense chain
     * (analysis/receptive.h). */
    Status (*fields)(const ModelConfig *c, const float *params, size_t layer, float *out,
                     char *msg);
    /* What trains in epoch `epoch` (0-based), for the status line ("RBM
     * 2/3 500-500"); NULL = nothing to say. */
    void (*phase)(const ModelConfig *c, size_t epoch, char *buf, size_t cap);
    /* Samples of a generative kind (the DBN: Gibbs sampling in the top RBM,
     * then down to the pixels): n inputs into out (n × sizes[0]) after
     * `steps` steps, drawing from rng. NULL = the kind generates nothing. */
    Status (*dream)(const ModelConfig *c, const float *params, size_t n, size_t steps, Rng *rng,
                    float *out, char *msg);
    /* A kind that learns without labels but may train a read-out on them
     * (the DBN's --readout): the read-out's classes for config c, 0 when it
     * has none. NULL = never. */
    size_t (*label_classes)(const ModelConfig *c);
    /* Set what follows from the data's class count in a config being made
     * from options (the DBN read-out's classes); NULL = nothing. */
    void (*fit_classes)(ModelConfig *c, size_t n_classes);
    /* Extra per-epoch numbers from the parameters; NULL = none. */
    size_t (*metrics)(const ModelConfig *c, const float *params, ModelMetric *out, size_t max);

    ModelOps ops;
};

struct Model {
    const ModelOps *ops;  /* &kind->ops */
    const ModelKind *kind;
    ModelConfig config;
    size_t n_params;
    float *params; /* owned, n_params floats laid out as model_layout says */
    void *impl;    /* model-specific scratch, owned */
};

/* ---- the registry --------------------------------------------------------- */

/* Number of registered kinds, and kind i (NULL when out of range), in the
 * order --help lists them; kind 0 is the default. */
size_t model_kind_count(void);
const ModelKind *model_kind_at(size_t i);
/* A registered kind by name, or NULL. */
const ModelKind *model_kind_find(const char *name);
/* The kind of a config: config->table, else the registered kind named
 * config->kind; NULL when there is none. */
const ModelKind *model_kind_of(const ModelConfig *config);
/* "mlp, hebbff": the registered names, for messages. */
void model_kind_names(char *buf, size_t cap);

/* Index of a kind parameter by option name ("task-n"), or -1. */
int model_kparam_index(const ModelKind *kind, const char *option);
/* The run.json key of a kind parameter: its option with '-' as '_'. */
void model_kparam_key(const KindParam *p, char *buf, size_t cap);
/* Kind parameter i of a config: its set value, else the table default;
 * NAN when i is not a parameter of the config's kind. */
double model_kparam(const ModelConfig *config, size_t i);
/* Check n values of a kind's parameters (table order; missing ones take
 * their defaults): a number in [min, max], whole for WHOLE, 0 or 1 for
 * FLAG, then the kind's kparams_check. ST_EINVAL with one sentence naming
 * the option otherwise. */
Status model_kparams_check(const ModelKind *kind, const double *values, size_t n, char *msg);

/* ---- configs and models --------------------------------------------------- */

/* Check a config: a known kind, 2..MODEL_MAX_LAYERS layers, every layer
 * at least 1 unit, an init the kind allows, kind parameters in range, at
 * most MODEL_MAX_PARAMS parameters and MODEL_MAX_UNITS units, an input
 * shape that is 0 × 0 or multiplies to sizes[0], plus the kind's own shape
 * rules (hebbff: exactly {N, M, 2}). ST_EINVAL with one sentence otherwise. */
Status model_config_validate(const ModelConfig *config, char *msg);

/* Set the layer sizes of a kind whose layers follow from its kind
 * parameters and input image (ModelKind.shape); nothing for other kinds. */
void model_config_shape(ModelConfig *config);

/* Create a model of config->kind ("mlp", "hebbff") with weights initialised
 * from config->seed (one Rng stream per block, so the same config always
 * gives the same weights). The config is validated first. *out is owned by
 * the caller (model_free); (*out)->config.table is its kind. */
Status model_new(const ModelConfig *config, Model **out, char *msg);
/* The same for the kind `kind`, registered or not (a test's own kind):
 * config->kind must be kind->name, and the table must have create, train,
 * activations and a way to evaluate (predict or evaluate for a supervised
 * kind, evaluate for an unsupervised one); ST_EINVAL otherwise. */
Status model_new_kind(const ModelKind *kind, const ModelConfig *config, Model **out, char *msg);
/* model_free(NULL) is safe. */
void model_free(Model *m);

/* ---- layout ---------------------------------------------------------------- */

/* The typed blocks of a config (at most max) into out; returns their
 * number, 0 for an invalid config. O(blocks). */
size_t model_layout(const ModelConfig *config, ParamBlock *out, size_t max);
/* The edge blocks of the layout as dense WeightBlocks (a non-dense edge
 * block as dims[0] × the rest, a mirrored one as the view of its last
 * column: rows × 1), with w borrowed from params (a model's or
 * a snapshot's array) or NULL when params is NULL. Returns the number of
 * blocks written (at most max); 0 for an invalid config. O(blocks). */
size_t model_blocks(const ModelConfig *config, const float *params, WeightBlock *out, size_t max);
/* The blocks of the weight graph (modularity, roles, degrees): the kind's
 * graph op, by default its dense edge blocks. Same conventions; weights a
 * kind computes (LeNet's family graph) live in *owned, which the caller
 * frees once done with the blocks (NULL when they are all borrowed). */
size_t model_graph_blocks(const ModelConfig *config, const float *params, WeightBlock *out,
                          size_t max, float **owned);
/* The nodes per layer of the weight graph into sizes (room for
 * MODEL_MAX_LAYERS): the kind's graph_sizes, by default config->sizes,
 * except that a layer fed by a mirrored block is one node (HebbFF: N, M,
 * 1). Returns the number of layers, 0 for
 * an invalid config. O(blocks). */
size_t model_graph_sizes(const ModelConfig *config, size_t *sizes);
/* b's rows × cols weights as one row-major array (w[i*cols + j]), a heap
 * copy the caller frees; NULL when b has no weights or memory runs out.
 * O(rows·cols). */
float *model_block_copy(const WeightBlock *b);
/* Number of parameters implied by a config, 0 when the config is invalid:
 * the sum of its blocks' counts. */
size_t model_param_count(const ModelConfig *config);
/* Parameters outside the edge blocks (HebbFF: biases, decay and
 * plasticity rate, M + 3; 0 for the MLP). 0 for an invalid config. */
size_t model_extra_count(const ModelConfig *config);
/* The layout's STATE block into *out (when not NULL): 1 when the kind has
 * one, 0 otherwise. */
int model_state_block(const ModelConfig *config, ParamBlock *out);
/* Rows and columns of the input image (config->in_rows × in_cols, or 1 ×
 * sizes[0] when the config does not say). */
void model_input_shape(const ModelConfig *config, size_t *rows, size_t *cols);

/* ---- operations through the kind ------------------------------------------ */

/* The classes a model of config c learns from labels: a supervised kind's
 * output units, a read-out's classes (label_classes), else 0 (the model
 * trains and is evaluated without labels). */
size_t model_label_classes(const ModelConfig *c);

/* 1 when the kind named `kind` lists the optional pane `pane`. */
int model_kind_shows_pane(const char *kind, const char *pane);

/* Evaluate on n >= 1 examples. A supervised kind needs labels 0 <= y < out
 * (a sequential model sees them as one stream, in one predict call):
 * accuracy, mean cross-entropy (probabilities below FLT_MIN count as
 * FLT_MIN, so one example adds at most ~87.3), n, n_classes = output units
 * and, when ev->confusion is not NULL, the n_classes² confusion counts
 * [true][pred] (ties go to the lowest class); recon is NAN. An unsupervised
 * kind (y may be NULL) reports ev->recon through its evaluate op. ST_EINVAL
 * for n = 0 or a bad label, ST_ENOMEM. O(n · params). */
Status model_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev);

/* The probe activations of every non-input layer for the n inputs x into
 * acts (as ops->activations), the hidden layers holding σ(a) (POST) or a
 * (PRE). ST_EINVAL, nothing written, for PRE on a kind without
 * pre-activations (model_activity_check). O(n · params). */
Status model_activations(const Model *m, const float *x, size_t n, ModelActivity activity,
                         float *const *acts, char *msg);
/* ST_OK when a kind can record `activity`, else ST_EINVAL with one
 * sentence. */
Status model_activity_check(const ModelKind *kind, ModelActivity activity, char *msg);
/* "post", "pre" (or "?"). */
const char *model_activity_name(ModelActivity activity);
/* The activity named name ("pre" or "post") into *out: 0, or -1. */
int model_activity_parse(const char *name, ModelActivity *out);

/* The model's STATE block values after the inputs x (n of them) into out
 * (prod of the block's dims floats). ST_EINVAL when the kind has no state. */
Status model_state(const Model *m, const float *x, size_t n, float *out, char *msg);

/* Receptive fields of every unit of `layer` (1 <= layer < n_layers) of
 * (config, params) into out (sizes[layer] × sizes[0] floats, row u the
 * field of unit u): the kind's fields op, by default products of the dense
 * chain's weight matrices. ST_EINVAL for a bad layer or config, ST_ENOMEM. */
Status model_receptive_fields(const ModelConfig *config, const float *params, size_t layer,
                              float *out, char *msg);

/* The kind's extra per-epoch numbers for (config, params) into out (at
 * most max); returns their number (0 for kinds without). */
size_t model_extra_metrics(const ModelConfig *config, const float *params, ModelMetric *out,
                           size_t max);

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
/* The init named name into *out: 0, or -1 for an unknown name. */
int model_init_parse(const char *name, ModelInit *out);

/* The kind's phase for epoch `epoch` (0-based) into buf (ModelKind.phase):
 * 1 when it has one, 0 (buf empty) otherwise. */
int model_phase(const ModelConfig *config, size_t epoch, char *buf, size_t cap);

/* n generated inputs of (config, params) into out (n × sizes[0]) through
 * the kind's dream op after `steps` sampling steps, drawing from rng.
 * ST_EINVAL with one sentence for a kind that generates nothing or bad
 * counts; the kind's errors. */
Status model_dream(const ModelConfig *config, const float *params, size_t n, size_t steps, Rng *rng,
                   float *out, char *msg);

/* The optimiser state of m (ModelOps.opt_size/get/set): 0 and nothing
 * for a kind without one; model_opt_set of 0 values is ST_OK for such a
 * kind and ST_EINVAL for a kind that has one. */
size_t model_opt_size(const Model *m);
void model_opt_get(const Model *m, double *out);
Status model_opt_set(Model *m, const double *in, size_t n, char *msg);

#endif
