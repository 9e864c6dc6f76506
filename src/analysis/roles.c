#include "neurotop/analysis/roles.h"

#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/modmatrix.h"

Status roles_compute(const Matrix *a, const int *labels, double *pc, double *mz, char *msg)
{
    if (!a || !a->data || a->rows == 0)
        return status_fail(msg, ST_EINVAL, "the matrix is empty");
    if (a->rows != a->cols)
        return status_fail(msg, ST_EINVAL, "the matrix is %zu×%zu, but a square matrix is needed",
                           a->rows, a->cols);
    if (!labels)
        return status_fail(msg, ST_EINVAL, "roles need a partition");
    size_t n = a->rows, k;
    int *id = malloc(n * sizeof *id);
    double *kappa = malloc(n * sizeof *kappa);
    if (!id || !kappa) {
        free(id);
        free(kappa);
        return status_fail(msg, ST_ENOMEM, "out of memory for the roles of %zu nodes", n);
    }
    Status st = modmat_relabel(labels, n, id, &k, msg);
    double *acc = NULL, *mean = NULL, *sd = NULL, *amax = NULL;
    size_t *count = NULL;
    if (st)
        goto done;
    acc = calloc(k, sizeof *acc);
    mean = calloc(k, sizeof *mean);
    sd = calloc(k, sizeof *sd);
    amax = calloc(k, sizeof *amax);
    count = calloc(k, sizeof *count);
    if (!acc || !mean || !sd || !amax || !count) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu modules", k);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        id[i]--;
    for (size_t i = 0; i < n; i++) {
        double ki = 0;
        for (size_t j = 0; j < n; j++) {
            double w = 0.5 * (MAT_AT(a, i, j) + MAT_AT(a, j, i));
            if (!isfinite(w)) {
                st = status_fail(msg, ST_EINVAL,
                                 "the matrix entry at row %zu, column %zu is not finite", i + 1, j + 1);
                goto done;
            }
            if (w > 0) {
                acc[id[j]] += w;
                ki += w;
            }
        }
        double ssq = 0;
        for (size_t s = 0; s < k; s++) {
            ssq += ki > 0 ? (acc[s] / ki) * (acc[s] / ki) : 0;
        }
        kappa[i] = acc[id[i]];
        for (size_t s = 0; s < k; s++)
            acc[s] = 0;
        if (pc)
            pc[i] = ki > 0 ? 1.0 - ssq : 0.0;
    }
    if (!mz)
        goto done;
    for (size_t i = 0; i < n; i++) {
        mean[id[i]] += kappa[i];
        count[id[i]]++;
        amax[id[i]] = fmax(amax[id[i]], fabs(kappa[i]));
    }
    for (size_t s = 0; s < k; s++)
        mean[s] /= (double)count[s];
    for (size_t i = 0; i < n; i++)
        sd[id[i]] += (kappa[i] - mean[id[i]]) * (kappa[i] - mean[id[i]]);
    for (size_t s = 0; s < k; s++) {
        sd[s] = sqrt(sd[s] / (double)count[s]);
        if (sd[s] <= 1e-12 * amax[s])
            sd[s] = 0;
    }
    for (size_t i = 0; i < n; i++)
        mz[i] = sd[id[i]] > 0 ? (kappa[i] - mean[id[i]]) / sd[id[i]] : 0.0;
done:
    free(id);
    free(kappa);
    free(acc);
    free(mean);
    free(sd);
    free(amax);
    free(count);
    return st;
}
