/* Entropy pane (seed paper 001): the distribution entropy of the hidden
 * activations over epochs (Gaussian fit, docs/methods.md §14, ridge 1e-6 — the pane
 * says when the covariance needed it), the histogram of every hidden
 * activation of the probe items at the shown epoch, and its skewness and
 * excess kurtosis. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/histogram.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/run/export.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/widgets.h"

#define ENTROPY_BINS_MAX 256

/* The histogram of one snapshot's hidden activations, kept until the shown
 * epoch or the width changes. */
typedef struct {
    int valid;
    size_t epoch, examples, n_probe, bins;
    float *x;
    size_t x_cap;
    double counts[ENTROPY_BINS_MAX];
    double lo, hi;
    Moments m;
} EntropyState;

static Status entropy_create(void **state, char *msg)
{
    *state = calloc(1, sizeof(EntropyState));
    return *state ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory");
}

static void entropy_destroy(void *state)
{
    EntropyState *s = state;
    if (s)
        free(s->x);
    free(s);
}

/* Sigmoid units live in [0, 1]: keep that axis so epochs compare; any other
 * range is widened to steps of 0.25. */
static void pick_range(const Moments *m, double *lo, double *hi)
{
    if (m->min >= 0.0 && m->max <= 1.0) {
        *lo = 0.0;
        *hi = 1.0;
        return;
    }
    *lo = floor(m->min * 4.0) / 4.0;
    *hi = ceil(m->max * 4.0) / 4.0;
    if (!(*hi > *lo))
        *hi = *lo + 1.0;
}

/* 1 when the cache holds the snapshot's histogram with `bins` bins. */
static int refresh(EntropyState *s, const Snapshot *snap, size_t bins)
{
    bins = bins < 1 ? 1 : bins > ENTROPY_BINS_MAX ? ENTROPY_BINS_MAX : bins;
    if (s->valid && s->epoch == snap->epoch && s->examples == snap->examples_seen && s->bins == bins &&
        s->n_probe == snap->n_probe)
        return 1;
    s->valid = 0;
    size_t p, n = snap->n_probe;
    if (n == 0 || activity_units(&snap->config, ACTIVITY_ALL_HIDDEN, &p, NULL) || p > SIZE_MAX / sizeof(float) / n)
        return 0;
    if (n * p > s->x_cap) {
        float *x = realloc(s->x, n * p * sizeof(float));
        if (!x)
            return 0;
        s->x = x;
        s->x_cap = n * p;
    }
    size_t counts[ENTROPY_BINS_MAX];
    if (activity_gather(snap, ACTIVITY_ALL_HIDDEN, s->x, NULL) ||
        moments_compute_f(s->x, n * p, 1, &s->m, NULL))
        return 0;
    pick_range(&s->m, &s->lo, &s->hi);
    if (histogram_compute(s->x, n * p, s->lo, s->hi, bins, counts, NULL, NULL))
        return 0;
    for (size_t b = 0; b < bins; b++)
        s->counts[b] = (double)counts[b];
    s->epoch = snap->epoch;
    s->examples = snap->examples_seen;
    s->n_probe = n;
    s->bins = bins;
    s->valid = 1;
    return 1;
}

static double value_at(const SeriesTable *t, const char *key, size_t shown)
{
    const double *v = t ? series_get(t, key) : NULL;
    for (size_t i = shown; v && i > 0; i--)
        if (isfinite(v[i - 1]))
            return v[i - 1];
    return NAN;
}

static void draw_entropy_plot(Canvas *c, Rect r, const SeriesTable *t, int x_labels, double cursor)
{
    const double *h = series_get(t, "entropy_nats");
    if (!h)
        return;
    PlotSeries s = {.y = h, .n = t->n, .role = ROLE_PLOT1, .name = "H"};
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = &s;
    spec.n_series = 1;
    pane_plot_over_epochs(&spec, t, "%.0f", x_labels, cursor);
    plot_draw(c, r, &spec);
}

static void draw_hist(EntropyState *s, const Snapshot *snap, Canvas *c, Rect r)
{
    /* One bin per column beside the count margin. */
    size_t p = 0;
    int margin = 0;
    if (snap && r.h >= 3 && activity_units(&snap->config, ACTIVITY_ALL_HIDDEN, &p, NULL) == ST_OK) {
        margin = hist_count_margin(snap->n_probe * p);
        if (r.w <= 2 * margin)
            margin = 0;
    }
    if (!snap || !refresh(s, snap, (size_t)(r.w - margin))) {
        canvas_text(c, r, r.x, r.y, "no probe activations at this epoch", ROLE_DIM);
        return;
    }
    HistSpec spec;
    hist_spec_init(&spec);
    spec.counts = s->counts;
    spec.n_bins = s->bins;
    spec.lo = s->lo;
    spec.hi = s->hi;
    spec.labels = r.h >= 3;
    spec.mark = s->m.mean;
    spec.mark_label = "mean";
    spec.count_margin = margin;
    spec.role = ROLE_PLOT2;
    hist_draw(c, r, &spec);
}

