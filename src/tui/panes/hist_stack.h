#ifndef NEUROTOP_TUI_PANES_HIST_STACK_H
#define NEUROTOP_TUI_PANES_HIST_STACK_H

/* Histograms stacked in a pane, one band per block or layer (the Weights
 * and Strength panes): a head line with a name and a few statistics, then
 * the bars with w = 0 marked; and their export as one CSV. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/tui/canvas.h"

/* One band: counts[bins] over [lo, hi]. */
typedef struct {
    const double *counts;
    double lo, hi;
} HistBand;

/* The band i of n in r (the last takes the rest of the height); empty when
 * it has no room. */
Rect hist_stack_band(Rect r, size_t i, size_t n);

/* After the head's name ending at x: " label value" pairs, each whole or
 * not at all, left to right while they fit. */
void hist_stack_stats(Canvas *c, Rect head, int x, const char *const *labels, char (*values)[32], int n);

/* The bars of band `index` in area: labels when 3 rows fit, the count
 * margin when 2 do, colour by index. */
void hist_stack_bars(Canvas *c, Rect area, const HistBand *band, size_t bins, const char *label_fmt, int margin,
                     size_t index);

/* base.csv: for each band, the bin centre and count per bin (2·n columns,
 * bins rows); `written` says what went where, naming each band as `what`. */
Status hist_stack_export(const HistBand *bands, size_t n, size_t bins, const char *base, const char *what,
                         char *written, size_t cap, char *msg);

#endif
