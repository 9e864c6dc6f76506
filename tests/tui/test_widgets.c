#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/widgets.h"
#include "support/support.h"

/* Golden pictures live in tests/golden/NAME.txt (the tests run from the
 * repository root); NEUROTOP_UPDATE_GOLDEN=1 rewrites them. */

/* ---- line plot ---- */

Test(plot, diagonal_in_braille_by_hand)
{
    /* y = x on 8 points in 4x2 cells = 8x8 dots: one dot per dot column. */
    Canvas *c = support_canvas(4, 2, 1);
    double y[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    PlotSeries s = {y, 8, ROLE_PLOT1, NULL};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = &s;
    spec.n_series = 1;
    spec.y_labels = 0;
    plot_draw(c, canvas_rect(c), &spec);
    /* Cell (0,1) holds dots (0,7) and (1,6): bits 0x40|0x20 = U+2860. */
    support_expect_dump(c, "  ⡠⠊\n⡠⠊\n");
    cr_assert_eq(canvas_cell(c, 0, 1)->role, ROLE_PLOT1);
    canvas_free(c);
}

Test(plot, diagonal_in_ascii_with_labels)
{
    Canvas *c = support_canvas(6, 4, 0);
    double y[4] = {0, 1, 2, 3};
    double y2[4] = {3, NAN, 1, 0};
    PlotSeries s[2] = {{y, 4, ROLE_PLOT1, NULL}, {y2, 4, ROLE_PLOT2, NULL}};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = s;
    spec.n_series = 2;
    plot_draw(c, canvas_rect(c), &spec);
    /* Labels "3" and "0", the axis column, then 4x4 cells with one point
     * each; the second series breaks after its first point. */
    support_expect_dump(c, "3+o  *\n"
                           " |  *\n"
                           " | *o\n"
                           "0+*  o\n");
    cr_assert_eq(canvas_cell(c, 0, 0)->role, ROLE_LABEL);
    cr_assert_eq(canvas_cell(c, 1, 1)->role, ROLE_AXIS);
    cr_assert_eq(canvas_cell(c, 3, 2)->role, ROLE_PLOT1);
    cr_assert_eq(canvas_cell(c, 4, 2)->role, ROLE_PLOT2);
    canvas_free(c);
}

Test(plot, flat_and_empty_series)
{
    Canvas *c = support_canvas(6, 3, 0);
    double y[3] = {0.5, 0.5, 0.5};
    PlotSeries s = {y, 3, ROLE_PLOT1, NULL};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = &s;
    spec.n_series = 1;
    spec.y_labels = 0;
    plot_draw(c, canvas_rect(c), &spec);
    /* A flat series is centred in a range widened by 5 %. */
    support_expect_dump(c, "\n******\n\n");
    double nan3[3] = {NAN, NAN, NAN};
    s.y = nan3;
    plot_draw(c, canvas_rect(c), &spec);
    support_expect_dump(c, "\n\n\n");
    canvas_free(c);
}

/* Accuracy-like curve, a noisy modularity band, a cursor at epoch 12 and
 * three learning phases. */
static void learning_curves(double *acc, double *lo, double *hi, double *mean, double *ep)
{
    for (int i = 0; i < 30; i++) {
        ep[i] = i;
        acc[i] = 0.1 + 0.85 * (1 - exp(-i / 5.0));
        mean[i] = 0.05 + 0.35 / (1 + exp(-(i - 12) / 3.0));
        lo[i] = mean[i] - 0.03 - 0.02 * (i % 3);
        hi[i] = mean[i] + 0.04;
    }
}

static void draw_learning(Canvas *c)
{
    double acc[30], lo[30], hi[30], mean[30], ep[30];
    learning_curves(acc, lo, hi, mean, ep);
    PlotSeries s[4] = {
        {lo, 30, ROLE_BAND, NULL}, {hi, 30, ROLE_BAND, NULL}, {mean, 30, ROLE_PLOT2, NULL}, {acc, 30, ROLE_PLOT1, NULL}};
    PlotRange ranges[3] = {{0, 6, ROLE_PHASE1}, {6, 15, ROLE_PHASE2}, {15, 29, ROLE_PHASE3}};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = s;
    spec.n_series = 4;
    spec.x = ep;
    spec.n_x = 30;
    spec.y_min = 0;
    spec.y_max = 1;
    spec.band_lo = 0;
    spec.band_hi = 1;
    spec.cursor_x = 12;
    spec.ranges = ranges;
    spec.n_ranges = 3;
    spec.x_labels = 1;
    spec.y_fmt = "%.1f";
    plot_draw(c, canvas_rect(c), &spec);
}

Test(plot, golden_learning_curves_ascii)
{
    Canvas *c = support_canvas(40, 12, 0);
    draw_learning(c);
    support_golden_canvas(c, "plot_ascii");
    /* Phases tint the blank cells of their columns. */
    cr_assert_eq(canvas_cell(c, 5, 0)->role, ROLE_PHASE1);
    cr_assert_eq(canvas_cell(c, 38, 0)->role, ROLE_PHASE3);
    canvas_free(c);
}

Test(plot, golden_learning_curves_utf8)
{
    Canvas *c = support_canvas(40, 12, 1);
    draw_learning(c);
    support_golden_canvas(c, "plot_utf8");
    canvas_free(c);
}

Test(plot, legend_names_each_curve)
{
    double up[4] = {0, 1, 2, 3}, down[4] = {3, 2, 1, 0};
    PlotSeries s[2] = {{up, 4, ROLE_PLOT1, "acc"}, {down, 4, ROLE_PLOT2, "train loss"}};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = s;
    spec.n_series = 2;
    spec.y_labels = 0;
    Canvas *a = support_canvas(24, 4, 0);
    plot_draw(a, canvas_rect(a), &spec);
    /* ASCII: each name after its curve's marker, right-aligned in the top
     * row (both rows hold curve cells; the top one holds fewer here). */
    StrBuf b;
    strbuf_init(&b);
    canvas_dump(a, &b);
    cr_assert(strstr(strbuf_cstr(&b), "* acc  o train loss") != NULL, "%s", strbuf_cstr(&b));
    strbuf_done(&b);
    Canvas *u = support_canvas(24, 4, 1);
    plot_draw(u, canvas_rect(u), &spec);
    int y = -1;
    for (int row = 0; row < 4; row++)
        if (canvas_cell(u, 24 - 10, row)->ch == 't')
            y = row;
    cr_assert_geq(y, 0, "the legend is on a row of the plot");
    cr_assert_eq(canvas_cell(u, 24 - 19, y)->ch, 0x2501u, "a ━ swatch before 'acc'");
    cr_assert_eq(canvas_cell(u, 24 - 19, y)->role, ROLE_PLOT1, "in the curve's colour");
    /* Too narrow for the names: no legend rather than a cut one. */
    Canvas *n = support_canvas(12, 4, 0);
    plot_draw(n, canvas_rect(n), &spec);
    StrBuf nb;
    strbuf_init(&nb);
    canvas_dump(n, &nb);
    cr_assert(strstr(strbuf_cstr(&nb), "acc") == NULL, "%s", strbuf_cstr(&nb));
    strbuf_done(&nb);
    canvas_free(a);
    canvas_free(u);
    canvas_free(n);
}

Test(plot, margin_width)
{
    double y[2] = {-12.5, 100};
    PlotSeries s = {y, 2, ROLE_PLOT1, NULL};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = &s;
    spec.n_series = 1;
    cr_assert_eq(plot_margin_width(&spec, 5), 6, "\"-12.5\" plus the axis column");
    spec.y_labels = 0;
    cr_assert_eq(plot_margin_width(&spec, 5), 0);
}

/* ---- histogram ---- */

Test(hist, eighths_by_hand)
{
    Canvas *c = support_canvas(3, 2, 1);
    double counts[3] = {1, 3, 8};
    HistSpec spec;
    hist_spec_init(&spec);
    spec.counts = counts;
    spec.n_bins = 3;
    spec.labels = 0;
    hist_draw(c, canvas_rect(c), &spec);
    /* 16 eighths of height: 1 -> 2 (▂), 3 -> 6 (▆), 8 -> 16 (two █). */
    support_expect_dump(c, "  █\n▂▆█\n");
    canvas_free(c);

    c = support_canvas(3, 2, 0);
    double tiny[3] = {0.01, 1, 2};
    spec.counts = tiny;
    hist_draw(c, canvas_rect(c), &spec);
    support_expect_dump(c, "  #\n.##\n");
    canvas_free(c);
}

Test(hist, bins_merge_and_stretch)
{
    Canvas *c = support_canvas(4, 1, 0);
    double counts[8] = {1, 0, 0, 0, 0, 0, 0, 1};
    HistSpec spec;
    hist_spec_init(&spec);
    spec.counts = counts;
    spec.n_bins = 8;
    spec.labels = 0;
    hist_draw(c, canvas_rect(c), &spec);
    support_expect_dump(c, "#  #\n");
    /* 3 equal bins in 2 columns: one column covers 1 bin, the other 2;
     * averaging keeps the flat shape flat. */
    double flat[3] = {4, 4, 4};
    spec.counts = flat;
    spec.n_bins = 3;
    Canvas *e = support_canvas(2, 2, 0);
    hist_draw(e, canvas_rect(e), &spec);
    support_expect_dump(e, "##\n##\n");
    canvas_free(e);
    double two[2] = {2, 1};
    spec.counts = two;
    spec.n_bins = 2;
    Canvas *d = support_canvas(5, 2, 0);
    hist_draw(d, canvas_rect(d), &spec);
    /* floor(5/2) = 2 columns per bin, the fifth column stays blank. */
    support_expect_dump(d, "##\n####\n");
    canvas_free(c);
    canvas_free(d);
}

static void weight_counts(double *counts, int n)
{
    for (int i = 0; i < n; i++) {
        double x = -1 + 2 * (i + 0.5) / n;
        counts[i] = 1000 * exp(-(x - 0.1) * (x - 0.1) / 0.08) + (x > 0.5 ? 40 : 0);
    }
}

Test(hist, golden_weights)
{
    double counts[32];
    weight_counts(counts, 32);
    HistSpec spec;
    hist_spec_init(&spec);
    spec.counts = counts;
    spec.n_bins = 32;
    spec.lo = -1;
    spec.hi = 1;
    spec.mark = 0;
    Canvas *a = support_canvas(36, 7, 0), *u = support_canvas(36, 7, 1);
    hist_draw(a, canvas_rect(a), &spec);
    hist_draw(u, canvas_rect(u), &spec);
    support_golden_canvas(a, "hist_ascii");
    support_golden_canvas(u, "hist_utf8");
    /* 32 bins on 36 columns: one column each, the mark at column 16. */
    cr_assert_eq(canvas_cell(a, 16, 6)->ch, '^');
    canvas_free(a);
    canvas_free(u);
}

/* ---- heatmap ---- */

Test(heat, sequential_levels_by_hand)
{
    Canvas *c = support_canvas(4, 4, 0);
    double v[4] = {0, 1, 2, 3};
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.v = v;
    spec.rows = 2;
    spec.cols = 2;
    heat_draw(c, canvas_rect(c), &spec);
    /* t = 0, 1/3, 2/3, 1 -> ramp levels 0, 3, 6, 9. */
    support_expect_dump(c, " -\n*@\n\n\n");
    cr_assert_eq(canvas_cell(c, 1, 0)->role, ROLE_HEAT2);
    cr_assert_eq(canvas_cell(c, 1, 1)->role, ROLE_HEAT7);

    /* Paired rows are averaged: [0 1; 2 3; 4 5; 6 7] -> [1 2; 5 6] on 0..7. */
    double w[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    spec.v = w;
    spec.rows = 4;
    spec.pair_rows = 1;
    canvas_clear(c);
    heat_draw(c, canvas_rect(c), &spec);
    support_expect_dump(c, ".:\n#%\n\n\n");
    int ow, oh;
    heat_size(&spec, 4, 4, &ow, &oh);
    cr_assert(ow == 2 && oh == 2);
    canvas_free(c);
}

Test(heat, diverging_by_hand)
{
    Canvas *c = support_canvas(2, 2, 1);
    double v[4] = {-4, -1, 0.5, 4};
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.v = v;
    spec.rows = 2;
    spec.cols = 2;
    spec.mode = HEAT_DIVERGING;
    heat_draw(c, canvas_rect(c), &spec);
    /* |v|/4 = 1, 0.25, 0.125, 1: strong, weak, blank (< 1/7), strong. */
    support_expect_dump(c, "%-\n #\n");
    cr_assert_eq(canvas_cell(c, 0, 0)->role, ROLE_NEG3);
    cr_assert_eq(canvas_cell(c, 1, 0)->role, ROLE_NEG1);
    cr_assert_eq(canvas_cell(c, 1, 1)->role, ROLE_POS3);
    canvas_free(c);
}

Test(heat, shades_give_every_pixel_its_own_colour)
{
    /* 4 x 2 values, paired rows: 2 x 2 cells, each '▀' over two pixels. */
    double v[8] = {-4, -2, 0, 4, /* row 0 */
                   -1, 1, 2, 3}; /* row 1 */
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.v = v;
    spec.rows = 2;
    spec.cols = 4;
    spec.mode = HEAT_DIVERGING;
    spec.pair_rows = 1;
    Canvas *c = support_canvas(4, 1, 1);
    canvas_set_colors(c, 256);
    cr_assert(heat_uses_shades(c, &spec));
    heat_draw(c, canvas_rect(c), &spec);
    /* ±4 over 17 steps (step = (v + 4) / 8 * 16): -4 -> step 0 (colour 23),
     * -2 -> 4 (74), 0 -> 8 (white, 231), +4 -> 16 (52); -1 -> 6 (152),
     * 1 -> 10 (217), 2 -> 12 (173), 3 -> 14 (124). */
    const int want_fg[4] = {23, 74, 231, 52}, want_bg[4] = {152, 217, 173, 124};
    for (int x = 0; x < 4; x++) {
        const Cell *cell = canvas_cell(c, x, 0);
        cr_assert_eq(cell->ch, 0x2580u);
        cr_assert(cell->fg == want_fg[x] && cell->bg == want_bg[x], "cell %d: %d/%d", x, cell->fg, cell->bg);
    }
    cr_assert_eq(canvas_count_colors(c, canvas_rect(c)), 4);
    /* Grey: -4 black (16), +4 white (231), 0 step round(12.5) = 13 of 0..25 (232 + 12). */
    spec.grey = 1;
    heat_draw(c, canvas_rect(c), &spec);
    cr_assert_eq(canvas_cell(c, 0, 0)->fg, 16);
    cr_assert_eq(canvas_cell(c, 3, 0)->fg, 231);
    cr_assert_eq(canvas_cell(c, 2, 0)->fg, 232 + 12);
    canvas_free(c);

    /* With 16 colours (or none, or ASCII) the same map is glyphs. */
    Canvas *g = support_canvas(4, 1, 1);
    canvas_set_colors(g, 16);
    cr_assert(!heat_uses_shades(g, &spec));
    heat_draw(g, canvas_rect(g), &spec);
    cr_assert_eq(canvas_cell(g, 0, 0)->fg, CANVAS_ROLE_COLOR);
    cr_assert_neq(canvas_cell(g, 0, 0)->ch, 0x2580u);
    canvas_free(g);
}

Test(heat, scale_keeps_whole_pixels)
{
    /* 4 x 4 at scale 2: 2 x 2 pixels of 2 x 2 means, shown as 2 x 1 cells. */
    double v[16] = {0, 2, 4, 4, 2, 0, 4, 4, 8, 8, 1, 1, 8, 8, 1, 1};
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.v = v;
    spec.rows = 4;
    spec.cols = 4;
    spec.pair_rows = 1;
    spec.scale = 2;
    spec.lo = 0;
    spec.hi = 10;
    int ow, oh;
    heat_size(&spec, 40, 40, &ow, &oh);
    cr_assert(ow == 2 && oh == 1, "%dx%d", ow, oh);
    Canvas *c = support_canvas(6, 3, 1);
    canvas_set_colors(c, 256);
    heat_draw(c, canvas_rect(c), &spec);
    /* Means 1, 4 over 8, 1 on 0..10 grey: steps round(2.5) = 3, 10, 20, 3. */
    cr_assert_eq(canvas_cell(c, 0, 0)->fg, 232 + 2);
    cr_assert_eq(canvas_cell(c, 0, 0)->bg, 232 + 19);
    cr_assert_eq(canvas_cell(c, 1, 0)->fg, 232 + 9);
    cr_assert_eq(canvas_cell(c, 1, 0)->bg, 232 + 2);
    cr_assert_eq(canvas_cell(c, 2, 0)->ch, ' ', "nothing beyond the map");
    canvas_free(c);
}

/* A 28x28 "zero": a ring of radius 8 around the centre. */
static void ring(double *v)
{
    for (int i = 0; i < 28; i++)
        for (int j = 0; j < 28; j++) {
            double r = hypot(i - 13.5, (j - 13.5) * 1.3);
            v[i * 28 + j] = exp(-(r - 8) * (r - 8) / 6);
        }
}

/* A heat map of the ring in v (28 × 28, rows drawn in pairs). */
static HeatSpec ring_spec(double *v)
{
    ring(v);
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.v = v;
    spec.rows = 28;
    spec.cols = 28;
    spec.pair_rows = 1;
    return spec;
}

Test(heat, golden_28x28_in_28x14)
{
    double v[28 * 28];
    HeatSpec spec = ring_spec(v);
    Canvas *c = support_canvas(28, 14, 0);
    heat_draw(c, canvas_rect(c), &spec);
    support_golden_canvas(c, "heat_ring");
    Canvas *u = support_canvas(28, 14, 1);
    heat_draw(u, canvas_rect(u), &spec);
    support_golden_canvas(u, "heat_ring"); /* same glyphs in both modes */
    canvas_free(u);
    canvas_free(c);

    /* Receptive-field style: positive centre, negative surround. */
    for (int i = 0; i < 28; i++)
        for (int j = 0; j < 28; j++) {
            double r2 = (i - 13.5) * (i - 13.5) + (j - 13.5) * (j - 13.5);
            v[i * 28 + j] = exp(-r2 / 18) - 0.5 * exp(-r2 / 60);
        }
    spec.mode = HEAT_DIVERGING;
    c = support_canvas(28, 14, 0);
    heat_draw(c, canvas_rect(c), &spec);
    support_golden_canvas(c, "heat_diverging");
    canvas_free(c);
}

Test(heat, shrinks_a_large_map)
{
    double v[28 * 28];
    HeatSpec spec = ring_spec(v);
    int ow, oh;
    heat_size(&spec, 14, 7, &ow, &oh);
    cr_assert(ow == 14 && oh == 7);
    Canvas *c = support_canvas(14, 7, 0);
    heat_draw(c, canvas_rect(c), &spec);
    /* The ring's centre and the corners stay blank; its left edge (data
     * columns 6-7, radius 8 / 1.3 from column 13.5) is drawn. */
    cr_assert_eq(canvas_cell(c, 7, 3)->ch, ' ');
    cr_assert_eq(canvas_cell(c, 0, 0)->ch, ' ');
    cr_assert_neq(canvas_cell(c, 3, 3)->ch, ' ');
    canvas_free(c);
}

/* ---- scatter ---- */

Test(scatter, digits_by_hand)
{
    Canvas *c = support_canvas(3, 3, 0);
    double x[3] = {0, 1, NAN}, y[3] = {0, 1, 0};
    int cls[3] = {1, 12, 3};
    ScatterSpec spec;
    scatter_spec_init(&spec);
    spec.x = x;
    spec.y = y;
    spec.n = 3;
    spec.cls = cls;
    scatter_draw(c, canvas_rect(c), &spec);
    support_expect_dump(c, "  2\n\n1\n");
    cr_assert_eq(canvas_cell(c, 2, 0)->role, ROLE_CLASS2);
    canvas_free(c);
}

static void clusters(double *x, double *y, int *cls, int n)
{
    for (int i = 0; i < n; i++) {
        int k = i % 3;
        double a = i * 2.399963; /* golden angle: an even, deterministic spread */
        double rad = 0.6 * sqrt((double)(i / 3) / (n / 3));
        x[i] = (k == 0 ? -2 : k == 1 ? 2 : 0) + rad * cos(a) * 1.5;
        y[i] = (k == 2 ? 2 : -1) + rad * sin(a);
        cls[i] = k;
    }
}

Test(scatter, golden_clusters)
{
    double x[60], y[60];
    int cls[60];
    clusters(x, y, cls, 60);
    ScatterSpec spec;
    scatter_spec_init(&spec);
    spec.x = x;
    spec.y = y;
    spec.n = 60;
    spec.cls = cls;
    /* Without 256 colours the classes are digits, with them braille dots in
     * ten colours; either way the last row is the legend. */
    Canvas *a = support_canvas(30, 10, 0), *u = support_canvas(30, 10, 1);
    canvas_set_colors(u, 256);
    scatter_draw(a, canvas_rect(a), &spec);
    scatter_draw(u, canvas_rect(u), &spec);
    support_golden_canvas(a, "scatter_ascii");
    support_golden_canvas(u, "scatter_utf8");
    cr_assert_eq(canvas_cell(u, 10, 9)->role, ROLE_CLASS0 + 1, "the legend's '1' is in class 1's colour");
    Canvas *d = support_canvas(30, 10, 1);
    canvas_set_colors(d, 16);
    scatter_draw(d, canvas_rect(d), &spec);
    cr_assert_eq(canvas_cell(d, 0, 7)->ch, (uint32_t)'0', "16 colours: digits as markers");
    canvas_free(a);
    canvas_free(u);
    canvas_free(d);
}

/* ---- progress and sparkline ---- */

Test(progress, eta_format)
{
    char b[16];
    progress_format_eta(4.6, b, sizeof b);
    cr_assert_str_eq(b, "5s");
    progress_format_eta(65, b, sizeof b);
    cr_assert_str_eq(b, "1m05s");
    progress_format_eta(3725, b, sizeof b);
    cr_assert_str_eq(b, "1h02m");
    progress_format_eta(90000, b, sizeof b);
    cr_assert_str_eq(b, "1d01h");
    progress_format_eta(NAN, b, sizeof b);
    cr_assert_str_eq(b, "?");
    progress_format_eta(-1, b, sizeof b);
    cr_assert_str_eq(b, "?");
}

Test(progress, bars)
{
    Canvas *a = support_canvas(30, 1, 0);
    progress_draw(a, canvas_rect(a), "louvain", 0.42, 65, ROLE_PROGRESS, ROLE_LABEL);
    /* 30 cells = "louvain " 8 + brackets 2 + bar 5 + "  42%" 5 +
     * " ETA 1m05s" 10; round(0.42 * 5) = 2 bar cells are full. */
    support_expect_dump(a, "louvain [##---]  42% ETA 1m05s\n");
    cr_assert_eq(canvas_cell(a, 9, 0)->role, ROLE_PROGRESS);
    cr_assert_eq(canvas_cell(a, 11, 0)->role, ROLE_LABEL);
    /* Narrow: the ETA goes first, then the label, then the percent. */
    Canvas *n = support_canvas(16, 1, 0);
    progress_draw(n, canvas_rect(n), "louvain", 1.0, 65, ROLE_PROGRESS, ROLE_LABEL);
    support_expect_dump(n, "[#########] 100%\n");
    Canvas *m = support_canvas(4, 1, 0);
    progress_draw(m, canvas_rect(m), "louvain", 0.07, 65, ROLE_PROGRESS, ROLE_LABEL);
    support_expect_dump(m, "  7%\n");
    canvas_free(m);
    canvas_free(n);

    Canvas *u = support_canvas(20, 1, 1);
    progress_draw(u, canvas_rect(u), NULL, 0.5, NAN, ROLE_PROGRESS, ROLE_LABEL);
    /* 15 cells = 120 eighths, half is 60 = 7 full cells and a half block. */
    support_expect_dump(u, "███████▌·······  50%\n");
    canvas_free(u);
    canvas_free(a);
}

Test(sparkline, levels)
{
    Canvas *u = support_canvas(10, 1, 1);
    double v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    sparkline_draw(u, 0, 0, 10, v, 8, NAN, NAN, ROLE_PLOT1);
    support_expect_dump(u, "  ▁▂▃▄▅▆▇█\n");
    /* Only the last w values are shown. */
    canvas_clear(u);
    sparkline_draw(u, 0, 0, 3, v, 8, 0, 7, ROLE_PLOT1);
    support_expect_dump(u, "▆▇█\n");
    canvas_free(u);
    Canvas *a = support_canvas(5, 1, 0);
    double w[5] = {0, 1, NAN, 2, 3};
    sparkline_draw(a, 0, 0, 5, w, 5, NAN, NAN, ROLE_PLOT1);
    support_expect_dump(a, "_. -'\n");
    canvas_free(a);
}
