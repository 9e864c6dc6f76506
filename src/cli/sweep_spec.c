/* Sweep files: parsing, expansion into tasks, and the check of every value
 * against the `neurotop train` option parser (sweep.h). */
#include "neurotop/cli/sweep.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/options.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/numparse.h"
#include "neurotop/core/sanitize.h"

/* Keys a sweep sets itself (or that make no sense for a headless task). */
static const char *const RESERVED[] = {"headless", "resume", "instances", "jobs", "log", "theme", "paused",
                                       "help", "h"};

void sweep_spec_free(SweepSpec *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->n_axes; k++) {
        for (size_t v = 0; v < s->axes[k].n_values; v++)
            free(s->axes[k].values[v]);
        free(s->axes[k].values);
    }
    free(s->runs);
    free(s);
}

static char *trim(char *a, char *end)
{
    while (a < end && isspace((unsigned char)*a))
        a++;
    while (end > a && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    return a;
}

static Status push_value(SweepAxis *ax, const char *v, size_t len, const char *file, int line, char *msg)
{
    if (ax->n_values >= SWEEP_MAX_VALUES)
        return status_fail(msg, ST_EINVAL, "%s:%d: more than %d values for %s", file, line, SWEEP_MAX_VALUES,
                           ax->key);
    if ((ax->n_values & (ax->n_values - 1)) == 0) {
        size_t cap = ax->n_values ? 2 * ax->n_values : 1;
        char **grown = realloc(ax->values, cap * sizeof *grown);
        if (!grown)
            return status_fail(msg, ST_ENOMEM, "out of memory reading %s", file);
        ax->values = grown;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", file);
    memcpy(copy, v, len);
    copy[len] = '\0';
    ax->values[ax->n_values++] = copy;
    return ST_OK;
}

/* "[a, "b,c", d]": items separated by commas, each trimmed, quotes kept
 * out; an empty item or list is an error. */
static Status parse_list(char *v, SweepAxis *ax, const char *file, int line, char *msg)
{
    size_t n = strlen(v);
    if (n < 2 || v[n - 1] != ']')
        return status_fail(msg, ST_EFORMAT, "%s:%d: a list starts with '[' and ends with ']'", file, line);
    char *p = v + 1, *end = v + n - 1;
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        char *item, *item_end;
        if (p < end && *p == '"') {
            item = ++p;
            while (p < end && *p != '"')
                p++;
            if (p == end)
                return status_fail(msg, ST_EFORMAT, "%s:%d: a quoted item has no closing '\"'", file, line);
            item_end = p++;
            while (p < end && isspace((unsigned char)*p))
                p++;
            if (p < end && *p != ',')
                return status_fail(msg, ST_EFORMAT, "%s:%d: a comma must follow a quoted item", file, line);
        } else {
            item = p;
            while (p < end && *p != ',')
                p++;
            item_end = p;
            while (item_end > item && isspace((unsigned char)item_end[-1]))
                item_end--;
        }
        if (item_end == item)
            return status_fail(msg, ST_EFORMAT, "%s:%d: an empty item in the list of %s", file, line, ax->key);
        Status st = push_value(ax, item, (size_t)(item_end - item), file, line, msg);
        if (st)
            return st;
        if (p >= end)
            return ST_OK;
        p++; /* the comma */
    }
}

/* "A..B", whole numbers, A <= B; 0 when v is no range. */
static int is_range(const char *v)
{
    const char *dots = strstr(v, "..");
    if (!dots || dots == v || !dots[2])
        return 0;
    for (const char *c = v; *c; c++)
        if (!isdigit((unsigned char)*c) && c != dots && c != dots + 1)
            return 0;
    return 1;
}

static Status parse_range(const char *v, SweepAxis *ax, const char *file, int line, char *msg)
{
    char lo_text[32], what[64];
    const char *dots = strstr(v, "..");
    size_t n = (size_t)(dots - v);
    if (n >= sizeof lo_text || strlen(dots + 2) >= sizeof lo_text)
        return status_fail(msg, ST_EINVAL, "%s:%d: the range of %s has too long an end", file, line, ax->key);
    memcpy(lo_text, v, n);
    lo_text[n] = '\0';
    snprintf(what, sizeof what, "%s:%d: the start of the range", file, line);
    uint64_t lo, hi;
    Status st = num_parse_u64(lo_text, 0, UINT64_MAX / 4, what, &lo, msg);
    if (st)
        return st;
    snprintf(what, sizeof what, "%s:%d: the end of the range", file, line);
    if ((st = num_parse_u64(dots + 2, lo, UINT64_MAX / 4, what, &hi, msg)))
        return st;
    if (hi - lo >= SWEEP_MAX_VALUES)
        return status_fail(msg, ST_EINVAL, "%s:%d: the range %s holds more than %d values", file, line, v,
                           SWEEP_MAX_VALUES);
    for (uint64_t x = lo; x <= hi; x++) {
        char num[32];
        int len = snprintf(num, sizeof num, "%" PRIu64, x);
        if ((st = push_value(ax, num, (size_t)len, file, line, msg)))
            return st;
    }
    return ST_OK;
}

static int key_ok(const char *k)
{
    if (!islower((unsigned char)k[0]))
        return 0;
    for (const char *c = k; *c; c++)
        if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '-')
            return 0;
    return 1;
}

