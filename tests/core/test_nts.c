#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "neurotop/core/nts.h"

/* Offsets of the documented layout (nts.h). */
#define HEAD 24
#define ENTRY 96

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Recompute the header CRC after a deliberate edit of the table, so the
 * test reaches the check behind it. */
static void fix_header_crc(unsigned char *buf, uint32_t n_sections)
{
    size_t at = HEAD + ENTRY * (size_t)n_sections;
    put32(buf + at, (uint32_t)crc32(0L, buf, (uInt)at));
}

/* Three sections: "alpha" f32 2×3, "counts" u32 [4], "meta" text. */
static void encode_sample(unsigned char **buf, size_t *len)
{
    char msg[STATUS_MSG_LEN];
    NtsWriter *w = nts_writer_new();
    cr_assert_not_null(w);
    const float a[6] = {1.5f, -2.0f, 0.0f, 3.25f, 1e-8f, -7.0f};
    const size_t da[2] = {2, 3};
    const uint32_t c[4] = {0, 1, 4000000000u, 7};
    const size_t dc[1] = {4};
    cr_assert_eq(nts_add_f32(w, "alpha", a, 2, da, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_add_u32(w, "counts", c, 1, dc, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_add_text(w, "meta", "{\"epoch\":3}", msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_writer_encode(w, buf, len, msg), ST_OK, "%s", msg);
    nts_writer_free(w);
}

Test(nts, round_trip_in_memory_and_on_disk)
{
    char msg[STATUS_MSG_LEN];
    unsigned char *buf;
    size_t len;
    encode_sample(&buf, &len);
    /* header 24 + 3 entries 288 + CRC/pad 8 = 320; payloads 24, 16, 11 (+5 pad) */
    cr_assert_eq(len, 320 + 24 + 16 + 16);
    cr_assert_eq(memcmp(buf, "NTS1", 4), 0);

    char path[] = "/tmp/neurotop-nts-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, buf, len), (ssize_t)len);
    close(fd);
    free(buf);

    NtsFile *f = NULL;
    cr_assert_eq(nts_open(path, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_section_count(f), 3);
    const NtsSection *s = nts_find(f, "alpha");
    cr_assert_not_null(s);
    cr_assert_eq(s->type, NTS_F32);
    cr_assert_eq(s->n_dims, 2);
    cr_assert_eq(s->dims[0], 2);
    cr_assert_eq(s->dims[1], 3);
    cr_assert_eq(s->count, 6);
    cr_assert_eq(s->f32[3], 3.25f);
    cr_assert_eq(s->f32[4], 1e-8f);
    cr_assert_eq(s->f32[5], -7.0f);
    s = nts_find(f, "counts");
    cr_assert_eq(s->type, NTS_U32);
    cr_assert_eq(s->u32[2], 4000000000u);
    s = nts_find(f, "meta");
    cr_assert_eq(s->type, NTS_TEXT);
    cr_assert_str_eq(s->text, "{\"epoch\":3}");
    cr_assert_eq(s->count, 11);
    cr_assert_str_eq(nts_section_at(f, 1)->name, "counts");
    cr_assert_null(nts_section_at(f, 3));
    cr_assert_null(nts_find(f, "beta"));
    nts_file_free(f);

    /* Saving through the atomic writer gives the same bytes back. */
    NtsWriter *w = nts_writer_new();
    const size_t d1[1] = {1};
    const float one = 1.0f;
    cr_assert_eq(nts_add_f32(w, "x", &one, 1, d1, msg), ST_OK);
    cr_assert_eq(nts_writer_save(w, path, msg), ST_OK, "%s", msg);
    nts_writer_free(w);
    cr_assert_eq(nts_open(path, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_find(f, "x")->f32[0], 1.0f);
    nts_file_free(f);
    unlink(path);
}

Test(nts, empty_sections_and_zero_sections)
{
    char msg[STATUS_MSG_LEN];
    NtsWriter *w = nts_writer_new();
    unsigned char *buf;
    size_t len;
    cr_assert_eq(nts_writer_encode(w, &buf, &len, msg), ST_OK);
    cr_assert_eq(len, 32);
    NtsFile *f = NULL;
    cr_assert_eq(nts_parse(buf, len, "none.nts", &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_section_count(f), 0);
    nts_file_free(f);
    free(buf);
    const size_t d0[2] = {0, 5};
    cr_assert_eq(nts_add_f32(w, "empty", NULL, 2, d0, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_add_text(w, "blank", "", msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_writer_encode(w, &buf, &len, msg), ST_OK);
    cr_assert_eq(nts_parse(buf, len, "e.nts", &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(nts_find(f, "empty")->count, 0);
    cr_assert_eq(nts_find(f, "empty")->dims[1], 5);
    cr_assert_str_eq(nts_find(f, "blank")->text, "");
    nts_file_free(f);
    free(buf);
    nts_writer_free(w);
}

Test(nts, writer_rejects_bad_names_and_dims)
{
    char msg[STATUS_MSG_LEN];
    NtsWriter *w = nts_writer_new();
    const float v[2] = {1, 2};
    const size_t d[1] = {2};
    cr_assert_eq(nts_add_f32(w, "", v, 1, d, msg), ST_EINVAL);
    cr_assert_eq(nts_add_f32(w, "a_name_that_is_much_too_long_for_nts", v, 1, d, msg), ST_EINVAL);
    cr_assert_eq(nts_add_f32(w, "v", v, 0, d, msg), ST_EINVAL);
    cr_assert_eq(nts_add_f32(w, "v", v, 1, d, msg), ST_OK);
    cr_assert_eq(nts_add_f32(w, "v", v, 1, d, msg), ST_EINVAL);
    cr_assert(strstr(msg, "twice") != NULL);
    const size_t huge[2] = {(size_t)1 << 31, (size_t)1 << 31};
    cr_assert_eq(nts_add_f32(w, "h", v, 2, huge, msg), ST_EINVAL);
    nts_writer_free(w);
    nts_writer_free(NULL);
    nts_file_free(NULL);
}

Test(nts, corrupted_payload_byte_names_the_section)
{
    char msg[STATUS_MSG_LEN];
    unsigned char *buf;
    size_t len;
    encode_sample(&buf, &len);
    NtsFile *f = NULL;
    /* "counts" payload starts at 320 + 24 = 344. */
    buf[344 + 5] ^= 0x10;
    cr_assert_eq(nts_parse(buf, len, "snap.nts", &f, msg), ST_EFORMAT);
    cr_assert_null(f);
    cr_assert(strstr(msg, "snap.nts") != NULL, "%s", msg);
    cr_assert(strstr(msg, "\"counts\"") != NULL, "%s", msg);
    cr_assert(strstr(msg, "corrupted") != NULL, "%s", msg);
    buf[344 + 5] ^= 0x10;
    buf[len - 6] ^= 0x01; /* inside the text of "meta" */
    cr_assert_eq(nts_parse(buf, len, "snap.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "\"meta\"") != NULL, "%s", msg);
    buf[len - 6] ^= 0x01;
    buf[HEAD + 40] ^= 0x01; /* a dimension of "alpha": the header CRC fails */
    cr_assert_eq(nts_parse(buf, len, "snap.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "header") != NULL, "%s", msg);
    buf[HEAD + 40] ^= 0x01;
    cr_assert_eq(nts_parse(buf, len, "snap.nts", &f, msg), ST_OK, "%s", msg);
    nts_file_free(f);
    free(buf);
}

Test(nts, truncated_file_names_the_cut_section)
{
    char msg[STATUS_MSG_LEN];
    unsigned char *buf;
    size_t len;
    encode_sample(&buf, &len);
    NtsFile *f = NULL;
    cr_assert_eq(nts_parse(buf, 330, "t.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "truncated") != NULL, "%s", msg);
    cr_assert(strstr(msg, "\"alpha\"") != NULL, "%s", msg);
    cr_assert_eq(nts_parse(buf, len - 6, "t.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "\"meta\"") != NULL, "%s", msg);
    cr_assert_eq(nts_parse(buf, 100, "t.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "truncated") != NULL, "%s", msg);
    cr_assert_eq(nts_parse(buf, 10, "t.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "truncated") != NULL, "%s", msg);
    cr_assert_null(f);
    /* Trailing garbage is rejected too. */
    unsigned char *longer = calloc(1, len + 8);
    memcpy(longer, buf, len);
    cr_assert_eq(nts_parse(longer, len + 8, "t.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "trailing") != NULL, "%s", msg);
    free(longer);
    free(buf);
}

Test(nts, wrong_magic_version_and_empty_file)
{
    char msg[STATUS_MSG_LEN];
    unsigned char *buf;
    size_t len;
    encode_sample(&buf, &len);
    NtsFile *f = NULL;
    buf[3] = '2';
    cr_assert_eq(nts_parse(buf, len, "m.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "magic") != NULL, "%s", msg);
    buf[3] = '1';
    put32(buf + 4, 9);
    cr_assert_eq(nts_parse(buf, len, "m.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "version 9") != NULL, "%s", msg);
    free(buf);
    cr_assert_eq(nts_parse("", 0, "empty.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "empty.nts is empty") != NULL, "%s", msg);

    char path[] = "/tmp/neurotop-nts-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    cr_assert_eq(nts_open(path, &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "is empty") != NULL, "%s", msg);
    unlink(path);
    cr_assert_eq(nts_open(path, &f, msg), ST_EIO);
    cr_assert_null(f);
}

Test(nts, absurd_size_claims_fail_before_allocating)
{
    char msg[STATUS_MSG_LEN];
    unsigned char *buf;
    size_t len;
    encode_sample(&buf, &len);
    NtsFile *f = NULL;
    unsigned char *e = buf + HEAD; /* "alpha" */
    /* 2^30 × 1 floats = 4 GiB claimed by a 376-byte file. */
    put64(e + 40, (uint64_t)1 << 30);
    put64(e + 48, 1);
    put64(e + 80, (uint64_t)1 << 32);
    fix_header_crc(buf, 3);
    cr_assert_eq(nts_parse(buf, len, "big.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "\"alpha\"") != NULL, "%s", msg);
    cr_assert(strstr(msg, "beyond") != NULL, "%s", msg);
    /* Dimensions whose product overflows 64 bits. */
    put64(e + 40, 0xFFFFFFFFu);
    put64(e + 48, 0xFFFFFFFFu);
    put32(e + 36, 4);
    put64(e + 56, 0xFFFFFFFFu);
    put64(e + 64, 0xFFFFFFFFu);
    fix_header_crc(buf, 3);
    cr_assert_eq(nts_parse(buf, len, "big.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "do not match") != NULL, "%s", msg);
    /* A dimension beyond 32 bits. */
    put64(e + 40, (uint64_t)1 << 40);
    fix_header_crc(buf, 3);
    cr_assert_eq(nts_parse(buf, len, "big.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "absurd") != NULL, "%s", msg);
    /* A section count the file cannot hold. */
    put32(buf + 8, 4000);
    cr_assert_eq(nts_parse(buf, len, "big.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "4000 sections") != NULL, "%s", msg);
    put32(buf + 8, 0xFFFFFFFFu);
    cr_assert_eq(nts_parse(buf, len, "big.nts", &f, msg), ST_EFORMAT);
    cr_assert_null(f);
    free(buf);
}

Test(nts, unknown_type_and_misplaced_offset)
{
    char msg[STATUS_MSG_LEN];
    unsigned char *buf;
    size_t len;
    encode_sample(&buf, &len);
    NtsFile *f = NULL;
    unsigned char *e = buf + HEAD + ENTRY; /* "counts" */
    put32(e + 32, 77);
    fix_header_crc(buf, 3);
    cr_assert_eq(nts_parse(buf, len, "x.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "unknown type 77") != NULL, "%s", msg);
    put32(e + 32, NTS_U32);
    put64(e + 72, 16); /* inside the header */
    fix_header_crc(buf, 3);
    cr_assert_eq(nts_parse(buf, len, "x.nts", &f, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "\"counts\"") != NULL, "%s", msg);
    free(buf);
}
