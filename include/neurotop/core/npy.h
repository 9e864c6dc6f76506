#ifndef NEUROTOP_CORE_NPY_H
#define NEUROTOP_CORE_NPY_H

/* NumPy arrays: the .npy format (versions 1, 2 and 3; little- or
 * big-endian float32/float64 and signed or unsigned 8- to 64-bit integers;
 * C or Fortran order; 0 to NPY_MAX_DIMS dimensions) and the .npz archive of
 * .npy members (zip, stored or deflated, zip64 sizes). Every header field is
 * checked against the bytes there are before anything is allocated. Values
 * come back as doubles in C order. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

#define NPY_MAX_DIMS 4
/* An array or member of at most this many bytes (data and header). */
#define NPY_MAX_BYTES ((size_t)1 << 30)

typedef struct {
    size_t ndim;
    size_t shape[NPY_MAX_DIMS];
    size_t count;   /* product of the shape (1 for a scalar) */
    char kind;      /* 'f', 'i' or 'u': what the file stored */
    int item_size;  /* bytes per value in the file */
    double *data;   /* count values in C order (caller frees with npy_array_done) */
} NpyArray;

/* Parse len bytes of .npy; name starts every message. ST_EFORMAT naming
 * what is wrong, ST_ENOMEM. NaN and infinities are kept (the caller decides). */
Status npy_parse(const unsigned char *buf, size_t len, const char *name, NpyArray *out, char *msg);
/* The same on a malloc'd buffer that it takes over: little-endian float64
 * in C order (the common case) keeps buf as the data, without a copy;
 * otherwise buf is freed. */
Status npy_parse_take(unsigned char *buf, size_t len, const char *name, NpyArray *out, char *msg);
void npy_array_done(NpyArray *a);

typedef struct Npz Npz;

/* Read the archive at path (at most NPY_MAX_BYTES... the whole file, up to
 * 4 GiB) and its central directory. ST_EIO when unreadable, ST_EFORMAT for a
 * file that is not a zip archive or whose directory points outside it. */
Status npz_open(const char *path, Npz **out, char *msg);
/* The same from bytes in memory (copied); name names them in messages. */
Status npz_open_buffer(const unsigned char *buf, size_t len, const char *name, Npz **out, char *msg);
/* npz_free(NULL) is safe. */
void npz_free(Npz *z);
/* Members, by their names without ".npy" ("W0"), in archive order. */
size_t npz_count(const Npz *z);
const char *npz_name(const Npz *z, size_t i);
/* Index of a member, or -1. */
long npz_find(const Npz *z, const char *name);
/* Decompress (stored or deflate), check its CRC-32, parse the .npy. */
Status npz_read(const Npz *z, size_t i, NpyArray *out, char *msg);

#endif
