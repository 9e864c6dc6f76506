#include "neurotop/tui/lineedit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/core/utf8.h"

#define HISTORY_CAP_MAX 100000
#define HISTORY_FILE_MAX (4u * 1024u * 1024u)

struct LineCompletions {
    size_t n;
    const char *prefix; /* the word being completed (borrowed) */
    size_t prefix_len;
    char word[LINEEDIT_MAX_CANDIDATES][LINEEDIT_CANDIDATE_LEN];
};

struct LineEdit {
    char buf[LINEEDIT_MAX_BYTES + 1];
    size_t len, cur; /* bytes; cur is always on a code point boundary */
    char hint[LINEEDIT_HINT_LEN];
    LineCompleteFn complete;
    void *complete_ctx;
    /* History ring: entry i (0 = oldest) lives at hist[(head + i) % max]. */
    char **hist;
    size_t hist_max, hist_n, hist_head;
    size_t hist_pos; /* == hist_n while editing the new line */
    char saved[LINEEDIT_MAX_BYTES + 1];
    LineCompletions comp;
};

/* ---- life cycle ---- */

LineEdit *lineedit_new(size_t history_max)
{
    if (history_max > HISTORY_CAP_MAX)
        history_max = HISTORY_CAP_MAX;
    LineEdit *le = calloc(1, sizeof *le);
    if (!le)
        return NULL;
    if (history_max > 0) {
        le->hist = calloc(history_max, sizeof *le->hist);
        if (!le->hist) {
            free(le);
            return NULL;
        }
    }
    le->hist_max = history_max;
    return le;
}

void lineedit_free(LineEdit *le)
{
    if (!le)
        return;
    for (size_t i = 0; i < le->hist_max; i++)
        free(le->hist[i]);
    free(le->hist);
    free(le);
}

void lineedit_set_completer(LineEdit *le, LineCompleteFn fn, void *ctx)
{
    le->complete = fn;
    le->complete_ctx = ctx;
}

static void set_line(LineEdit *le, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n > LINEEDIT_MAX_BYTES) {
        n = LINEEDIT_MAX_BYTES;
        /* Do not cut a UTF-8 sequence in half. */
        while (n > 0 && utf8_is_cont((unsigned char)text[n]))
            n--;
    }
    if (n)
        memcpy(le->buf, text, n);
    le->buf[n] = '\0';
    le->len = n;
    le->cur = n;
}

void lineedit_start(LineEdit *le, const char *initial)
{
    set_line(le, initial);
    le->hint[0] = '\0';
    le->hist_pos = le->hist_n;
    le->saved[0] = '\0';
}

const char *lineedit_text(const LineEdit *le)
{
    return le->buf;
}

size_t lineedit_cursor_byte(const LineEdit *le)
{
    return le->cur;
}

static int cols_of(const char *s, size_t bytes)
{
    int n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (!utf8_is_cont((unsigned char)s[i]))
            n++;
    return n;
}

int lineedit_cursor_col(const LineEdit *le)
{
    return cols_of(le->buf, le->cur);
}

const char *lineedit_hint(const LineEdit *le)
{
    return le->hint;
}

/* ---- editing primitives ---- */

static size_t prev_boundary(const LineEdit *le, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && utf8_is_cont((unsigned char)le->buf[i]))
        i--;
    return i;
}

static size_t next_boundary(const LineEdit *le, size_t i)
{
    if (i >= le->len)
        return le->len;
    i++;
    while (i < le->len && utf8_is_cont((unsigned char)le->buf[i]))
        i++;
    return i;
}

/* Remove bytes [a, b) and put the cursor at a. */
static void erase(LineEdit *le, size_t a, size_t b)
{
    if (b <= a)
        return;
    memmove(le->buf + a, le->buf + b, le->len - b + 1);
    le->len -= b - a;
    le->cur = a;
}

