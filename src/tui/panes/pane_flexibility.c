/* Flexibility pane (seed paper 001): the hidden units' functional network
 * over time — system flexibility and multilayer Q over epochs, each with
 * its min–max band over the Louvain runs; the slices are the last L epochs
 * (MLP) or windows of the probe stream (HebbFF), docs/methods.md §13;
 * the number of communities, and the mean correlation beside Q: while
 * HebbFF's plasticity rate grows, every correlation turns positive and the
 * network collapses to one community (Q = 0), which only Q, k and mean r
 * together reveal (measured in neurotop's HebbFF runs; docs/reproductions.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/measure/metrics_activity.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/plot.h"

static double value_at(const SeriesTable *t, const char *key, size_t shown)
{
    const double *v = series_get(t, key);
    for (size_t i = shown; v && i > 0; i--)
        if (isfinite(v[i - 1]))
            return v[i - 1];
    return NAN;
}

/* The legend name of a series key. */
static const char *curve_name(const char *key)
{
    static const char *const names[][2] = {{"flex_system", "flexibility"}, {"flex_q", "multilayer Q"},
                                           {"fc_mean", "mean r"},          {"fc_mean_abs", "|r|"},
                                           {"flex_communities", "communities"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], key) == 0)
            return names[i][1];
    return key;
}

/* One or two curves over the epochs, with the band between the series
 * band[0] and band[1] (band NULL: none). */
static void draw_curves(Canvas *c, Rect r, const SeriesTable *t, const char *const *keys, const Role *roles,
                        size_t n_keys, const char *const *band, int x_labels, double cursor, const char *fmt)
{
    PlotSeries s[4];
    size_t n = 0;
    for (size_t k = 0; k < n_keys; k++) {
        const double *y = series_get(t, keys[k]);
        if (y)
            s[n++] = (PlotSeries){.y = y, .n = t->n, .role = roles[k], .name = curve_name(keys[k])};
    }
    PlotSpec spec;
    plot_spec_init(&spec);
    const double *lo = band ? series_get(t, band[0]) : NULL, *hi = band ? series_get(t, band[1]) : NULL;
    if (band && lo && hi && n < 3) {
        s[n++] = (PlotSeries){.y = lo, .n = t->n, .role = ROLE_BAND};
        s[n++] = (PlotSeries){.y = hi, .n = t->n, .role = ROLE_BAND};
        spec.band_lo = (int)n - 2;
        spec.band_hi = (int)n - 1;
        spec.band_role = ROLE_BAND;
    }
    if (n == 0)
        return;
    spec.series = s;
    spec.n_series = n;
    pane_plot_over_epochs(&spec, t, fmt, x_labels, cursor);
    plot_draw(c, r, &spec);
}

/* "flex 0.065  Q 0.306±0.002  4 comm  r +0.00" (longer words when wide). */
static void draw_head(Canvas *c, Rect head, const SeriesTable *t, size_t shown)
{
    int wide = head.w >= 56;
    double f = value_at(t, "flex_system", shown), q = value_at(t, "flex_q", shown);
    double lo = value_at(t, "flex_q_min", shown), hi = value_at(t, "flex_q_max", shown);
    double k = value_at(t, "flex_communities", shown), r = value_at(t, "fc_mean", shown);
    int x = canvas_text(c, head, head.x, head.y, wide ? "flexibility " : "flex ", ROLE_LABEL);
    x = isfinite(f) ? canvas_printf(c, head, x, head.y, ROLE_PLOT1, "%.3f", f)
                    : canvas_text(c, head, x, head.y, "n/a", ROLE_DIM);
    x = canvas_text(c, head, x + 1, head.y, " Q ", ROLE_LABEL);
    x = isfinite(q) ? canvas_printf(c, head, x, head.y, ROLE_PLOT3, "%.3f", q)
                    : canvas_text(c, head, x, head.y, "n/a", ROLE_DIM);
    if (wide && isfinite(lo) && isfinite(hi) && hi > lo)
        x = canvas_printf(c, head, x, head.y, ROLE_DIM, "±%.3f", (hi - lo) / 2);
    if (isfinite(k))
        x = canvas_printf(c, head, x + 1, head.y, ROLE_VALUE, " %.0f%s", k, wide ? (k == 1 ? " community" : " communities") : "c");
    x = canvas_text(c, head, x + 1, head.y, wide ? " mean r " : " r", ROLE_LABEL);
    x = canvas_printf(c, head, x, head.y, ROLE_PLOT2, "%+.2f", r);
    double ra = value_at(t, "fc_mean_abs", shown);
    if (wide && isfinite(ra)) {
        x = canvas_text(c, head, x + 1, head.y, " |r| ", ROLE_LABEL);
        canvas_printf(c, head, x, head.y, ROLE_VALUE, "%.2f", ra);
    }
}

