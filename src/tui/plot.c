#include "neurotop/tui/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Braille dot bits for (column 0..1, row 0..3) inside a cell (Unicode's
 * dot numbering 1-2-3-7 down the left, 4-5-6-8 down the right). */
static const uint8_t BRAILLE_BIT[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

#define BRAILLE_BASE 0x2800u
#define GLYPH_BAND 0x2591u /* ░ */
#define LABEL_MAX 32

/* Everything derived from the spec and the rect before drawing. */
typedef struct {
    double xmin, xmax, ymin, ymax;
    Rect area;       /* plot cells */
    int sx, sy;      /* pixels per cell (2x4 braille, 1x1 ASCII) */
    int pw, ph;      /* pixel grid */
    int label_w;     /* y label column width (0 = none) */
    char top[LABEL_MAX], bottom[LABEL_MAX];
    int x_label_row; /* canvas row of x labels, -1 = none */
} Frame;

void plot_spec_init(PlotSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->x_min = spec->x_max = spec->y_min = spec->y_max = NAN;
    spec->band_lo = spec->band_hi = -1;
    spec->band_role = ROLE_BAND;
    spec->cursor_x = NAN;
    spec->cursor_role = ROLE_CURSOR;
    spec->y_labels = 1;
    spec->x_labels = 0;
    spec->y_fmt = "%.3g";
    spec->x_fmt = "%.0f";
    spec->label_role = ROLE_LABEL;
    spec->axis_role = ROLE_AXIS;
    spec->legend = 1;
}

static size_t series_len(const PlotSpec *s, const PlotSeries *ser)
{
    size_t n = ser->n;
    if (s->x && s->n_x < n)
        n = s->n_x;
    return n;
}

static double x_at(const PlotSpec *s, size_t i)
{
    return s->x ? s->x[i] : s->x0 + (double)i;
}

static size_t n_series(const PlotSpec *s)
{
    return s->series ? (s->n_series < PLOT_MAX_SERIES ? s->n_series : PLOT_MAX_SERIES) : 0;
}

/* Data limits over every finite point; returns 0 when there is none. */
static int data_limits(const PlotSpec *s, double *x0, double *x1, double *y0, double *y1)
{
    int any = 0;
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
    for (size_t k = 0; k < n_series(s); k++) {
        const PlotSeries *ser = &s->series[k];
        if (!ser->y)
            continue;
        size_t n = series_len(s, ser);
        for (size_t i = 0; i < n; i++) {
            double x = x_at(s, i), y = ser->y[i];
            if (!isfinite(x) || !isfinite(y))
                continue;
            any = 1;
            if (x < *x0)
                *x0 = x;
            if (x > *x1)
                *x1 = x;
            if (y < *y0)
                *y0 = y;
            if (y > *y1)
                *y1 = y;
        }
    }
    return any;
}

static void widen_flat(double *lo, double *hi)
{
    if (*hi > *lo)
        return;
    double pad = *lo == 0 ? 0.5 : fabs(*lo) * 0.05;
    *lo -= pad;
    *hi += pad;
}

static void format_label(char *buf, const char *fmt, const char *fallback, double v)
{
    canvas_format_number(buf, LABEL_MAX, fmt, v, fallback);
}

static int frame_setup(const PlotSpec *s, const Canvas *c, Rect r, Frame *f)
{
    memset(f, 0, sizeof *f);
    f->x_label_row = -1;
    if (r.w < 2 || r.h < 1)
        return 0;
    double dx0, dx1, dy0, dy1;
    if (!data_limits(s, &dx0, &dx1, &dy0, &dy1))
        return 0;
    f->xmin = isnan(s->x_min) ? dx0 : s->x_min;
    f->xmax = isnan(s->x_max) ? dx1 : s->x_max;
    f->ymin = isnan(s->y_min) ? dy0 : s->y_min;
    f->ymax = isnan(s->y_max) ? dy1 : s->y_max;
    widen_flat(&f->xmin, &f->xmax);
    widen_flat(&f->ymin, &f->ymax);
    Rect area = r;
    if (s->x_labels && area.h >= 2) {
        Rect row = rect_take_bottom(&area, 1);
        f->x_label_row = row.y;
    }
    if (s->y_labels) {
        format_label(f->top, s->y_fmt, "%.3g", f->ymax);
        format_label(f->bottom, s->y_fmt, "%.3g", f->ymin);
        int lw = canvas_text_width(f->top);
        int bw = canvas_text_width(f->bottom);
        if (area.h >= 2 && bw > lw)
            lw = bw;
        /* Labels may take at most half the width; the curve matters more. */
        if (lw + 1 <= area.w / 2)
            f->label_w = lw;
        else
            f->label_w = -1;
    }
    if (f->label_w >= 0 && s->y_labels)
        rect_take_left(&area, f->label_w + 1);
    f->area = area;
    f->sx = c->unicode ? 2 : 1;
    f->sy = c->unicode ? 4 : 1;
    f->pw = area.w * f->sx;
    f->ph = area.h * f->sy;
    return area.w > 0 && area.h > 0;
}

int plot_margin_width(const PlotSpec *spec, int height)
{
    /* The margin does not depend on the glyph mode; a throwaway canvas
     * header is enough to run the same setup. */
    Canvas probe = {.w = 0, .h = 0, .unicode = 1, .colors = 0, .cells = NULL};
    Frame f;
    if (!frame_setup(spec, &probe, rect_make(0, 0, 1 << 14, height), &f))
        return 0;
    return f.label_w > 0 ? f.label_w + 1 : 0;
}

/* Pixel coordinates (may lie outside the grid). */
static double px_of(const Frame *f, double x)
{
    return (x - f->xmin) / (f->xmax - f->xmin) * (f->pw - 1);
}

static double py_of(const Frame *f, double y)
{
    return (f->ymax - y) / (f->ymax - f->ymin) * (f->ph - 1);
}

/* x value at the centre of cell column cx. */
static double x_of_column(const Frame *f, int cx)
{
    double p = cx * f->sx + (f->sx - 1) / 2.0;
    if (f->pw <= 1)
        return f->xmin;
    return f->xmin + p / (f->pw - 1) * (f->xmax - f->xmin);
}

/* Linear interpolation of a series at x; NaN outside its data or in a gap. */
static double interp(const PlotSpec *s, const PlotSeries *ser, double x)
{
    size_t n = series_len(s, ser);
    for (size_t i = 0; i + 1 < n; i++) {
        double xa = x_at(s, i), xb = x_at(s, i + 1);
        if (x < xa || x > xb)
            continue;
        double ya = ser->y[i], yb = ser->y[i + 1];
        if (!isfinite(ya) || !isfinite(yb))
            return NAN;
        if (xb == xa)
            return ya;
        return ya + (yb - ya) * (x - xa) / (xb - xa);
    }
    if (n == 1 && x_at(s, 0) == x)
        return ser->y[0];
    return NAN;
}

static void set_pixel(Canvas *c, const Frame *f, int px, int py, Role role, uint32_t marker)
{
    if (px < 0 || py < 0 || px >= f->pw || py >= f->ph)
        return;
    int cx = f->area.x + px / f->sx, cy = f->area.y + py / f->sy;
    if (!c->unicode) {
        canvas_put(c, cx, cy, marker, role);
        return;
    }
    const Cell *cell = canvas_cell(c, cx, cy);
    if (!cell)
        return;
    uint32_t bits = 0;
    if (cell->ch >= BRAILLE_BASE && cell->ch <= BRAILLE_BASE + 0xFF)
        bits = cell->ch - BRAILLE_BASE;
    bits |= BRAILLE_BIT[py % 4][px % 2];
    canvas_put(c, cx, cy, BRAILLE_BASE + bits, role);
}

/* Keep far-away points from making the line walk very long: one pixel
 * beyond the grid is enough to get the slope's entry point roughly right. */
static int clamp_px(double v, int n)
{
    if (v < -n)
        v = -n;
    if (v > 2.0 * n)
        v = 2.0 * n;
    return (int)lround(v);
}

static void draw_line(Canvas *c, const Frame *f, double x0, double y0, double x1, double y1,
                      Role role, uint32_t marker)
{
    int ax = clamp_px(x0, f->pw), ay = clamp_px(y0, f->ph);
    int bx = clamp_px(x1, f->pw), by = clamp_px(y1, f->ph);
    int dx = bx > ax ? bx - ax : ax - bx, sx = ax < bx ? 1 : -1;
    int dy = by > ay ? ay - by : by - ay, sy = ay < by ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        set_pixel(c, f, ax, ay, role, marker);
        if (ax == bx && ay == by)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            ax += sx;
        }
        if (e2 <= dx) {
            err += dx;
            ay += sy;
        }
    }
}

