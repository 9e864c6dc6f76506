/* A set of recorded runs read together (cohort_runs.h). */
#include "neurotop/run/cohort_runs.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/run/replay.h"

typedef struct {
    char *dir;
    Replay *replay;
    JsonDoc *run_json;
} CohortRun;

struct CohortRuns {
    size_t n, cap, skipped;
    CohortRun *runs;
    size_t n_roots;
    char **roots;
};

static int is_run(const char *dir)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/run.json", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int has_run(const CohortRuns *c, const char *dir)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->runs[i].dir, dir) == 0)
            return 1;
    return 0;
}

static Status add_run(CohortRuns *c, const char *dir, char *msg)
{
    if (has_run(c, dir))
        return ST_OK;
    if (c->n == COHORT_RUNS_MAX)
        return status_fail(msg, ST_EINVAL, "more than %d runs", COHORT_RUNS_MAX);
    Replay *r = NULL;
    char why[STATUS_MSG_LEN];
    if (replay_open(dir, &r, why)) {
        c->skipped++;
        return ST_OK;
    }
    char path[4200], *text = NULL;
    size_t len = 0;
    JsonDoc *doc = NULL;
    snprintf(path, sizeof path, "%s/run.json", dir);
    if (file_read_all(path, (size_t)1 << 20, &text, &len, why) == ST_OK)
        json_parse(text, len, path, NULL, &doc, why);
    free(text);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        CohortRun *g = realloc(c->runs, cap * sizeof *g);
        if (!g) {
            replay_free(r);
            json_doc_free(doc);
            return status_fail(msg, ST_ENOMEM, "out of memory reading the runs");
        }
        c->runs = g;
        c->cap = cap;
    }
    char *copy = strdup(dir);
    if (!copy) {
        replay_free(r);
        json_doc_free(doc);
        return status_fail(msg, ST_ENOMEM, "out of memory reading the runs");
    }
    c->runs[c->n++] = (CohortRun){.dir = copy, .replay = r, .run_json = doc};
    return ST_OK;
}

/* Runs at dir or below it, depth levels down at most. */
static Status walk(CohortRuns *c, const char *dir, int depth, char *msg)
{
    if (is_run(dir))
        return add_run(c, dir, msg);
    if (depth == 0)
        return ST_OK;
    DIR *d = opendir(dir);
    if (!d)
        return ST_OK;
    Status st = ST_OK;
    struct dirent *e;
    while (!st && (e = readdir(d))) {
        /* Hidden folders are half-made runs; abandoned-* were moved aside
         * by a sweep. */
        if (e->d_name[0] == '.' || strncmp(e->d_name, "abandoned-", 10) == 0 || strcmp(e->d_name, "snapshots") == 0 ||
            strcmp(e->d_name, "analyses") == 0)
            continue;
        char sub[4200];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) >= sizeof sub)
            continue;
        struct stat stt;
        if (stat(sub, &stt) == 0 && S_ISDIR(stt.st_mode))
            st = walk(c, sub, depth - 1, msg);
    }
    closedir(d);
    return st;
}

static int cmp_run(const void *a, const void *b)
{
    return strcmp(((const CohortRun *)a)->dir, ((const CohortRun *)b)->dir);
}

static Status find_all(CohortRuns *c, char *msg)
{
    Status st = ST_OK;
    for (size_t i = 0; i < c->n_roots && !st; i++)
        st = walk(c, c->roots[i], COHORT_RUNS_DEPTH, msg);
    if (!st && c->n > 1)
        qsort(c->runs, c->n, sizeof *c->runs, cmp_run);
    return st;
}

Status cohort_runs_open(const char *const *dirs, size_t n_dirs, CohortRuns **out, char *msg)
{
    *out = NULL;
    for (size_t i = 0; i < n_dirs; i++) {
        struct stat st;
        if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
            return status_fail(msg, ST_EINVAL, "%s is not a folder", dirs[i]);
    }
    CohortRuns *c = calloc(1, sizeof *c);
    if (!c || !(c->roots = calloc(n_dirs ? n_dirs : 1, sizeof *c->roots))) {
        free(c);
        return status_fail(msg, ST_ENOMEM, "out of memory reading the runs");
    }
    Status st = ST_OK;
    for (size_t i = 0; i < n_dirs && !st; i++) {
        size_t len = strlen(dirs[i]);
        while (len > 1 && dirs[i][len - 1] == '/')
            len--;
        if (!(c->roots[i] = strndup(dirs[i], len)))
            st = status_fail(msg, ST_ENOMEM, "out of memory reading the runs");
        c->n_roots = i + 1;
    }
    if (!st)
        st = find_all(c, msg);
    if (!st && c->n == 0)
        st = status_fail(msg, ST_ENOTFOUND, "no run directory (a folder with run.json) in %s%s", dirs[0],
                         n_dirs > 1 ? " or the other folders given" : "");
    if (st) {
        cohort_runs_free(c);
        return st;
    }
    *out = c;
    return ST_OK;
}

