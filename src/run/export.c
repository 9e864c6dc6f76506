#include "neurotop/run/export.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/strbuf.h"

/* %.17g must print a '.', whatever LC_NUMERIC the TUI set. */
typedef struct {
    locale_t c, old;
} CNumeric;

static void cnum_begin(CNumeric *n)
{
    n->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    n->old = n->c ? uselocale(n->c) : (locale_t)0;
}

static void cnum_end(CNumeric *n)
{
    if (n->c) {
        uselocale(n->old);
        freelocale(n->c);
    }
}

/* Write the buffer atomically, or report that building it ran out of memory. */
static Status finish(StrBuf *b, const char *path, char *msg)
{
    Status st;
    if (strbuf_failed(b))
        st = status_fail(msg, ST_ENOMEM, "out of memory exporting %s", path);
    else
        st = file_write_atomic(path, b->data ? b->data : "", b->len, msg);
    strbuf_done(b);
    return st;
}

static void put_number(StrBuf *b, double x)
{
    if (isfinite(x))
        strbuf_printf(b, "%.17g", x);
}

static void put_csv_field(StrBuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        strbuf_append(b, s);
        return;
    }
    strbuf_append(b, "\"");
    for (const char *p = s; *p; p++) {
        strbuf_append_n(b, p, 1);
        if (*p == '"')
            strbuf_append_n(b, p, 1);
    }
    strbuf_append(b, "\"");
}

Status export_series_csv(const SeriesTable *t, const char *path, char *msg)
{
    if (!t || !path)
        return status_fail(msg, ST_EINVAL, "export_series_csv needs a table and a path");
    StrBuf b;
    strbuf_init(&b);
    CNumeric cn;
    cnum_begin(&cn);
    strbuf_append(&b, "epoch");
    for (size_t k = 0; k < t->n_keys; k++) {
        strbuf_append(&b, ",");
        put_csv_field(&b, t->keys[k]);
    }
    strbuf_append(&b, "\n");
    for (size_t i = 0; i < t->n; i++) {
        put_number(&b, t->epoch[i]);
        for (size_t k = 0; k < t->n_keys; k++) {
            strbuf_append(&b, ",");
            put_number(&b, t->values[k][i]);
        }
        strbuf_append(&b, "\n");
    }
    cnum_end(&cn);
    return finish(&b, path, msg);
}

/* ---- gnuplot ---------------------------------------------------------------- */

/* Length of the folder part of a path, including its final '/' (0 if none). */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/* A gnuplot single-quoted string: quotes are doubled, nothing else is special. */
static void put_gp_string(StrBuf *b, const char *s, size_t n)
{
    strbuf_append(b, "'");
    for (size_t i = 0; i < n && s[i]; i++) {
        if (s[i] == '\'')
            strbuf_append(b, "''");
        else if (s[i] == '\n' || s[i] == '\r')
            strbuf_append(b, " ");
        else
            strbuf_append_n(b, s + i, 1);
    }
    strbuf_append(b, "'");
}

/* The settings every exported plot shares, then `data = ` the CSV's path:
 * relative to the script's folder (`here`) when the CSV is in it (its first
 * dir bytes are that folder), else as given. */
static void put_gp_data(StrBuf *b, const char *csv_path, int same_dir, size_t dir)
{
    strbuf_append(b, "set datafile separator comma\n"
                     "set key outside right top noenhanced\n"
                     "set grid\n"
                     "set xlabel 'epoch'\n"
                     "data = ");
    size_t skip = same_dir ? dir : 0;
    if (same_dir)
        strbuf_append(b, "here . ");
    put_gp_string(b, csv_path + skip, strlen(csv_path + skip));
}

static int key_column(const SeriesTable *t, const char *key)
{
    for (size_t k = 0; k < t->n_keys; k++)
        if (strcmp(t->keys[k], key) == 0)
            return (int)k + 2;
    return -1;
}