static int band_valid(const PlotSpec *s)
{
    size_t ns = n_series(s);
    return s->band_lo >= 0 && s->band_hi >= 0 && (size_t)s->band_lo < ns &&
           (size_t)s->band_hi < ns;
}

static int is_band_series(const PlotSpec *s, size_t k)
{
    return band_valid(s) && (k == (size_t)s->band_lo || k == (size_t)s->band_hi);
}

/* Draw series k with the ASCII marker of its rank among drawn curves. */
static void draw_series(Canvas *c, const Frame *f, const PlotSpec *s, size_t k, size_t rank)
{
    const PlotSeries *ser = &s->series[k];
    if (!ser->y)
        return;
    uint32_t marker = (uint32_t)(unsigned char)PLOT_ASCII_MARKERS[rank % 4];
    size_t n = series_len(s, ser);
    int have_prev = 0;
    double ppx = 0, ppy = 0;
    for (size_t i = 0; i < n; i++) {
        double x = x_at(s, i), y = ser->y[i];
        if (!isfinite(x) || !isfinite(y)) {
            have_prev = 0;
            continue;
        }
        double px = px_of(f, x), py = py_of(f, y);
        if (have_prev)
            draw_line(c, f, ppx, ppy, px, py, ser->role, marker);
        else
            draw_line(c, f, px, py, px, py, ser->role, marker);
        ppx = px;
        ppy = py;
        have_prev = 1;
    }
}

