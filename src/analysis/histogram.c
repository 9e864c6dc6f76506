#include "neurotop/analysis/histogram.h"

#include <math.h>
#include <string.h>

static double at(const double *vd, const float *vf, size_t i)
{
    return vd ? vd[i] : (double)vf[i];
}

static Status compute(const double *vd, const float *vf, size_t n, double lo, double hi,
                      size_t nbins, size_t *counts, Moments *stats, char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a histogram needs at least one value");
    if (nbins == 0)
        return status_fail(msg, ST_EINVAL, "a histogram needs at least one bin");
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return status_fail(msg, ST_EINVAL, "histogram range [%g, %g] is not a finite interval",
                           lo, hi);
    double width = hi - lo;
    if (!isfinite(width))
        return status_fail(msg, ST_EINVAL, "histogram range [%g, %g] is too wide", lo, hi);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(at(vd, vf, i)))
            return status_fail(msg, ST_EINVAL, "value %zu is not a finite number", i);
    memset(counts, 0, nbins * sizeof *counts);
    for (size_t i = 0; i < n; i++) {
        double pos = (at(vd, vf, i) - lo) / width * (double)nbins;
        /* Compare before converting: a far outlier must not overflow size_t. */
        size_t b = pos <= 0.0 ? 0 : pos >= (double)nbins ? nbins - 1 : (size_t)pos;
        counts[b]++;
    }
    if (stats)
        return vd ? moments_compute(vd, n, 1, stats, msg) : moments_compute_f(vf, n, 1, stats, msg);
    return ST_OK;
}

Status histogram_compute(const float *v, size_t n, double lo, double hi, size_t nbins,
                         size_t *counts, Moments *stats, char *msg)
{
    return compute(NULL, v, n, lo, hi, nbins, counts, stats, msg);
}

Status histogram_compute_d(const double *v, size_t n, double lo, double hi, size_t nbins,
                           size_t *counts, Moments *stats, char *msg)
{
    return compute(v, NULL, n, lo, hi, nbins, counts, stats, msg);
}

Status histogram_symmetric_range(const float *v, size_t n, double *lo, double *hi, char *msg)
{
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a histogram range needs at least one value");
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs((double)v[i]);
        if (!isfinite(a))
            return status_fail(msg, ST_EINVAL, "value %zu is not a finite number", i);
        m = a > m ? a : m;
    }
    if (m == 0.0)
        m = 1.0;
    *lo = -m;
    *hi = m;
    return ST_OK;
}
