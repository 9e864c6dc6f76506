/* Receptive-field pane: what the units of a layer learned (seed paper 002),
 * as the model kind gives the fields (model_receptive_fields: direct input
 * weights for HL1, products of weight matrices for deeper layers of a dense
 * chain), drawn in the input's image shape (model_input_shape).
 *
 * On a 256-colour terminal every pixel gets its own shade (half blocks: a
 * 28×28 field is 28×14 cells); with fewer colours, or none, glyphs stand in.
 * The pane fills itself with a grid of fields, each labelled with its unit,
 * and a legend with the colour scale (one scale for the whole layer, so the
 * fields compare). `:fields sort norm|selectivity|unit` puts the units that
 * learned most first; `[`/`]` page, `l` cycles the layer.
 *
 * A convolutional model (LeNet) has more to show, and `l` cycles through
 * it (fields_conv.h): each convolution's kernels (a kernel over several
 * input channels is drawn as the sum over them), the feature maps of one
 * probe digit in every convolution and pooling layer (`d` picks the next
 * digit), then the receptive fields of the deeper units. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/selectivity.h"
#include "neurotop/core/numparse.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/widgets.h"
#include "fields_conv.h"

/* Auto size: full or half resolution, the finer one that shows this many
 * fields (or every unit, when there are fewer); when neither does, full
 * resolution if one field fits there, so a small pane shows fewer fields
 * rather than smaller ones; only a pane too small for one field at either
 * gets the coarsest size that fits. */
#define FIELDS_TARGET 12
#define FIELDS_AUTO_SCALE 2
/* Coarsest resolution: one shade per FIELDS_MAX_SCALE² input pixels. */
#define FIELDS_MAX_SCALE 3
/* The colour scale covers this share of the layer's |values|; the rest
 * saturate at the ends of the ramp. */
#define FIELDS_RANGE_QUANTILE 0.99

typedef enum { SORT_UNIT = 0, SORT_NORM, SORT_SELECTIVITY } FieldsSort;

static const char *const SORT_NAMES[] = {"unit", "norm", "selectivity"};

