/* Browsing epochs: ←/→ move through the recorded epochs while training goes
 * on, Home/End jump to the first / back to live. The panes draw the chosen
 * epoch's snapshot and the plots mark it with a cursor. */
#include <math.h>
#include <stdio.h>

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
    if (index + 1 >= t->n) {
        app->browsing = 0;
        app_message(app, 0, "live");
    } else {
        app->browsing = 1;
        app->view_epoch = (size_t)t->epoch[index];
    }
    app->view_version = 0; /* force a refresh */
    app->dirty = 1;
}

int app_browse_key(App *app, TuiKey k)
{
    size_t i = shown_index(app);
    switch (k.code) {
    case TUI_KEY_LEFT:
        if (app->series.n)
            go_to(app, i > 0 ? i - 1 : 0);
        return 1;
    case TUI_KEY_RIGHT:
        if (!app->browsing)
            return 0; /* at the live edge → trains one epoch */
        go_to(app, i + 1);
        return 1;
    case TUI_KEY_HOME:
        go_to(app, 0);
        return 1;
    case TUI_KEY_END:
        go_to(app, app->series.n ? app->series.n - 1 : 0);
        return 1;
    default:
        return 0;
    }
}

void app_browse_refresh(App *app)
{
    snapshot_release(app->snap);
    app->snap = NULL;
    app->view_problem[0] = '\0';
    if (!app->browsing) {
        app->snap = store_latest(app->cfg.store);
        return;
    }
    app->snap = store_at_epoch(app->cfg.store, app->view_epoch);
    if (!app->snap)
        snprintf(app->view_problem, sizeof app->view_problem,
                 "epoch %zu's weights are no longer in memory", app->view_epoch);
}
