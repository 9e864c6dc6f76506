/* Accuracy pane: held-out accuracy and training loss over epochs, with the
 * current values as numbers. A run of an unsupervised kind has no accuracy
 * (test_acc null): the pane shows its held-out reconstruction error
 * (test_recon) in its place, and a DBN's free-energy gap (fe_gap) and
 * training RBM under it, the gap's curve in place of the loss's. A run that records the two-class rates (tpr,
 * fpr: familiarity, seed paper 001) gets them as curves beside accuracy,
 * and the kind's learned constants (HebbFF's λ and η) as numbers: the
 * pane asks the series, never the kind's name. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/tui/pane.h"
#include "neurotop/tui/plot.h"

static double last_finite(const double *v, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (isfinite(v[i - 1]))
            return v[i - 1];
    return NAN;
}

/* 1 when the series has a key with at least one finite value. */
static int has_values(const SeriesTable *t, const char *key)
{
    const double *v = series_get(t, key);
    return v && isfinite(last_finite(v, t->n));
}

/* Both plots share the x range and the label margin, so epochs line up.
 * With rates, the top plot draws TPR and FPR beside accuracy. */
static void draw_series(Canvas *c, Rect r, const SeriesTable *t, const double *y, Role role, const char *name,
                        const char *fmt, int x_labels, double cursor, int rates)
{
    PlotSeries s[3] = {{.y = y, .n = t->n, .role = role, .name = name}};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = s;
    spec.n_series = 1;
    if (rates) {
        s[1] = (PlotSeries){.y = series_get(t, "tpr"), .n = t->n, .role = ROLE_PLOT3, .name = "TPR"};
        s[2] = (PlotSeries){.y = series_get(t, "fpr"), .n = t->n, .role = ROLE_PLOT4, .name = "FPR"};
        spec.n_series = 3;
    }
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
    char test[32];
    snprintf(test, sizeof test, "%.3f", v->snap ? v->snap->eval.loss : NAN);
    /* Only whole: "(test 0.442)" or nothing. */
    if (v->snap && isfinite(v->snap->eval.loss) && x + 8 + (int)strlen(test) <= head.x + head.w) {
        x = canvas_text(c, head, x + 1, head.y, "(test ", ROLE_LABEL);
        x = canvas_text(c, head, x, head.y, test, ROLE_VALUE);
        canvas_text(c, head, x, head.y, ")", ROLE_LABEL);
    }
    int rates = !unsupervised && has_values(t, "tpr") && has_values(t, "fpr");
    const double *gap = unsupervised && has_values(t, "fe_gap") ? series_get(t, "fe_gap") : NULL;
    if (gap) {
        /* A DBN: the free-energy gap (held-out − training; it grows when
         * the RBM overfits) and the RBM that trained. */
        Rect line = rect_take_top(&r, 1);
        int lx = canvas_text(c, line, line.x, line.y, "FE gap ", ROLE_LABEL);
        lx = canvas_printf(c, line, lx, line.y, ROLE_PLOT2, "%+.3f", last_finite(gap, shown));
        const double *rbm = series_get(t, "rbm");
        double rv = rbm ? last_finite(rbm, shown) : NAN;
        if (isfinite(rv) && lx + 8 <= line.x + line.w) {
            lx = canvas_text(c, line, lx + 2, line.y, "RBM ", ROLE_LABEL);
            canvas_printf(c, line, lx, line.y, ROLE_VALUE, "%.0f", rv);
        }
    } else if (rates || has_values(t, "lambda") || has_values(t, "eta")) {
        /* A second line: the rates and the learned constants. */
        Rect line = rect_take_top(&r, 1);
        static const char *const keys[][2] = {{"tpr", "TPR "}, {"fpr", "FPR "}, {"lambda", "λ "}, {"eta", "η "}};
        static const Role roles[] = {ROLE_PLOT3, ROLE_PLOT4, ROLE_VALUE, ROLE_VALUE};
        int lx = line.x;
        for (size_t k = 0; k < 4; k++) {
            const double *y = series_get(t, keys[k][0]);
            double val = y ? last_finite(y, shown) : NAN;
            char num[32];
            snprintf(num, sizeof num, k < 2 ? "%.3f" : "%+.3f", val);
            /* Whole items only. */
            if (!isfinite(val) || lx + canvas_text_width(keys[k][1]) + (int)strlen(num) > line.x + line.w)
                continue;
            lx = canvas_text(c, line, lx, line.y, keys[k][1], ROLE_LABEL);
            lx = canvas_text(c, line, lx, line.y, num, roles[k]) + 2;
        }
    }
    if (r.h >= 7 && loss) {
        Rect top = rect_take_top(&r, r.h / 2);
        draw_series(c, top, t, acc, ROLE_PLOT1, unsupervised ? "recon" : "acc", "%.3f", 0, v->cursor_x, rates);
        if (gap)
            draw_series(c, r, t, gap, ROLE_PLOT2, "FE gap", "%.3f", 1, v->cursor_x, 0);
        else
            draw_series(c, r, t, loss, ROLE_PLOT2, "train loss", "%.3f", 1, v->cursor_x, 0);
    } else {
        draw_series(c, r, t, acc, ROLE_PLOT1, unsupervised ? "recon" : "acc", unsupervised ? "%.3f" : "%.2f",
                    r.h >= 4, v->cursor_x, rates);
    }
}

static Status accuracy_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                              char *msg)
{
    (void)state;
    const char *keys[10] = {"test_acc", "train_loss", "test_loss"};
    size_t n = 3;
    static const char *const extra[] = {"test_recon", "tpr", "fpr", "lambda", "eta", "fe_gap", "rbm"};
    for (size_t k = 0; k < 7 && v->series; k++)
        if (series_get(v->series, extra[k]))
            keys[n++] = extra[k];
    return pane_export_series(v, keys, n, base, written, cap, msg);
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
