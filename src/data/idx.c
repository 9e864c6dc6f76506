#include "neurotop/data/idx.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

/* A gzip stream is decompressed in pieces of this size, so a forged header
 * claiming a huge payload costs at most one piece before EOF exposes it. */
#define GZ_CHUNK ((size_t)1 << 20)
/* Deflate cannot expand its input more than 1032 times (a run of one byte
 * costs at least 2 bits per 258 bytes); with the gzip header's 18 bytes
 * this bounds what a compressed file of a known size can hold. */
#define GZ_MAX_RATIO 1032ull

/* An open input: either a plain file whose exact size is known from fstat,
 * or a gzip stream whose decompressed size is only known by reading it. */
typedef struct {
    const char *path;
    FILE *f;
    gzFile gz;
    int regular;        /* plain regular file: size is exact */
    unsigned long long size;  /* the file's size (compressed, for gzip) */
} Source;

static void source_close(Source *s)
{
    if (s->f)
        fclose(s->f);
    if (s->gz)
        gzclose(s->gz);
    s->f = NULL;
    s->gz = NULL;
}

static Status source_open(Source *s, const char *path, char *msg)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    /* Only regular files: a FIFO must not block, a folder is no IDX file. */
    Status ost = file_fopen_regular(path, &s->f, msg);
    if (ost)
        return ost;
    struct stat st;
    if (fstat(fileno(s->f), &st) != 0) {
        Status r = status_fail(msg, ST_EIO, "cannot stat %s: %s", path, strerror(errno));
        source_close(s);
        return r;
    }
    unsigned char magic[2];
    size_t got = fread(magic, 1, 2, s->f);
    if (got == 0 && ferror(s->f)) {
        source_close(s);
        return status_fail(msg, ST_EIO, "cannot read %s", path);
    }
    if (got == 0) {
        source_close(s);
        return status_fail(msg, ST_EFORMAT, "%s is empty", path);
    }
    s->size = (unsigned long long)st.st_size;
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        /* gzip by content, not by name: rewind and hand the descriptor over. */
        int fd = dup(fileno(s->f));
        if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
            if (fd >= 0)
                close(fd);
            source_close(s);
            return status_fail(msg, ST_EIO, "cannot reopen %s: %s", path, strerror(errno));
        }
        fclose(s->f);
        s->f = NULL;
        s->gz = gzdopen(fd, "rb");
        if (!s->gz) {
            close(fd);
            return status_fail(msg, ST_ENOMEM, "out of memory opening gzip file %s", path);
        }
        gzbuffer(s->gz, 128 * 1024);
        return ST_OK;
    }
    if (fseek(s->f, 0, SEEK_SET) != 0) {
        source_close(s);
        return status_fail(msg, ST_EIO, "cannot rewind %s", path);
    }
    s->regular = 1;
    return ST_OK;
}

/* Read up to len bytes; *got says how many. Fails only on I/O or gzip
 * corruption errors; a short count means end of data. */
static Status source_read(Source *s, void *buf, size_t len, size_t *got, char *msg)
{
    *got = 0;
    unsigned char *p = buf;
    while (*got < len) {
        size_t want = len - *got;
        if (s->gz) {
            if (want > GZ_CHUNK)
                want = GZ_CHUNK;
            int r = gzread(s->gz, p + *got, (unsigned)want);
            int err = Z_OK;
            const char *text = gzerror(s->gz, &err);
            if (r < 0 || (err != Z_OK && err != Z_BUF_ERROR))
                return status_fail(msg, ST_EFORMAT, "%s is not a valid gzip file: %s", s->path,
                                   text ? text : "unknown zlib error");
            if (r == 0)
                break;
            *got += (size_t)r;
        } else {
            size_t r = fread(p + *got, 1, want, s->f);
            if (r == 0) {
                if (ferror(s->f))
                    return status_fail(msg, ST_EIO, "cannot read %s", s->path);
                break;
            }
            *got += r;
        }
    }
    return ST_OK;
}

