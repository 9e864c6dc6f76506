#include "neurotop/tui/widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LOWER_EIGHTH 0x2581u /* ▁; ▂..█ follow */
#define FULL_BLOCK 0x2588u
#define BRAILLE_BASE 0x2800u
#define MIDDLE_DOT 0x00B7u

static const uint8_t BRAILLE_BIT[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void widen_flat(double *lo, double *hi)
{
    if (*hi > *lo)
        return;
    double pad = *lo == 0 ? 0.5 : fabs(*lo) * 0.05;
    *lo -= pad;
    *hi += pad;
}

/* ---- histogram ---- */

void hist_spec_init(HistSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->lo = 0;
    spec->hi = 1;
    spec->labels = 1;
    spec->label_fmt = "%.2g";
    spec->mark = NAN;
    spec->role = ROLE_PLOT1;
    spec->label_role = ROLE_LABEL;
}

static double count_at(const HistSpec *s, size_t i)
{
    double v = s->counts[i];
    return isfinite(v) && v > 0 ? v : 0;
}

/* Columns used and the value shown in column c (bins averaged or stretched). */
static int hist_used(const HistSpec *s, int w)
{
    if ((size_t)w <= s->n_bins)
        return w;
    return (int)((size_t)(w / (int)s->n_bins) * s->n_bins);
}

static double hist_column(const HistSpec *s, int w, int c)
{
    size_t n = s->n_bins;
    if ((size_t)w <= n) {
        size_t a = (size_t)c * n / (size_t)w, b = (size_t)(c + 1) * n / (size_t)w;
        double sum = 0;
        for (size_t i = a; i < b; i++)
            sum += count_at(s, i);
        /* The mean, not the sum: when w does not divide n some columns
         * cover one bin more than others, and sums would comb the shape. */
        return b > a ? sum / (double)(b - a) : 0;
    }
    int per = w / (int)n;
    return count_at(s, (size_t)(c / per));
}

int hist_count_margin(size_t n)
{
    char buf[32];
    return snprintf(buf, sizeof buf, "%zu", n) + 1;
}

void hist_draw(Canvas *c, Rect r, const HistSpec *spec)
{
    r = rect_intersect(r, canvas_rect(c));
    if (rect_is_empty(r))
        return;
    canvas_fill(c, r, ' ', ROLE_DEFAULT);
    if (!spec->counts || spec->n_bins == 0)
        return;
    Rect area = r;
    Rect label = rect_make(r.x, r.y, 0, 0);
    if (spec->labels && area.h >= 2)
        label = rect_take_bottom(&area, 1);
    int mw = spec->count_margin;
    Rect margin = rect_make(r.x, r.y, 0, 0);
    if (mw > 0 && area.w > 2 * mw)
        margin = rect_take_left(&area, mw);
    if (!rect_is_empty(label))
        rect_take_left(&label, margin.w);
    int used = hist_used(spec, area.w);
    double max = 0;
    for (int col = 0; col < used; col++) {
        double v = hist_column(spec, area.w, col);
        if (v > max)
            max = v;
    }
    int unit = c->unicode ? 8 : 1;
    for (int col = 0; max > 0 && col < used; col++) {
        double v = hist_column(spec, area.w, col);
        if (v <= 0)
            continue;
        long e = lround(v / max * area.h * unit);
        int x = area.x + col, bottom = area.y + area.h - 1;
        if (e == 0) {
            /* A non-empty bin must never look empty. */
            canvas_put(c, x, bottom, c->unicode ? LOWER_EIGHTH : '.', spec->role);
            continue;
        }
        int full = (int)(e / unit), rem = (int)(e % unit);
        for (int k = 0; k < full; k++)
            canvas_put(c, x, bottom - k, c->unicode ? FULL_BLOCK : '#', spec->role);
        if (rem > 0)
            canvas_put(c, x, bottom - full, LOWER_EIGHTH + (uint32_t)(rem - 1), spec->role);
    }
    if (!rect_is_empty(margin) && max > 0) {
        char top[32];
        snprintf(top, sizeof top, "%.0f", max);
        canvas_text_align(c, rect_make(margin.x, area.y, margin.w - 1, 1), 1, top, spec->label_role);
        if (area.h >= 2)
            canvas_text_align(c, rect_make(margin.x, area.y + area.h - 1, margin.w - 1, 1), 1, "0", spec->label_role);
    }
    if (rect_is_empty(label))
        return;
    char lo[32], hi[32];
    canvas_format_number(lo, sizeof lo, spec->label_fmt, spec->lo, "%.2g");
    canvas_format_number(hi, sizeof hi, spec->label_fmt, spec->hi, "%.2g");
    Rect row = rect_make(label.x, label.y, used, 1);
    canvas_text(c, row, row.x, row.y, lo, spec->label_role);
    if (canvas_text_width(lo) + 1 + canvas_text_width(hi) <= used)
        canvas_text_align(c, row, 1, hi, spec->label_role);
    if (isfinite(spec->mark) && spec->hi > spec->lo && spec->mark >= spec->lo &&
        spec->mark <= spec->hi) {
        int col = clampi((int)floor((spec->mark - spec->lo) / (spec->hi - spec->lo) * used), 0, used - 1);
        int x = row.x + col;
        canvas_put(c, x, row.y, '^', spec->label_role);
        /* The mark's name, unless it would run into the hi label. */
        int hw = canvas_text_width(hi) + 1;
        if (spec->mark_label && x + 1 + canvas_text_width(spec->mark_label) <= row.x + used - hw)
            canvas_text(c, row, x + 1, row.y, spec->mark_label, spec->label_role);
    }
}

/* ---- heatmap ---- */

#define UPPER_HALF 0x2580u /* ▀ */
#define LOWER_HALF 0x2584u /* ▄ */

/* Black, the 24 greys of the palette, white. */
static int grey_color(int step)
{
    return step <= 0 ? 16 : step >= HEAT_GREY_STEPS - 1 ? 231 : 232 + step - 1;
}

/* Dark blue to white to dark red: a blue–white–red ramp sampled at 17
 * points and matched to the nearest palette colours. */
static const int DIVERGING_COLORS[HEAT_DIVERGING_STEPS] = {23,  24,  25,  67,  74,  116, 152, 189, 231,
                                                           224, 217, 216, 173, 167, 124, 88,  52};

void heat_spec_init(HeatSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->mode = HEAT_SEQUENTIAL;
    spec->lo = NAN;
    spec->hi = NAN;
    spec->shades = 1;
}

static size_t heat_virtual_rows(const HeatSpec *s)
{
    size_t rows = s->scale > 0 ? (s->rows + (size_t)s->scale - 1) / (size_t)s->scale : s->rows;
    return s->pair_rows ? (rows + 1) / 2 : rows;
}

void heat_size(const HeatSpec *spec, int w, int h, int *out_w, int *out_h)
{
    size_t vr = heat_virtual_rows(spec);
    size_t cols = spec->scale > 0 ? (spec->cols + (size_t)spec->scale - 1) / (size_t)spec->scale : spec->cols;
    *out_w = w <= 0 ? 0 : (cols < (size_t)w ? (int)cols : w);
    *out_h = h <= 0 ? 0 : (vr < (size_t)h ? (int)vr : h);
    if (!spec->v || *out_w == 0 || *out_h == 0)
        *out_w = *out_h = 0;
}

/* The data cells under text cell (cx, cy) of an ow x oh output: columns
 * [c0, c1), rows [r0, r1), of which the upper half is rows [r0, rm). */
typedef struct {
    size_t c0, c1, r0, rm, r1;
} HeatCell;

static HeatCell heat_cell_span(const HeatSpec *s, int ow, int oh, int cx, int cy)
{
    HeatCell h;
    size_t f = s->pair_rows ? 2 : 1;
    if (s->scale > 0) {
        size_t k = (size_t)s->scale;
        h.c0 = (size_t)cx * k;
        h.c1 = h.c0 + k < s->cols ? h.c0 + k : s->cols;
        h.r0 = (size_t)cy * f * k;
        h.r1 = h.r0 + f * k < s->rows ? h.r0 + f * k : s->rows;
        h.rm = f == 2 ? (h.r0 + k < h.r1 ? h.r0 + k : h.r1) : h.r1;
        if (h.r0 > s->rows)
            h.r0 = h.rm = h.r1 = s->rows;
        return h;
    }
    size_t vr = heat_virtual_rows(s);
    h.c0 = (size_t)cx * s->cols / (size_t)ow;
    h.c1 = (size_t)(cx + 1) * s->cols / (size_t)ow;
    size_t v0 = (size_t)cy * vr / (size_t)oh, v1 = (size_t)(cy + 1) * vr / (size_t)oh;
    h.r0 = v0 * f;
    h.r1 = v1 * f < s->rows ? v1 * f : s->rows;
    h.rm = f == 2 ? h.r0 + (h.r1 - h.r0 + 1) / 2 : h.r1;
    return h;
}

/* Mean of the finite data cells in rows [r0, r1), columns [c0, c1); NaN when none. */
static double heat_mean(const HeatSpec *s, size_t r0, size_t r1, size_t c0, size_t c1)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = r0; i < r1; i++)
        for (size_t j = c0; j < c1; j++) {
            double v = s->v[i * s->cols + j];
            if (isfinite(v)) {
                sum += v;
                n++;
            }
        }
    return n ? sum / (double)n : NAN;
}

