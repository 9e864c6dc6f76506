#include "neurotop/analysis/entropy.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"

/* Pivot test of §14: L_kk² <= PIVOT_REL·max_k Σ_kk means singular. */
#define PIVOT_REL 1e-12

static double at(const double *xd, const float *xf, size_t i)
{
    return xd ? xd[i] : (double)xf[i];
}

/* Cholesky of the d×d s (destroyed) with the §14 pivot test; on success
 * *logdet = log det s. Returns ST_ENUMERIC with a sentence when singular. */
static Status chol_logdet(double *s, size_t d, int ridged, double *logdet, char *msg)
{
    double maxdiag = 0.0;
    for (size_t k = 0; k < d; k++)
        maxdiag = s[k * d + k] > maxdiag ? s[k * d + k] : maxdiag;
    char lmsg[STATUS_MSG_LEN];
    if (linalg_dpotrf(d, s, lmsg))
        return status_fail(msg, ST_ENUMERIC,
                           "the covariance matrix is singular (Cholesky failed)%s",
                           ridged ? "; a larger ridge regularises it" : "; a ridge E > 0 regularises it");
    double sum = 0.0;
    for (size_t k = 0; k < d; k++) {
        double l = s[k * d + k];
        if (!(l * l > PIVOT_REL * maxdiag))
            return status_fail(msg, ST_ENUMERIC,
                               "the covariance matrix is singular (pivot %zu is %.3g of the largest "
                               "variance)%s",
                               k, l * l / maxdiag,
                               ridged ? "; a larger ridge regularises it" : "; a ridge E > 0 regularises it");
        sum += log(l);
    }
    *logdet = 2.0 * sum;
    return ST_OK;
}

static Status compute(const double *xd, const float *xf, size_t n, size_t d, size_t ldx,
                      double ridge, EntropyResult *out, char *msg)
{
    if (n < 2)
        return status_fail(msg, ST_EINVAL, "entropy needs at least 2 samples, got %zu", n);
    if (d == 0)
        return status_fail(msg, ST_EINVAL, "entropy needs at least one column");
    if (ldx < d)
        return status_fail(msg, ST_EINVAL, "row stride %zu is smaller than the %zu columns", ldx, d);
    if (!isfinite(ridge) || ridge < 0.0)
        return status_fail(msg, ST_EINVAL, "the ridge must be finite and >= 0, got %g", ridge);
    size_t nd, dd, span;
    if (size_mul(n, d, &nd) || nd > SIZE_MAX / sizeof(double) || size_mul(d, d, &dd) ||
        dd > SIZE_MAX / (2 * sizeof(double)) || size_mul(n - 1, ldx, &span) || span > SIZE_MAX - d)
        return status_fail(msg, ST_EINVAL, "a %zu x %zu matrix is too large for entropy", n, d);
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < d; j++)
            if (!isfinite(at(xd, xf, t * ldx + j)))
                return status_fail(msg, ST_EINVAL, "value at row %zu, column %zu is not finite", t, j);
    size_t *keep = malloc(d * sizeof *keep);
    double *xc = malloc(nd * sizeof *xc);
    double *s = malloc(dd * sizeof *s);
    double *s2 = NULL;
    Status st = ST_OK;
    if (!keep || !xc || !s) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu covariance", d, d);
        goto done;
    }
    size_t k = 0;
    for (size_t j = 0; j < d; j++) {
        double v0 = at(xd, xf, j);
        int constant = 1;
        for (size_t t = 1; t < n && constant; t++)
            constant = at(xd, xf, t * ldx + j) == v0;
        if (!constant)
            keep[k++] = j;
    }
    if (k == 0) {
        st = status_fail(msg, ST_EINVAL, "every column is constant, so no variable is left");
        goto done;
    }
    /* Centred kept columns, packed n×k; two-pass means for accuracy. */
    for (size_t c = 0; c < k; c++) {
        double sum = 0.0;
        for (size_t t = 0; t < n; t++)
            sum += at(xd, xf, t * ldx + keep[c]);
        double mu = sum / (double)n, r = 0.0;
        for (size_t t = 0; t < n; t++)
            r += at(xd, xf, t * ldx + keep[c]) - mu;
        mu += r / (double)n;
        for (size_t t = 0; t < n; t++)
            xc[t * k + c] = at(xd, xf, t * ldx + keep[c]) - mu;
    }
    linalg_dsyrk(1, k, n, 1.0 / (double)(n - 1), xc, k, 0.0, s, k);
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++)
            s[j * k + i] = s[i * k + j];
    double eps = 0.0;
    if (ridge > 0.0) {
        double tr = 0.0;
        for (size_t i = 0; i < k; i++)
            tr += s[i * k + i];
        eps = ridge * tr / (double)k;
        s2 = malloc(k * k * sizeof *s2);
        if (!s2) {
            st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu covariance", k, k);
            goto done;
        }
        memcpy(s2, s, k * k * sizeof *s2);
        for (size_t i = 0; i < k; i++)
            s[i * k + i] += eps;
    }
    double logdet;
    if ((st = chol_logdet(s, k, ridge > 0.0, &logdet, msg)))
        goto done;
    const double log2pie = log(2.0 * M_PI) + 1.0;
    EntropyResult r = {
        .entropy_nats = 0.5 * ((double)k * log2pie + logdet),
        .d = k,
        .dropped = d - k,
        .ridge_eps = eps,
    };
    if (s2) {
        double logdet0;
        char ignored[STATUS_MSG_LEN];
        r.ridge_needed = chol_logdet(s2, k, 0, &logdet0, ignored) != ST_OK;
        r.ridge_shift = r.ridge_needed ? NAN : 0.5 * (logdet - logdet0);
    }
    *out = r;
done:
    free(keep);
    free(xc);
    free(s);
    free(s2);
    return st;
}

Status entropy_gaussian(const double *x, size_t n, size_t d, size_t ldx, double ridge,
                        EntropyResult *out, char *msg)
{
    return compute(x, NULL, n, d, ldx, ridge, out, msg);
}

Status entropy_gaussian_f(const float *x, size_t n, size_t d, size_t ldx, double ridge,
                          EntropyResult *out, char *msg)
{
    return compute(NULL, x, n, d, ldx, ridge, out, msg);
}
