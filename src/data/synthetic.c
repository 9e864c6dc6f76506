#include "neurotop/data/synthetic.h"

#include <math.h>
#include <string.h>

#include "neurotop/core/matrix.h"

Status synthetic_gaussian(ImageSet *out, size_t n, size_t rows, size_t cols, Rng *rng, char *msg)
{
    Status st = imageset_alloc(out, n, rows, cols, msg);
    if (st != ST_OK)
        return st;
    size_t total = n * rows * cols;
    for (size_t i = 0; i < total; i++) {
        double v = nearbyint(128.0 + 40.0 * rng_normal(rng));
        out->pixels[i] = (uint8_t)(v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v);
    }
    return ST_OK;
}

Status synthetic_impulse(ImageSet *out, size_t rows, size_t cols, char *msg)
{
    size_t px;
    if (size_mul(rows, cols, &px) != 0)
        return status_fail(msg, ST_EINVAL, "impulse images of %zu x %zu pixels are too large", rows, cols);
    Status st = imageset_alloc(out, px, rows, cols, msg);
    if (st != ST_OK)
        return st;
    for (size_t k = 0; k < px; k++)
        out->pixels[k * px + k] = 255;
    return ST_OK;
}

Status synthetic_constant(ImageSet *out, size_t n, size_t rows, size_t cols, char *msg)
{
    Status st = imageset_alloc(out, n, rows, cols, msg);
    if (st != ST_OK)
        return st;
    size_t px = rows * cols;
    for (size_t k = 0; k < n; k++) {
        /* Integer rounding of k·255/(n−1); n ≤ 2^31 keeps 510·k exact. */
        size_t level = n > 1 ? (510 * k + (n - 1)) / (2 * (n - 1)) : 0;
        memset(out->pixels + k * px, (int)level, px);
    }
    return ST_OK;
}
