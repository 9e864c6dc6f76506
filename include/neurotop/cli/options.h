#ifndef NEUROTOP_CLI_OPTIONS_H
#define NEUROTOP_CLI_OPTIONS_H

/* Options shared by `neurotop tui` and `neurotop train`, parsed and checked
 * in one place: absurd values give ST_EINVAL with one sentence. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/model/model.h"

/* A kind parameter as given on the command line, before the kind is known
 * (it may come before or after --model). */
typedef struct {
    const KindParam *param; /* the first registered kind's entry with that option */
    double value;
} KindArg;

#define OPTIONS_MAX_KIND_ARGS 32

typedef struct {
    char model[MODEL_NAME_LEN]; /* a registered kind: "mlp" */
    const char *data;      /* "mnist10k" | "fashion" | PATH */
    size_t epochs;         /* 0 = no limit */
    double lr;
    size_t batch;
    uint64_t seed;
    size_t hidden[MODEL_MAX_LAYERS];
    size_t n_hidden;
    size_t layers[MODEL_MAX_LAYERS]; /* --layers as given (n_layers 0: not given) */
    size_t n_layers;
    ModelInit init;
    size_t epoch_size;     /* 0 = full pass */
    size_t probe;          /* probe items from the held-out set */
    size_t qreps;          /* Louvain runs per epoch for the live Q (0 = off) */
    int q_method;          /* CommunityMethod of the live Q (--q-method) */
    size_t flexreps;       /* Louvain runs per epoch for the live flexibility (0 = off) */
    size_t fc_windows;     /* slices L of the live flexibility (windows or epochs) */
    size_t live_units;     /* hidden units the live activity measures sample at most (0 = all) */
    int flex_slices;       /* ActivitySlices: 0 = by the kind (--flex-slices epochs|probe) */
    int save_every;        /* snapshot files every N epochs, 0 = never */
    size_t record_every;   /* weight trajectories every K mini-batches, 0 = off */
    int record_half;       /* --record-precision half */
    ModelActivity activity; /* --activity: what the hidden probe activations hold (the kind's default) */
    int paused;
    int headless;
    const char *theme;
    const char *log;       /* extra copy of metrics lines */
    const char *runs;      /* root folder of run directories */
    int help;
    /* Kind parameters: as given (kargs, any kind's option), then, after
     * options_finish, every parameter of the chosen kind in its table order
     * (defaults for those not given). */
    size_t n_kargs;
    KindArg kargs[OPTIONS_MAX_KIND_ARGS];
    size_t n_kparams;
    double kparams[MODEL_MAX_KPARAMS];
    /* train --headless --instances K: seeds seed..seed+K-1, J at a time. */
    size_t instances;      /* 0 = one ordinary run */
    size_t jobs;           /* 0 = as many as cores (at most K) */
    const char *run_tag;   /* appended to the run folder name ("-i03"), may be NULL */
    const char *resume;    /* --resume RUN_DIR: go on with that run, NULL for a new one */
    unsigned given;        /* OPT_GIVEN_* bits: options the user set */
} RunOptions;

/* Options whose default depends on the model. */
enum {
    OPT_GIVEN_LR = 1u << 0,
    OPT_GIVEN_BATCH = 1u << 1,
    OPT_GIVEN_HIDDEN = 1u << 2,
    OPT_GIVEN_DATA = 1u << 3,
    OPT_GIVEN_PROBE = 1u << 4,
    OPT_GIVEN_EPOCH_SIZE = 1u << 5,
    OPT_GIVEN_EPOCHS = 1u << 6,
    OPT_GIVEN_ACTIVITY = 1u << 7,
    OPT_GIVEN_LAYERS = 1u << 8
};

/* Defaults: the default kind (the registry's first, mlp) with its table's
 * hidden sizes, lr, batch and probe, on mnist10k, seed 0, uniform init,
 * full-pass epochs, a snapshot every epoch, runs/. default_epochs differs
 * between tui (0: until quit) and train (20). */
void options_defaults(RunOptions *o, size_t default_epochs);
/* --layers against the data: its first size must be n_in, and for a
 * supervised kind its last n_out. ST_EINVAL with one sentence otherwise;
 * ST_OK when --layers was not given. */
Status options_check_layers(RunOptions *o, size_t n_in, size_t n_out, char *msg);
/* Parse argv[first..argc). --resume RUN_DIR goes on with a recorded run,
 * whose settings come from its run.json: with it only --epochs (a new
 * limit), --paused, --theme, --log and --headless may be given. --model
 * takes a registered kind; --OPTION of
 * any kind's parameter is taken wherever it stands and checked against the
 * chosen kind by options_finish. Numbers are read with core/numparse.h.
 * Unknown options, missing values and absurd values give ST_EINVAL and one
 * sentence in msg. */
Status options_parse(int argc, char **argv, int first, RunOptions *o, int allow_headless,
                     char *msg);
/* Apply the chosen kind's table to what the user did not set (hidden
 * sizes, lr, batch, probe, kind parameters; data = its generated task) and
 * check the combinations the table implies: kind parameters only of that
 * kind and in range, its number of hidden layers, its inits, no --data for
 * a kind with a task, no --epoch-size for a kind whose epoch is a kind
 * parameter. */
Status options_finish(RunOptions *o, char *msg);

/* The model config implied by finished options (input/output sizes from
 * the data; input shape left 0 × 0), with the kind parameters. */
void options_model_config(const RunOptions *o, size_t n_in, size_t n_out, ModelConfig *cfg);
/* Option help text shared by tui and train, the kinds and their
 * parameters listed from their tables. Built on the first call. */
const char *options_help(void);

#endif
