#include "neurotop/analysis/eigsub.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"

/* Modified Gram–Schmidt, twice, on the p columns of the n×p row-major q.
 * A column that vanishes (the matrix has rank < p) is replaced by a random
 * direction, so the block always stays orthonormal. */
static void orthonormalise(double *q, size_t n, size_t p, Rng *rng)
{
    for (size_t j = 0; j < p; j++) {
        for (int attempt = 0; attempt < 4; attempt++) {
            double before = 0;
            for (size_t r = 0; r < n; r++)
                before += q[r * p + j] * q[r * p + j];
            for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < j; i++) {
                    double dot = 0;
                    for (size_t r = 0; r < n; r++)
                        dot += q[r * p + i] * q[r * p + j];
                    for (size_t r = 0; r < n; r++)
                        q[r * p + j] -= dot * q[r * p + i];
                }
            double norm = 0;
            for (size_t r = 0; r < n; r++)
                norm += q[r * p + j] * q[r * p + j];
            if (norm > 1e-20 * before && norm > 0) {
                double s = 1.0 / sqrt(norm);
                for (size_t r = 0; r < n; r++)
                    q[r * p + j] *= s;
                break;
            }
            for (size_t r = 0; r < n; r++)
                q[r * p + j] = rng_normal(rng);
        }
    }
}

Status eigsub_top(const float *a, size_t n, size_t k, const EigSubOptions *opt, double *vals,
                  float *vecs, size_t *iters, char *msg)
{
    size_t p = opt && opt->block ? opt->block : 2 * k;
    size_t max_iter = opt && opt->max_iter ? opt->max_iter : 100;
    double tol = opt && opt->tol > 0 ? opt->tol : 1e-4;
    if (k == 0 || n == 0)
        return status_fail(msg, ST_EINVAL, "eigenvectors: need k >= 1 of a non-empty matrix");
    if (p > n)
        p = n;
    if (p < k)
        return status_fail(msg, ST_EINVAL, "eigenvectors: block %zu is smaller than k = %zu (n = %zu)",
                           p, k, n);
    float *xf = malloc(n * p * sizeof *xf), *yf = malloc(n * p * sizeof *yf);
    double *q = malloc(n * p * sizeof *q), *y = malloc(n * p * sizeof *y);
    double *u = malloc(n * p * sizeof *u), *au = malloc(n * p * sizeof *au);
    double *h = malloc(p * p * sizeof *h), *theta = malloc(p * sizeof *theta);
    double *v = malloc(p * p * sizeof *v);
    Status st = ST_OK;
    if (!xf || !yf || !q || !y || !u || !au || !h || !theta || !v) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu eigenvectors of %zu", p, n);
        goto done;
    }
    Rng rng;
    rng_seed(&rng, opt ? opt->seed : 0, 0x5eed);
    for (size_t i = 0; i < n * p; i++)
        q[i] = rng_normal(&rng);
    orthonormalise(q, n, p, &rng);
    size_t it = 0;
    for (;;) {
        it++;
        for (size_t i = 0; i < n * p; i++)
            xf[i] = (float)q[i];
        linalg_ssymm(n, p, 1.0f, a, n, xf, p, 0.0f, yf, p);
        for (size_t i = 0; i < n * p; i++)
            y[i] = yf[i];
        /* Rayleigh quotient H = Qᵀ A Q, symmetrised against rounding. */
        linalg_dgemm(1, 0, p, p, n, 1.0, q, p, y, p, 0.0, h, p);
        for (size_t i = 0; i < p; i++)
            for (size_t j = i + 1; j < p; j++)
                h[i * p + j] = h[j * p + i] = 0.5 * (h[i * p + j] + h[j * p + i]);
        st = linalg_dsyev(p, h, theta, 1, msg);
        if (st != ST_OK)
            goto done;
        /* Descending order: column c of v is the eigenvector of theta[p-1-c]. */
        for (size_t i = 0; i < p; i++)
            for (size_t c = 0; c < p; c++)
                v[i * p + c] = h[i * p + (p - 1 - c)];
        linalg_dgemm(0, 0, n, p, p, 1.0, q, p, v, p, 0.0, u, p);
        linalg_dgemm(0, 0, n, p, p, 1.0, y, p, v, p, 0.0, au, p);
        double top = fabs(theta[p - 1]) > 0 ? fabs(theta[p - 1]) : 1.0, worst = 0;
        for (size_t c = 0; c < k; c++) {
            double t = theta[p - 1 - c], r2 = 0;
            for (size_t r = 0; r < n; r++) {
                double e = au[r * p + c] - t * u[r * p + c];
                r2 += e * e;
            }
            if (sqrt(r2) > worst)
                worst = sqrt(r2);
        }
        if (worst <= tol * top || it >= max_iter)
            break;
        if (opt && opt->progress && opt->progress(opt->progress_ctx, (double)it / (double)max_iter)) {
            st = status_fail(msg, ST_ECANCELED, "eigenvectors canceled");
            goto done;
        }
        memcpy(q, au, n * p * sizeof *q);
        orthonormalise(q, n, p, &rng);
    }
    for (size_t c = 0; c < k; c++) {
        vals[c] = theta[p - 1 - c];
        size_t arg = 0;
        for (size_t r = 1; r < n; r++)
            if (fabs(u[r * p + c]) > fabs(u[arg * p + c]))
                arg = r;
        double sign = u[arg * p + c] < 0 ? -1.0 : 1.0, norm = 0;
        for (size_t r = 0; r < n; r++)
            norm += u[r * p + c] * u[r * p + c];
        double s = sign / sqrt(norm);
        for (size_t r = 0; r < n; r++)
            vecs[r * k + c] = (float)(u[r * p + c] * s);
    }
    if (iters)
        *iters = it;
done:
    free(xf);
    free(yf);
    free(q);
    free(y);
    free(u);
    free(au);
    free(h);
    free(theta);
    free(v);
    return st;
}
