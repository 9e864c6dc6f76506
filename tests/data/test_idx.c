#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include "neurotop/core/fileio.h"
#include "neurotop/data/dataset.h"
#include "neurotop/data/idx.h"
#include "support/support.h"

static char msg[STATUS_MSG_LEN];

static void setup(void)
{
    support_tmp_init();
    msg[0] = '\0';
}

/* Each test runs in its own process (Criterion forks), with a temporary
 * folder of its own, removed at the end. */
TestSuite(idx, .init = setup, .fini = support_tmp_fini);

static void write_raw(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static void write_gz(const char *path, const void *data, size_t len)
{
    gzFile g = gzopen(path, "wb");
    cr_assert_not_null(g);
    if (len > 0)
        cr_assert_eq(gzwrite(g, data, (unsigned)len), (int)len);
    cr_assert_eq(gzclose(g), Z_OK);
}

static uint8_t *read_whole(const char *path, size_t *len)
{
    return (uint8_t *)support_read_file(path, len);
}

/* Limit the address space to what the process uses now plus 256 MB, so a
 * reader that allocates what a forged header claims fails with ENOMEM
 * instead of quietly succeeding through overcommit. ASan needs its huge
 * shadow mapping, so the guard is off under ASan. */
static void limit_memory(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return;
#else
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f)
        return;
    if (fscanf(f, "%lu", &pages) != 1)
        pages = 0;
    fclose(f);
    if (pages == 0)
        return;
    rlim_t lim = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)256 << 20);
    struct rlimit r = {lim, lim};
    cr_assert_eq(setrlimit(RLIMIT_AS, &r), 0);
#endif
}