/* True when a gzip stream ended without its trailer (zlib's
 * "unexpected end of file"). */
static int source_gz_cut(Source *s)
{
    int err = Z_OK;
    if (!s->gz)
        return 0;
    gzerror(s->gz, &err);
    return err == Z_BUF_ERROR;
}

/* Parse the 4-byte magic and nd dimensions; dims[] gets them. */
static Status read_header(Source *s, unsigned nd_want, const char *what, uint32_t *dims,
                          size_t *header_len, char *msg)
{
    unsigned char h[4 + 4 * 3];
    size_t got;
    Status st = source_read(s, h, 4, &got, msg);
    if (st != ST_OK)
        return st;
    if (got == 0)
        return status_fail(msg, ST_EFORMAT, "%s is empty", s->path);
    if (got < 4)
        return status_fail(msg, ST_EFORMAT, "%s is truncated: only %zu bytes, shorter than an IDX header",
                           s->path, got);
    if (h[0] != 0 || h[1] != 0)
        return status_fail(msg, ST_EFORMAT,
                           "%s has the wrong magic number (%02x %02x %02x %02x, expected 00 00 08 %02x): "
                           "it is not an IDX file",
                           s->path, h[0], h[1], h[2], h[3], nd_want);
    if (h[2] != 0x08)
        return status_fail(msg, ST_EFORMAT,
                           "%s has IDX type byte 0x%02x: only unsigned bytes (0x08) are supported",
                           s->path, h[2]);
    if (h[3] != nd_want)
        return status_fail(msg, ST_EFORMAT, "%s has %u dimensions, expected %u for %s", s->path,
                           (unsigned)h[3], nd_want, what);
    st = source_read(s, h + 4, 4 * (size_t)nd_want, &got, msg);
    if (st != ST_OK)
        return st;
    if (got < 4 * (size_t)nd_want)
        return status_fail(msg, ST_EFORMAT, "%s is truncated inside its IDX header", s->path);
    for (unsigned k = 0; k < nd_want; k++) {
        const unsigned char *b = h + 4 + 4 * k;
        dims[k] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
    }
    if (dims[0] == 0)
        return status_fail(msg, ST_EFORMAT, "%s holds zero items", s->path);
    for (unsigned k = 1; k < nd_want; k++)
        if (dims[k] == 0)
            return status_fail(msg, ST_EFORMAT, "%s has a zero dimension (%u)", s->path, k);
    *header_len = 4 + 4 * (size_t)nd_want;
    return ST_OK;
}

/* Read exactly total data bytes after the header, then insist on EOF. */
static Status read_body(Source *s, size_t header_len, size_t total, uint8_t **out, char *msg)
{
    *out = NULL;
    if (s->regular) {
        /* The file size is known: compare before allocating anything. */
        unsigned long long have = s->size > header_len ? s->size - header_len : 0;
        if (have < total)
            return status_fail(msg, ST_EFORMAT,
                               "%s is truncated: its header promises %zu data bytes but it holds %llu",
                               s->path, total, have);
        if (have > total)
            return status_fail(msg, ST_EFORMAT,
                               "%s has %llu trailing bytes after the %zu data bytes its header promises",
                               s->path, have - total, total);
    }
    if (s->gz) {
        /* A gzip bomb is stopped here, before anything is inflated: what the
         * header promises must fit what the compressed size can hold. A
         * stream holding more than promised stops at the promise plus 64
         * bytes, one holding less at its end (below). */
        unsigned long long want = (unsigned long long)header_len + total;
        if (want > GZ_MAX_RATIO * s->size)
            return status_fail(msg, ST_EFORMAT,
                               "%s claims %zu data bytes, more than a gzip file of %llu bytes can hold",
                               s->path, total, s->size);
    }
    size_t cap = (s->regular || total <= GZ_CHUNK) ? total : GZ_CHUNK;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s (%zu bytes)", s->path, cap);
    size_t n = 0;
    Status st;
    while (n < total) {
        if (n == cap) {
            size_t next = cap > total / 2 ? total : cap * 2;
            uint8_t *p = realloc(buf, next);
            if (!p) {
                st = status_fail(msg, ST_ENOMEM, "out of memory reading %s (%zu bytes)", s->path, next);
                goto fail;
            }
            buf = p;
            cap = next;
        }
        size_t want = cap - n, got;
        st = source_read(s, buf + n, want, &got, msg);
        if (st != ST_OK)
            goto fail;
        n += got;
        if (got < want)
            break;
    }
    if (n < total) {
        st = status_fail(msg, ST_EFORMAT,
                         "%s is truncated: its header promises %zu data bytes but it holds %zu%s", s->path,
                         total, n, source_gz_cut(s) ? " (the gzip stream is cut short)" : "");
        goto fail;
    }
    unsigned char extra[64];
    size_t more;
    st = source_read(s, extra, sizeof extra, &more, msg);
    if (st != ST_OK)
        goto fail;
    if (more > 0) {
        st = status_fail(msg, ST_EFORMAT, "%s has trailing bytes after the %zu data bytes its header promises",
                         s->path, total);
        goto fail;
    }
    if (source_gz_cut(s)) {
        st = status_fail(msg, ST_EFORMAT, "%s is truncated: the gzip stream ends without its checksum",
                         s->path);
        goto fail;
    }
    *out = buf;
    return ST_OK;
fail:
    free(buf);
    return st;
}