void heat_range(const HeatSpec *spec, double *lo_out, double *hi_out)
{
    double lo = INFINITY, hi = -INFINITY, amax = 0;
    size_t total = spec->v ? spec->rows * spec->cols : 0;
    for (size_t i = 0; i < total; i++) {
        double v = spec->v[i];
        if (!isfinite(v))
            continue;
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
        if (fabs(v) > amax)
            amax = fabs(v);
    }
    if (spec->mode == HEAT_DIVERGING) {
        if (!isnan(spec->hi))
            amax = fabs(spec->hi);
        *lo_out = -amax;
        *hi_out = amax;
        return;
    }
    if (!isnan(spec->lo))
        lo = spec->lo;
    if (!isnan(spec->hi))
        hi = spec->hi;
    if (!(lo <= hi))
        lo = hi = 0;
    *lo_out = lo;
    *hi_out = hi;
}

int heat_uses_shades(const Canvas *c, const HeatSpec *spec)
{
    return spec->shades && c->unicode && c->colors >= 256;
}

int heat_shade(const HeatSpec *spec, double v, double lo, double hi)
{
    double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    if (spec->mode == HEAT_DIVERGING && !spec->grey)
        return DIVERGING_COLORS[clampi((int)lround(t * (HEAT_DIVERGING_STEPS - 1)), 0, HEAT_DIVERGING_STEPS - 1)];
    return grey_color((int)lround(t * (HEAT_GREY_STEPS - 1)));
}

