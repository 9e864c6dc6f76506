#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/rng.h"
#include "neurotop/data/familiarity.h"

static char msg[STATUS_MSG_LEN];

static ImageSet stream(size_t T, size_t N, size_t R, double P, int chains, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed, 0);
    ImageSet s;
    cr_assert_eq(familiarity_stream(&s, T, N, R, P, chains, &r, msg), ST_OK, "%s", msg);
    return s;
}

static double repeat_fraction(const ImageSet *s)
{
    size_t k = 0;
    for (size_t t = 0; t < s->n; t++)
        k += s->labels[t];
    return (double)k / (double)s->n;
}

/* Labels are 1 exactly on copies of the vector R back; pixels are 0/255. */
static void check_repeats(const ImageSet *s, size_t R, int chains)
{
    const size_t N = s->rows * s->cols;
    cr_assert_eq(s->n_classes, 2);
    for (size_t i = 0; i < s->n * N; i++)
        cr_assert(s->pixels[i] == 0 || s->pixels[i] == 255);
    for (size_t t = 0; t < s->n; t++) {
        if (t < R) {
            cr_assert_eq(s->labels[t], 0, "step %zu < R is a repeat", t);
            continue;
        }
        int same = memcmp(s->pixels + t * N, s->pixels + (t - R) * N, N) == 0;
        cr_assert_eq(s->labels[t], same, "step %zu: label %d, equal to t-R %d", t, s->labels[t],
                     same);
        if (!chains && s->labels[t])
            cr_assert_eq(s->labels[t - R], 0, "step %zu repeats a repeat", t);
    }
}

Test(familiarity, repeat_fraction_is_p_over_1_plus_p_without_chains)
{
    /* Stationary: f = P(1 - f), so f = P/(1+P). 40,000 steps: the standard
     * error is below 0.004. */
    const double P[3] = {0.5, 0.25, 0.8};
    for (int k = 0; k < 3; k++) {
        ImageSet s = stream(40000, 64, 5, P[k], 0, 11 + (uint64_t)k);
        check_repeats(&s, 5, 0);
        double f = repeat_fraction(&s), want = P[k] / (1.0 + P[k]);
        cr_assert(fabs(f - want) < 0.012, "P %g: fraction %f, want %f", P[k], f, want);
        imageset_done(&s);
    }
}

Test(familiarity, chains_give_repeat_fraction_p_and_repeats_of_repeats)
{
    ImageSet s = stream(40000, 64, 5, 0.5, 1, 3);
    check_repeats(&s, 5, 1);
    double f = repeat_fraction(&s);
    cr_assert(fabs(f - 0.5) < 0.012, "fraction %f", f);
    size_t chained = 0;
    for (size_t t = 5; t < s.n; t++)
        chained += s.labels[t] && s.labels[t - 5];
    /* A quarter of the steps repeat a repeat. */
    cr_assert(fabs((double)chained / (double)s.n - 0.25) < 0.012, "chained %zu", chained);
    imageset_done(&s);
}

Test(familiarity, p_one_and_p_zero_give_known_label_patterns)
{
    /* P = 1 without chains: blocks of R novel, R repeats, R novel, ... */
    ImageSet s = stream(50, 20, 3, 1.0, 0, 5);
    check_repeats(&s, 3, 0);
    for (size_t t = 0; t < 50; t++)
        cr_assert_eq(s.labels[t], (t / 3) % 2, "step %zu", t);
    imageset_done(&s);
    /* P = 1 with chains: everything from R on repeats the first R vectors. */
    s = stream(50, 20, 3, 1.0, 1, 5);
    for (size_t t = 0; t < 50; t++) {
        cr_assert_eq(s.labels[t], t >= 3);
        cr_assert(memcmp(s.pixels + t * 20, s.pixels + (t % 3) * 20, 20) == 0);
    }
    imageset_done(&s);
    s = stream(300, 20, 3, 0.0, 1, 5);
    cr_assert_eq(repeat_fraction(&s), 0.0);
    imageset_done(&s);
}

Test(familiarity, novel_vectors_are_all_distinct_even_when_collisions_are_likely)
{
    /* 2^12 = 4096 vectors for 2,000 steps (~1,300 novel): without the redraw
     * about 200 would collide (birthday bound n²/2·2^-12). */
    ImageSet s = stream(2000, 12, 4, 0.5, 0, 9);
    check_repeats(&s, 4, 0);
    size_t novel = 0;
    for (size_t t = 0; t < s.n; t++) {
        if (s.labels[t])
            continue;
        novel++;
        for (size_t u = 0; u < t; u++)
            cr_assert(memcmp(s.pixels + t * 12, s.pixels + u * 12, 12) != 0,
                      "novel step %zu equals step %zu", t, u);
    }
    cr_assert(novel > 1200 && novel < 1450, "novel %zu", novel);
    /* Elements are fair coins: about half the pixels are +1. */
    size_t ones = 0;
    for (size_t i = 0; i < s.n * 12; i++)
        ones += s.pixels[i] == 255;
    cr_assert(fabs((double)ones / (double)(s.n * 12) - 0.5) < 0.02);
    imageset_done(&s);
}

Test(familiarity, long_vectors_use_every_word_bit)
{
    /* N = 130 spans three 64-bit words; the last two elements come from the
     * third word's low bits. Each element position is +1 about half the time. */
    ImageSet s = stream(4000, 130, 5, 0.5, 0, 21);
    check_repeats(&s, 5, 0);
    cr_assert(s.rows == 1 && s.cols == 130, "a length that is not a square stays one row");
    for (size_t k = 0; k < 130; k++) {
        size_t ones = 0;
        for (size_t t = 0; t < s.n; t++)
            ones += s.pixels[t * 130 + k] == 255;
        cr_assert(ones > 1700 && ones < 2300, "element %zu: %zu ones", k, ones);
    }
    imageset_done(&s);
}