static void draw_ranges(Canvas *c, const Frame *f, const PlotSpec *s)
{
    if (!s->ranges)
        return;
    for (int cx = 0; cx < f->area.w; cx++) {
        double x = x_of_column(f, cx);
        for (size_t i = 0; i < s->n_ranges; i++) {
            const PlotRange *rg = &s->ranges[i];
            if (x >= rg->x0 && x <= rg->x1)
                canvas_set_role(c, rect_make(f->area.x + cx, f->area.y, 1, f->area.h), rg->role);
        }
    }
}

static int cell_row_of(const Frame *f, double py)
{
    int p = (int)lround(py);
    if (p < 0)
        p = 0;
    if (p >= f->ph)
        p = f->ph - 1;
    return p / f->sy;
}

static void draw_band(Canvas *c, const Frame *f, const PlotSpec *s)
{
    if (!band_valid(s))
        return;
    const PlotSeries *lo = &s->series[s->band_lo], *hi = &s->series[s->band_hi];
    if (!lo->y || !hi->y)
        return;
    uint32_t glyph = c->unicode ? GLYPH_BAND : ':';
    for (int cx = 0; cx < f->area.w; cx++) {
        double x = x_of_column(f, cx);
        double a = interp(s, lo, x), b = interp(s, hi, x);
        if (!isfinite(a) || !isfinite(b))
            continue;
        int r0 = cell_row_of(f, py_of(f, a > b ? a : b));
        int r1 = cell_row_of(f, py_of(f, a > b ? b : a));
        for (int cy = r0; cy <= r1; cy++)
            canvas_put(c, f->area.x + cx, f->area.y + cy, glyph, s->band_role);
    }
}

static void draw_cursor(Canvas *c, const Frame *f, const PlotSpec *s)
{
    if (!isfinite(s->cursor_x))
        return;
    double px = px_of(f, s->cursor_x);
    if (px < -0.5 || px > f->pw - 0.5)
        return;
    int cx = (int)lround(px) / f->sx;
    canvas_vline(c, f->area.x + cx, f->area.y, f->area.h, s->cursor_role);
}

