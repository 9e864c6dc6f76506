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
                      "}\n"
                      "set datafile separator comma\n"
                      "set key outside right top noenhanced\n"
                      "set grid\n"
                      "set xlabel 'epoch'\n"
                      "data = ");
    if (same_dir) {
        strbuf_append(&b, "here . ");
        put_gp_string(&b, csv_path + cdir, strlen(csv_path + cdir));
    } else {
        put_gp_string(&b, csv_path, strlen(csv_path));
    }
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
