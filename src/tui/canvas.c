#include "neurotop/tui/canvas.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "neurotop/core/utf8.h"

/* ---- rectangles ---- */

static int imin(int a, int b)
{
    return a < b ? a : b;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

int rect_is_empty(Rect r)
{
    return r.w <= 0 || r.h <= 0;
}

Rect rect_intersect(Rect a, Rect b)
{
    int x0 = imax(a.x, b.x), y0 = imax(a.y, b.y);
    int x1 = imin(a.x + a.w, b.x + b.w), y1 = imin(a.y + a.h, b.y + b.h);
    if (x1 <= x0 || y1 <= y0)
        return rect_make(x0, y0, 0, 0);
    return rect_make(x0, y0, x1 - x0, y1 - y0);
}

Rect rect_inset(Rect r, int d)
{
    Rect o = rect_make(r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d);
    if (o.w < 0)
        o.w = 0;
    if (o.h < 0)
        o.h = 0;
    return o;
}

static int clamp_take(int n, int have)
{
    if (n < 0)
        return 0;
    return n > have ? imax(have, 0) : n;
}

Rect rect_take_top(Rect *r, int n)
{
    n = clamp_take(n, r->h);
    Rect o = rect_make(r->x, r->y, r->w, n);
    r->y += n;
    r->h -= n;
    return o;
}

Rect rect_take_bottom(Rect *r, int n)
{
    n = clamp_take(n, r->h);
    Rect o = rect_make(r->x, r->y + r->h - n, r->w, n);
    r->h -= n;
    return o;
}

Rect rect_take_left(Rect *r, int n)
{
    n = clamp_take(n, r->w);
    Rect o = rect_make(r->x, r->y, n, r->h);
    r->x += n;
    r->w -= n;
    return o;
}

Rect rect_take_right(Rect *r, int n)
{
    n = clamp_take(n, r->w);
    Rect o = rect_make(r->x + r->w - n, r->y, n, r->h);
    r->w -= n;
    return o;
}

/* Start and length of part i of `len` cut into n parts, remainder first. */
static void split_span(int len, int i, int n, int *start, int *size)
{
    if (n <= 0 || len <= 0) {
        *start = 0;
        *size = 0;
        return;
    }
    int base = len / n, rem = len % n;
    *start = i * base + imin(i, rem);
    *size = base + (i < rem ? 1 : 0);
}

Rect rect_split_cols(Rect r, int i, int n)
{
    int s, w;
    split_span(r.w, i, n, &s, &w);
    return rect_make(r.x + s, r.y, w, r.h);
}

Rect rect_split_rows(Rect r, int i, int n)
{
    int s, h;
    split_span(r.h, i, n, &s, &h);
    return rect_make(r.x, r.y + s, r.w, h);
}

/* ---- locale ---- */

int canvas_locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* ---- life cycle ---- */

static int size_ok(int w, int h)
{
    return w >= 0 && h >= 0 && w <= CANVAS_MAX_SIDE && h <= CANVAS_MAX_SIDE;
}

static void blank(Cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cells[i].ch = ' ';
        cells[i].role = ROLE_DEFAULT;
        cells[i].fg = CANVAS_ROLE_COLOR;
        cells[i].bg = CANVAS_ROLE_COLOR;
    }
}

static Cell *cells_alloc(int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    Cell *cells = malloc(n ? n * sizeof *cells : 1);
    if (cells)
        blank(cells, n);
    return cells;
}

Status canvas_new(int w, int h, int unicode, Canvas **out, char *msg)
{
    *out = NULL;
    if (!size_ok(w, h))
        return status_fail(msg, ST_EINVAL, "canvas size %dx%d is out of range (0..%d)", w, h,
                           CANVAS_MAX_SIDE);
    Canvas *c = malloc(sizeof *c);
    if (!c)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %dx%d canvas", w, h);
    c->cells = cells_alloc(w, h);
    if (!c->cells) {
        free(c);
        return status_fail(msg, ST_ENOMEM, "out of memory for a %dx%d canvas", w, h);
    }
    c->w = w;
    c->h = h;
    c->unicode = unicode ? 1 : 0;
    c->colors = 0;
    *out = c;
    return ST_OK;
}

void canvas_free(Canvas *c)
{
    if (!c)
        return;
    free(c->cells);
    free(c);
}

Status canvas_resize(Canvas *c, int w, int h, char *msg)
{
    if (!size_ok(w, h))
        return status_fail(msg, ST_EINVAL, "canvas size %dx%d is out of range (0..%d)", w, h,
                           CANVAS_MAX_SIDE);
    Cell *cells = cells_alloc(w, h);
    if (!cells)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %dx%d canvas", w, h);
    free(c->cells);
    c->cells = cells;
    c->w = w;
    c->h = h;
    return ST_OK;
}

