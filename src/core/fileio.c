#include "neurotop/core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/strbuf.h"

/* What a path is, in words, for a message about a file that is not regular. */
static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    return "not a regular file";
}

Status file_open_regular(const char *path, int *fd_out, unsigned long long *size, char *msg)
{
    *fd_out = -1;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return status_fail(msg, e == ENOENT ? ST_ENOTFOUND : ST_EIO, "cannot open %s: %s", path,
                           e == ELOOP ? "too many levels of symbolic links" : strerror(e));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        Status st = status_fail(msg, ST_EIO, "cannot read %s: %s", path, strerror(errno));
        close(fd);
        return st;
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        if (S_ISDIR(sb.st_mode))
            return status_fail(msg, ST_EINVAL, "%s is a folder, not a file", path);
        return status_fail(msg, ST_EINVAL, "%s is %s, not a regular file", path, kind_of(sb.st_mode));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        Status st = status_fail(msg, ST_EIO, "cannot read %s: %s", path, strerror(errno));
        close(fd);
        return st;
    }
    *fd_out = fd;
    if (size)
        *size = (unsigned long long)sb.st_size;
    return ST_OK;
}

Status file_fopen_regular(const char *path, FILE **out, char *msg)
{
    *out = NULL;
    int fd;
    Status st = file_open_regular(path, &fd, NULL, msg);
    if (st)
        return st;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return status_fail(msg, ST_ENOMEM, "out of memory opening %s", path);
    }
    *out = f;
    return ST_OK;
}

Status file_read_all(const char *path, size_t max_len, char **out, size_t *len, char *msg)
{
    *out = NULL;
    if (len)
        *len = 0;
    FILE *f;
    Status st = file_fopen_regular(path, &f, msg);
    if (st)
        return st == ST_ENOTFOUND ? ST_EIO : st; /* its callers' contract: missing is unreadable */
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max_len) {
                free(buf);
                fclose(f);
                return status_fail(msg, ST_EIO, "%s is larger than %zu bytes", path, max_len);
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                fclose(f);
                return status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err || n > max_len) {
        free(buf);
        return err ? status_fail(msg, ST_EIO, "cannot read %s: %s", path, strerror(err))
                   : status_fail(msg, ST_EIO, "%s is larger than %zu bytes", path, max_len);
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return ST_OK;
}

Status file_write_atomic(const char *path, const void *data, size_t len, char *msg)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp)
        return status_fail(msg, ST_ENOMEM, "out of memory writing %s", path);
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        Status st = status_fail(msg, ST_EIO, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return st;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return ST_OK;
fail:;
    int e = errno;
    Status st = status_fail(msg, ST_EIO, "cannot write %s: %s", path, strerror(e));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    errno = e; /* callers tell a full disk from other failures */
    return st;
}

Status file_make_dirs(const char *path, char *msg)
{
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    memcpy(p, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                Status st = status_fail(msg, ST_EIO, "cannot create folder %s: %s", p, strerror(errno));
                free(p);
                return st;
            }
            p[i] = c;
        }
    }
    free(p);
    return ST_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

static int is_blank_line(const char *s, const char *end)
{
    for (; s < end; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return 0;
    return 1;
}

/* Parse one number token [s, end) (surrounding spaces allowed). */
static int parse_number(const char *s, const char *end, double *v)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    if (s == end || end - s > 64)
        return -1;
    char tok[80];
    memcpy(tok, s, (size_t)(end - s));
    tok[end - s] = '\0';
    char *stop;
    errno = 0;
    double x = strtod(tok, &stop);
    if (*stop != '\0' || stop == tok)
        return -1;
    *v = x;
    return 0;
}

/* A UTF-8 byte-order mark (spreadsheets write one) is invisible: skip it. */
static const char *skip_bom(const char *text)
{
    return strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
}

