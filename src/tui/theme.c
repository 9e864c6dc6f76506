#include "neurotop/tui/theme.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/datadir.h"
#include "neurotop/core/fileio.h"

#define THEME_FILE_MAX (64 * 1024)

static const char *const ROLE_NAMES[ROLE_COUNT] = {
#define ROLE_NAME(id, name, fg, bg, attrs, mono) [id] = name,
    ROLE_LIST(ROLE_NAME)
#undef ROLE_NAME
};

static const ThemeStyle DEFAULT_STYLES[ROLE_COUNT] = {
#define ROLE_STYLE(id, name, fg, bg, attrs, mono) [id] = {fg, bg, attrs},
    ROLE_LIST(ROLE_STYLE)
#undef ROLE_STYLE
};

static const unsigned MONO_ATTRS[ROLE_COUNT] = {
#define ROLE_MONO(id, name, fg, bg, attrs, mono) [id] = mono,
    ROLE_LIST(ROLE_MONO)
#undef ROLE_MONO
};

static const char *const COLOR_NAMES[8] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

static const struct {
    const char *name;
    unsigned bit;
} ATTR_NAMES[] = {
    {"bold", TA_BOLD}, {"dim", TA_DIM}, {"reverse", TA_REVERSE}, {"underline", TA_UNDERLINE},
    {"normal", TA_NONE},
};

const char *theme_role_name(Role role)
{
    if ((int)role < 0 || role >= ROLE_COUNT)
        return "?";
    return ROLE_NAMES[role];
}

int theme_role_from_name(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(ROLE_NAMES[i], name) == 0)
            return i;
    return -1;
}

int theme_color_from_name(const char *word, int *out)
{
    if (strcmp(word, "default") == 0) {
        *out = TC_DEFAULT;
        return 0;
    }
    if (word[0] >= '0' && word[0] <= '9') {
        size_t n = strlen(word);
        if (n > 3 || strspn(word, "0123456789") != n)
            return -1;
        int v = atoi(word);
        if (v > 255)
            return -1;
        *out = v;
        return 0;
    }
    const char *base = word;
    int bright = 0;
    if (strncmp(word, "bright-", 7) == 0) {
        base = word + 7;
        bright = 1;
    } else if (strncmp(word, "bright", 6) == 0) {
        base = word + 6;
        bright = 1;
    }
    for (int i = 0; i < 8; i++) {
        if (strcmp(base, COLOR_NAMES[i]) == 0) {
            *out = i + (bright ? TC_BRIGHT : 0);
            return 0;
        }
    }
    return -1;
}

static void set_name(Theme *t, const char *name, const char *path)
{
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->path, sizeof t->path, "%s", path);
}

void theme_init_default(Theme *t)
{
    memset(t, 0, sizeof *t);
    set_name(t, "default", "");
    memcpy(t->style, DEFAULT_STYLES, sizeof t->style);
    t->mono = 0;
}

void theme_make_mono(Theme *t)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        t->style[i].fg = TC_DEFAULT;
        t->style[i].bg = TC_DEFAULT;
        t->style[i].attrs = MONO_ATTRS[i];
    }
    t->mono = 1;
}

void theme_init_mono(Theme *t)
{
    memset(t, 0, sizeof *t);
    set_name(t, "mono", "");
    theme_make_mono(t);
}

int theme_no_color_env(void)
{
    const char *v = getenv("NO_COLOR");
    return v && *v;
}

int theme_apply_env(Theme *t, int has_colors)
{
    if (theme_no_color_env() || !has_colors)
        theme_make_mono(t);
    return t->mono;
}