/* A 3-image 2×4 set with labels 0, 2, 1. */
static void small_set(ImageSet *s)
{
    cr_assert_eq(imageset_alloc(s, 3, 2, 4, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < 24; i++)
        s->pixels[i] = (uint8_t)(i * 11 + 3);
    s->labels[0] = 0;
    s->labels[1] = 2;
    s->labels[2] = 1;
}

static void round_trip(const char *img_name, const char *lab_name)
{
    ImageSet s, r;
    small_set(&s);
    cr_assert_eq(idx_write_images(support_tmp_path(img_name), &s, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_write_labels(support_tmp_path(lab_name), s.labels, s.n, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_read_pair(support_tmp_path(img_name), support_tmp_path(lab_name), &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n, 3);
    cr_assert_eq(r.rows, 2);
    cr_assert_eq(r.cols, 4);
    cr_assert_eq(r.n_classes, 3);
    cr_assert_arr_eq(r.pixels, s.pixels, 24);
    cr_assert_arr_eq(r.labels, s.labels, 3);
    imageset_done(&s);
    imageset_done(&r);
}

Test(idx, raw_round_trip_has_the_exact_idx_layout)
{
    round_trip("img", "lab");
    size_t len;
    uint8_t *b = read_whole(support_tmp_path("img"), &len);
    cr_assert_eq(len, 16 + 24);
    const uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4};
    cr_assert_arr_eq(b, head, 16);
    cr_assert_eq(b[16], 3);
    cr_assert_eq(b[17], 14);
    free(b);
    b = read_whole(support_tmp_path("lab"), &len);
    const uint8_t lab[11] = {0, 0, 8, 1, 0, 0, 0, 3, 0, 2, 1};
    cr_assert_eq(len, 11);
    cr_assert_arr_eq(b, lab, 11);
    free(b);
}

Test(idx, gz_round_trip_is_deterministic_gzip)
{
    round_trip("img.gz", "lab.gz");
    size_t len1, len2;
    uint8_t *a = read_whole(support_tmp_path("img.gz"), &len1);
    /* gzip magic, deflate, no flags (no file name), zero modification time */
    const uint8_t head[8] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0};
    cr_assert_arr_eq(a, head, 8);
    round_trip("img.gz", "lab.gz");
    uint8_t *b = read_whole(support_tmp_path("img.gz"), &len2);
    cr_assert_eq(len1, len2);
    cr_assert_arr_eq(a, b, len1);
    free(a);
    free(b);
}

Test(idx, gzip_is_detected_by_content_not_name)
{
    ImageSet s, r;
    small_set(&s);
    /* gzip bytes under a plain name, and raw bytes under a .gz name */
    cr_assert_eq(idx_write_images(support_tmp_path("a.gz"), &s, msg), ST_OK, "%s", msg);
    cr_assert_eq(rename(support_tmp_path("a.gz"), support_tmp_path("plain")), 0);
    cr_assert_eq(idx_read_images(support_tmp_path("plain"), &r, msg), ST_OK, "%s", msg);
    cr_assert_arr_eq(r.pixels, s.pixels, 24);
    cr_assert_null(r.labels);
    imageset_done(&r);
    cr_assert_eq(idx_write_images(support_tmp_path("b"), &s, msg), ST_OK, "%s", msg);
    cr_assert_eq(rename(support_tmp_path("b"), support_tmp_path("b.gz")), 0);
    cr_assert_eq(idx_read_images(support_tmp_path("b.gz"), &r, msg), ST_OK, "%s", msg);
    cr_assert_arr_eq(r.pixels, s.pixels, 24);
    imageset_done(&r);
    imageset_done(&s);
}

static void expect_images_fail(const char *path, Status want, const char *needle)
{
    ImageSet r;
    memset(&r, 0xAB, sizeof r);
    Status st = idx_read_images(path, &r, msg);
    cr_assert_eq(st, want, "got %d (%s) for %s", st, msg, path);
    cr_assert(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);
    cr_assert(strstr(msg, path) != NULL, "message '%s' does not name the file", msg);
    cr_assert_null(r.pixels);
    cr_assert_eq(r.n, 0);
}

static void expect_labels_fail(const char *path, const char *needle)
{
    uint8_t *lab = (uint8_t *)&lab;
    size_t n = 99;
    cr_assert_eq(idx_read_labels(path, &lab, &n, msg), ST_EFORMAT, "%s", msg);
    cr_assert(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);
    cr_assert(strstr(msg, path) != NULL, "message '%s' does not name the file", msg);
    cr_assert_null(lab);
    cr_assert_eq(n, 0);
}

/* Header 00 00 08 03, 2 × 2 × 2, then `data` bytes of pixels. */
static void write_images_with(const char *path, size_t data, int gz)
{
    uint8_t b[64] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2};
    for (size_t i = 0; i < data; i++)
        b[16 + i] = (uint8_t)(i + 1);
    (gz ? write_gz : write_raw)(path, b, 16 + data);
}

Test(idx, exact_length_is_accepted)
{
    ImageSet r;
    write_images_with(support_tmp_path("ok"), 8, 0);
    cr_assert_eq(idx_read_images(support_tmp_path("ok"), &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n * r.rows * r.cols, 8);
    cr_assert_eq(r.pixels[7], 8);
    imageset_done(&r);
    write_images_with(support_tmp_path("ok.gz"), 8, 1);
    cr_assert_eq(idx_read_images(support_tmp_path("ok.gz"), &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.pixels[7], 8);
    imageset_done(&r);
}

Test(idx, wrong_magic_type_and_dimensions)
{
    const uint8_t magic[12] = {1, 0, 8, 1, 0, 0, 0, 1, 5};
    write_raw(support_tmp_path("m"), magic, 9);
    expect_labels_fail(support_tmp_path("m"), "magic");
    const uint8_t type[9] = {0, 0, 0x0d, 1, 0, 0, 0, 1, 5};
    write_raw(support_tmp_path("t"), type, 9);
    expect_labels_fail(support_tmp_path("t"), "0x0d");
    /* a valid label file is not an image file, and vice versa */
    const uint8_t lab[9] = {0, 0, 8, 1, 0, 0, 0, 1, 5};
    write_raw(support_tmp_path("l"), lab, 9);
    expect_images_fail(support_tmp_path("l"), ST_EFORMAT, "1 dimensions, expected 3");
    write_images_with(support_tmp_path("i"), 8, 0);
    expect_labels_fail(support_tmp_path("i"), "3 dimensions, expected 1");
}

Test(idx, truncated_raw_and_gz)
{
    write_images_with(support_tmp_path("r"), 7, 0);
    expect_images_fail(support_tmp_path("r"), ST_EFORMAT, "truncated");
    write_images_with(support_tmp_path("g"), 7, 1);
    expect_images_fail(support_tmp_path("g"), ST_EFORMAT, "truncated");
    /* header cut short */
    const uint8_t part[10] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0};
    write_raw(support_tmp_path("h"), part, 10);
    expect_images_fail(support_tmp_path("h"), ST_EFORMAT, "truncated");
    write_raw(support_tmp_path("h3"), part, 3);
    expect_images_fail(support_tmp_path("h3"), ST_EFORMAT, "truncated");
}

Test(idx, gzip_stream_cut_or_corrupted)
{
    ImageSet s;
    cr_assert_eq(imageset_alloc(&s, 50, 28, 28, msg), ST_OK);
    for (size_t i = 0; i < 50 * 784; i++)
        s.pixels[i] = (uint8_t)((i * 2654435761u) >> 24);
    cr_assert_eq(idx_write_images(support_tmp_path("x.gz"), &s, msg), ST_OK, "%s", msg);
    imageset_done(&s);
    size_t len;
    uint8_t *b = read_whole(support_tmp_path("x.gz"), &len);
    write_raw(support_tmp_path("half.gz"), b, len / 2);
    expect_images_fail(support_tmp_path("half.gz"), ST_EFORMAT, "truncated");
    /* data complete, CRC32 and length trailer missing */
    write_raw(support_tmp_path("notrailer.gz"), b, len - 8);
    expect_images_fail(support_tmp_path("notrailer.gz"), ST_EFORMAT, "truncated");
    b[len - 6] ^= 0x5a; /* inside the CRC32 */
    write_raw(support_tmp_path("crc.gz"), b, len);
    expect_images_fail(support_tmp_path("crc.gz"), ST_EFORMAT, "gzip");
    b[len - 6] ^= 0x5a;
    b[len / 2] ^= 0xff; /* inside the deflate data */
    write_raw(support_tmp_path("flip.gz"), b, len);
    ImageSet r;
    cr_assert_eq(idx_read_images(support_tmp_path("flip.gz"), &r, msg), ST_EFORMAT, "%s", msg);
    free(b);
    /* gzip magic followed by garbage */
    const uint8_t junk[12] = {0x1f, 0x8b, 0x01, 0x02, 0x03, 0x04, 0x05};
    write_raw(support_tmp_path("junk"), junk, 12);
    cr_assert_eq(idx_read_images(support_tmp_path("junk"), &r, msg), ST_EFORMAT, "%s", msg);
    cr_assert_null(r.pixels);
}

Test(idx, trailing_bytes_raw_and_gz)
{
    write_images_with(support_tmp_path("r"), 9, 0);
    expect_images_fail(support_tmp_path("r"), ST_EFORMAT, "trailing");
    write_images_with(support_tmp_path("g"), 9, 1);
    expect_images_fail(support_tmp_path("g"), ST_EFORMAT, "trailing");
    const uint8_t lab[10] = {0, 0, 8, 1, 0, 0, 0, 1, 5, 6};
    write_gz(support_tmp_path("l.gz"), lab, 10);
    expect_labels_fail(support_tmp_path("l.gz"), "trailing");
}

Test(idx, absurd_dimensions_fail_without_allocating)
{
    limit_memory();
    /* 2^31 × 28 × 28 claimed in a 20-byte file */
    const uint8_t huge[20] = {0, 0, 8, 3, 0x80, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3, 4};
    write_raw(support_tmp_path("huge"), huge, 20);
    expect_images_fail(support_tmp_path("huge"), ST_EFORMAT, "limit");
    /* 2^96 overflows size_t even on 64-bit */
    const uint8_t ovf[16] = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    write_gz(support_tmp_path("ovf.gz"), ovf, 16);
    expect_images_fail(support_tmp_path("ovf.gz"), ST_EFORMAT, "limit");
    /* 2,000,000 × 28 × 28 = 1.57 GB: over the 2^30 cap on what a header claims. */
    const uint8_t over[20] = {0, 0, 8, 3, 0, 0x1e, 0x84, 0x80, 0, 0, 0, 28, 0, 0, 0, 28, 9, 9, 9, 9};
    write_raw(support_tmp_path("over"), over, 20);
    expect_images_fail(support_tmp_path("over"), ST_EFORMAT, "limit of 2^30");
    /* 1,000,000 × 28 × 28 = 784 MB, under the cap: the raw size check must
     * notice the missing data first, and a 40-byte gzip file cannot hold it. */
    const uint8_t big[20] = {0, 0, 8, 3, 0, 0x0f, 0x42, 0x40, 0, 0, 0, 28, 0, 0, 0, 28, 9, 9, 9, 9};
    write_raw(support_tmp_path("big"), big, 20);
    expect_images_fail(support_tmp_path("big"), ST_EFORMAT, "truncated");
    write_gz(support_tmp_path("big.gz"), big, 20);
    expect_images_fail(support_tmp_path("big.gz"), ST_EFORMAT, "more than a gzip file");
    const uint8_t labs[12] = {0, 0, 8, 1, 0x3f, 0xff, 0xff, 0xff, 1, 2, 3, 4};
    write_gz(support_tmp_path("labs.gz"), labs, 12);
    expect_labels_fail(support_tmp_path("labs.gz"), "gzip");
}

/* A gzip bomb: the header claims 1000 × 1000 × 1000 bytes (under the cap)
 * and the stream inflates to 16 MB of zeros in a file of ~16 KB, which
 * cannot hold 10^9 bytes at deflate's largest ratio: refused before
 * anything is inflated (the old reader inflated it all, then said
 * "truncated"). */
Test(idx, gzip_bomb_is_refused_before_inflating)
{
    limit_memory();
    size_t zeros = (size_t)16 << 20;
    uint8_t *raw = calloc(16 + zeros, 1);
    cr_assert_not_null(raw);
    const uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0x03, 0xe8, 0, 0, 0x03, 0xe8, 0, 0, 0x03, 0xe8};
    memcpy(raw, head, 16);
    const char *path = support_tmp_path("bomb.gz");
    gzFile g = gzopen(path, "wb9");
    cr_assert_not_null(g);
    for (size_t off = 0; off < 16 + zeros; off += (size_t)1 << 24) {
        size_t n = 16 + zeros - off < ((size_t)1 << 24) ? 16 + zeros - off : (size_t)1 << 24;
        cr_assert_eq(gzwrite(g, raw + off, (unsigned)n), (int)n);
    }
    cr_assert_eq(gzclose(g), Z_OK);
    free(raw);
    expect_images_fail(path, ST_EFORMAT, "more than a gzip file of");
}

Test(idx, empty_and_zero_items)
{
    write_raw(support_tmp_path("e"), "", 0);
    expect_images_fail(support_tmp_path("e"), ST_EFORMAT, "empty");
    write_gz(support_tmp_path("e.gz"), "", 0);
    expect_images_fail(support_tmp_path("e.gz"), ST_EFORMAT, "empty");
    const uint8_t zero[16] = {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28};
    write_raw(support_tmp_path("z"), zero, 16);
    expect_images_fail(support_tmp_path("z"), ST_EFORMAT, "zero items");
    const uint8_t zcol[16] = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 0};
    write_raw(support_tmp_path("zc"), zcol, 16);
    expect_images_fail(support_tmp_path("zc"), ST_EFORMAT, "zero dimension");
    const uint8_t zlab[8] = {0, 0, 8, 1, 0, 0, 0, 0};
    write_raw(support_tmp_path("zl"), zlab, 8);
    expect_labels_fail(support_tmp_path("zl"), "zero items");
}

