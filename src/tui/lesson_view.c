/* Walking a lesson (replay --lesson FILE): Enter applies the next step — its
 * epoch, the pane to zoom and the `:` command — and a box at the bottom of
 * the screen shows the step's sentences; Backspace goes back a step. */
#include <stdio.h>
#include <string.h>

#include "app_internal.h"
#include "neurotop/core/utf8.h"

static void apply_step(App *app, long i)
{
    const Lesson *l = app->cfg.lesson;
    app->lesson_step = i;
    const LessonStep *s = &l->steps[i];
    /* Steps without an epoch keep the one before; walking back must find it. */
    size_t epoch = s->epoch;
    for (long j = i; j >= 0 && !l->steps[j].epoch_given; j--)
        epoch = j > 0 ? l->steps[j - 1].epoch : 0;
    app_goto_epoch(app, epoch == LESSON_LAST_EPOCH ? (size_t)-1 : epoch);
    /* The command must see this step's epoch, not the one drawn last. */
    app_view_sync(app);
    if (s->zoom[0]) {
        if (strcmp(s->zoom, "none") == 0) {
            app->zoomed = 0;
        } else {
            for (size_t p = 0; p < app->n_panes; p++)
                if (strcmp(app->panes[p].ops->name, s->zoom) == 0) {
                    app->focus = p;
                    app->zoomed = 1;
                }
        }
    }
    app->result_visible = 0;
    app->lesson_pending[0] = '\0';
    if (s->command[0]) {
        const char *cmd = s->command[0] == ':' ? s->command + 1 : s->command;
        /* The class has moved on: the previous step's job gives way. */
        if (jobrunner_state(app->jobs, NULL, NULL, NULL, 0) == JOB_RUNNING) {
            jobrunner_cancel(app->jobs);
            snprintf(app->lesson_pending, sizeof app->lesson_pending, "%s", cmd);
            app_message(app, 0, "stopping the previous step's analysis first…");
        } else {
            app_run_command(app, cmd);
        }
    }
    app->dirty = 1;
}

void app_lesson_run_pending(App *app)
{
    if (!app->lesson_pending[0] || jobrunner_state(app->jobs, NULL, NULL, NULL, 0) == JOB_RUNNING)
        return;
    char cmd[sizeof app->lesson_pending];
    memcpy(cmd, app->lesson_pending, sizeof cmd);
    app->lesson_pending[0] = '\0';
    app_run_command(app, cmd);
}

int app_lesson_key(App *app, TuiKey k)
{
    const Lesson *l = app->cfg.lesson;
    if (!l || l->n_steps == 0)
        return 0;
    if (k.code == TUI_KEY_ENTER) {
        if (app->lesson_step + 1 < (long)l->n_steps)
            apply_step(app, app->lesson_step + 1);
        else
            app_message(app, 0, "that was the last step of the lesson");
        return 1;
    }
    if (k.code == TUI_KEY_BACKSPACE) {
        if (app->lesson_step > 0)
            apply_step(app, app->lesson_step - 1);
        return 1;
    }
    return 0;
}

/* Word-wraps text into the rect; returns the rows used. */
static int wrap(Canvas *c, Rect r, const char *text, Role role)
{
    int y = r.y;
    const char *p = text;
    while (*p && y < r.y + r.h) {
        int width = 0;
        const char *line = p, *cut = NULL, *q = p;
        while (*q && width < r.w) {
            if (*q == ' ')
                cut = q;
            /* count code points, not bytes */
            if (!utf8_is_cont((unsigned char)*q))
                width++;
            q++;
        }
        const char *end = !*q ? q : (cut && cut > line ? cut : q);
        char buf[1024];
        size_t n = (size_t)(end - line) < sizeof buf - 1 ? (size_t)(end - line) : sizeof buf - 1;
        memcpy(buf, line, n);
        buf[n] = '\0';
        canvas_text(c, r, r.x, y++, buf, role);
        p = *end == ' ' ? end + 1 : end;
    }
    return y - r.y;
}

void app_draw_lesson(App *app, Rect body)
{
    const Lesson *l = app->cfg.lesson;
    if (!l || l->n_steps == 0)
        return;
    Canvas *c = app->canvas;
    int h = body.h >= 14 ? 6 : 4;
    Rect box = rect_make(body.x, body.y + body.h - h, body.w, h);
    canvas_fill(c, box, ' ', ROLE_HELP);
    char title[96];
    if (app->lesson_step < 0)
        snprintf(title, sizeof title, "Lesson · %zu steps · Enter starts", l->n_steps);
    else
        snprintf(title, sizeof title, "Lesson · step %ld of %zu · Enter next, Backspace back", app->lesson_step + 1,
                 l->n_steps);
    Rect in = canvas_box(c, box, title, ROLE_BORDER_FOCUS, ROLE_TITLE);
    if (app->lesson_step < 0)
        wrap(c, in, "Press Enter for the first step.", ROLE_HINT);
    else
        wrap(c, in, l->steps[app->lesson_step].text, ROLE_HELP);
}
