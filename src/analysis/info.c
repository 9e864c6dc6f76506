#include "neurotop/analysis/info.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"

#define LEVELS 256
/* docs/methods.md §17: θ* is the smallest θ whose MI is within this of the maximum. */
#define TIE_TOL 1e-12
/* Histogram bytes per block of pixels: small enough to stay in L2 cache. */
#define BLOCK_BYTES ((size_t)1 << 18)

static double xlog2x(double x)
{
    return x > 0.0 ? x * log2(x) : 0.0;
}

static double clamp_bit(double mi)
{
    /* Rounding can leave ±1e-16 around the exact bounds of a binary variable. */
    if (!(mi > 0.0))
        return 0.0;
    return mi > 1.0 ? 1.0 : mi;
}

/* n·MI = Σ n_bc log n_bc + n log n − Σ_b n_b log n_b − Σ_c n_c log n_c. */
double info_mi_counts(const size_t *on, const size_t *total, size_t k)
{
    size_t n = 0, n_on = 0;
    for (size_t c = 0; c < k; c++) {
        n += total[c];
        n_on += on[c];
    }
    if (n == 0)
        return 0.0;
    double s = xlog2x((double)n) - xlog2x((double)n_on) - xlog2x((double)(n - n_on));
    for (size_t c = 0; c < k; c++)
        s += xlog2x((double)on[c]) + xlog2x((double)(total[c] - on[c])) - xlog2x((double)total[c]);
    return clamp_bit(s / (double)n);
}

/* Same formula with x·log2 x looked up in xl[0..n] (the hot loop of IP). */
static double mi_table(const uint32_t *on, const size_t *total, size_t k, size_t n_on, size_t n,
                       const double *xl)
{
    double s = xl[n] - xl[n_on] - xl[n - n_on];
    for (size_t c = 0; c < k; c++)
        s += xl[on[c]] + xl[total[c] - on[c]] - xl[total[c]];
    return clamp_bit(s / (double)n);
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* Compact class index 0..k-1 per item (sorted distinct values) and the
 * class totals. *cls and *total are heap arrays the caller frees. */
static Status map_int_labels(const int *labels, size_t n, size_t **cls_out, size_t **total_out,
                             size_t *k_out, char *msg)
{
    int *vals = malloc(n * sizeof *vals);
    size_t *cls = malloc(n * sizeof *cls);
    size_t *total = NULL;
    if (!vals || !cls)
        goto oom;
    memcpy(vals, labels, n * sizeof *vals);
    qsort(vals, n, sizeof *vals, cmp_int);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || vals[i] != vals[k - 1])
            vals[k++] = vals[i];
    total = calloc(k, sizeof *total);
    if (!total)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const int *hit = bsearch(&labels[i], vals, k, sizeof *vals, cmp_int);
        cls[i] = (size_t)(hit - vals);
        total[cls[i]]++;
    }
    free(vals);
    *cls_out = cls;
    *total_out = total;
    *k_out = k;
    return ST_OK;
oom:
    free(vals);
    free(cls);
    free(total);
    return status_fail(msg, ST_ENOMEM, "out of memory mapping %zu class labels", n);
}

Status info_mi_binary(const unsigned char *on, const int *labels, size_t n, double *mi,
                      char *msg)
{
    if (!on || !labels || !mi)
        return status_fail(msg, ST_EINVAL, "info_mi_binary needs non-NULL inputs");
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "mutual information needs at least one item");
    size_t *cls = NULL, *total = NULL, k = 0;
    Status st = map_int_labels(labels, n, &cls, &total, &k, msg);
    if (st)
        return st;
    size_t *cnt = calloc(k, sizeof *cnt);
    if (!cnt) {
        free(cls);
        free(total);
        return status_fail(msg, ST_ENOMEM, "out of memory counting %zu classes", k);
    }
    for (size_t i = 0; i < n; i++)
        if (on[i])
            cnt[cls[i]]++;
    *mi = info_mi_counts(cnt, total, k);
    free(cnt);
    free(cls);
    free(total);
    return ST_OK;
}

/* Specific information of the "on" state: Σ_c p(c|on) log2(p(c|on)/p(c)). */
static double specific_info(const uint32_t *on, const size_t *total, size_t k, size_t n_on,
                            size_t n)
{
    if (n_on == 0)
        return 0.0;
    double s = 0.0;
    for (size_t c = 0; c < k; c++) {
        if (on[c] == 0)
            continue;
        double pc_on = (double)on[c] / (double)n_on;
        s += pc_on * log2(((double)on[c] * (double)n) / ((double)n_on * (double)total[c]));
    }
    return s > 0.0 ? s : 0.0;
}

