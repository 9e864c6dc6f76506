#include "neurotop/train/control.h"

#include <stdio.h>
#include <string.h>

void control_init(Control *c, int paused, double lr)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->paused = paused;
    c->lr = lr;
}

void control_done(Control *c)
{
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}

void control_run(Control *c)
{
    pthread_mutex_lock(&c->mu);
    c->paused = 0;
    c->steps = 0;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

void control_pause(Control *c)
{
    pthread_mutex_lock(&c->mu);
    c->paused = 1;
    c->steps = 0;
    pthread_mutex_unlock(&c->mu);
}

int control_toggle(Control *c)
{
    pthread_mutex_lock(&c->mu);
    c->paused = !c->paused;
    c->steps = 0;
    int running = !c->paused;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return running;
}

void control_step(Control *c, size_t n)
{
    pthread_mutex_lock(&c->mu);
    c->paused = 1;
    c->steps += n;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

void control_stop(Control *c)
{
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

void control_set_lr(Control *c, double lr)
{
    pthread_mutex_lock(&c->mu);
    c->lr = lr;
    pthread_mutex_unlock(&c->mu);
}

void control_request_save(Control *c, const char *path)
{
    pthread_mutex_lock(&c->mu);
    c->save_requested = 1;
    snprintf(c->save_path, sizeof c->save_path, "%s", path ? path : "");
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

int control_wait_runnable(Control *c)
{
    pthread_mutex_lock(&c->mu);
    while (!c->stop && c->paused && c->steps == 0 && !c->save_requested)
        pthread_cond_wait(&c->cv, &c->mu);
    int stop = c->stop;
    pthread_mutex_unlock(&c->mu);
    return stop;
}

void control_epoch_done(Control *c)
{
    pthread_mutex_lock(&c->mu);
    if (c->paused && c->steps > 0)
        c->steps--;
    pthread_mutex_unlock(&c->mu);
}

int control_is_paused(Control *c)
{
    pthread_mutex_lock(&c->mu);
    int p = c->paused && c->steps == 0;
    pthread_mutex_unlock(&c->mu);
    return p;
}

double control_get_lr(Control *c)
{
    pthread_mutex_lock(&c->mu);
    double lr = c->lr;
    pthread_mutex_unlock(&c->mu);
    return lr;
}

int control_take_save(Control *c, char *path, size_t cap)
{
    pthread_mutex_lock(&c->mu);
    int req = c->save_requested;
    if (req) {
        snprintf(path, cap, "%s", c->save_path);
        c->save_requested = 0;
    }
    pthread_mutex_unlock(&c->mu);
    return req;
}

void control_set_epochs(Control *c, size_t epochs)
{
    pthread_mutex_lock(&c->mu);
    c->epochs = epochs;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

size_t control_get_epochs(Control *c)
{
    pthread_mutex_lock(&c->mu);
    size_t e = c->epochs;
    pthread_mutex_unlock(&c->mu);
    return e;
}

int control_wait_more(Control *c, size_t epoch)
{
    pthread_mutex_lock(&c->mu);
    while (!c->stop && !c->save_requested && c->epochs && c->epochs <= epoch)
        pthread_cond_wait(&c->cv, &c->mu);
    int stop = c->stop;
    pthread_mutex_unlock(&c->mu);
    return stop;
}

size_t control_pending_steps(Control *c)
{
    pthread_mutex_lock(&c->mu);
    size_t n = c->paused ? c->steps : 0;
    pthread_mutex_unlock(&c->mu);
    return n;
}
