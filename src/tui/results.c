/* Analysis results: the progress line while a job runs and the overlay
 * that shows a finished job's text and maps (kept until the next result;
 * `r` reopens it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "neurotop/core/utf8.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/widgets.h"

#define FIG_W 30

/* One row of result text of len bytes from x, its JOB_TEXT_MARK colours
 * applied (an unknown mark is dropped); *role is the colour in effect at
 * its start and is left at the one in effect at its end. */
static void draw_styled_line(Canvas *c, Rect clip, int x, int y, const char *p, size_t len, Role plain,
                             Role *role)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && p[j] != JOB_TEXT_MARK)
            j++;
        if (j > i) {
            char buf[512];
            size_t k = j - i < sizeof buf ? j - i : sizeof buf - 1;
            memcpy(buf, p + i, k);
            buf[k] = '\0';
            canvas_text(c, clip, x, y, buf, *role);
            x += canvas_text_width(buf);
        }
        if (j + 1 < len) {
            char m = p[j + 1];
            *role = m >= '0' && m <= '9'   ? (Role)(ROLE_CLASS0 + (m - '0'))
                    : m >= 'a' && m < 'a' + JOB_TEXT_HEAT_LEVELS ? (Role)(ROLE_HEAT0 + (m - 'a') * ROLE_HEAT_LEVELS / JOB_TEXT_HEAT_LEVELS)
                                                            : plain;
        }
        i = j + 2;
    }
}

/* The bytes of the first row of p[0..len) in width cells (colour marks
 * take none): up to the last space that fits, or cut inside a word longer
 * than the row. */
static size_t styled_row_len(const char *p, size_t len, int width)
{
    int cells = 0;
    size_t i = 0, best = 0;
    while (i < len) {
        if (p[i] == JOB_TEXT_MARK) {
            i = i + 2 < len ? i + 2 : len;
            continue;
        }
        if (p[i] == ' ' && i > 0 && p[i - 1] != ' ')
            best = i;
        if (!utf8_is_cont((unsigned char)p[i])) {
            if (cells == width)
                break;
            cells++;
        }
        i++;
    }
    if (i >= len || p[i] == ' ')
        return i;
    return best > 0 ? best : i;
}

/* A line of result text wrapped to the text's width, rows after the first
 * indented by two cells; draws the rows from `skip` on at y, at most
 * `room` of them, and returns how many rows the whole line takes. */
static int draw_wrapped(Canvas *c, Rect text, int y, const char *p, size_t len, Role plain, int skip, int room)
{
    Role role = plain;
    int rows = 0;
    do {
        int indent = rows ? 2 : 0, width = text.w - indent;
        size_t n = styled_row_len(p, len, width < 8 ? 8 : width);
        if (rows >= skip && rows - skip < room)
            draw_styled_line(c, text, text.x + indent, y + rows - skip, p, n, plain, &role);
        else
            draw_styled_line(c, rect_make(0, 0, 0, 0), 0, 0, p, n, plain, &role); /* colours only */
        rows++;
        p += n;
        len -= n;
        while (len > 0 && *p == ' ') {
            p++;
            len--;
        }
    } while (len > 0);
    return rows;
}

/* A result's plot: a scatter coloured by class, or curves over x with the
 * learning phases shaded. */