void canvas_clear(Canvas *c)
{
    blank(c->cells, (size_t)c->w * (size_t)c->h);
}

Rect canvas_rect(const Canvas *c)
{
    return rect_make(0, 0, c->w, c->h);
}

const Cell *canvas_cell(const Canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* ---- glyphs ---- */

static uint32_t box_fallback(uint32_t ch)
{
    switch (ch) {
    case 0x2500: case 0x2501: case 0x2504: case 0x2505: case 0x2508:
    case 0x2509: case 0x254C: case 0x254D: case 0x2550: case 0x2574:
    case 0x2576: case 0x2578: case 0x257A:
        return '-';
    case 0x2502: case 0x2503: case 0x2506: case 0x2507: case 0x250A:
    case 0x250B: case 0x254E: case 0x254F: case 0x2551: case 0x2575:
    case 0x2577: case 0x2579: case 0x257B:
        return '|';
    default:
        return '+';
    }
}

typedef struct {
    uint32_t from;
    char to;
} Fallback;

static const Fallback FALLBACKS[] = {
    {0x00A0, ' '}, {0x00B0, 'o'}, {0x00B1, '+'}, {0x00B2, '2'}, {0x00B7, '.'},
    {0x00D7, 'x'}, {0x0393, 'G'}, {0x0394, 'D'}, {0x03A3, 'S'}, {0x03A9, 'W'},
    {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B3, 'g'}, {0x03B4, 'd'}, {0x03B5, 'e'},
    {0x03B8, 't'}, {0x03BB, 'l'}, {0x03BC, 'u'}, {0x03C0, 'p'}, {0x03C1, 'r'},
    {0x03C3, 's'}, {0x03C4, 't'}, {0x03C6, 'f'}, {0x03C7, 'x'}, {0x03C8, 'y'},
    {0x03C9, 'w'}, {0x2013, '-'}, {0x2014, '-'}, {0x2018, '\''}, {0x2019, '\''},
    {0x201C, '"'}, {0x201D, '"'}, {0x2022, '*'}, {0x2026, '.'}, {0x2190, '<'},
    {0x2191, '^'}, {0x2192, '>'}, {0x2193, 'v'}, {0x2212, '-'}, {0x2248, '~'},
    {0x2264, '<'}, {0x2265, '>'}, {0x25B2, '^'}, {0x25B6, '>'}, {0x25BC, 'v'},
    {0x25C0, '<'}, {0x25CF, 'o'}, {0x2713, 'v'},
};

uint32_t canvas_ascii_fallback(uint32_t ch)
{
    if (ch < 0x80)
        return ch;
    if (ch >= 0x2500 && ch <= 0x257F)
        return box_fallback(ch);
    if (ch == 0x2591)
        return ':';
    if (ch == 0x2592)
        return '%';
    if (ch >= 0x2580 && ch <= 0x259F)
        return '#';
    if (ch == 0x2800)
        return ' ';
    if (ch > 0x2800 && ch <= 0x28FF)
        return '*';
    size_t lo = 0, hi = sizeof FALLBACKS / sizeof FALLBACKS[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (FALLBACKS[mid].from == ch)
            return (uint32_t)(unsigned char)FALLBACKS[mid].to;
        if (FALLBACKS[mid].from < ch)
            lo = mid + 1;
        else
            hi = mid;
    }
    return '?';
}

/* ---- drawing ---- */

void canvas_put(Canvas *c, int x, int y, uint32_t ch, Role role)
{
    canvas_put_color(c, x, y, ch, role, CANVAS_ROLE_COLOR, CANVAS_ROLE_COLOR);
}

static int16_t cell_color(int v)
{
    if (v == CANVAS_ROLE_COLOR)
        return CANVAS_ROLE_COLOR;
    return (int16_t)(v >= 0 && v <= 255 ? v : TC_DEFAULT);
}

void canvas_put_color(Canvas *c, int x, int y, uint32_t ch, Role role, int fg, int bg)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    /* A control character would move the terminal's cursor and shift
     * everything after it. */
    if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0))
        ch = '?';
    else if (!c->unicode && ch >= 0x80)
        ch = canvas_ascii_fallback(ch);
    Cell *cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
    cell->ch = ch;
    cell->role = (uint8_t)role;
    cell->fg = cell_color(fg);
    cell->bg = cell_color(bg);
}

void canvas_set_colors(Canvas *c, int colors)
{
    c->colors = colors >= 256 ? 256 : colors >= 16 ? 16 : colors >= 8 ? 8 : 0;
}

