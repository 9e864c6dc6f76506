#include "neurotop/data/stimuli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "neurotop/core/rng.h"

static const char *const NAMES[STIM_COUNT] = {"MNIST",    "GAUSSIAN", "trMNIST",     "IMPULSE",
                                              "IMPULSE*", "CONSTANT", "offGAUSSIAN", "MIXED"};

const char *stimulus_name(StimulusKind k)
{
    return k < STIM_COUNT ? NAMES[k] : "?";
}

Status stimulus_parse(const char *name, StimulusKind *out, char *msg)
{
    for (int k = 0; k < STIM_COUNT; k++)
        if (strcasecmp(name, NAMES[k]) == 0) {
            *out = (StimulusKind)k;
            return ST_OK;
        }
    return status_fail(msg, ST_EINVAL,
                       "unknown stimulus set '%s' (MNIST, GAUSSIAN, trMNIST, IMPULSE, IMPULSE*, "
                       "CONSTANT, offGAUSSIAN, MIXED)",
                       name);
}

int stimulus_needs_digits(StimulusKind k)
{
    return k == STIM_MNIST || k == STIM_TRMNIST || k == STIM_MIXED;
}

size_t stimulus_count(StimulusKind k, size_t count, size_t rows, size_t cols)
{
    return k == STIM_IMPULSE ? 2 * rows * cols : count;
}

static void gaussian(Rng *rng, float *out, size_t n, size_t px, int offset)
{
    for (size_t i = 0; i < n; i++) {
        double off = offset ? rng_normal(rng) : 0.0;
        for (size_t p = 0; p < px; p++)
            out[i * px + p] = (float)(rng_normal(rng) + off);
    }
}

static void translated(Rng *rng, const ImageSet *d, float *out, size_t n, float *tmp)
{
    size_t rows = d->rows, cols = d->cols, px = rows * cols;
    for (size_t i = 0; i < n; i++) {
        imageset_item_float(d, i % d->n, tmp);
        size_t dy = (size_t)rng_below(rng, rows), dx = (size_t)rng_below(rng, cols);
        for (size_t y = 0; y < rows; y++)
            for (size_t x = 0; x < cols; x++)
                out[i * px + ((y + dy) % rows) * cols + (x + dx) % cols] = tmp[y * cols + x];
    }
}

Status stimulus_make(StimulusKind k, const ImageSet *digits, size_t count, size_t rows,
                     size_t cols, uint64_t seed, float *out, char *msg)
{
    size_t px = rows * cols, n = stimulus_count(k, count, rows, cols);
    if (k >= STIM_COUNT)
        return status_fail(msg, ST_EINVAL, "unknown stimulus set %d", (int)k);
    if (rows == 0 || cols == 0 || n == 0)
        return status_fail(msg, ST_EINVAL, "a %s set needs images of at least one pixel",
                           NAMES[k]);
    if (stimulus_needs_digits(k)) {
        if (!digits || digits->n == 0)
            return status_fail(msg, ST_EINVAL, "%s stimuli need digit images", NAMES[k]);
        if (digits->rows != rows || digits->cols != cols)
            return status_fail(msg, ST_EINVAL, "%s stimuli: the digits are %zu×%zu, the network "
                               "takes %zu×%zu", NAMES[k], digits->rows, digits->cols, rows, cols);
    }
    if (k == STIM_MNIST && count > digits->n)
        return status_fail(msg, ST_EINVAL, "MNIST stimuli: %zu images asked for, the digit set has "
                           "%zu", count, digits->n);
    size_t rest = 0;
    if (k == STIM_MIXED) {
        if (count < 2 * px + 3)
            return status_fail(msg, ST_EINVAL, "MIXED stimuli need at least %zu images (the %zu "
                               "impulses and one of each other set)", 2 * px + 3, 2 * px);
        rest = count - 2 * px;
        if (rest / 3 > digits->n)
            return status_fail(msg, ST_EINVAL, "MIXED stimuli: %zu MNIST images needed, the digit "
                               "set has %zu", rest / 3, digits->n);
    }
    float *tmp = stimulus_needs_digits(k) ? malloc(px * sizeof *tmp) : NULL;
    if (stimulus_needs_digits(k) && !tmp)
        return status_fail(msg, ST_ENOMEM, "out of memory for stimuli");
    Rng rng;
    rng_seed(&rng, seed, 0x57 + (uint64_t)k);
    switch (k) {
    case STIM_MNIST:
        for (size_t i = 0; i < n; i++)
            imageset_item_float(digits, i, out + i * px);
        break;
    case STIM_GAUSSIAN:
        gaussian(&rng, out, n, px, 0);
        break;
    case STIM_OFFGAUSSIAN:
        gaussian(&rng, out, n, px, 1);
        break;
    case STIM_TRMNIST:
        translated(&rng, digits, out, n, tmp);
        break;
    case STIM_IMPULSE:
        memset(out, 0, n * px * sizeof *out);
        for (size_t p = 0; p < px; p++) {
            out[(2 * p) * px + p] = STIMULUS_IMPULSE_VALUE;
            out[(2 * p + 1) * px + p] = -STIMULUS_IMPULSE_VALUE;
        }
        break;
    case STIM_IMPULSE_RANDOM:
        memset(out, 0, n * px * sizeof *out);
        for (size_t i = 0; i < n; i++) {
            size_t p = (size_t)rng_below(&rng, px);
            out[i * px + p] = rng_below(&rng, 2) ? STIMULUS_IMPULSE_VALUE : -STIMULUS_IMPULSE_VALUE;
        }
        break;
    case STIM_CONSTANT:
        for (size_t i = 0; i < n; i++) {
            float v = (float)rng_normal(&rng);
            for (size_t p = 0; p < px; p++)
                out[i * px + p] = v;
        }
        break;
    case STIM_MIXED: {
        size_t third = rest / 3, first = rest - 2 * third;
        float *at = out;
        stimulus_make(STIM_IMPULSE, NULL, 0, rows, cols, seed, at, msg);
        at += 2 * px * px;
        gaussian(&rng, at, first, px, 0);
        at += first * px;
        for (size_t i = 0; i < third; i++)
            imageset_item_float(digits, i, at + i * px);
        at += third * px;
        translated(&rng, digits, at, third, tmp);
        break;
    }
    default:
        break;
    }
    free(tmp);
    return ST_OK;
}