Status idx_read_images(const char *path, ImageSet *out, char *msg)
{
    memset(out, 0, sizeof *out);
    Source s;
    Status st = source_open(&s, path, msg);
    if (st != ST_OK)
        return st;
    uint32_t dims[3];
    size_t header_len, total;
    st = read_header(&s, 3, "images (n, rows, cols)", dims, &header_len, msg);
    if (st != ST_OK)
        goto done;
    if (size_mul(dims[0], dims[1], &total) != 0 || size_mul(total, dims[2], &total) != 0 ||
        total > IDX_MAX_BYTES) {
        st = status_fail(msg, ST_EFORMAT, "%s claims %u x %u x %u pixels, more than the limit of 2^30 bytes",
                         path, dims[0], dims[1], dims[2]);
        goto done;
    }
    uint8_t *pixels;
    st = read_body(&s, header_len, total, &pixels, msg);
    if (st != ST_OK)
        goto done;
    out->n = dims[0];
    out->rows = dims[1];
    out->cols = dims[2];
    out->pixels = pixels;
done:
    source_close(&s);
    return st;
}

Status idx_read_labels(const char *path, uint8_t **labels, size_t *n, char *msg)
{
    *labels = NULL;
    *n = 0;
    Source s;
    Status st = source_open(&s, path, msg);
    if (st != ST_OK)
        return st;
    uint32_t dims[1];
    size_t header_len;
    st = read_header(&s, 1, "labels (n)", dims, &header_len, msg);
    if (st != ST_OK)
        goto done;
    if ((size_t)dims[0] > IDX_MAX_BYTES) {
        st = status_fail(msg, ST_EFORMAT, "%s claims %u labels, more than the limit of 2^30", path, dims[0]);
        goto done;
    }
    st = read_body(&s, header_len, dims[0], labels, msg);
    if (st == ST_OK)
        *n = dims[0];
done:
    source_close(&s);
    return st;
}

Status idx_read_pair(const char *images, const char *labels, ImageSet *out, char *msg)
{
    Status st = idx_read_images(images, out, msg);
    if (st != ST_OK)
        return st;
    size_t n;
    st = idx_read_labels(labels, &out->labels, &n, msg);
    if (st != ST_OK) {
        imageset_done(out);
        return st;
    }
    if (n != out->n) {
        st = status_fail(msg, ST_EFORMAT, "%s holds %zu images but %s holds %zu labels", images, out->n,
                         labels, n);
        imageset_done(out);
        return st;
    }
    uint8_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (out->labels[i] > max)
            max = out->labels[i];
    out->n_classes = (size_t)max + 1;
    return ST_OK;
}

