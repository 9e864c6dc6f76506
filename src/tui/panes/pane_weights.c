/* Weight-histogram pane: one histogram per weight block (α input→HL1,
 * β HL1→HL2, γ HL2→output) with mean, std and skewness — seed paper 002
 * reports the mean shifting and the skewness growing with learning.
 *
 * Each block keeps its x axis across epochs: ±the widest |w| of the block
 * in any snapshot the pane has shown of this run (in steps of 0.25), so a
 * distribution that spreads is seen spreading. `:weights range epoch`
 * fits each epoch instead. A margin gives the count scale (the tallest
 * bar's count), and '^0' marks w = 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/histogram.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/widgets.h"
#include "hist_stack.h"

/* One bin per column, up to this many. */
#define WEIGHT_BINS_MAX 256

typedef struct {
    size_t epoch, examples; /* which snapshot the cache holds */
    size_t bins;            /* and how many bins */
    int valid;
    int per_epoch;          /* 1: each epoch's own range; 0: the widest so far */
    size_t lim_blocks;      /* blocks whose widest limits lim holds (0: none yet) */
    size_t lim_shape[MODEL_MAX_LAYERS][2];
    double lim[MODEL_MAX_LAYERS];
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
    /* Another run (other blocks): forget the widest limits. */
    int same = s->lim_blocks == s->n_blocks;
    for (size_t b = 0; same && b < s->n_blocks; b++)
        same = s->lim_shape[b][0] == s->blocks[b].rows && s->lim_shape[b][1] == s->blocks[b].cols;
    if (!same) {
        s->lim_blocks = s->n_blocks;
        for (size_t b = 0; b < s->n_blocks; b++) {
            s->lim_shape[b][0] = s->blocks[b].rows;
            s->lim_shape[b][1] = s->blocks[b].cols;
            s->lim[b] = 0;
        }
    }
    for (size_t b = 0; b < s->n_blocks; b++) {
        const WeightBlock *wb = &s->blocks[b];
        size_t n = wb->rows * wb->cols, counts[WEIGHT_BINS_MAX];
        double lo, hi;
        /* A column view (HebbFF's read-out w2) is copied into a plain array. */
        float *copy = wb->ld > wb->cols ? model_block_copy(wb) : NULL;
        const float *w = copy ? copy : wb->w;
        if ((wb->ld > wb->cols && !copy) || histogram_symmetric_range(w, n, &lo, &hi, NULL)) {
            free(copy);
            memset(s->counts[b], 0, sizeof s->counts[b]);
            s->stats[b].mean = NAN;
            continue;
        }
        if (nice_limit(hi) > s->lim[b])
            s->lim[b] = nice_limit(hi);
        double lim = s->per_epoch ? nice_limit(hi) : s->lim[b];
        int failed = histogram_compute(w, n, -lim, lim, bins, counts, &s->stats[b], NULL) != ST_OK;
        free(copy);
        if (failed) {
            memset(s->counts[b], 0, sizeof s->counts[b]);
            s->stats[b].mean = NAN;
            continue;
        }
        s->lo[b] = -lim;
        s->hi[b] = lim;
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

/* Width of the count margin: the digits of the largest block, plus one. */
static int count_margin(const Snapshot *snap, int w)
{
    WeightBlock blocks[MODEL_MAX_LAYERS];
    size_t n = model_blocks(&snap->config, NULL, blocks, MODEL_MAX_LAYERS - 1), most = snap->state_rows * snap->state_cols;
    for (size_t b = 0; b < n; b++)
        if (blocks[b].rows * blocks[b].cols > most)
            most = blocks[b].rows * blocks[b].cols;
    int m = hist_count_margin(most);
    return w > 2 * m ? m : 0;
}

static void weights_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title,
                         size_t cap)
{
    WeightsState *s = state;
    if (!v->snap) {
        canvas_text(c, r, r.x, r.y, "no weights yet", ROLE_DIM);
        return;
    }
    int margin = count_margin(v->snap, r.w);
    refresh(s, v->snap, (size_t)(r.w - margin));
    snprintf(title, cap, "%s", s->per_epoch ? "Weights · x axis fitted to each epoch"
                                            : "Weights · x axis: widest |w| so far");
    if (s->n_blocks == 0)
        return;
    for (size_t b = 0; b < s->n_blocks; b++) {
        Rect area = hist_stack_band(r, b, s->n_blocks);
        if (area.h < 1)
            break;
        const WeightBlock *wb = &s->blocks[b];
        char from[24], to[24];
        model_layer_name(&v->snap->config, wb->from, 1, from, sizeof from);
        model_layer_name(&v->snap->config, wb->to, 1, to, sizeof to);
        Rect head = rect_take_top(&area, 1);
        int x = canvas_printf(c, head, head.x, head.y, ROLE_TITLE, "%s %s→%s", greek(wb->name), from, to);
        const Moments *m = &s->stats[b];
        /* Short labels when the pane is narrow; each statistic whole or not at all. */
        int wide = head.w >= 48;
        const char *labels[3] = {wide ? " mean " : " μ", wide ? " sd " : " σ", wide ? " skew " : " sk"};
        char nums[3][32];
        snprintf(nums[0], sizeof nums[0], "%+.3f", m->mean);
        snprintf(nums[1], sizeof nums[1], "%.3f", m->std);
        snprintf(nums[2], sizeof nums[2], "%+.3f", m->skewness);
        hist_stack_stats(c, head, x, labels, nums, 3);
        if (area.h < 1)
            continue;
        HistBand band = {s->counts[b], s->lo[b], s->hi[b]};
        hist_stack_bars(c, area, &band, s->bins, "%g", margin, b);
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
    HistBand bands[MODEL_MAX_LAYERS];
    for (size_t b = 0; b < s->n_blocks; b++)
        bands[b] = (HistBand){s->counts[b], s->lo[b], s->hi[b]};
    return hist_stack_export(bands, s->n_blocks, s->bins, base, "block", written, cap, msg);
}

static const char *const RANGE_WORDS[] = {"run", "epoch", NULL};
static const PaneCommandWord WEIGHTS_WORDS[] = {{"range", RANGE_WORDS}, {NULL, NULL}};

static Status weights_command(void *state, const PaneView *v, int argc, char **argv, char *reply, size_t cap,
                              char *msg)
{
    (void)v;
    WeightsState *s = state;
    if (argc != 3 || strcmp(argv[1], "range") != 0 || (strcmp(argv[2], "run") != 0 && strcmp(argv[2], "epoch") != 0))
        return status_fail(msg, ST_EINVAL, "usage: :weights range run|epoch");
    s->per_epoch = strcmp(argv[2], "epoch") == 0;
    s->valid = 0;
    snprintf(reply, cap, s->per_epoch ? "weight histograms: each epoch's own x range"
                                      : "weight histograms: one x range per block, the widest so far");
    return ST_OK;
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
    .command = weights_command,
    .command_usage = "weights range run|epoch",
    .command_help = "weight histograms: x axis fixed at the widest |w| so far (run) or fitted to each epoch",
    .command_words = WEIGHTS_WORDS,
};
