#ifndef NEUROTOP_DATA_DATASET_H
#define NEUROTOP_DATA_DATASET_H

/* Labelled image datasets: bundled MNIST digits, Fashion-MNIST, or any folder
 * of MNIST-format IDX files. Pixels are kept as uint8 (0..255). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

typedef struct {
    size_t n;          /* number of items */
    size_t rows, cols; /* image shape; rows*cols = pixels per item */
    uint8_t *pixels;   /* n × rows × cols, row-major, owned */
    uint8_t *labels;   /* n labels, owned */
    size_t n_classes;  /* 1 + largest label */
} ImageSet;

/* Largest pixel payload neurotop accepts or creates (n × rows × cols bytes):
 * 2^31 bytes, far above any real dataset and far below what a forged header
 * can claim (2^96). */
#define IMAGESET_MAX_BYTES ((size_t)1 << 31)

typedef struct {
    char name[64];       /* "mnist10k", "fashion", or the folder's base name */
    char source[512];    /* where it came from, for run.json and the status line */
    ImageSet train;
    ImageSet test;       /* held out: never used for training */
} Dataset;

/* Free the pixels and labels of *s and zero it; safe on a zeroed set. */
void imageset_done(ImageSet *s);

/* Make *s a set of n zero images of rows×cols pixels with labels 0 and
 * n_classes 1 (all three sizes > 0, n×rows×cols ≤ IMAGESET_MAX_BYTES).
 * *s is overwritten, not freed first; release it with imageset_done. */
Status imageset_alloc(ImageSet *s, size_t n, size_t rows, size_t cols, char *msg);

/* dataset_free(NULL) is safe. */
void dataset_free(Dataset *d);

/* Open a dataset by name: "mnist10k" (bundled, data/ folder found next to the
 * binary, in ./data, or $NEUROTOP_DATA), "fashion" (Debian dataset-fashion-mnist),
 * or a folder path holding the four standard MNIST IDX names, raw or .gz.
 * A missing package or file gives ST_ENOTFOUND with a message saying what to
 * install or which file is missing.
 * mnist10k is looked for in $NEUROTOP_DATA/mnist10k, ./data/mnist10k, then
 * mnist10k in each datadir_candidates("data") folder (core/datadir.h: an
 * installed PREFIX/share/neurotop, the source tree); the first folder holding
 * train-images-idx3-ubyte[.gz] is used. In a folder each of the four names is
 * tried raw, then with .gz. Train and test must have the same image shape;
 * n_classes (set on both sets) is 1 + the largest label of either set.
 * *out is caller-owned (dataset_free); it is NULL on failure. */
Status dataset_open(const char *name, Dataset **out, char *msg);

/* Pixels of item i (< s->n) as floats p/255 in [0,1] into out, which holds
 * rows*cols floats. O(rows*cols). */
void imageset_item_float(const ImageSet *s, size_t i, float *out);

#endif
