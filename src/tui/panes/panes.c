/* The pane registry: the order here is the order on screen. */
#include "neurotop/tui/pane.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/analysis/phases.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/plot.h"

extern const PaneOps pane_accuracy_ops;
extern const PaneOps pane_modularity_ops;
extern const PaneOps pane_weights_ops;
extern const PaneOps pane_fields_ops;
extern const PaneOps pane_flexibility_ops;
extern const PaneOps pane_entropy_ops;

const PaneOps *const pane_registry[] = {
    &pane_accuracy_ops,
    &pane_modularity_ops,
    &pane_weights_ops,
    &pane_fields_ops,
    &pane_flexibility_ops,
    &pane_entropy_ops,
};

const size_t pane_registry_count = sizeof pane_registry / sizeof pane_registry[0];

Status pane_export_series(const PaneView *v, const char *const *keys, size_t n_keys, const char *base,
                          char *written, size_t cap, char *msg)
{
    if (!v->series || v->series->n == 0)
        return status_fail(msg, ST_EINVAL, "there is no series to export yet");
    char csv[1200], gp[1200];
    snprintf(csv, sizeof csv, "%s.csv", base);
    snprintf(gp, sizeof gp, "%s.gp", base);
    Status st = export_series_csv(v->series, csv, msg);
    if (!st)
        st = export_gnuplot(v->series, keys, n_keys, csv, gp, msg);
    if (!st)
        snprintf(written, cap, "%s and %s (`gnuplot %s` draws %.*s.svg)", csv, gp, gp, (int)(strlen(gp) - 3), gp);
    return st;
}

size_t pane_phase_ranges(const SeriesTable *t, PlotRange *out, const char **current)
{
    if (current)
        *current = "";
    const double *q = t ? series_get(t, "q_whole") : NULL, *acc = t ? series_get(t, "test_acc") : NULL;
    if (!q || !acc || t->n < 4)
        return 0;
    /* The leading stretch where both are known (Q may be off later). */
    size_t n = 0;
    while (n < t->n && isfinite(q[n]) && isfinite(acc[n]))
        n++;
    if (n < 4)
        return 0;
    PhaseResult res;
    if (phases_detect(q, acc, NULL, n, NULL, NULL, &res, NULL) != ST_OK)
        return 0;
    size_t found = 0;
    for (int k = PHASE_EARLY; k <= PHASE_LATE; k++)
        found += res.start[k] >= 0;
    if (found < 2)
        return 0;
    static const Role roles[4] = {ROLE_DEFAULT, ROLE_PHASE1, ROLE_PHASE2, ROLE_PHASE3};
    size_t m = 0;
    for (int k = PHASE_EARLY; k <= PHASE_LATE; k++) {
        if (res.start[k] < 0)
            continue;
        long end = (long)n - 1;
        for (int j = k + 1; j <= PHASE_LATE; j++)
            if (res.start[j] >= 0) {
                end = res.start[j] - 1;
                break;
            }
        out[m].x0 = t->epoch[res.start[k]] - 0.5;
        out[m].x1 = t->epoch[end] + 0.5;
        out[m].role = roles[k];
        m++;
        if (current)
            *current = phases_name((Phase)k);
    }
    return m;
}

void pane_plot_over_epochs(PlotSpec *spec, const SeriesTable *t, const char *y_fmt, int x_labels,
                           double cursor)
{
    spec->x = t->epoch;
    spec->n_x = t->n;
    spec->x_min = t->epoch[0];
    spec->x_max = t->epoch[t->n - 1];
    spec->cursor_x = cursor;
    spec->cursor_role = ROLE_CURSOR;
    spec->y_fmt = y_fmt;
    spec->x_labels = x_labels;
}
