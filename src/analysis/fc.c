#include "neurotop/analysis/fc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "neurotop/analysis/histogram.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"

/* Relative sum-of-squares below which a centred unit is treated as silent. */
#define SILENT_REL 1e-24

/* Scratch for one correlation: z holds the n×p standardised columns and
 * raw the per-unit raw sums of squares (silence reference); mean is the
 * per-sample mean across units (FC_REGRESS_MEAN); colsum the column means. */
typedef struct {
    double *z;
    double *raw;
    double *mean;
    double *colsum;
} Work;

static void work_free(Work *w)
{
    free(w->z);
    free(w->raw);
    free(w->mean);
    free(w->colsum);
}

static Status work_alloc(Work *w, size_t n, size_t p, char *msg)
{
    size_t np;
    w->z = w->raw = w->mean = w->colsum = NULL;
    if (size_mul(n, p, &np) || np > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "a %zu x %zu activation matrix is too large", n, p);
    w->z = malloc(np * sizeof *w->z);
    w->raw = malloc(p * sizeof *w->raw);
    w->mean = malloc(n * sizeof *w->mean);
    w->colsum = malloc(p * sizeof *w->colsum);
    if (!w->z || !w->raw || !w->mean || !w->colsum) {
        work_free(w);
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu correlation", n, p);
    }
    return ST_OK;
}

/* Copies the n×p block into w->z, rejecting non-finite values. */
static Status load(const double *xd, const float *xf, size_t row0, size_t n, size_t p, size_t ldx,
                   Work *w, char *msg)
{
    for (size_t t = 0; t < n; t++) {
        double *dst = w->z + t * p;
        size_t off = (row0 + t) * ldx;
        if (xd)
            for (size_t j = 0; j < p; j++)
                dst[j] = xd[off + j];
        else
            for (size_t j = 0; j < p; j++)
                dst[j] = (double)xf[off + j];
        for (size_t j = 0; j < p; j++)
            if (!isfinite(dst[j]))
                return status_fail(msg, ST_EINVAL, "activation at sample %zu, unit %zu is not finite",
                                   row0 + t, j);
    }
    return ST_OK;
}

/* Centres the columns of w->z (and regresses out the common mode when
 * asked), then scales each to unit norm; silent columns become 0.
 * Returns the number of silent columns. */
static size_t standardise(Work *w, size_t n, size_t p, unsigned flags)
{
    double *z = w->z;
    for (size_t j = 0; j < p; j++)
        w->raw[j] = 0.0;
    for (size_t t = 0; t < n; t++) {
        double s = 0.0;
        for (size_t j = 0; j < p; j++) {
            w->raw[j] += z[t * p + j] * z[t * p + j];
            s += z[t * p + j];
        }
        w->mean[t] = s / (double)p;
    }
    /* Column means into colsum, row by row to stay cache-friendly. */
    double *colsum = w->colsum;
    for (size_t j = 0; j < p; j++)
        colsum[j] = 0.0;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < p; j++)
            colsum[j] += z[t * p + j];
    for (size_t j = 0; j < p; j++)
        colsum[j] /= (double)n;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < p; j++)
            z[t * p + j] -= colsum[j];
    if (flags & FC_REGRESS_MEAN) {
        double s = 0.0, mm = 0.0;
        for (size_t t = 0; t < n; t++)
            s += w->mean[t];
        s /= (double)n;
        for (size_t t = 0; t < n; t++) {
            w->mean[t] -= s;
            mm += w->mean[t] * w->mean[t];
        }
        /* A constant common mode has nothing to regress out. Row-wise
         * passes: beta_j = Σ_t z_tj m_t / Σ_t m_t², then z_tj −= beta_j m_t. */
        if (mm > 0.0) {
            double *beta = colsum;
            for (size_t j = 0; j < p; j++)
                beta[j] = 0.0;
            for (size_t t = 0; t < n; t++)
                for (size_t j = 0; j < p; j++)
                    beta[j] += z[t * p + j] * w->mean[t];
            for (size_t j = 0; j < p; j++)
                beta[j] /= mm;
            for (size_t t = 0; t < n; t++)
                for (size_t j = 0; j < p; j++)
                    z[t * p + j] -= beta[j] * w->mean[t];
        }
    }
    double *ss = colsum;
    for (size_t j = 0; j < p; j++)
        ss[j] = 0.0;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < p; j++)
            ss[j] += z[t * p + j] * z[t * p + j];
    size_t silent = 0;
    for (size_t j = 0; j < p; j++) {
        int off = ss[j] <= SILENT_REL * w->raw[j] || ss[j] == 0.0;
        /* From here on raw marks the active units (the diagonal) and ss
         * holds the column scales. */
        ss[j] = off ? 0.0 : 1.0 / sqrt(ss[j]);
        w->raw[j] = off ? 0.0 : 1.0;
        silent += (size_t)off;
    }
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < p; j++)
            z[t * p + j] *= ss[j];
    return silent;
}

/* out = zᵀz, mirrored, clamped, with the requested diagonal. */
static void correlate(const Work *w, size_t n, size_t p, unsigned flags, double *out)
{
    linalg_dsyrk(1, p, n, 1.0, w->z, p, 0.0, out, p);
    for (size_t i = 0; i < p; i++) {
        for (size_t j = i + 1; j < p; j++) {
            double r = out[i * p + j];
            r = r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
            out[i * p + j] = r;
            out[j * p + i] = r;
        }
        out[i * p + i] = (flags & FC_ZERO_DIAGONAL) ? 0.0 : w->raw[i];
    }
}

