#ifndef NEUROTOP_ANALYSIS_PHASES_H
#define NEUROTOP_ANALYSIS_PHASES_H

/* Learning phases of seed paper 000 (Shine et al. 2021, Brain Informatics
 * 8:26, doi:10.1186/s40708-021-00147-z, Fig. 1D): an early phase where
 * modularity Q stays flat while accuracy rises, a middle phase where Q rises
 * with accuracy, and a late phase where Q falls from its peak.
 *
 * The rule (quoted by the TUI's help, see phases_rule_text):
 *  1. Smooth Q with a centred moving average of `window` points (odd; the
 *     window shrinks at the ends): Qs. Let ε = `noise` (the Louvain noise
 *     floor: ~0.01 for the MLP of seed paper 000) and δ = ε/2.
 *  2. Peak P = the first index of max Qs. The middle phase exists iff
 *     Qs[P] − Qs[0] > ε (a rise larger than the noise floor).
 *  3. With a middle phase: B = the last index t < P with Qs[t] <= Qs[0] + δ
 *     (the last point still at the starting level). If B >= 1, points 0..B
 *     form the early phase when accuracy rose over them (acc[B] > acc[0]),
 *     and are unlabelled otherwise; the middle phase starts at B + 1. If
 *     B = 0 the rise starts at once: no early phase, the middle starts at 0.
 *  4. The late phase exists iff there is a middle phase and the last point
 *     is more than ε below the peak (Qs[T−1] < Qs[P] − ε); it starts after
 *     the last index t >= P with Qs[t] >= Qs[P] − δ, and runs to the end.
 *     The middle phase runs from its start up to the late phase (or the end).
 *  5. Without a middle phase there is no late phase; the early phase is the
 *     initial run of points with |Qs[t] − Qs[0]| <= δ, when it has >= 2
 *     points and accuracy rose over it. Other points are unlabelled.
 * A phase that the data do not show is reported absent (-1), never invented.
 * r_middle is the Pearson r of the raw Q and accuracy over the middle phase
 * (NaN when it has < 3 points or a constant series). */

#include <stddef.h>

#include "neurotop/core/status.h"

typedef enum { PHASE_NONE = 0, PHASE_EARLY, PHASE_MIDDLE, PHASE_LATE } Phase;

typedef struct {
    double noise;  /* ε > 0, in units of Q; default 0.01 */
    size_t window; /* odd >= 1; default 3 */
} PhaseParams;

typedef struct {
    long start[4];       /* first index of each phase ([PHASE_EARLY..PHASE_LATE]), -1 absent; [0] unused */
    long start_epoch[4]; /* epochs[start[k]] (or the index when epochs is NULL), -1 absent */
    long peak;           /* index P of the smoothed peak */
    size_t n_middle;     /* points in the middle phase */
    double r_middle;     /* Pearson r(Q, accuracy) over the middle phase, or NaN */
} PhaseResult;

/* Defaults: noise 0.01, window 3. */
void phases_default_params(PhaseParams *p);

/* The rule above as plain text (static storage), for help screens. */
const char *phases_rule_text(void);

/* "none", "early", "middle" or "late". */
const char *phases_name(Phase p);

/* Apply the rule to t points: q[t] (modularity), acc[t] (accuracy), epochs[t]
 * (epoch numbers, may be NULL). labels (t values, may be NULL) receives each
 * point's phase. Inputs are borrowed; params NULL means the defaults.
 * ST_EINVAL when t = 0, a value is not finite, noise <= 0 or the window is
 * even; ST_ENOMEM. O(t·window). */
Status phases_detect(const double *q, const double *acc, const long *epochs, size_t t,
                     const PhaseParams *params, Phase *labels, PhaseResult *out, char *msg);

#endif
