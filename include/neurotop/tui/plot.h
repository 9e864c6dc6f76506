#ifndef NEUROTOP_TUI_PLOT_H
#define NEUROTOP_TUI_PLOT_H

/* Line plot widget: several series over a shared x axis, drawn into a
 * canvas rect. On a Unicode canvas each cell is a 2x4 braille dot matrix
 * (so a 40x10 rect plots 80x40 points); on an ASCII canvas each cell is one
 * point, the k-th drawn curve with marker PLOT_ASCII_MARKERS[k % 4]. Consecutive
 * points are joined by straight lines; NaN values leave gaps.
 *
 * Layout inside the rect (left to right): optional y labels (max on the top
 * row, min on the bottom row), an axis column (┤ │ ┤ or + | +), the plot
 * area. Optional last row: x min at the left, x max at the right.
 *
 * Drawing order: x ranges (role tint of blank cells), band, cursor, series
 * (series drawn later win shared cells). The widget reads the caller's
 * arrays only and allocates nothing. Time O(rect cells + points x cells
 * per segment). */

#include <stddef.h>

#include "neurotop/tui/canvas.h"
#include "neurotop/tui/theme.h"

#define PLOT_ASCII_MARKERS "*o+x"
#define PLOT_MAX_SERIES 8

typedef struct {
    const double *y; /* n values (borrowed); NaN or Inf = gap */
    size_t n;
    Role role;       /* e.g. ROLE_PLOT1 */
    const char *name; /* for the legend ("acc", "Q whole"); NULL = not in it */
} PlotSeries;

/* A coloured x interval (a learning phase): blank cells of the plot area
 * whose column centre lies in [x0, x1] take `role`. */
typedef struct PlotRange {
    double x0, x1;
    Role role;
} PlotRange;

typedef struct PlotSpec {
    const PlotSeries *series; /* n_series series (borrowed) */
    size_t n_series;          /* 0..PLOT_MAX_SERIES */
    /* x of point i is x[i] when x is given (increasing, shared by all
     * series), otherwise x0 + i. */
    const double *x;          /* borrowed, may be NULL */
    size_t n_x;               /* length of x; points beyond it are ignored */
    double x0;
    /* Axis limits; NaN = automatic (data range of every series and the
     * band). A flat range is widened by ±0.5 (or ±5 % of |value|). */
    double x_min, x_max, y_min, y_max;
    /* Shaded band between two series (e.g. min and max over Louvain runs):
     * indexes into `series`, -1 = no band. The cells between the two
     * get '░' (':' in ASCII); these two series bound the band and count
     * for the automatic limits but are not drawn as curves. */
    int band_lo, band_hi;
    Role band_role;
    /* Vertical cursor line at this x (NaN = none), e.g. the replayed epoch. */
    double cursor_x;
    Role cursor_role;
    const PlotRange *ranges; /* borrowed, may be NULL */
    size_t n_ranges;
    int y_labels;            /* 1: y max/min labels left of the axis */
    int x_labels;            /* 1: last row holds x min and x max */
    /* Label formats: text with one numeric conversion, read by
     * canvas_format_number (never handed to printf); NULL = default. */
    const char *y_fmt;       /* y labels (default "%.3g") */
    const char *x_fmt;       /* x labels (default "%.0f") */
    Role label_role;         /* labels; default ROLE_LABEL */
    Role axis_role;          /* axis column; default ROLE_AXIS */
    /* 1 (default): the names of the drawn curves that have one, each after
     * a swatch in its role (━ on Unicode, its ASCII marker otherwise),
     * right-aligned in the top row of the plot area, or in the bottom row
     * when the curves leave that one freer; left out when too wide. */
    int legend;
} PlotSpec;

/* Defaults: no series, automatic limits, no band/cursor/ranges, y labels
 * on, x labels off, formats "%.3g" and "%.0f", legend on. */
void plot_spec_init(PlotSpec *spec);

/* Draw into r of c (clipped to the canvas). Nothing is drawn when r is
 * smaller than 2x1 or there is no finite point. */
void plot_draw(Canvas *c, Rect r, const PlotSpec *spec);

/* Width taken by the y labels and axis column for this spec and rect
 * height: the plot area is r.w minus this. Lets panes align two plots. */
int plot_margin_width(const PlotSpec *spec, int height);

#endif
