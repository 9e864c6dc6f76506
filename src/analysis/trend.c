#include "neurotop/analysis/trend.h"

#include <math.h>

/* Continued fraction of the regularised incomplete beta I_x(a, b), valid
 * for x < (a + 1)/(a + b + 2) (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 500; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        if (fabs(c) < tiny)
            c = tiny;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        if (fabs(c) < tiny)
            c = tiny;
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < 1e-15)
            break;
    }
    return h;
}

static double inc_beta(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(lfront) * beta_cf(a, b, x) / a;
    return 1.0 - exp(lfront) * beta_cf(b, a, 1.0 - x) / b;
}

double trend_t_cdf(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    if (isinf(t))
        return t > 0 ? 1.0 : 0.0;
    /* P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2) = 1 − I_{t²/(df+t²)}(1/2, df/2);
     * the second form keeps its precision for small |t|. */
    double x = df / (df + t * t), z = t * t / (df + t * t);
    double tail = 0.5 * (x < 0.5 ? inc_beta(df / 2.0, 0.5, x) : 1.0 - inc_beta(0.5, df / 2.0, z));
    return t > 0 ? 1.0 - tail : tail;
}

double trend_t_quantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
        return NAN;
    double lo = -1.0, hi = 1.0;
    while (trend_t_cdf(lo, df) > p)
        lo *= 2.0;
    while (trend_t_cdf(hi, df) < p)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * (fabs(lo) + fabs(hi) + 1e-300); i++) {
        double mid = 0.5 * (lo + hi);
        if (trend_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

Status trend_welch(double mean1, double sd1, size_t n1, double mean2, double sd2, size_t n2, WelchTest *out,
                   char *msg)
{
    if (n1 < 2 || n2 < 2)
        return status_fail(msg, ST_EINVAL, "a Welch test needs at least 2 values per sample, got %zu and %zu", n1,
                           n2);
    if (!isfinite(mean1) || !isfinite(mean2) || !isfinite(sd1) || !isfinite(sd2) || sd1 < 0 || sd2 < 0)
        return status_fail(msg, ST_EINVAL, "a Welch test needs finite means and SDs >= 0");
    double a = sd1 * sd1 / (double)n1, b = sd2 * sd2 / (double)n2;
    out->diff = mean1 - mean2;
    out->se = sqrt(a + b);
    if (out->se == 0.0) {
        out->df = NAN;
        out->t = out->diff > 0 ? INFINITY : out->diff < 0 ? -INFINITY : 0.0;
        out->p = out->diff > 0 ? 0.0 : 1.0;
        return ST_OK;
    }
    out->df = (a + b) * (a + b) / (a * a / (double)(n1 - 1) + b * b / (double)(n2 - 1));
    out->t = out->diff / out->se;
    out->p = 1.0 - trend_t_cdf(out->t, out->df);
    return ST_OK;
}

Status trend_slope(const double *x, const double *y, size_t n, double level, TrendFit *out, char *msg)
{
    if (n < 3)
        return status_fail(msg, ST_EINVAL, "a slope needs at least 3 points, got %zu", n);
    if (!(level > 0.0 && level < 1.0))
        return status_fail(msg, ST_EINVAL, "the interval level must be between 0 and 1, got %g", level);
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return status_fail(msg, ST_EINVAL, "point %zu of the slope is not finite", i);
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    if (!(sxx > 0))
        return status_fail(msg, ST_EINVAL, "a slope needs at least two different x values");
    out->n = n;
    out->slope = sxy / sxx;
    out->intercept = my - out->slope * mx;
    double see = 0, lag = 0, prev = 0;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - out->intercept - out->slope * x[i];
        see += e * e;
        if (i)
            lag += e * prev;
        prev = e;
    }
    /* Residuals at the rounding level of y are an exact line. */
    double syy = 0;
    for (size_t i = 0; i < n; i++)
        syy += (y[i] - my) * (y[i] - my);
    if (see <= 1e-24 * syy)
        see = lag = 0.0;
    out->r1 = see > 0 ? lag / see : 0.0;
    out->n_eff = out->r1 > 0 ? (double)n * (1.0 - out->r1) / (1.0 + out->r1) : (double)n;
    out->se = out->lo = out->hi = out->p = NAN;
    if (out->n_eff <= 2.0)
        return ST_OK;
    double df = out->n_eff - 2.0;
    out->se = sqrt(see / df / sxx);
    if (out->se == 0.0) {
        out->lo = out->hi = out->slope;
        out->p = out->slope != 0.0 ? 0.0 : 1.0;
        return ST_OK;
    }
    double tq = trend_t_quantile(0.5 + level / 2.0, df);
    out->lo = out->slope - tq * out->se;
    out->hi = out->slope + tq * out->se;
    out->p = 2.0 * (1.0 - trend_t_cdf(fabs(out->slope) / out->se, df));
    return ST_OK;
}

Status trend_slope_known(const double *x, const double *y, const double *se_y, const size_t *k, size_t n,
                         double level, TrendFit *out, char *msg)
{
    Status st = trend_slope(x, y, n, level, out, msg);
    if (st)
        return st;
    double mx = 0, sxx = 0;
    for (size_t i = 0; i < n; i++)
        mx += x[i];
    mx /= (double)n;
    for (size_t i = 0; i < n; i++)
        sxx += (x[i] - mx) * (x[i] - mx);
    double var = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(se_y[i]) || se_y[i] < 0 || k[i] == 0)
            return status_fail(msg, ST_EINVAL, "point %zu of the slope has no usable standard error", i);
        double c = (x[i] - mx) * (x[i] - mx) * se_y[i] * se_y[i] / (sxx * sxx);
        var += c;
        den += c * c / (double)k[i];
    }
    out->r1 = 0.0;
    out->n_eff = (double)n;
    out->se = sqrt(var);
    if (out->se == 0.0) {
        out->lo = out->hi = out->slope;
        out->p = out->slope != 0.0 ? 0.0 : 1.0;
        return ST_OK;
    }
    double df = var * var / den, tq = trend_t_quantile(0.5 + level / 2.0, df);
    out->lo = out->slope - tq * out->se;
    out->hi = out->slope + tq * out->se;
    out->p = 2.0 * (1.0 - trend_t_cdf(fabs(out->slope) / out->se, df));
    return ST_OK;
}