Status csv_parse_matrix(const char *text, const char *name, Matrix **out, char *msg)
{
    *out = NULL;
    text = skip_bom(text);
    size_t rows = 0, cols = 0, cap = 0, count = 0;
    double *vals = NULL;
    const char *line = text;
    size_t lineno = 0;
    Status st = ST_OK;
    while (*line) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            eol = line + strlen(line);
        lineno++;
        if (!is_blank_line(line, eol)) {
            size_t ncol = 0;
            const char *tok = line;
            for (;;) {
                const char *comma = memchr(tok, ',', (size_t)(eol - tok));
                const char *tend = comma ? comma : eol;
                double v;
                if (parse_number(tok, tend, &v)) {
                    int len = (int)(tend - tok);
                    st = status_fail(msg, ST_EFORMAT, "%s line %zu: '%.*s' is not a number", name,
                                     lineno, len > 40 ? 40 : len, tok);
                    goto fail;
                }
                if (!isfinite(v)) {
                    st = status_fail(msg, ST_EFORMAT, "%s line %zu: NaN or infinite value", name, lineno);
                    goto fail;
                }
                if (count == cap) {
                    size_t nc = cap ? cap * 2 : 1024;
                    double *p = realloc(vals, nc * sizeof *p);
                    if (!p) {
                        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
                        goto fail;
                    }
                    vals = p;
                    cap = nc;
                }
                vals[count++] = v;
                ncol++;
                if (!comma)
                    break;
                tok = comma + 1;
            }
            if (rows == 0)
                cols = ncol;
            else if (ncol != cols) {
                st = status_fail(msg, ST_EFORMAT, "%s line %zu has %zu values but earlier rows have %zu",
                                 name, lineno, ncol, cols);
                goto fail;
            }
            rows++;
        }
        line = *eol ? eol + 1 : eol;
    }
    if (rows == 0) {
        st = status_fail(msg, ST_EFORMAT, "%s is empty", name);
        goto fail;
    }
    Matrix *m = matrix_new(rows, cols);
    if (!m) {
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
        goto fail;
    }
    memcpy(m->data, vals, rows * cols * sizeof(double));
    free(vals);
    *out = m;
    return ST_OK;
fail:
    free(vals);
    return st;
}

#define MATRIX_FILE_MAX ((size_t)2 << 30)

Status csv_read_matrix(const char *path, Matrix **out, char *msg)
{
    char *text;
    size_t len;
    Status st = file_read_all(path, MATRIX_FILE_MAX, &text, &len, msg);
    if (st)
        return st;
    if (memchr(text, '\0', len)) {
        free(text);
        *out = NULL;
        return status_fail(msg, ST_EFORMAT, "%s is not a text CSV file", path);
    }
    st = csv_parse_matrix(text, path, out, msg);
    free(text);
    return st;
}

/* ---- NPY ---------------------------------------------------------------- */

static const char *find_value(const char *hdr, const char *key)
{
    const char *p = strstr(hdr, key);
    if (!p)
        return NULL;
    p += strlen(key);
    while (*p == ' ' || *p == ':' )
        p++;
    return p;
}

static double load_elem(const unsigned char *p, char kind, int size, int big)
{
    unsigned char b[8];
    for (int i = 0; i < size; i++)
        b[i] = big ? p[size - 1 - i] : p[i];
    switch (kind) {
    case 'f':
        if (size == 4) {
            float f;
            memcpy(&f, b, 4);
            return f;
        } else {
            double d;
            memcpy(&d, b, 8);
            return d;
        }
    case 'i': {
        int64_t v = 0;
        uint64_t u = 0;
        for (int i = size - 1; i >= 0; i--)
            u = (u << 8) | b[i];
        if (size < 8 && (u >> (size * 8 - 1)) & 1)
            u |= ~(uint64_t)0 << (size * 8);
        memcpy(&v, &u, 8);
        return (double)v;
    }
    default: {
        uint64_t u = 0;
        for (int i = size - 1; i >= 0; i--)
            u = (u << 8) | b[i];
        return (double)u;
    }
    }
}

