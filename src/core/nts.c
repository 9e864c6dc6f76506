#include "neurotop/core/nts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/bytes.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

#define HEAD_FIXED 24 /* magic, version, n_sections, flags, file_len */
#define ENTRY_SIZE 96
#define HEAD_TAIL 8 /* header CRC + padding */
#define DIM_MAX UINT64_C(0xFFFFFFFF)

typedef struct {
    char name[NTS_NAME_LEN];
    NtsType type;
    size_t n_dims;
    size_t dims[NTS_MAX_DIMS];
    unsigned char *payload; /* little-endian bytes, owned */
    size_t len;
} WSection;

struct NtsWriter {
    WSection *sec;
    size_t n, cap;
};

struct NtsFile {
    char *name;         /* path for messages, owned */
    unsigned char *buf; /* the whole file, owned; numeric views point into it */
    size_t len;
    size_t n;
    NtsSection *sec;
    char **texts; /* NUL-terminated copies of the text sections, owned */
};

/* ---- little-endian helpers ---------------------------------------------- */

static int host_is_little(void)
{
    const uint32_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* Reverse each 4-byte word: converts between host and little-endian order
 * on big-endian hosts (a no-op is never called on little-endian ones). */
static void swap_words(unsigned char *p, size_t n_words)
{
    for (size_t i = 0; i < n_words; i++, p += 4) {
        unsigned char t = p[0];
        p[0] = p[3];
        p[3] = t;
        t = p[1];
        p[1] = p[2];
        p[2] = t;
    }
}

static size_t align8(size_t v)
{
    return (v + 7) & ~(size_t)7;
}

/* ---- writer ------------------------------------------------------------- */

NtsWriter *nts_writer_new(void)
{
    return calloc(1, sizeof(NtsWriter));
}

void nts_writer_free(NtsWriter *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->sec[i].payload);
    free(w->sec);
    free(w);
}

static Status add_section(NtsWriter *w, const char *name, NtsType type, size_t n_dims,
                          const size_t *dims, const void *data, size_t elem, char *msg)
{
    if (!w || !name)
        return status_fail(msg, ST_EINVAL, "nts section needs a writer and a name");
    size_t nlen = strlen(name);
    if (nlen == 0 || nlen >= NTS_NAME_LEN)
        return status_fail(msg, ST_EINVAL, "nts section name \"%s\" must be 1 to %d bytes", name,
                           NTS_NAME_LEN - 1);
    if (n_dims < 1 || n_dims > NTS_MAX_DIMS || !dims)
        return status_fail(msg, ST_EINVAL, "nts section \"%s\" needs 1 to %d dimensions", name,
                           NTS_MAX_DIMS);
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->sec[i].name, name) == 0)
            return status_fail(msg, ST_EINVAL, "nts section \"%s\" is added twice", name);
    if (w->n == NTS_MAX_SECTIONS)
        return status_fail(msg, ST_EINVAL, "an nts file holds at most %d sections",
                           NTS_MAX_SECTIONS);
    size_t count = 1;
    for (size_t i = 0; i < n_dims; i++) {
        if ((uint64_t)dims[i] > DIM_MAX || size_mul(count, dims[i], &count) != 0)
            return status_fail(msg, ST_EINVAL, "nts section \"%s\" has absurd dimensions", name);
    }
    size_t len;
    if (size_mul(count, elem, &len) != 0 || len > NTS_MAX_FILE_BYTES)
        return status_fail(msg, ST_EINVAL, "nts section \"%s\" is too large", name);
    if (len > 0 && !data)
        return status_fail(msg, ST_EINVAL, "nts section \"%s\" has no data", name);
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        WSection *s = realloc(w->sec, cap * sizeof *s);
        if (!s)
            return status_fail(msg, ST_ENOMEM, "out of memory adding nts section \"%s\"", name);
        w->sec = s;
        w->cap = cap;
    }
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        return status_fail(msg, ST_ENOMEM, "out of memory adding nts section \"%s\"", name);
    if (len)
        memcpy(copy, data, len);
    if (elem == 4 && !host_is_little())
        swap_words(copy, count);
    WSection *s = &w->sec[w->n++];
    memset(s, 0, sizeof *s);
    memcpy(s->name, name, nlen);
    s->type = type;
    s->n_dims = n_dims;
    for (size_t i = 0; i < n_dims; i++)
        s->dims[i] = dims[i];
    s->payload = copy;
    s->len = len;
    return ST_OK;
}