/* One cell in glyphs and roles (8/16 colours, no colour, ASCII). */
static void heat_glyph(Canvas *c, int x, int y, const HeatSpec *spec, double v, double lo, double hi)
{
    if (spec->mode == HEAT_DIVERGING) {
        double amax = hi;
        double u = amax > 0 ? fabs(v) / amax : 0;
        int level = (int)floor((u * (2 * HEAT_SIGN_LEVELS + 1) - 1) / 2);
        if (level < 0)
            return;
        level = clampi(level, 0, HEAT_SIGN_LEVELS - 1);
        if (v < 0)
            canvas_put(c, x, y, (uint32_t)HEAT_NEG_GLYPHS[level], ROLE_NEG1 + level);
        else
            canvas_put(c, x, y, (uint32_t)HEAT_POS_GLYPHS[level], ROLE_POS1 + level);
        return;
    }
    double t = hi > lo ? (v - lo) / (hi - lo) : 0;
    int level = clampi((int)floor(t * HEAT_RAMP_LEN), 0, HEAT_RAMP_LEN - 1);
    Role role = ROLE_HEAT0 + level * ROLE_HEAT_LEVELS / HEAT_RAMP_LEN;
    canvas_put(c, x, y, (uint32_t)HEAT_RAMP[level], role);
}

