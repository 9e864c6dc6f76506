/* The `?` help overlay: the keys (the key table of keys.h, for a live run
 * or a replay), every `:` command (commands.h), the panes' own keys and
 * commands, and the phase rule. The syntax column is as wide as its
 * longest entry; descriptions wrap at spaces; the box grows with the
 * terminal up to the width the longest line needs. */
#include <stdio.h>
#include <string.h>

#include "app_internal.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/tui/commands.h"

/* A syntax wider than this share of the box gets a row of its own. */
#define HELP_SYNTAX_SHARE 0.4
/* Descriptions never wrap narrower than this. */
#define HELP_MIN_TEXT 24

/* The entries of the overlay, generated once per draw: a heading, or a
 * syntax and its description. */
typedef struct {
    const char *heading; /* non-NULL: a section title */
    char syntax[112];
    const char *text;
} HelpEntry;

typedef struct {
    Canvas *c;
    Rect in;
    int first, line, y;
} HelpCursor;

static void row_text(HelpCursor *h, int x, const char *text, int len, Role role)
{
    if (h->line >= h->first && h->y < h->in.y + h->in.h) {
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", len, text);
        canvas_text(h->c, h->in, x, h->y, buf, role);
    }
}

static void next_row(HelpCursor *h)
{
    if (h->line >= h->first && h->y < h->in.y + h->in.h)
        h->y++;
    h->line++;
}

/* Text wrapped over as many rows as it needs, from column x. */
static void wrapped(HelpCursor *h, int x, const char *text, Role role)
{
    int width = h->in.x + h->in.w - x;
    if (width < 1)
        width = 1;
    while (*text) {
        int n = (int)canvas_wrap_len(text, width);
        row_text(h, x, text, n, role);
        next_row(h);
        text += n;
        while (*text == ' ')
            text++;
    }
}

static size_t collect(const App *app, HelpEntry *e, size_t max)
{
    size_t n = 0;
    int replay = app->cfg.replay != NULL;
#define ADD_HEADING(t)                                                                                       \
    do {                                                                                                     \
        if (n < max)                                                                                         \
            e[n++] = (HelpEntry){.heading = (t)};                                                            \
    } while (0)
#define ADD(syn, txt)                                                                                        \
    do {                                                                                                     \
        if (n < max) {                                                                                       \
            e[n] = (HelpEntry){.heading = NULL, .text = (txt)};                                              \
            snprintf(e[n].syntax, sizeof e[n].syntax, "%s", (syn));                                          \
            n++;                                                                                             \
        }                                                                                                    \
    } while (0)
    ADD_HEADING(replay ? "Keys (replay)" : "Keys (live run)");
    for (size_t i = 0; i < tui_keys_count(); i++)
        if (tui_keys_applies(tui_keys_at(i), replay))
            ADD(tui_keys_at(i)->keys, tui_keys_at(i)->help);
    for (size_t i = 0; i < app->n_panes; i++) {
        const PaneOps *ops = app->panes[i].ops;
        if (!ops->keys_help)
            continue;
        char head[64];
        snprintf(head, sizeof head, "%s pane", ops->title);
        ADD(head, ops->keys_help);
    }
    ADD_HEADING("");
    ADD_HEADING(replay ? "Commands (those that train answer that a replay does not)" : "Commands");
    for (size_t i = 0; i < commands_count(); i++) {
        char usage[112];
        snprintf(usage, sizeof usage, ":%s", commands_usage(i));
        ADD(usage, commands_help(i));
    }
    for (size_t i = 0; i < app->n_panes; i++) {
        const PaneOps *ops = app->panes[i].ops;
        if (!ops->command_usage)
            continue;
        char usage[112];
        snprintf(usage, sizeof usage, ":%s", ops->command_usage);
        ADD(usage, ops->command_help);
    }
#undef ADD
#undef ADD_HEADING
    return n;
}

void app_draw_help(App *app, Rect body)
{
    Canvas *c = app->canvas;
    HelpEntry entries[160];
    size_t n = collect(app, entries, sizeof entries / sizeof entries[0]);
    /* The box: as wide as the widest syntax plus the longest description
     * need, within the body. */
    int syntax_w = 0, text_w = 0;
    for (size_t i = 0; i < n; i++) {
        if (entries[i].heading)
            continue;
        int sw = canvas_text_width(entries[i].syntax), tw = canvas_text_width(entries[i].text);
        syntax_w = sw > syntax_w ? sw : syntax_w;
        text_w = tw > text_w ? tw : text_w;
    }
    int want = 2 + 1 + syntax_w + 2 + text_w + 1;
    int w = want < body.w ? want : body.w;
    Rect r = rect_make(body.x + (body.w - w) / 2, body.y, w, body.h);
    canvas_fill(c, r, ' ', ROLE_HELP);
    Rect in = canvas_box(c, r, "Help · ↑/↓ scroll, any other key closes", ROLE_BORDER_FOCUS, ROLE_TITLE);
    if (rect_is_empty(in))
        return;
    /* The syntax column: as wide as the longest syntax that fits in its
     * share of the box; longer ones get rows of their own. */
    int cap = (int)(HELP_SYNTAX_SHARE * in.w), fit = 0;
    if (in.w - cap < HELP_MIN_TEXT)
        cap = in.w - HELP_MIN_TEXT;
    for (size_t i = 0; i < n; i++) {
        int sw = entries[i].heading ? 0 : canvas_text_width(entries[i].syntax);
        if (sw + 3 <= cap && sw > fit)
            fit = sw;
    }
    int col = 1 + fit + 2;
    HelpCursor h = {c, in, app->help_scroll, 0, in.y};
    for (size_t i = 0; i < n; i++) {
        const HelpEntry *e = &entries[i];
        if (e->heading) {
            row_text(&h, in.x, e->heading, (int)strlen(e->heading), ROLE_TITLE);
            next_row(&h);
            continue;
        }
        int sw = canvas_text_width(e->syntax);
        if (1 + sw + 2 > col) {
            /* Never cut a syntax: it wraps at its own spaces over whole rows. */
            wrapped(&h, in.x + 1, e->syntax, ROLE_HIGHLIGHT);
        } else {
            row_text(&h, in.x + 1, e->syntax, (int)strlen(e->syntax), ROLE_HIGHLIGHT);
            if (!e->text || !*e->text)
                next_row(&h);
        }
        if (e->text && *e->text)
            wrapped(&h, in.x + col, e->text, ROLE_HELP);
    }
    /* The phase rule behind the tinted bands. */
    row_text(&h, in.x, "", 0, ROLE_HELP);
    next_row(&h);
    const char *head = "Learning phases (tinted on the Q and accuracy plots)";
    row_text(&h, in.x, head, (int)strlen(head), ROLE_TITLE);
    next_row(&h);
    wrapped(&h, in.x + 1, phases_rule_text(), ROLE_HELP);
    if (h.line > h.first + in.h)
        canvas_text(c, r, r.x + r.w - 10, r.y + r.h - 1, " ↓ more ", ROLE_DIM);
    /* Scrolling stops at the last page. */
    if (app->help_scroll > h.line - in.h)
        app->help_scroll = h.line - in.h > 0 ? h.line - in.h : 0;
}