int canvas_text(Canvas *c, Rect clip, int x, int y, const char *utf8, Role role)
{
    clip = rect_intersect(clip, canvas_rect(c));
    int inside_row = y >= clip.y && y < clip.y + clip.h;
    size_t n = strlen(utf8);
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        i += utf8_decode(utf8 + i, n - i, &cp);
        if (cp == UTF8_REPLACEMENT)
            cp = '?';
        if (inside_row && x >= clip.x && x < clip.x + clip.w)
            canvas_put(c, x, y, cp, role);
        x++;
    }
    return x;
}

int canvas_printf(Canvas *c, Rect clip, int x, int y, Role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return x;
    return canvas_text(c, clip, x, y, buf, role);
}

/* Bounded append for canvas_format_number. */
typedef struct {
    char *buf;
    size_t cap, len;
} Out;

static void out_put(Out *o, const char *s)
{
    for (; *s; s++)
        if (o->len + 1 < o->cap)
            o->buf[o->len++] = *s;
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* One conversion, rendered with a literal printf format chosen by switch:
 * the caller's text is only ever read here, never given to printf. */
static int format_once(Out *o, const char *fmt, double v)
{
    int seen = 0;
    const char *p = fmt;
    while (*p) {
        if (*p != '%') {
            char one[2] = {*p++, '\0'};
            out_put(o, one);
            continue;
        }
        p++;
        if (*p == '%') {
            out_put(o, "%");
            p++;
            continue;
        }
        if (seen)
            return 0;
        seen = 1;
        int plus = 0, left = 0;
        while (*p && strchr("+- 0#", *p)) {
            plus |= *p == '+';
            left |= *p == '-';
            p++;
        }
        int width = 0, prec = 6;
        while (is_digit(*p)) {
            width = width * 10 + (*p++ - '0');
            if (width > 64)
                return 0;
        }
        if (*p == '.') {
            p++;
            prec = 0;
            while (is_digit(*p)) {
                prec = prec * 10 + (*p++ - '0');
                if (prec > 17)
                    return 0;
            }
        }
        char conv = *p;
        if (conv != 'f' && conv != 'e' && conv != 'g')
            return 0;
        p++;
        int w = left ? -width : width;
        char num[128];
        if (conv == 'f')
            snprintf(num, sizeof num, plus ? "%+*.*f" : "%*.*f", w, prec, v);
        else if (conv == 'e')
            snprintf(num, sizeof num, plus ? "%+*.*e" : "%*.*e", w, prec, v);
        else
            snprintf(num, sizeof num, plus ? "%+*.*g" : "%*.*g", w, prec, v);
        out_put(o, num);
    }
    return seen;
}

void canvas_format_number(char *buf, size_t cap, const char *fmt, double v, const char *fallback)
{
    if (cap == 0)
        return;
    if (v == 0)
        v = 0; /* "-0" looks like a bug to a reader */
    Out o = {buf, cap, 0};
    if (!fmt || !format_once(&o, fmt, v)) {
        o.len = 0;
        if (!fallback || !format_once(&o, fallback, v)) {
            snprintf(buf, cap, "%g", v);
            return;
        }
    }
    buf[o.len] = '\0';
}

int canvas_text_width(const char *utf8)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
        if (!utf8_is_cont(*p))
            w++;
    return w;
}

size_t canvas_wrap_len(const char *utf8, int width)
{
    if (width < 1)
        width = 1;
    int cells = 0;
    size_t best = 0;
    const char *p = utf8;
    while (*p) {
        if (*p == ' ' && p > utf8 && p[-1] != ' ')
            best = (size_t)(p - utf8);
        if (!utf8_is_cont((unsigned char)*p)) {
            if (cells == width)
                break;
            cells++;
        }
        p++;
    }
    if (!*p || *p == ' ')
        return (size_t)(p - utf8);
    return best > 0 ? best : (size_t)(p - utf8);
}

int canvas_text_wrapped(Canvas *c, Rect clip, int x, int y, int width, int max_rows, const char *utf8,
                        Role role)
{
    int rows = 0;
    while (*utf8) {
        size_t n = canvas_wrap_len(utf8, width);
        if (rows < max_rows) {
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), utf8);
            canvas_text(c, clip, x, y + rows, line, role);
        }
        rows++;
        utf8 += n;
        while (*utf8 == ' ')
            utf8++;
    }
    return rows;
}

void canvas_text_align(Canvas *c, Rect r, int align, const char *utf8, Role role)
{
    if (rect_is_empty(r))
        return;
    int w = canvas_text_width(utf8);
    int x = r.x;
    if (w < r.w) {
        if (align > 0)
            x = r.x + r.w - w;
        else if (align == 0)
            x = r.x + (r.w - w) / 2;
    }
    canvas_text(c, rect_make(r.x, r.y, r.w, 1), x, r.y, utf8, role);
}

