/* Browsing epochs: ←/→ move through the recorded epochs while training goes
 * on, Home/End jump to the first / back to live; in replay mode the same keys
 * (and p/n) walk a recorded run and Space plays it. The panes draw the chosen
 * epoch's snapshot and the plots mark it with a cursor. Snapshots no longer
 * in memory are reloaded from the run directory (run/replay.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app_internal.h"

/* Index of the shown epoch in the series (the last one when live). */
static size_t shown_index(const App *app)
{
    const SeriesTable *t = &app->series;
    if (!app->browsing || t->n == 0)
        return t->n ? t->n - 1 : 0;
    for (size_t i = 0; i < t->n; i++)
        if ((size_t)t->epoch[i] >= app->view_epoch)
            return i;
    return t->n - 1;
}

static void go_to(App *app, size_t index)
{
    const SeriesTable *t = &app->series;
    if (t->n == 0)
        return;
    if (index >= t->n)
        index = t->n - 1;
    if (index + 1 == t->n && !app->cfg.replay) {
        app->browsing = 0;
        app_message(app, 0, "live");
    } else {
        app->browsing = 1;
        app->view_epoch = (size_t)t->epoch[index];
    }
    app->view_stale = 1;
    app->dirty = 1;
}

void app_view_sync(App *app)
{
    if (!app->view_stale)
        return;
    app->view_stale = 0;
    app_browse_refresh(app);
}

void app_goto_epoch(App *app, size_t epoch)
{
    const SeriesTable *t = &app->series;
    size_t i = 0;
    while (i + 1 < t->n && (size_t)t->epoch[i] < epoch)
        i++;
    go_to(app, i);
}

int app_browse_key(App *app, TuiKey k)
{
    size_t i = shown_index(app);
    int replay = app->cfg.replay != NULL;
    int back = k.code == TUI_KEY_LEFT || (replay && k.code == TUI_KEY_CHAR && k.ch == 'p');
    int fwd = k.code == TUI_KEY_RIGHT || (replay && k.code == TUI_KEY_CHAR && k.ch == 'n');
    if (back) {
        app->playing = 0;
        if (app->series.n)
            go_to(app, i > 0 ? i - 1 : 0);
        return 1;
    }
    if (fwd) {
        if (!app->browsing)
            return 0; /* at the live edge → trains one epoch */
        app->playing = 0;
        go_to(app, i + 1);
        return 1;
    }
    if (k.code == TUI_KEY_HOME) {
        go_to(app, 0);
        return 1;
    }
    if (k.code == TUI_KEY_END) {
        go_to(app, app->series.n ? app->series.n - 1 : 0);
        return 1;
    }
    if (replay && k.code == TUI_KEY_CHAR && k.ch == ' ') {
        app->playing = !app->playing;
        if (app->playing && i + 1 >= app->series.n)
            go_to(app, 0); /* at the end: play from the start */
        app->next_play = 0;
        app_message(app, 0, app->playing ? "playing at %g epochs/s (:speed X)" : "stopped", app->play_speed);
        return 1;
    }
    return 0;
}

double app_play_tick(App *app, double now)
{
    if (!app->playing)
        return 1e9;
    if (now >= app->next_play) {
        size_t i = shown_index(app);
        if (i + 1 >= app->series.n) {
            app->playing = 0;
            app_message(app, 0, "end of the run");
            return 1e9;
        }
        go_to(app, i + 1);
        app->next_play = now + 1.0 / app->play_speed;
    }
    return app->next_play - now;
}

static void load_from(App *app, Replay *r)
{
    char msg[STATUS_MSG_LEN] = "";
    size_t e = app->view_epoch;
    ReplayProblem prob;
    if (replay_snapshot_problem(r, e, &prob)) {
        snprintf(app->view_problem, sizeof app->view_problem, "%s", prob.text);
        return;
    }
    /* A run that saved weights every k epochs: show the nearest earlier ones
     * and say so, rather than nothing. */
    if (!replay_has_snapshot(r, e)) {
        size_t before = replay_step_snapshot(r, e, -1);
        if (before != e && replay_has_snapshot(r, before) && replay_snapshot(r, before, &app->snap, msg) == ST_OK) {
            snprintf(app->view_problem, sizeof app->view_problem,
                     "weights and activations from epoch %zu: no snapshot was saved for epoch %zu", before, e);
            return;
        }
    }
    if (replay_snapshot(r, app->view_epoch, &app->snap, msg)) {
        app->snap = NULL;
        snprintf(app->view_problem, sizeof app->view_problem, "%s", msg);
    }
}

void app_browse_refresh(App *app)
{
    snapshot_release(app->snap);
    app->snap = NULL;
    app->view_problem[0] = '\0';
    if (app->cfg.replay) {
        SeriesTable fresh;
        if (replay_copy_series(app->cfg.replay, &fresh) == ST_OK) {
            series_done(&app->series);
            app->series = fresh;
        }
        if (!app->browsing && app->series.n) {
            app->browsing = 1;
            app->view_epoch = (size_t)app->series.epoch[0];
        }
        if (app->browsing)
            load_from(app, app->cfg.replay);
        return;
    }
    if (!app->browsing) {
        app->snap = store_latest(app->cfg.store);
        return;
    }
    app->snap = store_at_epoch(app->cfg.store, app->view_epoch);
    if (app->snap)
        return;
    Replay *r = epoch_lookup_replay(app->epochs, NULL);
    if (r) {
        replay_refresh(r, NULL);
        load_from(app, r);
    } else {
        snprintf(app->view_problem, sizeof app->view_problem,
                 "epoch %zu's weights are no longer in memory and this run keeps no snapshot files",
                 app->view_epoch);
    }
}