static void draw_plot(Canvas *c, Rect r, const JobPlot *pl, double yaw, double pitch)
{
    if (pl->kind == JOB_PLOT_CLOUD) {
        /* Rotate about the vertical axis (yaw), then tilt (pitch), and
         * project on the screen plane. */
        double *px = malloc((pl->n ? pl->n : 1) * sizeof(double));
        double *py = malloc((pl->n ? pl->n : 1) * sizeof(double));
        if (!px || !py) {
            free(px);
            free(py);
            return;
        }
        double cy = cos(yaw), sy = sin(yaw), cp = cos(pitch), sp = sin(pitch);
        for (size_t i = 0; i < pl->n; i++) {
            double x = pl->x[i], y = pl->y[i], z = pl->z[i];
            double x1 = cy * x + sy * z, z1 = -sy * x + cy * z;
            px[i] = x1;
            py[i] = cp * y - sp * z1;
        }
        ScatterSpec spec;
        scatter_spec_init(&spec);
        spec.x = px;
        spec.y = py;
        spec.n = pl->n;
        spec.cls = pl->cls;
        scatter_draw(c, r, &spec);
        free(px);
        free(py);
        return;
    }
    if (pl->kind == JOB_PLOT_SCATTER) {
        ScatterSpec spec;
        scatter_spec_init(&spec);
        spec.x = pl->x;
        spec.y = pl->y;
        spec.n = pl->n;
        spec.cls = pl->cls;
        scatter_draw(c, r, &spec);
        return;
    }
    static const Role roles[JOB_PLOT_MAX_SERIES] = {ROLE_PLOT1, ROLE_PLOT2, ROLE_PLOT3, ROLE_PLOT4};
    PlotSeries series[JOB_PLOT_MAX_SERIES];
    size_t ns = pl->n_series < JOB_PLOT_MAX_SERIES ? pl->n_series : JOB_PLOT_MAX_SERIES;
    for (size_t k = 0; k < ns; k++)
        series[k] = (PlotSeries){.y = pl->y + k * pl->n, .n = pl->n, .role = roles[k],
                                 .name = pl->names[k][0] ? pl->names[k] : NULL};
    PlotRange ranges[3];
    size_t nr = 0;
    for (int k = 0; k < 3; k++)
        if (pl->range[k][0] == pl->range[k][0]) /* not NaN */
            ranges[nr++] = (PlotRange){pl->range[k][0], pl->range[k][1], (Role)(ROLE_PHASE1 + k)};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = series;
    spec.n_series = ns;
    spec.x = pl->x;
    spec.n_x = pl->n;
    spec.ranges = ranges;
    spec.n_ranges = nr;
    spec.x_labels = r.h >= 4;
    plot_draw(c, r, &spec);
}

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