Status nts_add_f32(NtsWriter *w, const char *name, const float *data, size_t n_dims,
                   const size_t *dims, char *msg)
{
    return add_section(w, name, NTS_F32, n_dims, dims, data, sizeof(float), msg);
}

Status nts_add_u32(NtsWriter *w, const char *name, const uint32_t *data, size_t n_dims,
                   const size_t *dims, char *msg)
{
    return add_section(w, name, NTS_U32, n_dims, dims, data, sizeof(uint32_t), msg);
}

Status nts_add_text(NtsWriter *w, const char *name, const char *text, char *msg)
{
    if (!text)
        return status_fail(msg, ST_EINVAL, "nts text section \"%s\" has no text",
                           name ? name : "?");
    size_t dims[1] = {strlen(text)};
    return add_section(w, name, NTS_TEXT, 1, dims, text, 1, msg);
}

Status nts_writer_encode(const NtsWriter *w, unsigned char **out, size_t *len, char *msg)
{
    *out = NULL;
    *len = 0;
    size_t head = HEAD_FIXED + ENTRY_SIZE * w->n + HEAD_TAIL;
    size_t total = align8(head);
    for (size_t i = 0; i < w->n; i++) {
        if (w->sec[i].len > NTS_MAX_FILE_BYTES - total)
            return status_fail(msg, ST_EINVAL, "nts file would exceed %zu bytes",
                               NTS_MAX_FILE_BYTES);
        total = align8(total + w->sec[i].len);
    }
    unsigned char *buf = calloc(1, total);
    if (!buf)
        return status_fail(msg, ST_ENOMEM, "out of memory encoding an nts file of %zu bytes",
                           total);
    memcpy(buf, "NTS1", 4);
    bytes_put_le32(buf + 4, NTS_VERSION);
    bytes_put_le32(buf + 8, (uint32_t)w->n);
    bytes_put_le32(buf + 12, 0);
    bytes_put_le64(buf + 16, (uint64_t)total);
    size_t off = align8(head);
    for (size_t i = 0; i < w->n; i++) {
        const WSection *s = &w->sec[i];
        unsigned char *e = buf + HEAD_FIXED + ENTRY_SIZE * i;
        memcpy(e, s->name, NTS_NAME_LEN);
        bytes_put_le32(e + 32, (uint32_t)s->type);
        bytes_put_le32(e + 36, (uint32_t)s->n_dims);
        for (size_t d = 0; d < NTS_MAX_DIMS; d++)
            bytes_put_le64(e + 40 + 8 * d, d < s->n_dims ? (uint64_t)s->dims[d] : 0);
        bytes_put_le64(e + 72, (uint64_t)off);
        bytes_put_le64(e + 80, (uint64_t)s->len);
        bytes_put_le32(e + 88, bytes_crc32(s->payload, s->len));
        if (s->len)
            memcpy(buf + off, s->payload, s->len);
        off = align8(off + s->len);
    }
    size_t crc_at = HEAD_FIXED + ENTRY_SIZE * w->n;
    bytes_put_le32(buf + crc_at, bytes_crc32(buf, crc_at));
    *out = buf;
    *len = total;
    return ST_OK;
}

