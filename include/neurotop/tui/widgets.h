#ifndef NEUROTOP_TUI_WIDGETS_H
#define NEUROTOP_TUI_WIDGETS_H

/* Small widgets drawn into a canvas rect: histogram, heatmap, scatter,
 * progress bar, sparkline (the line plot is in plot.h). Each is a pure
 * function of the caller's data: it reads borrowed arrays, allocates
 * nothing, and draws only inside the rect (clipped to the canvas). Glyphs
 * depend only on Canvas.unicode; colour comes from the roles. */

#include <stddef.h>

#include "neurotop/tui/canvas.h"
#include "neurotop/tui/theme.h"

/* ---- histogram ---- */

typedef struct {
    const double *counts; /* n_bins bar heights (borrowed), >= 0; NaN = 0 */
    size_t n_bins;
    double lo, hi;        /* bin range for the labels */
    int labels;           /* 1: last row shows lo at the left, hi at the right */
    const char *label_fmt;/* lo/hi format, see canvas_format_number (default "%.2g") */
    double mark;          /* x value marked with '^' in the label row (NaN = none) */
    const char *mark_label; /* written after the '^' when there is room ("0", "mean"); NULL = none */
    /* Cells left of the bars for the count scale (0 = none): the tallest
     * column's count on the top row and 0 on the bottom bar row, right
     * aligned, one blank before the bars. Used only when the rect is wider
     * than twice the margin. */
    int count_margin;
    Role role;            /* bars (default ROLE_PLOT1) */
    Role label_role;      /* default ROLE_LABEL */
} HistSpec;

void hist_spec_init(HistSpec *spec);

/* A count margin wide enough for any count of n values: the digits of n,
 * plus one. Panes subtract it from the width to get one bin per column. */
int hist_count_margin(size_t n);

/* Vertical bars, tallest = full height. With more bins than columns,
 * neighbouring bins are averaged into a column; with fewer, each bin is
 * stretched over floor(w / n_bins) columns (the rest stays blank on the
 * right). Unicode: ▁▂▃▄▅▆▇█ (eighths of a cell); ASCII: '#' per cell.
 * A non-zero bin always shows at least ▁ (or '.' in ASCII). */
void hist_draw(Canvas *c, Rect r, const HistSpec *spec);

/* ---- heatmap ---- */

/* ASCII shade ramp from low to high (used in both modes: it reads well and
 * golden files stay comparable). */
#define HEAT_RAMP " .:-=+*#%@"
#define HEAT_RAMP_LEN 10
/* Diverging glyphs, weak to strong, for negative and positive values;
 * values within 1/(2*HEAT_SIGN_LEVELS + 1) of zero are blank. */
#define HEAT_NEG_GLYPHS "-=%"
#define HEAT_POS_GLYPHS ".+#"
#define HEAT_SIGN_LEVELS 3

/* Shades on a 256-colour canvas: a grey ramp of 26 steps (black, the 24
 * greys, white) and a blue–white–red ramp of 17 steps (8 blues, white, 8
 * reds), as xterm palette colours. */
#define HEAT_GREY_STEPS 26
#define HEAT_DIVERGING_STEPS 17

typedef enum {
    HEAT_SEQUENTIAL = 0, /* lo..hi on the shade ramp, roles ROLE_HEAT0..7 */
    HEAT_DIVERGING       /* sign and |value|: ROLE_NEG1..3 / ROLE_POS1..3 */
} HeatMode;

typedef struct {
    const double *v;    /* rows x cols, row-major (borrowed); NaN = blank */
    size_t rows, cols;
    HeatMode mode;
    /* Scale; NaN = automatic: sequential min..max of the data, diverging
     * ±max|v| (lo is ignored in diverging mode, hi is the magnitude). */
    double lo, hi;
    int pair_rows;      /* 1: two data rows per text row (28x28 -> 28x14) */
    /* 0: fit the rect (block averaging). k >= 1: every shown pixel is the
     * mean of k x k data cells, never fitted (cut at the rect's edge). */
    int scale;
    /* 1 (the default): on a Unicode canvas with 256 colours every shown
     * pixel gets its own shade: the cell is '▀' with the upper pixel's
     * colour as foreground and the lower pixel's as background (with
     * pair_rows; without it the cell is one pixel). Other canvases get the
     * glyphs and roles below. */
    int shades;
    /* Shades of a diverging map: 1 = grey (−hi black, 0 mid-grey, +hi
     * white) instead of blue–white–red. Sequential maps are always grey. */
    int grey;
} HeatSpec;