/* Insert n bytes at the cursor; 0 when they do not fit. */
static int insert(LineEdit *le, const char *s, size_t n)
{
    if (n > LINEEDIT_MAX_BYTES - le->len)
        return 0;
    memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, s, n);
    le->len += n;
    le->cur += n;
    return 1;
}

static void insert_char(LineEdit *le, uint32_t ch)
{
    /* Control characters would corrupt the line and the history file. */
    if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) || ch > 0x10FFFF ||
        (ch >= 0xD800 && ch <= 0xDFFF))
        return;
    char enc[4];
    size_t n = utf8_encode(ch, enc);
    insert(le, enc, n);
}

static void erase_word_before(LineEdit *le)
{
    size_t i = le->cur;
    while (i > 0 && le->buf[i - 1] == ' ')
        i--;
    while (i > 0 && le->buf[i - 1] != ' ')
        i--;
    erase(le, i, le->cur);
}

/* ---- history ---- */

static char *hist_slot(const LineEdit *le, size_t i)
{
    return le->hist[(le->hist_head + i) % le->hist_max];
}

static int line_is_clean(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > LINEEDIT_MAX_BYTES)
        return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        if (cp == UTF8_REPLACEMENT || cp < 0x20 || cp == 0x7F)
            return 0;
    }
    return 1;
}

void lineedit_history_add(LineEdit *le, const char *line)
{
    if (le->hist_max == 0 || !line_is_clean(line))
        return;
    if (le->hist_n > 0 && strcmp(hist_slot(le, le->hist_n - 1), line) == 0)
        return;
    char *copy = strdup(line);
    if (!copy)
        return; /* history is a convenience: losing an entry is acceptable */
    if (le->hist_n == le->hist_max) {
        free(le->hist[le->hist_head]);
        le->hist[le->hist_head] = copy;
        le->hist_head = (le->hist_head + 1) % le->hist_max;
    } else {
        le->hist[(le->hist_head + le->hist_n) % le->hist_max] = copy;
        le->hist_n++;
    }
    le->hist_pos = le->hist_n;
}

size_t lineedit_history_count(const LineEdit *le)
{
    return le->hist_n;
}

const char *lineedit_history_at(const LineEdit *le, size_t i)
{
    return i < le->hist_n ? hist_slot(le, i) : NULL;
}

static void history_up(LineEdit *le)
{
    if (le->hist_pos == 0)
        return;
    if (le->hist_pos == le->hist_n)
        memcpy(le->saved, le->buf, le->len + 1);
    le->hist_pos--;
    set_line(le, hist_slot(le, le->hist_pos));
}

static void history_down(LineEdit *le)
{
    if (le->hist_pos >= le->hist_n)
        return;
    le->hist_pos++;
    set_line(le, le->hist_pos == le->hist_n ? le->saved : hist_slot(le, le->hist_pos));
}

/* ---- completion ---- */

void lineedit_add_candidate(LineCompletions *out, const char *word)
{
    size_t n = strlen(word);
    if (n == 0 || n >= LINEEDIT_CANDIDATE_LEN || out->n >= LINEEDIT_MAX_CANDIDATES)
        return;
    if (n < out->prefix_len || strncmp(word, out->prefix, out->prefix_len) != 0)
        return;
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->word[i], word) == 0)
            return;
    memcpy(out->word[out->n++], word, n + 1);
}

static int cmp_words(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void list_candidates(LineEdit *le)
{
    LineCompletions *lc = &le->comp;
    qsort(lc->word, lc->n, LINEEDIT_CANDIDATE_LEN, cmp_words);
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < lc->n; i++) {
        if (i)
            strbuf_append(&b, "  ");
        strbuf_append(&b, lc->word[i]);
    }
    const char *s = strbuf_cstr(&b);
    size_t n = strlen(s);
    if (n >= sizeof le->hint) {
        /* Cut on a code point boundary and say that there is more. */
        n = sizeof le->hint - 5;
        while (n > 0 && utf8_is_cont((unsigned char)s[n]))
            n--;
        memcpy(le->hint, s, n);
        memcpy(le->hint + n, " ...", 5);
    } else {
        memcpy(le->hint, s, n + 1);
    }
    strbuf_done(&b);
}

