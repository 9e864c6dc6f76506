#ifndef NEUROTOP_TUI_CANVAS_H
#define NEUROTOP_TUI_CANVAS_H

/* A grid of character cells that panes and widgets draw into and the
 * screen blits to the terminal. Each cell holds one single-width Unicode
 * code point, a Role and, optionally, its own foreground and background
 * colour (a shade of a heat map) that overrides the role's colours. The canvas knows whether it may hold non-ASCII
 * glyphs: on an ASCII canvas every non-ASCII code point written through
 * the canvas_* calls is replaced by an ASCII stand-in (box drawing -> + - |,
 * blocks -> #, braille -> *, Greek letters -> Latin, others -> ?), so a
 * widget may draw Unicode and still give a readable ASCII picture.
 * Nothing here touches ncurses: canvases can be dumped to text for tests. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/tui/theme.h"

/* A rectangle of cells; w or h <= 0 means empty. */
typedef struct {
    int x, y, w, h;
} Rect;

/* A cell colour that is not set: the role decides. */
#define CANVAS_ROLE_COLOR (-2)

typedef struct {
    uint32_t ch;  /* code point; ' ' for blank */
    uint8_t role; /* a Role: attributes, and colours unless fg/bg are set */
    int16_t fg;   /* CANVAS_ROLE_COLOR, TC_DEFAULT or a palette colour 0..255 */
    int16_t bg;   /* the same for the background */
} Cell;

typedef struct {
    int w, h;
    int unicode;  /* 1: UTF-8 glyphs allowed; 0: ASCII only */
    /* Colours the terminal shows: 0 (none: attributes only), 8, 16 or 256.
     * Widgets draw per-cell shades only when this is 256 (true-colour
     * terminals count as 256: the screen maps palette colours to RGB). */
    int colors;
    Cell *cells;  /* h rows of w cells, row-major; owned */
} Canvas;

/* Largest accepted side, so w*h never overflows and a bad size request
 * cannot allocate gigabytes. */
#define CANVAS_MAX_SIDE 4096

/* ---- rectangles (pure) ---- */

static inline Rect rect_make(int x, int y, int w, int h)
{
    Rect r = {x, y, w, h};
    return r;
}

/* 1 when r has no cells. */
int rect_is_empty(Rect r);
/* Intersection (empty rect when disjoint). */
Rect rect_intersect(Rect a, Rect b);
/* r shrunk by d cells on every side (never negative). */
Rect rect_inset(Rect r, int d);
/* Cut n rows off the top / bottom, or n columns off the left / right, of
 * *r: returns the cut part and shrinks *r (n is clamped to what exists). */
Rect rect_take_top(Rect *r, int n);
Rect rect_take_bottom(Rect *r, int n);
Rect rect_take_left(Rect *r, int n);
Rect rect_take_right(Rect *r, int n);
/* Part i of n equal columns / rows of r (remainders go to the first parts).
 * Requires 0 <= i < n. */
Rect rect_split_cols(Rect r, int i, int n);
Rect rect_split_rows(Rect r, int i, int n);

/* ---- locale ---- */

/* 1 when the current LC_CTYPE locale encodes UTF-8 (the app calls
 * setlocale(LC_ALL, "") first). Decides Canvas.unicode. */
int canvas_locale_is_utf8(void);

/* ---- canvas life cycle ---- */

/* New canvas of w x h blank cells (' ', ROLE_DEFAULT), colors 0. w, h in
 * 0..CANVAS_MAX_SIDE. Returns ST_EINVAL for a bad size, ST_ENOMEM. */
Status canvas_new(int w, int h, int unicode, Canvas **out, char *msg);
void canvas_free(Canvas *c);
/* Change the size (contents become blank). On failure c is unchanged. */
Status canvas_resize(Canvas *c, int w, int h, char *msg);
/* Blank every cell. */
void canvas_clear(Canvas *c);
/* The whole canvas as a Rect. */
Rect canvas_rect(const Canvas *c);
/* Cell at (x, y), or NULL outside the canvas. Borrowed. */
const Cell *canvas_cell(const Canvas *c, int x, int y);

/* ---- drawing (everything clips to the canvas, and to `clip` where given) ---- */

/* ASCII stand-in for a code point (ch itself when ch < 128). */
uint32_t canvas_ascii_fallback(uint32_t ch);

/* Set one cell (its colours come from the role). Control characters
 * become '?'. */