Status nts_writer_save(const NtsWriter *w, const char *path, char *msg)
{
    unsigned char *buf;
    size_t len;
    Status st = nts_writer_encode(w, &buf, &len, msg);
    if (st != ST_OK)
        return st;
    st = file_write_atomic(path, buf, len, msg);
    free(buf);
    return st;
}

/* ---- reader ------------------------------------------------------------- */

void nts_file_free(NtsFile *f)
{
    if (!f)
        return;
    if (f->texts)
        for (size_t i = 0; i < f->n; i++)
            free(f->texts[i]);
    free(f->texts);
    free(f->sec);
    free(f->buf);
    free(f->name);
    free(f);
}

/* Validate one table entry against the file and fill the view. */
static Status parse_entry(NtsFile *f, size_t i, size_t head_end, const char *fname, char *msg)
{
    const unsigned char *e = f->buf + HEAD_FIXED + ENTRY_SIZE * i;
    NtsSection *s = &f->sec[i];
    if (!memchr(e, 0, NTS_NAME_LEN) || e[0] == 0)
        return status_fail(msg, ST_EFORMAT, "%s: section %zu has no valid name", fname, i);
    memcpy(s->name, e, NTS_NAME_LEN);
    const char *nm = s->name;
    for (size_t j = 0; j < i; j++)
        if (strcmp(f->sec[j].name, nm) == 0)
            return status_fail(msg, ST_EFORMAT, "%s: section \"%s\" appears twice", fname, nm);
    uint32_t type = bytes_le32(e + 32);
    uint32_t n_dims = bytes_le32(e + 36);
    size_t elem;
    if (type == NTS_F32 || type == NTS_U32)
        elem = 4;
    else if (type == NTS_TEXT)
        elem = 1;
    else
        return status_fail(msg, ST_EFORMAT, "%s: section \"%s\" has unknown type %u", fname, nm,
                           (unsigned)type);
    if (n_dims < 1 || n_dims > NTS_MAX_DIMS || (type == NTS_TEXT && n_dims != 1))
        return status_fail(msg, ST_EFORMAT, "%s: section \"%s\" has %u dimensions", fname, nm,
                           (unsigned)n_dims);
    uint64_t count = 1;
    int overflow = 0;
    for (size_t d = 0; d < NTS_MAX_DIMS; d++) {
        uint64_t v = bytes_le64(e + 40 + 8 * d);
        if (d >= n_dims) {
            if (v != 0)
                return status_fail(msg, ST_EFORMAT, "%s: section \"%s\" has a stray dimension",
                                   fname, nm);
            continue;
        }
        if (v > DIM_MAX)
            return status_fail(msg, ST_EFORMAT,
                               "%s: section \"%s\" claims an absurd dimension (%llu)", fname, nm,
                               (unsigned long long)v);
        if (v != 0 && count > UINT64_MAX / v)
            overflow = 1;
        count *= v;
        s->dims[d] = (size_t)v;
    }
    uint64_t off = bytes_le64(e + 72), plen = bytes_le64(e + 80);
    if (overflow || count > UINT64_MAX / elem || count * elem != plen)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"%s\" dimensions do not match its payload length", fname,
                           nm);
    if (off < head_end || off % 8 != 0 || off > f->len || plen > f->len - off)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"%s\" claims %llu bytes at offset %llu, beyond the %zu-byte "
                           "file or inside its header",
                           fname, nm, (unsigned long long)plen, (unsigned long long)off, f->len);
    unsigned char *p = f->buf + off;
    uint32_t want = bytes_le32(e + 88), got = bytes_crc32(p, (size_t)plen);
    if (want != got)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"%s\" is corrupted (CRC32 %08x, expected %08x)", fname, nm,
                           (unsigned)got, (unsigned)want);
    s->type = (NtsType)type;
    s->n_dims = n_dims;
    s->count = (size_t)count;
    if (type == NTS_TEXT) {
        if (memchr(p, 0, (size_t)plen))
            return status_fail(msg, ST_EFORMAT, "%s: text section \"%s\" contains a NUL byte",
                               fname, nm);
        f->texts[i] = malloc((size_t)plen + 1);
        if (!f->texts[i])
            return status_fail(msg, ST_ENOMEM, "out of memory reading %s", fname);
        memcpy(f->texts[i], p, (size_t)plen);
        f->texts[i][plen] = '\0';
        s->text = f->texts[i];
        return ST_OK;
    }
    if (!host_is_little())
        swap_words(p, (size_t)count);
    /* Offsets are multiples of 8 into a malloc'ed buffer, so the casts are
     * suitably aligned. */
    if (type == NTS_F32)
        s->f32 = (const float *)(const void *)p;
    else
        s->u32 = (const uint32_t *)(const void *)p;
    return ST_OK;
}