/* The standard normal CDF. */
static double big_phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

double trend_range_d2(size_t runs)
{
    if (runs < 2)
        return NAN;
    /* d2 = ∫ [1 − Φ(x)^R − (1 − Φ(x))^R] dx, Simpson's rule on [−12, 12]. */
    const int steps = 6000;
    const double a = -12.0, h = 24.0 / steps;
    double s = 0.0;
    for (int i = 0; i <= steps; i++) {
        double x = a + h * i, F = big_phi(x);
        double f = 1.0 - pow(F, (double)runs) - pow(1.0 - F, (double)runs);
        s += f * (i == 0 || i == steps ? 1.0 : i % 2 ? 4.0 : 2.0);
    }
    return s * h / 3.0;
}

Status trend_residuals(const double *y, const double *z, const unsigned char *mask, size_t n, double *out,
                       char *msg)
{
    double my = 0, mz = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        if (!isfinite(y[i]) || !isfinite(z[i]))
            return status_fail(msg, ST_EINVAL, "entry %zu of the residual fit is not finite", i);
        my += y[i];
        mz += z[i];
        k++;
    }
    if (k < 3)
        return status_fail(msg, ST_EINVAL, "residuals need at least 3 entries, got %.0f", k);
    my /= k;
    mz /= k;
    double szz = 0, szy = 0;
    for (size_t i = 0; i < n; i++)
        if (!mask || mask[i]) {
            szz += (z[i] - mz) * (z[i] - mz);
            szy += (z[i] - mz) * (y[i] - my);
        }
    if (!(szz > 0))
        return status_fail(msg, ST_EINVAL, "the control map is constant: no residuals");
    double b = szy / szz;
    for (size_t i = 0; i < n; i++)
        out[i] = !mask || mask[i] ? y[i] - my - b * (z[i] - mz) : 0.0;
    return ST_OK;
}
