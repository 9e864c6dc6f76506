/* Shared test fixtures (support.h): folders, files, toy data, matrices,
 * canvases and golden files. The trained fixtures of the model kinds and the
 * recorded toy run are in support_models.c. */
#include "support.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"

/* ---- temporary folders ---- */

void support_tmpdir_make(const char *tag, char *path, size_t cap)
{
    int n = snprintf(path, cap, "/tmp/neurotop-%s-XXXXXX", tag);
    cr_assert(n > 0 && (size_t)n < cap, "the folder name for '%s' does not fit in %zu bytes", tag, cap);
    cr_assert_not_null(mkdtemp(path), "cannot make a temporary folder %s", path);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void support_tmpdir_remove(const char *path)
{
    /* Depth first, so every folder is empty when its turn comes; links are
     * removed, never followed. */
    cr_assert_eq(nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0, "cannot remove %s", path);
}

static char tmp_dir[64];

void support_tmp_init(void)
{
    support_tmpdir_make("test", tmp_dir, sizeof tmp_dir);
}

void support_tmp_fini(void)
{
    if (tmp_dir[0])
        support_tmpdir_remove(tmp_dir);
    tmp_dir[0] = '\0';
}

const char *support_tmp(void)
{
    cr_assert(tmp_dir[0], "support_tmp_init was not called");
    return tmp_dir;
}

const char *support_tmp_path(const char *name)
{
    static char buf[4][256];
    static unsigned next;
    char *p = buf[next++ % 4];
    int n = snprintf(p, sizeof buf[0], "%s/%s", support_tmp(), name);
    cr_assert(n > 0 && (size_t)n < sizeof buf[0], "path of %s is too long", name);
    return p;
}

/* ---- files ---- */

char *support_read_file(const char *path, size_t *len)
{
    char *data = NULL, msg[STATUS_MSG_LEN];
    size_t n = 0;
    cr_assert_eq(file_read_all(path, (size_t)1 << 24, &data, &n, msg), ST_OK, "%s", msg);
    if (len)
        *len = n;
    return data;
}

void support_write_file(const char *path, const char *text, size_t len)
{
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(file_write_atomic(path, text, len, msg), ST_OK, "%s", msg);
}

/* ---- toy image sets ---- */

void support_toy_images(ImageSet *s, size_t n)
{
    char msg[STATUS_MSG_LEN];
    cr_assert(n <= 100, "toy sets hold at most 100 items");
    cr_assert_eq(imageset_alloc(s, n, 2, 2, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = s->pixels + i * 4;
        int c = (int)(i % 2);
        uint8_t on = (uint8_t)(230 - i), off = (uint8_t)(20 + i);
        p[0] = p[1] = c ? off : on;
        p[2] = p[3] = c ? on : off;
        s->labels[i] = (uint8_t)c;
    }
    s->n_classes = 2;
}

void support_toy_dataset(Dataset *d, size_t n_train, size_t n_test)
{
    memset(d, 0, sizeof *d);
    support_toy_images(&d->train, n_train);
    support_toy_images(&d->test, n_test);
    snprintf(d->name, sizeof d->name, "toy");
    snprintf(d->source, sizeof d->source, "tests/support");
}

void support_dataset_done(Dataset *d)
{
    imageset_done(&d->train);
    imageset_done(&d->test);
}

/* ---- small matrices ---- */

Matrix *support_karate(void)
{
    Matrix *a = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(csv_read_matrix("tests/fixtures/karate.csv", &a, msg), ST_OK, "%s", msg);
    cr_assert(a->rows == 34 && a->cols == 34, "karate.csv is %zu × %zu", a->rows, a->cols);
    return a;
}

const int SUPPORT_KARATE_OPT[34] = {1, 1, 1, 1, 2, 2, 2, 1, 3, 3, 2, 1, 1, 1, 3, 3, 2,
                                   1, 3, 1, 3, 1, 3, 4, 4, 4, 3, 4, 4, 3, 3, 4, 3, 3};

Matrix *support_karate_modularity(double gamma)
{
    Matrix *a = support_karate();
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(modmat_build(a, gamma, MOD_SIGN_NONE, a, NULL, msg), ST_OK, "%s", msg);
    return a;
}

Matrix *support_matrix_from(const double *v, size_t rows, size_t cols)
{
    Matrix *m = matrix_new(rows, cols);
    cr_assert_not_null(m);
    if (rows > 0 && cols > 0)
        memcpy(m->data, v, rows * cols * sizeof(double));
    return m;
}

Matrix *support_planted(Rng *rng, size_t n, size_t blocks)
{
    Matrix *a = matrix_new(n, n);
    cr_assert_not_null(a);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double w = 2 * rng_uniform(rng) - 1;
            if (i % blocks == j % blocks)
                w += 0.6;
            MAT_AT(a, i, j) = i == j ? 0 : w;
        }
    return a;
}

/* Rows row..n-1 given the columns already taken (bit mask). */
static double assign_rest(const double *cost, int n, int row, unsigned taken)
{
    if (row == n)
        return 0.0;
    double best = INFINITY;
    for (int j = 0; j < n; j++)
        if (!(taken & (1u << j)))
            best = fmin(best, cost[row * n + j] + assign_rest(cost, n, row + 1, taken | (1u << j)));
    return best;
}

double support_assignment_brute(const double *cost, int n)
{
    cr_assert(n >= 1 && n <= 10, "brute force is for 1 to 10 rows, not %d", n);
    return assign_rest(cost, n, 0, 0);
}

/* ---- canvases and golden files ---- */

Canvas *support_canvas(int w, int h, int unicode)
{
    Canvas *c = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_new(w, h, unicode, &c, msg), ST_OK, "%s", msg);
    return c;
}

