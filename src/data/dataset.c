#include "neurotop/data/dataset.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/datadir.h"
#include "neurotop/core/matrix.h"
#include "neurotop/data/idx.h"

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"
#define MNIST10K "mnist10k"
/* Longest folder path we build; longer ones are skipped or rejected. */
#define DIR_MAX 4096

static const char *const FILE_NAMES[4] = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
};

void imageset_done(ImageSet *s)
{
    if (!s)
        return;
    free(s->pixels);
    free(s->labels);
    memset(s, 0, sizeof *s);
}

Status imageset_alloc(ImageSet *s, size_t n, size_t rows, size_t cols, char *msg)
{
    memset(s, 0, sizeof *s);
    size_t total;
    if (n == 0 || rows == 0 || cols == 0)
        return status_fail(msg, ST_EINVAL, "an image set needs at least one image of at least one pixel");
    if (size_mul(n, rows, &total) != 0 || size_mul(total, cols, &total) != 0 || total > IMAGESET_MAX_BYTES)
        return status_fail(msg, ST_EINVAL, "%zu images of %zu x %zu pixels exceed the 2^31-byte limit", n,
                           rows, cols);
    s->pixels = calloc(total, 1);
    s->labels = calloc(n, 1);
    if (!s->pixels || !s->labels) {
        imageset_done(s);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu images of %zu x %zu pixels", n, rows, cols);
    }
    s->n = n;
    s->rows = rows;
    s->cols = cols;
    s->n_classes = 1;
    return ST_OK;
}

void dataset_free(Dataset *d)
{
    if (!d)
        return;
    imageset_done(&d->train);
    imageset_done(&d->test);
    free(d);
}

void imageset_item_float(const ImageSet *s, size_t i, float *out)
{
    size_t px = s->rows * s->cols;
    const uint8_t *p = s->pixels + i * px;
    for (size_t k = 0; k < px; k++)
        out[k] = (float)p[k] * (1.0f / 255.0f);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* dir/base, or dir/base.gz when only that exists; 0 when neither does. */
static int find_idx_file(const char *dir, const char *base, char *out, size_t cap)
{
    int w = snprintf(out, cap, "%s/%s", dir, base);
    if (w < 0 || (size_t)w >= cap)
        return 0;
    if (is_file(out))
        return 1;
    w = snprintf(out, cap, "%s/%s.gz", dir, base);
    return w >= 0 && (size_t)w < cap && is_file(out);
}

/* Copy src into a fixed-size field, keeping the tail when it is too long
 * (the end of a path says more than its start). */
static void copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        src += n - (cap - 4);
        snprintf(dst, cap, "...%s", src);
    } else {
        memcpy(dst, src, n + 1);
    }
}

static void folder_base_name(const char *dir, char *out, size_t cap)
{
    char tmp[DIR_MAX];
    copy_field(tmp, sizeof tmp, dir);
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    const char *slash = strrchr(tmp, '/');
    copy_field(out, cap, slash && slash[1] ? slash + 1 : tmp);
}

/* Load the four standard files of one folder into d->train / d->test. */
static Status load_folder(const char *dir, Dataset *d, char *msg)
{
    char paths[4][DIR_MAX + 64];
    for (int k = 0; k < 4; k++)
        if (!find_idx_file(dir, FILE_NAMES[k], paths[k], sizeof paths[k]))
            return status_fail(msg, ST_ENOTFOUND, "%s has no %s (raw or .gz)", dir, FILE_NAMES[k]);
    Status st = idx_read_pair(paths[0], paths[1], &d->train, msg);
    if (st != ST_OK)
        return st;
    st = idx_read_pair(paths[2], paths[3], &d->test, msg);
    if (st != ST_OK)
        return st;
    if (d->train.rows != d->test.rows || d->train.cols != d->test.cols)
        return status_fail(msg, ST_EFORMAT, "%s: training images are %zu x %zu but held-out images are %zu x %zu",
                           dir, d->train.rows, d->train.cols, d->test.rows, d->test.cols);
    size_t classes = d->train.n_classes > d->test.n_classes ? d->train.n_classes : d->test.n_classes;
    d->train.n_classes = classes;
    d->test.n_classes = classes;
    char real[PATH_MAX];
    copy_field(d->source, sizeof d->source, realpath(dir, real) ? real : dir);
    return ST_OK;
}

/* Does dir/mnist10k hold the bundled data? Writes the candidate into out. */
static int try_mnist_dir(const char *dir, char *out, size_t cap)
{
    char probe[DIR_MAX + 64];
    int w = snprintf(out, cap, "%s/" MNIST10K, dir);
    if (w < 0 || (size_t)w >= cap)
        return 0;
    return find_idx_file(out, FILE_NAMES[0], probe, sizeof probe);
}

/* The search order of dataset.h; 0 when no candidate holds the data. */
static int find_mnist10k(char *out, size_t cap)
{
    const char *env = getenv("NEUROTOP_DATA");
    if (env && *env && try_mnist_dir(env, out, cap))
        return 1;
    if (try_mnist_dir("./data", out, cap))
        return 1;
    char dirs[DATADIR_MAX][DATADIR_PATH_LEN];
    size_t nd = datadir_candidates("data", dirs, DATADIR_MAX);
    for (size_t i = 0; i < nd; i++)
        if (try_mnist_dir(dirs[i], out, cap))
            return 1;
    return 0;
}

Status dataset_open(const char *name, Dataset **out, char *msg)
{
    *out = NULL;
    if (!name || !*name)
        return status_fail(msg, ST_EINVAL, "no dataset name given: use mnist10k, fashion or a folder of MNIST IDX files");
    Dataset *d = calloc(1, sizeof *d);
    if (!d)
        return status_fail(msg, ST_ENOMEM, "out of memory opening dataset %s", name);
    Status st;
    char dir[DIR_MAX + 32];
    if (strcmp(name, MNIST10K) == 0) {
        if (!find_mnist10k(dir, sizeof dir)) {
            st = status_fail(msg, ST_ENOTFOUND,
                             "cannot find the bundled digits: no mnist10k folder in $NEUROTOP_DATA, ./data "
                             "or the data/ folders of the shipped files (set NEUROTOP_DATADIR to "
                             "the folder that holds data/mnist10k, e.g. %s)",
                             datadir_compiled());
            goto fail;
        }
        copy_field(d->name, sizeof d->name, MNIST10K);
    } else if (strcmp(name, "fashion") == 0) {
        if (!is_dir(FASHION_DIR)) {
            st = status_fail(msg, ST_ENOTFOUND,
                             "Fashion-MNIST is not installed (" FASHION_DIR
                             " is missing): install the Debian package dataset-fashion-mnist");
            goto fail;
        }
        snprintf(dir, sizeof dir, "%s", FASHION_DIR);
        copy_field(d->name, sizeof d->name, "fashion");
    } else {
        if (!is_dir(name)) {
            st = status_fail(msg, ST_ENOTFOUND,
                             "no dataset named %s: use mnist10k, fashion or a folder of MNIST IDX files", name);
            goto fail;
        }
        if (strlen(name) >= DIR_MAX) {
            st = status_fail(msg, ST_EINVAL, "dataset folder path is longer than %d bytes", DIR_MAX);
            goto fail;
        }
        snprintf(dir, sizeof dir, "%s", name);
        folder_base_name(name, d->name, sizeof d->name);
    }
    st = load_folder(dir, d, msg);
    if (st != ST_OK)
        goto fail;
    *out = d;
    return ST_OK;
fail:
    dataset_free(d);
    return st;
}
