#ifndef NEUROTOP_TUI_SCREEN_H
#define NEUROTOP_TUI_SCREEN_H

/* The terminal: the only ncurses code of neurotop. Call from the UI thread
 * only. The app draws a Canvas of the screen's size and blits it; the
 * screen keeps the previous frame and sends only the cells that changed.
 * setlocale(LC_ALL, "") must have been called before screen_open. */

#include <stdio.h>

#include "neurotop/core/status.h"
#include "neurotop/tui/canvas.h"
#include "neurotop/tui/keys.h"
#include "neurotop/tui/theme.h"

typedef struct Screen Screen;

/* Start curses on a terminal: newterm(term, out, in) (term NULL = $TERM,
 * out/in NULL = stdout/stdin; tests pass files), cbreak, noecho, keypad,
 * nonl, no cursor, short Esc delay, colours (start_color and
 * use_default_colors) when the terminal has them, then screen_set_theme.
 * ST_EIO when the terminal cannot be initialised. */
Status screen_open(const char *term, FILE *out, FILE *in, const Theme *theme, Screen **out_screen,
                   char *msg);

/* End curses (endwin) and free. NULL does nothing. */
void screen_close(Screen *s);

/* Use a theme: builds one colour pair per distinct (fg, bg), mapping
 * colours the terminal lacks to the nearest it has. With NO_COLOR set or a
 * terminal without colours the theme's monochrome picture is used. Forces a
 * full redraw at the next blit. */
void screen_set_theme(Screen *s, const Theme *theme);

/* 1 when colours are in use (0 under NO_COLOR or on a mono terminal). */
int screen_has_color(const Screen *s);

/* Colours a canvas may use on this screen (for canvas_set_colors): 0 when
 * colours are off, else the terminal's count, at most 256 (a direct-colour
 * terminal shows the 256 palette colours as their RGB values). Cells with
 * their own colours get colour pairs made on demand; when the terminal runs
 * out of pairs such cells show their role's colours. */
int screen_colors(const Screen *s);

/* Terminal size in cells (updated by screen_read_key on TUI_KEY_RESIZE). */
void screen_size(const Screen *s, int *w, int *h);

/* Copy the canvas to the terminal and refresh: cells that differ from the
 * previous blit are drawn; a size change or screen_invalidate redraws all.
 * Cells outside the terminal are ignored; the uncovered part is blanked.
 * Then places the cursor as set by screen_set_cursor. */
void screen_blit(Screen *s, const Canvas *c);

/* Redraw everything at the next blit (Ctrl-L, after a resize). */
void screen_invalidate(Screen *s);

/* Show the text cursor at (x, y) from the next blit on (the `:` line);
 * x < 0 hides it. */
void screen_set_cursor(Screen *s, int x, int y);

/* File descriptor to poll() for input (the `in` stream's). */
int screen_input_fd(const Screen *s);

/* Read one key without blocking: TUI_KEY_NONE when none is waiting.
 * Control characters become TUI_KEY_CTRL ('a'..'z'), except Tab, Enter
 * (CR/LF), Backspace (DEL/BS) and Esc; KEY_RESIZE updates the size. */
TuiKey screen_read_key(Screen *s);

#endif
