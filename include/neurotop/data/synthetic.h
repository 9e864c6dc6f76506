#ifndef NEUROTOP_DATA_SYNTHETIC_H
#define NEUROTOP_DATA_SYNTHETIC_H

/* Synthetic stimulus sets for probing trained networks with inputs that are
 * not digits (the GAUSSIAN / IMPULSE / constant probes of the localisation
 * experiments). Every set has labels 0 and n_classes 1. On success *out is
 * caller-owned (release with imageset_done); on failure it is zeroed. */

#include <stddef.h>

#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"

/* n images of rows×cols pixels, each pixel independently
 * round(128 + 40·z), z ~ N(0,1) from rng, clipped to 0..255. Draws
 * n·rows·cols normals in item-major, row-major order, so a given seed gives
 * the same images. O(n·rows·cols). */
Status synthetic_gaussian(ImageSet *out, size_t n, size_t rows, size_t cols, Rng *rng, char *msg);

/* rows·cols images: image k is black except pixel k (row-major), which is
 * 255. O((rows·cols)²) bytes, so rows·cols is capped by IMAGESET_MAX_BYTES. */
Status synthetic_impulse(ImageSet *out, size_t rows, size_t cols, char *msg);

/* n uniform images; image k has every pixel at round(k·255/(n−1)), so
 * they run from black (k = 0) to white (k = n−1). n = 1 gives one black
 * image. O(n·rows·cols). */
Status synthetic_constant(ImageSet *out, size_t n, size_t rows, size_t cols, char *msg);

#endif
