#include "neurotop/analysis/pca.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"

/* A column is constant when its centred sum of squares is at most this
 * fraction of its raw one (exact constants leave only rounding). */
#define CONST_REL 1e-24
/* §16: n80 counts ratios up to 0.8 minus this tolerance. */
#define N80_TOL 1e-12

/* The centred (and optionally standardised) n×d copy of x and the column
 * means and scales that produced it. */
typedef struct {
    double *xc;
    double *mean;
    double *scale;
} Centred;

static void centred_free(Centred *c)
{
    free(c->xc);
    free(c->mean);
    free(c->scale);
}

static Status check_input(size_t n, size_t d, size_t ldx, char *msg)
{
    if (n < 2)
        return status_fail(msg, ST_EINVAL, "PCA needs at least 2 samples, got %zu", n);
    if (d == 0)
        return status_fail(msg, ST_EINVAL, "PCA needs at least one column");
    if (ldx < d)
        return status_fail(msg, ST_EINVAL, "row stride %zu is smaller than the %zu columns", ldx, d);
    size_t nd, dd, span;
    if (size_mul(n, d, &nd) || nd > SIZE_MAX / sizeof(double) || size_mul(d, d, &dd) ||
        dd > SIZE_MAX / sizeof(double) || size_mul(n - 1, ldx, &span) || span > SIZE_MAX - d)
        return status_fail(msg, ST_EINVAL, "a %zu x %zu matrix is too large for PCA", n, d);
    return ST_OK;
}

/* Loads x into c->xc (row-major n×d), centres it, and scales it. */
static Status centre(const double *xd, const float *xf, size_t n, size_t d, size_t ldx,
                     int standardize, Centred *c, char *msg)
{
    c->xc = malloc(n * d * sizeof *c->xc);
    c->mean = calloc(d, sizeof *c->mean);
    c->scale = malloc(d * sizeof *c->scale);
    double *raw = calloc(d, sizeof *raw);
    Status st = ST_OK;
    if (!c->xc || !c->mean || !c->scale || !raw) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu PCA", n, d);
        goto done;
    }
    for (size_t t = 0; t < n; t++) {
        double *row = c->xc + t * d;
        for (size_t j = 0; j < d; j++) {
            double v = xd ? xd[t * ldx + j] : (double)xf[t * ldx + j];
            if (!isfinite(v)) {
                st = status_fail(msg, ST_EINVAL, "value at row %zu, column %zu is not finite", t, j);
                goto done;
            }
            row[j] = v;
            c->mean[j] += v;
            raw[j] += v * v;
        }
    }
    for (size_t j = 0; j < d; j++)
        c->mean[j] /= (double)n;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < d; j++)
            c->xc[t * d + j] -= c->mean[j];
    for (size_t j = 0; j < d; j++)
        c->scale[j] = 1.0;
    if (standardize) {
        double *acc = calloc(d, sizeof *acc);
        if (!acc) {
            st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu PCA", n, d);
            goto done;
        }
        for (size_t t = 0; t < n; t++)
            for (size_t j = 0; j < d; j++)
                acc[j] += c->xc[t * d + j] * c->xc[t * d + j];
        for (size_t j = 0; j < d; j++) {
            int constant = acc[j] <= CONST_REL * raw[j];
            c->scale[j] = constant ? 0.0 : 1.0 / sqrt(acc[j] / (double)(n - 1));
        }
        free(acc);
        for (size_t t = 0; t < n; t++)
            for (size_t j = 0; j < d; j++)
                c->xc[t * d + j] *= c->scale[j];
    }
done:
    free(raw);
    return st;
}

static Status explained(const double *xd, const float *xf, size_t n, size_t d, size_t ldx,
                        int standardize, double *ratio, size_t *n80, char *msg)
{
    Status st = check_input(n, d, ldx, msg);
    if (st)
        return st;
    Centred c = {0};
    double *g = NULL, *vals = NULL;
    if ((st = centre(xd, xf, n, d, ldx, standardize, &c, msg)))
        goto done;
    /* Only the eigenvalues are needed, and XcᵀXc and XcXcᵀ share the
     * non-zero ones: decompose the smaller of the two. */
    size_t m = n < d ? n : d;
    g = malloc(m * m * sizeof *g);
    vals = malloc(m * sizeof *vals);
    if (!g || !vals) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu eigenproblem", m, m);
        goto done;
    }
    linalg_dsyrk(n >= d, m, n >= d ? n : d, 1.0 / (double)(n - 1), c.xc, d, 0.0, g, m);
    if ((st = linalg_dsyevr(m, g, 0, m - 1, vals, NULL, msg)))
        goto done;
    double total = 0.0;
    for (size_t i = 0; i < d; i++) {
        double l = i < m ? vals[m - 1 - i] : 0.0;
        ratio[i] = l > 0.0 ? l : 0.0;
        total += ratio[i];
    }
    if (!(total > 0.0)) {
        st = status_fail(msg, ST_EINVAL, "the data have no variance (every eigenvalue is 0)");
        goto done;
    }
    double cum = 0.0;
    size_t k80 = d;
    for (size_t i = 0; i < d; i++) {
        ratio[i] /= total;
        cum += ratio[i];
        if (k80 == d && cum >= 0.8 - N80_TOL)
            k80 = i + 1;
    }
    if (n80)
        *n80 = k80;
