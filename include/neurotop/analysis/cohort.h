#ifndef NEUROTOP_ANALYSIS_COHORT_H
#define NEUROTOP_ANALYSIS_COHORT_H

/* A cohort of model instances trained alike (seed paper 001 trained 120
 * HebbFF "subjects"): correlations between two per-epoch series (e.g.
 * modularity and accuracy) within instances and across instances over a
 * window of epochs (the paper's Fig. 4A/C and 5C/D), and the two learning
 * modes of Fig. 6 by a stated rule.
 *
 * Series are n_inst × n_epochs row-major arrays (instance i, epoch e at
 * i·n_epochs + e); NaN marks an epoch that was not measured and is skipped. */

#include <stddef.h>

#include "neurotop/core/status.h"

typedef struct {
    double within;      /* mean over instances of r(x, y) over the window's epochs (NaN: none defined) */
    double within_sd;   /* sample SD of those r over instances (NaN below 2) */
    size_t within_n;    /* instances whose r is defined */
    size_t within_pos;  /* of those, instances with r > 0 */
    double across;      /* r over instances of the window-mean x and y (NaN: undefined) */
    size_t across_n;    /* instances with both window means */
} CohortCorr;

/* Within and across correlations of x and y over epochs [e0, e1).
 * Within: for each instance, Pearson r over the epochs where both x and y
 * are finite — defined when there are at least 3 such epochs and neither
 * series is constant there — then the mean (and SD) over instances.
 * Across: for each instance, the means of x and of y over those same
 * epochs; Pearson r over the instances that have them (at least 3, neither
 * constant), else NaN. Errors: ST_EINVAL for n_inst or n_epochs of 0 or an
 * empty or out-of-range window; ST_ENOMEM. Time O(n_inst · (e1 − e0)),
 * memory O(n_inst + e1 − e0). */
Status cohort_window_corr(const double *x, const double *y, size_t n_inst, size_t n_epochs, size_t e0,
                          size_t e1, CohortCorr *out, char *msg);

/* ---- learning modes (paper Fig. 6) ------------------------------------ */

typedef enum {
    COHORT_MODE_NONE = 0, /* neither rule holds (e.g. a quick rise without a dip, or no learning) */
    COHORT_MODE_I,        /* accuracy flat for a while, then rising */
    COHORT_MODE_II        /* accuracy rising quickly, then dipping */
} CohortMode;

/* The rule, on the accuracy a(e) of epochs 0..n−1 (epoch 0 untrained, so it
 * is ignored; a(1) is the plateau level p):
 *   rise epoch t = the first e ≥ 1 with a(e) > p + flat_tol (none: NONE);
 *   mode I  when t − 1 ≥ min_flat (flat for at least min_flat epochs after
 *           epoch 1) and max a(e) ≥ p + rise;
 *   mode II when t − 1 < min_flat and the largest drop below the running
 *           best, max_e [max_{1≤e'≤e} a(e') − a(e)], is at least dip;
 *   NONE otherwise. */
typedef struct {
    double flat_tol;  /* default 0.01 */
    size_t min_flat;  /* default max(3, n/50) */
    double rise;      /* default 0.05 */
    double dip;       /* default 0.01 */
} CohortModeRule;

typedef struct {
    CohortMode mode;
    size_t rise_epoch;    /* t (0 when accuracy never left the plateau) */
    size_t flat_epochs;   /* t − 1 */
    double plateau;       /* p */
    double best;          /* highest accuracy, epoch ≥ 1 */
    size_t best_epoch;
    size_t peak_epoch;    /* running best before the deepest drop */
    size_t trough_epoch;  /* epoch of the deepest drop */
    double dip_depth;     /* depth of that drop (0 when none) */
    double final_gain;    /* a(n−1) − a(trough): recovery after the drop */
} CohortModeResult;

/* The default rule for a run of n epochs. */
void cohort_mode_rule_default(size_t n, CohortModeRule *r);

/* Classify one accuracy curve acc[0..n) by the rule. NaN entries are
 * skipped (a skipped epoch is neither flat nor a rise). Errors: ST_EINVAL for
 * fewer than 3 epochs, no finite a(e) at e ≥ 1, or a negative or NaN rule
 * value. O(n). */
Status cohort_classify(const double *acc, size_t n, const CohortModeRule *rule, CohortModeResult *out,
                       char *msg);

/* "I", "II" or "-". */
const char *cohort_mode_name(CohortMode m);

#endif