void support_expect_dump(const Canvas *c, const char *want)
{
    StrBuf b;
    strbuf_init(&b);
    canvas_dump(c, &b);
    cr_assert_str_eq(strbuf_cstr(&b), want);
    strbuf_done(&b);
}

int support_golden_updating(void)
{
    const char *v = getenv("NEUROTOP_UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

/* Length of the line starting at s (without its '\n'). */
static size_t line_len(const char *s)
{
    const char *e = strchr(s, '\n');
    return e ? (size_t)(e - s) : strlen(s);
}

int support_golden_check(const char *path, const char *got, char *why, size_t cap)
{
    char msg[STATUS_MSG_LEN];
    if (support_golden_updating()) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            cr_assert_eq(file_make_dirs(dir, msg), ST_OK, "%s", msg);
        }
        cr_assert_eq(file_write_atomic(path, got, strlen(got), msg), ST_OK, "%s", msg);
        return 1;
    }
    char *want = NULL;
    size_t len = 0;
    if (file_read_all(path, (size_t)1 << 22, &want, &len, msg) != ST_OK) {
        snprintf(why, cap, "%s (NEUROTOP_UPDATE_GOLDEN=1 writes the golden file)", msg);
        return 0;
    }
    int same = strcmp(want, got) == 0;
    if (!same) {
        const char *a = want, *b = got;
        size_t line = 1;
        for (;;) {
            size_t la = line_len(a), lb = line_len(b);
            int a_end = a[la] == '\0', b_end = b[lb] == '\0';
            if (la != lb || memcmp(a, b, la) != 0 || a_end != b_end || a_end)
                break;
            a += la + 1;
            b += lb + 1;
            line++;
        }
        snprintf(why, cap,
                 "%s differs from line %zu on (NEUROTOP_UPDATE_GOLDEN=1 rewrites it):\n"
                 "  expected: %s%.*s%s\n  got:      %s%.*s%s",
                 path, line, *a ? "\"" : "", (int)line_len(a), a, *a ? "\"" : "(end of file)", *b ? "\"" : "",
                 (int)line_len(b), b, *b ? "\"" : "(end of output)");
    }
    free(want);
    return same;
}

void support_golden_assert(const char *path, const char *got)
{
    char why[1024];
    int ok = support_golden_check(path, got, why, sizeof why);
    cr_assert(ok, "%s", why);
}

void support_golden_canvas(const Canvas *c, const char *name)
{
    StrBuf b;
    strbuf_init(&b);
    canvas_dump(c, &b);
    char path[256];
    snprintf(path, sizeof path, "tests/golden/%s.txt", name);
    support_golden_assert(path, strbuf_cstr(&b));
    strbuf_done(&b);
}

/* ---- skipped tests ---- */

/* Criterion names a skipped test only at --verbose, and its summary line
 * leaves skips out: name every cr_skip_test with its reason, and count them,
 * so a test that cannot run here is seen (filtered-out tests are not skips). */
static size_t skipped;

ReportHook(POST_TEST)(struct criterion_test_stats *stats)
{
    if (stats->test_status != CR_STATUS_SKIPPED || (stats->test->data && stats->test->data->disabled))
        return;
    skipped++;
    fprintf(stderr, "SKIP: %s::%s: %s\n", stats->test->category, stats->test->name,
            stats->message ? stats->message : "no reason given");
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    (void)stats;
    if (skipped)
        fprintf(stderr, "%zu test%s skipped\n", skipped, skipped == 1 ? "" : "s");
}
