/* Accuracy pane: held-out accuracy and training loss over epochs, with the
 * current values as numbers. A run of an unsupervised kind has no accuracy
 * (test_acc null): the pane shows its held-out reconstruction error
 * (test_recon) in its place. */
#include <math.h>
#include <stdio.h>

#include "neurotop/tui/pane.h"
#include "neurotop/tui/plot.h"

static double last_finite(const double *v, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (isfinite(v[i - 1]))
            return v[i - 1];
    return NAN;
}

/* Both plots share the x range and the label margin, so epochs line up. */
static void draw_series(Canvas *c, Rect r, const SeriesTable *t, const double *y, Role role, const char *name,
                        const char *fmt, int x_labels, double cursor)
{
    PlotSeries s = {.y = y, .n = t->n, .role = role, .name = name};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = &s;
    spec.n_series = 1;
    pane_plot_over_epochs(&spec, t, fmt, x_labels, cursor);
    PlotRange phases[3];
    spec.n_ranges = pane_phase_ranges(t, phases, NULL);
    spec.ranges = phases;
    plot_draw(c, r, &spec);
}

static void accuracy_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title,
                          size_t cap)
{
    (void)state;
    (void)title;
    (void)cap;
    const SeriesTable *t = v->series;
    const double *acc = t ? series_get(t, "test_acc") : NULL;
    const double *loss = t ? series_get(t, "train_loss") : NULL;
    const double *recon = t ? series_get(t, "test_recon") : NULL;
    int unsupervised = recon && isfinite(last_finite(recon, t->n)) &&
                       (!acc || !isfinite(last_finite(acc, t->n)));
    if (unsupervised)
        acc = recon;
    if (!acc || t->n == 0) {
        canvas_text(c, r, r.x, r.y, "waiting for the first evaluation…", ROLE_DIM);
        return;
    }
    Rect head = rect_take_top(&r, 1);
    int x = canvas_text(c, head, head.x, head.y, unsupervised ? "recon " : "acc ", ROLE_LABEL);
    size_t shown = pane_view_count(v);
    if (unsupervised)
        x = canvas_printf(c, head, x, head.y, ROLE_PLOT1, "%.4f", last_finite(acc, shown));
    else
        x = canvas_printf(c, head, x, head.y, ROLE_PLOT1, "%.2f%%", 100.0 * last_finite(acc, shown));
    double l = loss ? last_finite(loss, shown) : NAN;
    x = canvas_text(c, head, x + 2, head.y, "loss ", ROLE_LABEL);
    if (isfinite(l))
        x = canvas_printf(c, head, x, head.y, ROLE_PLOT2, "%.4f", l);
    else
        x = canvas_text(c, head, x, head.y, "-", ROLE_DIM);
    if (v->snap && isfinite(v->snap->eval.loss)) {
        x = canvas_text(c, head, x + 1, head.y, "(test ", ROLE_LABEL);
        x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%.3f", v->snap->eval.loss);
        canvas_text(c, head, x, head.y, ")", ROLE_LABEL);
    }
    if (r.h >= 7 && loss) {
        Rect top = rect_take_top(&r, r.h / 2);
        draw_series(c, top, t, acc, ROLE_PLOT1, unsupervised ? "recon" : "acc", "%.3f", 0, v->cursor_x);
        draw_series(c, r, t, loss, ROLE_PLOT2, "train loss", "%.3f", 1, v->cursor_x);
    } else {
        draw_series(c, r, t, acc, ROLE_PLOT1, unsupervised ? "recon" : "acc", unsupervised ? "%.3f" : "%.2f",
                    r.h >= 4, v->cursor_x);
    }
}

static Status accuracy_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                              char *msg)
{
    (void)state;
    static const char *const keys[] = {"test_acc", "train_loss", "test_loss", "test_recon"};
    int recon = v->series && series_get(v->series, "test_recon") != NULL;
    return pane_export_series(v, keys, recon ? 4 : 3, base, written, cap, msg);
}

const PaneOps pane_accuracy_ops = {
    .name = "accuracy",
    .title = "Accuracy",
    .keys_help = NULL,
    .min_w = 30,
    .min_h = 7,
    .weight = 1,
    .draw = accuracy_draw,
    .export_data = accuracy_export,
};