Status export_gnuplot(const SeriesTable *t, const char *const *keys, size_t n_keys,
                      const char *csv_path, const char *script_path, char *msg)
{
    if (!t || !csv_path || !script_path || (n_keys && !keys))
        return status_fail(msg, ST_EINVAL, "export_gnuplot needs a table, keys, a CSV path and a script path");
    size_t n = n_keys ? n_keys : t->n_keys;
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "there is no series to plot");
    for (size_t i = 0; i < n_keys; i++)
        if (key_column(t, keys[i]) < 0)
            return status_fail(msg, ST_ENOTFOUND, "there is no series named '%s' to plot", keys[i]);

    size_t sdir = dir_len(script_path), cdir = dir_len(csv_path);
    int same_dir = sdir == cdir && strncmp(script_path, csv_path, sdir) == 0;
    const char *sbase = script_path + sdir;
    const char *dot = strrchr(sbase, '.');
    size_t stem = dot && dot != sbase ? (size_t)(dot - sbase) : strlen(sbase);
    char svg[512];
    snprintf(svg, sizeof svg, "%.*s.svg", (int)(stem < 400 ? stem : 400), sbase);

    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "# neurotop: metric series against epoch, read from ");
    strbuf_append(&b, csv_path);
    strbuf_append(&b, "\n# `gnuplot SCRIPT` writes an SVG beside this script;\n"
                      "# `gnuplot -e \"out='x.svg'\" SCRIPT` chooses the file, and\n"
                      "# `gnuplot -e \"term='pngcairo'; out='x.png'\" SCRIPT` the format;\n"
                      "# `gnuplot -p -e \"out=''\" SCRIPT` opens a window instead.\n");
    /* ARG0 is the script's own path: its folder lets the script find the
     * CSV and place the SVG from any working directory. */
    strbuf_append(&b, "here = ''\n"
                      "if (exists(\"ARG0\")) {\n"
                      "    do for [i = strlen(ARG0):1:-1] {\n"
                      "        if (here eq '' && ARG0[i:i] eq '/') { here = ARG0[1:i] }\n"
                      "    }\n"
                      "}\n");
    strbuf_append(&b, "if (!exists(\"out\")) out = here . ");
    put_gp_string(&b, svg, strlen(svg));
    strbuf_append(&b, "\nif (!exists(\"term\")) term = \"svg size 900,520 dynamic background rgb 'white'\"\n"
                      "if (out ne '') {\n"
                      "    set terminal @term\n"
                      "    set output out\n"
                      "}\n");
    put_gp_data(&b, csv_path, same_dir, cdir);
    strbuf_append(&b, "\nplot");
    for (size_t i = 0; i < n; i++) {
        const char *key = n_keys ? keys[i] : t->keys[i];
        strbuf_printf(&b, "%s data using 1:%d skip 1 with linespoints pointsize 0.5 title ",
                      i ? ", \\\n   " : "", key_column(t, key));
        put_gp_string(&b, key, strlen(key));
    }
    strbuf_append(&b, "\n");
    return finish(&b, script_path, msg);
}

/* ---- gnuplot, one figure per group of related series ----------------------- */

#define GROUP_KEYS 6

/* Related series drawn together: keys on the left axis, keys on the right
 * axis (another unit), and min/max pairs drawn as a shaded band. A key may
 * have one '*' standing for any text ("w_*_mean"). */
typedef struct {
    const char *name, *title;
    const char *y1[GROUP_KEYS], *y1_label;
    const char *y2[GROUP_KEYS], *y2_label;
    const char *bands[GROUP_KEYS]; /* lo, hi, lo, hi, ... */
} SeriesGroup;

static const SeriesGroup GROUPS[] = {
    {"accuracy", "Held-out accuracy and loss", {"test_acc", "test_recon"}, "accuracy (fraction)",
     {"train_loss", "test_loss"}, "loss (nats)", {0}},
    {"modularity", "Modularity Q of the weight graph (band: min-max of the Louvain runs)",
     {"q_whole", "q_hidden"}, "Q", {0}, NULL, {"q_whole_min", "q_whole_max", "q_hidden_min", "q_hidden_max"}},
    {"modules", "Modules of the best Louvain partition", {"modules_whole", "modules_hidden"}, "modules", {0}, NULL,
     {0}},
    {"flexibility", "Flexibility of the hidden units' functional network", {"flex_system", "flex_q", "flex_hl*"},
     "flexibility (fraction), multilayer Q", {"flex_communities"}, "communities", {"flex_q_min", "flex_q_max"}},
    {"fc", "Functional connectivity of the hidden units", {"fc_mean", "fc_mean_abs", "fc_mean_hl*"}, "r",
     {"fc_silent"}, "silent units", {0}},
    {"fcq", "Functional modularity of the whole probe", {"fcq", "fcq_reg"}, "Q", {"fcq_modules", "fcq_reg_modules"},
     "modules", {0}},
    {"entropy", "Distribution entropy of the hidden activations", {"entropy_nats", "entropy_hl*"}, "nats",
     {"entropy_dim"}, "dimensions", {0}},
    {"activations", "Hidden activations of the probe items", {"act_mean", "act_std"}, "activation",
     {"act_skew", "act_kurt"}, "skewness, excess kurtosis", {0}},
    {"information", "Hidden-unit information IH", {"ih_*_mean"}, "bits", {0}, NULL, {0}},
    {"weights", "Weight blocks", {"w_*_mean", "w_*_std"}, "weight", {"w_*_skew"}, "skewness", {0}},
    {"familiarity", "Familiarity: rates and the plastic matrix's parameters", {"tpr", "fpr"}, "rate",
     {"lambda", "eta"}, "lambda, eta", {0}},
    {"speed", "Training speed and learning rate", {"examples_per_sec"}, "examples/s", {"lr"}, "learning rate",
     {0}},
};
#define N_GROUPS (sizeof GROUPS / sizeof GROUPS[0])

