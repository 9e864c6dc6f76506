/* Strength pane (DBN, seed paper 002): per layer, the distribution of its
 * units' strengths in the undirected weight graph (the signed sum of every
 * weight the unit touches, below and above: BCT's strengths_und, as
 * `:degrees`), with the mean strength, the share of negative strengths and
 * the mean degree counting weights with |w| > θ (0.1 by default, the
 * paper's simplification threshold; `:strength theta X`). The paper finds
 * every strength negative after training. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/histogram.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/widgets.h"
#include "hist_stack.h"

#define STRENGTH_BINS_MAX 256
#define STRENGTH_THETA 0.1

typedef struct {
    double lo, hi;                      /* the histogram's range */
    double counts[STRENGTH_BINS_MAX];
    double mean, negative, mean_degree; /* negative: share of units with s < 0 */
    size_t units;
} LayerStrength;

typedef struct {
    size_t epoch, examples, bins;
    int valid;
    double theta;
    size_t n_layers;
    LayerStrength layer[MODEL_MAX_LAYERS];
} StrengthState;

static int wanted(const char *run_dir, const char *kind)
{
    (void)run_dir;
    return model_kind_shows_pane(kind, "strength");
}

static Status strength_create(void **state, char *msg)
{
    StrengthState *s = calloc(1, sizeof *s);
    if (!s)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    s->theta = STRENGTH_THETA;
    *state = s;
    return ST_OK;
}

static void strength_destroy(void *state)
{
    free(state);
}

/* Strengths and degrees of every unit of every layer, summed over the
 * weight blocks that touch it; into s->layer. Returns 0 when out of memory. */
static int refresh(StrengthState *s, const Snapshot *snap, size_t bins)
{
    bins = bins < 1 ? 1 : bins > STRENGTH_BINS_MAX ? STRENGTH_BINS_MAX : bins;
    if (s->valid && s->epoch == snap->epoch && s->examples == snap->examples_seen && s->bins == bins)
        return 1;
    const ModelConfig *c = &snap->config;
    WeightBlock blocks[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(c, snap->params, blocks, MODEL_MAX_LAYERS);
    size_t total = 0, start[MODEL_MAX_LAYERS + 1];
    for (size_t l = 0; l < c->n_layers; l++) {
        start[l] = total;
        total += c->sizes[l];
    }
    start[c->n_layers] = total;
    double *str = calloc(total ? total : 1, sizeof *str);
    float *one = malloc((total ? total : 1) * sizeof *one);
    size_t *deg = calloc(total ? total : 1, sizeof *deg);
    if (!str || !one || !deg) {
        free(str);
        free(one);
        free(deg);
        return 0;
    }
    for (size_t b = 0; b < nb; b++) {
        const WeightBlock *wb = &blocks[b];
        if (!wb->w || wb->from >= c->n_layers || wb->to >= c->n_layers)
            continue;
        double *sf = str + start[wb->from], *st = str + start[wb->to];
        size_t *df = deg + start[wb->from], *dt = deg + start[wb->to];
        for (size_t i = 0; i < wb->rows; i++)
            for (size_t j = 0; j < wb->cols; j++) {
                double w = wb->w[i * wb->ld + j];
                sf[i] += w;
                st[j] += w;
                if (fabs(w) > s->theta) {
                    df[i]++;
                    dt[j]++;
                }
            }
    }
    s->n_layers = c->n_layers;
    for (size_t l = 0; l < c->n_layers; l++) {
        LayerStrength *L = &s->layer[l];
        size_t n = c->sizes[l], neg = 0, counts[STRENGTH_BINS_MAX];
        double lo = INFINITY, hi = -INFINITY, dsum = 0.0;
        for (size_t i = 0; i < n; i++) {
            double v = str[start[l] + i];
            one[i] = (float)v;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            neg += v < 0;
            dsum += (double)deg[start[l] + i];
        }
        /* a range that always holds 0, so the sign is read at a glance */
        lo = fmin(lo, 0.0);
        hi = fmax(hi, 0.0);
        if (hi <= lo)
            hi = lo + 1.0;
        Moments m;
        L->units = n;
        L->lo = lo;
        L->hi = hi;
        if (n == 0 || histogram_compute(one, n, lo, hi, bins, counts, &m, NULL) != ST_OK) {
            memset(L->counts, 0, sizeof L->counts);
            L->mean = L->negative = L->mean_degree = NAN;
            continue;
        }
        for (size_t k = 0; k < bins; k++)
            L->counts[k] = (double)counts[k];
        L->mean = m.mean;
        L->negative = (double)neg / (double)n;
        L->mean_degree = dsum / (double)n;
    }
    free(str);
    free(one);
    free(deg);
    s->bins = bins;
    s->epoch = snap->epoch;
    s->examples = snap->examples_seen;
    s->valid = 1;
    return 1;
}

static void strength_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    StrengthState *s = state;
    if (!v->snap) {
        canvas_text(c, r, r.x, r.y, "no weights yet", ROLE_DIM);
        return;
    }
    size_t most = 0;
    for (size_t l = 0; l < v->snap->config.n_layers; l++)
        most = v->snap->config.sizes[l] > most ? v->snap->config.sizes[l] : most;
    int margin = r.w > 2 * hist_count_margin(most) ? hist_count_margin(most) : 0;
    if (!refresh(s, v->snap, (size_t)(r.w - margin))) {
        canvas_text(c, r, r.x, r.y, "out of memory", ROLE_ERROR);
        return;
    }
    snprintf(title, cap, "Strength · degree: |w| > %g", s->theta);
    if (s->n_layers == 0)
        return;
    for (size_t l = 0; l < s->n_layers; l++) {
        Rect area = hist_stack_band(r, l, s->n_layers);
        if (area.h < 1)
            break;
        const LayerStrength *L = &s->layer[l];
        char name[24];
        model_layer_name(&v->snap->config, l, 1, name, sizeof name);
        Rect head = rect_take_top(&area, 1);
        int x = canvas_printf(c, head, head.x, head.y, ROLE_TITLE, "%s", name);
        int wide = head.w >= 50;
        const char *labels[3] = {wide ? " mean " : " s ", " <0 ", wide ? " degree " : " k "};
        char nums[3][32];
        snprintf(nums[0], sizeof nums[0], "%+.3g", L->mean);
        snprintf(nums[1], sizeof nums[1], "%.0f%%", 100.0 * L->negative);
        snprintf(nums[2], sizeof nums[2], "%.1f", L->mean_degree);
        hist_stack_stats(c, head, x, labels, nums, 3);
        if (area.h < 1)
            continue;
        HistBand band = {L->counts, L->lo, L->hi};
        hist_stack_bars(c, area, &band, s->bins, "%.3g", margin, l);
    }
}

