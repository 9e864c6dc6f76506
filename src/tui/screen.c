#include "neurotop/tui/screen.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* A value no canvas cell can hold: marks the previous frame as unknown. */
#define CELL_UNKNOWN 0xFFFFFFFFu
#define MAX_PAIRS 256
/* Pairs for cells with their own colours are made on demand, up to this
 * many in all (pair numbers must fit a short for setcchar). */
#define MAX_ALL_PAIRS 32767
/* Cell colours are TC_DEFAULT or 0..255: 257 values each. */
#define COLOR_SLOTS 257

#ifndef NCURSES_EXT_COLORS
#define init_extended_pair(p, f, b) init_pair((short)(p), (short)(f), (short)(b))
#endif

struct Screen {
    SCREEN *term;
    FILE *in;
    int w, h;
    Cell *prev; /* what the terminal shows, w*h cells */
    int full;   /* redraw everything at the next blit */
    int color;  /* colours in use */
    int default_colors; /* use_default_colors() worked: -1 allowed */
    int ncolors;        /* COLORS when colours are in use, else 0 */
    attr_t attr[ROLE_COUNT];
    short pair[ROLE_COUNT];
    int role_fg[ROLE_COUNT], role_bg[ROLE_COUNT]; /* the roles' colours as given to the terminal */
    int role_key_fg[ROLE_COUNT], role_key_bg[ROLE_COUNT]; /* and as theme colours (TC_DEFAULT, 0..255) */
    int n_pairs;        /* pairs in use: the roles', then the cells' */
    short *cell_pair;   /* COLOR_SLOTS^2: pair of a (fg, bg) of cell colours, 0 = none yet */
    int cursor_x, cursor_y;
    int cursor_shown;
};

static attr_t attrs_of(unsigned ta)
{
    attr_t a = A_NORMAL;
    if (ta & TA_BOLD)
        a |= A_BOLD;
    if (ta & TA_DIM)
        a |= A_DIM;
    if (ta & TA_REVERSE)
        a |= A_REVERSE;
    if (ta & TA_UNDERLINE)
        a |= A_UNDERLINE;
    return a;
}

/* RGB of an xterm palette colour: the 16 system colours, the 6x6x6 cube,
 * the 24 greys. */
static int palette_rgb(int c)
{
    static const int SYSTEM[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
                                   0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
                                   0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
    if (c < 16)
        return SYSTEM[c];
    if (c >= 232) {
        int g = 8 + 10 * (c - 232);
        return g << 16 | g << 8 | g;
    }
    static const int LEVEL[6] = {0, 95, 135, 175, 215, 255};
    c -= 16;
    return LEVEL[c / 36] << 16 | LEVEL[c / 6 % 6] << 8 | LEVEL[c % 6];
}

/* A theme or cell colour as this terminal takes it: the nearest it has,
 * and on a direct-colour terminal (more than 256 colours, where numbers
 * from 8 up are RGB values) the palette colour's RGB. */
static int terminal_color(const Screen *s, int color, int background)
{
    if (color == TC_DEFAULT || color == CANVAS_ROLE_COLOR)
        return TC_DEFAULT;
    if (s->ncolors > 256)
        return color < 8 ? color : palette_rgb(color);
    return theme_color_fallback(color, s->ncolors, background);
}

static void reset_cell_pairs(Screen *s, int n_role_pairs)
{
    s->n_pairs = n_role_pairs;
    if (s->cell_pair)
        memset(s->cell_pair, 0, (size_t)COLOR_SLOTS * COLOR_SLOTS * sizeof *s->cell_pair);
}

void screen_set_theme(Screen *s, const Theme *theme)
{
    Theme t = *theme;
    int can = has_colors() ? 1 : 0;
    theme_apply_env(&t, can);
    s->color = can && !t.mono;
    s->ncolors = s->color ? COLORS : 0;
    int fgs[MAX_PAIRS], bgs[MAX_PAIRS];
    int npairs = 1; /* pair 0 is the terminal's default */
    int limit = COLOR_PAIRS < MAX_PAIRS ? COLOR_PAIRS : MAX_PAIRS;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const ThemeStyle *st = &t.style[r];
        s->attr[r] = attrs_of(st->attrs);
        s->pair[r] = 0;
        s->role_fg[r] = s->role_bg[r] = TC_DEFAULT;
        s->role_key_fg[r] = st->fg >= 0 && st->fg <= 255 ? st->fg : TC_DEFAULT;
        s->role_key_bg[r] = st->bg >= 0 && st->bg <= 255 ? st->bg : TC_DEFAULT;
        if (!s->color)
            continue;
        int fg = terminal_color(s, st->fg, 0);
        int bg = terminal_color(s, st->bg, 1);
        /* Bright colours on an 8-colour terminal: bold is the old way to
         * get them. */
        if (st->fg >= 8 && st->fg < 16 && COLORS < 16)
            s->attr[r] |= A_BOLD;
        if (!s->default_colors) {
            if (fg == TC_DEFAULT)
                fg = COLOR_WHITE;
            if (bg == TC_DEFAULT)
                bg = COLOR_BLACK;
        }
        s->role_fg[r] = fg;
        s->role_bg[r] = bg;
        if (fg == TC_DEFAULT && bg == TC_DEFAULT)
            continue;
        int p = 1;
        while (p < npairs && !(fgs[p] == fg && bgs[p] == bg))
            p++;
        if (p == npairs) {
            if (npairs >= limit)
                continue; /* out of pairs: the role keeps its attributes */
            fgs[p] = fg;
            bgs[p] = bg;
            init_extended_pair(p, fg, bg);
            npairs++;
        }
        s->pair[r] = (short)p;
    }
    reset_cell_pairs(s, npairs);
    s->full = 1;
}