/* IP, θ* and ID of one pixel from its level × class histogram h[256][k]. */
static void pixel_from_hist(const uint32_t *h, const size_t *total, size_t k, size_t n,
                            const double *xl, uint32_t *on, double *ip, double *id, int *theta)
{
    double mi[LEVELS - 1];
    size_t n_on = 0;
    memset(on, 0, k * sizeof *on);
    /* θ downward: level θ+1 joins the "on" set; an empty level leaves MI as is. */
    for (int t = LEVELS - 2; t >= 0; t--) {
        const uint32_t *lv = h + (size_t)(t + 1) * k;
        size_t added = 0;
        for (size_t c = 0; c < k; c++) {
            on[c] += lv[c];
            added += lv[c];
        }
        n_on += added;
        if (added == 0 && t < LEVELS - 2)
            mi[t] = mi[t + 1];
        else
            mi[t] = mi_table(on, total, k, n_on, n, xl);
    }
    double best = 0.0;
    for (int t = 0; t < LEVELS - 1; t++)
        if (mi[t] > best)
            best = mi[t];
    int ts = 0;
    while (ts < LEVELS - 2 && mi[ts] < best - TIE_TOL)
        ts++;
    /* Rebuild the on counts at θ*: levels θ*+1..255. */
    memset(on, 0, k * sizeof *on);
    n_on = 0;
    for (int v = ts + 1; v < LEVELS; v++)
        for (size_t c = 0; c < k; c++) {
            on[c] += h[(size_t)v * k + c];
            n_on += h[(size_t)v * k + c];
        }
    *ip = best;
    if (id)
        *id = specific_info(on, total, k, n_on, n);
    if (theta)
        *theta = ts;
}

Status info_pixel_ip_id(const uint8_t *pixels, const uint8_t *labels, size_t n,
                        size_t n_pixels, double *ip, double *id, int *theta, char *msg)
{
    if (!pixels || !labels || !ip)
        return status_fail(msg, ST_EINVAL, "info_pixel_ip_id needs non-NULL inputs");
    if (n == 0 || n_pixels == 0)
        return status_fail(msg, ST_EINVAL, "pixel information needs at least one item and one pixel, got %zu × %zu", n, n_pixels);
    size_t bytes;
    if (size_mul(n, n_pixels, &bytes) || n >= UINT32_MAX)
        return status_fail(msg, ST_EINVAL, "image set of %zu × %zu pixels is too large", n, n_pixels);

    size_t map[LEVELS], k = 0;
    for (size_t v = 0; v < LEVELS; v++)
        map[v] = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (map[labels[i]] == SIZE_MAX)
            map[labels[i]] = k++;
    /* Class indices in order of value, so results do not depend on item order. */
    k = 0;
    for (size_t v = 0; v < LEVELS; v++)
        if (map[v] != SIZE_MAX)
            map[v] = k++;

    size_t per_pixel = (size_t)LEVELS * k;
    size_t block = BLOCK_BYTES / (per_pixel * sizeof(uint32_t));
    if (block < 1)
        block = 1;
    if (block > n_pixels)
        block = n_pixels;

    Status st = ST_OK;
    uint16_t *cls = malloc(n * sizeof *cls);
    size_t *total = calloc(k, sizeof *total);
    double *xl = malloc((n + 1) * sizeof *xl);
    uint32_t *hist = malloc(block * per_pixel * sizeof *hist);
    uint32_t *on = malloc(k * sizeof *on);
    if (!cls || !total || !xl || !hist || !on) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for pixel information of %zu items", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        cls[i] = (uint16_t)map[labels[i]];
        total[cls[i]]++;
    }
    for (size_t i = 0; i <= n; i++)
        xl[i] = xlog2x((double)i);

    for (size_t p0 = 0; p0 < n_pixels; p0 += block) {
        size_t nb = n_pixels - p0 < block ? n_pixels - p0 : block;
        memset(hist, 0, nb * per_pixel * sizeof *hist);
        for (size_t i = 0; i < n; i++) {
            const uint8_t *row = pixels + i * n_pixels + p0;
            uint32_t *hc = hist + cls[i];
            for (size_t b = 0; b < nb; b++)
                hc[b * per_pixel + (size_t)row[b] * k]++;
        }
        for (size_t b = 0; b < nb; b++)
            pixel_from_hist(hist + b * per_pixel, total, k, n, xl, on, &ip[p0 + b],
                            id ? &id[p0 + b] : NULL, theta ? &theta[p0 + b] : NULL);
    }
done:
    free(cls);
    free(total);
    free(xl);
    free(hist);
    free(on);
    return st;
}

Status info_hidden_ih(const float *act, size_t n, size_t units, size_t ld, const int *labels,
                      double *ih, char *msg)
{
    if (!act || !labels || !ih)
        return status_fail(msg, ST_EINVAL, "info_hidden_ih needs non-NULL inputs");
    if (n == 0 || units == 0)
        return status_fail(msg, ST_EINVAL, "hidden-node information needs at least one item and one unit");
    if (ld < units)
        return status_fail(msg, ST_EINVAL, "row stride %zu is smaller than %zu units", ld, units);
    size_t *cls = NULL, *total = NULL, k = 0;
    Status st = map_int_labels(labels, n, &cls, &total, &k, msg);
    if (st)
        return st;
    size_t cells;
    size_t *cnt = NULL;
    if (size_mul(units, k, &cells)) {
        st = status_fail(msg, ST_EINVAL, "%zu units × %zu classes overflows", units, k);
        goto done;
    }
    cnt = calloc(cells, sizeof *cnt);
    if (!cnt) {
        st = status_fail(msg, ST_ENOMEM, "out of memory counting %zu units × %zu classes", units, k);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const float *row = act + i * ld;
        for (size_t j = 0; j < units; j++) {
            if (!isfinite(row[j])) {
                st = status_fail(msg, ST_EINVAL, "activation of item %zu, unit %zu is not finite", i, j);
                goto done;
            }
            if (row[j] > 0.5f)
                cnt[j * k + cls[i]]++;
        }
    }
    for (size_t j = 0; j < units; j++)
        ih[j] = info_mi_counts(cnt + j * k, total, k);
done:
    free(cnt);
    free(cls);
    free(total);
    return st;
}
