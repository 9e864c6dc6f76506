#ifndef NEUROTOP_ANALYSIS_PERMTEST_H
#define NEUROTOP_ANALYSIS_PERMTEST_H

/* Pearson correlation with a two-sided permutation p-value (docs/methods.md §22),
 * as used by seed paper 000 to relate maps such as edge change and pixel
 * information (Shine et al. 2021, doi:10.1186/s40708-021-00147-z). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

/* RNG stream used for the permutations (rng_seed(&r, seed, PERMTEST_STREAM)). */
#define PERMTEST_STREAM 0x7065726dULL

typedef struct {
    double r;        /* Pearson r over the kept entries */
    double p;        /* (1 + exceed) / (perms + 1) */
    size_t perms;    /* N, echoed */
    size_t exceed;   /* m = #{k : |r_k| >= |r| − 1e-12} */
    size_t n;        /* entries kept (all, or those with mask[i] != 0) */
} PermTest;

/* Pearson r = Σ(a−ā)(b−b̄) / √(Σ(a−ā)² Σ(b−b̄)²) over n entries.
 * ST_EINVAL when n < 3, an entry is not finite, or a or b has zero variance
 * (all entries equal). O(n). */
Status permtest_pearson(const double *a, const double *b, size_t n, double *r, char *msg);

/* r of a and b plus the permutation p-value of §22: for k = 1..perms, r_k is
 * the correlation of a with a uniformly random permutation of b (Fisher–Yates,
 * successive shuffles of one buffer, Rng seeded with (seed, PERMTEST_STREAM)),
 * and p = (1 + #{|r_k| >= |r| − 1e-12}) / (perms + 1): two-sided, never 0.
 * mask (may be NULL = keep all) selects the entries that take part, e.g. the
 * "live" pixels (those ever on in the training images: dead pixels inflate r); permutations
 * shuffle only the kept entries. Errors as permtest_pearson on the kept
 * entries, and ST_EINVAL for perms = 0. a, b, mask are borrowed; *out is
 * filled. Centred a and b are computed once, so each permutation costs one
 * shuffle and one dot product: O(n + perms·n) time, O(n) memory. */
Status permtest_run(const double *a, const double *b, const unsigned char *mask, size_t n,
                    size_t perms, uint64_t seed, PermTest *out, char *msg);

#endif
