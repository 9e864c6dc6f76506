/* .npz archives (npy.h): a zip file whose members are .npy arrays, as
 * numpy.savez (stored) and numpy.savez_compressed (deflated) write them —
 * numpy asks for zip64 local headers, so sizes may sit in the zip64 extra
 * field. The central directory is the index; every offset and size in it is
 * checked against the file before it is used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* next_in is const: the archive is only read. */
#define ZLIB_CONST
#include <zlib.h>

#include "neurotop/core/bytes.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/npy.h"
#include "neurotop/core/sanitize.h"

#define NPZ_MAX_MEMBERS 4096
#define NPZ_NAME_LEN 64

typedef struct {
    char name[NPZ_NAME_LEN];
    uint16_t method;
    uint32_t crc;
    uint64_t comp_size, size, local_offset;
} NpzMember;

struct Npz {
    char path[1024];
    unsigned char *buf;
    size_t len;
    size_t n;
    NpzMember *members;
};

void npz_free(Npz *z)
{
    if (!z)
        return;
    free(z->buf);
    free(z->members);
    free(z);
}

size_t npz_count(const Npz *z)
{
    return z->n;
}

const char *npz_name(const Npz *z, size_t i)
{
    return z->members[i].name;
}

long npz_find(const Npz *z, const char *name)
{
    for (size_t i = 0; i < z->n; i++)
        if (strcmp(z->members[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* The zip64 extra field of a central entry replaces, in this order, the
 * sizes and the offset that are 0xFFFFFFFF in the entry. */
static int read_zip64(const unsigned char *extra, size_t extra_len, NpzMember *m, int need_size, int need_comp,
                      int need_off)
{
    size_t p = 0;
    while (p + 4 <= extra_len) {
        uint16_t id = bytes_le16(extra + p), len = bytes_le16(extra + p + 2);
        if (p + 4 + len > extra_len)
            return 0;
        if (id == 1) {
            const unsigned char *f = extra + p + 4;
            size_t o = 0;
            if (need_size) {
                if (o + 8 > len)
                    return 0;
                m->size = bytes_le64(f + o);
                o += 8;
            }
            if (need_comp) {
                if (o + 8 > len)
                    return 0;
                m->comp_size = bytes_le64(f + o);
                o += 8;
            }
            if (need_off) {
                if (o + 8 > len)
                    return 0;
                m->local_offset = bytes_le64(f + o);
            }
            return 1;
        }
        p += 4 + (size_t)len;
    }
    return !(need_size || need_comp || need_off);
}

static Status parse_directory(Npz *z, char *msg)
{
    const unsigned char *b = z->buf;
    size_t len = z->len;
    if (len < 22)
        return status_fail(msg, ST_EFORMAT, "%s is not a .npz archive (too short for a zip file)", z->path);
    /* The end-of-central-directory record: within the last 22 + 65535 bytes. */
    size_t eocd = SIZE_MAX;
    size_t lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
    for (size_t p = len - 22 + 1; p-- > lo;)
        if (bytes_le32(b + p) == 0x06054b50u) {
            eocd = p;
            break;
        }
    if (eocd == SIZE_MAX)
        return status_fail(msg, ST_EFORMAT, "%s is not a .npz archive (no zip directory)", z->path);
    uint64_t entries = bytes_le16(b + eocd + 10), cd_size = bytes_le32(b + eocd + 12), cd_off = bytes_le32(b + eocd + 16);
    if ((entries == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) && eocd >= 20 &&
        bytes_le32(b + eocd - 20) == 0x07064b50u) {
        uint64_t z64 = bytes_le64(b + eocd - 20 + 8);
        if (z64 > len || len - z64 < 56 || bytes_le32(b + z64) != 0x06064b50u)
            return status_fail(msg, ST_EFORMAT, "%s: a broken zip64 directory record", z->path);
        entries = bytes_le64(b + z64 + 32);
        cd_size = bytes_le64(b + z64 + 40);
        cd_off = bytes_le64(b + z64 + 48);
    }
    if (cd_off > len || cd_size > len - cd_off)
        return status_fail(msg, ST_EFORMAT, "%s: the zip directory lies outside the file (truncated?)", z->path);
    if (entries > NPZ_MAX_MEMBERS || entries > cd_size / 46 + 1)
        return status_fail(msg, ST_EFORMAT, "%s: the zip directory claims %llu members", z->path,
                           (unsigned long long)entries);
    z->members = calloc(entries ? entries : 1, sizeof *z->members);
    if (!z->members)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", z->path);
    size_t p = cd_off, end = cd_off + cd_size;
    for (uint64_t e = 0; e < entries; e++) {
        if (p + 46 > end || bytes_le32(b + p) != 0x02014b50u)
            return status_fail(msg, ST_EFORMAT, "%s: zip directory entry %llu is broken", z->path,
                               (unsigned long long)e);
        NpzMember *m = &z->members[z->n];
        m->method = bytes_le16(b + p + 10);
        m->crc = bytes_le32(b + p + 16);
        m->comp_size = bytes_le32(b + p + 20);
        m->size = bytes_le32(b + p + 24);
        size_t name_len = bytes_le16(b + p + 28), extra_len = bytes_le16(b + p + 30), comment_len = bytes_le16(b + p + 32);
        m->local_offset = bytes_le32(b + p + 42);
        if (p + 46 + name_len + extra_len + comment_len > end)
            return status_fail(msg, ST_EFORMAT, "%s: zip directory entry %llu runs past the directory", z->path,
                               (unsigned long long)e);
        if (!read_zip64(b + p + 46 + name_len, extra_len, m, m->size == 0xFFFFFFFFu, m->comp_size == 0xFFFFFFFFu,
                        m->local_offset == 0xFFFFFFFFu))
            return status_fail(msg, ST_EFORMAT, "%s: zip directory entry %llu has a broken zip64 field", z->path,
                               (unsigned long long)e);
        const char *name = (const char *)b + p + 46;
        p += 46 + name_len + extra_len + comment_len;
        /* Only .npy members are arrays; their name loses the extension. */
        if (name_len < 5 || memcmp(name + name_len - 4, ".npy", 4) != 0)
            continue;
        if (name_len - 4 >= NPZ_NAME_LEN || memchr(name, '\0', name_len - 4))
            return status_fail(msg, ST_EFORMAT, "%s: a member name is too long or holds a NUL byte", z->path);
        memcpy(m->name, name, name_len - 4);
        m->name[name_len - 4] = '\0';
        if (!text_is_clean(m->name))
            return status_fail(msg, ST_EFORMAT, "%s: a member name holds control characters", z->path);
        if (m->method != 0 && m->method != 8)
            return status_fail(msg, ST_EFORMAT, "%s: member %s is compressed with method %u (need stored or deflate)",
                               z->path, m->name, m->method);
        if (m->size > NPY_MAX_BYTES || m->comp_size > len || m->comp_size > 0xFFFFFFFFu || m->local_offset > len)
            return status_fail(msg, ST_EFORMAT, "%s: member %s claims sizes beyond the file", z->path, m->name);
        z->n++;
    }
    return ST_OK;
}

/* The archive in buf (taken over: freed on failure too). */
static Status npz_take(unsigned char *buf, size_t len, const char *name, Npz **out, char *msg)
{
    *out = NULL;
    Npz *z = calloc(1, sizeof *z);
    if (!z) {
        free(buf);
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
    }
    z->buf = buf;
    z->len = len;
    snprintf(z->path, sizeof z->path, "%s", name);
    Status st = parse_directory(z, msg);
    if (st) {
        npz_free(z);
        return st;
    }
    *out = z;
    return ST_OK;
}

Status npz_open_buffer(const unsigned char *buf, size_t len, const char *name, Npz **out, char *msg)
{
    *out = NULL;
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
    memcpy(copy, buf, len);
    return npz_take(copy, len, name, out, msg);
}

Status npz_open(const char *path, Npz **out, char *msg)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    Status st = file_read_all(path, (size_t)4 << 30, &buf, &len, msg);
    return st ? st : npz_take((unsigned char *)buf, len, path, out, msg);
}

Status npz_read(const Npz *z, size_t i, NpyArray *out, char *msg)
{
    memset(out, 0, sizeof *out);
    const NpzMember *m = &z->members[i];
    const unsigned char *b = z->buf;
    size_t off = (size_t)m->local_offset;
    if (off + 30 > z->len || bytes_le32(b + off) != 0x04034b50u)
        return status_fail(msg, ST_EFORMAT, "%s: the local header of %s is missing", z->path, m->name);
    size_t data = off + 30 + bytes_le16(b + off + 26) + bytes_le16(b + off + 28);
    if (data > z->len || m->comp_size > z->len - data)
        return status_fail(msg, ST_EFORMAT, "%s: member %s is cut short (truncated file?)", z->path, m->name);
    size_t size = (size_t)m->size;
    unsigned char *raw = malloc(size ? size : 1);
    if (!raw)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", z->path);
    Status st = ST_OK;
    if (m->method == 0) {
        if (m->comp_size != m->size)
            st = status_fail(msg, ST_EFORMAT, "%s: stored member %s has two sizes", z->path, m->name);
        else
            memcpy(raw, b + data, size);
    } else {
        /* Raw deflate (no zlib header); the output may not exceed the
         * declared size: a member that inflates further is refused. */
        z_stream s;
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
            free(raw);
            return status_fail(msg, ST_ENOMEM, "out of memory inflating %s", z->path);
        }
        /* The whole member in one call: a stream that would inflate past
         * the declared size ends with Z_BUF_ERROR, not Z_STREAM_END. */
        s.next_in = b + data;
        s.avail_in = (uInt)m->comp_size;
        s.next_out = raw;
        s.avail_out = (uInt)size;
        int r = inflate(&s, Z_FINISH);
        size_t done_out = (size_t)s.total_out;
        inflateEnd(&s);
        if (r != Z_STREAM_END || done_out != size)
            st = status_fail(msg, ST_EFORMAT, "%s: member %s does not inflate to its %llu bytes (corrupt?)", z->path,
                             m->name, (unsigned long long)m->size);
    }
    if (!st) {
        uLong crc = crc32(crc32(0L, Z_NULL, 0), raw, (uInt)size);
        if ((uint32_t)crc != m->crc)
            st = status_fail(msg, ST_EFORMAT, "%s: member %s fails its CRC-32 check (corrupt)", z->path, m->name);
    }
    if (!st) {
        char name[1200];
        snprintf(name, sizeof name, "%s:%s", z->path, m->name);
        st = npy_parse(raw, size, name, out, msg);
    }
    free(raw);
    return st;
}