/* key against a pattern with at most one '*'. */
static int key_matches(const char *pattern, const char *key)
{
    const char *star = strchr(pattern, '*');
    if (!star)
        return strcmp(pattern, key) == 0;
    size_t pre = (size_t)(star - pattern), post = strlen(star + 1), n = strlen(key);
    return n >= pre + post && strncmp(key, pattern, pre) == 0 && strcmp(key + n - post, star + 1) == 0;
}

/* 1 when column k of t has at least one finite value. */
static int column_has_data(const SeriesTable *t, size_t k)
{
    for (size_t i = 0; i < t->n; i++)
        if (isfinite(t->values[k][i]))
            return 1;
    return 0;
}

/* Widens [lo, hi] by the finite values of column k. */
static void column_range(const SeriesTable *t, size_t k, double *lo, double *hi)
{
    for (size_t i = 0; i < t->n; i++) {
        double v = t->values[k][i];
        if (isfinite(v)) {
            *lo = v < *lo ? v : *lo;
            *hi = v > *hi ? v : *hi;
        }
    }
}

/* "set yrange" for an axis: automatic, unless every value is the same
 * (gnuplot would warn about an empty range): then ±5 % around it (±0.5 at 0). */
static void axis_range(StrBuf *b, const char *axis, double lo, double hi)
{
    if (!(lo <= hi) || hi > lo) {
        strbuf_printf(b, "set %srange [*:*]\n", axis);
        return;
    }
    double pad = lo == 0 ? 0.5 : fabs(lo) * 0.05;
    strbuf_printf(b, "set %srange [%.17g:%.17g]\n", axis, lo - pad, hi + pad);
}

/* Appends to the plot command the columns matching the patterns; returns
 * how many. used[] marks the columns plotted; *lo, *hi grow by their values. */
static size_t plot_matches(StrBuf *b, const SeriesTable *t, const char *const *patterns, const char *axes,
                           int *used, size_t plotted, double *lo, double *hi)
{
    size_t n = 0;
    for (size_t p = 0; p < GROUP_KEYS && patterns[p]; p++)
        for (size_t k = 0; k < t->n_keys; k++) {
            if (used[k] || !key_matches(patterns[p], t->keys[k]) || !column_has_data(t, k))
                continue;
            used[k] = 1;
            column_range(t, k, lo, hi);
            strbuf_printf(b, "%s data using 1:%zu skip 1 axes %s with linespoints pointsize 0.5 title ",
                          plotted + n ? ", \\\n     " : "plot", k + 2, axes);
            put_gp_string(b, t->keys[k], strlen(t->keys[k]));
            n++;
        }
    return n;
}

