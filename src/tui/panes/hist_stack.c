/* Stacked histogram bands (hist_stack.h). */
#include "hist_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/run/export.h"
#include "neurotop/tui/widgets.h"

Rect hist_stack_band(Rect r, size_t i, size_t n)
{
    int per = n ? r.h / (int)n : 0;
    return rect_make(r.x, r.y + (int)i * per, r.w, i + 1 == n ? r.h - (int)i * per : per);
}

void hist_stack_stats(Canvas *c, Rect head, int x, const char *const *labels, char (*values)[32], int n)
{
    for (int k = 0; k < n; k++) {
        if (x + (k == 0) + canvas_text_width(labels[k]) + (int)strlen(values[k]) > head.x + head.w)
            break;
        x = canvas_text(c, head, x + (k == 0), head.y, labels[k], ROLE_LABEL);
        x = canvas_text(c, head, x, head.y, values[k], ROLE_VALUE);
    }
}

void hist_stack_bars(Canvas *c, Rect area, const HistBand *band, size_t bins, const char *label_fmt, int margin,
                     size_t index)
{
    HistSpec spec;
    hist_spec_init(&spec);
    spec.counts = band->counts;
    spec.n_bins = bins;
    spec.lo = band->lo;
    spec.hi = band->hi;
    spec.labels = area.h >= 3;
    spec.mark = 0.0;
    spec.mark_label = "0";
    spec.label_fmt = label_fmt;
    spec.count_margin = area.h >= 2 ? margin : 0;
    spec.role = (Role)(ROLE_PLOT1 + (int)(index % ROLE_PLOT_COUNT));
    hist_draw(c, area, &spec);
}

Status hist_stack_export(const HistBand *bands, size_t n, size_t bins, const char *base, const char *what,
                         char *written, size_t cap, char *msg)
{
    size_t cols = 2 * n, cells = bins * cols;
    double *m = malloc((cells ? cells : 1) * sizeof(double));
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t k = 0; k < bins; k++)
        for (size_t b = 0; b < n; b++) {
            double w = (bands[b].hi - bands[b].lo) / (double)bins;
            m[k * cols + 2 * b] = bands[b].lo + ((double)k + 0.5) * w;
            m[k * cols + 2 * b + 1] = bands[b].counts[k];
        }
    char csv[1200];
    snprintf(csv, sizeof csv, "%s.csv", base);
    Status st = export_matrix_csv(m, bins, cols, csv, msg);
    free(m);
    if (!st)
        snprintf(written, cap, "%s (per %s: bin centre, count)", csv, what);
    return st;
}
