/* The screen without a real terminal: ncurses writes escape sequences to a
 * temporary file and reads keys from another; what was drawn is read back
 * from curses' own window. */
#include <criterion/criterion.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/tui/screen.h"
#include "support/support.h"

/* A failed newterm() leaves ncurses' "pre-screen" (new_prescr, in libtinfo)
 * allocated, and ncurses offers no call to free it. LeakSanitizer reads
 * this hook at start-up; the suppression names only that ncurses frame. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:new_prescr\n";
}

static FILE *out_f, *in_f;

static Screen *open_screen(const char *input, const Theme *theme)
{
    cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
    out_f = tmpfile();
    in_f = tmpfile();
    cr_assert(out_f && in_f);
    fputs(input, in_f);
    rewind(in_f);
    Screen *s = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(screen_open("xterm-256color", out_f, in_f, theme, &s, msg), ST_OK, "%s", msg);
    return s;
}

static void close_screen(Screen *s)
{
    screen_close(s);
    fclose(out_f);
    fclose(in_f);
}

/* Code point, attributes and colour pair shown at (x, y). */
static void shown(int x, int y, wchar_t *ch, attr_t *attrs, short *pair)
{
    cchar_t cc;
    cr_assert_eq(mvin_wch(y, x, &cc), OK);
    wchar_t w[CCHARW_MAX + 1];
    cr_assert_eq(getcchar(&cc, w, attrs, pair, NULL), OK);
    *ch = w[0];
    *attrs &= A_ATTRIBUTES & ~A_COLOR;
}

Test(screen, blit_shows_glyphs_and_theme_colours)
{
    unsetenv("NO_COLOR");
    Theme t;
    theme_init_default(&t);
    Screen *s = open_screen("", &t);
    cr_assert_eq(screen_has_color(s), 1);
    int w, h;
    screen_size(s, &w, &h);
    cr_assert(w > 10 && h > 3);
    Canvas *c = support_canvas(w, h, 1);
    canvas_text(c, canvas_rect(c), 0, 0, "Acc α", ROLE_TITLE);
    canvas_put(c, 2, 1, 0x2847, ROLE_PLOT1);
    screen_blit(s, c);

    wchar_t ch;
    attr_t a;
    short pair;
    shown(4, 0, &ch, &a, &pair);
    cr_assert_eq(ch, (wchar_t)0x03B1);
    cr_assert_eq(a, A_BOLD, "title is bold");
    short fg, bg;
    pair_content(pair, &fg, &bg);
    cr_assert(fg == COLOR_CYAN && bg == -1, "title: cyan on default, got %d/%d", fg, bg);
    shown(2, 1, &ch, &a, &pair);
    cr_assert_eq(ch, (wchar_t)0x2847);
    pair_content(pair, &fg, &bg);
    cr_assert_eq(fg, COLOR_GREEN);

    /* Only the changed cell differs in the next frame. */
    canvas_put(c, 0, 0, 'X', ROLE_ERROR);
    screen_blit(s, c);
    shown(0, 0, &ch, &a, &pair);
    cr_assert_eq(ch, L'X');
    pair_content(pair, &fg, &bg);
    cr_assert(fg == COLOR_WHITE && bg == COLOR_RED);
    shown(1, 0, &ch, &a, &pair);
    cr_assert_eq(ch, L'c');

    /* Roles with the same colours share a pair. */
    shown(2, 1, &ch, &a, &pair);
    short plot1_pair = pair;
    canvas_put(c, 3, 1, 'g', ROLE_GOOD);
    screen_blit(s, c);
    shown(3, 1, &ch, &a, &pair);
    cr_assert_eq(pair, plot1_pair, "plot1 and good are both green on default");

    canvas_free(c);
    close_screen(s);
}

Test(screen, cells_with_their_own_colours_get_their_own_pairs)
{
    unsetenv("NO_COLOR");
    Theme t;
    theme_init_default(&t);
    Screen *s = open_screen("", &t);
    cr_assert_eq(screen_colors(s), 256, "xterm-256color shows 256 colours");
    Canvas *c = support_canvas(10, 2, 1);
    canvas_set_colors(c, screen_colors(s));
    canvas_put_color(c, 0, 0, 0x2580, ROLE_DEFAULT, 196, 21);
    canvas_put_color(c, 1, 0, 0x2580, ROLE_DEFAULT, 232, 255);
    canvas_put_color(c, 2, 0, 0x2580, ROLE_DEFAULT, 196, 21);
    canvas_put_color(c, 3, 0, 0x2580, ROLE_DEFAULT, 196, TC_DEFAULT);
    screen_blit(s, c);
    wchar_t ch;
    attr_t a;
    short p0, p1, p2, p3, fg, bg;
    shown(0, 0, &ch, &a, &p0);
    cr_assert_eq(ch, (wchar_t)0x2580);
    pair_content(p0, &fg, &bg);
    cr_assert(fg == 196 && bg == 21, "upper half red, lower half blue: got %d/%d", fg, bg);
    shown(1, 0, &ch, &a, &p1);
    pair_content(p1, &fg, &bg);
    cr_assert(fg == 232 && bg == 255, "two greys: got %d/%d", fg, bg);
    shown(2, 0, &ch, &a, &p2);
    cr_assert_eq(p2, p0, "the same colours share one pair");
    shown(3, 0, &ch, &a, &p3);
    pair_content(p3, &fg, &bg);
    cr_assert(fg == 196 && bg == -1, "the terminal's own background: got %d/%d", fg, bg);

    /* Changing only a cell's colour redraws it. */
    canvas_put_color(c, 1, 0, 0x2580, ROLE_DEFAULT, 240, 250);
    screen_blit(s, c);
    shown(1, 0, &ch, &a, &p1);
    pair_content(p1, &fg, &bg);
    cr_assert(fg == 240 && bg == 250, "got %d/%d", fg, bg);
    canvas_free(c);
    close_screen(s);
}

