#include "neurotop/run/lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/numparse.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/core/utf8.h"

typedef struct {
    const char *name;
    char *msg;
    Lesson *lesson;
    size_t cap;
    LessonStep cur;   /* the step being read */
    int open;         /* a paragraph has started */
    int in_text;      /* its directive lines are over */
    size_t zoom_line, command_line, epoch_line;
    StrBuf text;
} Parser;

void lesson_free(Lesson *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_steps; i++)
        free(l->steps[i].text);
    free(l->steps);
    free(l);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static Status finish_step(Parser *p)
{
    if (!p->open)
        return ST_OK;
    Lesson *l = p->lesson;
    if (!p->cur.epoch_given) {
        if (l->n_steps == 0)
            return status_fail(p->msg, ST_EFORMAT,
                               "%s:%zu: the first step names no epoch (start it with a line such as 'epoch: 0')",
                               p->name, p->cur.line);
        p->cur.epoch = l->steps[l->n_steps - 1].epoch;
    }
    if (l->n_steps == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        LessonStep *s = realloc(l->steps, cap * sizeof *s);
        if (!s)
            return status_fail(p->msg, ST_ENOMEM, "out of memory reading %s", p->name);
        l->steps = s;
        p->cap = cap;
    }
    p->cur.text = strdup(strbuf_cstr(&p->text));
    if (!p->cur.text || strbuf_failed(&p->text))
        return status_fail(p->msg, ST_ENOMEM, "out of memory reading %s", p->name);
    l->steps[l->n_steps++] = p->cur;
    memset(&p->cur, 0, sizeof p->cur);
    strbuf_clear(&p->text);
    p->open = p->in_text = 0;
    p->zoom_line = p->command_line = p->epoch_line = 0;
    return ST_OK;
}

static Status twice(Parser *p, size_t line, const char *what)
{
    return status_fail(p->msg, ST_EFORMAT, "%s:%zu: a second '%s' in the step that starts on line %zu",
                       p->name, line, what, p->cur.line);
}

