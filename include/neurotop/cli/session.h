#ifndef NEUROTOP_CLI_SESSION_H
#define NEUROTOP_CLI_SESSION_H

/* Everything one training run needs, built from RunOptions in one place so
 * the TUI and headless training share it: data set, model, run directory,
 * store, control and trainer. */

#include "neurotop/cli/options.h"
#include "neurotop/data/dataset.h"
#include "neurotop/train/control.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/metrics_fcq.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/store.h"
#include "neurotop/train/trainer.h"

typedef struct {
    RunOptions opts;
    Dataset *data;
    Store *store;
    Control control;
    int control_ready;
    RunDir *rundir;
    Trainer *trainer;
    ModularitySettings modularity_settings; /* changed live by `:set qreps` */
    ModularityMetric *modularity;
    InfoMetric *info;       /* per-epoch IH (ih_hl1_mean, ...) */
    PixelInfo *pixel_info;  /* IP/ID of the training images, computed on first use */
    ActivitySettings activity_settings; /* changed live by `:set flexreps`/`:set windows` */
    ActivityMetric *activity; /* per-epoch FC, flexibility, entropy, moments of the hidden units */
    FcqMetric *fcq;           /* measure "fcq" (kinds that ask for it): whole-probe functional Q */
} Session;

/* Open the data (the kind's generated task or --data, through
 * data/registry.h), build the model and the run directory, create the
 * trainer (not yet started) and register the per-epoch metrics, with the
 * optional measures the kind names. On failure everything is released. */
Status session_open(Session *s, const RunOptions *o, char *msg);
void session_close(Session *s);

/* Headless: start the trainer and wait until it ends, turning SIGINT,
 * SIGTERM and SIGHUP into a clean stop (*stopped = 1 then). Returns the
 * trainer's status. Installs the signal handlers. */
Status session_run_headless(Session *s, int *stopped, char *msg);

/* run.json text for the options and data set: the model, its sizes,
 * init and input shape, the data, the run settings and the kind
 * parameters under their keys (task_n, ...). */
void session_format_run_json(const RunOptions *o, const Dataset *d, const ModelConfig *cfg,
                             StrBuf *out);

#endif