static Status check_shape(size_t n, size_t p, size_t ldx, char *msg)
{
    if (p == 0)
        return status_fail(msg, ST_EINVAL, "functional connectivity needs at least one unit");
    if (ldx < p)
        return status_fail(msg, ST_EINVAL, "row stride %zu is smaller than the %zu units", ldx, p);
    size_t pp;
    if (size_mul(p, p, &pp) || pp > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu units give too large a correlation matrix", p);
    size_t span;
    if (n > 0 && (size_mul(n - 1, ldx, &span) || span > SIZE_MAX - p))
        return status_fail(msg, ST_EINVAL, "a %zu x %zu activation matrix is too large", n, ldx);
    return ST_OK;
}

static Status whole(const double *xd, const float *xf, size_t n, size_t p, size_t ldx,
                    unsigned flags, double *out, size_t *n_silent, char *msg)
{
    if (n < 2)
        return status_fail(msg, ST_EINVAL, "a correlation needs at least 2 samples, got %zu", n);
    Status st = check_shape(n, p, ldx, msg);
    if (st)
        return st;
    Work w;
    if ((st = work_alloc(&w, n, p, msg)))
        return st;
    if (!(st = load(xd, xf, 0, n, p, ldx, &w, msg))) {
        size_t silent = standardise(&w, n, p, flags);
        correlate(&w, n, p, flags, out);
        if (n_silent)
            *n_silent = silent;
    }
    work_free(&w);
    return st;
}

Status fc_correlation(const double *x, size_t n, size_t p, size_t ldx, unsigned flags,
                      double *out, size_t *n_silent, char *msg)
{
    return whole(x, NULL, n, p, ldx, flags, out, n_silent, msg);
}

Status fc_correlation_f(const float *x, size_t n, size_t p, size_t ldx, unsigned flags,
                        double *out, size_t *n_silent, char *msg)
{
    return whole(NULL, x, n, p, ldx, flags, out, n_silent, msg);
}

static Status windows(const double *xd, const float *xf, size_t n, size_t p, size_t ldx,
                      size_t n_windows, size_t window_len, unsigned flags, double *out, char *msg)
{
    if (window_len < 2)
        return status_fail(msg, ST_EINVAL, "a window needs at least 2 samples, got %zu", window_len);
    if (n_windows == 0)
        return status_fail(msg, ST_EINVAL, "functional connectivity needs at least one window");
    size_t need;
    if (size_mul(n_windows, window_len, &need) || need > n)
        return status_fail(msg, ST_EINVAL, "%zu windows of %zu samples need more than the %zu samples given",
                           n_windows, window_len, n);
    Status st = check_shape(n, p, ldx, msg);
    if (st)
        return st;
    size_t pp = p * p, total;
    if (size_mul(pp, n_windows, &total) || total > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu windows of %zu units are too many", n_windows, p);
    Work w;
    if ((st = work_alloc(&w, window_len, p, msg)))
        return st;
    for (size_t s = 0; s < n_windows && !st; s++) {
        st = load(xd, xf, s * window_len, window_len, p, ldx, &w, msg);
        if (!st) {
            standardise(&w, window_len, p, flags);
            correlate(&w, window_len, p, flags | FC_ZERO_DIAGONAL, out + s * pp);
        }
    }
    work_free(&w);
    return st;
}

Status fc_windows(const double *x, size_t n, size_t p, size_t ldx, size_t n_windows,
                  size_t window_len, unsigned flags, double *out, char *msg)
{
    return windows(x, NULL, n, p, ldx, n_windows, window_len, flags, out, msg);
}

Status fc_windows_f(const float *x, size_t n, size_t p, size_t ldx, size_t n_windows,
                    size_t window_len, unsigned flags, double *out, char *msg)
{
    return windows(NULL, x, n, p, ldx, n_windows, window_len, flags, out, msg);
}

Status fc_summary(const double *c, size_t p, double *mean, double *mean_abs, char *msg)
{
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a correlation summary needs at least 2 units, got %zu", p);
    double s = 0.0, sa = 0.0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++) {
            s += c[i * p + j];
            sa += fabs(c[i * p + j]);
        }
    double pairs = (double)p * (double)(p - 1) / 2.0;
    if (mean)
        *mean = s / pairs;
    if (mean_abs)
        *mean_abs = sa / pairs;
    return ST_OK;
}

Status fc_histogram(const double *c, size_t p, size_t nbins, size_t *counts, char *msg)
{
    if (p < 2)
        return status_fail(msg, ST_EINVAL, "a correlation histogram needs at least 2 units, got %zu", p);
    size_t pp;
    if (size_mul(p, p - 1, &pp) || pp / 2 > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu units give too many pairs", p);
    size_t m = pp / 2, k = 0;
    double *v = malloc(m * sizeof *v);
    if (!v)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu correlation values", m);
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++)
            v[k++] = c[i * p + j];
    Status st = histogram_compute_d(v, m, -1.0, 1.0, nbins, counts, NULL, msg);
    free(v);
    return st;
}
