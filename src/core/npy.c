/* The .npy format (npy.h): the header is a Python dict literal of three
 * keys, 'descr' (dtype), 'fortran_order' and 'shape', padded to 64 bytes. */
#include "neurotop/core/npy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"

/* The text after `key:` in the header, or NULL. */
static const char *find_value(const char *hdr, const char *key)
{
    const char *p = strstr(hdr, key);
    if (!p)
        return NULL;
    p += strlen(key);
    while (*p == ' ' || *p == ':')
        p++;
    return p;
}

static double load_elem(const unsigned char *p, char kind, int size, int big)
{
    unsigned char b[8];
    for (int i = 0; i < size; i++)
        b[i] = big ? p[size - 1 - i] : p[i];
    if (kind == 'f') {
        if (size == 4) {
            float f;
            memcpy(&f, b, 4);
            return f;
        }
        double d;
        memcpy(&d, b, 8);
        return d;
    }
    uint64_t u = 0;
    for (int i = size - 1; i >= 0; i--)
        u = (u << 8) | b[i];
    if (kind == 'i') {
        if (size < 8 && (u >> (size * 8 - 1)) & 1)
            u |= ~(uint64_t)0 << (size * 8);
        int64_t v;
        memcpy(&v, &u, 8);
        return (double)v;
    }
    return (double)u;
}

void npy_array_done(NpyArray *a)
{
    if (!a)
        return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

/* npy_parse; with take (u itself, writable and the caller's to give), the
 * common case moves its values to the front of take and keeps take as the
 * data (*taken = 1) instead of copying them into a new array. */
static Status parse(const unsigned char *u, size_t len, const char *name, NpyArray *out, char *msg,
                    unsigned char *take, int *taken)
{
    memset(out, 0, sizeof *out);
    if (len < 10 || memcmp(u, "\x93NUMPY", 6) != 0)
        return status_fail(msg, ST_EFORMAT, "%s is not a NumPy .npy array (bad magic)", name);
    size_t hlen, hoff;
    if (u[6] == 1) {
        hlen = (size_t)u[8] | ((size_t)u[9] << 8);
        hoff = 10;
    } else if ((u[6] == 2 || u[6] == 3) && len >= 12) {
        hlen = (size_t)u[8] | ((size_t)u[9] << 8) | ((size_t)u[10] << 16) | ((size_t)u[11] << 24);
        hoff = 12;
    } else {
        return status_fail(msg, ST_EFORMAT, "%s has an unsupported .npy version %d", name, u[6]);
    }
    if (hlen > len - hoff || hlen > 65536)
        return status_fail(msg, ST_EFORMAT, "%s: truncated .npy header", name);
    char hdr[65537];
    memcpy(hdr, u + hoff, hlen);
    hdr[hlen] = '\0';
    const char *descr = find_value(hdr, "'descr'");
    const char *fort = find_value(hdr, "'fortran_order'");
    const char *shape = find_value(hdr, "'shape'");
    if (!descr || !fort || !shape || descr[0] != '\'' || shape[0] != '(')
        return status_fail(msg, ST_EFORMAT, "%s: malformed .npy header", name);
    /* The quote, the byte order, the kind and one digit at least: a header
     * that stops earlier must not be read past its end. */
    if (strnlen(descr, 4) < 4)
        return status_fail(msg, ST_EFORMAT, "%s: malformed .npy header (its 'descr' is cut short)", name);
    char endian = descr[1], kind = descr[2];
    int size = descr[3] >= '1' && descr[3] <= '8' && (descr[4] == '\'' || descr[4] == '\0') ? descr[3] - '0' : 0;
    int ok_kind = (kind == 'f' && (size == 4 || size == 8)) ||
                  ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8));
    if (!ok_kind || !(endian == '<' || endian == '>' || endian == '|' || endian == '='))
        return status_fail(msg, ST_EFORMAT, "%s: unsupported .npy dtype (need float32/64 or an integer)", name);
    int fortran = strncmp(fort, "True", 4) == 0;
    if (!fortran && strncmp(fort, "False", 5) != 0)
        return status_fail(msg, ST_EFORMAT, "%s: malformed .npy header ('fortran_order' is neither True nor False)",
                           name);
    size_t nd = 0, count = 1;
    const char *p = shape + 1;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == ')')
            break;
        char *end;
        errno = 0;
        unsigned long long d = strtoull(p, &end, 10);
        if (end == p || errno || *p == '-')
            return status_fail(msg, ST_EFORMAT, "%s: malformed .npy shape", name);
        if (nd == NPY_MAX_DIMS)
            return status_fail(msg, ST_EFORMAT, "%s: a .npy array of more than %d dimensions", name, NPY_MAX_DIMS);
        if (d > SIZE_MAX || size_mul(count, (size_t)d, &count))
            return status_fail(msg, ST_EFORMAT, "%s: the .npy shape is too large", name);
        out->shape[nd++] = (size_t)d;
        p = end;
    }
    if (*p != ')')
        return status_fail(msg, ST_EFORMAT, "%s: malformed .npy shape", name);
    size_t bytes;
    if (size_mul(count, (size_t)size, &bytes) || bytes != len - hoff - hlen)
        return status_fail(msg, ST_EFORMAT, "%s: data size does not match the .npy shape", name);
    out->ndim = nd;
    out->count = count;
    out->kind = kind;
    out->item_size = size;
    const unsigned char *data = u + hoff + hlen;
    int big = endian == '>';
    /* The common case, little-endian float64 in C order, is one copy (or
     * none, into the buffer given to take). */
    uint16_t probe = 1;
    int little_host = *(const unsigned char *)&probe == 1;
    int plain = kind == 'f' && size == 8 && !big && little_host && (!fortran || nd <= 1);
    if (plain && take && count) {
        memmove(take, data, count * sizeof *out->data);
        out->data = (double *)(void *)take;
        *taken = 1;
        return ST_OK;
    }
    out->data = malloc((count ? count : 1) * sizeof *out->data);
    if (!out->data)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", name);
    if (plain) {
        memcpy(out->data, data, count * sizeof *out->data);
        return ST_OK;
    }
    /* Fortran order: the first index varies fastest; write in C order. */
    size_t idx[NPY_MAX_DIMS] = {0};
    for (size_t k = 0; k < count; k++) {
        size_t c = k;
        if (fortran && nd > 1) {
            c = 0;
            for (size_t a = 0; a < nd; a++)
                c = c * out->shape[a] + idx[a];
            for (size_t a = 0; a < nd; a++) { /* next Fortran index */
                if (++idx[a] < out->shape[a])
                    break;
                idx[a] = 0;
            }
        }
        out->data[c] = load_elem(data + k * (size_t)size, kind, size, big);
    }
    return ST_OK;
}

Status npy_parse(const unsigned char *u, size_t len, const char *name, NpyArray *out, char *msg)
{
    return parse(u, len, name, out, msg, NULL, NULL);
}

Status npy_parse_take(unsigned char *buf, size_t len, const char *name, NpyArray *out, char *msg)
{
    int taken = 0;
    Status st = parse(buf, len, name, out, msg, buf, &taken);
    if (!taken)
        free(buf);
    return st;
}