typedef struct {
    size_t layer;   /* 1 = first hidden layer */
    size_t view;    /* convolutional models: the view shown (fields_conv.h) */
    size_t item;    /* convolutional models: the probe item of the feature maps */
    int conv;       /* the cache holds a view of a convolutional model, cv */
    ConvView cv;
    size_t c_view, c_item;
    size_t first;   /* position in `order` of the first field shown */
    size_t shown;   /* how many fit at the last draw (for paging) */
    FieldsSort sort;
    int grey;       /* grey ramp instead of blue–white–red */
    int size;       /* input pixels per shade along a side; 0 = auto */
    /* Cache: the fields of one layer for one snapshot. */
    size_t c_epoch, c_examples, c_layer, c_units, c_inputs;
    size_t c_rows, c_cols; /* the input image shape */
    int c_valid;
    double *fields;
    float *scratch;
    double *norm;          /* L2 norm of each field */
    double *sel;           /* class selectivity of each unit (NaN: unknown) */
    char sel_problem[STATUS_MSG_LEN]; /* why sel is unknown, or "" */
    size_t *order;         /* units in the order shown */
    FieldsSort c_sort;
    double range;          /* colour scale: ±range */
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

static void free_cache(FieldsState *s)
{
    free(s->fields);
    free(s->scratch);
    free(s->norm);
    free(s->sel);
    free(s->order);
    s->fields = NULL;
    s->scratch = NULL;
    s->norm = s->sel = NULL;
    s->order = NULL;
}

static void fields_destroy(void *state)
{
    FieldsState *s = state;
    if (!s)
        return;
    free_cache(s);
    free(s);
}

static double sort_key(const FieldsState *s, size_t unit)
{
    double v = s->sort == SORT_NORM ? s->norm[unit] : s->sort == SORT_SELECTIVITY ? s->sel[unit] : NAN;
    return isfinite(v) ? v : -INFINITY;
}

/* Units by decreasing key (norm, selectivity), ties and SORT_UNIT by index.
 * Insertion sort: layers have hundreds of units, and it is stable. */
static void sort_units(FieldsState *s)
{
    for (size_t u = 0; u < s->c_units; u++)
        s->order[u] = u;
    if (s->sort != SORT_UNIT)
        for (size_t i = 1; i < s->c_units; i++) {
            size_t u = s->order[i], j = i;
            double k = sort_key(s, u);
            while (j > 0 && sort_key(s, s->order[j - 1]) < k) {
                s->order[j] = s->order[j - 1];
                j--;
            }
            s->order[j] = u;
        }
    s->c_sort = s->sort;
}

static void compute_selectivity(FieldsState *s, const Snapshot *snap)
{
    for (size_t u = 0; u < s->c_units; u++)
        s->sel[u] = NAN;
    s->sel_problem[0] = '\0';
    const float *acts = snap->acts[s->layer - 1];
    if (snap->n_probe == 0 || !acts) {
        snprintf(s->sel_problem, sizeof s->sel_problem, "no probe activations at this epoch");
        return;
    }
    if (selectivity_class_index(acts, snap->n_probe, s->c_units, snap->probe_labels, s->sel, s->sel_problem))
        return;
    s->sel_problem[0] = '\0';
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The colour scale of a layer: the FIELDS_RANGE_QUANTILE quantile of |v|
 * over every field (a few large weights must not wash out the rest); v is
 * overwritten. 0 when every value is 0. */
static double layer_range(float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = fabsf(v[i]);
    qsort(v, n, sizeof *v, cmp_float);
    size_t k = (size_t)floor(FIELDS_RANGE_QUANTILE * (double)(n - 1));
    double m = n ? v[k] : 0;
    return isfinite(m) ? m : 0;
}

static int refresh(FieldsState *s, const Snapshot *snap)
{
    const ModelConfig *cfg = &snap->config;
    size_t n_views = conv_view_count(cfg);
    int conv = n_views > 0;
    if (conv) {
        s->view %= n_views;
        conv_view_at(cfg, s->view, &s->cv);
        s->layer = s->cv.layer;
        if (s->item >= snap->n_probe)
            s->item = 0;
    }
    if (s->layer >= cfg->n_layers)
        s->layer = 1;
    if (s->c_valid && s->c_epoch == snap->epoch && s->c_examples == snap->examples_seen &&
        s->c_layer == s->layer && s->conv == conv && (!conv || (s->c_view == s->view && s->c_item == s->item))) {
        if (s->c_sort != s->sort)
            sort_units(s);
        return 0;
    }
    size_t units = conv ? s->cv.units : cfg->sizes[s->layer];
    size_t inputs = conv ? s->cv.rows * s->cv.cols : cfg->sizes[0];
    if (units != s->c_units || inputs != s->c_inputs || !s->fields) {
        free_cache(s);
        s->c_units = s->c_inputs = 0;
        s->c_valid = 0;
        s->fields = malloc(units * inputs * sizeof(double));
        s->scratch = malloc(units * inputs * sizeof(float));
        s->norm = malloc(units * sizeof(double));
        s->sel = malloc(units * sizeof(double));
        s->order = malloc(units * sizeof(size_t));
        if (!s->fields || !s->scratch || !s->norm || !s->sel || !s->order) {
            free_cache(s);
            return -1;
        }
    }
    s->c_valid = 0;
    s->conv = conv;
    if (conv ? conv_view_fill(snap, &s->cv, s->item, s->scratch)
             : model_receptive_fields(cfg, snap->params, s->layer, s->scratch, NULL) != ST_OK)
        return -1;
    if (conv) {
        s->c_rows = s->cv.rows;
        s->c_cols = s->cv.cols;
    } else {
        model_input_shape(cfg, &s->c_rows, &s->c_cols);
    }
    s->c_view = s->view;
    s->c_item = s->item;
    for (size_t u = 0; u < units; u++) {
        double sq = 0;
        for (size_t i = 0; i < inputs; i++) {
            double v = s->scratch[u * inputs + i];
            s->fields[u * inputs + i] = v;
            sq += v * v;
        }
        s->norm[u] = sqrt(sq);
    }
    s->range = layer_range(s->scratch, units * inputs);
    s->c_units = units;
    s->c_inputs = inputs;
    s->c_layer = s->layer;
    s->c_epoch = snap->epoch;
    s->c_examples = snap->examples_seen;
    if (conv && s->cv.type != CONV_VIEW_FIELDS) {
        for (size_t u = 0; u < units; u++)
            s->sel[u] = NAN;
        snprintf(s->sel_problem, sizeof s->sel_problem, "these pictures are families, not units");
    } else {
        compute_selectivity(s, snap);
    }
    sort_units(s);
    s->c_valid = 1;
    if (s->first >= units)
        s->first = 0;
    return 0;
}

/* Cells of one field at `scale` input pixels per shade. */
static void field_cells(const FieldsState *s, int scale, int *fw, int *fh)
{
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.rows = s->c_rows;
    spec.cols = s->c_cols;
    spec.pair_rows = 1;
    spec.scale = scale;
    spec.v = s->fields;
    heat_size(&spec, CANVAS_MAX_SIDE, CANVAS_MAX_SIDE, fw, fh);
}

/* Fields that fit in w × h at `scale`: a grid of (fw + 1) × (fh + 1) cells
 * (a blank column between fields, a label row under each). */
static size_t grid_fit(const FieldsState *s, int scale, int w, int h, int *per_row, int *per_col)
{
    int fw, fh;
    field_cells(s, scale, &fw, &fh);
    *per_row = fw > 0 ? (w + 1) / (fw + 1) : 0;
    *per_col = fh > 0 ? h / (fh + 1) : 0;
    return (size_t)*per_row * (size_t)*per_col;
}

static int pick_scale(const FieldsState *s, int w, int h)
{
    if (s->size)
        return s->size;
    int pr, pc;
    size_t want = s->c_units < FIELDS_TARGET ? s->c_units : FIELDS_TARGET;
    for (int k = 1; k <= FIELDS_AUTO_SCALE; k++)
        if (grid_fit(s, k, w, h, &pr, &pc) >= want)
            return k;
    for (int k = 1; k <= FIELDS_MAX_SCALE; k++)
        if (grid_fit(s, k, w, h, &pr, &pc) >= 1)
            return k;
    return FIELDS_MAX_SCALE;
}

/* "−1.52 ▇▇▇ +1.52 input weight, one scale for HL1 (1% beyond) · 1 shade =
 * 2×2 px": the ramp and its numbers always, then each further part only
 * while it fits whole. */
static void draw_legend(const FieldsState *s, const HeatSpec *spec, const Snapshot *snap, Canvas *c, Rect row,
                        int scale)
{
    int ramp = row.w >= 40 ? 17 : 9;
    int x = heat_legend_draw(c, row, row.x, row.y, spec, -s->range, s->range, ramp, "%+.2f");
    char layer[16], part[5][64];
    model_layer_name(&snap->config, s->layer, 0, layer, sizeof layer);
    const char *what = s->layer == 1 ? "input weight" : "weight path from the input";
    if (s->conv && s->cv.type == CONV_VIEW_KERNELS)
        what = s->cv.channels > 1 ? "kernel weight summed over the input channels" : "kernel weight";
    else if (s->conv && s->cv.type == CONV_VIEW_MAPS)
        what = "activation";
    snprintf(part[0], sizeof part[0], " %s", what);
    snprintf(part[1], sizeof part[1], ", one scale for %s", layer);
    snprintf(part[2], sizeof part[2], " (1%% beyond)");
    part[3][0] = '\0';
    if (scale > 1)
        snprintf(part[3], sizeof part[3], " · 1 shade = %d×%d px", scale, scale);
    snprintf(part[4], sizeof part[4], " · :fields sort");
    for (int k = 0; k < 5; k++) {
        int w = canvas_text_width(part[k]);
        if (x + w > row.x + row.w)
            break;
        x = canvas_text(c, row, x, row.y, part[k], ROLE_DIM);
    }
}

static void draw_label(const FieldsState *s, Canvas *c, Rect cell, int y, size_t unit)
{
    int x = canvas_printf(c, cell, cell.x, y, ROLE_LABEL, s->conv && s->cv.type != CONV_VIEW_FIELDS ? "f%zu" : "#%zu",
                          unit);
    if (s->sort == SORT_NORM)
        canvas_printf(c, cell, x + 1, y, ROLE_DIM, "|w| %.2f", s->norm[unit]);
    else if (s->sort == SORT_SELECTIVITY && isfinite(s->sel[unit]))
        canvas_printf(c, cell, x + 1, y, ROLE_DIM, "SI %.2f", s->sel[unit]);
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
    HeatSpec spec;
    heat_spec_init(&spec);
    spec.rows = s->c_rows;
    spec.cols = s->c_cols;
    spec.mode = HEAT_DIVERGING;
    spec.pair_rows = 1;
    spec.grey = s->grey;
    spec.hi = s->range;
    /* The legend takes the last row when there is room for a field above it. */
    Rect grid = r;
    Rect legend = rect_make(r.x, r.y, 0, 0);
    int scale = pick_scale(s, r.w, r.h > 2 ? r.h - 1 : r.h);
    int fw, fh, per_row, per_col;
    field_cells(s, scale, &fw, &fh);
    if (r.h >= fh + 2)
        legend = rect_take_bottom(&grid, 1);
    spec.scale = scale;
    grid_fit(s, scale, grid.w, grid.h, &per_row, &per_col);
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
    size_t last = s->first + n < s->c_units ? s->first + n : s->c_units;
    const char *by = s->sort == SORT_UNIT ? "" : s->sort == SORT_NORM ? " by norm" : " by selectivity";
    if (s->sort == SORT_SELECTIVITY && s->sel_problem[0])
        by = " (no selectivity: probe)";
    char size[24] = "";
    if (scale > 1)
        snprintf(size, sizeof size, scale == 2 ? " · half size" : " · 1:%d size", scale);
    if (s->conv && s->cv.type == CONV_VIEW_KERNELS)
        snprintf(title, cap, "Kernels into %s · %zu–%zu of %zu, %zu×%zu%s", layer, s->first + 1, last, s->c_units,
                 s->cv.rows, s->cv.cols, size);
    else if (s->conv && s->cv.type == CONV_VIEW_MAPS)
        snprintf(title, cap, "Maps %s · probe %zu (a %u) · %zu–%zu of %zu%s", layer, s->item + 1,
                 (unsigned)v->snap->probe_labels[s->item], s->first + 1, last, s->c_units, size);
    else
        snprintf(title, cap, "Receptive fields · %s %zu–%zu of %zu%s%s", layer, s->first + 1, last, s->c_units, by,
                 size);
    for (size_t k = 0; k < n; k++) {
        size_t unit = s->order[(s->first + k) % s->c_units];
        int gx = (int)(k % (size_t)per_row), gy = (int)(k / (size_t)per_row);
        Rect cell = rect_make(grid.x + gx * (fw + 1), grid.y + gy * (fh + 1), fw, fh + 1);
        cell = rect_intersect(cell, grid);
        spec.v = s->fields + unit * s->c_inputs;
        heat_draw(c, rect_make(cell.x, cell.y, cell.w, cell.h > 1 ? cell.h - 1 : cell.h), &spec);
        if (cell.h > fh)
            draw_label(s, c, cell, cell.y + fh, unit);
    }
    if (!rect_is_empty(legend))
        draw_legend(s, &spec, v->snap, c, legend, scale);
}

static int fields_key(void *state, TuiKey k, const PaneView *v)
{
    FieldsState *s = state;
    if (k.code != TUI_KEY_CHAR || !v->snap)
        return PANE_IGNORED;
    size_t units = s->c_valid ? s->c_units : v->snap->config.sizes[s->layer < v->snap->config.n_layers ? s->layer : 1];
    if (units == 0)
        return PANE_IGNORED;
    size_t step = s->shown > 1 ? s->shown : 1;
    switch (k.ch) {
    case ']':
        s->first = (s->first + step) % units;
        return PANE_HANDLED | PANE_REDRAW;
    case '[':
        s->first = (s->first + units - step % units) % units;
        return PANE_HANDLED | PANE_REDRAW;
    case 'l':
        if (conv_view_count(&v->snap->config))
            s->view++;
        else
            s->layer = s->layer + 1 < v->snap->config.n_layers ? s->layer + 1 : 1;
        s->first = 0;
        return PANE_HANDLED | PANE_REDRAW;
    case 'd':
        if (!conv_view_count(&v->snap->config) || v->snap->n_probe == 0)
            return PANE_IGNORED;
        s->item = (s->item + 1) % v->snap->n_probe;
        return PANE_HANDLED | PANE_REDRAW;
    default:
        return PANE_IGNORED;
    }
}

static const char *const SORT_WORDS[] = {"norm", "selectivity", "unit", NULL};
static const char *const RAMP_WORDS[] = {"diverging", "grey", NULL};
static const char *const SIZE_WORDS[] = {"auto", "1", "2", "3", NULL};
static const PaneCommandWord FIELDS_WORDS[] = {
    {"sort", SORT_WORDS},
    {"ramp", RAMP_WORDS},
    {"size", SIZE_WORDS},
    {NULL, NULL},
};

static Status fields_command(void *state, const PaneView *v, int argc, char **argv, char *reply, size_t cap,
                             char *msg)
{
    FieldsState *s = state;
    if (argc != 3)
        return status_fail(msg, ST_EINVAL, "usage: :fields sort norm|selectivity|unit, ramp diverging|grey or size auto|1|2|3");
    if (strcmp(argv[1], "sort") == 0) {
        for (int k = 0; k < 3; k++)
            if (strcmp(argv[2], SORT_NAMES[k]) == 0) {
                s->sort = (FieldsSort)k;
                s->first = 0;
                if (v->snap && refresh(s, v->snap) == 0 && s->sort == SORT_SELECTIVITY && s->sel_problem[0]) {
                    s->sort = SORT_UNIT;
                    return status_fail(msg, ST_EINVAL, "cannot sort by selectivity: %s", s->sel_problem);
                }
                snprintf(reply, cap, k == SORT_UNIT ? "receptive fields in unit order"
                                    : k == SORT_NORM ? "receptive fields by weight norm, largest first"
                                                     : "receptive fields by class selectivity, most selective first");
                return ST_OK;
            }
        return status_fail(msg, ST_EINVAL, "unknown sort '%s' (norm, selectivity, unit)", argv[2]);
    }
    if (strcmp(argv[1], "ramp") == 0) {
        if (strcmp(argv[2], "grey") != 0 && strcmp(argv[2], "gray") != 0 && strcmp(argv[2], "diverging") != 0)
            return status_fail(msg, ST_EINVAL, "unknown ramp '%s' (diverging, grey)", argv[2]);
        s->grey = strcmp(argv[2], "diverging") != 0;
        snprintf(reply, cap, s->grey ? "grey shades: black −, mid-grey 0, white +"
                                     : "blue–white–red shades: blue −, white 0, red +");
        return ST_OK;
    }
    if (strcmp(argv[1], "size") == 0) {
        if (strcmp(argv[2], "auto") == 0) {
            s->size = 0;
            snprintf(reply, cap, "receptive fields sized to the pane");
            return ST_OK;
        }
        long k;
        Status st = num_parse_long(argv[2], 1, FIELDS_MAX_SCALE, "the field size (input pixels per shade)", &k,
                                   msg);
        if (st)
            return st;
        s->size = (int)k;
        snprintf(reply, cap, k == 1 ? "receptive fields at full resolution" : "receptive fields at 1:%ld", k);
        return ST_OK;
    }
    return status_fail(msg, ST_EINVAL, "unknown :fields setting '%s' (sort, ramp, size)", argv[1]);
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
    static const char *const VIEW[] = {"kernels", "maps", "fields"};
    const char *kind = s->conv ? VIEW[s->cv.type] : "layer";
    snprintf(pgm, sizeof pgm, "%s-%s%zu.pgm", base, kind, s->layer);
    snprintf(csv, sizeof csv, "%s-%s%zu.csv", base, kind, s->layer);
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
    .keys_help = "[ ] previous/next page of fields, l next layer (HL1, HL2, output; a LeNet: kernels, feature "
                 "maps, fields), d next probe digit of the feature maps",
    .min_w = 18,
    .min_h = 10,
    .weight = 1,
    .create = fields_create,
    .destroy = fields_destroy,
    .draw = fields_draw,
    .handle_key = fields_key,
    .export_data = fields_export,
    .command = fields_command,
    .command_usage = "fields sort|ramp|size VALUE",
    .command_help = "receptive fields: sort norm|selectivity|unit (learned first), ramp diverging|grey, "
                    "size auto|1|2|3 (input pixels per shade)",
    .command_words = FIELDS_WORDS,
};
