/* The `?` help overlay: keys, then every `:` command from the table. */
#include <stdio.h>

#include "app_internal.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/tui/commands.h"

static const char *const KEYS[][2] = {
    {"Space", "run / pause training"},
    {"n  →", "train one more epoch, then pause"},
    {":", "command line (↑/↓ history, Tab completes)"},
    {"?", "this help (any key closes it, ↑/↓ scroll)"},
    {"Tab  S-Tab", "focus the next / previous pane"},
    {"z  Esc", "zoom the focused pane / back"},
    {"Esc", "cancel a running analysis job"},
    {"r", "show the last analysis result again"},
    {"a d  w s", "in a result: rotate a 3-D cloud (:pca)"},
    {"[  ]", "previous / next neuron in the receptive fields"},
    {"l", "receptive fields: next layer"},
    {"Ctrl-L", "redraw the screen"},
    {"q", "quit (the run directory stays complete)"},
};

void app_draw_help(App *app, Rect body)
{
    Canvas *c = app->canvas;
    int w = body.w < 110 ? body.w : 110;
    int h = body.h;
    Rect r = rect_make(body.x + (body.w - w) / 2, body.y, w, h);
    canvas_fill(c, r, ' ', ROLE_HELP);
    Rect in = canvas_box(c, r, "Help", ROLE_BORDER_FOCUS, ROLE_TITLE);
    if (rect_is_empty(in))
        return;
    /* Command usages get a wider column when the box allows it. */
    int col = in.w >= 100 ? 42 : 19;
    /* Lines are generated, then the visible window is drawn. */
    int line = 0, first = app->help_scroll, y = in.y;
#define HELP_ROW(draw_stmt)                           \
    do {                                              \
        if (line >= first && y < in.y + in.h) {       \
            draw_stmt;                                \
            y++;                                      \
        }                                             \
        line++;                                       \
    } while (0)
    HELP_ROW(canvas_text(c, in, in.x, y, "Keys", ROLE_TITLE));
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
        HELP_ROW((canvas_text(c, in, in.x + 1, y, KEYS[i][0], ROLE_HIGHLIGHT),
                  canvas_text(c, in, in.x + 13, y, KEYS[i][1], ROLE_HELP)));
    HELP_ROW((void)0);
    HELP_ROW(canvas_text(c, in, in.x, y, "Commands", ROLE_TITLE));
    for (size_t i = 0; i < commands_count(); i++) {
        char usage[96];
        snprintf(usage, sizeof usage, ":%s", commands_usage(i));
        /* A usage too long for its column gets a row of its own. */
        if (canvas_text_width(usage) + 2 > col) {
            HELP_ROW(canvas_text(c, in, in.x + 1, y, usage, ROLE_HIGHLIGHT));
            HELP_ROW(canvas_text(c, in, in.x + col, y, commands_help(i), ROLE_HELP));
        } else {
            HELP_ROW((canvas_text(c, in, in.x + 1, y, usage, ROLE_HIGHLIGHT),
                      canvas_text(c, in, in.x + col, y, commands_help(i), ROLE_HELP)));
        }
    }
    for (size_t i = 0; i < app->n_panes; i++) {
        const PaneOps *ops = app->panes[i].ops;
        if (!ops->keys_help)
            continue;
        char head[64];
        snprintf(head, sizeof head, "%s pane", ops->title);
        HELP_ROW((canvas_text(c, in, in.x + 1, y, head, ROLE_HIGHLIGHT),
                  canvas_text(c, in, in.x + col, y, ops->keys_help, ROLE_HELP)));
    }
    /* The phase rule behind the tinted bands, word-wrapped. */
    HELP_ROW((void)0);
    HELP_ROW(canvas_text(c, in, in.x, y, "Learning phases (tinted on the Q and accuracy plots)", ROLE_TITLE));
    const char *p = phases_rule_text();
    int width = in.w - 2 > 20 ? in.w - 2 : 20;
    while (*p) {
        const char *end = p, *cut = NULL;
        int n = 0;
        while (*end && n < width) {
            if (*end == ' ')
                cut = end;
            end++;
            n++;
        }
        if (*end && cut)
            end = cut;
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)(end - p), p);
        HELP_ROW(canvas_text(c, in, in.x + 1, y, buf, ROLE_HELP));
        p = *end == ' ' ? end + 1 : end;
    }
#undef HELP_ROW
    if (line > first + in.h)
        canvas_text(c, in, in.x + in.w - 8, in.y + in.h - 1, "↓ more", ROLE_DIM);
}
