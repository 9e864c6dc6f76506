/* .npy arrays and .npz archives (core/npy.h): archives built here byte by
 * byte (stored, deflated, with zip64 fields), then broken on purpose; and,
 * when NumPy is installed, archives written by numpy.savez itself. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/npy.h"
#include "neurotop/core/strbuf.h"
#include "support/support.h"

TestSuite(npz, .init = support_tmp_init, .fini = support_tmp_fini);

/* An archive: W0 float32 2×3 stored, W1 float64 2×3 in Fortran order
 * deflated with zip64 fields, labels int16 (4,), and a non-array member. */
static void sample_zip(StrBuf *z)
{
    const float w0[6] = {1, 2, 3, 4, 5, -6.5f};
    const double w1f[6] = {1, 4, 2, 5, 3, 6}; /* columns of [[1,2,3],[4,5,6]] */
    const int16_t lab[4] = {0, -1, 7, 32767};
    SupportNpzMember m[4] = {{.name = "W0.npy"}, {.name = "W1.npy", .deflate = 1, .zip64 = 1},
                   {.name = "labels.npy", .deflate = 1}, {.name = "notes.txt"}};
    for (int i = 0; i < 4; i++)
        strbuf_init(&m[i].content);
    support_npy(&m[0].content, "<f4", 0, "(2, 3)", w0, sizeof w0);
    support_npy(&m[1].content, "<f8", 1, "(2, 3)", w1f, sizeof w1f);
    support_npy(&m[2].content, "<i2", 0, "(4,)", lab, sizeof lab);
    strbuf_append(&m[3].content, "not an array");
    strbuf_init(z);
    support_zip(z, m, 4);
    for (int i = 0; i < 4; i++)
        strbuf_done(&m[i].content);
}

static Npz *open_ok(const StrBuf *z)
{
    Npz *a = NULL;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(npz_open_buffer((const unsigned char *)z->data, z->len, "t.npz", &a, msg), ST_OK, "%s", msg);
    return a;
}

Test(npz, stored_deflated_zip64_and_fortran_order)
{
    StrBuf z;
    sample_zip(&z);
    Npz *a = open_ok(&z);
    cr_assert_eq(npz_count(a), 3, "notes.txt is not an array");
    cr_assert_str_eq(npz_name(a, 0), "W0");
    cr_assert_eq(npz_find(a, "labels"), 2);
    cr_assert_eq(npz_find(a, "notes"), -1);
    NpyArray w;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(npz_read(a, 0, &w, msg), ST_OK, "%s", msg);
    cr_assert_eq(w.ndim, 2);
    cr_assert_eq(w.shape[0], 2);
    cr_assert_eq(w.shape[1], 3);
    cr_assert_eq(w.kind, 'f');
    cr_assert_eq(w.item_size, 4);
    cr_assert_float_eq(w.data[5], -6.5, 0);
    npy_array_done(&w);
    cr_assert_eq(npz_read(a, 1, &w, msg), ST_OK, "%s", msg);
    for (int i = 0; i < 6; i++)
        cr_assert_float_eq(w.data[i], i + 1.0, 0, "Fortran order read back in C order at %d", i);
    npy_array_done(&w);
    cr_assert_eq(npz_read(a, 2, &w, msg), ST_OK, "%s", msg);
    cr_assert_eq(w.ndim, 1);
    cr_assert_float_eq(w.data[1], -1, 0);
    cr_assert_float_eq(w.data[3], 32767, 0);
    npy_array_done(&w);
    npz_free(a);
    npz_free(NULL);
    strbuf_done(&z);
}