Status npy_read_matrix(const char *path, Matrix **out, char *msg)
{
    *out = NULL;
    char *buf;
    size_t len;
    Status st = file_read_all(path, MATRIX_FILE_MAX, &buf, &len, msg);
    if (st)
        return st;
    const unsigned char *u = (const unsigned char *)buf;
    char *hdr = NULL;
    if (len < 10 || memcmp(buf, "\x93NUMPY", 6) != 0) {
        st = status_fail(msg, ST_EFORMAT, "%s is not a NumPy .npy file (bad magic)", path);
        goto done;
    }
    size_t hlen, hoff;
    if (u[6] == 1) {
        hlen = (size_t)u[8] | ((size_t)u[9] << 8);
        hoff = 10;
    } else if ((u[6] == 2 || u[6] == 3) && len >= 12) {
        hlen = (size_t)u[8] | ((size_t)u[9] << 8) | ((size_t)u[10] << 16) | ((size_t)u[11] << 24);
        hoff = 12;
    } else {
        st = status_fail(msg, ST_EFORMAT, "%s has an unsupported .npy version %d", path, u[6]);
        goto done;
    }
    if (hlen > len - hoff || hlen > 65536) {
        st = status_fail(msg, ST_EFORMAT, "%s: truncated .npy header", path);
        goto done;
    }
    hdr = malloc(hlen + 1);
    if (!hdr) {
        st = status_fail(msg, ST_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(hdr, buf + hoff, hlen);
    hdr[hlen] = '\0';
    const char *descr = find_value(hdr, "'descr'");
    const char *fort = find_value(hdr, "'fortran_order'");
    const char *shape = find_value(hdr, "'shape'");
    if (!descr || !fort || !shape || descr[0] != '\'' || shape[0] != '(') {
        st = status_fail(msg, ST_EFORMAT, "%s: malformed .npy header", path);
        goto done;
    }
    /* The quote, the byte order, the kind and one digit at least: a header
     * that stops earlier must not be read past its end. */
    if (strnlen(descr, 4) < 4) {
        st = status_fail(msg, ST_EFORMAT, "%s: malformed .npy header (its 'descr' is cut short)", path);
        goto done;
    }
    char endian = descr[1], kind = descr[2];
    int size = descr[3] >= '0' && descr[3] <= '9' ? atoi(descr + 3) : 0;
    int big = endian == '>';
    int ok_kind = (kind == 'f' && (size == 4 || size == 8)) ||
                  ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8));
    if (!ok_kind || !(endian == '<' || endian == '>' || endian == '|' || endian == '=')) {
        st = status_fail(msg, ST_EFORMAT, "%s: unsupported .npy dtype (need float or integer)", path);
        goto done;
    }
    int fortran = strncmp(fort, "True", 4) == 0;
    size_t dims[2] = {1, 1};
    int nd = 0;
    const char *p = shape + 1;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == ')')
            break;
        char *end;
        errno = 0;
        unsigned long long d = strtoull(p, &end, 10);
        if (end == p || errno || nd >= 2) {
            st = status_fail(msg, ST_EFORMAT, "%s: .npy array must be 1-D or 2-D", path);
            goto done;
        }
        dims[nd++] = (size_t)d;
        p = end;
    }
    size_t rows = nd == 2 ? dims[0] : 1, cols = nd == 2 ? dims[1] : (nd == 1 ? dims[0] : 1);
    size_t count, bytes;
    if (size_mul(rows, cols, &count) || size_mul(count, (size_t)size, &bytes) ||
        bytes != len - hoff - hlen) {
        st = status_fail(msg, ST_EFORMAT, "%s: data size does not match the .npy shape", path);
        goto done;
    }
    if (count == 0) {
        st = status_fail(msg, ST_EFORMAT, "%s is empty", path);
        goto done;
    }
    Matrix *m = matrix_new(rows, cols);
    if (!m) {
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
        goto done;
    }
    const unsigned char *data = u + hoff + hlen;
    /* The common case, little-endian float64 in C order on a little-endian
     * machine, is the matrix's own layout: one copy instead of a call per
     * value (a 994 × 994 weight graph read 5–10 ms faster). */
    const uint16_t probe = 1;
    unsigned char host_little;
    memcpy(&host_little, &probe, 1);
    if (kind == 'f' && size == 8 && !big && endian != '|' && !fortran && host_little) {
        memcpy(m->data, data, count * sizeof *m->data);
    } else {
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++) {
                size_t k = fortran ? j * rows + i : i * cols + j;
                MAT_AT(m, i, j) = load_elem(data + k * (size_t)size, kind, size, big);
            }
    }
    if (!matrix_all_finite(m)) {
        matrix_free(m);
        st = status_fail(msg, ST_EFORMAT, "%s contains NaN or infinite values", path);
        goto done;
    }
    *out = m;
