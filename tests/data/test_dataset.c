#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/data/dataset.h"
#include "neurotop/data/idx.h"
#include "support/support.h"

static char msg[STATUS_MSG_LEN];

static void setup(void)
{
    support_tmp_init();
    msg[0] = '\0';
    /* Tests run in forked processes: changing the environment is local. */
    unsetenv("NEUROTOP_DATA");
}

TestSuite(dataset, .init = setup, .fini = support_tmp_fini);

/* Write one split (images + labels) of n rows×cols images into dir;
 * gz chooses the .gz names. Pixel values encode (item, pixel); labels are
 * label0, label0+1, ... */
static void write_split(const char *dir, const char *prefix, size_t n, size_t rows, size_t cols,
                        uint8_t label0, int gz)
{
    ImageSet s;
    cr_assert_eq(imageset_alloc(&s, n, rows, cols, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < n * rows * cols; i++)
        s.pixels[i] = (uint8_t)(i % 251);
    for (size_t i = 0; i < n; i++)
        s.labels[i] = (uint8_t)(label0 + i);
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/%s-images-idx3-ubyte%s", dir, prefix, gz ? ".gz" : "");
    snprintf(b, sizeof b, "%s/%s-labels-idx1-ubyte%s", dir, prefix, gz ? ".gz" : "");
    cr_assert_eq(idx_write_images(a, &s, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_write_labels(b, s.labels, n, msg), ST_OK, "%s", msg);
    imageset_done(&s);
}

static void make_dir(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s", support_tmp_path(name));
    cr_assert_eq(mkdir(out, 0755), 0);
}

Test(dataset, bundled_mnist10k_matches_the_conversion_script)
{
    Dataset *d = NULL;
    cr_assert_eq(dataset_open("mnist10k", &d, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(d->name, "mnist10k");
    size_t sl = strlen(d->source);
    cr_assert(sl >= 13 && strcmp(d->source + sl - 13, "data/mnist10k") == 0, "%s", d->source);
    cr_assert_eq(d->train.n, 8000);
    cr_assert_eq(d->test.n, 2000);
    cr_assert_eq(d->train.rows, 28);
    cr_assert_eq(d->train.cols, 28);
    cr_assert_eq(d->test.rows, 28);
    cr_assert_eq(d->train.n_classes, 10);
    cr_assert_eq(d->test.n_classes, 10);
    /* Figures printed by tools/convert-mnist.js and data/README.md. */
    const uint8_t first[10] = {1, 5, 0, 1, 6, 0, 7, 5, 3, 3};
    cr_assert_arr_eq(d->train.labels, first, 10);
    cr_assert_eq(d->test.labels[0], 3);
    size_t count[10] = {0};
    for (size_t i = 0; i < d->train.n; i++)
        count[d->train.labels[i]]++;
    const size_t want[10] = {799, 872, 811, 846, 787, 705, 806, 839, 740, 795};
    for (int c = 0; c < 10; c++)
        cr_assert_eq(count[c], want[c], "class %d: %zu", c, count[c]);
    /* Pixel sums cross-checked with numpy on the decompressed files. */
    unsigned long long sum0 = 0, train_sum = 0, test_sum = 0;
    for (size_t p = 0; p < 784; p++)
        sum0 += d->train.pixels[p];
    for (size_t i = 0; i < 8000 * 784; i++)
        train_sum += d->train.pixels[i];
    for (size_t i = 0; i < 2000 * 784; i++)
        test_sum += d->test.pixels[i];
    cr_assert_eq(sum0, 5585);
    cr_assert_eq(train_sum, 209974067ULL);
    cr_assert_eq(test_sum, 52172533ULL);
    dataset_free(d);
}

Test(dataset, neurotop_data_comes_first)
{
    char dir[256];
    make_dir(dir, sizeof dir, "mnist10k");
    write_split(dir, "train", 4, 3, 2, 0, 1);
    write_split(dir, "t10k", 2, 3, 2, 0, 0);
    setenv("NEUROTOP_DATA", support_tmp(), 1);
    Dataset *d = NULL;
    cr_assert_eq(dataset_open("mnist10k", &d, msg), ST_OK, "%s", msg);
    cr_assert_eq(d->train.n, 4);
    cr_assert_eq(d->test.n, 2);
    cr_assert_eq(d->train.n_classes, 4);
    cr_assert(strstr(d->source, "/mnist10k") != NULL, "%s", d->source);
    cr_assert(strncmp(d->source, support_tmp(), strlen(support_tmp())) == 0, "%s", d->source);
    dataset_free(d);
}

Test(dataset, folder_of_mixed_raw_and_gz_files)
{
    char dir[256];
    make_dir(dir, sizeof dir, "letters");
    /* EMNIST-letters-like labels: train 1..5, test 20..22 */
    write_split(dir, "train", 5, 4, 3, 1, 1);
    write_split(dir, "t10k", 3, 4, 3, 20, 0);
    char with_slash[300];
    snprintf(with_slash, sizeof with_slash, "%s//", dir);
    Dataset *d = NULL;
    cr_assert_eq(dataset_open(with_slash, &d, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(d->name, "letters");
    cr_assert_eq(d->train.n, 5);
    cr_assert_eq(d->test.n, 3);
    cr_assert_eq(d->train.rows, 4);
    cr_assert_eq(d->train.cols, 3);
    /* 1 + max label over both sets, on both sets */
    cr_assert_eq(d->train.n_classes, 23);
    cr_assert_eq(d->test.n_classes, 23);
    cr_assert_eq(d->test.labels[2], 22);
    cr_assert_eq(d->train.pixels[5 * 12 - 1], 59);
    dataset_free(d);
}

Test(dataset, raw_name_wins_over_gz)
{
    char dir[256];
    make_dir(dir, sizeof dir, "both");
    write_split(dir, "train", 2, 2, 2, 0, 0);
    write_split(dir, "t10k", 2, 2, 2, 0, 0);
    /* a broken .gz beside the good raw file must not be read */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/train-images-idx3-ubyte.gz", dir);
    FILE *f = fopen(bad, "w");
    cr_assert_not_null(f);
    fputs("garbage", f);
    fclose(f);
    Dataset *d = NULL;
    cr_assert_eq(dataset_open(dir, &d, msg), ST_OK, "%s", msg);
    cr_assert_eq(d->train.n, 2);
    dataset_free(d);
}

Test(dataset, missing_file_is_named)
{
    char dir[256];
    make_dir(dir, sizeof dir, "partial");
    write_split(dir, "train", 2, 2, 2, 0, 0);
    write_split(dir, "t10k", 2, 2, 2, 0, 0);
    char lab[300];
    snprintf(lab, sizeof lab, "%s/t10k-labels-idx1-ubyte", dir);
    cr_assert_eq(unlink(lab), 0);
    Dataset *d = (Dataset *)&d;
    cr_assert_eq(dataset_open(dir, &d, msg), ST_ENOTFOUND);
    cr_assert_null(d);
    cr_assert(strstr(msg, "t10k-labels-idx1-ubyte") && strstr(msg, dir), "%s", msg);
}

Test(dataset, train_and_test_shapes_must_agree)
{
    char dir[256];
    make_dir(dir, sizeof dir, "shapes");
    write_split(dir, "train", 2, 2, 3, 0, 0);
    write_split(dir, "t10k", 2, 3, 2, 0, 0);
    Dataset *d = NULL;
    cr_assert_eq(dataset_open(dir, &d, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "2 x 3") && strstr(msg, "3 x 2"), "%s", msg);
    cr_assert_null(d);
}

Test(dataset, bad_file_in_folder_reports_the_idx_error)
{
    char dir[256];
    make_dir(dir, sizeof dir, "bad");
    write_split(dir, "train", 2, 2, 2, 0, 0);
    write_split(dir, "t10k", 2, 2, 2, 0, 0);
    char img[300];
    snprintf(img, sizeof img, "%s/t10k-images-idx3-ubyte", dir);
    cr_assert_eq(truncate(img, 20), 0);
    Dataset *d = NULL;
    cr_assert_eq(dataset_open(dir, &d, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "truncated") && strstr(msg, img), "%s", msg);
}

Test(dataset, unknown_name)
{
    Dataset *d = NULL;
    cr_assert_eq(dataset_open("mnist-nonexistent", &d, msg), ST_ENOTFOUND);
    cr_assert_str_eq(msg, "no dataset named mnist-nonexistent: use mnist10k, fashion or a folder of MNIST IDX files");
    cr_assert_null(d);
    cr_assert_eq(dataset_open("", &d, msg), ST_EINVAL);
}

Test(dataset, fashion_from_debian_package)
{
    struct stat st;
    if (stat("/usr/share/datasets/fashion-mnist", &st) != 0)
        cr_skip_test("dataset-fashion-mnist is not installed");
    Dataset *d = NULL;
    cr_assert_eq(dataset_open("fashion", &d, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(d->name, "fashion");
    cr_assert_str_eq(d->source, "/usr/share/datasets/fashion-mnist");
    cr_assert_eq(d->train.n, 60000);
    cr_assert_eq(d->test.n, 10000);
    cr_assert_eq(d->train.rows, 28);
    cr_assert_eq(d->train.cols, 28);
    cr_assert_eq(d->train.n_classes, 10);
    /* Fashion-MNIST is balanced: 6,000 training items per class */
    size_t count[10] = {0};
    for (size_t i = 0; i < d->train.n; i++)
        count[d->train.labels[i]]++;
    for (int c = 0; c < 10; c++)
        cr_assert_eq(count[c], 6000);
    dataset_free(d);
}

Test(dataset, item_float_and_free)
{
    ImageSet s;
    cr_assert_eq(imageset_alloc(&s, 2, 1, 3, msg), ST_OK);
    cr_assert_eq(s.n_classes, 1);
    cr_assert_eq(s.labels[1], 0);
    const uint8_t px[6] = {0, 0, 0, 0, 51, 255};
    memcpy(s.pixels, px, 6);
    float out[3] = {-1, -1, -1};
    imageset_item_float(&s, 1, out);
    cr_assert_float_eq(out[0], 0.0f, 1e-7);
    cr_assert_float_eq(out[1], 0.2f, 1e-7);
    cr_assert_float_eq(out[2], 1.0f, 1e-7);
    imageset_done(&s);
    cr_assert_null(s.pixels);
    cr_assert_eq(s.n, 0);
    imageset_done(&s);
    imageset_done(NULL);
    dataset_free(NULL);
    cr_assert_eq(imageset_alloc(&s, 0, 28, 28, msg), ST_EINVAL);
    cr_assert_eq(imageset_alloc(&s, (size_t)1 << 40, 28, 28, msg), ST_EINVAL);
    cr_assert_null(s.pixels);
}
