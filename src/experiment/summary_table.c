/* Reading a batch's summary.csv back for the cohort reproductions. */
#include "neurotop/experiment/summary_table.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

#define SUMMARY_MAX_BYTES ((size_t)1 << 30)
#define SUMMARY_MAX_COLS 256

void summary_table_done(SummaryTable *t)
{
    if (!t)
        return;
    for (size_t c = 0; t->names && c < t->cols; c++)
        free(t->names[c]);
    free(t->names);
    free(t->v);
    memset(t, 0, sizeof *t);
}

int summary_table_column(const SummaryTable *t, const char *name)
{
    for (size_t c = 0; c < t->cols; c++)
        if (strcmp(t->names[c], name) == 0)
            return (int)c;
    return -1;
}

/* Length of the line starting at p (without its '\n' or "\r\n"). */
static size_t line_len(const char *p)
{
    size_t n = strcspn(p, "\n");
    if (n > 0 && p[n - 1] == '\r')
        n--;
    return n;
}

static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : p + strlen(p);
}

static Status read_header(const char *p, size_t len, SummaryTable *t, char *msg)
{
    size_t cols = 1;
    for (size_t i = 0; i < len; i++)
        cols += p[i] == ',';
    if (len == 0 || cols > SUMMARY_MAX_COLS)
        return status_fail(msg, ST_EFORMAT, "line 1 of the summary is not a header of 1 to %d column names",
                           SUMMARY_MAX_COLS);
    t->names = calloc(cols, sizeof *t->names);
    if (!t->names)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    t->cols = cols;
    size_t c = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p[i] != ',')
            continue;
        size_t n = i - start;
        if (n == 0)
            return status_fail(msg, ST_EFORMAT, "line 1 of the summary has an empty column name");
        t->names[c] = malloc(n + 1);
        if (!t->names[c])
            return status_fail(msg, ST_ENOMEM, "out of memory");
        memcpy(t->names[c], p + start, n);
        t->names[c][n] = 0;
        c++;
        start = i + 1;
    }
    return ST_OK;
}

static Status read_row(const char *p, size_t len, size_t line, double *out, size_t cols, char *msg)
{
    size_t c = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p[i] != ',')
            continue;
        if (c == cols)
            return status_fail(msg, ST_EFORMAT, "line %zu of the summary has more than %zu cells", line, cols);
        size_t n = i - start;
        if (n == 0) {
            out[c] = NAN;
        } else {
            char cell[64];
            if (n >= sizeof cell)
                return status_fail(msg, ST_EFORMAT, "line %zu of the summary has a cell too long for a number", line);
            memcpy(cell, p + start, n);
            cell[n] = 0;
            char *end;
            errno = 0;
            out[c] = strtod(cell, &end);
            if (*end || errno == EINVAL)
                return status_fail(msg, ST_EFORMAT, "line %zu, column %zu of the summary is not a number: '%s'",
                                   line, c + 1, cell);
        }
        c++;
        start = i + 1;
    }
    if (c != cols)
        return status_fail(msg, ST_EFORMAT, "line %zu of the summary has %zu cells, the header %zu", line, c, cols);
    return ST_OK;
}

Status summary_table_read(const char *path, SummaryTable *t, char *msg)
{
    memset(t, 0, sizeof *t);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return status_fail(msg, ST_ENOTFOUND, "%s does not exist", path);
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, SUMMARY_MAX_BYTES, &text, &len, msg);
    if (st)
        return st;
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    const char *p = text;
    if ((st = read_header(p, line_len(p), t, msg)))
        goto fail;
    p = next_line(p);
    size_t cells;
    if (size_mul(lines + 1, t->cols, &cells) || !(t->v = malloc(cells * sizeof *t->v))) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for the summary table");
        goto fail;
    }
    for (size_t line = 2; *p; line++, p = next_line(p)) {
        size_t n = line_len(p);
        if (n == 0)
            continue; /* blank lines (e.g. a final one) carry nothing */
        if ((st = read_row(p, n, line, t->v + t->rows * t->cols, t->cols, msg)))
            goto fail;
        t->rows++;
    }
    free(text);
    return ST_OK;
fail:
    free(text);
    summary_table_done(t);
    return st;
}