/* Apply directive `word` with value v (n bytes, trimmed) from line `line`. */
static Status directive(Parser *p, const char *word, const char *v, size_t n, size_t line)
{
    if (n == 0)
        return status_fail(p->msg, ST_EFORMAT, "%s:%zu: '%s' needs a value", p->name, line, word);
    if (strcmp(word, "epoch") == 0) {
        if (p->epoch_line)
            return twice(p, line, "epoch");
        size_t e = LESSON_LAST_EPOCH;
        char text[48];
        snprintf(text, sizeof text, "%.*s", (int)(n < sizeof text - 1 ? n : sizeof text - 1), v);
        if (!(n == 4 && memcmp(v, "last", 4) == 0) &&
            (n >= sizeof text || num_parse_size(text, 0, (size_t)1 << 48, "the epoch", &e, NULL)))
            return status_fail(p->msg, ST_EFORMAT, "%s:%zu: bad epoch '%.*s' (write a whole number such as 12, or last)",
                               p->name, line, (int)(n > 40 ? 40 : n), v);
        p->cur.epoch = e;
        p->cur.epoch_given = 1;
        p->cur.epoch_line = line;
        p->epoch_line = line;
        return ST_OK;
    }
    if (strcmp(word, "zoom") == 0) {
        if (p->zoom_line)
            return twice(p, line, "zoom");
        for (size_t i = 0; i < n; i++)
            if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
                  (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-'))
                return status_fail(p->msg, ST_EFORMAT, "%s:%zu: bad pane name '%.*s' (one word such as fields)",
                                   p->name, line, (int)(n > 40 ? 40 : n), v);
        if (n >= LESSON_PANE_LEN)
            return status_fail(p->msg, ST_EFORMAT, "%s:%zu: the pane name is longer than %d characters",
                               p->name, line, LESSON_PANE_LEN - 1);
        memcpy(p->cur.zoom, v, n);
        p->cur.zoom[n] = '\0';
        p->cur.zoom_line = line;
        p->zoom_line = line;
        return ST_OK;
    }
    /* command (or run) */
    if (p->command_line)
        return twice(p, line, "command");
    int colon = v[0] == ':';
    if (n + !colon >= LESSON_COMMAND_LEN)
        return status_fail(p->msg, ST_EFORMAT, "%s:%zu: the command is longer than %d characters", p->name,
                           line, LESSON_COMMAND_LEN - 2);
    if (n == (size_t)colon)
        return status_fail(p->msg, ST_EFORMAT, "%s:%zu: 'command' needs a value", p->name, line);
    snprintf(p->cur.command, sizeof p->cur.command, "%s%.*s", colon ? "" : ":", (int)n, v);
    p->cur.command_line = line;
    p->command_line = line;
    return ST_OK;
}

/* One line (without its line end) of a paragraph. */
static Status take_line(Parser *p, const char *s, size_t n, size_t line)
{
    while (n && is_space(s[n - 1]))
        n--;
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    if (n && s[0] == '#')
        return ST_OK;
    if (n == 0)
        return finish_step(p);
    if (!p->open) {
        p->open = 1;
        p->cur.line = line;
    }
    if (!p->in_text) {
        size_t w = 0;
        while (w < n && s[w] >= 'a' && s[w] <= 'z')
            w++;
        int colon = w < n && s[w] == ':';
        int ends = w == n || colon || is_space(s[w]);
        if (w > 0 && w < 16 && ends) {
            char word[16];
            memcpy(word, s, w);
            word[w] = '\0';
            int known = strcmp(word, "epoch") == 0 || strcmp(word, "zoom") == 0 ||
                        strcmp(word, "command") == 0 || strcmp(word, "run") == 0;
            if (known) {
                /* "epoch: 3", "epoch 3", "zoom :fields" and "epoch : 3" all work. */
                size_t v = w;
                while (v < n && is_space(s[v]))
                    v++;
                if (v < n && s[v] == ':')
                    v++;
                while (v < n && is_space(s[v]))
                    v++;
                return directive(p, strcmp(word, "run") == 0 ? "command" : word, s + v, n - v, line);
            }
        }
        if (w > 0 && colon)
            return status_fail(p->msg, ST_EFORMAT,
                               "%s:%zu: unknown directive '%.*s' (use epoch, zoom or command; text after them is free)",
                               p->name, line, (int)(w > 40 ? 40 : w), s);
        p->in_text = 1;
    }
    if (p->text.len)
        strbuf_append(&p->text, " ");
    strbuf_append_n(&p->text, s, n);
    return ST_OK;
}

Status lesson_parse(const char *text, size_t len, const char *name, Lesson **out, char *msg)
{
    *out = NULL;
    if (!name)
        name = "lesson";
    if (len > LESSON_MAX_BYTES)
        return status_fail(msg, ST_EINVAL, "%s is larger than %zu bytes", name, LESSON_MAX_BYTES);
    if (!text && len)
        return status_fail(msg, ST_EINVAL, "%s: no text given", name);
    /* Bytes first: a NUL or broken UTF-8 would garble the screen later. */
    size_t line = 1;
    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)text + i;
        size_t k = u[0] ? utf8_valid_len((const char *)u, len - i) : 0;
        if (!k)
            return status_fail(msg, ST_EFORMAT, "%s:%zu: %s", name, line,
                               u[0] ? "the text is not valid UTF-8" : "the file holds a NUL byte");
        line += u[0] == '\n';
        i += k;
    }
    Parser p;
    memset(&p, 0, sizeof p);
    p.name = name;
    p.msg = msg;
    p.lesson = calloc(1, sizeof *p.lesson);
    if (!p.lesson)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
    strbuf_init(&p.text);
    Status st = ST_OK;
    line = 1;
    for (size_t i = 0; i < len && !st; line++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        st = take_line(&p, text + i, end - i, line);
        i = end + 1;
    }
    if (!st)
        st = finish_step(&p);
    if (!st && p.lesson->n_steps == 0)
        st = status_fail(msg, ST_EINVAL, "%s has no steps (paragraphs starting with 'epoch: N')", name);
    strbuf_done(&p.text);
    if (st) {
        lesson_free(p.lesson);
        return st;
    }
    *out = p.lesson;
    return ST_OK;
}