/* One "key = value" line (NUL-terminated, comment removed). */
static Status parse_line(SweepSpec *s, char *text, const char *file, int line, char *msg)
{
    char *eq = strchr(text, '=');
    if (!eq)
        return status_fail(msg, ST_EFORMAT, "%s:%d: expected 'key = value'", file, line);
    char *key = trim(text, eq), *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
    char shown[3 * SWEEP_KEY_LEN];
    text_sanitize(key, shown, sizeof shown);
    if (!key[0])
        return status_fail(msg, ST_EFORMAT, "%s:%d: a key is missing before '='", file, line);
    if (strlen(key) >= SWEEP_KEY_LEN || !key_ok(key))
        return status_fail(msg, ST_EFORMAT,
                           "%s:%d: '%s' is not a key (an option of neurotop train without its dashes, "
                           "like lr or task-delay)",
                           file, line, shown);
    if (!value[0])
        return status_fail(msg, ST_EFORMAT, "%s:%d: %s has no value", file, line, key);
    for (size_t i = 0; i < sizeof RESERVED / sizeof RESERVED[0]; i++)
        if (strcmp(key, RESERVED[i]) == 0)
            return status_fail(msg, ST_EINVAL, "%s:%d: %s cannot be set in a sweep (every task runs headless, "
                               "one process each, and resumes by itself)", file, line, key);
    if (strcmp(key, "name") == 0 || strcmp(key, "runs") == 0) {
        if (value[0] == '[' || is_range(value))
            return status_fail(msg, ST_EINVAL, "%s:%d: %s takes one value", file, line, key);
        if (!text_is_clean(value))
            return status_fail(msg, ST_EINVAL, "%s:%d: %s holds control characters", file, line, key);
        if (key[0] == 'n') {
            for (const char *c = value; *c; c++)
                if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
                    return status_fail(msg, ST_EINVAL, "%s:%d: a name holds only letters, digits, '-', '_' and '.'",
                                       file, line);
            if (strlen(value) >= sizeof s->name)
                return status_fail(msg, ST_EINVAL, "%s:%d: the name is too long", file, line);
            snprintf(s->name, sizeof s->name, "%s", value);
        } else {
            free(s->runs);
            if (!(s->runs = strdup(value)))
                return status_fail(msg, ST_ENOMEM, "out of memory reading %s", file);
        }
        return ST_OK;
    }
    for (size_t k = 0; k < s->n_axes; k++)
        if (strcmp(s->axes[k].key, key) == 0)
            return status_fail(msg, ST_EINVAL, "%s:%d: %s is set twice (first on line %d)", file, line, key,
                               s->axes[k].line);
    if (s->n_axes == SWEEP_MAX_KEYS)
        return status_fail(msg, ST_EINVAL, "%s:%d: more than %d keys", file, line, SWEEP_MAX_KEYS);
    SweepAxis *ax = &s->axes[s->n_axes++];
    snprintf(ax->key, sizeof ax->key, "%s", key);
    ax->line = line;
    if (value[0] == '[')
        return parse_list(value, ax, file, line, msg);
    if (is_range(value))
        return parse_range(value, ax, file, line, msg);
    if (value[0] == '"') {
        size_t n = strlen(value);
        if (n < 2 || value[n - 1] != '"')
            return status_fail(msg, ST_EFORMAT, "%s:%d: a quoted value has no closing '\"'", file, line);
        return push_value(ax, value + 1, n - 2, file, line, msg);
    }
    return push_value(ax, value, strlen(value), file, line, msg);
}

