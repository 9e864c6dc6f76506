/* The pane registry: the order here is the order on screen. */
#include "neurotop/tui/pane.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/phases.h"
#include "neurotop/analysis/trend.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/plot.h"

extern const PaneOps pane_accuracy_ops;
extern const PaneOps pane_modularity_ops;
extern const PaneOps pane_weights_ops;
extern const PaneOps pane_strength_ops;
extern const PaneOps pane_fields_ops;
extern const PaneOps pane_flexibility_ops;
extern const PaneOps pane_entropy_ops;
extern const PaneOps pane_norms_ops;
extern const PaneOps pane_trajectory_ops;

const PaneOps *const pane_registry[] = {
    &pane_accuracy_ops,
    &pane_modularity_ops,
    &pane_weights_ops,
    &pane_strength_ops,
    &pane_fields_ops,
    &pane_flexibility_ops,
    &pane_entropy_ops,
    &pane_norms_ops,
    &pane_trajectory_ops,
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

/* FNV-1a over the bytes of v, continuing from h. */
static uint64_t hash_doubles(uint64_t h, const double *v, size_t n)
{
    const unsigned char *b = (const unsigned char *)v;
    for (size_t i = 0; i < n * sizeof *v; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

/* The last detection, reused while the inputs are unchanged: panes ask for
 * the phases several times per frame and the tests cost O(epochs). Only the
 * UI thread draws panes. */
static struct {
    uint64_t key;
    size_t n, cap;
    Phase *lab;
    PhaseResult res;
} phase_cache;

/* The phases of the whole-graph Q from the runs each epoch recorded (mean,
 * SD from the range, count), over the leading stretch where they and the
 * accuracy are known. Fills lab (t->n entries) and returns the points
 * used, 0 when there are no phases to show. */
static size_t phase_labels(const SeriesTable *t, Phase *lab, PhaseResult *res)
{
    const double *mean = t ? series_get(t, "q_whole_mean") : NULL, *acc = t ? series_get(t, "test_acc") : NULL;
    const double *lo = t ? series_get(t, "q_whole_min") : NULL, *hi = t ? series_get(t, "q_whole_max") : NULL;
    const double *reps = t ? series_get(t, "q_reps") : NULL;
    if (!mean || !acc || !lo || !hi || !reps || t->n < 4)
        return 0;
    size_t n = 0;
    while (n < t->n && isfinite(mean[n]) && isfinite(acc[n]) && isfinite(lo[n]) && isfinite(hi[n]) &&
           reps[n] >= 2 && reps[n] <= 1e6)
        n++;
    if (n < 4)
        return 0;
    uint64_t key = 1469598103934665603ULL;
    const double *in[6] = {t->epoch, mean, lo, hi, reps, acc};
    for (int k = 0; k < 6; k++)
        key = hash_doubles(key, in[k], n);
    if (phase_cache.lab && phase_cache.n == n && phase_cache.key == key) {
        memcpy(lab, phase_cache.lab, n * sizeof *lab);
        *res = phase_cache.res;
        return n;
    }
    double *sd = malloc(n * sizeof *sd);
    size_t *runs = malloc(n * sizeof *runs);
    int ok = sd && runs;
    for (size_t i = 0; ok && i < n; i++) {
        runs[i] = (size_t)reps[i];
        sd[i] = (hi[i] - lo[i]) / trend_range_d2(runs[i]);
    }
    ok = ok && phases_detect(mean, sd, runs, acc, NULL, n, NULL, lab, res, NULL) == ST_OK;
    free(sd);
    free(runs);
    if (!ok)
        return 0;
    if (phase_cache.cap < n) {
        Phase *grown = realloc(phase_cache.lab, n * sizeof *grown);
        if (!grown)
            return n;
        phase_cache.lab = grown;
        phase_cache.cap = n;
    }
    memcpy(phase_cache.lab, lab, n * sizeof *lab);
    phase_cache.res = *res;
    phase_cache.n = n;
    phase_cache.key = key;
    return n;
}

size_t pane_phase_ranges(const SeriesTable *t, PlotRange *out, const char **current)
{
    if (current)
        *current = "";
    Phase *lab = t && t->n ? malloc(t->n * sizeof *lab) : NULL;
    PhaseResult res;
    size_t n = lab ? phase_labels(t, lab, &res) : 0;
    free(lab);
    if (n == 0)
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

const char *pane_phase_at(const SeriesTable *t, double epoch)
{
    Phase *lab = t && t->n ? malloc(t->n * sizeof *lab) : NULL;
    PhaseResult res;
    size_t n = lab ? phase_labels(t, lab, &res) : 0;
    /* The last labelled point at or before the epoch (NaN: the last). */
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (!(t->epoch[i] > epoch))
            at = i;
    if (n && isnan(epoch))
        at = n - 1;
    Phase p = at < n ? lab[at] : PHASE_NONE;
    free(lab);
    /* Beyond the points the rule saw, the phase is not known. */
    if (n && !isnan(epoch) && epoch > t->epoch[n - 1] && n < t->n)
        p = PHASE_NONE;
    return p == PHASE_NONE ? "" : phases_name(p);
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
