#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/data/stimuli.h"

static char msg[STATUS_MSG_LEN];

/* Three 4×5 "digits": digit d has pixel (d, d+1) at 255, the rest 0. */
static ImageSet digits(void)
{
    ImageSet s;
    cr_assert_eq(imageset_alloc(&s, 3, 4, 5, msg), ST_OK);
    for (size_t d = 0; d < 3; d++)
        s.pixels[d * 20 + d * 5 + d + 1] = 255;
    return s;
}

Test(stimuli, names_round_trip)
{
    for (int k = 0; k < STIM_COUNT; k++) {
        StimulusKind got;
        cr_assert_eq(stimulus_parse(stimulus_name((StimulusKind)k), &got, msg), ST_OK);
        cr_assert_eq(got, (StimulusKind)k);
    }
    StimulusKind got;
    cr_assert_eq(stimulus_parse("trmnist", &got, msg), ST_OK);
    cr_assert_eq(got, STIM_TRMNIST);
    cr_assert_eq(stimulus_parse("noise", &got, msg), ST_EINVAL);
    cr_assert(strstr(msg, "'noise'") != NULL);
}

Test(stimuli, mnist_and_translation)
{
    ImageSet d = digits();
    float out[3 * 20];
    cr_assert_eq(stimulus_make(STIM_MNIST, &d, 3, 4, 5, 1, out, msg), ST_OK);
    for (size_t i = 0; i < 3; i++)
        for (size_t p = 0; p < 20; p++)
            cr_assert_eq(out[i * 20 + p], p == i * 5 + i + 1 ? 1.0f : 0.0f);
    cr_assert_eq(stimulus_make(STIM_MNIST, &d, 4, 4, 5, 1, out, msg), ST_EINVAL);
    /* trMNIST: each image is its digit cyclically shifted; a single 1 that
     * moved somewhere, and the shifts vary */
    float tr[40 * 20];
    cr_assert_eq(stimulus_make(STIM_TRMNIST, &d, 40, 4, 5, 9, tr, msg), ST_OK);
    int seen[20] = {0};
    for (size_t i = 0; i < 40; i++) {
        size_t ones = 0, at = 0;
        for (size_t p = 0; p < 20; p++)
            if (tr[i * 20 + p] == 1.0f) {
                ones++;
                at = p;
            } else
                cr_assert_eq(tr[i * 20 + p], 0.0f);
        cr_assert_eq(ones, 1);
        if (i % 3 == 0)
            seen[at] = 1;
    }
    size_t places = 0;
    for (size_t p = 0; p < 20; p++)
        places += (size_t)seen[p];
    cr_assert(places >= 6, "digit 0 reached only %zu places", places);
    float tr2[40 * 20];
    cr_assert_eq(stimulus_make(STIM_TRMNIST, &d, 40, 4, 5, 9, tr2, msg), ST_OK);
    cr_assert_eq(memcmp(tr, tr2, sizeof tr), 0);
    imageset_done(&d);
}

Test(stimuli, impulses)
{
    cr_assert_eq(stimulus_count(STIM_IMPULSE, 10000, 4, 5), 40);
    float out[40 * 20];
    cr_assert_eq(stimulus_make(STIM_IMPULSE, NULL, 10000, 4, 5, 0, out, msg), ST_OK);
    for (size_t i = 0; i < 40; i++)
        for (size_t p = 0; p < 20; p++)
            cr_assert_eq(out[i * 20 + p],
                         p == i / 2 ? (i % 2 ? -STIMULUS_IMPULSE_VALUE : STIMULUS_IMPULSE_VALUE) : 0.0f);
    float r[500 * 20];
    cr_assert_eq(stimulus_make(STIM_IMPULSE_RANDOM, NULL, 500, 4, 5, 3, r, msg), ST_OK);
    size_t pos = 0;
    for (size_t i = 0; i < 500; i++) {
        size_t nz = 0;
        for (size_t p = 0; p < 20; p++)
            if (r[i * 20 + p] != 0) {
                nz++;
                cr_assert_eq(fabsf(r[i * 20 + p]), STIMULUS_IMPULSE_VALUE);
                pos += r[i * 20 + p] > 0;
            }
        cr_assert_eq(nz, 1);
    }
    cr_assert(pos > 200 && pos < 300, "%zu positive", pos);
}

Test(stimuli, gaussian_constant_offset_moments)
{
    enum { N = 2000, PX = 20 };
    float *g = malloc(N * PX * sizeof *g);
    cr_assert_eq(stimulus_make(STIM_GAUSSIAN, NULL, N, 4, 5, 5, g, msg), ST_OK);
    double s = 0, s2 = 0, c01 = 0;
    for (size_t i = 0; i < N * PX; i++) {
        s += g[i];
        s2 += (double)g[i] * g[i];
    }
    for (size_t i = 0; i < N; i++)
        c01 += (double)g[i * PX] * g[i * PX + 1];
    cr_assert(fabs(s / (N * PX)) < 0.02);
    cr_assert(fabs(s2 / (N * PX) - 1) < 0.03);
    cr_assert(fabs(c01 / N) < 0.1);
    /* offGAUSSIAN: pixel variance 2, neighbouring pixels covary by 1 */
    cr_assert_eq(stimulus_make(STIM_OFFGAUSSIAN, NULL, N, 4, 5, 5, g, msg), ST_OK);
    s2 = c01 = 0;
    for (size_t i = 0; i < N; i++) {
        s2 += (double)g[i * PX] * g[i * PX];
        c01 += (double)g[i * PX] * g[i * PX + 1];
    }
    cr_assert(fabs(s2 / N - 2) < 0.2, "%f", s2 / N);
    cr_assert(fabs(c01 / N - 1) < 0.15, "%f", c01 / N);
    cr_assert_eq(stimulus_make(STIM_CONSTANT, NULL, N, 4, 5, 5, g, msg), ST_OK);
    s2 = 0;
    for (size_t i = 0; i < N; i++) {
        for (size_t p = 1; p < PX; p++)
            cr_assert_eq(g[i * PX + p], g[i * PX]);
        s2 += (double)g[i * PX] * g[i * PX];
    }
    cr_assert(fabs(s2 / N - 1) < 0.1);
    free(g);
}

Test(stimuli, mixed_holds_every_part)
{
    ImageSet d = digits();
    /* 47 = 40 impulses, then 7: Gaussian 3 (a third and the leftover), MNIST 2, trMNIST 2 */
    float out[48 * 20];
    cr_assert_eq(stimulus_make(STIM_MIXED, &d, 47, 4, 5, 2, out, msg), ST_OK);
    for (size_t i = 0; i < 40; i++)
        cr_assert_eq(fabsf(out[i * 20 + i / 2]), STIMULUS_IMPULSE_VALUE);
    for (size_t p = 0; p < 20; p++) {
        cr_assert_eq(out[43 * 20 + p], p == 1 ? 1.0f : 0.0f);
        cr_assert_eq(out[44 * 20 + p], p == 7 ? 1.0f : 0.0f);
    }
    cr_assert_eq(stimulus_make(STIM_MIXED, &d, 42, 4, 5, 2, out, msg), ST_EINVAL);
    cr_assert_eq(stimulus_make(STIM_MIXED, NULL, 47, 4, 5, 2, out, msg), ST_EINVAL);
    cr_assert(strstr(msg, "digit") != NULL);
    imageset_done(&d);
}