static void complete(LineEdit *le)
{
    if (!le->complete)
        return;
    size_t ws = le->cur;
    while (ws > 0 && le->buf[ws - 1] != ' ')
        ws--;
    char before[LINEEDIT_MAX_BYTES + 1];
    memcpy(before, le->buf, le->cur);
    before[le->cur] = '\0';
    LineCompletions *lc = &le->comp;
    lc->n = 0;
    lc->prefix = before + ws;
    lc->prefix_len = le->cur - ws;
    le->complete(le->complete_ctx, before, ws, lc);
    if (lc->n == 0) {
        memcpy(le->hint, "no completion", sizeof "no completion");
        return;
    }
    if (lc->n == 1) {
        const char *w = lc->word[0];
        insert(le, w + lc->prefix_len, strlen(w) - lc->prefix_len);
        if (le->cur >= le->len || le->buf[le->cur] != ' ')
            insert(le, " ", 1);
        else
            le->cur++;
        return;
    }
    size_t common = strlen(lc->word[0]);
    for (size_t i = 1; i < lc->n; i++) {
        size_t k = 0;
        while (k < common && lc->word[i][k] == lc->word[0][k])
            k++;
        common = k;
    }
    while (common > lc->prefix_len && utf8_is_cont((unsigned char)lc->word[0][common]))
        common--;
    if (common > lc->prefix_len)
        insert(le, lc->word[0] + lc->prefix_len, common - lc->prefix_len);
    /* Ambiguous: say what the word may become, at once. */
    list_candidates(le);
}

/* ---- keys ---- */

static LineEditResult ctrl_key(LineEdit *le, uint32_t letter)
{
    switch (letter) {
    case 'a':
        le->cur = 0;
        break;
    case 'e':
        le->cur = le->len;
        break;
    case 'b':
        le->cur = prev_boundary(le, le->cur);
        break;
    case 'f':
        le->cur = next_boundary(le, le->cur);
        break;
    case 'u':
        erase(le, 0, le->cur);
        break;
    case 'k':
        erase(le, le->cur, le->len);
        break;
    case 'w':
        erase_word_before(le);
        break;
    case 'h':
        erase(le, prev_boundary(le, le->cur), le->cur);
        break;
    case 'd':
        erase(le, le->cur, next_boundary(le, le->cur));
        break;
    case 'c':
    case 'g':
        return LINEEDIT_CANCEL;
    default:
        break;
    }
    return LINEEDIT_CONTINUE;
}

LineEditResult lineedit_key(LineEdit *le, TuiKey key)
{
    if (key.code != TUI_KEY_TAB)
        le->hint[0] = '\0';
    switch (key.code) {
    case TUI_KEY_CHAR:
        insert_char(le, key.ch);
        break;
    case TUI_KEY_CTRL:
        return ctrl_key(le, key.ch);
    case TUI_KEY_ENTER:
        lineedit_history_add(le, le->buf);
        return LINEEDIT_ACCEPT;
    case TUI_KEY_ESC:
        return LINEEDIT_CANCEL;
    case TUI_KEY_BACKSPACE:
        /* As in vim: backspace on an empty `:` line leaves it. */
        if (le->len == 0)
            return LINEEDIT_CANCEL;
        erase(le, prev_boundary(le, le->cur), le->cur);
        break;
    case TUI_KEY_DELETE:
        erase(le, le->cur, next_boundary(le, le->cur));
        break;
    case TUI_KEY_LEFT:
        le->cur = prev_boundary(le, le->cur);
        break;
    case TUI_KEY_RIGHT:
        le->cur = next_boundary(le, le->cur);
        break;
    case TUI_KEY_HOME:
        le->cur = 0;
        break;
    case TUI_KEY_END:
        le->cur = le->len;
        break;
    case TUI_KEY_UP:
        history_up(le);
        break;
    case TUI_KEY_DOWN:
        history_down(le);
        break;
    case TUI_KEY_TAB:
        le->hint[0] = '\0';
        complete(le);
        break;
    default:
        break;
    }
    return LINEEDIT_CONTINUE;
}

