#include "neurotop/analysis/permtest.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "neurotop/core/rng.h"

/* docs/methods.md §22: exact ties with |r| count whatever the rounding. */
#define TIE_TOL 1e-12

/* Centre x in place; returns Σ x² after centring (0 when all equal). */
static double centre(double *x, size_t n)
{
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        x[i] -= mean;
        ss += x[i] * x[i];
    }
    return ss;
}

static int all_equal(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0])
            return 0;
    return 1;
}

/* Copy the kept entries into ca and cb, checking them; *m receives the count. */
static Status gather(const double *a, const double *b, const unsigned char *mask, size_t n,
                     double *ca, double *cb, size_t *m, char *msg)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        if (!isfinite(a[i]) || !isfinite(b[i]))
            return status_fail(msg, ST_EINVAL, "entry %zu of the correlated maps is not finite", i);
        ca[k] = a[i];
        cb[k] = b[i];
        k++;
    }
    if (k < 3)
        return status_fail(msg, ST_EINVAL, "a correlation needs at least 3 entries, got %zu", k);
    /* Zero variance is "all entries equal", tested exactly: a computed mean of
     * equal values may differ from them by an ulp. */
    if (all_equal(ca, k))
        return status_fail(msg, ST_EINVAL, "the first map has zero variance (all %zu entries equal)", k);
    if (all_equal(cb, k))
        return status_fail(msg, ST_EINVAL, "the second map has zero variance (all %zu entries equal)", k);
    *m = k;
    return ST_OK;
}

static double dot(const double *x, const double *y, size_t n)
{
    /* Four partial sums let the compiler keep several multiplies in flight. */
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++)
        s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
}

Status permtest_pearson(const double *a, const double *b, size_t n, double *r, char *msg)
{
    if (!a || !b || !r)
        return status_fail(msg, ST_EINVAL, "permtest_pearson needs non-NULL inputs");
    if (n < 3)
        return status_fail(msg, ST_EINVAL, "a correlation needs at least 3 entries, got %zu", n);
    if (n > SIZE_MAX / (2 * sizeof(double)))
        return status_fail(msg, ST_EINVAL, "%zu entries is too many", n);
    double *ca = malloc(2 * n * sizeof *ca);
    if (!ca)
        return status_fail(msg, ST_ENOMEM, "out of memory for a correlation of %zu entries", n);
    double *cb = ca + n;
    size_t m;
    Status st = gather(a, b, NULL, n, ca, cb, &m, msg);
    if (!st) {
        double sa = centre(ca, m), sb = centre(cb, m);
        *r = dot(ca, cb, m) / sqrt(sa * sb);
    }
    free(ca);
    return st;
}

/* Fisher–Yates shuffle of doubles in place (the rng's size_t shuffle would
 * need an index indirection per dot-product term). */
static void shuffle(Rng *rng, double *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(rng, i);
        double t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

Status permtest_run(const double *a, const double *b, const unsigned char *mask, size_t n,
                    size_t perms, uint64_t seed, PermTest *out, char *msg)
{
    if (!a || !b || !out)
        return status_fail(msg, ST_EINVAL, "permtest_run needs non-NULL inputs");
    if (perms == 0)
        return status_fail(msg, ST_EINVAL, "a permutation test needs at least one permutation");
    if (n < 3)
        return status_fail(msg, ST_EINVAL, "a correlation needs at least 3 entries, got %zu", n);
    if (n > SIZE_MAX / (2 * sizeof(double)))
        return status_fail(msg, ST_EINVAL, "%zu entries is too many", n);
    double *ca = malloc(2 * n * sizeof *ca);
    if (!ca)
        return status_fail(msg, ST_ENOMEM, "out of memory for a permutation test of %zu entries", n);
    double *cb = ca + n;
    size_t m;
    Status st = gather(a, b, mask, n, ca, cb, &m, msg);
    if (st) {
        free(ca);
        return st;
    }
    double sa = centre(ca, m), sb = centre(cb, m);
    double norm = sqrt(sa * sb);
    double r = dot(ca, cb, m) / norm;
    /* Compare dot products, not ratios: |r_k| >= |r| − tol ⇔ |dot_k| >= (|r| − tol)·norm. */
    double limit = (fabs(r) - TIE_TOL) * norm;
    Rng rng;
    rng_seed(&rng, seed, PERMTEST_STREAM);
    size_t exceed = 0;
    for (size_t k = 0; k < perms; k++) {
        shuffle(&rng, cb, m);
        if (fabs(dot(ca, cb, m)) >= limit)
            exceed++;
    }
    free(ca);
    out->r = r;
    out->p = (1.0 + (double)exceed) / (1.0 + (double)perms);
    out->perms = perms;
    out->exceed = exceed;
    out->n = m;
    return ST_OK;
}
