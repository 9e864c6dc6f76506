#include "neurotop/tui/app.h"

#include <locale.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_internal.h"
#include "neurotop/core/sanitize.h"
#include "neurotop/model/model.h"
#include "neurotop/tui/commands.h"

/* At most 20 frames a second. */
#define FRAME_SECONDS 0.05

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void app_message(App *app, int is_error, const char *fmt, ...)
{
    char raw[sizeof app->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    text_sanitize(raw, app->message, sizeof app->message); /* may quote a file or a lesson */
    app->message_error = is_error;
    app->dirty = 1;
}

Status app_set_theme(App *app, const char *name, char *msg)
{
    Theme t;
    Status st = theme_load_named(name, &t, msg);
    if (st)
        return st;
    app->theme = t;
    if (app->screen)
        screen_set_theme(app->screen, &app->theme);
    app->dirty = 1;
    return ST_OK;
}

/* ---- the view ----------------------------------------------------------- */

static void refresh_view(App *app)
{
    unsigned long v = store_version(app->cfg.store);
    if (v == app->view_version && !app->view_stale && app->series.n)
        return;
    app->view_version = v;
    app->view_stale = 0;
    SeriesTable fresh;
    if (store_copy_series(app->cfg.store, &fresh) == ST_OK) {
        series_done(&app->series);
        app->series = fresh;
    }
    app_browse_refresh(app);
    char buf[256];
    unsigned long serial = store_last_message(app->cfg.store, buf, sizeof buf);
    if (serial != app->store_message_serial) {
        app->store_message_serial = serial;
        app_message(app, strstr(buf, "failed") != NULL || strstr(buf, "stopped") != NULL, "%s", buf);
    }
}

/* ---- drawing ------------------------------------------------------------ */

static void format_rate(double r, char *buf, size_t cap)
{
    if (!isfinite(r) || r <= 0)
        snprintf(buf, cap, "-");
    else if (r >= 1000)
        snprintf(buf, cap, "%.1fk", r / 1000.0);
    else
        snprintf(buf, cap, "%.0f", r);
}

/* The rest of the status line from column x: parts that do not fit are
 * dropped whole from the end (the least needed come last). */
static void status_tail(Canvas *c, Rect r, int x, const char *tail)
{
    char shown[1400];
    canvas_shorten_parts(tail, " │ ", r.x + r.w - x, shown, sizeof shown);
    canvas_text(c, r, x, r.y, shown, ROLE_STATUS);
}

static void draw_status(App *app, Rect r)
{
    Canvas *c = app->canvas;
    canvas_fill(c, r, ' ', ROLE_STATUS);
    TrainProgress p = store_get_progress(app->cfg.store);
    const char *state = "PAUSED";
    Role state_role = ROLE_STATUS_PAUSED;
    if (p.state == TRAIN_STATE_RUNNING && !control_is_paused(app->cfg.control)) {
        state = "RUNNING";
        state_role = ROLE_STATUS_RUNNING;
    } else if (p.state == TRAIN_STATE_DONE) {
        state = "DONE";
    } else if (p.state == TRAIN_STATE_FAILED) {
        state = "FAILED";
        state_role = ROLE_ERROR;
    }
    if (app->cfg.replay) {
        state = app->playing ? "PLAYING" : "REPLAY";
        state_role = app->playing ? ROLE_STATUS_RUNNING : ROLE_STATUS_PAUSED;
        size_t last = app->series.n ? (size_t)app->series.epoch[app->series.n - 1] : 0;
        int x = canvas_printf(c, r, r.x, r.y, state_role, " %s ", state);
        char tail[1400], phase[64] = "", sep[8] = "";
        /* The RBM that trained the epoch shown (a DBN). */
        if (app->snap && model_phase(&app->snap->config, app->view_epoch ? app->view_epoch - 1 : 0, phase,
                                     sizeof phase))
            snprintf(sep, sizeof sep, " │ ");
        snprintf(tail, sizeof tail, " epoch %zu of %zu%s%s │ %s │ %s │ seed %llu │ %s", app->view_epoch, last, sep,
                 phase, app->cfg.model, app->cfg.data, (unsigned long long)app->cfg.seed, replay_dir(app->cfg.replay));
        status_tail(c, r, x, tail);
        return;
    }
    int x = canvas_printf(c, r, r.x, r.y, state_role, " %s ", state);
    if (app->browsing)
        x = canvas_printf(c, r, x, r.y, ROLE_PAST_MARKER, " ◀ PAST: epoch %zu (End: live) ", app->view_epoch);
    char rate[32];
    /* Between epochs the live rate is 0: show the last epoch's instead. */
    double r_now = p.examples_per_sec;
    if (!(r_now > 0) && app->snap)
        r_now = snapshot_metric(app->snap, "examples_per_sec");
    format_rate(r_now, rate, sizeof rate);
    size_t shown = app->series.n ? (size_t)app->series.epoch[app->series.n - 1] : 0;
    char epoch[64];
    if (p.epochs_total)
        snprintf(epoch, sizeof epoch, "epoch %zu/%zu", shown, p.epochs_total);
    else
        snprintf(epoch, sizeof epoch, "epoch %zu", shown);
    double frac = p.epoch_size ? (double)p.done_in_epoch / (double)p.epoch_size : 0.0;
    x = canvas_printf(c, r, x, r.y, ROLE_STATUS, " %s", epoch);
    if (p.state == TRAIN_STATE_RUNNING || p.done_in_epoch > 0)
        x = canvas_printf(c, r, x, r.y, ROLE_STATUS, " (+%.0f%%)", 100.0 * frac);
    /* What trains now, when the kind says (a DBN: "RBM 2/2 200-200"). */
    char phase[64];
    if (app->snap && model_phase(&app->snap->config, p.epoch ? p.epoch - 1 : 0, phase, sizeof phase))
        x = canvas_printf(c, r, x, r.y, ROLE_STATUS, " │ %s", phase);
    char tail[512];
    snprintf(tail, sizeof tail, " │ %s │ lr %g │ %s ex/s │ %s │ seed %llu", app->cfg.model,
             control_get_lr(app->cfg.control), rate, app->cfg.data, (unsigned long long)app->cfg.seed);
    status_tail(c, r, x, tail);
}

/* A message on the bottom row; a longer one wraps at spaces onto the rows
 * above it (over the panes' bottom), never cut mid-word. */
static void draw_message(Canvas *c, Rect r, const char *text, Role role)
{
    int rows = canvas_text_wrapped(c, r, r.x, r.y, r.w, 0, text, role);
    int room = r.y > 1 ? r.y - 1 : 0;
    if (rows > room + 1)
        rows = room + 1;
    Rect area = rect_make(r.x, r.y - rows + 1, r.w, rows);
    canvas_fill(c, area, ' ', role);
    canvas_text_wrapped(c, area, area.x, area.y, r.w, rows, text, role);
}

static void draw_bottom(App *app, Rect r)
{
    Canvas *c = app->canvas;
    if (app->editing) {
        int cx = -1;
        const char *hint = lineedit_hint(app->cmd);
        lineedit_render(app->cmd, c, r, ":", ROLE_CMDLINE, &cx);
        if (hint[0] && r.y > 1) {
            /* The candidates wrap onto as many rows above the line as they need. */
            int rows = canvas_text_wrapped(c, r, r.x, r.y, r.w, 0, hint, ROLE_HINT);
            rows = rows < r.y - 1 ? rows : r.y - 1;
            Rect above = rect_make(r.x, r.y - rows, r.w, rows);
            canvas_fill(c, above, ' ', ROLE_HINT);
            canvas_text_wrapped(c, above, above.x, above.y, r.w, rows, hint, ROLE_HINT);
        }
        screen_set_cursor(app->screen, cx, r.y);
        return;
    }
    screen_set_cursor(app->screen, -1, 0);
    /* A running job's progress wins over everything but an error. */
    if (!(app->message[0] && app->message_error) && app_draw_job_progress(app, r))
        return;
    if (app->message[0]) {
        draw_message(c, r, app->message, app->message_error ? ROLE_ERROR : ROLE_HIGHLIGHT);
        return;
    }
    if (app->view_problem[0]) {
        draw_message(c, r, app->view_problem, ROLE_WARNING);
        return;
    }
    char hint[256];
    tui_keys_hint(app->cfg.replay != NULL, r.w, hint, sizeof hint);
    canvas_text(c, r, r.x, r.y, hint, ROLE_HINT);
}

const char *app_run_dir(const App *app)
{
    return app->cfg.rundir ? rundir_path(app->cfg.rundir) : app->cfg.replay ? replay_dir(app->cfg.replay) : NULL;
}

PaneView app_pane_view(const App *app)
{
    return (PaneView){.snap = app->snap, .series = &app->series,
                      .progress = store_get_progress(app->cfg.store),
                      .cursor_x = app->browsing ? (double)app->view_epoch : NAN,
                      .run_dir = app_run_dir(app)};
}

static void draw_panes(App *app, const Layout *lay)
{
    PaneView view = app_pane_view(app);
    for (size_t i = 0; i < app->n_panes; i++) {
        Rect r = lay->pane[i];
        if (rect_is_empty(r))
            continue;
        const PaneOps *ops = app->panes[i].ops;
        char title[PANE_TITLE_LEN];
        snprintf(title, sizeof title, "%s", ops->title);
        /* Draw the contents first so the pane can rename its frame. */
        Rect inner = rect_inset(r, 1);
        ops->draw(app->panes[i].state, &view, app->canvas, inner, title, sizeof title);
        int focused = i == app->focus;
        canvas_box(app->canvas, r, title, focused ? ROLE_BORDER_FOCUS : ROLE_BORDER, ROLE_TITLE);
    }
}

/* Terminals below this keep only the core panes in the grid. */
#define APP_SMALL_W 100
#define APP_SMALL_H 28

static void pane_layout(const App *app, size_t i, LayoutPane *lp)
{
    lp->min_w = app->panes[i].ops->min_w;
    lp->min_h = app->panes[i].ops->min_h;
    lp->weight = app->panes[i].ops->weight;
}

/* On a small terminal the optional panes leave the grid so the core ones
 * stay readable; Tab still reaches them, and a focused optional pane is
 * shown alone. lay->pane stays indexed by the app's pane order. */
static void layout_now(App *app, int w, int h, Layout *lay)
{
    LayoutPane lp[APP_MAX_PANES];
    size_t idx[APP_MAX_PANES], n = 0;
    int small = w < APP_SMALL_W || h < APP_SMALL_H;
    for (size_t i = 0; i < app->n_panes; i++)
        if (!small || !app->panes[i].ops->optional)
            idx[n++] = i;
    if (n == app->n_panes || n == 0) {
        for (size_t i = 0; i < app->n_panes; i++)
            pane_layout(app, i, &lp[i]);
        layout_compute(w, h, lp, app->n_panes, app->focus, app->zoomed, lay);
        return;
    }
    Layout sub;
    if (app->panes[app->focus].ops->optional) {
        pane_layout(app, app->focus, &lp[0]);
        layout_compute(w, h, lp, 1, 0, 1, &sub);
    } else {
        size_t focus = 0;
        for (size_t k = 0; k < n; k++) {
            pane_layout(app, idx[k], &lp[k]);
            if (idx[k] == app->focus)
                focus = k;
        }
        layout_compute(w, h, lp, n, focus, app->zoomed, &sub);
    }
    *lay = sub;
    for (size_t i = 0; i < LAYOUT_MAX_PANES; i++)
        lay->pane[i] = rect_make(0, 0, 0, 0);
    if (app->panes[app->focus].ops->optional)
        lay->pane[app->focus] = sub.pane[0];
    else
        for (size_t k = 0; k < n; k++)
            lay->pane[idx[k]] = sub.pane[k];
    lay->n = app->n_panes;
}

static void draw(App *app)
{
    int w, h;
    screen_size(app->screen, &w, &h);
    if (app->canvas->w != w || app->canvas->h != h) {
        if (canvas_resize(app->canvas, w, h, NULL))
            return;
    }
    canvas_clear(app->canvas);
    canvas_set_colors(app->canvas, screen_colors(app->screen));
    refresh_view(app);
    Layout lay;
    layout_now(app, w, h, &lay);
    if (lay.mode == LAYOUT_TOO_SMALL) {
        char line[128];
        layout_too_small_message(&lay, w, h, line, sizeof line);
        /* Wrapped, so even a very narrow terminal says the size it needs. */
        canvas_text_wrapped(app->canvas, canvas_rect(app->canvas), 0, 0, w, h, line, ROLE_WARNING);
        screen_set_cursor(app->screen, -1, 0);
    } else {
        draw_status(app, lay.status);
        draw_panes(app, &lay);
        if (app->result_visible && app->result)
            app_draw_result(app, lay.body);
        app_draw_lesson(app, lay.body);
        if (app->help_visible)
            app_draw_help(app, lay.body);
        draw_bottom(app, lay.cmdline);
    }
    screen_blit(app->screen, app->canvas);
    app->dirty = 0;
}

/* ---- keys --------------------------------------------------------------- */

static void pane_key(App *app, TuiKey k)
{
    PaneView view = app_pane_view(app);
    /* The focused pane first, then the others (so [ and ] reach the
     * receptive-field pane wherever the focus is). */
    for (size_t pass = 0; pass < app->n_panes; pass++) {
        size_t i = (app->focus + pass) % app->n_panes;
        const PaneOps *ops = app->panes[i].ops;
        if (!ops->handle_key)
            continue;
        int r = ops->handle_key(app->panes[i].state, k, &view);
        if (r & PANE_REDRAW)
            app->dirty = 1;
        if (r & PANE_HANDLED)
            return;
    }
}

static void step_one(App *app)
{
    app_train_more(app, 1);
}

static void handle_key(App *app, TuiKey k)
{
    app->dirty = 1;
    if (k.code == TUI_KEY_RESIZE) {
        screen_invalidate(app->screen);
        return;
    }
    if (app->editing) {
        LineEditResult r = lineedit_key(app->cmd, k);
        if (r == LINEEDIT_ACCEPT) {
            app->editing = 0;
            app->message[0] = '\0';
            app_run_command(app, lineedit_text(app->cmd));
        } else if (r == LINEEDIT_CANCEL) {
            app->editing = 0;
        }
        return;
    }
    if (app->help_visible) {
        /* A page is the screen less the box's frame; help.c keeps the
         * scroll within the text. */
        int page = app->canvas && canvas_rect(app->canvas).h > 6 ? canvas_rect(app->canvas).h - 5 : 1;
        if (k.code == TUI_KEY_DOWN || (k.code == TUI_KEY_CHAR && k.ch == 'j'))
            app->help_scroll++;
        else if (k.code == TUI_KEY_PAGE_DOWN)
            app->help_scroll += page;
        else if (k.code == TUI_KEY_UP || (k.code == TUI_KEY_CHAR && k.ch == 'k')) {
            if (app->help_scroll > 0)
                app->help_scroll--;
        } else if (k.code == TUI_KEY_PAGE_UP) {
            app->help_scroll = app->help_scroll > page ? app->help_scroll - page : 0;
        } else if (k.code == TUI_KEY_CHAR && k.ch == 'q') {
            app->quit = 1;
        } else {
            app->help_visible = 0;
        }
        return;
    }
    if (app_lesson_scroll_key(app, k))
        return;
    if (app->result_visible) {
        if (k.code == TUI_KEY_DOWN || k.code == TUI_KEY_PAGE_DOWN || (k.code == TUI_KEY_CHAR && k.ch == 'j')) {
            app->result_scroll++;
            return;
        }
        if (k.code == TUI_KEY_UP || k.code == TUI_KEY_PAGE_UP || (k.code == TUI_KEY_CHAR && k.ch == 'k')) {
            if (app->result_scroll > 0)
                app->result_scroll--;
            return;
        }
        if (k.code == TUI_KEY_ESC || (k.code == TUI_KEY_CHAR && (k.ch == 'r' || k.ch == 'q'))) {
            app->result_visible = 0;
            return;
        }
        if (k.code == TUI_KEY_CHAR && (k.ch == 'a' || k.ch == 'd' || k.ch == 'w' || k.ch == 's')) {
            const double step = 0.2617993877991494; /* 15 degrees */
            if (k.ch == 'a' || k.ch == 'd')
                app->view_yaw += k.ch == 'd' ? step : -step;
            else
                app->view_pitch += k.ch == 'w' ? step : -step;
            app_message(app, 0, "3-D view: yaw %.0f°, pitch %.0f°", app->view_yaw * 57.29577951308232,
                        app->view_pitch * 57.29577951308232);
            return;
        }
    }
    app->message[0] = '\0';
    if (app_lesson_key(app, k))
        return;
    if (app->cfg.replay && app_browse_key(app, k))
        return;
    switch (k.code) {
    case TUI_KEY_CHAR:
        switch (k.ch) {
        case 'q': app->quit = 1; return;
        case 'r':
            if (app->result)
                app->result_visible = 1;
            else
                app_message(app, 0, "no analysis result yet: try :louvain");
            return;
        case ' ':
            if (control_is_paused(app->cfg.control) || app_at_epoch_limit(app))
                app_train_run(app);
            else
                app_train_pause(app);
            return;
        case 'n': step_one(app); return;
        case ':':
            app->editing = 1;
            lineedit_start(app->cmd, NULL);
            return;
        case '?': app->help_visible = 1; app->help_scroll = 0; return;
        case 'z': app->zoomed = !app->zoomed; return;
        default: break;
        }
        break;
    case TUI_KEY_LEFT:
    case TUI_KEY_HOME:
    case TUI_KEY_END:
        app_browse_key(app, k);
        return;
    case TUI_KEY_RIGHT:
        if (!app_browse_key(app, k))
            step_one(app);
        return;
    case TUI_KEY_TAB: app->focus = (app->focus + 1) % app->n_panes; return;
    case TUI_KEY_BACKTAB: app->focus = (app->focus + app->n_panes - 1) % app->n_panes; return;
    case TUI_KEY_ESC:
        if (jobrunner_state(app->jobs, NULL, NULL, NULL, 0) == JOB_RUNNING) {
            jobrunner_cancel(app->jobs);
            app_message(app, 0, "cancelling…");
        } else {
            app->zoomed = 0;
        }
        return;
    case TUI_KEY_CTRL:
        if (k.ch == 'l')
            screen_invalidate(app->screen);
        else if (k.ch == 'c')
            app->quit = 1;
        return;
    default: break;
    }
    pane_key(app, k);
}

/* ---- life cycle --------------------------------------------------------- */

static void app_cleanup(App *app)
{
    jobrunner_free(app->jobs);
    epoch_lookup_free(app->epochs);
    job_result_free(app->result);
    free(app->partition);
    for (size_t i = 0; i < app->n_panes; i++)
        if (app->panes[i].ops->destroy)
            app->panes[i].ops->destroy(app->panes[i].state);
    if (app->cmd && app->history_path[0])
        lineedit_history_save(app->cmd, app->history_path, NULL);
    lineedit_free(app->cmd);
    canvas_free(app->canvas);
    screen_close(app->screen);
    snapshot_release(app->snap);
    series_done(&app->series);
}

static Status app_init(App *app, const AppConfig *cfg, char *msg)
{
    memset(app, 0, sizeof *app);
    app->cfg = *cfg;
    app->play_speed = 2.0;
    app->lesson_step = -1;
    series_init(&app->series);
    Status st = theme_load_named(cfg->theme ? cfg->theme : "default", &app->theme, msg);
    if (st)
        return st;
    /* The model kind is the first word of the status line's model ("dbn 784-200-200"). */
    char kind[32] = "";
    if (cfg->model)
        snprintf(kind, sizeof kind, "%.*s", (int)strcspn(cfg->model, " "), cfg->model);
    for (size_t i = 0; i < pane_registry_count && app->n_panes < APP_MAX_PANES; i++) {
        const PaneOps *ops = pane_registry[i];
        if (ops->wanted && !ops->wanted(app_run_dir(app), kind[0] ? kind : NULL))
            continue;
        PaneSlot *slot = &app->panes[app->n_panes];
        slot->ops = ops;
        if (ops->create && (st = ops->create(&slot->state, msg)))
            return st;
        app->n_panes++;
    }
    if ((st = jobrunner_new(cfg->store, &app->jobs, msg)))
        return st;
    if ((st = epoch_lookup_new(cfg->store, cfg->replay, cfg->rundir ? rundir_path(cfg->rundir) : NULL,
                               cfg->dataset, cfg->n_probe, &app->epochs, msg)))
        return st;
    app->cmd = lineedit_new(500);
    if (!app->cmd)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    lineedit_set_completer(app->cmd, app_complete, app);
    if (lineedit_history_default_path(app->history_path, sizeof app->history_path, NULL) == ST_OK)
        lineedit_history_load(app->cmd, app->history_path, NULL);
    else
        app->history_path[0] = '\0';
    if ((st = screen_open(NULL, NULL, NULL, &app->theme, &app->screen, msg)))
        return st;
    int w, h;
    screen_size(app->screen, &w, &h);
    return canvas_new(w, h, canvas_locale_is_utf8(), &app->canvas, msg);
}

Status app_run(const AppConfig *cfg, char *msg)
{
    App app;
    Status st = app_init(&app, cfg, msg);
    if (st) {
        app_cleanup(&app);
        return st;
    }
    app.dirty = 1;
    double last_draw = 0.0;
    while (!app.quit) {
        if (cfg->stop_requested && cfg->stop_requested())
            break;
        double now = now_seconds();
        if (app.dirty && now - last_draw >= FRAME_SECONDS) {
            draw(&app);
            last_draw = now;
        }
        double play_wait = app_play_tick(&app, now_seconds());
        int timeout = play_wait < 0.5 ? (int)(play_wait * 1000.0) + 1 : 500;
        if (app.dirty) {
            double wait = FRAME_SECONDS - (now_seconds() - last_draw);
            timeout = wait > 0 ? (int)(wait * 1000.0) + 1 : 0;
        }
        struct pollfd fds[2] = {
            {.fd = screen_input_fd(app.screen), .events = POLLIN},
            {.fd = store_wake_fd(cfg->store), .events = POLLIN},
        };
        poll(fds, 2, timeout);
        if (fds[1].revents & POLLIN) {
            store_drain_wake(cfg->store);
            if (store_version(cfg->store) != app.view_version)
                app.dirty = 1;
            app_collect_result(&app);
            /* Job progress changes the bottom line. */
            if (jobrunner_state(app.jobs, NULL, NULL, NULL, 0) != JOB_IDLE)
                app.dirty = 1;
        }
        for (;;) {
            TuiKey k = screen_read_key(app.screen);
            if (k.code == TUI_KEY_NONE)
                break;
            handle_key(&app, k);
            if (app.quit)
                break;
        }
    }
    app_cleanup(&app);
    return ST_OK;
}
