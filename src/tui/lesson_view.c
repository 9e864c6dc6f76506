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
    app->lesson_scroll = 0;
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

/* Word-wraps text to width w: calls line(ctx, row, text, n) for every
 * row (line may be NULL to count) and returns the number of rows. */
static int wrap_rows(const char *text, int w, void (*line)(void *ctx, int row, const char *s, size_t n), void *ctx)
{
    int rows = 0;
    const char *p = text;
    if (w < 1)
        return 0;
    while (*p) {
        int width = 0;
        const char *start = p, *cut = NULL, *q = p;
        while (*q && width < w) {
            if (*q == ' ')
                cut = q;
            /* count code points, not bytes */
            if (!utf8_is_cont((unsigned char)*q))
                width++;
            q++;
        }
        while (*q && utf8_is_cont((unsigned char)*q))
            q++;
        const char *end = !*q || *q == ' ' ? q : (cut && cut > start ? cut : q);
        if (line)
            line(ctx, rows, start, (size_t)(end - start));
        rows++;
        p = *end == ' ' ? end + 1 : end;
    }
    return rows;
}

typedef struct {
    Canvas *c;
    Rect r;
    int first; /* the first row shown */
    Role role;
} WrapDraw;

static void draw_row(void *ctx, int row, const char *s, size_t n)
{
    WrapDraw *d = ctx;
    int y = row - d->first;
    if (y < 0 || y >= d->r.h)
        return;
    char buf[1024];
    if (n > sizeof buf - 1)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    canvas_text(d->c, d->r, d->r.x, d->r.y + y, buf, d->role);
}

/* The box: as tall as the text needs, between 4 (6 on tall screens) rows
 * and a third of the body; longer texts scroll (PgDn/PgUp). */
static Rect lesson_box(Rect body, const char *text, int *rows)
{
    int min_h = body.h >= 14 ? 6 : 4;
    int max_h = body.h / 3 > min_h ? body.h / 3 : min_h;
    *rows = wrap_rows(text, body.w - 2, NULL, NULL);
    int h = *rows + 2 < min_h ? min_h : *rows + 2 > max_h ? max_h : *rows + 2;
    return rect_make(body.x, body.y + body.h - h, body.w, h);
}

static const char *step_text(const App *app)
{
    return app->lesson_step < 0 ? "Press Enter for the first step." : app->cfg.lesson->steps[app->lesson_step].text;
}

int app_lesson_scroll_key(App *app, TuiKey k)
{
    const Lesson *l = app->cfg.lesson;
    if (!l || l->n_steps == 0 || (k.code != TUI_KEY_PAGE_DOWN && k.code != TUI_KEY_PAGE_UP))
        return 0;
    /* The sizes of the box as last drawn. */
    int rows = app->lesson_rows, shown = app->lesson_shown;
    if (shown < 1 || rows <= shown)
        return 0; /* nothing to scroll: the key goes on to the result or the panes */
    int page = shown > 1 ? shown - 1 : 1;
    if (k.code == TUI_KEY_PAGE_DOWN)
        app->lesson_scroll += page;
    else
        app->lesson_scroll = app->lesson_scroll > page ? app->lesson_scroll - page : 0;
    if (app->lesson_scroll > rows - shown)
        app->lesson_scroll = rows - shown;
    app->dirty = 1;
    return 1;
}

void app_draw_lesson(App *app, Rect body)
{
    const Lesson *l = app->cfg.lesson;
    if (!l || l->n_steps == 0)
        return;
    Canvas *c = app->canvas;
    const char *text = step_text(app);
    int rows;
    Rect box = lesson_box(body, text, &rows);
    canvas_fill(c, box, ' ', ROLE_HELP);
    char title[96];
    if (app->lesson_step < 0)
        snprintf(title, sizeof title, "Lesson · %zu steps · Enter starts", l->n_steps);
    else
        snprintf(title, sizeof title, "Lesson · step %ld of %zu · Enter next, Backspace back", app->lesson_step + 1,
                 l->n_steps);
    Rect in = canvas_box(c, box, title, ROLE_BORDER_FOCUS, ROLE_TITLE);
    app->lesson_rows = rows;
    app->lesson_shown = in.h;
    if (rect_is_empty(in))
        return;
    if (app->lesson_scroll > rows - in.h)
        app->lesson_scroll = rows - in.h > 0 ? rows - in.h : 0;
    WrapDraw d = {c, in, app->lesson_scroll, app->lesson_step < 0 ? ROLE_HINT : ROLE_HELP};
    wrap_rows(text, in.w, draw_row, &d);
    /* Say so when the text goes on below or above the box. */
    if (app->lesson_scroll + in.h < rows) {
        const char *more = "▼ more: PgDn";
        canvas_text(c, box, box.x + box.w - 15, box.y + box.h - 1, more, ROLE_TITLE);
    }
    if (app->lesson_scroll > 0)
        canvas_text(c, box, box.x + box.w - 15, box.y, "▲ PgUp", ROLE_TITLE);
}