Status export_gnuplot_groups(const SeriesTable *t, const char *csv_path, const char *script_path,
                             size_t *n_figures, char *msg)
{
    if (n_figures)
        *n_figures = 0;
    if (!t || !csv_path || !script_path)
        return status_fail(msg, ST_EINVAL, "export_gnuplot_groups needs a table, a CSV path and a script path");
    size_t sdir = dir_len(script_path), cdir = dir_len(csv_path);
    int same_dir = sdir == cdir && strncmp(script_path, csv_path, sdir) == 0;
    const char *sbase = script_path + sdir;
    const char *dot = strrchr(sbase, '.');
    int stem = (int)(dot && dot != sbase ? (size_t)(dot - sbase) : strlen(sbase));
    if (stem > 400)
        stem = 400;
    int *used = calloc(t->n_keys ? t->n_keys : 1, sizeof *used);
    if (!used)
        return status_fail(msg, ST_ENOMEM, "out of memory for the gnuplot script");
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "# neurotop: the run's series against epoch, one figure per group of related\n"
                      "# series, read from ");
    strbuf_append(&b, csv_path);
    strbuf_printf(&b, "\n# `gnuplot SCRIPT` writes %.*s-GROUP.svg beside this script;\n"
                      "# `gnuplot -e \"ext='png'; term='pngcairo'\" SCRIPT` other files;\n"
                      "# `gnuplot -p -e \"ext=''\" SCRIPT` opens the figures in windows instead.\n",
                  stem, sbase);
    strbuf_append(&b, "here = ''\n"
                      "if (exists(\"ARG0\")) {\n"
                      "    do for [i = strlen(ARG0):1:-1] {\n"
                      "        if (here eq '' && ARG0[i:i] eq '/') { here = ARG0[1:i] }\n"
                      "    }\n"
                      "}\n"
                      "if (!exists(\"ext\")) ext = 'svg'\n"
                      "if (!exists(\"term\")) term = \"svg size 900,520 dynamic background rgb 'white'\"\n"
                      "if (ext ne '') { set terminal @term }\n");
    put_gp_data(&b, csv_path, same_dir, cdir);
    strbuf_append(&b, "\n");
    size_t figures = 0;
    for (size_t g = 0; g < N_GROUPS; g++) {
        const SeriesGroup *gr = &GROUPS[g];
        StrBuf p;
        strbuf_init(&p);
        int before[SERIES_MAX_KEYS];
        size_t nk = t->n_keys < SERIES_MAX_KEYS ? t->n_keys : SERIES_MAX_KEYS;
        for (size_t k = 0; k < nk; k++)
            before[k] = used[k];
        size_t n = 0;
        double lo1 = INFINITY, hi1 = -INFINITY, lo2 = INFINITY, hi2 = -INFINITY;
        /* Bands first, so the curves are drawn over them. */
        for (size_t i = 0; i + 1 < GROUP_KEYS && gr->bands[i]; i += 2) {
            int lo = key_column(t, gr->bands[i]), hi = key_column(t, gr->bands[i + 1]);
            if (lo < 0 || hi < 0 || !column_has_data(t, (size_t)lo - 2))
                continue;
            used[lo - 2] = used[hi - 2] = 1;
            column_range(t, (size_t)lo - 2, &lo1, &hi1);
            column_range(t, (size_t)hi - 2, &lo1, &hi1);
            strbuf_printf(&p, "%s data using 1:%d:%d skip 1 with filledcurves fs transparent solid 0.2 "
                              "notitle",
                          n ? ", \\\n     " : "plot", lo, hi);
            n++;
        }
        size_t n1 = plot_matches(&p, t, gr->y1, "x1y1", used, n, &lo1, &hi1);
        size_t n2 = plot_matches(&p, t, gr->y2, "x1y2", used, n + n1, &lo2, &hi2);
        if (n1 + n2 == 0) {
            for (size_t k = 0; k < nk; k++)
                used[k] = before[k];
            strbuf_done(&p);
            continue;
        }
        strbuf_printf(&b, "\n# %s\nif (ext ne '') { set output here . '%.*s-%s.' . ext }\nset title ", gr->name, stem,
                      sbase, gr->name);
        put_gp_string(&b, gr->title, strlen(gr->title));
        strbuf_append(&b, "\nset ylabel ");
        put_gp_string(&b, gr->y1_label, strlen(gr->y1_label));
        strbuf_append(&b, "\n");
        axis_range(&b, "y", lo1, hi1);
        if (n2) {
            strbuf_append(&b, "set y2label ");
            put_gp_string(&b, gr->y2_label, strlen(gr->y2_label));
            strbuf_append(&b, "\nset y2tics\nset ytics nomirror\n");
            axis_range(&b, "y2", lo2, hi2);
        } else {
            strbuf_append(&b, "unset y2label\nunset y2tics\nset ytics mirror\n");
        }
        strbuf_append(&b, strbuf_cstr(&p));
        strbuf_append(&b, "\n");
        strbuf_done(&p);
        figures++;
    }
    /* Columns in no group (counters, settings) stay in the CSV only. */
    int any = 0;
    for (size_t k = 0; k < t->n_keys; k++)
        if (!used[k]) {
            strbuf_append(&b, any ? ", " : "\n# not plotted (in the CSV): ");
            strbuf_append(&b, t->keys[k]);
            any = 1;
        }
    strbuf_append(&b, any ? "\n" : "");
    free(used);
    if (figures == 0) {
        strbuf_done(&b);
        return status_fail(msg, ST_EINVAL, "there is no series to plot");
    }
    if (n_figures)
        *n_figures = figures;
    return finish(&b, script_path, msg);
}

/* ---- matrices --------------------------------------------------------------- */