void heat_draw(Canvas *c, Rect r, const HeatSpec *spec)
{
    int ow, oh;
    r = rect_intersect(r, canvas_rect(c));
    heat_size(spec, r.w, r.h, &ow, &oh);
    if (ow == 0 || oh == 0)
        return;
    /* A scaled map keeps its own size and is cut at the rect's edge. */
    int full_w = ow, full_h = oh;
    if (spec->scale > 0)
        heat_size(spec, CANVAS_MAX_SIDE, CANVAS_MAX_SIDE, &full_w, &full_h);
    Rect out = rect_make(r.x, r.y, ow, oh);
    canvas_fill(c, out, ' ', ROLE_DEFAULT);
    /* Automatic scale from the data itself, so the picture does not depend
     * on the rect's shrinking. */
    double lo, hi;
    heat_range(spec, &lo, &hi);
    int shades = heat_uses_shades(c, spec);
    for (int cy = 0; cy < oh; cy++)
        for (int cx = 0; cx < ow; cx++) {
            HeatCell hc = heat_cell_span(spec, full_w, full_h, cx, cy);
            int x = out.x + cx, y = out.y + cy;
            if (!shades) {
                double v = heat_mean(spec, hc.r0, hc.r1, hc.c0, hc.c1);
                if (!isnan(v))
                    heat_glyph(c, x, y, spec, v, lo, hi);
                continue;
            }
            double up = heat_mean(spec, hc.r0, hc.rm, hc.c0, hc.c1);
            double down = heat_mean(spec, hc.rm, hc.r1, hc.c0, hc.c1);
            if (!spec->pair_rows)
                down = up;
            if (!isnan(up))
                canvas_put_color(c, x, y, UPPER_HALF, ROLE_DEFAULT, heat_shade(spec, up, lo, hi),
                                 isnan(down) ? TC_DEFAULT : heat_shade(spec, down, lo, hi));
            else if (!isnan(down))
                canvas_put_color(c, x, y, LOWER_HALF, ROLE_DEFAULT, heat_shade(spec, down, lo, hi), TC_DEFAULT);
        }
}

int heat_legend_draw(Canvas *c, Rect clip, int x, int y, const HeatSpec *spec, double lo, double hi, int len,
                     const char *fmt)
{
    char a[32], b[32];
    canvas_format_number(a, sizeof a, fmt, lo, "%.2g");
    canvas_format_number(b, sizeof b, fmt, hi, "%.2g");
    x = canvas_text(c, clip, x, y, a, ROLE_LABEL) + 1;
    if (heat_uses_shades(c, spec)) {
        for (int i = 0; i < len; i++) {
            double v = lo + (hi - lo) * (len > 1 ? (double)i / (len - 1) : 0.5);
            int col = heat_shade(spec, v, lo, hi);
            if (x + i >= clip.x && x + i < clip.x + clip.w && y >= clip.y && y < clip.y + clip.h)
                canvas_put_color(c, x + i, y, 0x2588u, ROLE_DEFAULT, col, col);
        }
        x += len;
    } else if (spec->mode == HEAT_DIVERGING) {
        for (int k = HEAT_SIGN_LEVELS - 1; k >= 0; k--)
            if (x >= clip.x && x < clip.x + clip.w)
                canvas_put(c, x++, y, (uint32_t)HEAT_NEG_GLYPHS[k], ROLE_NEG1 + k);
        x++;
        for (int k = 0; k < HEAT_SIGN_LEVELS; k++)
            if (x >= clip.x && x < clip.x + clip.w)
                canvas_put(c, x++, y, (uint32_t)HEAT_POS_GLYPHS[k], ROLE_POS1 + k);
    } else {
        for (int k = 1; k < HEAT_RAMP_LEN; k++)
            if (x >= clip.x && x < clip.x + clip.w)
                canvas_put(c, x++, y, (uint32_t)HEAT_RAMP[k], ROLE_HEAT0 + k * ROLE_HEAT_LEVELS / HEAT_RAMP_LEN);
    }
    return canvas_text(c, clip, x + 1, y, b, ROLE_LABEL);
}

/* ---- scatter ---- */

void scatter_spec_init(ScatterSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->x_min = spec->x_max = spec->y_min = spec->y_max = NAN;
    spec->marker = SCATTER_AUTO;
    spec->legend = 1;
}

/* "class ●0 ●1 ●2 …" for the classes present, each in its colour, or
 * "class 012…" when that is too wide. */
