#include "neurotop/analysis/cohort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/permtest.h"

/* Pearson r of n pairs, NaN when undefined (fewer than 3, a constant side). */
static double pearson_or_nan(const double *a, const double *b, size_t n)
{
    double r;
    if (n < 3 || permtest_pearson(a, b, n, &r, NULL))
        return NAN;
    return r;
}

Status cohort_window_corr(const double *x, const double *y, size_t n_inst, size_t n_epochs, size_t e0,
                          size_t e1, CohortCorr *out, char *msg)
{
    memset(out, 0, sizeof *out);
    out->within = out->within_sd = out->across = NAN;
    if (n_inst == 0 || n_epochs == 0)
        return status_fail(msg, ST_EINVAL, "a cohort needs at least one instance and one epoch");
    if (e0 >= e1 || e1 > n_epochs)
        return status_fail(msg, ST_EINVAL, "the epoch window [%zu, %zu) is empty or beyond the %zu epochs", e0,
                           e1, n_epochs);
    size_t w = e1 - e0;
    double *buf = malloc(2 * (w > n_inst ? w : n_inst) * sizeof *buf);
    double *rs = malloc(n_inst * sizeof *rs);
    if (!buf || !rs) {
        free(buf);
        free(rs);
        return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    double *mx = buf, *my = buf + (w > n_inst ? w : n_inst);
    /* means[0..n) the x means, means[n_inst..] the y means of the instances
     * that have any finite pair. */
    double *means = malloc(2 * n_inst * sizeof *means);
    if (!means) {
        free(buf);
        free(rs);
        return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    size_t n_means = 0;
    for (size_t i = 0; i < n_inst; i++) {
        size_t k = 0;
        double sx = 0, sy = 0;
        for (size_t e = e0; e < e1; e++) {
            double a = x[i * n_epochs + e], b = y[i * n_epochs + e];
            if (!isfinite(a) || !isfinite(b))
                continue;
            mx[k] = a;
            my[k] = b;
            sx += a;
            sy += b;
            k++;
        }
        double r = pearson_or_nan(mx, my, k);
        if (isfinite(r)) {
            rs[out->within_n++] = r;
            out->within_pos += r > 0;
        }
        if (k > 0) {
            means[n_means] = sx / (double)k;
            means[n_inst + n_means] = sy / (double)k;
            n_means++;
        }
    }
    if (out->within_n > 0) {
        double s = 0;
        for (size_t i = 0; i < out->within_n; i++)
            s += rs[i];
        out->within = s / (double)out->within_n;
        if (out->within_n > 1) {
            double ss = 0;
            for (size_t i = 0; i < out->within_n; i++)
                ss += (rs[i] - out->within) * (rs[i] - out->within);
            out->within_sd = sqrt(ss / (double)(out->within_n - 1));
        }
    }
    out->across_n = n_means;
    out->across = pearson_or_nan(means, means + n_inst, n_means);
    free(means);
    free(buf);
    free(rs);
    return ST_OK;
}

void cohort_mode_rule_default(size_t n, CohortModeRule *r)
{
    r->flat_tol = 0.01;
    r->min_flat = n / 50 > 3 ? n / 50 : 3;
    r->rise = 0.05;
    r->dip = 0.01;
}

const char *cohort_mode_name(CohortMode m)
{
    return m == COHORT_MODE_I ? "I" : m == COHORT_MODE_II ? "II" : "-";
}

Status cohort_classify(const double *acc, size_t n, const CohortModeRule *rule, CohortModeResult *out,
                       char *msg)
{
    memset(out, 0, sizeof *out);
    if (n < 3)
        return status_fail(msg, ST_EINVAL, "a learning curve needs at least 3 epochs, got %zu", n);
    if (!(rule->flat_tol >= 0) || !(rule->rise >= 0) || !(rule->dip >= 0))
        return status_fail(msg, ST_EINVAL, "the learning-mode rule needs tolerances of 0 or more");
    size_t first = 1;
    while (first < n && !isfinite(acc[first]))
        first++;
    if (first == n)
        return status_fail(msg, ST_EINVAL, "the learning curve has no measured epoch after epoch 0");
    double p = acc[first];
    out->plateau = p;
    out->best = p;
    out->best_epoch = first;
    double run_best = p, deepest = 0;
    size_t run_at = first;
    for (size_t e = first; e < n; e++) {
        double a = acc[e];
        if (!isfinite(a))
            continue;
        if (!out->rise_epoch && a > p + rule->flat_tol)
            out->rise_epoch = e;
        if (a > out->best) {
            out->best = a;
            out->best_epoch = e;
        }
        if (a > run_best) {
            run_best = a;
            run_at = e;
        }
        if (run_best - a > deepest) {
            deepest = run_best - a;
            out->peak_epoch = run_at;
            out->trough_epoch = e;
        }
    }
    out->dip_depth = deepest;
    size_t last = n - 1;
    while (last > first && !isfinite(acc[last]))
        last--;
    if (deepest > 0)
        out->final_gain = acc[last] - acc[out->trough_epoch];
    if (!out->rise_epoch) {
        out->mode = COHORT_MODE_NONE;
        return ST_OK;
    }
    out->flat_epochs = out->rise_epoch - 1;
    if (out->flat_epochs >= rule->min_flat)
        out->mode = out->best >= p + rule->rise ? COHORT_MODE_I : COHORT_MODE_NONE;
    else
        out->mode = deepest >= rule->dip ? COHORT_MODE_II : COHORT_MODE_NONE;
    return ST_OK;
}
