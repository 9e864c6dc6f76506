#ifndef NEUROTOP_DATA_IDX_H
#define NEUROTOP_DATA_IDX_H

/* MNIST IDX files (raw or gzip), docs/methods.md §17: bytes 00 00 08 nd, nd
 * big-endian uint32 dimensions, uint8 data. Sizes, overflow and the exact
 * file length are checked before any data buffer is allocated. */

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"

/* The most data bytes an IDX header may claim (1 GiB; EMNIST's largest
 * file holds 550 MB). A gzip file must also be able to hold what its header
 * claims (deflate expands at most 1032 times), checked before anything is
 * inflated. */
#define IDX_MAX_BYTES ((size_t)1 << 30)

/* Images: nd = 3 (n, rows, cols), n > 0. Fills pixels/n/rows/cols of *out
 * (labels left NULL). Exact length required: truncated or trailing bytes
 * give ST_EFORMAT. */
Status idx_read_images(const char *path, ImageSet *out, char *msg);
/* Labels: nd = 1 (n), n > 0. *labels is caller-owned. */
Status idx_read_labels(const char *path, uint8_t **labels, size_t *n, char *msg);
/* Both files: counts must agree; n_classes = 1 + max label. */
Status idx_read_pair(const char *images, const char *labels, ImageSet *out, char *msg);

/* Write IDX files (gzip when the path ends in .gz), atomically. For tests
 * and the tools. */
Status idx_write_images(const char *path, const ImageSet *s, char *msg);
Status idx_write_labels(const char *path, const uint8_t *labels, size_t n, char *msg);

#endif