/* ---- parsing ---- */

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Split a line (modified in place) into at most max words. */
static size_t split_words(char *line, char **words, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        words[n++] = p;
        while (*p && !is_space(*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static int no_colors(const ThemeStyle *style)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (style[i].fg != TC_DEFAULT || style[i].bg != TC_DEFAULT)
            return 0;
    return 1;
}

/* "themes/gruvbox-dark.theme" -> "gruvbox-dark" */
static void name_from_path(const char *path, char *name, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    const char *ext = ".theme";
    size_t el = strlen(ext);
    if (len > el && strcmp(base + len - el, ext) == 0)
        len -= el;
    if (len >= cap)
        len = cap - 1;
    memcpy(name, base, len);
    name[len] = '\0';
}

#define MAX_WORDS 12

Status theme_parse(const char *text, const char *file, Theme *t, char *msg)
{
    Theme work;
    theme_init_default(&work);
    name_from_path(file, work.name, sizeof work.name);
    snprintf(work.path, sizeof work.path, "%s", file);
    char line[512];
    int lineno = 0;
    const char *p = text;
    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len >= sizeof line)
            return status_fail(msg, ST_EFORMAT, "%s:%d: line is longer than %zu characters",
                               file, lineno, sizeof line - 1);
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol ? 1 : 0);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *w[MAX_WORDS];
        size_t nw = split_words(line, w, MAX_WORDS);
        if (nw == 0)
            continue;
        if (nw > MAX_WORDS)
            return status_fail(msg, ST_EFORMAT, "%s:%d: too many words", file, lineno);
        if (strcmp(w[0], "color") != 0 && strcmp(w[0], "colour") != 0)
            return status_fail(msg, ST_EFORMAT,
                               "%s:%d: unknown keyword '%s' (expected 'color ROLE FG BG [ATTRS]')",
                               file, lineno, w[0]);
        if (nw < 4)
            return status_fail(msg, ST_EFORMAT,
                               "%s:%d: expected 'color ROLE FG BG [ATTRS]'", file, lineno);
        int role = theme_role_from_name(w[1]);
        if (role < 0)
            return status_fail(msg, ST_EFORMAT, "%s:%d: unknown role '%s'", file, lineno, w[1]);
        ThemeStyle st = {TC_DEFAULT, TC_DEFAULT, TA_NONE};
        if (theme_color_from_name(w[2], &st.fg) != 0)
            return status_fail(msg, ST_EFORMAT, "%s:%d: unknown colour '%s'", file, lineno, w[2]);
        if (theme_color_from_name(w[3], &st.bg) != 0)
            return status_fail(msg, ST_EFORMAT, "%s:%d: unknown colour '%s'", file, lineno, w[3]);
        for (size_t i = 4; i < nw; i++) {
            size_t k = 0, na = sizeof ATTR_NAMES / sizeof ATTR_NAMES[0];
            while (k < na && strcmp(ATTR_NAMES[k].name, w[i]) != 0)
                k++;
            if (k == na)
                return status_fail(msg, ST_EFORMAT, "%s:%d: unknown attribute '%s'", file,
                                   lineno, w[i]);
            st.attrs |= ATTR_NAMES[k].bit;
        }
        work.style[role] = st;
    }
    work.mono = no_colors(work.style);
    *t = work;
    return ST_OK;
}

Status theme_load_file(const char *path, Theme *t, char *msg)
{
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, THEME_FILE_MAX, &text, &len, msg);
    if (st != ST_OK)
        return st;
    Theme work;
    if (memchr(text, '\0', len))
        st = status_fail(msg, ST_EFORMAT, "%s: not a text file", path);
    else
        st = theme_parse(text, path, &work, msg);
    free(text);
    if (st == ST_OK)
        *t = work;
    return st;
}

/* ---- search ---- */

static int add_dir(char dirs[][THEME_PATH_LEN], size_t *n, size_t max, const char *a,
                   const char *b)
{
    if (*n >= max)
        return 0;
    int len = snprintf(dirs[*n], THEME_PATH_LEN, "%s%s", a, b);
    if (len < 0 || len >= THEME_PATH_LEN)
        return 0;
    (*n)++;
    return 1;
}