void cohort_runs_free(CohortRuns *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->runs[i].dir);
        replay_free(c->runs[i].replay);
        json_doc_free(c->runs[i].run_json);
    }
    for (size_t i = 0; i < c->n_roots; i++)
        free(c->roots[i]);
    free(c->roots);
    free(c->runs);
    free(c);
}

size_t cohort_runs_count(const CohortRuns *c)
{
    return c->n;
}

size_t cohort_runs_skipped(const CohortRuns *c)
{
    return c->skipped;
}

const char *cohort_runs_dir(const CohortRuns *c, size_t run)
{
    return c->runs[run].dir;
}

const SeriesTable *cohort_runs_series(const CohortRuns *c, size_t run)
{
    return replay_series(c->runs[run].replay);
}

static void value_text(const JsonValue *v, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (!v)
        return;
    if (v->type == JSON_NUMBER) {
        snprintf(buf, cap, "%g", v->number);
    } else if (v->type == JSON_STRING) {
        snprintf(buf, cap, "%s", v->string);
    } else if (v->type == JSON_BOOL) {
        snprintf(buf, cap, "%s", v->boolean ? "true" : "false");
    } else if (v->type == JSON_ARRAY) {
        size_t o = 0;
        for (size_t i = 0; i < v->count && o < cap; i++)
            o += (size_t)snprintf(buf + o, cap - o, "%s%g", i ? "-" : "", json_number(&v->items[i], NAN));
    }
}

void cohort_runs_value(const CohortRuns *c, size_t run, const char *key, char *buf, size_t cap)
{
    char k[64];
    snprintf(k, sizeof k, "%s", key);
    for (char *p = k; *p; p++)
        if (*p == '-')
            *p = '_';
    const JsonDoc *d = c->runs[run].run_json;
    value_text(d ? json_get(json_doc_root(d), k) : NULL, buf, cap);
}

size_t cohort_runs_varying(const CohortRuns *c, char (*keys)[32], size_t max)
{
    static const char *const BOOKKEEPING[] = {"created_utc", "data_source", "neurotop_version"};
    size_t n = 0;
    const JsonValue *root = c->runs[0].run_json ? json_doc_root(c->runs[0].run_json) : NULL;
    for (size_t k = 0; root && root->type == JSON_OBJECT && k < root->count && n < max; k++) {
        const char *key = root->keys[k];
        int skip = strlen(key) >= 32;
        for (size_t b = 0; b < sizeof BOOKKEEPING / sizeof BOOKKEEPING[0]; b++)
            skip |= strcmp(key, BOOKKEEPING[b]) == 0;
        if (skip)
            continue;
        char first[128], other[128];
        cohort_runs_value(c, 0, key, first, sizeof first);
        for (size_t r = 1; r < c->n; r++) {
            cohort_runs_value(c, r, key, other, sizeof other);
            if (strcmp(first, other) != 0) {
                snprintf(keys[n++], 32, "%s", key);
                break;
            }
        }
    }
    return n;
}

size_t cohort_runs_metrics(const CohortRuns *c, char (*keys)[METRIC_KEY_LEN], size_t max)
{
    size_t n = 0;
    for (size_t r = 0; r < c->n; r++) {
        const SeriesTable *t = cohort_runs_series(c, r);
        for (size_t k = 0; k < t->n_keys && n < max; k++) {
            int seen = 0;
            for (size_t j = 0; j < n && !seen; j++)
                seen = strcmp(keys[j], t->keys[k]) == 0;
            if (!seen)
                snprintf(keys[n++], METRIC_KEY_LEN, "%s", t->keys[k]);
        }
    }
    return n;
}

size_t cohort_runs_epochs(const CohortRuns *c)
{
    size_t n = 0;
    for (size_t r = 0; r < c->n; r++) {
        const SeriesTable *t = cohort_runs_series(c, r);
        for (size_t i = 0; i < t->n; i++)
            if (t->epoch[i] >= 0 && t->epoch[i] + 1 > (double)n && t->epoch[i] < 1e9)
                n = (size_t)t->epoch[i] + 1;
    }
    return n;
}

double *cohort_runs_matrix(const CohortRuns *c, const size_t *runs, size_t n_runs, const char *key,
                           size_t n_epochs)
{
    double *m = malloc((n_runs ? n_runs : 1) * (n_epochs ? n_epochs : 1) * sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n_runs * n_epochs; i++)
        m[i] = NAN;
    for (size_t i = 0; i < n_runs; i++) {
        const SeriesTable *t = cohort_runs_series(c, runs[i]);
        const double *v = series_get(t, key);
        for (size_t j = 0; v && j < t->n; j++)
            if (t->epoch[j] >= 0 && t->epoch[j] < (double)n_epochs)
                m[i * n_epochs + (size_t)t->epoch[j]] = v[j];
    }
    return m;
}

Status cohort_runs_refresh(CohortRuns *c, char *msg)
{
    for (size_t i = 0; i < c->n; i++) {
        Status st = replay_refresh(c->runs[i].replay, msg);
        if (st)
            return st;
    }
    return find_all(c, msg);
}
