#ifndef NEUROTOP_TUI_KEYS_H
#define NEUROTOP_TUI_KEYS_H

/* Terminal-independent key events. screen_read_key() turns ncurses input
 * into a TuiKey, so the line editor, the panes and the app loop never see
 * ncurses KEY_* codes (and can be tested without a terminal). */

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

#endif
