#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/abscorr.h"
#include "neurotop/analysis/eigsub.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"

/* Compare the top k of eigsub with LAPACK's dsyevd on the same matrix:
 * eigenvalues, and the principal angles between the two k-subspaces
 * (‖VᵀU‖_F² = Σ cos² of the angles = k when they coincide). */
static void check_against_lapack(const float *a, size_t n, size_t k, double vtol, double ctol)
{
    double *d = malloc(n * n * sizeof *d), *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            d[i * n + j] = a[(i < j ? i : j) * n + (i < j ? j : i)];
    char msg[512];
    cr_assert_eq(linalg_dsyev(n, d, w, 1, msg), ST_OK);
    double vals[16];
    float *vecs = malloc(n * k * sizeof *vecs);
    size_t iters = 0;
    EigSubOptions opt = {.seed = 3, .tol = 1e-6, .max_iter = 500};
    cr_assert_eq(eigsub_top(a, n, k, &opt, vals, vecs, &iters, msg), ST_OK, "%s", msg);
    cr_assert(iters < 500, "did not converge (%zu iterations)", iters);
    for (size_t c = 0; c < k; c++)
        cr_assert(fabs(vals[c] - w[n - 1 - c]) <= vtol * fabs(w[n - 1]), "λ%zu %f vs %f", c,
                  vals[c], w[n - 1 - c]);
    double f2 = 0;
    for (size_t c = 0; c < k; c++)
        for (size_t e = 0; e < k; e++) {
            double dot = 0;
            for (size_t r = 0; r < n; r++)
                dot += d[r * n + (n - 1 - e)] * vecs[r * k + c];
            f2 += dot * dot;
        }
    cr_assert(f2 > (double)k - ctol, "Σcos² = %f of %zu", f2, k);
    /* each vector unit length with its largest entry positive */
    for (size_t c = 0; c < k; c++) {
        double s = 0, big = 0;
        for (size_t r = 0; r < n; r++) {
            s += (double)vecs[r * k + c] * vecs[r * k + c];
            if (fabs(vecs[r * k + c]) > fabs(big))
                big = vecs[r * k + c];
        }
        cr_assert_float_eq(s, 1.0, 1e-5);
        cr_assert(big > 0);
    }
    free(d);
    free(w);
    free(vecs);
}

Test(eigsub, planted_spectrum_with_negative_eigenvalues)
{
    /* A = Q diag(λ) Qᵀ: 8 leading eigenvalues 10·0.8^j, then a large
     * negative one (−6) and small ones of both signs. */
    enum { N = 120, K = 8 };
    Rng rng;
    rng_seed(&rng, 11, 0);
    double *q = malloc(N * N * sizeof *q), *g = malloc(N * N * sizeof *g), lam[N];
    for (size_t i = 0; i < N * N; i++)
        g[i] = rng_normal(&rng);
    /* orthonormal Q from the eigenvectors of a random symmetric matrix */
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++)
            g[i * N + j] = g[j * N + i];
    char msg[512];
    cr_assert_eq(linalg_dsyev(N, g, lam, 1, msg), ST_OK);
    memcpy(q, g, N * N * sizeof *q);
    for (size_t j = 0; j < N; j++)
        lam[j] = j < K ? 10.0 * pow(0.8, (double)j) : (j == K ? -6.0 : 0.5 * rng_normal(&rng) * 0.2);
    float *a = malloc(N * N * sizeof *a);
    for (size_t r = 0; r < N; r++)
        for (size_t c = 0; c < N; c++) {
            double s = 0;
            for (size_t j = 0; j < N; j++)
                s += q[r * N + j] * lam[j] * q[c * N + j];
            a[r * N + c] = (float)s;
        }
    check_against_lapack(a, N, K, 1e-5, 1e-4);
    free(q);
    free(g);
    free(a);
}

Test(eigsub, absolute_correlation_matrix)
{
    /* |corr| of 150 neurons driven by 3 smooth latent signals, 400 images */
    enum { M = 400, N = 150, K = 4 };
    Rng rng;
    rng_seed(&rng, 5, 0);
    float *r = malloc(M * N * sizeof *r);
    for (size_t i = 0; i < M; i++) {
        double s[3] = {rng_normal(&rng), rng_normal(&rng), rng_normal(&rng)};
        for (size_t j = 0; j < N; j++) {
            double t = (double)j / N;
            r[i * N + j] = (float)(s[0] * cos(3 * t) + s[1] * t + s[2] * (t > 0.5) + rng_normal(&rng));
        }
    }
    double mean[N], sd[N];
    unsigned char cst[N];
    char msg[512];
    cr_assert_eq(abscorr_moments(r, M, N, mean, sd, cst, msg), ST_OK);
    cr_assert_eq(abscorr_standardise(r, M, N, mean, sd, cst, msg), ST_OK);
    float *c = malloc(N * N * sizeof *c);
    cr_assert_eq(abscorr_matrix(r, M, N, 64, c, NULL, NULL, msg), ST_OK);
    check_against_lapack(c, N, K, 1e-4, 1e-3);
    free(r);
    free(c);
}

Test(eigsub, bad_arguments)
{
    float a[4] = {1, 0, 0, 1};
    double v[2];
    float vec[4];
    char msg[512];
    EigSubOptions opt = {.block = 1};
    cr_assert_eq(eigsub_top(a, 2, 2, &opt, v, vec, NULL, msg), ST_EINVAL);
    cr_assert_eq(eigsub_top(a, 2, 0, NULL, v, vec, NULL, msg), ST_EINVAL);
}
