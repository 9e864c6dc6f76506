#ifndef NEUROTOP_CORE_RNG_H
#define NEUROTOP_CORE_RNG_H

/* Seeded pseudo-random streams (xoshiro256**, seeded through splitmix64).
 * Every random choice in neurotop draws from an Rng owned by one thread.
 * Distinct (seed, stream) pairs give independent sequences. */

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t s[4];
    int has_spare;
    double spare;
} Rng;

void rng_seed(Rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_u64(Rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double rng_uniform(Rng *r);
/* Uniform integer in [0, n) without modulo bias; n must be > 0. */
uint64_t rng_below(Rng *r, uint64_t n);
/* Standard normal deviate (polar Box–Muller). */
double rng_normal(Rng *r);
/* The seed of the random choices made for epoch `epoch` of a run seeded
 * with run_seed (run_seed·1000003 + epoch, wrapping): each epoch's
 * per-epoch analyses draw from streams of their own, so recomputing one
 * epoch gives the numbers the live run gave. O(1). */
uint64_t rng_epoch_seed(uint64_t run_seed, size_t epoch);
/* Fisher–Yates shuffle of n size_t values. */
void rng_shuffle_size(Rng *r, size_t *v, size_t n);
/* Fill v with a uniformly random permutation of 0..n-1. */
void rng_permutation(Rng *r, size_t *v, size_t n);

#endif
