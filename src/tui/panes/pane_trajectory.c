/* Two panes of a run that records its weight trajectories (--record-every,
 * seed paper 003): the L2 norms of every unit's incoming weights over
 * training, as quantile bands per layer (the paper's Fig. 8), and one
 * layer's trajectories projected on their first two principal components,
 * coloured by time. Both read the run's trajectory files; they are not
 * created for runs without them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/measure/info_trajectory.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/plot.h"
#include "neurotop/tui/widgets.h"

/* The projection reads and decomposes at most this many weights (8 MB of
 * doubles, ~0.1 s) on the UI thread, and at most once per REPROJECT_S
 * while training moves on; :trajectories takes 8 times more points. */
#define PANE_MAX_VALUES ((size_t)1 << 20)
#define REPROJECT_S 2.0

typedef struct {
    int layer;              /* 1..: the layer shown; 0 = the output layer */
    size_t key_examples;    /* what the cached data was read for */
    size_t key_epoch;
    int key_layer;
    const char *key_dir;
    double computed_at;     /* monotonic seconds of the last projection */
    int have;
    char error[STATUS_MSG_LEN];
    TrajectoryBands bands;
    TrajectoryProjection proj;
} TrajState;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int wanted(const char *run_dir, const char *kind)
{
    (void)kind;
    return trajectory_recorded(run_dir);
}

static Status traj_create(void **state, char *msg)
{
    TrajState *s = calloc(1, sizeof *s);
    if (!s)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    *state = s;
    return ST_OK;
}

static void traj_destroy(void *state)
{
    TrajState *s = state;
    if (!s)
        return;
    trajectory_bands_free(&s->bands);
    trajectory_projection_free(&s->proj);
    free(s);
}

/* The layer shown: the chosen one, or the output layer. */
static int shown_layer(const TrajState *s, const Snapshot *snap)
{
    int last = (int)snap->config.n_layers - 1;
    return s->layer >= 1 && s->layer <= last ? s->layer : last;
}

/* 1 when the cache must be read again for this view. */
static int stale(const TrajState *s, const PaneView *v, int layer)
{
    return !s->have || s->key_examples != v->snap->examples_seen || s->key_epoch != v->snap->epoch ||
           s->key_layer != layer || s->key_dir != v->run_dir;
}

static void remember(TrajState *s, const PaneView *v, int layer, Status st)
{
    s->have = 1;
    s->key_examples = v->snap->examples_seen;
    s->key_epoch = v->snap->epoch;
    s->key_layer = layer;
    s->key_dir = v->run_dir;
    if (!st)
        s->error[0] = '\0';
}

static void layer_title(const Snapshot *snap, int layer, const char *what, char *title, size_t cap)
{
    char name[32];
    model_layer_name(&snap->config, (size_t)layer, 0, name, sizeof name);
    snprintf(title, cap, "%s · %s", what, name);
}

static void draw_note(Canvas *c, Rect r, const char *text)
{
    canvas_text_wrapped(c, r, r.x, r.y, r.w, r.h, text, ROLE_DIM);
}

static void norms_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    TrajState *s = state;
    if (!v->snap) {
        draw_note(c, r, "waiting for the first epoch");
        return;
    }
    int layer = shown_layer(s, v->snap);
    layer_title(v->snap, layer, "Weight norms", title, cap);
    if (stale(s, v, layer)) {
        trajectory_bands_free(&s->bands);
        remember(s, v, layer, trajectory_bands_load(v->run_dir, v->snap, layer, &s->bands, s->error));
    }
    const TrajectoryBands *b = &s->bands;
    if (b->n == 0) {
        draw_note(c, r, s->error[0] ? s->error : "no trajectory recorded yet");
        return;
    }
    Rect head = rect_take_top(&r, 1);
    int x = canvas_printf(c, head, head.x, head.y, ROLE_LABEL, "%zu units, ‖w‖ now ", b->units);
    x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%.3g", b->median[b->n - 1]);
    canvas_printf(c, head, x, head.y, ROLE_DIM, " median, %.3g–%.3g", b->lo[b->n - 1], b->hi[b->n - 1]);
    PlotSeries ps[5] = {
        {.y = b->lo, .n = b->n, .role = ROLE_BAND},
        {.y = b->hi, .n = b->n, .role = ROLE_BAND},
        {.y = b->q25, .n = b->n, .role = ROLE_PLOT2, .name = "25%"},
        {.y = b->q75, .n = b->n, .role = ROLE_PLOT2, .name = "75%"},
        {.y = b->median, .n = b->n, .role = ROLE_PLOT1, .name = "median"},
    };
    PlotSpec spec;
    plot_spec_init(&spec);
    spec.series = ps;
    spec.n_series = 5;
    spec.band_lo = 0;
    spec.band_hi = 1;
    spec.band_role = ROLE_BAND;
    spec.x = b->epoch;
    spec.n_x = b->n;
    spec.x_labels = r.h >= 4;
    spec.x_fmt = "%.1f";
    spec.y_fmt = "%.3g";
    spec.cursor_x = v->cursor_x;
    plot_draw(c, r, &spec);
}

