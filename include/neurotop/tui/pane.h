#ifndef NEUROTOP_TUI_PANE_H
#define NEUROTOP_TUI_PANE_H

/* Panes are modules: one file each under tui/panes/, one small table of
 * operations. A pane draws from a read-only view of the store into a rect
 * of the canvas (the app draws the frame and the title) and may handle
 * keys. Adding a pane = one file + one line in the registry (panes.c). */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"
#include "neurotop/run/store.h"
#include "neurotop/tui/canvas.h"
#include "neurotop/tui/keys.h"

/* What a pane may read while drawing. Everything is borrowed and stays
 * valid for the whole draw. */
typedef struct {
    const Snapshot *snap;      /* the epoch shown (NULL before the first) */
    const SeriesTable *series; /* every epoch so far */
    TrainProgress progress;
    double cursor_x;           /* epoch to mark in series plots (browsing, replay); NaN = none */
    const char *run_dir;       /* the run's folder (files beside the store: trajectories); may be NULL */
} PaneView;

/* Number of series entries up to and including the shown epoch (all of them
 * when live): panes print "current" values from entry [n-1]. */
static inline size_t pane_view_count(const PaneView *v)
{
    const SeriesTable *t = v->series;
    if (!t || t->n == 0 || !(v->cursor_x == v->cursor_x)) /* NaN: live */
        return t ? t->n : 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->epoch[i] >= v->cursor_x)
            return i + 1;
    return t->n;
}

/* Results of handle_key, combined with |. */
enum { PANE_IGNORED = 0, PANE_HANDLED = 1, PANE_REDRAW = 2 };

#define PANE_TITLE_LEN 96

/* A word Tab completes after a pane's command name, and the values it
 * completes after that word (NULL-terminated). */
typedef struct {
    const char *word;
    const char *const *values;
} PaneCommandWord;

typedef struct {
    const char *name;      /* "accuracy": used by :zoom and the help */
    const char *title;     /* default frame title */
    const char *keys_help; /* the pane's own keys, for the help overlay (may be NULL) */
    int min_w, min_h;      /* smallest useful size including the frame */
    int weight;            /* share of the height in its grid row */
    int optional;          /* 1: leaves the grid on small terminals (Tab shows it alone) */
    /* Optional: 0 when the pane has nothing to show for the run in run_dir
     * (may be NULL) of the model kind `kind` ("mlp", "dbn"; may be NULL);
     * it then is not created. NULL: always wanted. */
    int (*wanted)(const char *run_dir, const char *kind);
    /* Per-instance state (may be NULL when the pane keeps none). */
    Status (*create)(void **state, char *msg);
    void (*destroy)(void *state);
    /* Draw into `inner` (inside the frame). `title` holds ops->title and may
     * be rewritten (e.g. to name the neuron shown). */
    void (*draw)(void *state, const PaneView *v, Canvas *c, Rect inner, char *title,
                 size_t title_cap);
    /* Optional: a key the app did not use. Returns PANE_* flags. */
    int (*handle_key)(void *state, TuiKey key, const PaneView *v);
    /* Optional (`:export`): write the pane's data as files whose names start
     * with `base` (a path prefix such as RUN/exports/epoch-000012-accuracy):
     * CSV, a gnuplot script for curves, PGM for maps. `written` receives a
     * short list of what was written. */
    Status (*export_data)(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                          char *msg);
    /* Optional `:NAME WORD VALUE` command of the pane (NAME = .name, e.g.
     * `:fields sort norm`): argv[0] is the name. On success `reply` may
     * hold a line for the status line. Usage and help go to the help
     * overlay; command_words (ending with a NULL word) to Tab completion. */
    Status (*command)(void *state, const PaneView *v, int argc, char **argv, char *reply, size_t cap,
                      char *msg);
    const char *command_usage;
    const char *command_help;
    const PaneCommandWord *command_words;
} PaneOps;

/* The learning phases of seed paper 000 (analysis/phases.h: the recorded
 * Louvain runs of the whole weight graph's Q, q_whole_mean/_min/_max and
 * q_reps, against held-out accuracy) as tinted x-ranges for the series
 * plots, once at least two phases are detected. Returns the number of ranges
 * written (at most 3); *current (may be NULL) receives the phase name of the
 * last epoch ("" when none is shown). */
struct PlotRange;
size_t pane_phase_ranges(const SeriesTable *t, struct PlotRange *out, const char **current);

/* The phase ("early", "middle", "late") of the given epoch (NaN: the last
 * recorded one) by the same rule, or "" when it is in none or the phases
 * are not known yet (fewer than 4 epochs with Q runs and accuracy). */
const char *pane_phase_at(const SeriesTable *t, double epoch);

/* A plot over the epochs of t: x = the epochs, the x range from the first
 * to the last, the cursor at `cursor` (NaN: none), y labels in y_fmt. */
struct PlotSpec;
void pane_plot_over_epochs(struct PlotSpec *spec, const SeriesTable *t, const char *y_fmt, int x_labels,
                           double cursor);

/* Shared by the panes' exporters: the series CSV plus a gnuplot script of
 * `keys` (base.csv, base.gp). */
Status pane_export_series(const PaneView *v, const char *const *keys, size_t n_keys, const char *base,
                          char *written, size_t cap, char *msg);

/* The registry, in screen order. */
extern const PaneOps *const pane_registry[];
extern const size_t pane_registry_count;

#endif
