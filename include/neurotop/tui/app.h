#ifndef NEUROTOP_TUI_APP_H
#define NEUROTOP_TUI_APP_H

/* The interactive terminal UI: the only code that calls ncurses (through
 * screen.c), on the calling thread. It shows the store's snapshots in panes,
 * forwards run/pause/step/lr/save to the trainer through the Control, and
 * runs `:` commands. */

#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"
#include "neurotop/train/control.h"
#include "neurotop/run/lesson.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/store.h"

typedef struct {
    Store *store;        /* borrowed */
    Control *control;    /* borrowed */
    RunDir *rundir;      /* borrowed, may be NULL */
    const char *model;   /* "mlp 784-100-100-10" for the status line */
    const char *data;    /* "mnist10k" */
    uint64_t seed;
    const char *theme;   /* theme name or path */
    ModularitySettings *modularity; /* borrowed: `:set qreps` changes it (may be NULL) */
    ActivitySettings *activity; /* borrowed: `:set flexreps`, `:set windows` (may be NULL) */
    /* Replay mode: a recorded run, no training (control unused). Borrowed. */
    Replay *replay;
    const Lesson *lesson; /* replay --lesson: Enter walks its steps (borrowed, may be NULL) */
    /* The run's data set (borrowed, may be NULL), so epochs no longer in
     * memory can be reloaded from the run directory with their activations. */
    const Dataset *dataset;
    size_t n_probe;
    /* IP/ID of the training images, computed once (borrowed, may be NULL). */
    PixelInfo *pixel_info;
    /* Polled every loop: non-zero when a terminating signal arrived. */
    int (*stop_requested)(void);
} AppConfig;

/* Run the UI until the user quits or stop_requested() fires; restores the
 * terminal before returning. ST_EIO when the terminal cannot be used,
 * ST_ENOTFOUND/ST_EFORMAT for a bad theme (checked before the screen opens). */
Status app_run(const AppConfig *cfg, char *msg);

#endif
