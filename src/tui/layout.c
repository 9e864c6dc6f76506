#include "neurotop/tui/layout.h"

#include <stdio.h>
#include <string.h>

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static int pane_min_w(const LayoutPane *p)
{
    return imax(p->min_w, 1);
}

static int pane_min_h(const LayoutPane *p)
{
    return imax(p->min_h, 1);
}

/* Split `total` rows among `nrows` rows in proportion to their weights,
 * but never below a row's minimum: rows that would fall short are pinned
 * at their minimum and the rest is shared again among the others. Returns
 * 0 when even the minimums do not fit. */
static int share_rows(int total, int nrows, const int *weight, const int *min, int *out)
{
    int pinned[LAYOUT_MAX_PANES] = {0};
    int sum_min = 0;
    for (int i = 0; i < nrows; i++)
        sum_min += min[i];
    if (sum_min > total)
        return 0;
    for (int round = 0; round <= nrows; round++) {
        int left = total, wsum = 0;
        for (int i = 0; i < nrows; i++) {
            if (pinned[i])
                left -= min[i];
            else
                wsum += weight[i];
        }
        int given = 0, changed = 0;
        for (int i = 0; i < nrows; i++) {
            if (pinned[i]) {
                out[i] = min[i];
                continue;
            }
            out[i] = (int)((long)left * weight[i] / (wsum ? wsum : 1));
            given += out[i];
        }
        /* Hand out the rounding remainder from the top. */
        for (int i = 0; i < nrows && given < left; i++)
            if (!pinned[i]) {
                out[i]++;
                given++;
            }
        for (int i = 0; i < nrows; i++)
            if (!pinned[i] && out[i] < min[i]) {
                pinned[i] = 1;
                changed = 1;
            }
        if (!changed)
            return 1;
    }
    return 1;
}

/* Rects of an ncols-column grid in body; returns the score (the tightest
 * pane's room ratio) or a negative value when some pane does not fit. */
static double grid_try(Rect body, const LayoutPane *panes, int n, int ncols, Rect *rects)
{
    int nrows = (n + ncols - 1) / ncols;
    int weight[LAYOUT_MAX_PANES], min[LAYOUT_MAX_PANES], height[LAYOUT_MAX_PANES];
    for (int r = 0; r < nrows; r++) {
        weight[r] = 1;
        min[r] = 1;
        for (int i = r * ncols; i < n && i < (r + 1) * ncols; i++) {
            weight[r] = imax(weight[r], panes[i].weight);
            min[r] = imax(min[r], pane_min_h(&panes[i]));
        }
    }
    if (!share_rows(body.h, nrows, weight, min, height))
        return -1;
    double score = 1e300;
    int y = body.y;
    for (int r = 0; r < nrows; r++) {
        int first = r * ncols;
        int k = n - first < ncols ? n - first : ncols;
        Rect row = rect_make(body.x, y, body.w, height[r]);
        for (int j = 0; j < k; j++) {
            Rect cell = rect_split_cols(row, j, k);
            const LayoutPane *p = &panes[first + j];
            if (cell.w < pane_min_w(p) || cell.h < pane_min_h(p))
                return -1;
            double sw = (double)cell.w / pane_min_w(p), sh = (double)cell.h / pane_min_h(p);
            double s = sw < sh ? sw : sh;
            if (s < score)
                score = s;
            rects[first + j] = cell;
        }
        y += height[r];
    }
    return score;
}

void layout_compute(int term_w, int term_h, const LayoutPane *panes, size_t n, size_t focused,
                    int zoomed, Layout *out)
{
    memset(out, 0, sizeof *out);
    int w = imax(term_w, 0), h = imax(term_h, 0);
    if (n > LAYOUT_MAX_PANES)
        n = LAYOUT_MAX_PANES;
    out->n = n;
    out->status = h >= 1 ? rect_make(0, 0, w, 1) : rect_make(0, 0, 0, 0);
    out->cmdline = h >= 2 ? rect_make(0, h - 1, w, 1) : rect_make(0, 0, 0, 0);
    out->body = rect_make(0, h >= 1 ? 1 : 0, w, imax(h - 2, 0));
    if (n == 0) {
        out->mode = LAYOUT_GRID;
        return;
    }
    if (focused >= n)
        focused = n - 1;
    const LayoutPane *fp = &panes[focused];
    out->need_w = pane_min_w(fp);
    out->need_h = pane_min_h(fp) + 2;
    Rect body = out->body;

    if (!zoomed) {
        Rect best[LAYOUT_MAX_PANES], tmp[LAYOUT_MAX_PANES];
        double best_score = -1;
        int best_cols = 0;
        for (int c = 1; c <= (int)n; c++) {
            double s = grid_try(body, panes, (int)n, c, tmp);
            /* Strictly better only: ties keep the grid with fewer columns. */
            if (s > best_score + 1e-9) {
                best_score = s;
                best_cols = c;
                memcpy(best, tmp, n * sizeof best[0]);
            }
        }
        if (best_cols > 0) {
            out->mode = LAYOUT_GRID;
            out->grid_cols = best_cols;
            out->grid_rows = ((int)n + best_cols - 1) / best_cols;
            memcpy(out->pane, best, n * sizeof best[0]);
            return;
        }
    }
    if (body.w >= pane_min_w(fp) && body.h >= pane_min_h(fp)) {
        out->mode = zoomed ? LAYOUT_ZOOM : LAYOUT_SINGLE;
        out->grid_cols = out->grid_rows = 1;
        out->pane[focused] = body;
        return;
    }
    out->mode = LAYOUT_TOO_SMALL;
}

void layout_too_small_message(const Layout *l, int term_w, int term_h, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    snprintf(buf, cap, "terminal too small: %dx%d, needs at least %dx%d", term_w, term_h, l->need_w,
             l->need_h);
}
