/* .npy and .npz files written byte by byte (support.h), so the readers are
 * tested on archives whose every field the test chose. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "support.h"


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
void support_npy(StrBuf *b, const char *descr, int fortran, const char *shape, const void *data, size_t bytes)
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

void support_zip(StrBuf *z, SupportNpzMember *m, size_t n)
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