Status lesson_load(const char *path, Lesson **out, char *msg)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, LESSON_MAX_BYTES, &text, &len, msg);
    if (st)
        return st;
    st = lesson_parse(text, len, path, out, msg);
    free(text);
    return st;
}

/* "0, 5, 10, ..., 40": the first few and the last of v[0..n). */
static void list_epochs(const size_t *v, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        int w;
        if (i == 6 && n > 8) {
            w = snprintf(buf + used, cap - used, ", ..., %zu", v[n - 1]);
            i = n;
        } else {
            w = snprintf(buf + used, cap - used, "%s%zu", i ? ", " : "", v[i]);
        }
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int recorded(const LessonContext *c, size_t epoch)
{
    for (size_t i = 0; i < c->n_epochs; i++)
        if (c->epochs[i] == epoch)
            return 1;
    return 0;
}

static Status check_pane(const LessonStep *s, const char *name, const LessonContext *c, char *msg)
{
    if (!c->panes || !s->zoom[0] || strcmp(s->zoom, "none") == 0)
        return ST_OK;
    for (size_t k = 0; k < c->n_panes; k++)
        if (strcmp(c->panes[k], s->zoom) == 0)
            return ST_OK;
    char list[256] = "";
    size_t used = 0;
    for (size_t j = 0; j < c->n_panes && used < sizeof list; j++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", c->panes[j]);
    return status_fail(msg, ST_EINVAL, "%s:%zu: there is no pane called '%s' (panes: %s)", name, s->zoom_line,
                       s->zoom, list);
}

Status lesson_check(const Lesson *l, const char *name, const LessonContext *c, char *msg)
{
    if (!name)
        name = "lesson";
    size_t last = c->epochs && c->n_epochs ? c->epochs[c->n_epochs - 1] : LESSON_LAST_EPOCH;
    char list[160];
    for (size_t i = 0; i < l->n_steps; i++) {
        const LessonStep *s = &l->steps[i];
        /* A step without its own epoch blames the step that gave it. */
        size_t epoch_line = s->epoch_line;
        for (size_t j = i; !epoch_line && j > 0; j--)
            epoch_line = l->steps[j - 1].epoch_line;
        size_t epoch = s->epoch == LESSON_LAST_EPOCH ? last : s->epoch;
        if (c->epochs && s->epoch != LESSON_LAST_EPOCH && s->epoch_given) {
            if (c->n_epochs == 0)
                return status_fail(msg, ST_EINVAL, "%s:%zu: the run has recorded no epoch yet", name, epoch_line);
            if (epoch > last)
                return status_fail(msg, ST_EINVAL, "%s:%zu: epoch %zu is past the run's last epoch %zu", name,
                                   epoch_line, epoch, last);
            if (!recorded(c, epoch)) {
                list_epochs(c->epochs, c->n_epochs, list, sizeof list);
                return status_fail(msg, ST_EINVAL, "%s:%zu: the run has no epoch %zu (recorded: %s)", name,
                                   epoch_line, epoch, list);
            }
        }
        Status st = check_pane(s, name, c, msg);
        if (st)
            return st;
        if (!s->command[0] || !c->check_command)
            continue;
        char why[STATUS_MSG_LEN] = "";
        int needs = 0;
        const char *cmd = s->command[0] == ':' ? s->command + 1 : s->command;
        if (c->check_command(c->ctx, cmd, &needs, why, sizeof why))
            return status_fail(msg, ST_EINVAL, "%s:%zu: %s", name, s->command_line, why);
        if (needs && c->has_snapshot && epoch != LESSON_LAST_EPOCH && !c->has_snapshot(c->ctx, epoch)) {
            int own = s->epoch_line != 0;
            return status_fail(msg, ST_EINVAL,
                               "%s:%zu: the run kept no weights (snapshot file) for epoch %zu, which '%s' on line "
                               "%zu analyses: choose an epoch with a snapshot",
                               name, own ? s->epoch_line : s->command_line, epoch, s->command, s->command_line);
        }
    }
    return ST_OK;
}
