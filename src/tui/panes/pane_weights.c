/* Weight-histogram pane: one histogram per weight block (α input→HL1,
 * β HL1→HL2, γ HL2→output) with mean, std and skewness — seed paper 002
 * reports the mean shifting and the skewness growing with learning. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/histogram.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/widgets.h"

/* One bin per column, up to this many. */
#define WEIGHT_BINS_MAX 256

typedef struct {
    size_t epoch, examples; /* which snapshot the cache holds */
    size_t bins;            /* and how many bins */
    int valid;
    size_t n_blocks;
    WeightBlock blocks[MODEL_MAX_LAYERS];
    double counts[MODEL_MAX_LAYERS][WEIGHT_BINS_MAX];
    double lo[MODEL_MAX_LAYERS], hi[MODEL_MAX_LAYERS];
    Moments stats[MODEL_MAX_LAYERS];
} WeightsState;

static Status weights_create(void **state, char *msg)
{
    *state = calloc(1, sizeof(WeightsState));
    return *state ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory");
}

static void weights_destroy(void *state)
{
    free(state);
}

/* A range that moves in steps of 0.25, so the axis does not jitter. */
static double nice_limit(double m)
{
    return m <= 0 ? 1.0 : ceil(m * 4.0) / 4.0;
}

static void refresh(WeightsState *s, const Snapshot *snap, size_t bins)
{
    if (bins < 1)
        bins = 1;
    if (bins > WEIGHT_BINS_MAX)
        bins = WEIGHT_BINS_MAX;
    if (s->valid && s->epoch == snap->epoch && s->examples == snap->examples_seen && s->bins == bins)
        return;
    s->n_blocks = model_blocks(&snap->config, snap->params, s->blocks, MODEL_MAX_LAYERS - 1);
    /* Model state shown like one more block (HebbFF's plastic matrix A). */
    if (snap->state && s->n_blocks < MODEL_MAX_LAYERS) {
        WeightBlock *st = &s->blocks[s->n_blocks++];
        memset(st, 0, sizeof *st);
        st->from = 0;
        st->to = 1;
        st->rows = snap->state_rows;
        st->cols = snap->state_cols;
        st->ld = snap->state_cols;
        st->w = snap->state;
        snprintf(st->name, sizeof st->name, "%.7s", snap->state_name);
    }
    for (size_t b = 0; b < s->n_blocks; b++) {
        const WeightBlock *wb = &s->blocks[b];
        size_t n = wb->rows * wb->cols, counts[WEIGHT_BINS_MAX];
        double lo, hi;
        /* A column view (HebbFF's read-out w2) is copied into a plain array. */
        float *copy = wb->ld > wb->cols ? model_block_copy(wb) : NULL;
        const float *w = copy ? copy : wb->w;
        int failed = (wb->ld > wb->cols && !copy) || histogram_symmetric_range(w, n, &lo, &hi, NULL) ||
                     histogram_compute(w, n, -nice_limit(hi), nice_limit(hi), bins, counts, &s->stats[b], NULL);
        free(copy);
        if (failed) {
            memset(s->counts[b], 0, sizeof s->counts[b]);
            s->stats[b].mean = NAN;
            continue;
        }
        s->lo[b] = -nice_limit(hi);
        s->hi[b] = nice_limit(hi);
        for (size_t k = 0; k < bins; k++)
            s->counts[b][k] = (double)counts[k];
    }
    s->bins = bins;
    s->epoch = snap->epoch;
    s->examples = snap->examples_seen;
    s->valid = 1;
}

static const char *greek(const char *name)
{
    static const char *const names[][2] = {{"alpha", "α"}, {"beta", "β"},     {"gamma", "γ"},
                                           {"delta", "δ"}, {"epsilon", "ε"}, {"zeta", "ζ"},
                                           {"eta", "η"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], name) == 0)
            return names[i][1];
    return name;
}

static void weights_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title,
                         size_t cap)
{
    (void)title;
    (void)cap;
    WeightsState *s = state;
    if (!v->snap) {
        canvas_text(c, r, r.x, r.y, "no weights yet", ROLE_DIM);
        return;
    }
    refresh(s, v->snap, (size_t)r.w);
    if (s->n_blocks == 0)
        return;
    int per = r.h / (int)s->n_blocks;
    for (size_t b = 0; b < s->n_blocks; b++) {
        Rect area = rect_make(r.x, r.y + (int)b * per, r.w, b + 1 == s->n_blocks ? r.h - (int)b * per : per);
        if (area.h < 1)
            break;
        const WeightBlock *wb = &s->blocks[b];
        char from[24], to[24];
        model_layer_name(&v->snap->config, wb->from, 1, from, sizeof from);
        model_layer_name(&v->snap->config, wb->to, 1, to, sizeof to);
        Rect head = rect_take_top(&area, 1);
        int x = canvas_printf(c, head, head.x, head.y, ROLE_TITLE, "%s %s→%s", greek(wb->name), from, to);
        const Moments *m = &s->stats[b];
        /* Short labels when the pane is narrow, so skewness stays visible. */
        int wide = head.w >= 48;
        x = canvas_text(c, head, x + 1, head.y, wide ? " mean " : " μ", ROLE_LABEL);
        x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%+.3f", m->mean);
        x = canvas_text(c, head, x, head.y, wide ? " sd " : " σ", ROLE_LABEL);
        x = canvas_printf(c, head, x, head.y, ROLE_VALUE, "%.3f", m->std);
        x = canvas_text(c, head, x, head.y, wide ? " skew " : " sk", ROLE_LABEL);
        canvas_printf(c, head, x, head.y, ROLE_VALUE, "%+.3f", m->skewness);
        if (area.h < 1)
            continue;
        HistSpec spec;
        hist_spec_init(&spec);
        spec.counts = s->counts[b];
        spec.n_bins = s->bins;
        spec.lo = s->lo[b];
        spec.hi = s->hi[b];
        spec.labels = area.h >= 3;
        spec.mark = 0.0;
        spec.role = (Role)(ROLE_PLOT1 + (int)(b % ROLE_PLOT_COUNT));
        hist_draw(c, area, &spec);
    }
}

/* One CSV: the bin centre and each block's count per bin (each block has its
 * own range, so a block's centres are in its own column). */
static Status weights_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                             char *msg)
{
    WeightsState *s = state;
    if (!v->snap)
        return status_fail(msg, ST_EINVAL, "there are no weights to export");
    refresh(s, v->snap, s->bins ? s->bins : 64);
    size_t cols = 2 * s->n_blocks;
    double *m = malloc(s->bins * cols * sizeof(double));
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t k = 0; k < s->bins; k++)
        for (size_t b = 0; b < s->n_blocks; b++) {
            double w = (s->hi[b] - s->lo[b]) / (double)s->bins;
            m[k * cols + 2 * b] = s->lo[b] + ((double)k + 0.5) * w;
            m[k * cols + 2 * b + 1] = s->counts[b][k];
        }
    char csv[1200];
    snprintf(csv, sizeof csv, "%s.csv", base);
    Status st = export_matrix_csv(m, s->bins, cols, csv, msg);
    free(m);
    if (!st)
        snprintf(written, cap, "%s (per block: bin centre, count)", csv);
    return st;
}

const PaneOps pane_weights_ops = {
    .name = "weights",
    .title = "Weights",
    .keys_help = NULL,
    .min_w = 30,
    .min_h = 8,
    .weight = 1,
    .create = weights_create,
    .destroy = weights_destroy,
    .draw = weights_draw,
    .export_data = weights_export,
};