/* Defaults: sequential, automatic scale, fit the rect, shades on, blue–white–red. */
void heat_spec_init(HeatSpec *spec);

/* Draw at the top-left of r. Glyphs: the output is min(cols, r.w) columns
 * by min(ceil(rows / (pair_rows ? 2 : 1)), r.h) rows (scale 0), each cell
 * the mean of the data cells it covers (block averaging, so a map larger
 * than the rect is shrunk, never cut); with scale k the map is
 * ceil(cols / k) by ceil(ceil(rows / k) / (pair_rows ? 2 : 1)) cells, cut
 * at the rect's edge. Shades (see HeatSpec.shades) use the same cells and
 * split each into its upper and lower half. O(rows * cols). */
void heat_draw(Canvas *c, Rect r, const HeatSpec *spec);

/* Cells heat_draw uses for spec in a rect of (w, h): for laying out grids
 * of receptive fields. */
void heat_size(const HeatSpec *spec, int w, int h, int *out_w, int *out_h);

/* The scale heat_draw uses: spec->lo/hi, or the data's (sequential: min and
 * max; diverging: -max|v| and +max|v|). */
void heat_range(const HeatSpec *spec, double *lo, double *hi);

/* 1 when heat_draw draws spec on c with shades rather than glyphs. */
int heat_uses_shades(const Canvas *c, const HeatSpec *spec);

/* Palette colour of value v in [lo, hi] (clamped) on spec's shade ramp. */
int heat_shade(const HeatSpec *spec, double v, double lo, double hi);

/* One-row legend of spec's colours or glyphs at (x, y) within clip:
 * "lo ramp hi" with the numbers in fmt (see canvas_format_number; default
 * "%.2g"). Shades: the ramp is `len` cells of colour from lo to hi; glyphs:
 * the glyphs from low to high (diverging "%=- .+#"). Returns the column
 * after the legend. */
int heat_legend_draw(Canvas *c, Rect clip, int x, int y, const HeatSpec *spec, double lo, double hi,
                     int len, const char *fmt);

/* ---- scatter ---- */

typedef enum {
    /* Braille dots on Unicode canvases, except for classed points on a
     * canvas with fewer than 256 colours (the ten class colours would not
     * stay apart): digits then, as on ASCII canvases. */
    SCATTER_AUTO = 0,
    SCATTER_DIGITS    /* class digit (class % 10) as the marker everywhere */
} ScatterMarker;

typedef struct {
    const double *x, *y; /* n points (borrowed); non-finite points skipped */
    size_t n;
    const int *cls;      /* class of each point (borrowed), NULL = all 0 */
    double x_min, x_max, y_min, y_max; /* NaN = automatic */
    ScatterMarker marker;
    /* 1 (default): with classes and at least 4 rows, the last row is a
     * legend: "class" and each class present (0..9) in its colour. */
    int legend;
} ScatterSpec;

void scatter_spec_init(ScatterSpec *spec);

/* Points in role ROLE_CLASS0 + class % 10 (negative classes count as 0).
 * Later points win shared cells. O(n + cells). */
void scatter_draw(Canvas *c, Rect r, const ScatterSpec *spec);

/* ---- progress bar ---- */

/* One-row bar: "label [#####-----]  42% ETA 1m05s". frac is clamped to
 * [0, 1] (NaN = 0); eta_s < 0 or NaN omits the ETA; label may be NULL.
 * Unicode draws the bar with █ and eighth blocks ▏▎▍▌▋▊▉ on a '·' track.
 * When the rect is narrow the ETA goes first, then the label, then the
 * percent; below 5 cells (7 in ASCII) only the percent is shown. */
void progress_draw(Canvas *c, Rect r, const char *label, double frac, double eta_s,
                   Role bar_role, Role text_role);

/* "12s", "3m04s", "1h02m", "3d04h"; "?" for NaN or negative. */
void progress_format_eta(double seconds, char *buf, size_t cap);

/* ---- sparkline ---- */

/* The last w values of v[0..n) in one row at (x, y), right-aligned
 * (missing history on the left stays blank). Unicode: ▁..█ in eight
 * levels; ASCII: "_.-'" in four. lo/hi NaN = automatic over the values
 * shown; NaN values are blank. */
void sparkline_draw(Canvas *c, int x, int y, int w, const double *v, size_t n, double lo,
                    double hi, Role role);

#endif
