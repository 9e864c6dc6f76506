#include "neurotop/analysis/degrees.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

Status degrees_compute(const Matrix *a, double threshold, const DegreeStats *out, char *msg)
{
    if (!a || !a->data || a->rows == 0)
        return status_fail(msg, ST_EINVAL, "the matrix is empty");
    if (a->rows != a->cols)
        return status_fail(msg, ST_EINVAL, "the matrix is %zu×%zu, but a square matrix is needed",
                           a->rows, a->cols);
    if (a->rows > (size_t)INT_MAX)
        return status_fail(msg, ST_EINVAL, "%zu nodes are too many for integer degrees", a->rows);
    if (!isfinite(threshold) || threshold < 0)
        return status_fail(msg, ST_EINVAL, "the threshold must be finite and >= 0, got %g", threshold);
    if (!out)
        return status_fail(msg, ST_EINVAL, "degrees_compute needs an output");
    size_t n = a->rows;
    /* knn needs every degree, wanted or not */
    int *deg = out->degree ? out->degree : malloc(n * sizeof *deg);
    if (!deg)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu degrees", n);
    Status st = ST_OK;
    for (size_t i = 0; i < n; i++) {
        int d = 0, dp = 0, dn = 0;
        double s = 0;
        for (size_t j = 0; j < n; j++) {
            double w = 0.5 * (MAT_AT(a, i, j) + MAT_AT(a, j, i));
            if (!isfinite(w)) {
                st = status_fail(msg, ST_EINVAL,
                                 "the matrix entry at row %zu, column %zu is not finite", i + 1, j + 1);
                goto done;
            }
            if (j == i)
                continue;
            s += w;
            dp += w > threshold;
            dn += w < -threshold;
        }
        d = dp + dn;
        deg[i] = d;
        if (out->degree_pos)
            out->degree_pos[i] = dp;
        if (out->degree_neg)
            out->degree_neg[i] = dn;
        if (out->strength)
            out->strength[i] = s;
    }
    if (out->knn)
        for (size_t i = 0; i < n; i++) {
            double sum = 0;
            for (size_t j = 0; j < n; j++)
                if (j != i && fabs(0.5 * (MAT_AT(a, i, j) + MAT_AT(a, j, i))) > threshold)
                    sum += deg[j];
            out->knn[i] = deg[i] > 0 ? sum / deg[i] : 0.0;
        }
done:
    if (!out->degree)
        free(deg);
    return st;
}

Status degrees_layer_correlation(const double *strength, const int *degree, const int *layer,
                                 size_t n, size_t n_layers, double *r, char *msg)
{
    if (!strength || !degree || !layer || !r || n == 0 || n_layers == 0)
        return status_fail(msg, ST_EINVAL, "the layer correlation needs strengths, degrees and layers");
    for (size_t i = 0; i < n; i++)
        if (layer[i] < 0 || (size_t)layer[i] >= n_layers)
            return status_fail(msg, ST_EINVAL, "node %zu has layer %d, outside 0..%zu", i, layer[i],
                               n_layers - 1);
    /* two passes per layer keep the sums centred (strengths can be large) */
    double *acc = calloc(3 * n_layers, sizeof *acc);
    if (!acc)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu layers", n_layers);
    double *ms = acc, *md = acc + n_layers, *cnt = acc + 2 * n_layers;
    for (size_t i = 0; i < n; i++) {
        ms[layer[i]] += strength[i];
        md[layer[i]] += degree[i];
        cnt[layer[i]] += 1;
    }
    for (size_t l = 0; l < n_layers; l++) {
        ms[l] = cnt[l] > 0 ? ms[l] / cnt[l] : 0;
        md[l] = cnt[l] > 0 ? md[l] / cnt[l] : 0;
    }
    for (size_t l = 0; l < n_layers; l++) {
        double sxy = 0, sxx = 0, syy = 0;
        for (size_t i = 0; i < n; i++) {
            if ((size_t)layer[i] != l)
                continue;
            double x = strength[i] - ms[l], y = degree[i] - md[l];
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        r[l] = cnt[l] >= 2 && sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
    }
    free(acc);
    return ST_OK;
}
