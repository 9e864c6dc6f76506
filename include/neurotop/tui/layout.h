#ifndef NEUROTOP_TUI_LAYOUT_H
#define NEUROTOP_TUI_LAYOUT_H

/* The layout manager: where each pane goes for a terminal size.
 *
 * Row 0 is the status line and the last row the `:` line (messages when
 * not editing); the rows between are the body. In the body the panes are
 * placed in reading order in a grid of C columns and R = ceil(n / C) rows;
 * a last row with fewer panes stretches them over the full width. Column
 * widths are equal; row heights follow the largest weight in each row.
 * Among the grids where every pane gets at least its minimum size, the one
 * whose tightest pane has the most room (largest min over panes of
 * min(w / min_w, h / min_h)) wins; ties go to fewer columns.
 *
 * When no grid fits, one pane is shown at a time (the focused one, the app
 * cycles focus with Tab); zoom shows the focused pane over the whole body.
 * When the body is smaller than the focused pane's minimum the layout is
 * "too small": the app should print one line (layout_too_small_message)
 * instead of drawing panes. Pure: no allocation, no terminal. */

#include <stddef.h>

#include "neurotop/tui/canvas.h"

#define LAYOUT_MAX_PANES 16

typedef struct {
    int min_w, min_h; /* smallest useful size in cells, >= 1 */
    int weight;       /* relative height share, >= 1 (values < 1 count as 1) */
} LayoutPane;

typedef enum {
    LAYOUT_GRID = 0,  /* every pane visible */
    LAYOUT_SINGLE,    /* only the focused pane, the terminal is too small for all */
    LAYOUT_ZOOM,      /* only the focused pane, zoomed by the user */
    LAYOUT_TOO_SMALL  /* nothing fits: show layout_too_small_message */
} LayoutMode;

typedef struct {
    LayoutMode mode;
    Rect status;  /* status line (row 0); empty when the terminal has 0 rows */
    Rect cmdline; /* `:` line (last row); empty when fewer than 2 rows */
    Rect body;    /* rows between */
    size_t n;     /* number of panes laid out */
    Rect pane[LAYOUT_MAX_PANES]; /* pane i's rect; empty when not shown */
    int grid_cols, grid_rows;    /* grid shape (1x1 in single/zoom, 0x0 too small) */
    int need_w, need_h;          /* smallest terminal that shows the focused pane */
} Layout;

/* Lay out n panes (n <= LAYOUT_MAX_PANES; extra panes are ignored) in a
 * term_w x term_h terminal. focused is the index of the focused pane
 * (clamped to n-1); zoomed != 0 shows it alone. Negative sizes count as 0.
 * O(n^2). */
void layout_compute(int term_w, int term_h, const LayoutPane *panes, size_t n,
                    size_t focused, int zoomed, Layout *out);

/* "terminal too small: 20x5, needs at least 40x12" (fits in cap,
 * NUL-terminated); the app wraps it to the terminal's width. */
void layout_too_small_message(const Layout *l, int term_w, int term_h, char *buf, size_t cap);

#endif
