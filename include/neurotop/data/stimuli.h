#ifndef NEUROTOP_DATA_STIMULI_H
#define NEUROTOP_DATA_STIMULI_H

/* Real-valued stimulus sets for probing a network's neurons (seed paper
 * 004 §4.2, §5.3, §6.3): images as rows of rows×cols floats, any real
 * values (unlike data/synthetic.h, whose byte images are for training and
 * display). Every random choice comes from the seed.
 *
 *   MNIST        the first `count` digits of a set, pixels p/255
 *   GAUSSIAN     every pixel N(0,1)
 *   trMNIST      digit i mod n, moved by a uniformly random (dy, dx) with
 *                wrap-around
 *   IMPULSE      one pixel ±1e9 on zeros: two images (+, −) per position,
 *                2·rows·cols images whatever count asks
 *   IMPULSE*     `count` impulse images at random positions and signs
 *   CONSTANT     every pixel of an image the same N(0,1) value
 *   offGAUSSIAN  GAUSSIAN plus one N(0,1) offset per image
 *   MIXED        the IMPULSE images, then the rest of `count` in thirds:
 *                GAUSSIAN, MNIST, trMNIST (first third of the remainder
 *                gets any leftover) */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"

typedef enum {
    STIM_MNIST = 0,
    STIM_GAUSSIAN,
    STIM_TRMNIST,
    STIM_IMPULSE,
    STIM_IMPULSE_RANDOM,
    STIM_CONSTANT,
    STIM_OFFGAUSSIAN,
    STIM_MIXED,
    STIM_COUNT
} StimulusKind;

#define STIMULUS_IMPULSE_VALUE 1e9f

/* "MNIST", "GAUSSIAN", "trMNIST", "IMPULSE", "IMPULSE*", "CONSTANT",
 * "offGAUSSIAN", "MIXED"; parsing ignores case. */
const char *stimulus_name(StimulusKind k);
Status stimulus_parse(const char *name, StimulusKind *out, char *msg);

/* Whether the set needs digits (MNIST, trMNIST, MIXED). */
int stimulus_needs_digits(StimulusKind k);

/* Images the set will have when count are asked for (IMPULSE: 2·rows·cols). */
size_t stimulus_count(StimulusKind k, size_t count, size_t rows, size_t cols);

/* Fill out (stimulus_count(...) × rows·cols floats, caller-owned). digits
 * (borrowed) must match rows×cols when the set needs digits; MNIST needs
 * count <= digits->n, MIXED enough images for its thirds. ST_EINVAL with a
 * sentence otherwise. O(images·rows·cols). */
Status stimulus_make(StimulusKind k, const ImageSet *digits, size_t count, size_t rows,
                     size_t cols, uint64_t seed, float *out, char *msg);

#endif