Test(idx, missing_file_and_folder)
{
    expect_images_fail(support_tmp_path("nope"), ST_ENOTFOUND, "cannot open");
    expect_images_fail(support_tmp(), ST_EINVAL, "folder");
}

Test(idx, pair_count_mismatch_names_both_files)
{
    ImageSet s, r;
    small_set(&s);
    cr_assert_eq(idx_write_images(support_tmp_path("img"), &s, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_write_labels(support_tmp_path("lab"), s.labels, 2, msg), ST_OK, "%s", msg);
    memset(&r, 0, sizeof r);
    cr_assert_eq(idx_read_pair(support_tmp_path("img"), support_tmp_path("lab"), &r, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "3 images") && strstr(msg, "2 labels"), "%s", msg);
    cr_assert(strstr(msg, support_tmp_path("img")) && strstr(msg, support_tmp_path("lab")), "%s", msg);
    cr_assert_null(r.pixels);
    cr_assert_null(r.labels);
    imageset_done(&s);
}

Test(idx, n_classes_is_one_plus_max_label)
{
    ImageSet s, r;
    cr_assert_eq(imageset_alloc(&s, 4, 1, 1, msg), ST_OK);
    const uint8_t lab[4] = {1, 26, 3, 26}; /* EMNIST letters are 1..26 */
    memcpy(s.labels, lab, 4);
    cr_assert_eq(idx_write_images(support_tmp_path("i.gz"), &s, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_write_labels(support_tmp_path("l"), s.labels, 4, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_read_pair(support_tmp_path("i.gz"), support_tmp_path("l"), &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_classes, 27);
    imageset_done(&s);
    imageset_done(&r);
}

Test(idx, writer_rejects_empty_sets)
{
    ImageSet s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(idx_write_images(support_tmp_path("w"), &s, msg), ST_EINVAL);
    cr_assert_eq(idx_write_labels(support_tmp_path("w"), NULL, 0, msg), ST_EINVAL);
    cr_assert_eq(access(support_tmp_path("w"), F_OK), -1);
}
