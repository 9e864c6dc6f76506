#include "neurotop/cli/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"

static const char *const KEYS[] = {"theme", "runs", "qreps", "flexreps", "fc-windows", "live-units", "save-every"};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

void config_default_path(char *out, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int w = -1;
    if (xdg && xdg[0] == '/')
        w = snprintf(out, cap, "%s/neurotop/config", xdg);
    else if (home && *home)
        w = snprintf(out, cap, "%s/.config/neurotop/config", home);
    if (w < 0 || (size_t)w >= cap)
        out[0] = '\0';
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Trim blanks at both ends in place. */
static char *trim(char *s)
{
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Check value as option --key would take it: through options_parse on
 * scratch options, so limits and messages are the command line's. */
static Status check_value(const char *key, const char *value, char *msg)
{
    char opt[CONFIG_KEY_LEN + 2], val[CONFIG_VALUE_LEN];
    snprintf(opt, sizeof opt, "--%s", key);
    snprintf(val, sizeof val, "%s", value);
    char *argv[3] = {opt, opt, val};
    RunOptions scratch;
    options_defaults(&scratch, 0);
    return options_parse(3, argv, 1, &scratch, 0, msg);
}

/* One line (no newline, NUL-terminated, writable) into *c. */
static Status parse_line(char *line, const char *file, int lineno, UserConfig *c, char *msg)
{
    /* " #" (or a tab before #) starts a comment; a value may hold '#' elsewhere. */
    for (char *p = line; *p; p++)
        if (*p == '#' && (p == line || is_blank(p[-1]))) {
            *p = '\0';
            break;
        }
    char *s = trim(line);
    if (!*s)
        return ST_OK;
    char *eq = strchr(s, '=');
    if (!eq)
        return status_fail(msg, ST_EINVAL, "%s:%d: expected 'key = value', got '%s'", file, lineno, s);
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    size_t k = 0;
    while (k < N_KEYS && strcmp(KEYS[k], key) != 0)
        k++;
    if (k == N_KEYS)
        return status_fail(msg, ST_EINVAL, "%s:%d: unknown key '%s' (the keys are %s)", file, lineno,
                           key, CONFIG_KEYS);
    if (!*value)
        return status_fail(msg, ST_EINVAL, "%s:%d: %s has no value", file, lineno, key);
    char expanded[CONFIG_VALUE_LEN];
    const char *home = getenv("HOME");
    int w = value[0] == '~' && value[1] == '/' && home && *home
                ? snprintf(expanded, sizeof expanded, "%s%s", home, value + 1)
                : snprintf(expanded, sizeof expanded, "%s", value);
    if (w < 0 || (size_t)w >= sizeof expanded)
        return status_fail(msg, ST_EINVAL, "%s:%d: the value of %s is longer than %d bytes", file,
                           lineno, key, CONFIG_VALUE_LEN - 1);
    char why[STATUS_MSG_LEN];
    if (check_value(key, expanded, why))
        return status_fail(msg, ST_EINVAL, "%s:%d: %s", file, lineno, why);
    size_t i = 0;
    while (i < c->n && strcmp(c->e[i].key, key) != 0)
        i++;
    if (i == CONFIG_MAX_ENTRIES)
        return status_fail(msg, ST_EINVAL, "%s:%d: too many settings", file, lineno);
    if (i == c->n)
        c->n++;
    snprintf(c->e[i].key, sizeof c->e[i].key, "%s", key);
    memcpy(c->e[i].value, expanded, (size_t)w + 1);
    c->e[i].line = lineno;
    return ST_OK;
}

Status config_parse(const char *text, const char *file, UserConfig *c, char *msg)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", file);
    char line[CONFIG_VALUE_LEN + CONFIG_KEY_LEN + 64];
    int lineno = 0;
    for (const char *p = text; *p;) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        Status st = ST_OK;
        if (len >= sizeof line) {
            st = status_fail(msg, ST_EINVAL, "%s:%d: the line is longer than %zu characters", file,
                             lineno, sizeof line - 1);
        } else {
            memcpy(line, p, len);
            line[len] = '\0';
            st = parse_line(line, file, lineno, c, msg);
        }
        if (st) {
            memset(c, 0, sizeof *c);
            return st;
        }
        p += len + (eol ? 1 : 0);
    }
    return ST_OK;
}

Status config_load(UserConfig *c, char *msg)
{
    memset(c, 0, sizeof *c);
    char path[CONFIG_PATH_LEN];
    config_default_path(path, sizeof path);
    struct stat sb;
    if (!path[0] || (stat(path, &sb) != 0 && errno == ENOENT))
        return ST_OK;
    char *text = NULL;
    size_t len = 0;
    char why[STATUS_MSG_LEN];
    if (file_read_all(path, CONFIG_FILE_MAX, &text, &len, why) != ST_OK)
        return status_fail(msg, ST_EINVAL, "the configuration file cannot be read: %s", why);
    Status st = memchr(text, '\0', len)
                    ? status_fail(msg, ST_EINVAL, "%s: not a text file", path)
                    : config_parse(text, path, c, msg);
    free(text);
    return st;
}

Status config_load_unless_help(int argc, char **argv, UserConfig *c, char *msg)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            memset(c, 0, sizeof *c);
            return ST_OK;
        }
    return config_load(c, msg);
}

const char *config_get(const UserConfig *c, const char *key, int *line)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->e[i].key, key) == 0) {
            if (line)
                *line = c->e[i].line;
            return c->e[i].value;
        }
    return NULL;
}

Status config_apply(UserConfig *c, RunOptions *o, char *msg)
{
    for (size_t i = 0; i < c->n; i++) {
        char opt[CONFIG_KEY_LEN + 2];
        snprintf(opt, sizeof opt, "--%s", c->e[i].key);
        /* options_parse keeps pointers to the value: give it the entry's. */
        char *argv[3] = {opt, opt, c->e[i].value};
        char why[STATUS_MSG_LEN];
        if (options_parse(3, argv, 1, o, 0, why))
            return status_fail(msg, ST_EINVAL, "%s:%d: %s", c->path, c->e[i].line, why);
    }
    return ST_OK;
}

Status config_read_run_options(int argc, char **argv, int headless, UserConfig *c, RunOptions *o, char *msg)
{
    Status st = config_load_unless_help(argc, argv, c, msg);
    if (!st)
        st = config_apply(c, o, msg);
    if (!st)
        st = options_parse(argc, argv, 1, o, headless, msg);
    if (!st && !o->help)
        st = options_finish(o, msg);
    return st;
}