static void entropy_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    EntropyState *s = state;
    const SeriesTable *t = v->series;
    size_t shown = pane_view_count(v);
    double h = value_at(t, "entropy_nats", shown);
    if (!t || t->n == 0 || !series_get(t, "entropy_nats")) {
        canvas_text(c, r, r.x, r.y, "no entropy yet (needs probe activations)", ROLE_DIM);
        return;
    }
    double ridge = value_at(t, "entropy_ridge", shown), d = value_at(t, "entropy_dim", shown);
    snprintf(title, cap, "Entropy · Gaussian, %s", ridge == 1.0 ? "ridge 1e-6 used" : "no ridge needed");
    Rect head = rect_take_top(&r, 1);
    int wide = head.w >= 56;
    int x = canvas_text(c, head, head.x, head.y, "H ", ROLE_LABEL);
    x = canvas_printf(c, head, x, head.y, ROLE_PLOT1, "%.1f", h);
    x = canvas_text(c, head, x, head.y, wide ? " nats" : "", ROLE_LABEL);
    if (ridge == 1.0)
        x = canvas_text(c, head, x + 1, head.y, wide ? " (ridge: Σ singular)" : " ridge", ROLE_WARNING);
    if (wide && isfinite(d))
        x = canvas_printf(c, head, x + 1, head.y, ROLE_DIM, " d %.0f", d);
    x = canvas_text(c, head, x + 1, head.y, wide ? " skew " : " sk", ROLE_LABEL);
    x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%+.2f", value_at(t, "act_skew", shown));
    x = canvas_text(c, head, x, head.y, wide ? " kurt " : " ku", ROLE_LABEL);
    x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%+.2f", value_at(t, "act_kurt", shown));
    if (wide) {
        x = canvas_text(c, head, x, head.y, " mean ", ROLE_LABEL);
        canvas_printf(c, head, x, head.y, ROLE_VALUE, "%.2f", value_at(t, "act_mean", shown));
    }
    if (r.w >= 60 && r.h >= 4) {
        /* Side by side: entropy over epochs, the shown epoch's histogram. */
        Rect right = rect_take_right(&r, r.w / 2);
        rect_take_left(&right, 1);
        draw_entropy_plot(c, r, t, r.h >= 4, v->cursor_x);
        draw_hist(s, v->snap, c, right);
    } else if (r.h >= 6) {
        Rect top = rect_take_top(&r, r.h / 2);
        draw_entropy_plot(c, top, t, 0, v->cursor_x);
        draw_hist(s, v->snap, c, r);
    } else {
        draw_hist(s, v->snap, c, r);
    }
}

/* Bin centres and counts of the shown epoch's histogram, plus the entropy
 * series. */
static Status entropy_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                             char *msg)
{
    EntropyState *s = state;
    static const char *const keys[] = {"entropy_nats", "entropy_ridge", "act_skew", "act_kurt"};
    char series_base[1200];
    snprintf(series_base, sizeof series_base, "%s-series", base);
    Status st = pane_export_series(v, keys, 4, series_base, written, cap, msg);
    if (st || !v->snap || !refresh(s, v->snap, s->bins ? s->bins : 64))
        return st;
    double m[2 * ENTROPY_BINS_MAX];
    double w = (s->hi - s->lo) / (double)s->bins;
    for (size_t b = 0; b < s->bins; b++) {
        m[2 * b] = s->lo + ((double)b + 0.5) * w;
        m[2 * b + 1] = s->counts[b];
    }
    char csv[1200];
    snprintf(csv, sizeof csv, "%s-histogram.csv", base);
    if ((st = export_matrix_csv(m, s->bins, 2, csv, msg)))
        return st;
    size_t used = strlen(written);
    if (used < cap)
        snprintf(written + used, cap - used, "; %s (bin centre, count)", csv);
    return ST_OK;
}

const PaneOps pane_entropy_ops = {
    .name = "entropy",
    .title = "Entropy",
    .keys_help = NULL,
    .min_w = 30,
    .min_h = 5,
    .weight = 1,
    .optional = 1,
    .create = entropy_create,
    .destroy = entropy_destroy,
    .draw = entropy_draw,
    .export_data = entropy_export,
};
