/* Modularity pane (seed paper 000): Q of the signed weight graph over epochs
 * for the whole graph and for the hidden subgraph (HL1 + HL2 + output, the
 * sensitive readout), each with the min–max band over the Louvain runs so
 * noise is not read as learning, the module counts, and — when there is
 * room — accuracy against Q (the paper's Fig. 1E). */
#include <math.h>
#include <stdio.h>

#include "neurotop/tui/pane.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/widgets.h"

static double last_finite(const double *v, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (v && isfinite(v[i - 1]))
            return v[i - 1];
    return NAN;
}

static void draw_q(Canvas *c, Rect r, const SeriesTable *t, const char *name, Role role, int x_labels,
                   double cursor)
{
    char legend[32];
    snprintf(legend, sizeof legend, "Q %s", name);
    char key[METRIC_KEY_LEN], kmin[METRIC_KEY_LEN], kmax[METRIC_KEY_LEN];
    snprintf(key, sizeof key, "q_%s", name);
    snprintf(kmin, sizeof kmin, "q_%s_min", name);
    snprintf(kmax, sizeof kmax, "q_%s_max", name);
    const double *q = series_get(t, key), *lo = series_get(t, kmin), *hi = series_get(t, kmax);
    if (!q)
        return;
    PlotSeries s[3] = {{.y = q, .n = t->n, .role = role, .name = legend}};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = s;
    spec.n_series = 1;
    if (lo && hi) {
        s[1] = (PlotSeries){.y = lo, .n = t->n, .role = ROLE_BAND};
        s[2] = (PlotSeries){.y = hi, .n = t->n, .role = ROLE_BAND};
        spec.n_series = 3;
        spec.band_lo = 1;
        spec.band_hi = 2;
        spec.band_role = ROLE_BAND;
    }
    pane_plot_over_epochs(&spec, t, "%.3f", x_labels, cursor);
    PlotRange phases[3];
    spec.n_ranges = pane_phase_ranges(t, phases, NULL);
    spec.ranges = phases;
    plot_draw(c, r, &spec);
}

static int head_q(Canvas *c, Rect head, int x, const SeriesTable *t, size_t shown, const char *label,
                  const char *name, Role role)
{
    char key[METRIC_KEY_LEN], kmin[METRIC_KEY_LEN], kmax[METRIC_KEY_LEN], kmod[METRIC_KEY_LEN];
    snprintf(key, sizeof key, "q_%s", name);
    snprintf(kmin, sizeof kmin, "q_%s_min", name);
    snprintf(kmax, sizeof kmax, "q_%s_max", name);
    snprintf(kmod, sizeof kmod, "modules_%s", name);
    double q = last_finite(series_get(t, key), shown);
    double lo = last_finite(series_get(t, kmin), shown), hi = last_finite(series_get(t, kmax), shown);
    double k = last_finite(series_get(t, kmod), shown);
    x = canvas_text(c, head, x, head.y, label, ROLE_LABEL);
    x = canvas_printf(c, head, x, head.y, role, "%.3f", q);
    if (isfinite(lo) && isfinite(hi) && hi - lo > 0 && head.w >= 60)
        x = canvas_printf(c, head, x, head.y, ROLE_DIM, "±%.3f", (hi - lo) / 2);
    if (isfinite(k))
        x = canvas_printf(c, head, x, head.y, ROLE_DIM, " %.0fm", k);
    return x + 2;
}

static void draw_scatter(Canvas *c, Rect r, const SeriesTable *t, const char *name)
{
    char key[METRIC_KEY_LEN];
    snprintf(key, sizeof key, "q_%s", name);
    const double *q = series_get(t, key), *acc = series_get(t, "test_acc");
    if (!q || !acc || r.w < 8 || r.h < 4)
        return;
    canvas_printf(c, r, r.x, r.y, ROLE_DIM, "acc vs Q_%s", name);
    ScatterSpec spec;
    scatter_spec_init(&spec);
    spec.x = q;
    spec.y = acc;
    spec.n = t->n;
    scatter_draw(c, rect_make(r.x, r.y + 1, r.w, r.h - 1), &spec);
}

static void modularity_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    (void)state;
    const SeriesTable *t = v->series;
    if (!t || t->n == 0 || !series_get(t, "q_whole")) {
        canvas_text(c, r, r.x, r.y, "no modularity yet (off with --qreps 0)", ROLE_DIM);
        return;
    }
    double reps = last_finite(series_get(t, "q_reps"), t->n);
    /* The phase of the epoch on screen, not of the last one recorded. */
    double shown_epoch = isnan(v->cursor_x) && v->snap ? (double)v->snap->epoch : v->cursor_x;
    const char *phase = pane_phase_at(t, shown_epoch);
    if (isfinite(reps))
        snprintf(title, cap, "Modularity Q · best of %.0f%s%s", reps, phase[0] ? " · " : "", phase);
    Rect head = rect_take_top(&r, 1);
    size_t shown = pane_view_count(v);
    int x = head_q(c, head, head.x, t, shown, "Q ", "whole", ROLE_PLOT1);
    /* A hidden subgraph that is a star (HebbFF: M units and one read-out
     * node) has no Q: its keys are null, so only the whole graph is drawn. */
    int star = !isfinite(last_finite(series_get(t, "q_hidden"), t->n));
    if (star)
        canvas_text(c, head, x, head.y, "hidden: none (a star)", ROLE_DIM);
    else
        head_q(c, head, x, t, shown, "hidden ", "hidden", ROLE_PLOT3);
    if (r.w >= 70 && r.h >= 8) {
        Rect side = rect_take_right(&r, r.w / 3);
        draw_scatter(c, rect_inset(side, 0), t, star ? "whole" : "hidden");
    }
    if (star) {
        draw_q(c, r, t, "whole", ROLE_PLOT1, r.h >= 4, v->cursor_x);
    } else if (r.h >= 6) {
        Rect top = rect_take_top(&r, r.h / 2);
        draw_q(c, top, t, "whole", ROLE_PLOT1, 0, v->cursor_x);
        draw_q(c, r, t, "hidden", ROLE_PLOT3, 1, v->cursor_x);
    } else {
        draw_q(c, r, t, "hidden", ROLE_PLOT3, r.h >= 4, v->cursor_x);
    }
}

static Status modularity_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                                char *msg)
{
    (void)state;
    static const char *const keys[] = {"q_whole", "q_whole_min", "q_whole_max",
                                       "q_hidden", "q_hidden_min", "q_hidden_max"};
    return pane_export_series(v, keys, 6, base, written, cap, msg);
}

const PaneOps pane_modularity_ops = {
    .name = "modularity",
    .title = "Modularity Q",
    .keys_help = NULL,
    .min_w = 30,
    .min_h = 7,
    .weight = 1,
    .draw = modularity_draw,
    .export_data = modularity_export,
};
