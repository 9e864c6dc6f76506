#include "neurotop/analysis/phases.h"

#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/permtest.h"

void phases_default_params(PhaseParams *p)
{
    p->noise = 0.01;
    p->window = 3;
}

const char *phases_rule_text(void)
{
    return "Q is smoothed with a centred moving average (window w); eps = the Louvain noise "
           "floor, d = eps/2. Middle: the smoothed peak rises more than eps above the first "
           "point; it starts after the last point before the peak still within d of the "
           "start. Early: the points before that, if there are at least 2 and accuracy rose "
           "over them. Late: only after a middle phase, when the last point is more than eps "
           "below the peak; it starts after the last point within d of the peak. Without a "
           "rise, early is the initial run within d of the start. Absent phases are not "
           "invented.";
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

static void smooth(const double *q, size_t t, size_t window, double *qs)
{
    size_t half = window / 2;
    for (size_t i = 0; i < t; i++) {
        size_t lo = i >= half ? i - half : 0, hi = i + half < t ? i + half : t - 1;
        double s = 0.0;
        for (size_t k = lo; k <= hi; k++)
            s += q[k];
        qs[i] = s / (double)(hi - lo + 1);
    }
}

static void mark(Phase *lab, size_t from, size_t to_excl, Phase p)
{
    for (size_t i = from; i < to_excl; i++)
        lab[i] = p;
}

Status phases_detect(const double *q, const double *acc, const long *epochs, size_t t,
                     const PhaseParams *params, Phase *labels, PhaseResult *out, char *msg)
{
    PhaseParams def;
    phases_default_params(&def);
    const PhaseParams *pp = params ? params : &def;
    if (!q || !acc || !out)
        return status_fail(msg, ST_EINVAL, "phases_detect needs non-NULL inputs");
    if (t == 0)
        return status_fail(msg, ST_EINVAL, "phase detection needs at least one epoch");
    if (!(pp->noise > 0.0) || !isfinite(pp->noise))
        return status_fail(msg, ST_EINVAL, "the noise floor must be finite and > 0, got %g", pp->noise);
    if (pp->window % 2 == 0)
        return status_fail(msg, ST_EINVAL, "the smoothing window must be odd, got %zu", pp->window);
    for (size_t i = 0; i < t; i++)
        if (!isfinite(q[i]) || !isfinite(acc[i]))
            return status_fail(msg, ST_EINVAL, "Q or accuracy at point %zu is not finite", i);
    if (t > SIZE_MAX / sizeof(double) / 2)
        return status_fail(msg, ST_EINVAL, "%zu points is too many", t);
    double *qs = malloc(t * sizeof *qs);
    Phase *lab = malloc(t * sizeof *lab);
    if (!qs || !lab) {
        free(qs);
        free(lab);
        return status_fail(msg, ST_ENOMEM, "out of memory detecting phases over %zu points", t);
    }
    smooth(q, t, pp->window, qs);
    double eps = pp->noise, half = pp->noise / 2.0;
    mark(lab, 0, t, PHASE_NONE);
    size_t peak = 0;
    for (size_t i = 1; i < t; i++)
        if (qs[i] > qs[peak])
            peak = i;

    if (qs[peak] - qs[0] > eps) {
        size_t base = 0;
        for (size_t i = 0; i < peak; i++)
            if (qs[i] <= qs[0] + half)
                base = i;
        size_t mid = 0;
        if (base >= 1) {
            if (acc[base] > acc[0])
                mark(lab, 0, base + 1, PHASE_EARLY);
            mid = base + 1;
        }
        size_t end = t;
        if (qs[t - 1] < qs[peak] - eps) {
            size_t last_top = peak;
            for (size_t i = peak; i < t; i++)
                if (qs[i] >= qs[peak] - half)
                    last_top = i;
            end = last_top + 1;
            mark(lab, end, t, PHASE_LATE);
        }
        mark(lab, mid, end, PHASE_MIDDLE);
    } else {
        size_t e = 0;
        while (e + 1 < t && fabs(qs[e + 1] - qs[0]) <= half)
            e++;
        if (e >= 1 && acc[e] > acc[0])
            mark(lab, 0, e + 1, PHASE_EARLY);
    }

    for (int k = 0; k < 4; k++)
        out->start[k] = out->start_epoch[k] = -1;
    for (size_t i = t; i-- > 0;)
        if (lab[i] != PHASE_NONE)
            out->start[lab[i]] = (long)i;
    for (int k = 1; k < 4; k++)
        if (out->start[k] >= 0)
            out->start_epoch[k] = epochs ? epochs[out->start[k]] : out->start[k];
    out->peak = (long)peak;

    /* Pearson r over the middle phase; undefined values become NaN. */
    size_t nm = 0, m0 = 0;
    for (size_t i = 0; i < t; i++)
        if (lab[i] == PHASE_MIDDLE) {
            if (nm == 0)
                m0 = i;
            nm++;
        }
    out->n_middle = nm;
    out->r_middle = NAN;
    double r;
    if (nm >= 3 && permtest_pearson(q + m0, acc + m0, nm, &r, NULL) == ST_OK)
        out->r_middle = r;
    if (labels)
        for (size_t i = 0; i < t; i++)
            labels[i] = lab[i];
    free(qs);
    free(lab);
    return ST_OK;
}
