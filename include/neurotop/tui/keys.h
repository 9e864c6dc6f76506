#ifndef NEUROTOP_TUI_KEYS_H
#define NEUROTOP_TUI_KEYS_H

/* Terminal-independent key events. screen_read_key() turns ncurses input
 * into a TuiKey, so the line editor, the panes and the app loop never see
 * ncurses KEY_* codes (and can be tested without a terminal). */

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TUI_KEY_NONE = 0,  /* no key available */
    TUI_KEY_CHAR,      /* printable character: TuiKey.ch is its code point */
    TUI_KEY_CTRL,      /* Ctrl+letter: TuiKey.ch is the lower-case letter 'a'..'z' */
    TUI_KEY_ENTER,
    TUI_KEY_ESC,
    TUI_KEY_TAB,
    TUI_KEY_BACKTAB,   /* Shift+Tab */
    TUI_KEY_BACKSPACE,
    TUI_KEY_DELETE,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_UP,
    TUI_KEY_DOWN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_PAGE_UP,
    TUI_KEY_PAGE_DOWN,
    TUI_KEY_F,         /* function key: TuiKey.ch is its number 1..24 */
    TUI_KEY_RESIZE     /* the terminal changed size (SIGWINCH) */
} TuiKeyCode;

typedef struct {
    TuiKeyCode code;
    uint32_t ch; /* see TuiKeyCode; 0 when unused */
} TuiKey;

/* Convenience constructors (for the app's mapping tables and for tests). */
static inline TuiKey tui_key(TuiKeyCode code)
{
    TuiKey k = {code, 0};
    return k;
}

static inline TuiKey tui_key_char(uint32_t ch)
{
    TuiKey k = {TUI_KEY_CHAR, ch};
    return k;
}

static inline TuiKey tui_key_ctrl(char letter)
{
    TuiKey k = {TUI_KEY_CTRL, (uint32_t)(unsigned char)letter};
    return k;
}

/* ---- the key table: the one list of keys shown to users ----
 * The `?` help overlay lists it and the bottom line's hint is made from
 * it, so neither is written by hand. A live run and a replay have
 * different keys (Space trains or plays; n steps a live run and moves a
 * replay); each entry says where it applies. */

enum { TUI_KEYS_LIVE = 1, TUI_KEYS_REPLAY = 2, TUI_KEYS_BOTH = 3 };

typedef struct {
    const char *keys; /* "Space", "← →", "Home End" */
    const char *help; /* what they do */
    unsigned modes;   /* TUI_KEYS_LIVE and/or TUI_KEYS_REPLAY */
    const char *hint; /* short form for the bottom line ("Space run/pause"), NULL = not there */
} TuiKeyHelp;

/* Number of entries, and entry i (NULL past the end), in help order. */
size_t tui_keys_count(void);
const TuiKeyHelp *tui_keys_at(size_t i);

/* 1 when entry k applies to a replay (replay != 0) or a live run. */
int tui_keys_applies(const TuiKeyHelp *k, int replay);

/* The bottom line's hint for a live run or a replay: the hints of the
 * entries that apply, two spaces apart, as many whole ones as fit in
 * width cells (cap bytes, NUL-terminated). */
void tui_keys_hint(int replay, int width, char *buf, size_t cap);

#endif