static void flex_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    (void)state;
    const SeriesTable *t = v->series;
    size_t shown = pane_view_count(v);
    double reps = t && t->n ? value_at(t, "flex_reps", t->n) : NAN;
    if (!t || t->n == 0 || !series_get(t, "fc_mean")) {
        canvas_text(c, r, r.x, r.y, "no functional network yet (needs probe activations)", ROLE_DIM);
        return;
    }
    double L = value_at(t, "flex_windows", t->n), Z = value_at(t, "flex_window_len", t->n);
    double E = value_at(t, "flex_epochs", t->n), held = value_at(t, "flex_epochs_held", t->n);
    if (isfinite(reps) && isfinite(E))
        snprintf(title, cap, "Flexibility · %.0f epochs, best of %.0f", E, reps);
    else if (isfinite(reps) && isfinite(L))
        snprintf(title, cap, "Flexibility · %.0f×%.0f items, best of %.0f", L, Z, reps);
    Rect head = rect_take_top(&r, 1);
    draw_head(c, head, t, shown);
    if (!series_get(t, "flex_q") || !isfinite(value_at(t, "flex_q", t->n))) {
        if (isfinite(reps) && isfinite(E))
            canvas_printf(c, r, r.x, r.y, ROLE_DIM, "needs %.0f consecutive epochs, %.0f so far", E, held);
        else if (series_get(t, "flex_sub_q"))
            canvas_text(c, r, r.x, r.y, "slices are probe subsamples, not time: flex_sub_* keys", ROLE_DIM);
        else
            canvas_text(c, r, r.x, r.y,
                        isfinite(reps) ? "probe too short for 2 windows of 10" : "flexibility off (:set flexreps N)",
                        ROLE_DIM);
        return;
    }
    /* A run recorded before slices were time: windows of independent items. */
    if (!isfinite(E) && isfinite(L) && v->snap && !activity_probe_is_stream(&v->snap->config) && r.h >= 5) {
        Rect warn = rect_take_top(&r, 1);
        canvas_text(c, warn, warn.x, warn.y, "windows of i.i.d. probe items: subsamples, not time", ROLE_WARNING);
    }
    double k = value_at(t, "flex_communities", shown), mr = value_at(t, "fc_mean", shown);
    if ((k <= 1 || mr > 0.5) && r.h >= 5) {
        Rect warn = rect_take_top(&r, 1);
        canvas_printf(c, warn, warn.x, warn.y, ROLE_WARNING, "%s mean r %+.2f: common mode (:flex --regress-mean)",
                      k <= 1 ? "one community," : "", mr);
    }
    static const char *const flex_key[] = {"flex_system"}, *const q_key[] = {"flex_q"};
    static const char *const both[] = {"flex_system", "flex_q"}, *const side_keys[] = {"fc_mean", "fc_mean_abs"};
    static const Role r1[] = {ROLE_PLOT1}, r3[] = {ROLE_PLOT3}, r13[] = {ROLE_PLOT1, ROLE_PLOT3},
                      r24[] = {ROLE_PLOT2, ROLE_PLOT4};
    /* Wide: mean r and |r| beside Q, with the community count. */
    if (r.w >= 70 && r.h >= 6) {
        Rect side = rect_take_right(&r, r.w / 3);
        rect_take_left(&side, 1);
        Rect top = rect_take_top(&side, side.h / 2);
        draw_curves(c, top, t, side_keys, r24, 2, NULL, 0, v->cursor_x, "%.2f");
        static const char *const k_key[] = {"flex_communities"};
        static const Role rv[] = {ROLE_VALUE};
        draw_curves(c, side, t, k_key, rv, 1, NULL, 1, v->cursor_x, "%.0f");
    }
    if (r.h >= 6) {
        Rect top = rect_take_top(&r, r.h / 2);
        static const char *const flex_band[] = {"flex_system_min", "flex_system_max"},
                                 *const q_band[] = {"flex_q_min", "flex_q_max"};
        draw_curves(c, top, t, flex_key, r1, 1, flex_band, 0, v->cursor_x, "%.3f");
        draw_curves(c, r, t, q_key, r3, 1, q_band, 1, v->cursor_x, "%.3f");
    } else {
        draw_curves(c, r, t, both, r13, 2, NULL, r.h >= 4, v->cursor_x, "%.2f");
    }
}

static Status flex_export(void *state, const PaneView *v, const char *base, char *written, size_t cap, char *msg)
{
    (void)state;
    static const char *const keys[] = {"flex_system", "flex_system_min", "flex_system_max", "flex_q",
                                       "flex_q_min", "flex_q_max", "flex_communities", "fc_mean", "fc_mean_abs"};
    return pane_export_series(v, keys, sizeof keys / sizeof keys[0], base, written, cap, msg);
}

const PaneOps pane_flexibility_ops = {
    .name = "flexibility",
    .title = "Flexibility",
    .keys_help = NULL,
    .min_w = 30,
    .min_h = 5,
    .weight = 1,
    .optional = 1,
    .draw = flex_draw,
    .export_data = flex_export,
};