void canvas_put(Canvas *c, int x, int y, uint32_t ch, Role role);

/* Set one cell with its own colours: fg and bg are TC_DEFAULT or palette
 * colours 0..255 (others count as TC_DEFAULT); the role still gives the
 * attributes and the picture on screens without colour. */
void canvas_put_color(Canvas *c, int x, int y, uint32_t ch, Role role, int fg, int bg);

/* Set how many colours the canvas may use (0, 8, 16 or 256; other values
 * are rounded down to one of these). */
void canvas_set_colors(Canvas *c, int colors);

/* Write UTF-8 text on one row starting at (x, y), clipped to `clip` (and
 * the canvas). Invalid UTF-8 bytes and control characters show as '?'.
 * Returns the column after the last cell written (x + text width, even
 * when clipped), so calls can be chained. */
int canvas_text(Canvas *c, Rect clip, int x, int y, const char *utf8, Role role);

/* canvas_text of a formatted string (at most 1023 bytes are kept). */
int canvas_printf(Canvas *c, Rect clip, int x, int y, Role role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Text aligned in a one-row rect: align < 0 left, 0 centre, > 0 right.
 * Text wider than r is cut at the right. */
void canvas_text_align(Canvas *c, Rect r, int align, const char *utf8, Role role);

/* Format one number with a printf-like format taken from data (a widget
 * spec), without ever passing that format to printf: literal text, "%%",
 * and one conversion %[flags][width][.precision](f|e|g) with flags among
 * "+- 0#" (only '+' and '-' have an effect). A format with no valid
 * conversion, or more than one, gives `fallback` (a literal such as
 * "%.3g" is fine). -0 prints as 0. The result is cut to cap-1 bytes. */
void canvas_format_number(char *buf, size_t cap, const char *fmt, double v, const char *fallback);

/* Number of cells a UTF-8 string takes (code points; invalid bytes count 1). */
int canvas_text_width(const char *utf8);

/* Word wrapping: the length in bytes of the longest start of utf8 that
 * fits in width cells and ends before a space (the whole text when it
 * fits); a single word wider than width is cut at width cells. The next
 * line starts after the spaces that follow. */
size_t canvas_wrap_len(const char *utf8, int width);

/* utf8 wrapped at spaces to width cells, one row per line from (x, y) down
 * to at most max_rows rows, clipped to clip. Returns the rows it needs
 * (which may exceed max_rows: nothing is drawn past them). */
int canvas_text_wrapped(Canvas *c, Rect clip, int x, int y, int width, int max_rows, const char *utf8,
                        Role role);

/* Fill r with ch. */
void canvas_fill(Canvas *c, Rect r, uint32_t ch, Role role);
/* Change the role of every cell in r, keeping the glyphs and any cell
 * colours (selection, highlighted rows). */
void canvas_set_role(Canvas *c, Rect r, Role role);
/* Horizontal / vertical line of box-drawing characters (- | in ASCII). */
void canvas_hline(Canvas *c, int x, int y, int len, Role role);
void canvas_vline(Canvas *c, int x, int y, int len, Role role);

/* A title shortened to `width` cells by rule: whole " · " parts are
 * dropped from the end ("Receptive fields · HL1 1–12 of 100 · half size" ->
 * "Receptive fields · HL1 1–12 of 100") until it fits; a first part still
 * too wide is cut and ends in "…". Into out (cap bytes). */
void canvas_shorten_title(const char *title, int width, char *out, size_t cap);

/* The same rule for parts separated by `sep` (" │ " in the status line). */
void canvas_shorten_parts(const char *text, const char *sep, int width, char *out, size_t cap);

/* Box around r (┌─┐│└─┘, or +-+| in ASCII) with an optional title in the
 * top border ("┌ Title ──┐"; NULL or "" for none; shortened to fit by
 * canvas_shorten_title). Returns the inner rect (r inset by 1). A rect
 * narrower or lower than 2 draws nothing and returns an empty rect. */
Rect canvas_box(Canvas *c, Rect r, const char *title, Role border, Role title_role);

/* ---- dump (golden tests) ---- */

/* Append the canvas as UTF-8 text, one line per row ending in '\n', with
 * trailing blanks of each row removed. */
void canvas_dump(const Canvas *c, StrBuf *out);

/* Number of distinct (fg, bg) cell colours set with canvas_put_color in r
 * (tests: a shaded map shows many shades). */
size_t canvas_count_colors(const Canvas *c, Rect r);

#endif
