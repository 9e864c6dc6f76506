/* Replay: metrics.jsonl, one JSON object per epoch, into the series. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/jsonread.h"
#include "neurotop/core/fileio.h"
#include "replay_internal.h"

/* metrics.jsonl of a 100,000-epoch run is ~150 MB; anything larger is not ours. */
#define METRICS_MAX_BYTES ((size_t)1 << 28)

static void remove_line_problems(Replay *r, size_t line)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n_problems; i++)
        if (r->problems[i].kind != REPLAY_PROBLEM_METRICS || r->problems[i].line != line)
            r->problems[k++] = r->problems[i];
    r->n_problems = k;
}

/* The epoch of a line too broken to parse, when it starts as the writer
 * starts every line: {"epoch":N */
static size_t guess_epoch(const char *line, size_t len)
{
    static const char head[] = "{\"epoch\":";
    size_t h = sizeof head - 1, e = 0, i = h;
    if (len <= h || memcmp(line, head, h) != 0)
        return REPLAY_NO_EPOCH;
    for (; i < len && line[i] >= '0' && line[i] <= '9' && i < h + 15; i++)
        e = e * 10 + (size_t)(line[i] - '0');
    return i > h ? e : REPLAY_NO_EPOCH;
}

static void line_problem(Replay *r, const char *line, size_t len, size_t line_no, const char *why)
{
    char text[STATUS_MSG_LEN];
    size_t e = guess_epoch(line, len);
    if (e == REPLAY_NO_EPOCH)
        snprintf(text, sizeof text, "metrics.jsonl line %zu %.420s; the line was skipped", line_no, why);
    else
        snprintf(text, sizeof text, "metrics.jsonl line %zu (epoch %zu) %.420s; the line was skipped",
                 line_no, e, why);
    replay_add_problem(r, REPLAY_PROBLEM_METRICS, e, line_no, ST_EFORMAT, text);
}

/* One complete line: append its epoch to the series, or record why not. */
static Status take_line(Replay *r, const char *line, size_t len, size_t line_no)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    size_t skip = 0;
    while (skip < len && (line[skip] == ' ' || line[skip] == '\t'))
        skip++;
    if (skip == len)
        return ST_OK; /* blank lines carry nothing */
    char jmsg[STATUS_MSG_LEN], why[STATUS_MSG_LEN];
    JsonDoc *doc = NULL;
    Status st = json_parse(line, len, "metrics.jsonl", NULL, &doc, jmsg);
    if (st == ST_ENOMEM)
        return st;
    if (st) {
        const char *col = strstr(jmsg, "column ");
        snprintf(why, sizeof why, "is not valid JSON (%.400s)", col ? col : jmsg);
        line_problem(r, line, len, line_no, why);
        return ST_OK;
    }
    const JsonValue *root = json_doc_root(doc);
    long long e = json_integer(json_get(root, "epoch"), -1);
    if (root->type != JSON_OBJECT || e < 0) {
        line_problem(r, line, len, line_no, "has no \"epoch\" with a whole number >= 0");
        json_doc_free(doc);
        return ST_OK;
    }
    if (r->epochs.n && (size_t)e <= r->epochs.v[r->epochs.n - 1]) {
        snprintf(why, sizeof why, "repeats or goes back to epoch %lld after epoch %zu", e,
                 r->epochs.v[r->epochs.n - 1]);
        line_problem(r, line, len, line_no, why);
        json_doc_free(doc);
        return ST_OK;
    }
    /* series_append reads metrics from a snapshot; a bare one on the heap
     * (it is ~4 KB) carries them. */
    Snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        json_doc_free(doc);
        return ST_ENOMEM;
    }
    s->epoch = (size_t)e;
    for (size_t i = 0; i < root->count; i++) {
        const JsonValue *v = &root->items[i];
        const char *key = root->keys[i];
        if (strcmp(key, "epoch") == 0 || strlen(key) >= METRIC_KEY_LEN)
            continue;
        if (v->type == JSON_NUMBER || v->type == JSON_NULL)
            snapshot_set_metric(s, key, json_number(v, NAN));
    }
    st = series_append(&r->series, s);
    if (!st && replay_list_push(&r->epochs, (size_t)e))
        st = ST_ENOMEM;
    free(s);
    json_doc_free(doc);
    return st;
}

/* Read metrics.jsonl from where the last read stopped. An unfinished last
 * line (no line break yet) is taken at open when it is whole JSON (a crash
 * between the text and its line break), reported at open when it is not
 * (a crash in the middle), and otherwise left for the next refresh (a live
 * run writing it). */
Status replay_read_metrics(Replay *r, int at_open, char *msg)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/metrics.jsonl", r->dir);
    FILE *f;
    Status ost = file_fopen_regular(path, &f, msg); /* a FIFO there must not block */
    if (ost)
        return ost == ST_ENOTFOUND ? ST_OK : ost;
    Status st = ST_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (fseek(f, r->metrics_offset, SEEK_SET) != 0) {
        st = status_fail(msg, ST_EIO, "cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    for (;;) {
        if (len + 65536 > cap) {
            if (cap >= METRICS_MAX_BYTES) {
                st = status_fail(msg, ST_EIO, "%s is larger than %zu bytes", path, METRICS_MAX_BYTES);
                goto done;
            }
            size_t ncap = cap ? 2 * cap : 65536 * 2;
            char *b = realloc(buf, ncap);
            if (!b) {
                st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
                goto done;
            }
            buf = b;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        st = status_fail(msg, ST_EIO, "cannot read %s", path);
        goto done;
    }
    size_t pos = 0;
    if (r->owe_newline && len) {
        /* The break of a line taken without it at open. */
        r->owe_newline = 0;
        if (buf[0] == '\n') {
            pos = 1;
            r->metrics_offset++;
        }
    }
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        size_t line_no = r->metrics_lines + 1;
        if (!nl) {
            if (!at_open)
                break;
            JsonDoc *doc = NULL;
            int whole = json_parse(buf + pos, end - pos, "", NULL, &doc, NULL) == ST_OK;
            json_doc_free(doc);
            if (!whole) {
                line_problem(r, buf + pos, end - pos, line_no,
                             "is cut short (the run probably stopped while writing it)");
                r->trunc_line = line_no;
                break;
            }
            r->owe_newline = 1;
        } else if (line_no == r->trunc_line) {
            /* The cut line has been finished since: judge it afresh. */
            remove_line_problems(r, line_no);
            r->trunc_line = 0;
        }
        if (take_line(r, buf + pos, end - pos, line_no)) {
            st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
            goto done;
        }
        r->metrics_lines++;
        r->metrics_offset += (long)(end - pos) + (nl != NULL);
        pos = end + (nl != NULL);
    }
done:
    free(buf);
    fclose(f);
    return st;
}