Test(npz, npy_dtypes_and_shapes)
{
    char msg[STATUS_MSG_LEN];
    NpyArray a;
    StrBuf b;
    /* Big-endian float32 1.5 and -2; uint8; int64 of -3; a scalar. */
    const unsigned char be[8] = {0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0};
    strbuf_init(&b);
    support_npy(&b, ">f4", 0, "(2,)", be, 8);
    cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "be", &a, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(a.data[0], 1.5, 0);
    cr_assert_float_eq(a.data[1], -2, 0);
    npy_array_done(&a);
    strbuf_done(&b);
    const int64_t neg = -3;
    strbuf_init(&b);
    support_npy(&b, "<i8", 0, "()", &neg, 8);
    cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "scalar", &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.ndim, 0);
    cr_assert_eq(a.count, 1);
    cr_assert_float_eq(a.data[0], -3, 0);
    npy_array_done(&a);
    strbuf_done(&b);
    /* A 3-D Fortran array: element (i,j,k) of shape (2,2,2) stored at i + 2j + 4k. */
    const double f3[8] = {0, 100, 10, 110, 1, 101, 11, 111};
    strbuf_init(&b);
    support_npy(&b, "<f8", 1, "(2, 2, 2)", f3, sizeof f3);
    cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "f3", &a, msg), ST_OK, "%s", msg);
    const double want[8] = {0, 1, 10, 11, 100, 101, 110, 111}; /* C order: value = 100i + 10j + k */
    for (int i = 0; i < 8; i++)
        cr_assert_float_eq(a.data[i], want[i], 0, "at %d", i);
    npy_array_done(&a);
    strbuf_done(&b);
    /* Refused: 5-D, complex, a shape larger than the data, a negative dim. */
    const char *bad[][2] = {{"<f8", "(1, 1, 1, 1, 1)"}, {"<c8", "(1,)"}, {"<f8", "(3,)"}, {"<f8", "(-1,)"}};
    const char *why[] = {"more than 4 dimensions", "unsupported .npy dtype", "does not match", "malformed .npy shape"};
    for (int i = 0; i < 4; i++) {
        strbuf_init(&b);
        support_npy(&b, bad[i][0], 0, bad[i][1], f3, 8);
        cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "bad", &a, msg), ST_EFORMAT, "case %d", i);
        cr_assert(strstr(msg, why[i]), "case %d: %s", i, msg);
        cr_assert_null(a.data);
        strbuf_done(&b);
    }
}

/* npy_parse_take: plain little-endian float64 keeps the buffer as the data
 * (moved to its front); any other dtype is converted and the buffer freed;
 * a broken one is freed too (ASan would see a leak or a double free). */
Test(npz, npy_parse_take_keeps_or_frees_the_buffer)
{
    char msg[STATUS_MSG_LEN];
    NpyArray a;
    StrBuf b;
    const double v[3] = {1.25, -7, 3e300};
    const float f[2] = {0.5f, -4.0f};
    for (int k = 0; k < 3; k++) {
        strbuf_init(&b);
        if (k == 0)
            support_npy(&b, "<f8", 0, "(3,)", v, sizeof v);
        else if (k == 1)
            support_npy(&b, "<f4", 0, "(1, 2)", f, sizeof f);
        else
            support_npy(&b, "<f8", 0, "(4,)", v, sizeof v);
        unsigned char *buf = malloc(b.len);
        memcpy(buf, b.data, b.len);
        Status st = npy_parse_take(buf, b.len, "take", &a, msg);
        if (k == 0) {
            cr_assert_eq(st, ST_OK, "%s", msg);
            cr_assert_eq((void *)a.data, (void *)buf, "the buffer is the data");
            for (int i = 0; i < 3; i++)
                cr_assert_eq(a.data[i], v[i]);
        } else if (k == 1) {
            cr_assert_eq(st, ST_OK, "%s", msg);
            cr_assert_eq(a.ndim, 2);
            cr_assert_eq(a.data[0], 0.5);
            cr_assert_eq(a.data[1], -4.0);
        } else {
            cr_assert_eq(st, ST_EFORMAT);
            cr_assert_null(a.data);
        }
        npy_array_done(&a);
        strbuf_done(&b);
    }
}

/* Every way of breaking the sample archive is refused by name, never read
 * past its end. */
