#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/core/rng.h"
#include "neurotop/data/synthetic.h"

static char msg[STATUS_MSG_LEN];

Test(synthetic, gaussian_moments_clipping_and_labels)
{
    Rng r;
    rng_seed(&r, 7, 0);
    ImageSet s;
    cr_assert_eq(synthetic_gaussian(&s, 200, 28, 28, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(s.n, 200);
    cr_assert_eq(s.rows, 28);
    cr_assert_eq(s.n_classes, 1);
    size_t total = 200 * 784, zeros = 0, full = 0;
    double sum = 0, sq = 0;
    for (size_t i = 0; i < total; i++) {
        sum += s.pixels[i];
        sq += (double)s.pixels[i] * s.pixels[i];
        zeros += s.pixels[i] == 0;
        full += s.pixels[i] == 255;
    }
    for (size_t i = 0; i < s.n; i++)
        cr_assert_eq(s.labels[i], 0);
    double mean = sum / (double)total;
    double sd = sqrt(sq / (double)total - mean * mean);
    /* 156,800 pixels: the standard error of the mean is 0.1 */
    cr_assert(fabs(mean - 128.0) < 0.6, "mean %f", mean);
    cr_assert(fabs(sd - 40.0) < 0.6, "sd %f", sd);
    /* P(z < -3.2) = 6.9e-4, so ~108 zeros; P(z > 3.19) a little more */
    cr_assert(zeros > 50 && zeros < 180, "zeros %zu", zeros);
    cr_assert(full > 50 && full < 180, "255s %zu", full);
    imageset_done(&s);
}

Test(synthetic, gaussian_draws_one_normal_per_pixel_in_order)
{
    Rng a, b;
    rng_seed(&a, 3, 1);
    rng_seed(&b, 3, 1);
    ImageSet s;
    cr_assert_eq(synthetic_gaussian(&s, 3, 2, 5, &a, msg), ST_OK);
    for (size_t i = 0; i < 30; i++) {
        double v = nearbyint(128.0 + 40.0 * rng_normal(&b));
        v = v < 0 ? 0 : v > 255 ? 255 : v;
        cr_assert_eq(s.pixels[i], (uint8_t)v, "pixel %zu", i);
    }
    /* both generators are now at the same point */
    cr_assert_eq(rng_u64(&a), rng_u64(&b));
    imageset_done(&s);
}

Test(synthetic, impulse_has_one_white_pixel_per_image)
{
    ImageSet s;
    cr_assert_eq(synthetic_impulse(&s, 3, 4, msg), ST_OK);
    cr_assert_eq(s.n, 12);
    cr_assert_eq(s.rows, 3);
    cr_assert_eq(s.cols, 4);
    for (size_t k = 0; k < 12; k++) {
        unsigned sum = 0;
        for (size_t p = 0; p < 12; p++)
            sum += s.pixels[k * 12 + p];
        cr_assert_eq(sum, 255);
        cr_assert_eq(s.pixels[k * 12 + k], 255);
        cr_assert_eq(s.labels[k], 0);
    }
    imageset_done(&s);
    cr_assert_eq(synthetic_impulse(&s, 100000, 100000, msg), ST_EINVAL);
    cr_assert_null(s.pixels);
}

Test(synthetic, constant_levels_run_black_to_white)
{
    ImageSet s;
    cr_assert_eq(synthetic_constant(&s, 5, 2, 3, msg), ST_OK);
    /* k·255/4 = 0, 63.75, 127.5, 191.25, 255 */
    const uint8_t want[5] = {0, 64, 128, 191, 255};
    for (size_t k = 0; k < 5; k++)
        for (size_t p = 0; p < 6; p++)
            cr_assert_eq(s.pixels[k * 6 + p], want[k], "image %zu pixel %zu", k, p);
    imageset_done(&s);
    cr_assert_eq(synthetic_constant(&s, 256, 1, 1, msg), ST_OK);
    for (size_t k = 0; k < 256; k++)
        cr_assert_eq(s.pixels[k], k);
    imageset_done(&s);
    cr_assert_eq(synthetic_constant(&s, 1, 1, 1, msg), ST_OK);
    cr_assert_eq(s.pixels[0], 0);
    imageset_done(&s);
    cr_assert_eq(synthetic_constant(&s, 0, 28, 28, msg), ST_EINVAL);
}
