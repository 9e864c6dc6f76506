/* .npy arrays and .npz archives (core/npy.h): archives built here byte by
 * byte (stored, deflated, with zip64 fields), then broken on purpose; and,
 * when NumPy is installed, archives written by numpy.savez itself. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "neurotop/core/npy.h"
#include "neurotop/core/strbuf.h"
#include "support/support.h"

TestSuite(npz, .init = support_tmp_init, .fini = support_tmp_fini);

/* ---- writing .npy and .npz by hand ---------------------------------------- */

static void put16(StrBuf *b, unsigned v)
{
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    strbuf_append_n(b, (const char *)c, 2);
}

static void put32(StrBuf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    strbuf_append_n(b, (const char *)c, 4);
}

static void put64(StrBuf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

/* A version-1 .npy of descr and shape text ("(2, 3)") over raw data. */
static void make_npy(StrBuf *b, const char *descr, int fortran, const char *shape, const void *data, size_t bytes)
{
    char hdr[256];
    int n = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr,
                     fortran ? "True" : "False", shape);
    int total = 10 + n + 1, pad = (64 - total % 64) % 64;
    strbuf_append_n(b, "\x93NUMPY\x01\x00", 8);
    put16(b, (unsigned)(n + pad + 1));
    strbuf_append_n(b, hdr, (size_t)n);
    for (int i = 0; i < pad; i++)
        strbuf_append(b, " ");
    strbuf_append(b, "\n");
    strbuf_append_n(b, (const char *)data, bytes);
}

typedef struct {
    const char *name; /* member file name, "W0.npy" */
    StrBuf content;
    int deflate;
    int zip64;        /* sizes 0xFFFFFFFF and a zip64 extra field, as numpy writes */
} Member;

static size_t deflate_raw(const StrBuf *in, unsigned char **out)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(deflateInit2(&s, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&s, in->len);
    *out = malloc(cap);
    s.next_in = (Bytef *)in->data;
    s.avail_in = (uInt)in->len;
    s.next_out = *out;
    s.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
    size_t n = s.total_out;
    deflateEnd(&s);
    return n;
}

static void make_zip(StrBuf *z, Member *m, size_t n)
{
    size_t offsets[8];
    uint32_t crcs[8];
    size_t comp[8];
    for (size_t i = 0; i < n; i++) {
        unsigned char *packed = NULL;
        size_t clen = m[i].content.len;
        if (m[i].deflate)
            clen = deflate_raw(&m[i].content, &packed);
        crcs[i] = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)m[i].content.data, (uInt)m[i].content.len);
        comp[i] = clen;
        offsets[i] = z->len;
        put32(z, 0x04034b50u);
        put16(z, m[i].zip64 ? 45 : 20);
        put16(z, 0);
        put16(z, m[i].deflate ? 8 : 0);
        put32(z, 0);
        put32(z, crcs[i]);
        put32(z, m[i].zip64 ? 0xFFFFFFFFu : (uint32_t)clen);
        put32(z, m[i].zip64 ? 0xFFFFFFFFu : (uint32_t)m[i].content.len);
        put16(z, (unsigned)strlen(m[i].name));
        put16(z, m[i].zip64 ? 20 : 0);
        strbuf_append(z, m[i].name);
        if (m[i].zip64) {
            put16(z, 1);
            put16(z, 16);
            put64(z, m[i].content.len);
            put64(z, clen);
        }
        strbuf_append_n(z, packed ? (const char *)packed : m[i].content.data, clen);
        free(packed);
    }
    size_t cd = z->len;
    for (size_t i = 0; i < n; i++) {
        put32(z, 0x02014b50u);
        put16(z, 45);
        put16(z, m[i].zip64 ? 45 : 20);
        put16(z, 0);
        put16(z, m[i].deflate ? 8 : 0);
        put32(z, 0);
        put32(z, crcs[i]);
        put32(z, m[i].zip64 ? 0xFFFFFFFFu : (uint32_t)comp[i]);
        put32(z, m[i].zip64 ? 0xFFFFFFFFu : (uint32_t)m[i].content.len);
        put16(z, (unsigned)strlen(m[i].name));
        put16(z, m[i].zip64 ? 20 : 0);
        put16(z, 0);
        put16(z, 0);
        put16(z, 0);
        put32(z, 0);
        put32(z, (uint32_t)offsets[i]);
        strbuf_append(z, m[i].name);
        if (m[i].zip64) {
            put16(z, 1);
            put16(z, 16);
            put64(z, m[i].content.len);
            put64(z, comp[i]);
        }
    }
    size_t cd_size = z->len - cd;
    put32(z, 0x06054b50u);
    put16(z, 0);
    put16(z, 0);
    put16(z, (unsigned)n);
    put16(z, (unsigned)n);
    put32(z, (uint32_t)cd_size);
    put32(z, (uint32_t)cd);
    put16(z, 0);
}

/* An archive: W0 float32 2×3 stored, W1 float64 2×3 in Fortran order
 * deflated with zip64 fields, labels int16 (4,), and a non-array member. */
static void sample_zip(StrBuf *z)
{
    const float w0[6] = {1, 2, 3, 4, 5, -6.5f};
    const double w1f[6] = {1, 4, 2, 5, 3, 6}; /* columns of [[1,2,3],[4,5,6]] */
    const int16_t lab[4] = {0, -1, 7, 32767};
    Member m[4] = {{.name = "W0.npy"}, {.name = "W1.npy", .deflate = 1, .zip64 = 1},
                   {.name = "labels.npy", .deflate = 1}, {.name = "notes.txt"}};
    for (int i = 0; i < 4; i++)
        strbuf_init(&m[i].content);
    make_npy(&m[0].content, "<f4", 0, "(2, 3)", w0, sizeof w0);
    make_npy(&m[1].content, "<f8", 1, "(2, 3)", w1f, sizeof w1f);
    make_npy(&m[2].content, "<i2", 0, "(4,)", lab, sizeof lab);
    strbuf_append(&m[3].content, "not an array");
    strbuf_init(z);
    make_zip(z, m, 4);
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
    make_npy(&b, ">f4", 0, "(2,)", be, 8);
    cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "be", &a, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(a.data[0], 1.5, 0);
    cr_assert_float_eq(a.data[1], -2, 0);
    npy_array_done(&a);
    strbuf_done(&b);
    const int64_t neg = -3;
    strbuf_init(&b);
    make_npy(&b, "<i8", 0, "()", &neg, 8);
    cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "scalar", &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.ndim, 0);
    cr_assert_eq(a.count, 1);
    cr_assert_float_eq(a.data[0], -3, 0);
    npy_array_done(&a);
    strbuf_done(&b);
    /* A 3-D Fortran array: element (i,j,k) of shape (2,2,2) stored at i + 2j + 4k. */
    const double f3[8] = {0, 100, 10, 110, 1, 101, 11, 111};
    strbuf_init(&b);
    make_npy(&b, "<f8", 1, "(2, 2, 2)", f3, sizeof f3);
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
        make_npy(&b, bad[i][0], 0, bad[i][1], f3, 8);
        cr_assert_eq(npy_parse((const unsigned char *)b.data, b.len, "bad", &a, msg), ST_EFORMAT, "case %d", i);
        cr_assert(strstr(msg, why[i]), "case %d: %s", i, msg);
        cr_assert_null(a.data);
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