Test(npz, broken_archives)
{
    StrBuf z;
    sample_zip(&z);
    char msg[STATUS_MSG_LEN];
    Npz *a = NULL;
    /* Truncated anywhere: no directory, or a directory outside the file. */
    for (size_t cut = 0; cut < z.len; cut += 7) {
        Status st = npz_open_buffer((const unsigned char *)z.data, cut, "cut.npz", &a, msg);
        if (st == ST_OK) {
            /* A cut inside a member after an intact directory cannot
             * happen: the directory is at the end. */
            cr_assert_fail("a file cut to %zu bytes of %zu was accepted", cut, z.len);
        }
        cr_assert_eq(st, ST_EFORMAT, "cut %zu: %s", cut, msg);
        cr_assert(strstr(msg, "cut.npz"), "%s", msg);
    }
    /* A flipped byte in W0's data: its CRC fails. */
    StrBuf c;
    strbuf_init(&c);
    strbuf_append_n(&c, z.data, z.len);
    c.data[30 + 6 + 80] ^= 0x55;
    a = open_ok(&c);
    NpyArray w;
    cr_assert_eq(npz_read(a, 0, &w, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "CRC-32"), "%s", msg);
    npz_free(a);
    strbuf_done(&c);
    /* Not a zip file at all. */
    cr_assert_eq(npz_open_buffer((const unsigned char *)"hello, world, this is text", 26, "t.npz", &a, msg),
                 ST_EFORMAT);
    cr_assert(strstr(msg, "not a .npz archive"), "%s", msg);
    strbuf_done(&z);
}

/* Archives written by NumPy itself (savez stores, savez_compressed
 * deflates; both with zip64 local headers). Skipped visibly without it. */
Test(npz, numpy_written)
{
    if (system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") != 0)
        cr_skip_test("python3-numpy is not installed: NumPy-written .npz files not checked");
    const char *dir = support_tmp();
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"import numpy as np\n"
             "w0 = np.arange(12, dtype=np.float32).reshape(3, 4) / 8\n"
             "w1 = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) - 2.5)\n"
             "lab = np.array([3, 1, 4, 1, 5], dtype=np.int64)\n"
             "np.savez('%s/s.npz', W0=w0, W1=w1, labels=lab)\n"
             "np.savez_compressed('%s/c.npz', W0=w0, W1=w1, labels=lab)\"",
             dir, dir);
    cr_assert_eq(system(cmd), 0, "numpy wrote the files");
    const char *names[2] = {"s.npz", "c.npz"};
    for (int f = 0; f < 2; f++) {
        char path[1024], msg[STATUS_MSG_LEN];
        snprintf(path, sizeof path, "%s/%s", dir, names[f]);
        Npz *a = NULL;
        cr_assert_eq(npz_open(path, &a, msg), ST_OK, "%s", msg);
        cr_assert_eq(npz_count(a), 3);
        NpyArray w;
        cr_assert_eq(npz_read(a, (size_t)npz_find(a, "W0"), &w, msg), ST_OK, "%s", msg);
        cr_assert_eq(w.shape[0], 3);
        cr_assert_eq(w.shape[1], 4);
        for (int i = 0; i < 12; i++)
            cr_assert_float_eq(w.data[i], i / 8.0, 0, "%s W0[%d]", names[f], i);
        npy_array_done(&w);
        cr_assert_eq(npz_read(a, (size_t)npz_find(a, "W1"), &w, msg), ST_OK, "%s", msg);
        for (int i = 0; i < 6; i++)
            cr_assert_float_eq(w.data[i], i - 2.5, 0, "%s W1[%d] (Fortran order)", names[f], i);
        npy_array_done(&w);
        cr_assert_eq(npz_read(a, (size_t)npz_find(a, "labels"), &w, msg), ST_OK, "%s", msg);
        cr_assert_float_eq(w.data[4], 5, 0);
        npy_array_done(&w);
        npz_free(a);
    }
}