static int ends_with_gz(const char *path)
{
    size_t n = strlen(path);
    return n >= 3 && strcmp(path + n - 3, ".gz") == 0;
}

/* gzip the buffer in memory (no name, zero time: deterministic output). */
static Status gzip_buffer(const char *path, const uint8_t *in, size_t len, uint8_t **out, size_t *out_len,
                          char *msg)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return status_fail(msg, ST_ENOMEM, "cannot start gzip compression for %s", path);
    size_t cap = (size_t)deflateBound(&z, (uLong)len);
    uint8_t *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return status_fail(msg, ST_ENOMEM, "out of memory compressing %s", path);
    }
    z.next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const-correct */
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int r = deflate(&z, Z_FINISH);
    size_t produced = cap - z.avail_out;
    deflateEnd(&z);
    if (r != Z_STREAM_END) {
        free(buf);
        return status_fail(msg, ST_EINTERNAL, "gzip compression of %s failed (zlib code %d)", path, r);
    }
    *out = buf;
    *out_len = produced;
    return ST_OK;
}

/* Header + data into one buffer, optionally gzipped, then an atomic write. */
static Status write_idx(const char *path, unsigned nd, const uint32_t *dims, const uint8_t *data, size_t len,
                        char *msg)
{
    size_t header_len = 4 + 4 * (size_t)nd;
    uint8_t *raw = malloc(header_len + len);
    if (!raw)
        return status_fail(msg, ST_ENOMEM, "out of memory writing %s", path);
    raw[0] = 0;
    raw[1] = 0;
    raw[2] = 0x08;
    raw[3] = (uint8_t)nd;
    for (unsigned k = 0; k < nd; k++) {
        uint8_t *b = raw + 4 + 4 * k;
        b[0] = (uint8_t)(dims[k] >> 24);
        b[1] = (uint8_t)(dims[k] >> 16);
        b[2] = (uint8_t)(dims[k] >> 8);
        b[3] = (uint8_t)dims[k];
    }
    memcpy(raw + header_len, data, len);
    Status st;
    if (ends_with_gz(path)) {
        uint8_t *gz = NULL;
        size_t gz_len = 0;
        st = gzip_buffer(path, raw, header_len + len, &gz, &gz_len, msg);
        if (st == ST_OK) {
            st = file_write_atomic(path, gz, gz_len, msg);
            free(gz);
        }
    } else {
        st = file_write_atomic(path, raw, header_len + len, msg);
    }
    free(raw);
    return st;
}

Status idx_write_images(const char *path, const ImageSet *s, char *msg)
{
    size_t total;
    if (s->n == 0 || s->rows == 0 || s->cols == 0 || !s->pixels)
        return status_fail(msg, ST_EINVAL, "cannot write %s: the image set is empty", path);
    if (s->n > UINT32_MAX || s->rows > UINT32_MAX || s->cols > UINT32_MAX ||
        size_mul(s->n, s->rows, &total) != 0 || size_mul(total, s->cols, &total) != 0 ||
        total > IMAGESET_MAX_BYTES)
        return status_fail(msg, ST_EINVAL, "cannot write %s: %zu x %zu x %zu pixels exceed the 2^31-byte limit",
                           path, s->n, s->rows, s->cols);
    uint32_t dims[3] = {(uint32_t)s->n, (uint32_t)s->rows, (uint32_t)s->cols};
    return write_idx(path, 3, dims, s->pixels, total, msg);
}

Status idx_write_labels(const char *path, const uint8_t *labels, size_t n, char *msg)
{
    if (n == 0 || !labels)
        return status_fail(msg, ST_EINVAL, "cannot write %s: there are no labels", path);
    if (n > IMAGESET_MAX_BYTES)
        return status_fail(msg, ST_EINVAL, "cannot write %s: %zu labels exceed the 2^31 limit", path, n);
    uint32_t dims[1] = {(uint32_t)n};
    return write_idx(path, 1, dims, labels, n, msg);
}