static void draw_axes(Canvas *c, const Frame *f, const PlotSpec *s, Rect r)
{
    if (f->x_label_row >= 0) {
        char a[LABEL_MAX], b[LABEL_MAX];
        format_label(a, s->x_fmt, "%.0f", f->xmin);
        format_label(b, s->x_fmt, "%.0f", f->xmax);
        Rect row = rect_make(f->area.x, f->x_label_row, f->area.w, 1);
        int wa = canvas_text_width(a), wb = canvas_text_width(b);
        canvas_text(c, row, row.x, row.y, a, s->label_role);
        if (wa + 1 + wb <= row.w)
            canvas_text_align(c, row, 1, b, s->label_role);
    }
    if (!s->y_labels || f->label_w < 0)
        return;
    Rect lab = rect_make(r.x, f->area.y, f->label_w, f->area.h);
    int axis_x = r.x + f->label_w;
    canvas_text_align(c, rect_make(lab.x, lab.y, lab.w, 1), 1, f->top, s->label_role);
    if (f->area.h >= 2)
        canvas_text_align(c, rect_make(lab.x, lab.y + lab.h - 1, lab.w, 1), 1, f->bottom,
                          s->label_role);
    canvas_vline(c, axis_x, f->area.y, f->area.h, s->axis_role);
    canvas_put(c, axis_x, f->area.y, 0x2524, s->axis_role); /* ┤ */
    canvas_put(c, axis_x, f->area.y + f->area.h - 1, 0x2524, s->axis_role);
}

static int legend_width(const PlotSpec *s)
{
    int w = 0;
    for (size_t k = 0; k < n_series(s); k++)
        if (!is_band_series(s, k) && s->series[k].name && s->series[k].name[0])
            w += (w ? 2 : 0) + 2 + canvas_text_width(s->series[k].name);
    return w;
}

/* Cells of row y in [x0, x0 + w) that are not blank. */
static int busy_cells(const Canvas *c, int x0, int y, int w)
{
    int n = 0;
    for (int x = x0; x < x0 + w; x++) {
        const Cell *cell = canvas_cell(c, x, y);
        n += cell && cell->ch != ' ' && cell->ch != BRAILLE_BASE;
    }
    return n;
}

static void draw_legend(Canvas *c, const Frame *f, const PlotSpec *s)
{
    int w = legend_width(s);
    if (!s->legend || w == 0 || w + 1 > f->area.w)
        return;
    int x = f->area.x + f->area.w - w, y = f->area.y;
    int bottom = f->area.y + f->area.h - 1;
    if (f->area.h >= 2 && busy_cells(c, x - 1, bottom, w + 1) < busy_cells(c, x - 1, y, w + 1))
        y = bottom;
    canvas_fill(c, rect_make(x - 1, y, w + 1, 1), ' ', ROLE_DEFAULT);
    size_t rank = 0;
    for (size_t k = 0; k < n_series(s); k++) {
        if (is_band_series(s, k))
            continue;
        const PlotSeries *ser = &s->series[k];
        uint32_t swatch = c->unicode ? 0x2501u : (uint32_t)(unsigned char)PLOT_ASCII_MARKERS[rank % 4];
        rank++;
        if (!ser->name || !ser->name[0])
            continue;
        canvas_put(c, x, y, swatch, ser->role);
        x = canvas_text(c, f->area, x + 2, y, ser->name, s->label_role) + 2;
    }
}

void plot_draw(Canvas *c, Rect r, const PlotSpec *spec)
{
    r = rect_intersect(r, canvas_rect(c));
    if (rect_is_empty(r))
        return;
    canvas_fill(c, r, ' ', ROLE_DEFAULT);
    Frame f;
    if (!frame_setup(spec, c, r, &f))
        return;
    draw_ranges(c, &f, spec);
    draw_band(c, &f, spec);
    draw_cursor(c, &f, spec);
    size_t rank = 0;
    for (size_t k = 0; k < n_series(spec); k++)
        if (!is_band_series(spec, k))
            draw_series(c, &f, spec, k, rank++);
    draw_legend(c, &f, spec);
    draw_axes(c, &f, spec, r);
}