static void trajectory_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    TrajState *s = state;
    if (!v->snap) {
        draw_note(c, r, "waiting for the first epoch");
        return;
    }
    int layer = shown_layer(s, v->snap);
    layer_title(v->snap, layer, "Trajectories", title, cap);
    /* While training runs the epochs move on: project again at most every
     * REPROJECT_S; a new layer, a browsed epoch or a stop at once. */
    double t = now_s();
    int moved_only = s->have && s->key_layer == layer && s->key_dir == v->run_dir && v->cursor_x != v->cursor_x &&
                     v->progress.state == TRAIN_STATE_RUNNING;
    if (stale(s, v, layer) && (!moved_only || t - s->computed_at >= REPROJECT_S)) {
        trajectory_projection_free(&s->proj);
        remember(s, v, layer, trajectory_project(v->run_dir, v->snap, layer, PANE_MAX_VALUES, &s->proj, s->error));
        s->computed_at = now_s();
    }
    const TrajectoryProjection *p = &s->proj;
    if (p->n == 0) {
        draw_note(c, r, s->error[0] ? s->error : "no trajectory recorded yet");
        return;
    }
    Rect head = rect_take_top(&r, 1);
    int x = canvas_printf(c, head, head.x, head.y, ROLE_LABEL, "PC1+PC2 ");
    x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%.0f%%", 100.0 * (p->ratio[0] + p->ratio[1]));
    canvas_printf(c, head, x, head.y, ROLE_DIM, " of %zu units × %zu records%s; colour = tenth of time", p->units,
                  p->records, p->stride > 1 ? " (thinned)" : "");
    ScatterSpec spec;
    scatter_spec_init(&spec);
    spec.x = p->x;
    spec.y = p->y;
    spec.n = p->n;
    spec.cls = p->tenth;
    spec.legend = 0;
    scatter_draw(c, r, &spec);
}

static int traj_key(void *state, TuiKey k, const PaneView *v)
{
    TrajState *s = state;
    if (k.code != TUI_KEY_CHAR || k.ch != 'l' || !v->snap)
        return PANE_IGNORED;
    int last = (int)v->snap->config.n_layers - 1;
    s->layer = shown_layer(s, v->snap) % last + 1;
    return PANE_HANDLED | PANE_REDRAW;
}

static Status norms_export(void *state, const PaneView *v, const char *base, char *written, size_t cap, char *msg)
{
    TrajState *s = state;
    const TrajectoryBands *b = &s->bands;
    if (!v->snap || b->n == 0)
        return status_fail(msg, ST_EINVAL, "there are no weight norms to export yet");
    char path[1200];
    snprintf(path, sizeof path, "%s.csv", base);
    FILE *f = fopen(path, "w");
    if (!f)
        return status_fail(msg, ST_EIO, "cannot write %s", path);
    fprintf(f, "epoch,min,q25,median,q75,max\n");
    for (size_t i = 0; i < b->n; i++)
        fprintf(f, "%.17g,%.9g,%.9g,%.9g,%.9g,%.9g\n", b->epoch[i], b->lo[i], b->q25[i], b->median[i], b->q75[i],
                b->hi[i]);
    if (fclose(f) != 0)
        return status_fail(msg, ST_EIO, "cannot write %s", path);
    snprintf(written, cap, "%s", path);
    return ST_OK;
}

const PaneOps pane_norms_ops = {
    .name = "norms",
    .title = "Weight norms",
    .keys_help = "l  next layer (when focused)",
    .min_w = 30,
    .min_h = 5,
    .weight = 1,
    .optional = 1,
    .wanted = wanted,
    .create = traj_create,
    .destroy = traj_destroy,
    .draw = norms_draw,
    .handle_key = traj_key,
    .export_data = norms_export,
};

const PaneOps pane_trajectory_ops = {
    .name = "trajectory",
    .title = "Trajectories",
    .keys_help = "l  next layer (when focused)",
    .min_w = 30,
    .min_h = 6,
    .weight = 1,
    .optional = 1,
    .wanted = wanted,
    .create = traj_create,
    .destroy = traj_destroy,
    .draw = trajectory_draw,
    .handle_key = traj_key,
};