int screen_colors(const Screen *s)
{
    return s->color ? (s->ncolors > 256 ? 256 : s->ncolors) : 0;
}

/* The pair of a cell with its own colours: made on first use; when the
 * terminal runs out of pairs the cell keeps its role's colours. */
static short cell_pair_of(Screen *s, const Cell *cell, Role role)
{
    int fg = cell->fg == CANVAS_ROLE_COLOR ? CANVAS_ROLE_COLOR : cell->fg;
    int bg = cell->bg == CANVAS_ROLE_COLOR ? CANVAS_ROLE_COLOR : cell->bg;
    int tf = fg == CANVAS_ROLE_COLOR ? s->role_fg[role] : terminal_color(s, fg, 0);
    int tb = bg == CANVAS_ROLE_COLOR ? s->role_bg[role] : terminal_color(s, bg, 1);
    if (!s->default_colors) {
        if (tf == TC_DEFAULT)
            tf = COLOR_WHITE;
        if (tb == TC_DEFAULT)
            tb = COLOR_BLACK;
    }
    if (tf == s->role_fg[role] && tb == s->role_bg[role])
        return s->pair[role];
    if (!s->cell_pair) {
        s->cell_pair = calloc((size_t)COLOR_SLOTS * COLOR_SLOTS, sizeof *s->cell_pair);
        if (!s->cell_pair)
            return s->pair[role];
    }
    /* Keyed by theme colours (the terminal's may be RGB values). */
    int key_fg = fg == CANVAS_ROLE_COLOR ? s->role_key_fg[role] : fg;
    int key_bg = bg == CANVAS_ROLE_COLOR ? s->role_key_bg[role] : bg;
    size_t kf = key_fg < 0 ? 256 : (size_t)key_fg, kb = key_bg < 0 ? 256 : (size_t)key_bg;
    short *slot = &s->cell_pair[kf * COLOR_SLOTS + kb];
    if (*slot)
        return *slot;
    int limit = COLOR_PAIRS < MAX_ALL_PAIRS ? COLOR_PAIRS : MAX_ALL_PAIRS;
    if (s->n_pairs >= limit || init_extended_pair(s->n_pairs, tf, tb) == ERR)
        return s->pair[role];
    *slot = (short)s->n_pairs++;
    return *slot;
}

int screen_has_color(const Screen *s)
{
    return s->color;
}

Status screen_open(const char *term, FILE *out, FILE *in, const Theme *theme, Screen **out_screen,
                   char *msg)
{
    *out_screen = NULL;
    Screen *s = calloc(1, sizeof *s);
    if (!s)
        return status_fail(msg, ST_ENOMEM, "out of memory starting the terminal");
    s->in = in ? in : stdin;
    s->term = newterm(term, out ? out : stdout, s->in);
    if (!s->term) {
        const char *name = term ? term : getenv("TERM");
        free(s);
        return status_fail(msg, ST_EIO, "cannot start the terminal (TERM=%s)",
                           name ? name : "unset");
    }
    set_term(s->term);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    /* Esc must cancel at once, not after the default full second. */
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        s->default_colors = use_default_colors() == OK;
    }
    getmaxyx(stdscr, s->h, s->w);
    s->cursor_x = -1;
    s->full = 1;
    screen_set_theme(s, theme);
    *out_screen = s;
    return ST_OK;
}

void screen_close(Screen *s)
{
    if (!s)
        return;
    set_term(s->term);
    curs_set(1);
    endwin();
    delscreen(s->term);
    free(s->prev);
    free(s->cell_pair);
    free(s);
}

void screen_size(const Screen *s, int *w, int *h)
{
    *w = s->w;
    *h = s->h;
}

void screen_invalidate(Screen *s)
{
    s->full = 1;
}

void screen_set_cursor(Screen *s, int x, int y)
{
    s->cursor_x = x;
    s->cursor_y = y;
}

int screen_input_fd(const Screen *s)
{
    return fileno(s->in);
}

