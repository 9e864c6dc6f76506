/* The pane registry: the order here is the order on screen. */
#include "neurotop/tui/pane.h"

#include <stdio.h>

#include "neurotop/train/export.h"

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
        snprintf(written, cap, "%s and %s (run: gnuplot -p %s)", csv, gp, gp);
    return st;
}