static Status matrix_csv(const double *vd, const float *vf, size_t rows, size_t cols,
                         const char *path, char *msg)
{
    size_t n;
    if (!path || size_mul(rows, cols, &n) || (n && !vd && !vf))
        return status_fail(msg, ST_EINVAL, "cannot export a %zu x %zu matrix to %s", rows, cols,
                           path ? path : "(no path)");
    StrBuf b;
    strbuf_init(&b);
    CNumeric cn;
    cnum_begin(&cn);
    for (size_t i = 0; i < rows && !strbuf_failed(&b); i++) {
        for (size_t j = 0; j < cols; j++) {
            if (j)
                strbuf_append(&b, ",");
            put_number(&b, vd ? vd[i * cols + j] : (double)vf[i * cols + j]);
        }
        strbuf_append(&b, "\n");
    }
    cnum_end(&cn);
    return finish(&b, path, msg);
}

Status export_matrix_csv(const double *v, size_t rows, size_t cols, const char *path, char *msg)
{
    return matrix_csv(v, NULL, rows, cols, path, msg);
}

Status export_matrix_csv_f(const float *v, size_t rows, size_t cols, const char *path, char *msg)
{
    return matrix_csv(NULL, v, rows, cols, path, msg);
}

/* ---- images ----------------------------------------------------------------- */

void export_range(const double *v, size_t n, int symmetric, double *lo, double *hi)
{
    double mn = INFINITY, mx = -INFINITY, m = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (v[i] < mn)
            mn = v[i];
        if (v[i] > mx)
            mx = v[i];
        if (fabs(v[i]) > m)
            m = fabs(v[i]);
    }
    if (symmetric) {
        *lo = m > 0 ? -m : -1.0;
        *hi = m > 0 ? m : 1.0;
        return;
    }
    if (!(mn <= mx)) {
        mn = mx = 0.0;
    }
    if (mn == mx) {
        mn -= 1.0;
        mx += 1.0;
    }
    *lo = mn;
    *hi = mx;
}

static unsigned char grey(double x, double lo, double hi)
{
    if (isnan(x))
        return 0;
    double g = floor(255.0 * (x - lo) / (hi - lo) + 0.5);
    if (!(g > 0))
        return 0;
    if (g > 255)
        return 255;
    return (unsigned char)g;
}

/* Larger images are refused: 2^28 pixels is far beyond any map neurotop draws. */
#define EXPORT_MAX_PIXELS ((size_t)1 << 28)

Status export_pgm_tiles(const double *v, size_t n_tiles, size_t rows, size_t cols, size_t per_row,
                        double lo, double hi, const char *path, char *msg)
{
    if (!path)
        return status_fail(msg, ST_EINVAL, "export_pgm needs a path");
    if (!v || n_tiles == 0 || rows == 0 || cols == 0 || per_row == 0)
        return status_fail(msg, ST_EINVAL, "cannot write %s: the image has no pixels", path);
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return status_fail(msg, ST_EINVAL, "cannot write %s: the grey range [%g, %g] is empty or not finite",
                           path, lo, hi);
    if (per_row > n_tiles)
        per_row = n_tiles;
    size_t grid_rows = (n_tiles + per_row - 1) / per_row;
    size_t w, h, pixels, tw, th;
    if (size_mul(per_row, cols + 1, &tw) || size_mul(grid_rows, rows + 1, &th) ||
        size_mul(tw - 1, th - 1, &pixels) || pixels > EXPORT_MAX_PIXELS)
        return status_fail(msg, ST_EINVAL, "cannot write %s: the image would be too large", path);
    w = tw - 1;
    h = th - 1;
    StrBuf b;
    strbuf_init(&b);
    CNumeric cn;
    cnum_begin(&cn);
    strbuf_printf(&b, "P5\n# neurotop lo=%.9g hi=%.9g\n%zu %zu\n255\n", lo, hi, w, h);
    cnum_end(&cn);
    unsigned char *img = calloc(pixels, 1);
    if (!img) {
        strbuf_done(&b);
        return status_fail(msg, ST_ENOMEM, "out of memory exporting %s", path);
    }
    for (size_t t = 0; t < n_tiles; t++) {
        size_t x0 = (t % per_row) * (cols + 1), y0 = (t / per_row) * (rows + 1);
        const double *tile = v + t * rows * cols;
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                img[(y0 + i) * w + x0 + j] = grey(tile[i * cols + j], lo, hi);
    }
    strbuf_append_n(&b, (const char *)img, pixels);
    free(img);
    return finish(&b, path, msg);
}

Status export_pgm(const double *v, size_t rows, size_t cols, double lo, double hi,
                  const char *path, char *msg)
{
    return export_pgm_tiles(v, 1, rows, cols, 1, lo, hi, path, msg);
}
