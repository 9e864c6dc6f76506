/* Analysis results: the progress line while a job runs and the overlay
 * that shows a finished job's text and maps (kept until the next result;
 * `r` reopens it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "neurotop/tui/widgets.h"

int app_draw_job_progress(App *app, Rect line)
{
    double frac, elapsed;
    char name[JOB_NAME_LEN];
    if (jobrunner_state(app->jobs, &frac, &elapsed, name, sizeof name) != JOB_RUNNING)
        return 0;
    double eta = frac > 0.02 ? elapsed * (1.0 - frac) / frac : NAN;
    char label[64];
    snprintf(label, sizeof label, ":%s (Esc cancels)", name);
    progress_draw(app->canvas, line, label, frac, eta, ROLE_PROGRESS, ROLE_HINT);
    return 1;
}

void app_collect_result(App *app)
{
    JobResult *r = jobrunner_take_result(app->jobs);
    if (!r)
        return;
    if (r->status) {
        app_message(app, 1, ":%s: %s", r->name, r->message[0] ? r->message : status_text(r->status));
        job_result_free(r);
        return;
    }
    if (r->partition) {
        free(app->partition);
        app->partition = malloc(r->n_nodes * sizeof(int));
        if (app->partition) {
            memcpy(app->partition, r->partition, r->n_nodes * sizeof(int));
            app->partition_n = r->n_nodes;
            app->partition_epoch = r->epoch;
        }
    }
    job_result_free(app->result);
    app->result = r;
    app->result_visible = 1;
    app->result_scroll = 0;
    if (r->saved[0])
        app_message(app, 0, ":%s done · saved %s · r shows it again", r->name, r->saved);
    else
        app_message(app, 0, ":%s done · r shows it again", r->name);
}

void app_draw_result(App *app, Rect body)
{
    const JobResult *r = app->result;
    Canvas *c = app->canvas;
    if (!r)
        return;
    canvas_fill(c, body, ' ', ROLE_HELP);
    char title[64];
    snprintf(title, sizeof title, ":%s · epoch %zu", r->name, r->epoch);
    Rect in = canvas_box(c, body, title, ROLE_BORDER_FOCUS, ROLE_TITLE);
    if (rect_is_empty(in))
        return;
    /* Maps go to the right when the box is wide enough, else below. */
    Rect text = in;
    Rect maps = rect_make(0, 0, 0, 0);
    if (r->n_maps && in.w >= 70) {
        maps = rect_take_right(&text, 30);
        rect_take_right(&text, 2); /* a gutter between text and maps */
    }
    else if (r->n_maps && in.h >= 24)
        maps = rect_take_bottom(&text, 15);
    const char *p = strbuf_cstr(&r->text);
    int line = 0, y = text.y;
    while (*p && y < text.y + text.h) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (line >= app->result_scroll) {
            char buf[512];
            snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), p);
            canvas_text(c, text, text.x, y, buf, line == 0 ? ROLE_VALUE : ROLE_HELP);
            y++;
        }
        line++;
        p = nl ? nl + 1 : p + len;
    }
    if (*p)
        canvas_text(c, text, text.x + text.w - 8, text.y + text.h - 1, "↓ more", ROLE_DIM);
    int my = maps.y;
    for (size_t i = 0; i < r->n_maps && !rect_is_empty(maps); i++) {
        const JobMap *m = &r->maps[i];
        HeatSpec spec;
        heat_spec_init(&spec);
        spec.v = m->v;
        spec.rows = m->rows;
        spec.cols = m->cols;
        spec.mode = m->diverging ? HEAT_DIVERGING : HEAT_SEQUENTIAL;
        spec.pair_rows = 1;
        int fw, fh;
        int room = maps.y + maps.h - my - 1;
        if (room < 3)
            break;
        heat_size(&spec, maps.w, room, &fw, &fh);
        canvas_text(c, maps, maps.x, my, m->label, ROLE_LABEL);
        heat_draw(c, rect_make(maps.x, my + 1, fw, fh), &spec);
        my += fh + 1;
    }
}
