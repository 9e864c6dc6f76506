/* Training from the keys and the `:` commands of a live run (n, Space,
 * :step, :run, :pause, :epochs): at the epoch limit the trainer waits, and
 * these move the limit and say so on the message line. */
#include <stdio.h>

#include "app_internal.h"

/* The last epoch the trainer finished (0 before any): its progress says so
 * at once, while that epoch's snapshot may still be on its way to the
 * store (the metrics come first), so the larger of the two. */
static size_t last_epoch(App *app)
{
    Snapshot *s = store_latest(app->cfg.store);
    size_t e = s ? s->epoch : 0;
    snapshot_release(s);
    TrainProgress p = store_get_progress(app->cfg.store);
    return p.epoch > e + 1 ? p.epoch - 1 : e;
}

int app_at_epoch_limit(App *app)
{
    size_t limit = control_get_epochs(app->cfg.control);
    return limit && store_get_progress(app->cfg.store).state == TRAIN_STATE_DONE && last_epoch(app) >= limit;
}

/* 1 (and a message) when the trainer has failed and nothing can train. */
static int training_failed(App *app)
{
    if (store_get_progress(app->cfg.store).state != TRAIN_STATE_FAILED)
        return 0;
    app_message(app, 1, "training has stopped after an error: nothing can train in this session");
    return 1;
}

void app_train_more(App *app, size_t n)
{
    if (training_failed(app))
        return;
    Control *c = app->cfg.control;
    size_t limit = control_get_epochs(c), last = last_epoch(app);
    /* Epochs already asked for count: n twice is two epochs. */
    size_t target = last + control_pending_steps(c) + n;
    int at_limit = app_at_epoch_limit(app);
    if (limit && target > limit)
        control_set_epochs(c, target);
    control_step(c, n);
    if (at_limit)
        app_message(app, 0, "the run had reached its limit of %zu epochs: training %zu more (limit now %zu; "
                            ":epochs N sets another)", limit, n, target);
    else if (limit && target > limit)
        app_message(app, 0, "training %zu epoch%s, then pausing (the limit goes from %zu to %zu)", n,
                    n == 1 ? "" : "s", limit, target);
    else if (n == 1)
        app_message(app, 0, "one epoch, then pause");
    else
        app_message(app, 0, "training %zu epochs, then pausing", n);
}

void app_train_run(App *app)
{
    if (training_failed(app))
        return;
    Control *c = app->cfg.control;
    if (app_at_epoch_limit(app)) {
        size_t limit = control_get_epochs(c);
        control_set_epochs(c, 0);
        control_run(c);
        app_message(app, 0, "running on past the limit of %zu epochs, with no limit now (:epochs N sets one, "
                            "Space pauses)", limit);
        return;
    }
    control_run(c);
    app_message(app, 0, "running");
}

void app_train_pause(App *app)
{
    if (training_failed(app))
        return;
    if (app_at_epoch_limit(app)) {
        app_message(app, 0, "nothing is training: the run is at its limit of %zu epochs (n or :epochs N trains on)",
                    control_get_epochs(app->cfg.control));
        return;
    }
    control_pause(app->cfg.control);
    app_message(app, 0, "paused");
}

Status app_set_epoch_limit(App *app, size_t n, char *msg)
{
    Control *c = app->cfg.control;
    size_t old = control_get_epochs(c), last = last_epoch(app);
    if (n && n <= last)
        return status_fail(msg, ST_EINVAL, "the run is at epoch %zu: a limit must be larger (or 0 for none)", last);
    int was_at_limit = app_at_epoch_limit(app);
    control_set_epochs(c, n);
    char was[48];
    if (old)
        snprintf(was, sizeof was, "was %zu", old);
    else
        snprintf(was, sizeof was, "there was none");
    const char *then = !was_at_limit ? "" : control_is_paused(c) ? "; paused: Space or n trains on" : "; training on";
    if (n)
        app_message(app, 0, "epoch limit %zu (%s)%s", n, was, then);
    else
        app_message(app, 0, "no epoch limit now (%s)%s", was, then);
    return ST_OK;
}