/* ---- drawing ---- */

void lineedit_render(const LineEdit *le, Canvas *c, Rect r, const char *prompt, Role role,
                     int *cursor_x)
{
    r = rect_intersect(r, canvas_rect(c));
    if (cursor_x)
        *cursor_x = -1;
    if (rect_is_empty(r))
        return;
    r.h = 1;
    canvas_fill(c, r, ' ', role);
    int x = canvas_text(c, r, r.x, r.y, prompt ? prompt : "", role);
    int avail = r.x + r.w - x;
    if (avail <= 0)
        return;
    int cc = lineedit_cursor_col(le);
    /* Scroll so that the cursor (which may sit after the last character)
     * stays inside the row. */
    int skip = cc < avail ? 0 : cc - avail + 1;
    size_t i = 0;
    for (int k = 0; k < skip && i < le->len; k++)
        i = next_boundary(le, i);
    canvas_text(c, rect_make(x, r.y, avail, 1), x, r.y, le->buf + i, role);
    if (cursor_x)
        *cursor_x = x + cc - skip;
}

/* ---- history files ---- */

Status lineedit_history_default_path(char *buf, size_t cap, char *msg)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/neurotop/history", xdg);
    else if (home && *home)
        n = snprintf(buf, cap, "%s/.local/share/neurotop/history", home);
    else
        return status_fail(msg, ST_ENOTFOUND,
                           "no place for the command history: neither XDG_DATA_HOME nor HOME is set");
    if (n < 0 || (size_t)n >= cap)
        return status_fail(msg, ST_EINVAL, "history path is longer than %zu bytes", cap);
    return ST_OK;
}

Status lineedit_history_load(LineEdit *le, const char *path, char *msg)
{
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT)
        return ST_OK;
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, HISTORY_FILE_MAX, &text, &len, msg);
    if (st != ST_OK)
        return st;
    char line[LINEEDIT_MAX_BYTES + 1];
    size_t i = 0;
    while (i < len) {
        const char *eol = memchr(text + i, '\n', len - i);
        size_t n = eol ? (size_t)(eol - (text + i)) : len - i;
        size_t m = n;
        if (m > 0 && text[i + m - 1] == '\r')
            m--;
        if (m <= LINEEDIT_MAX_BYTES && !memchr(text + i, '\0', m)) {
            memcpy(line, text + i, m);
            line[m] = '\0';
            lineedit_history_add(le, line);
        }
        i += n + 1;
    }
    free(text);
    le->hist_pos = le->hist_n;
    return ST_OK;
}

Status lineedit_history_save(const LineEdit *le, const char *path, char *msg)
{
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        size_t dl = (size_t)(slash - path);
        char *dir = malloc(dl + 1);
        if (!dir)
            return status_fail(msg, ST_ENOMEM, "out of memory saving the history");
        memcpy(dir, path, dl);
        dir[dl] = '\0';
        Status st = file_make_dirs(dir, msg);
        free(dir);
        if (st != ST_OK)
            return st;
    }
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < le->hist_n; i++) {
        strbuf_append(&b, hist_slot(le, i));
        strbuf_append(&b, "\n");
    }
    Status st;
    if (strbuf_failed(&b))
        st = status_fail(msg, ST_ENOMEM, "out of memory saving the history");
    else
        st = file_write_atomic(path, strbuf_cstr(&b), b.len, msg);
    strbuf_done(&b);
    return st;
}
