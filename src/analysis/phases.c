#include "neurotop/analysis/phases.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "neurotop/analysis/permtest.h"

const double phases_sensitivity_alphas[PHASES_N_SENSITIVITY] = {0.001, 0.005, 0.01, 0.05, 0.1};

void phases_default_params(PhaseParams *p)
{
    p->alpha = 0.01;
}

const char *phases_rule_text(void)
{
    return "Each point's Q is the mean of its Louvain runs; 'above' means a one-sided Welch test of "
           "two points' runs at level a (default 0.01). The start is epoch 0 alone. Middle: the "
           "peak is above the start at a/(T-1) (corrected for picking the maximum of T-1 points); "
           "it starts where every point up to the peak is above the start. Early: the points "
           "before, if at least 2 and accuracy rose over them. Late: the peak is above the last "
           "point at a/(T-1); it starts where every later point is below the peak. Slopes of Q with "
           "95% intervals over the accuracy climb, the middle phase and after the peak: 'flat' "
           "only when the interval contains 0. Absent phases are not invented.";
}

const char *phases_name(Phase p)
{
    switch (p) {
    case PHASE_EARLY: return "early";
    case PHASE_MIDDLE: return "middle";
    case PHASE_LATE: return "late";
    default: return "none";
    }
}

const char *phases_shape_name(TrendShape s)
{
    switch (s) {
    case TREND_FLAT: return "flat";
    case TREND_RISES: return "rises";
    case TREND_FALLS: return "falls";
    default: return "n/a";
    }
}

typedef struct {
    const double *m, *s;
    const size_t *r;
} Points;

/* One-sided p of m_a > m_b. Inputs were checked, so the test cannot fail. */
static double p_above(const Points *pt, size_t a, size_t b, WelchTest *keep)
{
    WelchTest w;
    if (trend_welch(pt->m[a], pt->s[a], pt->r[a], pt->m[b], pt->s[b], pt->r[b], &w, NULL))
        return 1.0;
    if (keep)
        *keep = w;
    return w.p;
}

static void mark(Phase *lab, size_t from, size_t to_excl, Phase p)
{
    for (size_t i = from; i < to_excl; i++)
        lab[i] = p;
}

/* The slope of mean Q over points first..last (inclusive), its interval
 * from the Louvain noise of the means (se[i], k[i] = runs − 1). */
static void fit_window(const double *x, const double *m, const double *se, const size_t *k, long first, long last,
                       PhaseTrend *tr)
{
    tr->ok = 0;
    tr->shape = TREND_NA;
    tr->first = first;
    tr->last = last;
    int known = first >= 0 && last >= first;
    tr->first_epoch = known ? (long)x[first] : -1;
    tr->last_epoch = known ? (long)x[last] : -1;
    if (first < 0 || last - first + 1 < 3)
        return;
    if (trend_slope_known(x + first, m + first, se + first, k + first, (size_t)(last - first + 1), 0.95, &tr->fit,
                          NULL) ||
        !isfinite(tr->fit.lo))
        return;
    tr->ok = 1;
    tr->shape = tr->fit.lo > 0 ? TREND_RISES : tr->fit.hi < 0 ? TREND_FALLS : TREND_FLAT;
}

/* Pearson r of a and b over n points, or NaN when undefined. */
static double pearson_or_nan(const double *a, const double *b, size_t n)
{
    double r;
    return n >= 3 && permtest_pearson(a, b, n, &r, NULL) == ST_OK ? r : NAN;
}

static Status check(const double *m, const double *s, const size_t *r, const double *acc, size_t t,
                    const PhaseParams *pp, char *msg)
{
    if (!m || !s || !r || !acc)
        return status_fail(msg, ST_EINVAL, "phases_detect needs non-NULL inputs");
    if (t < 2)
        return status_fail(msg, ST_EINVAL, "phase detection needs at least 2 recorded epochs, got %zu", t);
    if (!(pp->alpha > 0.0 && pp->alpha < 0.5))
        return status_fail(msg, ST_EINVAL, "the significance level must be between 0 and 0.5, got %g", pp->alpha);
    for (size_t i = 0; i < t; i++) {
        if (!isfinite(m[i]) || !isfinite(s[i]) || s[i] < 0 || !isfinite(acc[i]))
            return status_fail(msg, ST_EINVAL, "Q, its spread or accuracy at point %zu is not finite", i);
        if (r[i] < 2)
            return status_fail(msg, ST_EINVAL,
                               "point %zu has %zu Louvain run(s): the phase tests need at least 2 per epoch", i,
                               r[i]);
    }
    if (t > SIZE_MAX / sizeof(double) / 4)
        return status_fail(msg, ST_EINVAL, "%zu points is too many", t);
    return ST_OK;
}

