#include "neurotop/analysis/abscorr.h"

#include <math.h>
#include <stdlib.h>

#include "neurotop/core/linalg.h"

Status abscorr_moments(const float *resp, size_t m, size_t n, double *mean, double *std,
                       unsigned char *constant, char *msg)
{
    if (m == 0 || n == 0)
        return status_fail(msg, ST_EINVAL, "moments need at least one image and one neuron");
    for (size_t j = 0; j < n; j++) {
        mean[j] = 0;
        std[j] = 0;
        constant[j] = 1;
    }
    for (size_t i = 0; i < m; i++) {
        const float *r = resp + i * n;
        for (size_t j = 0; j < n; j++) {
            mean[j] += r[j];
            if (r[j] != resp[j])
                constant[j] = 0;
        }
    }
    for (size_t j = 0; j < n; j++)
        mean[j] /= (double)m;
    for (size_t i = 0; i < m; i++) {
        const float *r = resp + i * n;
        for (size_t j = 0; j < n; j++) {
            double d = r[j] - mean[j];
            std[j] += d * d;
        }
    }
    for (size_t j = 0; j < n; j++) {
        if (!isfinite(mean[j]) || !isfinite(std[j]))
            return status_fail(msg, ST_EINVAL, "neuron %zu has a non-finite response", j);
        /* Rounding of the mean must not give a constant neuron a spread. */
        std[j] = constant[j] ? 0.0 : sqrt(std[j] / (double)m);
    }
    return ST_OK;
}

Status abscorr_standardise(float *resp, size_t m, size_t n, const double *mean,
                           const double *std, const unsigned char *constant, char *msg)
{
    double *scale = malloc(n * sizeof *scale);
    if (!scale)
        return status_fail(msg, ST_ENOMEM, "out of memory standardising %zu neurons", n);
    for (size_t j = 0; j < n; j++)
        scale[j] = constant[j] ? 0.0 : 1.0 / (std[j] * sqrt((double)m));
    for (size_t i = 0; i < m; i++) {
        float *r = resp + i * n;
        for (size_t j = 0; j < n; j++)
            r[j] = (float)((r[j] - mean[j]) * scale[j]);
    }
    free(scale);
    return ST_OK;
}

Status abscorr_matrix(const float *z, size_t m, size_t n, size_t block, float *c,
                      AbsCorrProgressFn progress, void *ctx, char *msg)
{
    if (m == 0 || n == 0)
        return status_fail(msg, ST_EINVAL, "a correlation matrix needs images and neurons");
    if (n > 46340)
        return status_fail(msg, ST_EINVAL, "%zu neurons are too many for one correlation matrix", n);
    if (block == 0)
        block = 1024;
    /* Panels of `block` rows: ssyrk for the diagonal block, sgemm for the
     * rectangle right of it. Each entry is written once, and sgemm runs
     * faster than one big ssyrk here (83 against 58 GFLOP/s on one core). */
    double total = (double)n * (double)(n + 1) / 2, done = 0;
    for (size_t i0 = 0; i0 < n; i0 += block) {
        size_t b = n - i0 < block ? n - i0 : block;
        linalg_ssyrk(1, b, m, 1.0f, z + i0, n, 0.0f, c + i0 * n + i0, n);
        if (i0 + b < n)
            linalg_sgemm(1, 0, b, n - i0 - b, m, 1.0f, z + i0, n, z + i0 + b, n, 0.0f,
                         c + i0 * n + i0 + b, n);
        done += (double)b * (double)(n - i0) - (double)b * (double)(b - 1) / 2;
        if (progress && progress(ctx, done / total))
            return status_fail(msg, ST_ECANCELED, "correlation matrix canceled");
    }
    for (size_t i = 0; i < n; i++) {
        float *row = c + i * n;
        row[i] = 1.0f;
        for (size_t j = i + 1; j < n; j++)
            row[j] = fabsf(row[j]);
    }
    return ST_OK;
}
