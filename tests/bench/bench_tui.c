/* Cost of drawing one dashboard frame with the TUI widgets, headless: the
 * UI redraws at most ~20 times a second, so a frame should take well under
 * a millisecond or two. Also times the screen blit of a full frame into a
 * file-backed ncurses terminal (full redraw, then an unchanged frame). */
#include <curses.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "neurotop/tui/canvas.h"
#include "neurotop/tui/layout.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/screen.h"
#include "neurotop/tui/widgets.h"

#define EPOCHS 500
#define FIELDS 12

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double acc[EPOCHS], loss[EPOCHS], ep[EPOCHS], counts[3][64], field[FIELDS][28 * 28];

static void fill_data(void)
{
    for (int i = 0; i < EPOCHS; i++) {
        ep[i] = i;
        acc[i] = 0.1 + 0.85 * (1 - exp(-i / 40.0));
        loss[i] = 2.3 * exp(-i / 50.0) + 0.05;
    }
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < 64; i++) {
            double x = -1 + 2 * (i + 0.5) / 64;
            counts[b][i] = 1000 * exp(-x * x / (0.05 + 0.05 * b));
        }
    for (int f = 0; f < FIELDS; f++)
        for (int p = 0; p < 28 * 28; p++)
            field[f][p] = sin(p * 0.05 * (f + 1)) * cos(p * 0.013);
}

static void draw_frame(Canvas *c, const Layout *l)
{
    canvas_clear(c);
    canvas_fill(c, l->status, ' ', ROLE_STATUS);
    canvas_text(c, l->status, 0, 0, " RUN  epoch 500  mlp  mnist10k  seed 1", ROLE_STATUS);
    Rect in = canvas_box(c, l->pane[0], "Accuracy", ROLE_BORDER_FOCUS, ROLE_TITLE);
    PlotSeries s[2] = {{acc, EPOCHS, ROLE_PLOT1}, {loss, EPOCHS, ROLE_PLOT2}};
    PlotSpec ps;
    plot_spec_init(&ps);
    ps.series = s;
    ps.n_series = 2;
    ps.x = ep;
    ps.n_x = EPOCHS;
    ps.x_labels = 1;
    ps.cursor_x = 300;
    plot_draw(c, in, &ps);
    in = canvas_box(c, l->pane[1], "Weights", ROLE_BORDER, ROLE_TITLE);
    for (int b = 0; b < 3; b++) {
        HistSpec hs;
        hist_spec_init(&hs);
        hs.counts = counts[b];
        hs.n_bins = 64;
        hs.lo = -1;
        hs.hi = 1;
        hist_draw(c, rect_split_rows(in, b, 3), &hs);
    }
    in = canvas_box(c, l->pane[2], "Receptive fields", ROLE_BORDER, ROLE_TITLE);
    for (int f = 0; f < FIELDS; f++) {
        HeatSpec h;
        heat_spec_init(&h);
        h.v = field[f];
        h.rows = h.cols = 28;
        h.pair_rows = 1;
        h.mode = HEAT_DIVERGING;
        Rect cell = rect_split_cols(rect_split_rows(in, f / 4, 3), f % 4, 4);
        heat_draw(c, cell, &h);
    }
    in = canvas_box(c, l->pane[3], "Jobs", ROLE_BORDER, ROLE_TITLE);
    progress_draw(c, rect_make(in.x, in.y, in.w, 1), "louvain", 0.42, 65, ROLE_PROGRESS,
                  ROLE_LABEL);
    sparkline_draw(c, in.x, in.y + 1, in.w, acc, EPOCHS, NAN, NAN, ROLE_PLOT1);
}

static void bench_size(int w, int h, int unicode)
{
    LayoutPane panes[4] = {{36, 8, 1}, {36, 8, 1}, {30, 10, 1}, {36, 8, 1}};
    Layout l;
    layout_compute(w, h, panes, 4, 0, 0, &l);
    Canvas *c = NULL;
    if (canvas_new(w, h, unicode, &c, NULL) != ST_OK)
        return;
    int reps = 2000;
    double t0 = now();
    for (int i = 0; i < reps; i++)
        draw_frame(c, &l);
    double dt = (now() - t0) / reps;
    printf("frame %3dx%-3d %-5s  %.3f ms per frame (layout %dx%d)\n", w, h,
           unicode ? "utf-8" : "ascii", dt * 1e3, l.grid_cols, l.grid_rows);
    canvas_free(c);
}

static void bench_blit(void)
{
    FILE *out = tmpfile(), *in = tmpfile();
    if (!out || !in)
        return;
    Theme t;
    theme_init_default(&t);
    Screen *s = NULL;
    if (screen_open("xterm-256color", out, in, &t, &s, NULL) != ST_OK)
        return;
    resizeterm(60, 200);
    LayoutPane panes[4] = {{36, 8, 1}, {36, 8, 1}, {30, 10, 1}, {36, 8, 1}};
    Layout l;
    layout_compute(200, 60, panes, 4, 0, 0, &l);
    Canvas *c = NULL;
    if (canvas_new(200, 60, 1, &c, NULL) == ST_OK) {
        draw_frame(c, &l);
        int reps = 200;
        double full = 0, same = 0;
        for (int i = 0; i < reps; i++) {
            screen_invalidate(s);
            double t0 = now();
            screen_blit(s, c);
            full += now() - t0;
            t0 = now();
            screen_blit(s, c);
            same += now() - t0;
        }
        printf("blit 200x60 utf-8: full redraw %.3f ms, unchanged frame %.3f ms\n",
               full / reps * 1e3, same / reps * 1e3);
        canvas_free(c);
    }
    screen_close(s);
    fclose(out);
    fclose(in);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    fill_data();
    bench_size(80, 24, 0);
    bench_size(80, 24, 1);
    bench_size(200, 60, 1);
    bench_blit();
    return 0;
}