done:
    centred_free(&c);
    free(g);
    free(vals);
    return st;
}

Status pca_explained(const double *x, size_t n, size_t d, size_t ldx, int standardize,
                     double *ratio, size_t *n80, char *msg)
{
    return explained(x, NULL, n, d, ldx, standardize, ratio, n80, msg);
}

Status pca_explained_f(const float *x, size_t n, size_t d, size_t ldx, int standardize,
                       double *ratio, size_t *n80, char *msg)
{
    return explained(NULL, x, n, d, ldx, standardize, ratio, n80, msg);
}

void pca_fit_free(PcaFit *fit)
{
    if (!fit)
        return;
    free(fit->mean);
    free(fit->scale);
    free(fit->axes);
    free(fit->variance);
    free(fit->ratio);
    free(fit);
}

static Status fit_impl(const double *xd, const float *xf, size_t n, size_t d, size_t ldx,
                       int standardize, size_t k, PcaFit **out, char *msg)
{
    Status st = check_input(n, d, ldx, msg);
    if (st)
        return st;
    if (k == 0 || k > d)
        return status_fail(msg, ST_EINVAL, "PCA of %zu columns cannot keep %zu components", d, k);
    Centred c = {0};
    double *cov = NULL, *vals = NULL, *vecs = NULL;
    PcaFit *f = calloc(1, sizeof *f);
    if (!f)
        return status_fail(msg, ST_ENOMEM, "out of memory for a PCA fit");
    if ((st = centre(xd, xf, n, d, ldx, standardize, &c, msg)))
        goto done;
    cov = malloc(d * d * sizeof *cov);
    vals = malloc(k * sizeof *vals);
    vecs = malloc(k * d * sizeof *vecs);
    f->axes = malloc(k * d * sizeof *f->axes);
    f->variance = malloc(k * sizeof *f->variance);
    f->ratio = malloc(k * sizeof *f->ratio);
    if (!cov || !vals || !vecs || !f->axes || !f->variance || !f->ratio) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu eigenproblem", d, d);
        goto done;
    }
    linalg_dsyrk(1, d, n, 1.0 / (double)(n - 1), c.xc, d, 0.0, cov, d);
    double trace = 0.0;
    for (size_t j = 0; j < d; j++)
        trace += cov[j * d + j];
    if (!(trace > 0.0)) {
        st = status_fail(msg, ST_EINVAL, "the data have no variance (every eigenvalue is 0)");
        goto done;
    }
    if ((st = linalg_dsyevr(d, cov, d - k, d - 1, vals, vecs, msg)))
        goto done;
    for (size_t cidx = 0; cidx < k; cidx++) {
        /* dsyevr returns ascending order: component c is the (k−1−c)-th. */
        const double *v = vecs + (k - 1 - cidx) * d;
        double l = vals[k - 1 - cidx];
        size_t big = 0;
        for (size_t j = 1; j < d; j++)
            if (fabs(v[j]) > fabs(v[big]))
                big = j;
        double sign = v[big] < 0.0 ? -1.0 : 1.0;
        for (size_t j = 0; j < d; j++)
            f->axes[cidx * d + j] = sign * v[j];
        f->variance[cidx] = l > 0.0 ? l : 0.0;
        f->ratio[cidx] = f->variance[cidx] / trace;
    }
    f->d = d;
    f->k = k;
    f->total_variance = trace;
    f->mean = c.mean;
    f->scale = c.scale;
    c.mean = c.scale = NULL;
done:
    centred_free(&c);
    free(cov);
    free(vals);
    free(vecs);
    if (st)
        pca_fit_free(f);
    else
        *out = f;
    return st;
}

Status pca_fit(const double *x, size_t n, size_t d, size_t ldx, int standardize, size_t k,
               PcaFit **out, char *msg)
{
    return fit_impl(x, NULL, n, d, ldx, standardize, k, out, msg);
}

Status pca_fit_f(const float *x, size_t n, size_t d, size_t ldx, int standardize, size_t k,
                 PcaFit **out, char *msg)
{
    return fit_impl(NULL, x, n, d, ldx, standardize, k, out, msg);
}

