#include "neurotop/core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/npy.h"
#include "neurotop/core/sanitize.h"
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
    /* Room for the whole file at once (it may still grow while read): a
     * buffer doubled from 4 KB copies a large file several times. */
    struct stat sb;
    size_t cap = 4096, n = 0;
    if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0 && (uintmax_t)sb.st_size < (uintmax_t)max_len)
        cap = (size_t)sb.st_size + 2 > cap ? (size_t)sb.st_size + 2 : cap;
    char *buf = NULL;
#ifdef MADV_HUGEPAGE
    /* A large file in 2 MB pages: a few page faults instead of one per
     * 4 KB, the most of reading a big matrix on some virtual machines. */
    if (cap >= ((size_t)4 << 20) && posix_memalign((void **)&buf, (size_t)2 << 20, cap) == 0)
        (void)madvise(buf, cap, MADV_HUGEPAGE);
    else
        buf = NULL;
#endif
    if (!buf)
        buf = malloc(cap);
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

/* A 1-D or 2-D array of finite values as a matrix (1-D: one row); a is
 * emptied either way. */
static Status matrix_from_array(NpyArray *a, const char *path, Matrix **out, char *msg)
{
    Status st = ST_OK;
    Matrix *m = NULL;
    if (a->ndim > 2)
        st = status_fail(msg, ST_EFORMAT, "%s: the array must be 1-D or 2-D, not %zu-D", path, a->ndim);
    else if (a->count == 0)
        st = status_fail(msg, ST_EFORMAT, "%s is empty", path);
    else if (!(m = matrix_new(a->ndim == 2 ? a->shape[0] : 1, a->ndim == 2 ? a->shape[1] : a->count)))
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
    if (!st) {
        /* the matrix takes the parsed values over instead of copying them */
        free(m->data);
        m->data = a->data;
        a->data = NULL;
        if (!matrix_all_finite(m))
            st = status_fail(msg, ST_EFORMAT, "%s contains NaN or infinite values", path);
    }
    npy_array_done(a);
    if (st) {
        matrix_free(m);
        return st;
    }
    *out = m;
    return ST_OK;
}

Status npy_read_matrix(const char *path, Matrix **out, char *msg)
{
    *out = NULL;
    char *buf;
    size_t len;
    Status st = file_read_all(path, MATRIX_FILE_MAX, &buf, &len, msg);
    if (st)
        return st;
    NpyArray a;
    st = npy_parse_take((unsigned char *)buf, len, path, &a, msg);
    return st ? st : matrix_from_array(&a, path, out, msg);
}

Status npz_read_matrix(const char *path, const char *member, Matrix **out, char *msg)
{
    *out = NULL;
    Npz *z = NULL;
    Status st = npz_open(path, &z, msg);
    if (st)
        return st;
    long i = npz_find(z, member);
    NpyArray a;
    char name[1200];
    snprintf(name, sizeof name, "%s:%s", path, member);
    if (i < 0) {
        char have[256] = "";
        size_t o = 0;
        for (size_t k = 0; k < npz_count(z) && o < sizeof have; k++)
            o += (size_t)snprintf(have + o, sizeof have - o, "%s%s", k ? ", " : "", npz_name(z, k));
        char shown[256];
        text_sanitize(member, shown, sizeof shown);
        st = status_fail(msg, ST_ENOTFOUND, "%s has no array '%s' (it has: %s)", path, shown, have[0] ? have : "none");
    } else {
        st = npz_read(z, (size_t)i, &a, msg);
    }
    npz_free(z);
    return st ? st : matrix_from_array(&a, name, out, msg);
}

Status matrix_read_file(const char *path, Matrix **out, char *msg)
{
    size_t n = strlen(path);
    const char *npz = strstr(path, ".npz:");
    if (npz) {
        char file[4096];
        size_t flen = (size_t)(npz - path) + 4;
        if (flen >= sizeof file)
            return status_fail(msg, ST_EINVAL, "the path %.40s... is too long", path);
        memcpy(file, path, flen);
        file[flen] = '\0';
        return npz_read_matrix(file, npz + 5, out, msg);
    }
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

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

int file_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
