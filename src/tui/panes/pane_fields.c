/* Receptive-field pane: ASCII receptive fields of chosen neurons (seed paper
 * 002), as the model kind gives them (model_receptive_fields: direct input
 * weights for HL1, products of weight matrices for deeper layers of a dense
 * chain), drawn in the input's image shape (model_input_shape). `[`/`]`
 * pick the neuron, `l` cycles the layer; a grid of fields when there is
 * room. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/run/export.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/widgets.h"

typedef struct {
    size_t layer;   /* 1 = first hidden layer */
    size_t first;   /* first neuron shown */
    size_t shown;   /* how many fit at the last draw (for paging) */
    /* Cache: the fields of one layer for one snapshot, as doubles for the heatmap. */
    size_t c_epoch, c_examples, c_layer, c_units, c_inputs;
    size_t c_rows, c_cols; /* the input image shape */
    int c_valid;
    double *fields;
    float *scratch;
} FieldsState;

static Status fields_create(void **state, char *msg)
{
    FieldsState *s = calloc(1, sizeof *s);
    if (!s)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    s->layer = 1;
    *state = s;
    return ST_OK;
}

static void fields_destroy(void *state)
{
    FieldsState *s = state;
    if (!s)
        return;
    free(s->fields);
    free(s->scratch);
    free(s);
}

static int refresh(FieldsState *s, const Snapshot *snap)
{
    const ModelConfig *cfg = &snap->config;
    if (s->layer >= cfg->n_layers)
        s->layer = 1;
    if (s->c_valid && s->c_epoch == snap->epoch && s->c_examples == snap->examples_seen &&
        s->c_layer == s->layer)
        return 0;
    size_t units = cfg->sizes[s->layer], inputs = cfg->sizes[0];
    if (units * inputs != s->c_units * s->c_inputs) {
        free(s->fields);
        free(s->scratch);
        s->fields = malloc(units * inputs * sizeof(double));
        s->scratch = malloc(units * inputs * sizeof(float));
        s->c_units = s->c_inputs = 0;
        s->c_valid = 0;
        if (!s->fields || !s->scratch)
            return -1;
    }
    if (model_receptive_fields(cfg, snap->params, s->layer, s->scratch, NULL))
        return -1;
    model_input_shape(cfg, &s->c_rows, &s->c_cols);
    for (size_t i = 0; i < units * inputs; i++)
        s->fields[i] = s->scratch[i];
    s->c_units = units;
    s->c_inputs = inputs;
    s->c_layer = s->layer;
    s->c_epoch = snap->epoch;
    s->c_examples = snap->examples_seen;
    s->c_valid = 1;
    if (s->first >= units)
        s->first = 0;
    return 0;
}