done:
    free(hdr);
    free(buf);
    return st;
}

Status matrix_read_file(const char *path, Matrix **out, char *msg)
{
    size_t n = strlen(path);
    if (n >= 4 && strcmp(path + n - 4, ".npy") == 0)
        return npy_read_matrix(path, out, msg);
    return csv_read_matrix(path, out, msg);
}

Status labels_read_file(const char *path, long **out, size_t *n, char *msg)
{
    *out = NULL;
    *n = 0;
    char *text;
    size_t len;
    Status st = file_read_all(path, MATRIX_FILE_MAX, &text, &len, msg);
    if (st)
        return st;
    size_t cap = 0, count = 0, lineno = 0;
    long *v = NULL;
    const char *line = skip_bom(text);
    while (*line) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            eol = line + strlen(line);
        lineno++;
        if (!is_blank_line(line, eol)) {
            char tok[64];
            const char *s = line, *e = eol;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                e--;
            char *stop;
            long x = 0;
            int bad = e - s <= 0 || e - s >= (long)sizeof tok;
            if (!bad) {
                memcpy(tok, s, (size_t)(e - s));
                tok[e - s] = '\0';
                errno = 0;
                x = strtol(tok, &stop, 10);
                bad = *stop != '\0' || errno != 0;
            }
            if (bad) {
                st = status_fail(msg, ST_EFORMAT, "%s line %zu is not an integer label", path, lineno);
                goto fail;
            }
            if (count == cap) {
                size_t nc = cap ? cap * 2 : 256;
                long *p = realloc(v, nc * sizeof *p);
                if (!p) {
                    st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
                    goto fail;
                }
                v = p;
                cap = nc;
            }
            v[count++] = x;
        }
        line = *eol ? eol + 1 : eol;
    }
    if (count == 0) {
        st = status_fail(msg, ST_EFORMAT, "%s is empty", path);
        goto fail;
    }
    free(text);
    *out = v;
    *n = count;
    return ST_OK;
fail:
    free(v);
    free(text);
    return st;
}

Status labels_matrix_read(const char *path, int **labels, size_t *rows, size_t *cols, char *msg)
{
    *labels = NULL;
    Matrix *m = NULL;
    Status st = matrix_read_file(path, &m, msg);
    if (st)
        return st;
    size_t cells = m->rows * m->cols; /* the reader has checked this product */
    int *g = malloc((cells ? cells : 1) * sizeof *g);
    if (!g) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu partition", m->rows, m->cols);
        goto done;
    }
    for (size_t k = 0; k < cells; k++) {
        double v = m->data[k];
        if (v != floor(v) || v < (double)INT_MIN || v > (double)INT_MAX) {
            st = status_fail(msg, ST_EFORMAT, "%s: entry at row %zu, column %zu is not an integer label", path,
                             k / m->cols + 1, k % m->cols + 1);
            free(g);
            goto done;
        }
        g[k] = (int)v;
    }
    *labels = g;
    *rows = m->rows;
    *cols = m->cols;
done:
    matrix_free(m);
    return st;
}

Status csv_write_matrix(const char *path, const Matrix *m, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < m->rows; i++) {
        for (size_t j = 0; j < m->cols; j++)
            strbuf_printf(&b, j ? ",%.17g" : "%.17g", MAT_AT(m, i, j));
        strbuf_append(&b, "\n");
    }
    Status st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory writing %s", path)
                                  : file_write_atomic(path, strbuf_cstr(&b), b.len, msg);
    strbuf_done(&b);
    return st;
}
