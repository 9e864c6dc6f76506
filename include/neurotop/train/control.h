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