static void scatter_legend(Canvas *c, Rect row, const ScatterSpec *spec)
{
    int present[ROLE_CLASS_COUNT] = {0}, n = 0;
    for (size_t i = 0; i < spec->n; i++)
        present[(spec->cls[i] > 0 ? spec->cls[i] : 0) % ROLE_CLASS_COUNT] = 1;
    for (int k = 0; k < ROLE_CLASS_COUNT; k++)
        n += present[k];
    int dots = c->unicode && 5 + 3 * n <= row.w;
    int x = canvas_text(c, row, row.x, row.y, "class", ROLE_LABEL) + (dots ? 0 : 1);
    for (int k = 0; k < ROLE_CLASS_COUNT; k++)
        if (present[k])
            x = canvas_printf(c, row, x + dots, row.y, ROLE_CLASS0 + k, dots ? "\xe2\x97\x8f%d" : "%d", k);
}

void scatter_draw(Canvas *c, Rect r, const ScatterSpec *spec)
{
    r = rect_intersect(r, canvas_rect(c));
    if (rect_is_empty(r))
        return;
    canvas_fill(c, r, ' ', ROLE_DEFAULT);
    if (!spec->x || !spec->y || spec->n == 0)
        return;
    if (spec->cls && spec->legend && r.h >= 4)
        scatter_legend(c, rect_take_bottom(&r, 1), spec);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < spec->n; i++) {
        double x = spec->x[i], y = spec->y[i];
        if (!isfinite(x) || !isfinite(y))
            continue;
        x0 = x < x0 ? x : x0;
        x1 = x > x1 ? x : x1;
        y0 = y < y0 ? y : y0;
        y1 = y > y1 ? y : y1;
    }
    if (x0 > x1)
        return;
    if (!isnan(spec->x_min))
        x0 = spec->x_min;
    if (!isnan(spec->x_max))
        x1 = spec->x_max;
    if (!isnan(spec->y_min))
        y0 = spec->y_min;
    if (!isnan(spec->y_max))
        y1 = spec->y_max;
    widen_flat(&x0, &x1);
    widen_flat(&y0, &y1);
    int braille = c->unicode && spec->marker == SCATTER_AUTO && (!spec->cls || c->colors >= 256);
    int sx = braille ? 2 : 1, sy = braille ? 4 : 1;
    int pw = r.w * sx, ph = r.h * sy;
    for (size_t i = 0; i < spec->n; i++) {
        double x = spec->x[i], y = spec->y[i];
        if (!isfinite(x) || !isfinite(y))
            continue;
        double fx = (x - x0) / (x1 - x0) * (pw - 1), fy = (y1 - y) / (y1 - y0) * (ph - 1);
        if (fx < -0.5 || fy < -0.5 || fx > pw - 0.5 || fy > ph - 0.5)
            continue;
        int px = (int)lround(fx), py = (int)lround(fy);
        int cls = spec->cls && spec->cls[i] > 0 ? spec->cls[i] : 0;
        Role role = ROLE_CLASS0 + cls % ROLE_CLASS_COUNT;
        int cx = r.x + px / sx, cy = r.y + py / sy;
        if (!braille) {
            canvas_put(c, cx, cy, (uint32_t)('0' + cls % 10), role);
            continue;
        }
        const Cell *cell = canvas_cell(c, cx, cy);
        uint32_t bits = 0;
        if (cell && cell->ch >= BRAILLE_BASE && cell->ch <= BRAILLE_BASE + 0xFF)
            bits = cell->ch - BRAILLE_BASE;
        bits |= BRAILLE_BIT[py % 4][px % 2];
        canvas_put(c, cx, cy, BRAILLE_BASE + bits, role);
    }
}

/* ---- progress bar ---- */

void progress_format_eta(double seconds, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (!isfinite(seconds) || seconds < 0) {
        snprintf(buf, cap, "?");
        return;
    }
    double s = floor(seconds + 0.5);
    if (s < 60)
        snprintf(buf, cap, "%.0fs", s);
    else if (s < 3600)
        snprintf(buf, cap, "%.0fm%02.0fs", floor(s / 60), fmod(s, 60));
    else if (s < 86400)
        snprintf(buf, cap, "%.0fh%02.0fm", floor(s / 3600), floor(fmod(s, 3600) / 60));
    else if (s < 1e9)
        snprintf(buf, cap, "%.0fd%02.0fh", floor(s / 86400), floor(fmod(s, 86400) / 3600));
    else
        snprintf(buf, cap, ">30y");
}