/* A truncated file: name the first section cut short when the table is
 * still intact, so the message says what was lost. */
static Status truncated(const unsigned char *buf, size_t len, uint64_t file_len,
                        const char *fname, char *msg)
{
    uint32_t n = bytes_le32(buf + 8);
    size_t crc_at = HEAD_FIXED + ENTRY_SIZE * (size_t)(n <= NTS_MAX_SECTIONS ? n : 0);
    if (n <= NTS_MAX_SECTIONS && crc_at + 4 <= len && bytes_le32(buf + crc_at) == bytes_crc32(buf, crc_at)) {
        for (size_t i = 0; i < n; i++) {
            const unsigned char *e = buf + HEAD_FIXED + ENTRY_SIZE * i;
            uint64_t off = bytes_le64(e + 72), plen = bytes_le64(e + 80);
            if (off > len || plen > len - off) {
                char nm[NTS_NAME_LEN];
                memcpy(nm, e, NTS_NAME_LEN);
                nm[NTS_NAME_LEN - 1] = '\0';
                return status_fail(msg, ST_EFORMAT,
                                   "%s is truncated in section \"%s\": its header says %llu "
                                   "bytes, the file has %zu",
                                   fname, nm, (unsigned long long)file_len, len);
            }
        }
    }
    return status_fail(msg, ST_EFORMAT, "%s is truncated: its header says %llu bytes, the file has %zu",
                       fname, (unsigned long long)file_len, len);
}

/* Takes ownership of buf (freed on failure). */
static Status parse_owned(unsigned char *buf, size_t len, const char *fname, NtsFile **out,
                          char *msg)
{
    *out = NULL;
    Status st;
    NtsFile *f = calloc(1, sizeof *f);
    if (!f) {
        free(buf);
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", fname);
    }
    f->buf = buf;
    f->len = len;
    f->name = malloc(strlen(fname) + 1);
    if (!f->name) {
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", fname);
        goto fail;
    }
    strcpy(f->name, fname);
    if (len == 0) {
        st = status_fail(msg, ST_EFORMAT, "%s is empty", fname);
        goto fail;
    }
    if (len < 4 || memcmp(buf, "NTS1", 4) != 0) {
        st = status_fail(msg, ST_EFORMAT, "%s is not an nts snapshot (bad magic)", fname);
        goto fail;
    }
    if (len < HEAD_FIXED + HEAD_TAIL) {
        st = status_fail(msg, ST_EFORMAT, "%s is truncated inside its header (%zu bytes)", fname,
                         len);
        goto fail;
    }
    uint32_t version = bytes_le32(buf + 4), n = bytes_le32(buf + 8), flags = bytes_le32(buf + 12);
    uint64_t file_len = bytes_le64(buf + 16);
    if (version != NTS_VERSION) {
        st = status_fail(msg, ST_EFORMAT, "%s has nts version %u; this build reads version %d",
                         fname, (unsigned)version, NTS_VERSION);
        goto fail;
    }
    if (flags != 0) {
        st = status_fail(msg, ST_EFORMAT, "%s has unknown header flags %08x", fname,
                         (unsigned)flags);
        goto fail;
    }
    if (file_len > (uint64_t)len) {
        st = truncated(buf, len, file_len, fname, msg);
        goto fail;
    }
    if (file_len != (uint64_t)len) {
        st = status_fail(msg, ST_EFORMAT,
                         "%s has %zu trailing bytes after the %llu recorded in its header", fname,
                         len - (size_t)file_len, (unsigned long long)file_len);
        goto fail;
    }
    if (n > NTS_MAX_SECTIONS || (uint64_t)HEAD_FIXED + (uint64_t)ENTRY_SIZE * n + HEAD_TAIL > len) {
        st = status_fail(msg, ST_EFORMAT, "%s claims %u sections, more than the file can hold",
                         fname, (unsigned)n);
        goto fail;
    }
    size_t crc_at = HEAD_FIXED + ENTRY_SIZE * (size_t)n;
    if (bytes_le32(buf + crc_at) != bytes_crc32(buf, crc_at)) {
        st = status_fail(msg, ST_EFORMAT, "%s: the header and section table are corrupted (CRC32)",
                         fname);
        goto fail;
    }
    f->n = n;
    f->sec = calloc(n ? n : 1, sizeof *f->sec);
    f->texts = calloc(n ? n : 1, sizeof *f->texts);
    if (!f->sec || !f->texts) {
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", fname);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        st = parse_entry(f, i, crc_at + HEAD_TAIL, fname, msg);
        if (st != ST_OK)
            goto fail;
    }
    *out = f;
    return ST_OK;
fail:
    nts_file_free(f);
    return st;
}