static void fields_draw(void *state, const PaneView *v, Canvas *c, Rect r, char *title, size_t cap)
{
    FieldsState *s = state;
    if (!v->snap) {
        canvas_text(c, r, r.x, r.y, "no weights yet", ROLE_DIM);
        return;
    }
    if (refresh(s, v->snap)) {
        canvas_text(c, r, r.x, r.y, "cannot compute the receptive fields", ROLE_ERROR);
        return;
    }
    size_t rows = s->c_rows, cols = s->c_cols;
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.rows = rows;
    spec.cols = cols;
    spec.mode = HEAT_DIVERGING;
    spec.pair_rows = 1;
    spec.v = s->fields;
    int fw, fh;
    heat_size(&spec, r.w, r.h > 1 ? r.h - 1 : 1, &fw, &fh);
    /* Keep the picture's proportions when it has to shrink: a text cell is
     * about twice as high as wide, and rows are paired. */
    int keep_w = (int)((double)fh * 2.0 * (double)cols / (double)rows + 0.5);
    if (fh < (int)((rows + 1) / 2) && keep_w < fw && keep_w >= 1)
        fw = keep_w;
    /* Cells per field: the map and a label row, one blank column between. */
    int per_row = (r.w + 1) / (fw + 1), per_col = r.h / (fh + 1);
    if (per_row < 1)
        per_row = 1;
    if (per_col < 1)
        per_col = 1;
    size_t n = (size_t)per_row * (size_t)per_col;
    if (n > s->c_units)
        n = s->c_units;
    s->shown = n;
    char layer[16];
    model_layer_name(&v->snap->config, s->layer, 0, layer, sizeof layer);
    size_t last = s->first + n - 1 < s->c_units ? s->first + n - 1 : s->c_units - 1;
    if (n == 1)
        snprintf(title, cap, "Receptive fields · %s #%zu of %zu", layer, s->first, s->c_units);
    else
        snprintf(title, cap, "Receptive fields · %s #%zu–%zu of %zu", layer, s->first, last, s->c_units);
    for (size_t k = 0; k < n; k++) {
        size_t unit = (s->first + k) % s->c_units;
        int gx = (int)(k % (size_t)per_row), gy = (int)(k / (size_t)per_row);
        Rect cell = rect_make(r.x + gx * (fw + 1), r.y + gy * (fh + 1), fw, fh + 1);
        spec.v = s->fields + unit * s->c_inputs;
        spec.hi = NAN;
        heat_draw(c, rect_make(cell.x, cell.y, fw, fh), &spec);
        canvas_printf(c, cell, cell.x, cell.y + fh, ROLE_LABEL, "#%zu", unit);
    }
}

static int fields_key(void *state, TuiKey k, const PaneView *v)
{
    FieldsState *s = state;
    if (k.code != TUI_KEY_CHAR || !v->snap)
        return PANE_IGNORED;
    size_t units = v->snap->config.sizes[s->layer < v->snap->config.n_layers ? s->layer : 1];
    size_t step = s->shown > 1 ? s->shown : 1;
    switch (k.ch) {
    case ']':
        s->first = (s->first + step) % units;
        return PANE_HANDLED | PANE_REDRAW;
    case '[':
        s->first = (s->first + units - step % units) % units;
        return PANE_HANDLED | PANE_REDRAW;
    case 'l':
        s->layer = s->layer + 1 < v->snap->config.n_layers ? s->layer + 1 : 1;
        s->first = 0;
        return PANE_HANDLED | PANE_REDRAW;
    default:
        return PANE_IGNORED;
    }
}

/* Every field of the shown layer as one PGM tile sheet, plus the values as CSV
 * (one row per neuron). */
static Status fields_export(void *state, const PaneView *v, const char *base, char *written, size_t cap,
                            char *msg)
{
    FieldsState *s = state;
    if (!v->snap || refresh(s, v->snap))
        return status_fail(msg, ST_EINVAL, "there are no receptive fields to export");
    size_t rows = s->c_rows, cols = s->c_cols;
    char pgm[1200], csv[1200];
    snprintf(pgm, sizeof pgm, "%s-layer%zu.pgm", base, s->layer);
    snprintf(csv, sizeof csv, "%s-layer%zu.csv", base, s->layer);
    double lo, hi;
    export_range(s->fields, s->c_units * s->c_inputs, 1, &lo, &hi);
    Status st = export_pgm_tiles(s->fields, s->c_units, rows, cols, 10, lo, hi, pgm, msg);
    if (!st)
        st = export_matrix_csv(s->fields, s->c_units, s->c_inputs, csv, msg);
    if (!st)
        snprintf(written, cap, "%s (%zu fields, grey = weight from %.3g to %.3g) and %s", pgm, s->c_units, lo,
                 hi, csv);
    return st;
}

const PaneOps pane_fields_ops = {
    .name = "fields",
    .title = "Receptive fields",
    .keys_help = "[ ] previous/next neurons, l next layer (HL1, HL2, output)",
    .min_w = 18,
    .min_h = 10,
    .weight = 1,
    .create = fields_create,
    .destroy = fields_destroy,
    .draw = fields_draw,
    .handle_key = fields_key,
    .export_data = fields_export,
};