Test(familiarity, same_seed_same_stream_and_independent_train_test)
{
    ImageSet a = stream(500, 100, 5, 0.5, 0, 42), b = stream(500, 100, 5, 0.5, 0, 42);
    ImageSet c = stream(500, 100, 5, 0.5, 0, 43);
    cr_assert(memcmp(a.pixels, b.pixels, 500 * 100) == 0);
    cr_assert(memcmp(a.labels, b.labels, 500) == 0);
    cr_assert(memcmp(a.pixels, c.pixels, 500 * 100) != 0);
    imageset_done(&a);
    imageset_done(&b);
    imageset_done(&c);

    Dataset *d = NULL, *e = NULL;
    cr_assert_eq(familiarity_dataset(&d, 100, 5, 0.5, 0, 2500, 1000, 7, msg), ST_OK, "%s", msg);
    cr_assert_eq(familiarity_dataset(&e, 100, 5, 0.5, 0, 2500, 1000, 7, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(d->name, "familiarity");
    cr_assert(strstr(d->source, "R=5") != NULL, "%s", d->source);
    cr_assert_eq(d->train.n, 2500);
    cr_assert_eq(d->test.n, 1000);
    cr_assert_eq(d->train.rows, 10, "a stimulus of 100 values is drawn as 10 x 10");
    cr_assert_eq(d->train.cols, 10);
    cr_assert_eq(d->test.n_classes, 2);
    check_repeats(&d->train, 5, 0);
    check_repeats(&d->test, 5, 0);
    cr_assert(memcmp(d->train.pixels, e->train.pixels, 2500 * 100) == 0);
    cr_assert(memcmp(d->test.pixels, e->test.pixels, 1000 * 100) == 0);
    cr_assert(memcmp(d->train.pixels, d->test.pixels, 1000 * 100) != 0);
    /* The train set is stream FAMILIARITY_STREAM_TRAIN of the seed. */
    Rng r;
    rng_seed(&r, 7, FAMILIARITY_STREAM_TRAIN);
    ImageSet f;
    cr_assert_eq(familiarity_stream(&f, 2500, 100, 5, 0.5, 0, &r, msg), ST_OK);
    cr_assert(memcmp(f.pixels, d->train.pixels, 2500 * 100) == 0);
    imageset_done(&f);
    /* Fresh epoch streams: deterministic, different per epoch and from train. */
    ImageSet g, h;
    cr_assert_eq(familiarity_epoch_stream(&g, 2500, 100, 5, 0.5, 0, 7, 3, msg), ST_OK);
    cr_assert_eq(familiarity_epoch_stream(&h, 2500, 100, 5, 0.5, 0, 7, 3, msg), ST_OK);
    cr_assert(memcmp(g.pixels, h.pixels, 2500 * 100) == 0);
    cr_assert(memcmp(g.pixels, d->train.pixels, 2500 * 100) != 0);
    imageset_done(&h);
    cr_assert_eq(familiarity_epoch_stream(&h, 2500, 100, 5, 0.5, 0, 7, 4, msg), ST_OK);
    cr_assert(memcmp(g.pixels, h.pixels, 2500 * 100) != 0);
    imageset_done(&g);
    imageset_done(&h);
    dataset_free(d);
    dataset_free(e);
}

Test(familiarity, bad_arguments_are_rejected_with_a_zeroed_output)
{
    Rng r;
    rng_seed(&r, 1, 0);
    ImageSet s;
    cr_assert_eq(familiarity_stream(&s, 0, 10, 5, 0.5, 0, &r, msg), ST_EINVAL);
    cr_assert_null(s.pixels);
    cr_assert_eq(familiarity_stream(&s, 10, 0, 5, 0.5, 0, &r, msg), ST_EINVAL);
    cr_assert_eq(familiarity_stream(&s, 10, 10, 0, 0.5, 0, &r, msg), ST_EINVAL);
    cr_assert_eq(familiarity_stream(&s, 10, 10, 5, 1.5, 0, &r, msg), ST_EINVAL);
    cr_assert(strstr(msg, "probability") != NULL, "%s", msg);
    cr_assert_eq(familiarity_stream(&s, 10, 10, 5, -0.1, 0, &r, msg), ST_EINVAL);
    cr_assert_eq(familiarity_stream(&s, 10, 10, 5, NAN, 0, &r, msg), ST_EINVAL);
    /* 2^4 = 16 distinct vectors cannot feed 100 steps. */
    cr_assert_eq(familiarity_stream(&s, 100, 4, 5, 0.5, 0, &r, msg), ST_EINVAL);
    cr_assert(strstr(msg, "distinct") != NULL, "%s", msg);
    cr_assert_null(s.pixels);
    /* 2^31 bytes is the image-set limit. */
    cr_assert_eq(familiarity_stream(&s, (size_t)1 << 30, 100, 5, 0.5, 0, &r, msg), ST_EINVAL);
    cr_assert_null(s.pixels);
    Dataset *d = (Dataset *)&s;
    cr_assert_eq(familiarity_dataset(&d, 100, 5, 0.5, 0, 100, 0, 1, msg), ST_EINVAL);
    cr_assert_null(d);
}
