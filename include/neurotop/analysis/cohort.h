#ifndef NEUROTOP_ANALYSIS_COHORT_H
#define NEUROTOP_ANALYSIS_COHORT_H

/* A cohort of model instances trained alike (seed paper 001 trained 120
 * HebbFF "subjects"): correlations between two per-epoch series (e.g.
 * modularity and accuracy) within instances and across instances (the
 * paper's Fig. 4A/C and 5C/D), with bootstrap intervals over instances and a
 * split-half check of their sign (docs/methods.md §24), and the two learning
 * modes of Fig. 6 by a stated rule.
 *
 * Series are n_inst × n_epochs row-major arrays (instance i, epoch e at
 * i·n_epochs + e); NaN marks an epoch that was not measured and is skipped. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

/* RNG stream of the bootstrap resamples (rng_seed(&r, seed, COHORT_BOOT_STREAM)). */
#define COHORT_BOOT_STREAM 0x626f6f74ULL
/* Resamples and seed used unless the caller says otherwise. */
#define COHORT_BOOT_DEFAULT 2000
#define COHORT_BOOT_SEED 1
/* The interval: the 2.5th and 97.5th percentiles of the resampled values. */
#define COHORT_CI_LEVEL 0.95

/* The resamples of a cohort, drawn once and shared by every statistic (so
 * every readout and window sees the same resampled cohorts), and the split
 * into two halves. */
typedef struct {
    size_t n_inst, n_boot;
    uint32_t *counts;      /* n_boot × n_inst: times instance i is drawn in resample b */
    unsigned char *group;  /* n_inst: split-half group, 0 or 1 */
} CohortPlan;

/* Draw n_boot resamples of n_inst instances with replacement: resample b
 * takes n_inst draws rng_below(n_inst) from one stream seeded (seed,
 * COHORT_BOOT_STREAM), in order. group[i] (0 or 1) is instance i's half;
 * NULL splits by index parity. n_boot may be 0 (no intervals). Errors:
 * ST_EINVAL for n_inst of 0 or a group value other than 0 or 1; ST_ENOMEM.
 * Time O(n_boot · n_inst), memory 4·n_boot·n_inst bytes. */
Status cohort_plan_init(CohortPlan *p, size_t n_inst, size_t n_boot, uint64_t seed, const unsigned char *group,
                        char *msg);

/* Free the plan and empty it; cohort_plan_done(NULL) is safe. */
void cohort_plan_done(CohortPlan *p);

/* A statistic of the cohort with its interval and its value on each half. */
typedef struct {
    double est;       /* on every instance (NaN: undefined) */
    double lo, hi;    /* percentile interval over the resamples (NaN: no plan, or defined in fewer than half) */
    size_t boot_n;    /* resamples in which the statistic was defined */
    double half[2];   /* on the instances of group 0 and of group 1 */
    int agree;        /* 1: the halves have the same sign, 0: opposite signs, -1: a half undefined or 0 */
} CohortStat;

typedef struct {
    /* within = mean over instances of r(x, y) over the window's epochs */
    CohortStat within;
    double within_sd;      /* sample SD of the per-instance r (NaN below 2) */
    size_t within_n;       /* instances whose r is defined */
    size_t within_pos;     /* of those, instances with r > 0 */
    /* across = mean over the window's epochs of the per-epoch across r */
    CohortStat across;
    size_t across_epochs;  /* epochs whose across r is defined (on every instance) */
} CohortCorr;

/* Pearson r over instances of x and y at epoch e, over the instances where
 * both are finite: defined with at least 3 of them and neither side
 * constant, else NaN. *n_used (may be NULL) gets that number of instances.
 * O(n_inst). */
double cohort_epoch_r(const double *x, const double *y, size_t n_inst, size_t n_epochs, size_t e, size_t *n_used);

/* Within and across correlations of x and y over epochs [e0, e1).
 * Within: for each instance, Pearson r over the epochs where both x and y
 * are finite — defined with at least 3 such epochs and neither series
 * constant — then the mean (and SD) over the instances that have one.
 * Across: for each epoch, the r over instances of cohort_epoch_r, then the
 * mean of the defined r over the window's epochs (the paper holds the epoch
 * constant and correlates across instances, Fig. 4C).
 * With a plan (may be NULL: no intervals, no halves), each statistic is
 * recomputed on every resample — a resample counts instance i counts[i]
 * times, and an epoch's r needs 3 distinct instances — giving the
 * percentile interval; and on each half of the split. Errors: ST_EINVAL
 * for n_inst or n_epochs of 0, an empty or out-of-range window, or a plan of
 * another cohort size; ST_ENOMEM. Time O((3 + n_boot) · n_inst · (e1 − e0)),
 * memory O(n_inst · (e1 − e0) + n_boot). */
Status cohort_corr(const double *x, const double *y, size_t n_inst, size_t n_epochs, size_t e0, size_t e1,
                   const CohortPlan *plan, CohortCorr *out, char *msg);

/* The sign test of a result: whether s's interval lies wholly on the side of
 * 0 that `sign` names (+1 or −1). */
typedef enum {
    COHORT_VERDICT_NONE = 0,    /* no interval */
    COHORT_VERDICT_REPRODUCED,  /* the interval excludes 0 on the paper's side */
    COHORT_VERDICT_OPPOSITE,    /* the interval excludes 0 on the other side */
    COHORT_VERDICT_UNRESOLVED   /* the interval contains 0 */
} CohortVerdict;

CohortVerdict cohort_verdict(const CohortStat *s, int sign);

/* "reproduced", "opposite sign", "not resolved" or "no interval". */
const char *cohort_verdict_name(CohortVerdict v);

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

/* ---- bands over instances ---------------------------------------------- */

/* For each epoch e of the n_inst × n_epochs series v, the quantiles q[0..n_q)
 * (each in [0, 1]) of its finite values over instances, with linear
 * interpolation between order statistics (position q·(m − 1) among the m
 * sorted values: numpy's default), into out[e·n_q + k]; NaN where no
 * instance has a value. count (may be NULL) gets m per epoch. Errors:
 * ST_EINVAL for a quantile outside [0, 1] or n_inst of 0; ST_ENOMEM.
 * O(n_epochs · n_inst log n_inst). */
Status cohort_bands(const double *v, size_t n_inst, size_t n_epochs, const double *q, size_t n_q, double *out,
                    size_t *count, char *msg);

#endif