Status phases_detect(const double *q_mean, const double *q_sd, const size_t *runs, const double *acc,
                     const long *epochs, size_t t, const PhaseParams *params, Phase *labels, PhaseResult *out,
                     char *msg)
{
    PhaseParams def;
    phases_default_params(&def);
    const PhaseParams *pp = params ? params : &def;
    if (!out)
        return status_fail(msg, ST_EINVAL, "phases_detect needs somewhere to put the result");
    Status st = check(q_mean, q_sd, runs, acc, t, pp, msg);
    if (st)
        return st;
    Phase *lab = malloc(t * sizeof *lab);
    double *x = malloc(t * sizeof *x), *d = malloc(3 * t * sizeof *d);
    size_t *k = malloc(t * sizeof *k);
    if (!lab || !x || !d || !k) {
        free(lab);
        free(x);
        free(d);
        free(k);
        return status_fail(msg, ST_ENOMEM, "out of memory detecting phases over %zu points", t);
    }
    const Points pt = {q_mean, q_sd, runs};
    double a = pp->alpha, a_search = a / (double)(t - 1);
    mark(lab, 0, t, PHASE_NONE);
    size_t peak = 0;
    for (size_t i = 1; i < t; i++)
        if (q_mean[i] > q_mean[peak])
            peak = i;
    out->peak = (long)peak;
    out->alpha_search = a_search;
    out->rise = out->fall = (WelchTest){NAN, NAN, NAN, NAN, NAN};

    int rise = peak > 0 && p_above(&pt, peak, 0, &out->rise) < a_search;
    if (rise) {
        size_t s = peak;
        while (s > 1 && p_above(&pt, s - 1, 0, NULL) < a)
            s--;
        if (s >= 2 && acc[s - 1] > acc[0])
            mark(lab, 0, s, PHASE_EARLY);
        size_t end = t;
        if (peak + 1 < t && p_above(&pt, peak, t - 1, &out->fall) < a_search) {
            size_t l = t - 1;
            while (l > peak + 1 && p_above(&pt, peak, l - 1, NULL) < a)
                l--;
            end = l;
            mark(lab, end, t, PHASE_LATE);
        }
        mark(lab, s, end, PHASE_MIDDLE);
    } else {
        if (peak + 1 < t)
            p_above(&pt, peak, t - 1, &out->fall);
        size_t e = 0;
        while (e + 1 < t && p_above(&pt, e + 1, 0, NULL) >= a && p_above(&pt, 0, e + 1, NULL) >= a)
            e++;
        if (e >= 1 && acc[e] > acc[0])
            mark(lab, 0, e + 1, PHASE_EARLY);
    }

    for (int ph = 0; ph < 4; ph++)
        out->start[ph] = out->start_epoch[ph] = -1;
    for (size_t i = t; i-- > 0;)
        if (lab[i] != PHASE_NONE)
            out->start[lab[i]] = (long)i;
    for (int ph = 1; ph < 4; ph++)
        if (out->start[ph] >= 0)
            out->start_epoch[ph] = epochs ? epochs[out->start[ph]] : out->start[ph];

    double *se = d + 2 * t;
    for (size_t i = 0; i < t; i++) {
        x[i] = epochs ? (double)epochs[i] : (double)i;
        se[i] = q_sd[i] / sqrt((double)runs[i]);
        k[i] = runs[i] - 1;
    }
    out->trend[0] = (PhaseTrend){.first = -1, .last = -1, .first_epoch = -1, .last_epoch = -1};
    /* The accuracy climb: from point 0 to the first point that has made
     * PHASES_CLIMB of the gain to the best accuracy. */
    size_t best = 0;
    for (size_t i = 1; i < t; i++)
        if (acc[i] > acc[best])
            best = i;
    out->climb_end = -1;
    out->climb_share = NAN;
    if (acc[best] > acc[0]) {
        size_t A = 1;
        while (A < best && acc[A] < acc[0] + PHASES_CLIMB * (acc[best] - acc[0]))
            A++;
        out->climb_end = (long)A;
        if (rise)
            out->climb_share = (q_mean[A] - q_mean[0]) / (q_mean[peak] - q_mean[0]);
    }
    fit_window(x, q_mean, se, k, out->climb_end >= 0 ? 0 : -1, out->climb_end, &out->trend[PHASE_EARLY]);
    long first = -1, last = -1;
    for (size_t i = 0; i < t; i++)
        if (lab[i] == PHASE_MIDDLE) {
            if (first < 0)
                first = (long)i;
            last = (long)i;
        }
    fit_window(x, q_mean, se, k, first, last, &out->trend[PHASE_MIDDLE]);
    fit_window(x, q_mean, se, k, (long)peak + 1, (long)t - 1, &out->trend[PHASE_LATE]);

    /* r(Q, accuracy) over the middle phase, raw and on first differences. */
    size_t nm = 0, m0 = 0;
    for (size_t i = 0; i < t; i++)
        if (lab[i] == PHASE_MIDDLE) {
            if (nm == 0)
                m0 = i;
            nm++;
        }
    out->n_middle = nm;
    out->r_middle = pearson_or_nan(q_mean + m0, acc + m0, nm);
    out->r_middle_diff = NAN;
    if (nm >= 4) {
        for (size_t i = 0; i + 1 < nm; i++) {
            d[i] = q_mean[m0 + i + 1] - q_mean[m0 + i];
            d[t + i] = acc[m0 + i + 1] - acc[m0 + i];
        }
        out->r_middle_diff = pearson_or_nan(d, d + t, nm - 1);
    }
    if (labels)
        for (size_t i = 0; i < t; i++)
            labels[i] = lab[i];
    free(lab);
    free(x);
    free(d);
    free(k);
    return ST_OK;
}
