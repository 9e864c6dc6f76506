#include "neurotop/analysis/selectivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_LABELS 256

Status selectivity_class_index(const float *acts, size_t n_items, size_t n_units, const uint8_t *labels,
                               double *out, char *msg)
{
    if (n_items == 0 || n_units == 0)
        return status_fail(msg, ST_EINVAL, "class selectivity needs at least one item and one unit");
    size_t count[N_LABELS] = {0};
    size_t n_classes = 0;
    for (size_t i = 0; i < n_items; i++)
        n_classes += count[labels[i]]++ == 0;
    if (n_classes < 2)
        return status_fail(msg, ST_EINVAL, "class selectivity needs items of at least two classes (found %zu)",
                           n_classes);
    double *sum = calloc(N_LABELS, sizeof *sum);
    if (!sum)
        return status_fail(msg, ST_ENOMEM, "out of memory for class selectivity");
    for (size_t u = 0; u < n_units; u++) {
        memset(sum, 0, N_LABELS * sizeof *sum);
        int ok = 1;
        for (size_t i = 0; i < n_items && ok; i++) {
            double a = acts[i * n_units + u];
            ok = isfinite(a) && a >= 0;
            sum[labels[i]] += a;
        }
        if (!ok) {
            out[u] = NAN;
            continue;
        }
        double best = -1, total = 0;
        for (size_t c = 0; c < N_LABELS; c++) {
            if (!count[c])
                continue;
            double mu = sum[c] / (double)count[c];
            total += mu;
            if (mu > best)
                best = mu;
        }
        double rest = (total - best) / (double)(n_classes - 1);
        out[u] = best + rest > 0 ? (best - rest) / (best + rest) : 0.0;
    }
    free(sum);
    return ST_OK;
}