void progress_draw(Canvas *c, Rect r, const char *label, double frac, double eta_s,
                   Role bar_role, Role text_role)
{
    r = rect_intersect(r, canvas_rect(c));
    if (rect_is_empty(r))
        return;
    r.h = 1;
    canvas_fill(c, r, ' ', ROLE_DEFAULT);
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    char pct[16], eta[48] = "";
    snprintf(pct, sizeof pct, " %3d%%", (int)floor(frac * 100 + 1e-9));
    if (isfinite(eta_s) && eta_s >= 0) {
        char t[32];
        progress_format_eta(eta_s, t, sizeof t);
        snprintf(eta, sizeof eta, " ETA %s", t);
    }
    int brackets = c->unicode ? 0 : 2;
    int min_bar = 3 + brackets;
    if (r.w < min_bar) {
        canvas_text_align(c, r, -1, pct + 1, text_role);
        return;
    }
    int lw = label && *label ? canvas_text_width(label) + 1 : 0;
    int pw = canvas_text_width(pct), ew = canvas_text_width(eta);
    /* Give up the extras in order of least use until the bar fits. */
    if (r.w - lw - pw - ew < min_bar)
        ew = 0;
    if (r.w - lw - pw - ew < min_bar)
        lw = 0;
    if (r.w - lw - pw - ew < min_bar)
        pw = 0;
    int x = r.x;
    if (lw) {
        x = canvas_text(c, r, x, r.y, label, text_role);
        x++;
    }
    int inner = r.x + r.w - pw - ew - x - brackets;
    if (brackets)
        canvas_put(c, x++, r.y, '[', text_role);
    if (c->unicode) {
        long e = lround(frac * inner * 8);
        int full = (int)(e / 8), rem = (int)(e % 8);
        for (int i = 0; i < inner; i++) {
            if (i < full)
                canvas_put(c, x + i, r.y, FULL_BLOCK, bar_role);
            else if (i == full && rem > 0)
                canvas_put(c, x + i, r.y, 0x2590u - (uint32_t)rem, bar_role); /* ▏..▉ */
            else
                canvas_put(c, x + i, r.y, MIDDLE_DOT, text_role);
        }
    } else {
        long full = lround(frac * inner);
        for (int i = 0; i < inner; i++)
            canvas_put(c, x + i, r.y, i < full ? '#' : '-', i < full ? bar_role : text_role);
    }
    x += inner;
    if (brackets)
        canvas_put(c, x++, r.y, ']', text_role);
    if (pw)
        x = canvas_text(c, r, x, r.y, pct, text_role);
    if (ew)
        canvas_text(c, r, x, r.y, eta, text_role);
}

/* ---- sparkline ---- */

void sparkline_draw(Canvas *c, int x, int y, int w, const double *v, size_t n, double lo,
                    double hi, Role role)
{
    if (w <= 0)
        return;
    canvas_fill(c, rect_make(x, y, w, 1), ' ', ROLE_DEFAULT);
    if (!v || n == 0)
        return;
    size_t shown = n < (size_t)w ? n : (size_t)w;
    size_t first = n - shown;
    double a = INFINITY, b = -INFINITY;
    for (size_t i = first; i < n; i++)
        if (isfinite(v[i])) {
            a = v[i] < a ? v[i] : a;
            b = v[i] > b ? v[i] : b;
        }
    if (!isnan(lo))
        a = lo;
    if (!isnan(hi))
        b = hi;
    static const char ascii[] = "_.-'";
    int levels = c->unicode ? 8 : 4;
    int x0 = x + w - (int)shown;
    for (size_t i = first; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        double t = b > a ? (v[i] - a) / (b - a) : 0;
        int level = clampi((int)floor(t * levels), 0, levels - 1);
        uint32_t g = c->unicode ? LOWER_EIGHTH + (uint32_t)level : (uint32_t)ascii[level];
        canvas_put(c, x0 + (int)(i - first), y, g, role);
    }
}
