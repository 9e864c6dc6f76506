#ifndef NEUROTOP_TRAIN_CONTROL_H
#define NEUROTOP_TRAIN_CONTROL_H

/* Run / pause / step / stop requests from the UI (or a signal) to the
 * trainer thread. The trainer checks between mini-batch chunks, so a pause
 * takes effect within a few milliseconds. */

#include <pthread.h>
#include <stddef.h>

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int paused;
    int stop;
    size_t steps;      /* epochs still to run while paused (the `n` key) */
    double lr;         /* learning rate for the next batches */
    size_t epochs;     /* the epoch limit: training stops after this epoch; 0 = none */
    int save_requested;
    char save_path[512]; /* "" = default name in the run directory */
} Control;

void control_init(Control *c, int paused, double lr);
void control_done(Control *c);

void control_run(Control *c);
void control_pause(Control *c);
/* Toggle run/pause; returns 1 when now running. */
int control_toggle(Control *c);
/* While paused: run n more epochs, then pause again. */
void control_step(Control *c, size_t n);
void control_stop(Control *c);
void control_set_lr(Control *c, double lr);
void control_request_save(Control *c, const char *path);

/* The epoch limit (0 = none). The UI may move it while training, or after
 * the trainer reached it: a trainer waiting at its limit (control_wait_more)
 * goes on when the limit moves past its epoch. */
void control_set_epochs(Control *c, size_t epochs);
/* Epochs still to run from `n`/:step before the trainer pauses (0 when
 * running freely or paused with none pending). */
size_t control_pending_steps(Control *c);
size_t control_get_epochs(Control *c);

/* Trainer side, at the limit after `epoch`: block until the limit is moved
 * past epoch (returns 0), a save is requested (0: serve it and call
 * again) or a stop (1). */
int control_wait_more(Control *c, size_t epoch);

/* Trainer side: block while paused with no steps pending. Returns 0 to go on
 * training, 1 when asked to stop. */
int control_wait_runnable(Control *c);
/* Trainer side: called at the end of each epoch (consumes a pending step). */
void control_epoch_done(Control *c);
int control_is_paused(Control *c);
double control_get_lr(Control *c);
/* Trainer side: takes a pending save request (returns 1 and the path). */
int control_take_save(Control *c, char *path, size_t cap);

#endif
