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

typedef struct {
    char name[64];       /* "mnist10k", "fashion", or the folder's base name */
    char source[512];    /* where it came from, for run.json and the status line */
    ImageSet train;
    ImageSet test;       /* held out: never used for training */
} Dataset;

void imageset_done(ImageSet *s);
/* dataset_free(NULL) is safe. */
void dataset_free(Dataset *d);

/* Open a dataset by name: "mnist10k" (bundled, data/ folder found next to the
 * binary, in ./data, or $NEUROTOP_DATA), "fashion" (Debian dataset-fashion-mnist),
 * or a folder path holding the four standard MNIST IDX names, raw or .gz.
 * A missing package or file gives ST_ENOTFOUND with a message saying what to
 * install or which file is missing. */
Status dataset_open(const char *name, Dataset **out, char *msg);

/* Pixels of item i as floats in [0,1] into out (rows*cols floats). */
void imageset_item_float(const ImageSet *s, size_t i, float *out);

#endif
