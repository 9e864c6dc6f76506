#ifndef NEUROTOP_ANALYSIS_PHASES_H
#define NEUROTOP_ANALYSIS_PHASES_H

/* Learning phases of seed paper 000 (Shine et al. 2021, Brain Informatics
 * 8:26, doi:10.1186/s40708-021-00147-z, Fig. 1D), found by tests against
 * the Louvain run-to-run noise of Q (docs/methods.md §23).
 *
 * Each recorded point t has R_t Louvain runs: their mean m_t and SD s_t.
 * "t above u" means Welch's one-sided test (trend.h) of m_t > m_u from the
 * two points' runs gives p < α. With T points:
 *  1. The start is point 0 alone (nothing smoothed into it).
 *  2. P = the first point of the largest m_t. A rise (a middle phase) exists
 *     iff P is above the start at α/(T − 1): P was picked as the maximum of
 *     T − 1 candidates, so its test is corrected for that search
 *     (Bonferroni).
 *  3. With a rise, the middle phase starts at S = the first point from which
 *     every point up to P is above the start (at α). Points 0..S−1 form the
 *     early phase when there are at least 2 and accuracy rose over them;
 *     else they are unlabelled.
 *  4. A fall (a late phase) exists iff there is a rise and P is above the
 *     last point at α/(T − 1). It starts at the first point after P from
 *     which every point to the end is below P (at α); the middle phase
 *     ends before it.
 *  5. Without a rise there is no middle or late phase; the early phase is
 *     the initial run of points neither above nor below the start (at α,
 *     each side), when it has >= 2 points and accuracy rose over it.
 * A phase the tests do not show is absent (-1), never invented.
 *
 * Trends: least-squares slopes of m_t over the epochs with 95% intervals
 * from the Louvain noise of the means (trend_slope_known), over three windows
 * chosen without looking at Q: the accuracy climb (points 0..A, A the first
 * point where accuracy has made PHASES_CLIMB of its gain from point 0 to its
 * maximum), the middle phase, and the points after the peak (P+1..T−1,
 * whether or not a late phase was found). A trend is "flat" only when its
 * interval contains 0; the share of the rise m_P − m_0 made by point A says
 * how much of Q's rise happened while accuracy climbed.
 * r(Q, accuracy) over the middle phase is given raw (both series trend, so
 * its p-value from independent permutations would be invalid) and on first
 * differences (consecutive changes, which a permutation test may shuffle). */

#include <stddef.h>

#include "neurotop/analysis/trend.h"
#include "neurotop/core/status.h"

/* The accuracy climb ends where accuracy has made this share of its gain. */
#define PHASES_CLIMB 0.9

typedef enum { PHASE_NONE = 0, PHASE_EARLY, PHASE_MIDDLE, PHASE_LATE } Phase;

typedef struct {
    double alpha; /* one-sided significance of each test, 0 < α < 0.5; default 0.01 */
} PhaseParams;

/* The α values at which reports show how the boundaries move with α. */
#define PHASES_N_SENSITIVITY 5
extern const double phases_sensitivity_alphas[PHASES_N_SENSITIVITY];

/* The direction of a trend: its interval excludes 0 on one side, or not. */
typedef enum { TREND_NA = 0, TREND_FLAT, TREND_RISES, TREND_FALLS } TrendShape;

typedef struct {
    int ok;            /* 1 when fitted (>= 3 points and n_eff > 2) */
    TrendFit fit;      /* slope of mean Q per epoch, 95% interval */
    TrendShape shape;
    long first, last;  /* the window's first and last point (index), -1 absent */
    long first_epoch, last_epoch; /* their epochs (the index when no epochs were given), -1 absent */
} PhaseTrend;

typedef struct {
    long start[4];       /* first index of each phase ([PHASE_EARLY..PHASE_LATE]), -1 absent; [0] unused */
    long start_epoch[4]; /* epochs[start[k]] (or the index when epochs is NULL), -1 absent */
    long peak;           /* index P of the largest mean Q */
    WelchTest rise;      /* peak vs the start (existence of a middle phase: p < α/(T−1)) */
    WelchTest fall;      /* peak vs the last point (existence of a late phase) */
    double alpha_search; /* α/(T − 1) */
    PhaseTrend trend[4]; /* [PHASE_EARLY]: the accuracy climb 0..A; [PHASE_MIDDLE]: the middle phase;
                            [PHASE_LATE]: the points after the peak */
    long climb_end;      /* A, or -1 when accuracy never rose */
    double climb_share;  /* (m_A − m_0) / (m_P − m_0), NaN without a rise */
    size_t n_middle;     /* points in the middle phase */
    double r_middle;     /* Pearson r(mean Q, accuracy) over the middle phase, or NaN */
    double r_middle_diff; /* Pearson r of their first differences (>= 3 pairs), or NaN */
} PhaseResult;

/* Defaults: α = 0.01. */
void phases_default_params(PhaseParams *p);

/* The rule above as plain text (static storage), for help screens. */
const char *phases_rule_text(void);

/* "none", "early", "middle" or "late". */
const char *phases_name(Phase p);

/* "n/a", "flat", "rises" or "falls". */
const char *phases_shape_name(TrendShape s);

/* Apply the rule to t points: q_mean[t], q_sd[t] (SD of the runs, n − 1
 * denominator), runs[t] (Louvain runs, >= 2), acc[t] (accuracy) and
 * epochs[t] (epoch numbers, may be NULL: the index stands in). labels (t
 * values, may be NULL) receives each point's phase. Inputs are borrowed;
 * params NULL means the defaults. ST_EINVAL when t < 2, a value is not
 * finite, an SD is negative, a point has fewer than 2 runs or α is not in
 * (0, 0.5); ST_ENOMEM. O(t²) tests at most. */
Status phases_detect(const double *q_mean, const double *q_sd, const size_t *runs, const double *acc,
                     const long *epochs, size_t t, const PhaseParams *params, Phase *labels, PhaseResult *out,
                     char *msg);

#endif
