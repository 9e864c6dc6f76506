/* Shared by the model benches: a monotonic clock, and 8,000 training digits
 * (the bundled ones when found, ./data or $NEUROTOP_DATA, else synthetic
 * 19%-sparse inputs with random labels). Header-only: each bench is one
 * program. */
#ifndef NEUROTOP_BENCH_DIGITS_H
#define NEUROTOP_BENCH_DIGITS_H

#include <stdlib.h>
#include <time.h>

#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"

#define BENCH_DIGITS 8000

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* BENCH_DIGITS × 784 floats (caller frees), *n of them real digits when the
 * bundled set is found; labels into y when y is not NULL. *source names
 * where they came from. NULL when out of memory. */
static inline float *bench_digits(size_t *n, int *y, const char **source)
{
    char msg[STATUS_MSG_LEN];
    Dataset *ds = NULL;
    *n = BENCH_DIGITS;
    float *x = malloc((size_t)BENCH_DIGITS * 784 * sizeof *x);
    if (!x)
        return NULL;
    if (dataset_open("mnist10k", &ds, msg) == ST_OK && ds->train.rows * ds->train.cols == 784) {
        *n = ds->train.n < BENCH_DIGITS ? ds->train.n : BENCH_DIGITS;
        for (size_t i = 0; i < *n; i++) {
            imageset_item_float(&ds->train, i, x + i * 784);
            if (y)
                y[i] = ds->train.labels[i];
        }
        *source = "bundled mnist10k";
        dataset_free(ds);
        return x;
    }
    dataset_free(ds);
    Rng r;
    rng_seed(&r, 7, 0);
    for (size_t i = 0; i < (size_t)BENCH_DIGITS * 784; i++)
        x[i] = rng_uniform(&r) < 0.19 ? (float)rng_uniform(&r) : 0.0f;
    for (size_t i = 0; y && i < BENCH_DIGITS; i++)
        y[i] = (int)(rng_uniform(&r) * 10.0);
    *source = "synthetic";
    return x;
}

#endif
