#ifndef NEUROTOP_TUI_LINEEDIT_H
#define NEUROTOP_TUI_LINEEDIT_H

/* The `:` command-line editor, as a state machine without any terminal:
 * the app feeds it TuiKeys and draws it with lineedit_render.
 *
 * Keys: printable characters insert at the cursor; Left/Right, Home/End
 * (Ctrl-A/Ctrl-E) move; Backspace/Delete erase; Ctrl-U erases to the start
 * of the line, Ctrl-K to its end, Ctrl-W the word before the cursor;
 * Up/Down walk the history (the line being typed comes back after the
 * newest entry); Tab completes the word before the cursor through the
 * caller's completer (a unique candidate is completed with a trailing
 * space, several are completed to their common prefix and listed in the
 * hint); Enter accepts the line (adding it to the
 * history unless empty or equal to the newest entry); Esc, Ctrl-C/Ctrl-G
 * and Backspace on an empty line cancel.
 *
 * The text is UTF-8, at most LINEEDIT_MAX_BYTES bytes; the cursor moves by
 * code points. History is bounded (oldest entries dropped). */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/tui/canvas.h"
#include "neurotop/tui/keys.h"
#include "neurotop/tui/theme.h"

#define LINEEDIT_MAX_BYTES 1024
#define LINEEDIT_MAX_CANDIDATES 128
#define LINEEDIT_CANDIDATE_LEN 64
#define LINEEDIT_HINT_LEN 512

typedef enum {
    LINEEDIT_CONTINUE = 0, /* still editing; redraw */
    LINEEDIT_ACCEPT,       /* Enter: lineedit_text() is the line */
    LINEEDIT_CANCEL        /* Esc: the line is abandoned */
} LineEditResult;

typedef struct LineEdit LineEdit;
typedef struct LineCompletions LineCompletions;

/* Completer: called on Tab with the text before the cursor (`line`, NUL
 * terminated) and the byte offset where the word being completed starts
 * (after the last space), so it can offer command names for the first
 * word and argument values (theme names, ...) after. It offers candidates
 * with lineedit_add_candidate; the editor keeps those that start with the
 * word, so a completer may simply offer every name. */
typedef void (*LineCompleteFn)(void *ctx, const char *line, size_t word_start,
                               LineCompletions *out);

/* Offer one candidate (whole word, at most LINEEDIT_CANDIDATE_LEN-1 bytes;
 * longer ones and those beyond LINEEDIT_MAX_CANDIDATES are dropped;
 * duplicates are ignored). */
void lineedit_add_candidate(LineCompletions *out, const char *word);

/* New editor keeping at most history_max entries (0 = no history; capped
 * at 100000). NULL when out of memory. */
LineEdit *lineedit_new(size_t history_max);
void lineedit_free(LineEdit *le);

/* Completer (NULL = none) and its context (borrowed). */
void lineedit_set_completer(LineEdit *le, LineCompleteFn fn, void *ctx);

/* Start editing: empty line (or `initial`, may be NULL), cursor at the end,
 * history position at the newest entry, hint cleared. */
void lineedit_start(LineEdit *le, const char *initial);

/* Feed one key. */
LineEditResult lineedit_key(LineEdit *le, TuiKey key);

/* Current line (UTF-8, borrowed, valid until the next call that edits). */
const char *lineedit_text(const LineEdit *le);
/* Cursor position as a byte offset into lineedit_text and in cells. */
size_t lineedit_cursor_byte(const LineEdit *le);
int lineedit_cursor_col(const LineEdit *le);
/* Hint line: the candidates of an ambiguous Tab, "no completion", or "" (borrowed). */
const char *lineedit_hint(const LineEdit *le);

/* Draw `prompt` (e.g. ":") and the line into the one-row rect r, scrolled
 * horizontally so the cursor stays visible. *cursor_x (may be NULL)
 * receives the canvas column of the cursor for screen_set_cursor. */
void lineedit_render(const LineEdit *le, Canvas *c, Rect r, const char *prompt, Role role,
                     int *cursor_x);

/* ---- history ---- */

/* Append an entry (no-op for an empty line or one equal to the newest). */
void lineedit_history_add(LineEdit *le, const char *line);
size_t lineedit_history_count(const LineEdit *le);
/* Entry i, 0 = oldest (borrowed), NULL when out of range. */
const char *lineedit_history_at(const LineEdit *le, size_t i);

/* Default history file: $XDG_DATA_HOME/neurotop/history when XDG_DATA_HOME
 * is an absolute path, else $HOME/.local/share/neurotop/history.
 * ST_ENOTFOUND when neither is set, ST_EINVAL when buf is too small. */
Status lineedit_history_default_path(char *buf, size_t cap, char *msg);

/* Load a history file (one entry per line, oldest first; at most 4 MB;
 * invalid or over-long lines are skipped) and append its entries. A
 * missing file is not an error. */
Status lineedit_history_load(LineEdit *le, const char *path, char *msg);

/* Save the history to path atomically (file_write_atomic), creating the
 * parent folders. */
Status lineedit_history_save(const LineEdit *le, const char *path, char *msg);

#endif
