#include "neurotop/data/familiarity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"

/* Novel vectors packed as bits, with an open-addressing hash set over them
 * so each novel draw is checked against all earlier ones in O(N/64). */
typedef struct {
    size_t words;    /* u64 words per vector */
    uint64_t *keys;  /* count × words */
    size_t count;
    size_t *slots;   /* table of index + 1; 0 = empty */
    size_t mask;     /* table size - 1 (a power of two) */
} NovelSet;

static void novel_done(NovelSet *s)
{
    free(s->keys);
    free(s->slots);
}

/* Room for `cap` vectors of N bits, table at least twice that. */
static Status novel_init(NovelSet *s, size_t cap, size_t N, char *msg)
{
    memset(s, 0, sizeof *s);
    s->words = (N + 63) / 64;
    size_t table = 16;
    while (table < 2 * cap)
        table *= 2;
    size_t key_count;
    if (size_mul(cap, s->words, &key_count) != 0 || key_count > SIZE_MAX / sizeof(uint64_t) ||
        table > SIZE_MAX / sizeof(size_t))
        return status_fail(msg, ST_EINVAL, "a stream of %zu vectors of %zu elements is too large",
                           cap, N);
    s->keys = malloc(key_count * sizeof(uint64_t));
    s->slots = calloc(table, sizeof(size_t));
    if (!s->keys || !s->slots) {
        novel_done(s);
        return status_fail(msg, ST_ENOMEM, "out of memory generating a familiarity stream");
    }
    s->mask = table - 1;
    return ST_OK;
}

static size_t hash_words(const uint64_t *w, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < n; i++) {
        h ^= w[i];
        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9u;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBu;
        h ^= h >> 31;
    }
    return (size_t)h;
}

/* Insert the candidate when it is new; returns 0 when it was already there. */
static int novel_insert(NovelSet *s, const uint64_t *cand)
{
    size_t i = hash_words(cand, s->words) & s->mask;
    while (s->slots[i]) {
        if (memcmp(s->keys + (s->slots[i] - 1) * s->words, cand, s->words * sizeof *cand) == 0)
            return 0;
        i = (i + 1) & s->mask;
    }
    memcpy(s->keys + s->count * s->words, cand, s->words * sizeof *cand);
    s->slots[i] = ++s->count;
    return 1;
}

Status familiarity_stream(ImageSet *out, size_t T, size_t N, size_t R, double P, int chains,
                          Rng *rng, char *msg)
{
    memset(out, 0, sizeof *out);
    if (T == 0 || N == 0 || R == 0)
        return status_fail(msg, ST_EINVAL,
                           "a familiarity stream needs at least one step, one element and a "
                           "repeat interval of at least 1");
    if (!(P >= 0.0 && P <= 1.0))
        return status_fail(msg, ST_EINVAL, "the repeat probability must be in [0, 1], not %g", P);
    /* The redraw of a colliding vector must succeed with probability >= 1/2. */
    if (N < 63 && ((uint64_t)1 << N) < 2 * (uint64_t)T)
        return status_fail(msg, ST_EINVAL,
                           "%zu-element vectors allow only %llu distinct stimuli, too few for a "
                           "stream of %zu steps (need 2^N >= 2T)",
                           N, (unsigned long long)((uint64_t)1 << N), T);
    /* A stimulus of a square length is drawn as a square, like an image. */
    size_t side = 1;
    while ((side + 1) * (side + 1) <= N)
        side++;
    Status st = side * side == N ? imageset_alloc(out, T, side, side, msg) : imageset_alloc(out, T, 1, N, msg);
    if (st != ST_OK)
        return st;
    NovelSet set;
    uint64_t *cand = malloc(((N + 63) / 64) * sizeof *cand);
    st = cand ? novel_init(&set, T, N, msg)
              : status_fail(msg, ST_ENOMEM, "out of memory generating a familiarity stream");
    if (st != ST_OK) {
        free(cand);
        imageset_done(out);
        return st;
    }
    const uint64_t last_mask = N % 64 ? ((uint64_t)1 << (N % 64)) - 1 : ~(uint64_t)0;
    for (size_t t = 0; t < T; t++) {
        uint8_t *px = out->pixels + t * N;
        if (t >= R) {
            double u = rng_uniform(rng);
            if (u < P && (chains || out->labels[t - R] == 0)) {
                memcpy(px, px - R * N, N);
                out->labels[t] = 1;
                continue;
            }
        }
        do {
            for (size_t w = 0; w < set.words; w++)
                cand[w] = rng_u64(rng);
            cand[set.words - 1] &= last_mask;
        } while (!novel_insert(&set, cand));
        for (size_t k = 0; k < N; k++)
            px[k] = (cand[k / 64] >> (k % 64)) & 1 ? 255 : 0;
    }
    out->n_classes = 2;
    novel_done(&set);
    free(cand);
    return ST_OK;
}

Status familiarity_dataset(Dataset **out, size_t N, size_t R, double P, int chains,
                           size_t train_T, size_t test_T, uint64_t seed, char *msg)
{
    *out = NULL;
    Dataset *d = calloc(1, sizeof *d);
    if (!d)
        return status_fail(msg, ST_ENOMEM, "out of memory creating the familiarity data set");
    Rng r;
    rng_seed(&r, seed, FAMILIARITY_STREAM_TRAIN);
    Status st = familiarity_stream(&d->train, train_T, N, R, P, chains, &r, msg);
    if (st == ST_OK) {
        rng_seed(&r, seed, FAMILIARITY_STREAM_TEST);
        st = familiarity_stream(&d->test, test_T, N, R, P, chains, &r, msg);
    }
    if (st != ST_OK) {
        dataset_free(d);
        return st;
    }
    snprintf(d->name, sizeof d->name, "familiarity");
    snprintf(d->source, sizeof d->source,
             "familiarity stream N=%zu R=%zu P=%g chains=%s seed=%llu (train %zu, test %zu steps)",
             N, R, P, chains ? "yes" : "no", (unsigned long long)seed, train_T, test_T);
    *out = d;
    return ST_OK;
}

Status familiarity_epoch_stream(ImageSet *out, size_t T, size_t N, size_t R, double P,
                                int chains, uint64_t seed, uint64_t epoch, char *msg)
{
    Rng r;
    rng_seed(&r, seed, FAMILIARITY_STREAM_EPOCH + epoch);
    return familiarity_stream(out, T, N, R, P, chains, &r, msg);
}