Test(screen, no_color_gives_the_mono_picture)
{
    setenv("NO_COLOR", "1", 1);
    Theme t;
    theme_init_default(&t);
    Screen *s = open_screen("", &t);
    cr_assert_eq(screen_has_color(s), 0);
    cr_assert_eq(screen_colors(s), 0, "no colours for the canvas either: heat maps fall back to glyphs");
    Canvas *c = support_canvas(10, 2, 1);
    canvas_text(c, canvas_rect(c), 0, 0, "run", ROLE_STATUS_RUNNING);
    canvas_text(c, canvas_rect(c), 0, 1, "x", ROLE_PLOT2);
    screen_blit(s, c);
    wchar_t ch;
    attr_t a;
    short pair;
    shown(0, 0, &ch, &a, &pair);
    cr_assert_eq(pair, 0);
    cr_assert_eq(a, A_REVERSE | A_BOLD);
    shown(0, 1, &ch, &a, &pair);
    cr_assert_eq(pair, 0);
    cr_assert_eq(a, A_NORMAL);
    canvas_free(c);
    close_screen(s);
    unsetenv("NO_COLOR");
}

Test(screen, smaller_canvas_is_padded_and_resize_is_followed)
{
    Theme t;
    theme_init_default(&t);
    Screen *s = open_screen("", &t);
    Canvas *c = support_canvas(3, 1, 0);
    canvas_text(c, canvas_rect(c), 0, 0, "abc", ROLE_DEFAULT);
    Canvas *big = support_canvas(80, 24, 0);
    canvas_fill(big, canvas_rect(big), '#', ROLE_DEFAULT);
    screen_blit(s, big);
    screen_blit(s, c);
    wchar_t ch;
    attr_t a;
    short pair;
    shown(2, 0, &ch, &a, &pair);
    cr_assert_eq(ch, L'c');
    shown(3, 0, &ch, &a, &pair);
    cr_assert_eq(ch, L' ', "cells the canvas does not cover are blanked");
    shown(0, 5, &ch, &a, &pair);
    cr_assert_eq(ch, L' ');

    cr_assert_eq(resizeterm(10, 30), OK);
    ungetch(KEY_RESIZE);
    TuiKey k = screen_read_key(s);
    cr_assert_eq(k.code, TUI_KEY_RESIZE);
    int w, h;
    screen_size(s, &w, &h);
    cr_assert(w == 30 && h == 10, "got %dx%d", w, h);
    screen_blit(s, big);
    shown(29, 9, &ch, &a, &pair);
    cr_assert_eq(ch, L'#', "the bottom-right cell is drawn too");
    canvas_free(big);
    canvas_free(c);
    close_screen(s);
}

Test(screen, keys_are_mapped)
{
    Theme t;
    theme_init_default(&t);
    /* xterm's keypad sequences: Up is ESC O A, Delete ESC [ 3 ~. */
    Screen *s = open_screen("q\xce\xb1\t\r\x7f\x01\x17\x1bOA\x1b[3~", &t);
    TuiKey want[] = {
        tui_key_char('q'),         tui_key_char(0x03B1),       tui_key(TUI_KEY_TAB),
        tui_key(TUI_KEY_ENTER),    tui_key(TUI_KEY_BACKSPACE), tui_key_ctrl('a'),
        tui_key_ctrl('w'),         tui_key(TUI_KEY_UP),        tui_key(TUI_KEY_DELETE),
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        TuiKey k = screen_read_key(s);
        cr_assert(k.code == want[i].code && k.ch == want[i].ch, "key %zu: got %d/%u", i,
                  (int)k.code, (unsigned)k.ch);
    }
    cr_assert_eq(screen_read_key(s).code, TUI_KEY_NONE, "no more input");
    cr_assert_eq(screen_input_fd(s), fileno(in_f));
    close_screen(s);
}

Test(screen, bad_terminal_is_an_error)
{
    Theme t;
    theme_init_default(&t);
    FILE *o = tmpfile(), *i = tmpfile();
    Screen *s = (Screen *)1;
    char msg[STATUS_MSG_LEN];
    /* newterm prints its own complaint to stderr for an unknown TERM. */
    cr_assert_eq(screen_open("no-such-terminal-xyz", o, i, &t, &s, msg), ST_EIO);
    cr_assert_null(s);
    cr_assert(strstr(msg, "no-such-terminal-xyz"), "%s", msg);
    fclose(o);
    fclose(i);
}
