/* The key table: help overlay and bottom-line hint come from it. */
#include "neurotop/tui/keys.h"

#include <stdio.h>
#include <string.h>

#include "neurotop/tui/canvas.h"

static const TuiKeyHelp KEYS[] = {
    {"Space", "run / pause training", TUI_KEYS_LIVE, "Space run/pause"},
    {"Space", "play / stop the replay (:speed X epochs a second)", TUI_KEYS_REPLAY, "Space play"},
    {"n", "train one more epoch, then pause", TUI_KEYS_LIVE, "n step"},
    {"← →", "browse the recorded epochs (→ at the live epoch trains one more)", TUI_KEYS_LIVE, NULL},
    {"← →  p n", "previous / next recorded epoch", TUI_KEYS_REPLAY, "←/→ epoch"},
    {"Home End", "first recorded epoch / back to the live one", TUI_KEYS_LIVE, NULL},
    {"Home End", "first / last recorded epoch (:goto E jumps to E)", TUI_KEYS_REPLAY, NULL},
    {":", "command line (↑/↓ history, Tab completes and lists)", TUI_KEYS_BOTH, ": command"},
    {"?", "this help (↑/↓ scroll, any other key closes it)", TUI_KEYS_BOTH, "? help"},
    {"Tab  S-Tab", "focus the next / previous pane", TUI_KEYS_BOTH, "Tab focus"},
    {"z  Esc", "zoom the focused pane / back", TUI_KEYS_BOTH, "z zoom"},
    {"Esc", "cancel a running analysis", TUI_KEYS_BOTH, NULL},
    {"r", "show the last analysis result again (Esc, r or q close it)", TUI_KEYS_BOTH, NULL},
    {"a d  w s", "in a result: rotate a 3-D cloud (:pca)", TUI_KEYS_BOTH, NULL},
    {"Ctrl-L", "redraw the screen", TUI_KEYS_BOTH, NULL},
    {"q", "quit (a live run's directory stays complete)", TUI_KEYS_BOTH, "q quit"},
};

#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

size_t tui_keys_count(void)
{
    return N_KEYS;
}

const TuiKeyHelp *tui_keys_at(size_t i)
{
    return i < N_KEYS ? &KEYS[i] : NULL;
}

int tui_keys_applies(const TuiKeyHelp *k, int replay)
{
    return (k->modes & (replay ? TUI_KEYS_REPLAY : TUI_KEYS_LIVE)) != 0;
}

void tui_keys_hint(int replay, int width, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    buf[0] = '\0';
    size_t len = 0;
    int used = 0;
    /* q first: whoever reads only the start learns how to leave. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < N_KEYS; i++) {
            const TuiKeyHelp *k = &KEYS[i];
            int quit = strcmp(k->keys, "q") == 0;
            if (!k->hint || !tui_keys_applies(k, replay) || quit != (pass == 0))
                continue;
            int w = canvas_text_width(k->hint) + (used ? 2 : 0);
            size_t bytes = strlen(k->hint) + (used ? 2 : 0);
            if (used + w > width || len + bytes + 1 > cap)
                continue;
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", used ? "  " : "", k->hint);
            used += w;
        }
}
