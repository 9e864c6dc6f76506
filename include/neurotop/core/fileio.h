#ifndef NEUROTOP_CORE_FILEIO_H
#define NEUROTOP_CORE_FILEIO_H

/* Whole-file reading, atomic writing, and the matrix/partition file formats
 * of docs/methods.md §2 (CSV, NumPy .npy, one integer label per line). */

#include <stddef.h>
#include <stdio.h>

#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

/* Open path for reading only if it is a regular file: the open never
 * blocks (a FIFO has no writer to wait for) and a folder, FIFO, socket or
 * device gives ST_EINVAL with one sentence saying what it is; a missing
 * file ST_ENOTFOUND, anything else ST_EIO. *fd is a blocking descriptor the
 * caller closes; *size (may be NULL) the file's size. */
Status file_open_regular(const char *path, int *fd, unsigned long long *size, char *msg);
/* The same as a stdio stream ("rb"). */
Status file_fopen_regular(const char *path, FILE **out, char *msg);

/* Read a whole file into a NUL-terminated heap buffer (caller frees).
 * ST_EINVAL for a folder, FIFO, socket or device (file_open_regular);
 * ST_EIO when the file is missing, cannot be read or is larger than
 * max_len. */
Status file_read_all(const char *path, size_t max_len, char **out, size_t *len, char *msg);

/* Write data atomically: a temporary file (path.tmp.PID) in the same
 * folder, fsync, rename. A crash leaves either the old file or the new one,
 * never half of one (and at most a temporary file, which replay_open
 * removes once its process is gone). On ST_EIO errno says why (ENOSPC for a
 * full disk). */
Status file_write_atomic(const char *path, const void *data, size_t len, char *msg);

/* Create a folder and its parents (like mkdir -p). */
Status file_make_dirs(const char *path, char *msg);

/* Remove path and everything below it (symbolic links are removed, never
 * followed); a path that does not exist is fine. Returns 0, or -1 when
 * something could not be removed. */
int file_remove_tree(const char *path);

/* CSV matrix per docs/methods.md §2: rows of comma-separated finite decimals,
 * spaces allowed around values, blank lines ignored, a leading UTF-8
 * byte-order mark skipped. Rejects empty files,
 * ragged rows, non-numbers, NaN and Inf with ST_EFORMAT. */
Status csv_read_matrix(const char *path, Matrix **out, char *msg);
/* Same from a string already in memory (name is used in messages). */
Status csv_parse_matrix(const char *text, const char *name, Matrix **out, char *msg);

/* NumPy .npy (version 1/2/3, little- or big-endian f4/f8/i1..i8/u1..u8,
 * C or Fortran order, 1-D or 2-D; 1-D becomes one row). Rejects non-finite. */
Status npy_read_matrix(const char *path, Matrix **out, char *msg);

/* One array (1-D or 2-D) of a NumPy .npz archive, by its name ("W0"). */
Status npz_read_matrix(const char *path, const char *member, Matrix **out, char *msg);

/* "FILE.npz:NAME" reads the array NAME of an archive (npz_read_matrix), a
 * name ending in ".npy" npy_read_matrix, anything else CSV. */
Status matrix_read_file(const char *path, Matrix **out, char *msg);

/* Partition file: one integer per line (blank lines ignored). Labels are
 * returned as given; *out is caller-owned (free). */
Status labels_read_file(const char *path, long **out, size_t *n, char *msg);

/* A CSV/.npy matrix of integer labels (a multilayer partition, docs/methods.md §2):
 * every entry must be an integer that fits an int. *labels is row-major,
 * rows × cols, caller-owned (free). */
Status labels_matrix_read(const char *path, int **labels, size_t *rows, size_t *cols, char *msg);

/* Write a matrix as CSV with %.17g values (atomically). */
Status csv_write_matrix(const char *path, const Matrix *m, char *msg);

#endif