/* The path for the message line: relative to the run when inside it. */
static const char *short_path(const App *app, const char *path)
{
    const char *root = app->cfg.rundir ? rundir_path(app->cfg.rundir) : NULL;
    size_t n = root ? strlen(root) : 0;
    return root && strncmp(path, root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

void app_show_result(App *app, JobResult *r)
{
    if (r->partition) {
        free(app->partition);
        app->partition = malloc(r->n_nodes * sizeof(int));
        if (app->partition) {
            memcpy(app->partition, r->partition, r->n_nodes * sizeof(int));
            app->partition_n = r->n_nodes;
            app->partition_epoch = r->epoch;
            app->partition_part = app->job_part;
            snprintf(app->partition_source, sizeof app->partition_source, "%s", app->job_command);
        }
    }
    job_result_free(app->result);
    app->result = r;
    app->result_visible = 1;
    app->result_scroll = 0;
    if (r->reused)
        app_message(app, 0, ":%s · saved result of epoch %zu (%s) · r shows it again", r->name, r->epoch,
                    short_path(app, r->saved));
    else if (r->saved[0])
        app_message(app, 0, ":%s done · saved %s · r shows it again", r->name, short_path(app, r->saved));
    else
        app_message(app, 0, ":%s done · r shows it again", r->name);
}

void app_collect_result(App *app)
{
    JobResult *r = jobrunner_take_result(app->jobs);
    if (!r)
        return;
    /* A job cancelled for the next lesson step: start that step's command. */
    if (app->lesson_pending[0]) {
        job_result_free(r);
        app_lesson_run_pending(app);
        return;
    }
    if (r->status) {
        app_message(app, 1, ":%s: %s", r->name, r->message[0] ? r->message : status_text(r->status));
        job_result_free(r);
        return;
    }
    app_show_result(app, r);
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
    /* Figures (maps, then plots) go to the right when the box is wide enough,
     * in as many columns as leave the text 40 cells; else below. */
    Rect text = in;
    Rect maps = rect_make(0, 0, 0, 0);
    size_t n_fig = r->n_maps + r->n_plots;
    int fig_cols = 1, fig_w = FIG_W;
    if (n_fig && in.w >= 70) {
        while ((size_t)fig_cols < n_fig && in.w - (fig_cols + 1) * (FIG_W + 2) >= 40)
            fig_cols++;
        /* With plots, width beyond 48 text cells widens the columns (maps
         * would not grow, so results with maps only keep the wide text). */
        int spare = r->n_plots ? (in.w - 48) / fig_cols - 2 : FIG_W;
        fig_w = spare > 64 ? 64 : spare > FIG_W ? spare : FIG_W;
        maps = rect_take_right(&text, fig_cols * (fig_w + 2) - 2);
        rect_take_right(&text, 2); /* a gutter between text and maps */
    }
    else if (n_fig && in.h >= 24) {
        maps = rect_take_bottom(&text, 15);
        fig_cols = maps.w >= 2 * FIG_W + 2 ? 2 : 1;
    }
    /* Long lines wrap (a figure beside the text leaves it ~48 cells at 80
     * columns); the scroll counts rows. */
    const char *p = strbuf_cstr(&r->text);
    int row = 0, y = text.y, first = 1;
    while (*p && y < text.y + text.h) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        int skip = app->result_scroll > row ? app->result_scroll - row : 0;
        int rows = draw_wrapped(c, text, y, p, len, first ? ROLE_VALUE : ROLE_HELP, skip, text.y + text.h - y);
        if (rows > skip)
            y += rows - skip;
        row += rows;
        first = 0;
        p = nl ? nl + 1 : p + len;
    }
    if (*p || y > text.y + text.h)
        canvas_text(c, text, text.x + text.w - 8, text.y + text.h - 1, "↓ more", ROLE_DIM);
    int col_y[8];
    for (int k = 0; k < 8; k++)
        col_y[k] = maps.y;
    if (fig_cols > 8)
        fig_cols = 8;
    /* Plots share a tall column's height: 12 rows at least, 24 at most. */
    int per_col = (int)((n_fig + (size_t)fig_cols - 1) / (size_t)fig_cols);
    int plot_h = maps.h / (per_col ? per_col : 1) - 1;
    plot_h = plot_h < 12 ? 12 : plot_h > 24 ? 24 : plot_h;
    for (size_t i = 0; i < n_fig && !rect_is_empty(maps); i++) {
        int k = (int)(i % (size_t)fig_cols);
        Rect col = rect_make(maps.x + k * (fig_w + 2), maps.y, fig_cols == 1 ? maps.w : fig_w, maps.h);
        int room = maps.y + maps.h - col_y[k] - 1;
        if (room < 3)
            continue;
        if (i >= r->n_maps) {
            const JobPlot *pl = &r->plots[i - r->n_maps];
            /* the label on up to two rows: a narrow column would cut it */
            int lab = canvas_text_wrapped(c, col, col.x, col_y[k], col.w, 2, pl->label, ROLE_LABEL);
            lab = lab < 1 ? 1 : lab > 2 ? 2 : lab;
            int h = room - (lab - 1) < plot_h ? room - (lab - 1) : plot_h;
            draw_plot(c, rect_make(col.x, col_y[k] + lab, col.w, h), pl, app->view_yaw, app->view_pitch);
            col_y[k] += h + lab;
            continue;
        }
        const JobMap *m = &r->maps[i];
        HeatSpec spec;
        heat_spec_init(&spec);
        spec.v = m->v;
        spec.rows = m->rows;
        spec.cols = m->cols;
        spec.mode = m->diverging ? HEAT_DIVERGING : HEAT_SEQUENTIAL;
        spec.pair_rows = 1;
        int fw, fh;
        heat_size(&spec, col.w, room, &fw, &fh);
        canvas_text(c, col, col.x, col_y[k], m->label, ROLE_LABEL);
        heat_draw(c, rect_make(col.x, col_y[k] + 1, fw, fh), &spec);
        col_y[k] += fh + 1;
    }
}
