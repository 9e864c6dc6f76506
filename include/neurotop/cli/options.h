#ifndef NEUROTOP_CLI_OPTIONS_H
#define NEUROTOP_CLI_OPTIONS_H

/* Options shared by `neurotop tui` and `neurotop train`, parsed and checked
 * in one place: absurd values give ST_EINVAL with one sentence. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/model/model.h"

typedef struct {
    char model[16];        /* "mlp" */
    const char *data;      /* "mnist10k" | "fashion" | PATH */
    size_t epochs;         /* 0 = no limit */
    double lr;
    size_t batch;
    uint64_t seed;
    size_t hidden[MODEL_MAX_LAYERS];
    size_t n_hidden;
    ModelInit init;
    size_t epoch_size;     /* 0 = full pass */
    size_t probe;          /* probe items from the held-out set */
    size_t qreps;          /* Louvain runs per epoch for the live Q (0 = off) */
    size_t flexreps;       /* Louvain runs per epoch for the live flexibility (0 = off) */
    size_t fc_windows;     /* windows L of the live flexibility */
    int save_every;        /* snapshot files every N epochs, 0 = never */
    int paused;
    int headless;
    const char *theme;
    const char *log;       /* extra copy of metrics lines */
    const char *runs;      /* root folder of run directories */
    int help;
    /* HebbFF's continual familiarity task (seed paper 001). */
    size_t task_n, task_r, task_train, task_test;
    double task_p;
    int task_chains;
    /* train --headless --instances K: seeds seed..seed+K-1, J at a time. */
    size_t instances;      /* 0 = one ordinary run */
    size_t jobs;           /* 0 = as many as cores (at most K) */
    const char *run_tag;   /* appended to the run folder name ("-i03"), may be NULL */
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
    OPT_GIVEN_TASK = 1u << 6
};

/* Defaults: mlp on mnist10k, hidden 100,100, lr 0.3, batch 1, seed 0,
 * uniform init, full-pass epochs, probe 1000, a snapshot every epoch, runs/.
 * default_epochs differs between tui (0: until quit) and train (20). */
void options_defaults(RunOptions *o, size_t default_epochs);
/* Parse argv[first..argc). Unknown options, missing values and absurd
 * values give ST_EINVAL and one sentence in msg. */
Status options_parse(int argc, char **argv, int first, RunOptions *o, int allow_headless,
                     char *msg);
/* Apply the chosen model's defaults to what the user did not set, and check
 * combinations (hebbff: one hidden layer, the familiarity task, no
 * --epoch-size; task options only with hebbff). */
Status options_finish(RunOptions *o, char *msg);

/* The model config implied by the options (input/output sizes from data). */
void options_model_config(const RunOptions *o, size_t n_in, size_t n_out, ModelConfig *cfg);
/* Option help text shared by tui and train. */
const char *options_help(void);

#endif