void canvas_fill(Canvas *c, Rect r, uint32_t ch, Role role)
{
    r = rect_intersect(r, canvas_rect(c));
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            canvas_put(c, x, y, ch, role);
}

void canvas_set_role(Canvas *c, Rect r, Role role)
{
    r = rect_intersect(r, canvas_rect(c));
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            c->cells[(size_t)y * (size_t)c->w + (size_t)x].role = (uint8_t)role;
}

void canvas_hline(Canvas *c, int x, int y, int len, Role role)
{
    for (int i = 0; i < len; i++)
        canvas_put(c, x + i, y, 0x2500, role);
}

void canvas_vline(Canvas *c, int x, int y, int len, Role role)
{
    for (int i = 0; i < len; i++)
        canvas_put(c, x, y + i, 0x2502, role);
}

void canvas_shorten_title(const char *title, int width, char *out, size_t cap)
{
    canvas_shorten_parts(title, " · ", width, out, cap);
}

void canvas_shorten_parts(const char *text, const char *sep, int width, char *out, size_t cap)
{
    if (cap == 0)
        return;
    snprintf(out, cap, "%s", text);
    if (width < 1) {
        out[0] = '\0';
        return;
    }
    /* Drop whole parts from the end while too wide. */
    while (canvas_text_width(out) > width) {
        char *cut = NULL;
        for (char *p = strstr(out, sep); p; p = strstr(p + 1, sep))
            cut = p;
        if (!cut)
            break;
        *cut = '\0';
    }
    if (canvas_text_width(out) <= width)
        return;
    /* One part still too wide: keep width - 1 code points and an ellipsis. */
    size_t i = 0;
    int w = 0;
    while (out[i] && w < width - 1) {
        i++;
        while (out[i] && utf8_is_cont((unsigned char)out[i]))
            i++;
        w++;
    }
    if (i + 4 <= cap)
        memcpy(out + i, "\xe2\x80\xa6", 4); /* …, and the NUL */
    else
        out[i] = '\0';
}

Rect canvas_box(Canvas *c, Rect r, const char *title, Role border, Role title_role)
{
    if (r.w < 2 || r.h < 2)
        return rect_make(r.x, r.y, 0, 0);
    int x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;
    canvas_hline(c, r.x + 1, r.y, r.w - 2, border);
    canvas_hline(c, r.x + 1, y1, r.w - 2, border);
    canvas_vline(c, r.x, r.y + 1, r.h - 2, border);
    canvas_vline(c, x1, r.y + 1, r.h - 2, border);
    canvas_put(c, r.x, r.y, 0x250C, border);
    canvas_put(c, x1, r.y, 0x2510, border);
    canvas_put(c, r.x, y1, 0x2514, border);
    canvas_put(c, x1, y1, 0x2518, border);
    /* " Title " needs the two corners, two spaces and one glyph. */
    if (title && *title && r.w >= 5) {
        char shown[512];
        canvas_shorten_title(title, r.w - 4, shown, sizeof shown);
        Rect room = rect_make(r.x + 1, r.y, r.w - 2, 1);
        int x = canvas_text(c, room, r.x + 1, r.y, " ", border);
        x = canvas_text(c, rect_make(x, r.y, room.x + room.w - x - 1, 1), x, r.y, shown, title_role);
        if (x < room.x + room.w)
            canvas_put(c, x, r.y, ' ', border);
    }
    return rect_inset(r, 1);
}

/* ---- dump ---- */

void canvas_dump(const Canvas *c, StrBuf *out)
{
    for (int y = 0; y < c->h; y++) {
        const Cell *row = &c->cells[(size_t)y * (size_t)c->w];
        int end = c->w;
        while (end > 0 && row[end - 1].ch == ' ')
            end--;
        for (int x = 0; x < end; x++) {
            char enc[4];
            size_t n = utf8_encode(row[x].ch, enc);
            strbuf_append_n(out, enc, n);
        }
        strbuf_append(out, "\n");
    }
}

size_t canvas_count_colors(const Canvas *c, Rect r)
{
    r = rect_intersect(r, canvas_rect(c));
    /* Colours fit in 9 bits each (TC_DEFAULT -> 256): a bitmap of pairs. */
    static const size_t SIDE = 257;
    unsigned char *seen = calloc(SIDE * SIDE, 1);
    if (!seen)
        return 0;
    size_t n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            const Cell *cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
            if (cell->fg == CANVAS_ROLE_COLOR && cell->bg == CANVAS_ROLE_COLOR)
                continue;
            size_t f = cell->fg < 0 ? 256 : (size_t)cell->fg, b = cell->bg < 0 ? 256 : (size_t)cell->bg;
            if (!seen[f * SIDE + b]) {
                seen[f * SIDE + b] = 1;
                n++;
            }
        }
    free(seen);
    return n;
}