Status nts_parse(const void *data, size_t len, const char *name, NtsFile **out, char *msg)
{
    *out = NULL;
    if (len > NTS_MAX_FILE_BYTES)
        return status_fail(msg, ST_EFORMAT, "%s is larger than %zu bytes", name,
                           NTS_MAX_FILE_BYTES);
    unsigned char *buf = malloc(len ? len : 1);
    if (!buf)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
    if (len)
        memcpy(buf, data, len);
    return parse_owned(buf, len, name, out, msg);
}

Status nts_open(const char *path, NtsFile **out, char *msg)
{
    *out = NULL;
    FILE *fp;
    Status ost = file_fopen_regular(path, &fp, msg); /* never blocks on a FIFO */
    if (ost)
        return ost == ST_ENOMEM ? ost : ST_EIO;
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0) {
        fclose(fp);
        return status_fail(msg, ST_EIO, "cannot read %s: %s", path, strerror(errno));
    }
    /* The allocation is bounded by the real file size, never by a claim. */
    if ((uint64_t)sb.st_size > (uint64_t)NTS_MAX_FILE_BYTES) {
        fclose(fp);
        return status_fail(msg, ST_EFORMAT, "%s is larger than %zu bytes", path,
                           NTS_MAX_FILE_BYTES);
    }
    size_t len = (size_t)sb.st_size;
    unsigned char *buf = malloc(len ? len : 1);
    if (!buf) {
        fclose(fp);
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
    }
    size_t got = len ? fread(buf, 1, len, fp) : 0;
    int err = ferror(fp);
    fclose(fp);
    if (err || got != len) {
        free(buf);
        return status_fail(msg, ST_EIO, "cannot read %s", path);
    }
    return parse_owned(buf, len, path, out, msg);
}

const char *nts_file_name(const NtsFile *f)
{
    return f ? f->name : "";
}

size_t nts_section_count(const NtsFile *f)
{
    return f ? f->n : 0;
}

const NtsSection *nts_section_at(const NtsFile *f, size_t i)
{
    return f && i < f->n ? &f->sec[i] : NULL;
}

const NtsSection *nts_find(const NtsFile *f, const char *name)
{
    if (!f || !name)
        return NULL;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->sec[i].name, name) == 0)
            return &f->sec[i];
    return NULL;
}