Status sweep_spec_parse(const char *text, size_t len, const char *file, SweepSpec **out, char *msg)
{
    *out = NULL;
    if (len > SWEEP_SPEC_MAX_BYTES)
        return status_fail(msg, ST_EINVAL, "%s is larger than %d bytes", file, SWEEP_SPEC_MAX_BYTES);
    if (memchr(text, '\0', len))
        return status_fail(msg, ST_EFORMAT, "%s holds a NUL byte: not a sweep file", file);
    SweepSpec *s = calloc(1, sizeof *s);
    char *buf = malloc(len + 1);
    if (!s || !buf) {
        free(s);
        free(buf);
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", file);
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    /* A byte-order mark at the start is invisible in editors: skip it. */
    char *p = buf + (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
    Status st = ST_OK;
    for (int line = 1; *p && !st; line++) {
        char *nl = strchr(p, '\n');
        char *end = nl ? nl : p + strlen(p);
        char *next = nl ? nl + 1 : end;
        *end = '\0';
        /* A comment starts with a '#' at the start of the line or after a
         * blank, outside quotes (as in the configuration file). */
        char *hash = NULL;
        int quoted = 0;
        for (char *c = p; *c && !hash; c++) {
            if (*c == '"')
                quoted = !quoted;
            else if (*c == '#' && !quoted && (c == p || c[-1] == ' ' || c[-1] == '\t'))
                hash = c;
        }
        char *content = trim(p, hash ? hash : end);
        if (content[0])
            st = parse_line(s, content, file, line, msg);
        p = next;
    }
    free(buf);
    if (!st && s->n_axes == 0)
        st = status_fail(msg, ST_EINVAL, "%s sets no option: nothing to sweep", file);
    if (!st) {
        s->n_tasks = 1;
        for (size_t k = 0; k < s->n_axes && !st; k++) {
            if (s->n_tasks > SWEEP_MAX_TASKS / s->axes[k].n_values)
                st = status_fail(msg, ST_EINVAL, "%s expands to more than %d tasks (line %d)", file,
                                 SWEEP_MAX_TASKS, s->axes[k].line);
            s->n_tasks *= s->axes[k].n_values;
        }
    }
    if (!st && !s->name[0])
        snprintf(s->name, sizeof s->name, "sweep");
    if (st) {
        sweep_spec_free(s);
        return st;
    }
    *out = s;
    return ST_OK;
}

Status sweep_spec_load(const char *path, SweepSpec **out, char *msg)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, SWEEP_SPEC_MAX_BYTES, &text, &len, msg);
    if (st)
        return st;
    st = sweep_spec_parse(text, len, path, out, msg);
    free(text);
    if (st || strcmp((*out)->name, "sweep") != 0)
        return st;
    /* No name in the file: its base name without the extension, when that
     * is a valid name. */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strcspn(base, ".");
    int ok = n > 0 && n < sizeof (*out)->name;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)base[i]) || base[i] == '-' || base[i] == '_';
    if (ok)
        snprintf((*out)->name, sizeof (*out)->name, "%.*s", (int)n, base);
    return ST_OK;
}