size_t theme_search_dirs(char dirs[][THEME_PATH_LEN], size_t max)
{
    size_t n = 0;
    add_dir(dirs, &n, max, "./themes", "");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    /* The XDG spec says relative values are to be ignored. */
    if (xdg && xdg[0] == '/')
        add_dir(dirs, &n, max, xdg, "/neurotop/themes");
    else if (home && *home)
        add_dir(dirs, &n, max, home, "/.config/neurotop/themes");
    /* The shipped themes: the search order of core/datadir.h. */
    char shipped[DATADIR_MAX][DATADIR_PATH_LEN];
    size_t ns = datadir_candidates("themes", shipped, DATADIR_MAX);
    for (size_t i = 0; i < ns; i++)
        add_dir(dirs, &n, max, shipped[i], "");
    return n;
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Names are file names, not paths: keep them to a safe alphabet. */
static int name_is_plain(const char *name)
{
    if (!name[0] || name[0] == '.' || strlen(name) >= THEME_NAME_LEN)
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
           strlen(name);
}

Status theme_load_named(const char *name, Theme *t, char *msg)
{
    if (strchr(name, '/'))
        return theme_load_file(name, t, msg);
    if (!name_is_plain(name))
        return status_fail(msg, ST_EINVAL, "theme name '%s' is not valid (letters, digits, . _ -)",
                           name);
    char dirs[THEME_MAX_DIRS][THEME_PATH_LEN];
    size_t nd = theme_search_dirs(dirs, THEME_MAX_DIRS);
    for (size_t i = 0; i < nd; i++) {
        char path[THEME_PATH_LEN + THEME_NAME_LEN + 8];
        snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
        if (file_exists(path))
            return theme_load_file(path, t, msg);
    }
    if (strcmp(name, "default") == 0) {
        theme_init_default(t);
        return ST_OK;
    }
    if (strcmp(name, "mono") == 0) {
        theme_init_mono(t);
        return ST_OK;
    }
    char where[THEME_MAX_DIRS * 64 + 8] = "";
    for (size_t i = 0; i < nd; i++) {
        size_t used = strlen(where);
        snprintf(where + used, sizeof where - used, "%s%.60s", i ? ", " : "", dirs[i]);
    }
    return status_fail(msg, ST_ENOTFOUND, "theme '%s' not found (looked in %s)", name, where);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void add_name(char names[][THEME_NAME_LEN], size_t *n, size_t max, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return;
    if (*n < max && strlen(name) < THEME_NAME_LEN)
        snprintf(names[(*n)++], THEME_NAME_LEN, "%s", name);
}

size_t theme_list_names(char names[][THEME_NAME_LEN], size_t max)
{
    size_t n = 0;
    add_name(names, &n, max, "default");
    add_name(names, &n, max, "mono");
    char dirs[THEME_MAX_DIRS][THEME_PATH_LEN];
    size_t nd = theme_search_dirs(dirs, THEME_MAX_DIRS);
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0)
                continue;
            char name[THEME_NAME_LEN];
            name_from_path(e->d_name, name, sizeof name);
            if (name_is_plain(name))
                add_name(names, &n, max, name);
        }
        closedir(d);
    }
    qsort(names, n, THEME_NAME_LEN, cmp_names);
    return n;
}

/* ---- colour fallback ---- */

/* Approximate RGB (0..255) of xterm colour c (16..255). */
static void xterm_rgb(int c, int rgb[3])
{
    if (c >= 232) {
        int v = 8 + 10 * (c - 232);
        rgb[0] = rgb[1] = rgb[2] = v;
        return;
    }
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    c -= 16;
    rgb[0] = level[c / 36];
    rgb[1] = level[(c / 6) % 6];
    rgb[2] = level[c % 6];
}

int theme_color_fallback(int color, int ncolors, int background)
{
    if (color < 0 || ncolors <= 0)
        return TC_DEFAULT;
    if (color < ncolors)
        return color;
    if (color < 16)
        return color - 8;
    if (background)
        return TC_DEFAULT;
    /* Nearest basic colour by squared RGB distance, using the usual
     * xterm values of the 16 basic colours. */
    static const int basic[16][3] = {
        {0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
        {0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
        {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
    };
    int rgb[3];
    xterm_rgb(color, rgb);
    int limit = ncolors >= 16 ? 16 : 8;
    int best = 0;
    long best_d = LONG_MAX;
    for (int i = 0; i < limit; i++) {
        long d = 0;
        for (int k = 0; k < 3; k++) {
            long diff = rgb[k] - basic[i][k];
            d += diff * diff;
        }
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}