static int ensure_prev(Screen *s)
{
    size_t n = (size_t)(s->w > 0 ? s->w : 0) * (size_t)(s->h > 0 ? s->h : 0);
    Cell *p = realloc(s->prev, n ? n * sizeof *p : 1);
    if (!p)
        return 0;
    s->prev = p;
    for (size_t i = 0; i < n; i++)
        p[i].ch = CELL_UNKNOWN;
    return 1;
}

static void draw_cell(Screen *s, int x, int y, Cell cell)
{
    wchar_t wstr[2] = {(wchar_t)cell.ch, 0};
    cchar_t cc;
    Role role = cell.role < ROLE_COUNT ? (Role)cell.role : ROLE_DEFAULT;
    short pair = s->pair[role];
    if (s->color && (cell.fg != CANVAS_ROLE_COLOR || cell.bg != CANVAS_ROLE_COLOR))
        pair = cell_pair_of(s, &cell, role);
    setcchar(&cc, wstr, s->attr[role], pair, NULL);
    /* The bottom-right cell reports ERR (the cursor cannot advance) but is
     * drawn all the same. */
    mvadd_wch(y, x, &cc);
}

void screen_blit(Screen *s, const Canvas *c)
{
    set_term(s->term);
    int w, h;
    getmaxyx(stdscr, h, w);
    if (w != s->w || h != s->h || !s->prev || s->full) {
        s->w = w;
        s->h = h;
        if (!ensure_prev(s)) {
            /* No memory for the diff: draw everything every time. */
            free(s->prev);
            s->prev = NULL;
        }
        clearok(curscr, TRUE);
        s->full = 0;
    }
    Cell blank = {' ', ROLE_DEFAULT, CANVAS_ROLE_COLOR, CANVAS_ROLE_COLOR};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const Cell *src = canvas_cell(c, x, y);
            Cell cell = src ? *src : blank;
            if (s->prev) {
                Cell *old = &s->prev[(size_t)y * (size_t)w + (size_t)x];
                if (old->ch == cell.ch && old->role == cell.role && old->fg == cell.fg && old->bg == cell.bg)
                    continue;
                *old = cell;
            }
            draw_cell(s, x, y, cell);
        }
    int show = s->cursor_x >= 0 && s->cursor_x < w && s->cursor_y >= 0 && s->cursor_y < h;
    if (show)
        move(s->cursor_y, s->cursor_x);
    if (show != s->cursor_shown) {
        curs_set(show ? 1 : 0);
        s->cursor_shown = show;
    }
    refresh();
}

static TuiKey key_of_code(Screen *s, wint_t k)
{
    switch (k) {
    case KEY_UP:
        return tui_key(TUI_KEY_UP);
    case KEY_DOWN:
        return tui_key(TUI_KEY_DOWN);
    case KEY_LEFT:
        return tui_key(TUI_KEY_LEFT);
    case KEY_RIGHT:
        return tui_key(TUI_KEY_RIGHT);
    case KEY_HOME:
        return tui_key(TUI_KEY_HOME);
    case KEY_END:
        return tui_key(TUI_KEY_END);
    case KEY_PPAGE:
        return tui_key(TUI_KEY_PAGE_UP);
    case KEY_NPAGE:
        return tui_key(TUI_KEY_PAGE_DOWN);
    case KEY_BACKSPACE:
        return tui_key(TUI_KEY_BACKSPACE);
    case KEY_DC:
        return tui_key(TUI_KEY_DELETE);
    case KEY_BTAB:
        return tui_key(TUI_KEY_BACKTAB);
    case KEY_ENTER:
        return tui_key(TUI_KEY_ENTER);
    case KEY_RESIZE:
        getmaxyx(stdscr, s->h, s->w);
        s->full = 1;
        return tui_key(TUI_KEY_RESIZE);
    default:
        break;
    }
    if (k >= KEY_F(1) && k <= KEY_F(24)) {
        TuiKey f = {TUI_KEY_F, (uint32_t)(k - KEY_F(0))};
        return f;
    }
    return tui_key(TUI_KEY_NONE);
}

TuiKey screen_read_key(Screen *s)
{
    set_term(s->term);
    for (;;) {
        wint_t k;
        int r = get_wch(&k);
        if (r == ERR)
            return tui_key(TUI_KEY_NONE);
        if (r == KEY_CODE_YES) {
            TuiKey key = key_of_code(s, k);
            /* Keys we do not know are skipped, not reported as "none",
             * so the caller keeps draining the input. */
            if (key.code != TUI_KEY_NONE)
                return key;
            continue;
        }
        if (k == '\r' || k == '\n')
            return tui_key(TUI_KEY_ENTER);
        if (k == '\t')
            return tui_key(TUI_KEY_TAB);
        if (k == 27)
            return tui_key(TUI_KEY_ESC);
        if (k == 127 || k == 8)
            return tui_key(TUI_KEY_BACKSPACE);
        if (k >= 1 && k <= 26)
            return tui_key_ctrl((char)('a' + (int)k - 1));
        if (k < 32)
            continue;
        return tui_key_char((uint32_t)k);
    }
}