/* One CSV: per layer, the bin centre and the count per bin. */
static Status strength_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                              char *msg)
{
    StrengthState *s = state;
    if (!v->snap)
        return status_fail(msg, ST_EINVAL, "there are no weights to export");
    if (!refresh(s, v->snap, s->bins ? s->bins : 64))
        return status_fail(msg, ST_ENOMEM, "out of memory");
    HistBand bands[MODEL_MAX_LAYERS];
    for (size_t l = 0; l < s->n_layers; l++)
        bands[l] = (HistBand){s->layer[l].counts, s->layer[l].lo, s->layer[l].hi};
    return hist_stack_export(bands, s->n_layers, s->bins, base, "layer", written, cap, msg);
}

static Status strength_command(void *state, const PaneView *v, int argc, char **argv, char *reply, size_t cap,
                               char *msg)
{
    (void)v;
    StrengthState *s = state;
    char *end = NULL;
    double t = argc == 3 && strcmp(argv[1], "theta") == 0 ? strtod(argv[2], &end) : NAN;
    if (!end || *end || !isfinite(t) || t < 0)
        return status_fail(msg, ST_EINVAL, "usage: :strength theta X, X a number >= 0");
    s->theta = t;
    s->valid = 0;
    snprintf(reply, cap, "strength pane: degree counts weights with |w| > %g", t);
    return ST_OK;
}

static const PaneCommandWord STRENGTH_WORDS[] = {{"theta", NULL}, {NULL, NULL}};

const PaneOps pane_strength_ops = {
    .name = "strength",
    .title = "Strength",
    .keys_help = NULL,
    .min_w = 30,
    .min_h = 8,
    .weight = 1,
    .optional = 1,
    .wanted = wanted,
    .create = strength_create,
    .destroy = strength_destroy,
    .draw = strength_draw,
    .export_data = strength_export,
    .command = strength_command,
    .command_usage = "strength theta X",
    .command_help = "strength pane: the threshold of the degree (|w| > X; default 0.1, the paper's)",
    .command_words = STRENGTH_WORDS,
};
