/* The learning modes of seed paper 001, Fig. 6 (docs/methods.md §24). */
#include "neurotop/analysis/cohort.h"

#include <math.h>
#include <string.h>

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