void sweep_task_values(const SweepSpec *s, size_t task, size_t *idx)
{
    for (size_t k = s->n_axes; k-- > 0;) {
        idx[k] = task % s->axes[k].n_values;
        task /= s->axes[k].n_values;
    }
}

size_t sweep_task_args(const SweepSpec *s, size_t task, const char **argv, size_t cap)
{
    static char dashed[SWEEP_MAX_KEYS][SWEEP_KEY_LEN + 2];
    size_t idx[SWEEP_MAX_KEYS], n = 0;
    sweep_task_values(s, task, idx);
    for (size_t k = 0; k < s->n_axes && n + 2 <= cap; k++) {
        snprintf(dashed[k], sizeof dashed[k], "--%s", s->axes[k].key);
        argv[n++] = dashed[k];
        argv[n++] = s->axes[k].values[idx[k]];
    }
    return n;
}

void sweep_task_label(const SweepSpec *s, size_t task, char *buf, size_t cap)
{
    size_t idx[SWEEP_MAX_KEYS], o = 0;
    sweep_task_values(s, task, idx);
    buf[0] = '\0';
    for (size_t k = 0; k < s->n_axes && o < cap; k++)
        if (s->axes[k].n_values > 1)
            o += (size_t)snprintf(buf + o, cap - o, "%s%s=%s", o ? " " : "", s->axes[k].key,
                                  s->axes[k].values[idx[k]]);
}

char **sweep_argv_dup(const char *const *words, size_t n)
{
    size_t bytes = (n + 1) * sizeof(char *);
    for (size_t i = 0; i < n; i++)
        bytes += strlen(words[i]) + 1;
    char **v = malloc(bytes);
    if (!v)
        return NULL;
    char *p = (char *)(v + n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(words[i]) + 1;
        memcpy(p, words[i], len);
        v[i] = p;
        p += len;
    }
    v[n] = NULL;
    return v;
}

/* Parse the words (after "train") as a headless run; finish too when asked. */
static Status try_options(int argc, const char *const *words, int finish, char *msg)
{
    char **argv = sweep_argv_dup(words, (size_t)argc);
    if (!argv)
        return status_fail(msg, ST_ENOMEM, "out of memory checking the sweep");
    RunOptions o;
    options_defaults(&o, 20);
    Status st = options_parse(argc, argv, 1, &o, 1, msg);
    if (!st && finish)
        st = options_finish(&o, msg);
    free(argv);
    return st;
}

Status sweep_spec_check(const SweepSpec *s, const char *file, char *msg)
{
    char why[STATUS_MSG_LEN];
    for (size_t k = 0; k < s->n_axes; k++) {
        char dashed[SWEEP_KEY_LEN + 2];
        snprintf(dashed, sizeof dashed, "--%s", s->axes[k].key);
        for (size_t v = 0; v < s->axes[k].n_values; v++) {
            const char *argv[4] = {"train", "--headless", dashed, s->axes[k].values[v]};
            if (try_options(4, argv, 0, why))
                return status_fail(msg, ST_EINVAL, "%s:%d: %s", file, s->axes[k].line, why);
        }
    }
    const char *argv[2 + 2 * SWEEP_MAX_KEYS] = {"train", "--headless"};
    for (size_t t = 0; t < s->n_tasks; t++) {
        size_t n = sweep_task_args(s, t, argv + 2, 2 * SWEEP_MAX_KEYS);
        if (try_options((int)n + 2, argv, 1, why)) {
            char label[256];
            sweep_task_label(s, t, label, sizeof label);
            return status_fail(msg, ST_EINVAL, "%s: task %zu%s%s%s: %s", file, t, label[0] ? " (" : "", label,
                               label[0] ? ")" : "", why);
        }
    }
    return ST_OK;
}
