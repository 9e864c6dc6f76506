#include "neurotop/analysis/moments.h"

#include <math.h>

/* One implementation for both element types: exactly one of xd, xf is set. */
static double at(const double *xd, const float *xf, size_t i)
{
    return xd ? xd[i] : (double)xf[i];
}

static Status compute(const double *xd, const float *xf, size_t n, size_t stride, Moments *out,
                      char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "moments need at least one value");
    if (stride == 0)
        return status_fail(msg, ST_EINVAL, "moments need a stride of at least 1");
    double sum = 0.0, lo = at(xd, xf, 0), hi = lo;
    for (size_t i = 0; i < n; i++) {
        double v = at(xd, xf, i * stride);
        if (!isfinite(v))
            return status_fail(msg, ST_EINVAL, "value %zu is not a finite number", i);
        sum += v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    double mean = sum / (double)n;
    Moments m = {.n = n, .mean = mean, .min = lo, .max = hi};
    if (lo == hi) {
        /* m2 = 0 exactly: the spec's null skewness and kurtosis. */
        m.mean = lo;
        m.std = 0.0;
        m.skewness = NAN;
        m.kurtosis = NAN;
        *out = m;
        return ST_OK;
    }
    /* Second pass on centred values; the residual sum corrects the mean. */
    double resid = 0.0;
    for (size_t i = 0; i < n; i++)
        resid += at(xd, xf, i * stride) - mean;
    mean += resid / (double)n;
    double m2 = 0.0, m3 = 0.0, m4 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = at(xd, xf, i * stride) - mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= (double)n;
    m3 /= (double)n;
    m4 /= (double)n;
    m.mean = mean;
    m.std = sqrt(m2);
    /* m2 can still underflow to 0 for values like 0 and 1e-200. */
    m.skewness = m2 > 0.0 ? m3 / (m2 * sqrt(m2)) : NAN;
    m.kurtosis = m2 > 0.0 ? m4 / (m2 * m2) - 3.0 : NAN;
    *out = m;
    return ST_OK;
}

Status moments_compute(const double *x, size_t n, size_t stride, Moments *out, char *msg)
{
    return compute(x, NULL, n, stride, out, msg);
}

Status moments_compute_f(const float *x, size_t n, size_t stride, Moments *out, char *msg)
{
    return compute(NULL, x, n, stride, out, msg);
}