static Status transform(const PcaFit *fit, const double *xd, const float *xf, size_t n,
                        size_t ldx, double *scores, char *msg)
{
    size_t d = fit->d, k = fit->k;
    if (ldx < d)
        return status_fail(msg, ST_EINVAL, "row stride %zu is smaller than the %zu columns", ldx, d);
    if (n == 0)
        return ST_OK;
    size_t nd, span;
    if (size_mul(n, d, &nd) || nd > SIZE_MAX / sizeof(double) || size_mul(n - 1, ldx, &span) ||
        span > SIZE_MAX - d)
        return status_fail(msg, ST_EINVAL, "a %zu x %zu matrix is too large to project", n, d);
    /* Fold centring and scaling into the axes: s = x·Wᵀ − offset with
     * W_cj = scale_j·axes_cj and offset_c = Σ_j mean_j·W_cj. */
    double *w = malloc(k * d * sizeof *w);
    double *off = calloc(k, sizeof *off);
    double *buf = NULL;
    Status st = ST_OK;
    if (!w || !off) {
        st = status_fail(msg, ST_ENOMEM, "out of memory projecting %zu rows", n);
        goto done;
    }
    for (size_t c = 0; c < k; c++)
        for (size_t j = 0; j < d; j++) {
            w[c * d + j] = fit->scale[j] * fit->axes[c * d + j];
            off[c] += fit->mean[j] * w[c * d + j];
        }
    const double *src = xd;
    size_t lds = ldx;
    if (!xd) {
        buf = malloc(nd * sizeof *buf);
        if (!buf) {
            st = status_fail(msg, ST_ENOMEM, "out of memory projecting %zu rows", n);
            goto done;
        }
        for (size_t t = 0; t < n; t++)
            for (size_t j = 0; j < d; j++)
                buf[t * d + j] = (double)xf[t * ldx + j];
        src = buf;
        lds = d;
    }
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < d; j++)
            if (!isfinite(src[t * lds + j])) {
                st = status_fail(msg, ST_EINVAL, "value at row %zu, column %zu is not finite", t, j);
                goto done;
            }
    linalg_dgemm(0, 1, n, k, d, 1.0, src, lds, w, d, 0.0, scores, k);
    for (size_t t = 0; t < n; t++)
        for (size_t c = 0; c < k; c++)
            scores[t * k + c] -= off[c];
done:
    free(w);
    free(off);
    free(buf);
    return st;
}

Status pca_transform(const PcaFit *fit, const double *x, size_t n, size_t ldx, double *scores,
                     char *msg)
{
    return transform(fit, x, NULL, n, ldx, scores, msg);
}

Status pca_transform_f(const PcaFit *fit, const float *x, size_t n, size_t ldx, double *scores,
                       char *msg)
{
    return transform(fit, NULL, x, n, ldx, scores, msg);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static size_t find_label(const int *uniq, size_t m, int v)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (uniq[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

Status pca_category_distances(const double *scores, size_t n, size_t k, const int *labels,
                              double *within, double *between, char *msg)
{
    if (n == 0 || k == 0)
        return status_fail(msg, ST_EINVAL, "category distances need at least one item and one dimension");
    size_t nk;
    if (size_mul(n, k, &nk) || nk > SIZE_MAX / sizeof(double) || n > SIZE_MAX / sizeof(int))
        return status_fail(msg, ST_EINVAL, "%zu items in %zu dimensions are too many", n, k);
    int *uniq = malloc(n * sizeof *uniq);
    double *cen = NULL;
    size_t *count = NULL;
    Status st = ST_OK;
    if (!uniq) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        uniq[i] = labels[i];
    qsort(uniq, n, sizeof *uniq, int_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || uniq[i] != uniq[m - 1])
            uniq[m++] = uniq[i];
    if (m < 2) {
        st = status_fail(msg, ST_EINVAL, "category distances need at least 2 categories, got %zu", m);
        goto done;
    }
    cen = calloc(m * k, sizeof *cen);
    count = calloc(m, sizeof *count);
    if (!cen || !count) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu category centroids", m);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = find_label(uniq, m, labels[i]);
        count[c]++;
        for (size_t j = 0; j < k; j++)
            cen[c * k + j] += scores[i * k + j];
    }
    for (size_t c = 0; c < m; c++)
        for (size_t j = 0; j < k; j++)
            cen[c * k + j] /= (double)count[c];
    if (within) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++) {
            const double *mu = cen + find_label(uniq, m, labels[i]) * k;
            double d2 = 0.0;
            for (size_t j = 0; j < k; j++)
                d2 += (scores[i * k + j] - mu[j]) * (scores[i * k + j] - mu[j]);
            s += sqrt(d2);
        }
        *within = s / (double)n;
    }
    if (between) {
        double s = 0.0;
        for (size_t a = 0; a < m; a++)
            for (size_t b = a + 1; b < m; b++) {
                double d2 = 0.0;
                for (size_t j = 0; j < k; j++)
                    d2 += (cen[a * k + j] - cen[b * k + j]) * (cen[a * k + j] - cen[b * k + j]);
                s += sqrt(d2);
            }
        *between = s / ((double)m * (double)(m - 1) / 2.0);
    }
done:
    free(uniq);
    free(cen);
    free(count);
    return st;
}
