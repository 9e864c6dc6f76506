/* Within- and across-instance correlations of a cohort with bootstrap
 * intervals over instances and a split-half sign check (docs/methods.md §24). */
#include "neurotop/analysis/cohort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"

/* ---- the plan ----------------------------------------------------------- */

Status cohort_plan_init(CohortPlan *p, size_t n_inst, size_t n_boot, uint64_t seed, const unsigned char *group,
                        char *msg)
{
    memset(p, 0, sizeof *p);
    if (n_inst == 0 || n_inst > UINT32_MAX)
        return status_fail(msg, ST_EINVAL, "a cohort needs 1 to %lu instances, got %zu", (unsigned long)UINT32_MAX,
                           n_inst);
    for (size_t i = 0; group && i < n_inst; i++)
        if (group[i] > 1)
            return status_fail(msg, ST_EINVAL, "instance %zu has split-half group %d, not 0 or 1", i, group[i]);
    size_t cells;
    if (size_mul(n_boot, n_inst, &cells) || cells > SIZE_MAX / sizeof *p->counts)
        return status_fail(msg, ST_EINVAL, "%zu resamples of %zu instances are too many", n_boot, n_inst);
    p->group = malloc(n_inst);
    p->counts = cells ? calloc(cells, sizeof *p->counts) : NULL;
    if (!p->group || (cells && !p->counts)) {
        cohort_plan_done(p);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu bootstrap resamples", n_boot);
    }
    for (size_t i = 0; i < n_inst; i++)
        p->group[i] = group ? group[i] : (unsigned char)(i % 2);
    Rng r;
    rng_seed(&r, seed, COHORT_BOOT_STREAM);
    for (size_t b = 0; b < n_boot; b++)
        for (size_t k = 0; k < n_inst; k++)
            p->counts[b * n_inst + (size_t)rng_below(&r, n_inst)]++;
    p->n_inst = n_inst;
    p->n_boot = n_boot;
    return ST_OK;
}

void cohort_plan_done(CohortPlan *p)
{
    if (!p)
        return;
    free(p->counts);
    free(p->group);
    memset(p, 0, sizeof *p);
}

/* ---- one epoch across instances ---------------------------------------- */

double cohort_epoch_r(const double *x, const double *y, size_t n_inst, size_t n_epochs, size_t e, size_t *n_used)
{
    size_t n = 0;
    double mx = 0, my = 0, x0 = 0, y0 = 0;
    int vx = 0, vy = 0;
    for (size_t i = 0; i < n_inst; i++) {
        double a = x[i * n_epochs + e], b = y[i * n_epochs + e];
        if (!isfinite(a) || !isfinite(b))
            continue;
        if (n == 0) {
            x0 = a;
            y0 = b;
        }
        vx |= a != x0;
        vy |= b != y0;
        mx += a;
        my += b;
        n++;
    }
    if (n_used)
        *n_used = n;
    if (n < 3 || !vx || !vy)
        return NAN;
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n_inst; i++) {
        double a = x[i * n_epochs + e], b = y[i * n_epochs + e];
        if (!isfinite(a) || !isfinite(b))
            continue;
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
        sxy += (a - mx) * (b - my);
    }
    double r = sxy / sqrt(sxx * syy);
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* ---- one window --------------------------------------------------------- */

/* Scratch of one window: the pairs centred on the whole cohort's mean of
 * their epoch (so the weighted one-pass sums below lose no precision), and
 * per-epoch accumulators. */
typedef struct {
    size_t n_inst, w;
    double *xc, *yc;        /* n_inst × w, NaN where not a finite pair */
    double *acc;            /* 6 × w: Σw, Σwx, Σwy, Σwx², Σwy², Σwxy */
    double *first;          /* 2 × w: the first x and y seen at the epoch */
    size_t *distinct;       /* w: distinct instances with a pair */
    unsigned char *varies;  /* 2 × w: x, y not all equal */
    double *ri;             /* n_inst: each instance's within r (NaN: none) */
    uint32_t *wt;           /* n_inst: the weights of the current view */
    double *boot;           /* 2 × n_boot: resampled within and across */
} Window;

static void window_done(Window *k)
{
    free(k->xc);
    free(k->acc);
    free(k->first);
    free(k->distinct);
    free(k->varies);
    free(k->ri);
    free(k->wt);
    free(k->boot);
}

static int window_alloc(Window *k, size_t n_inst, size_t w, size_t n_boot)
{
    memset(k, 0, sizeof *k);
    k->n_inst = n_inst;
    k->w = w;
    size_t cells;
    if (size_mul(n_inst, 2 * w, &cells) || cells > SIZE_MAX / sizeof(double))
        return -1;
    k->xc = malloc(cells * sizeof *k->xc);
    k->acc = malloc(6 * w * sizeof *k->acc);
    k->first = malloc(2 * w * sizeof *k->first);
    k->distinct = malloc(w * sizeof *k->distinct);
    k->varies = malloc(2 * w);
    k->ri = malloc(n_inst * sizeof *k->ri);
    k->wt = malloc(n_inst * sizeof *k->wt);
    k->boot = malloc((2 * n_boot + 1) * sizeof *k->boot);
    if (!k->xc || !k->acc || !k->first || !k->distinct || !k->varies || !k->ri || !k->wt || !k->boot)
        return -1;
    k->yc = k->xc + n_inst * w;
    return 0;
}

/* Fill xc, yc (centred pairs) and ri (per-instance r) for epochs [e0, e0+w). */
static void window_fill(Window *k, const double *x, const double *y, size_t n_epochs, size_t e0)
{
    size_t n = k->n_inst, w = k->w;
    double *buf = k->acc; /* 6·w ≥ 2·w: the per-instance pairs */
    for (size_t e = 0; e < w; e++) {
        double mx = 0, my = 0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            double a = x[i * n_epochs + e0 + e], b = y[i * n_epochs + e0 + e];
            if (isfinite(a) && isfinite(b)) {
                mx += a;
                my += b;
                m++;
            }
        }
        mx = m ? mx / (double)m : 0;
        my = m ? my / (double)m : 0;
        for (size_t i = 0; i < n; i++) {
            double a = x[i * n_epochs + e0 + e], b = y[i * n_epochs + e0 + e];
            int ok = isfinite(a) && isfinite(b);
            k->xc[i * w + e] = ok ? a - mx : NAN;
            k->yc[i * w + e] = ok ? b - my : NAN;
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t e = 0; e < w; e++) {
            double a = x[i * n_epochs + e0 + e], b = y[i * n_epochs + e0 + e];
            if (isfinite(a) && isfinite(b)) {
                buf[m] = a;
                buf[w + m] = b;
                m++;
            }
        }
        double r;
        k->ri[i] = m >= 3 && !permtest_pearson(buf, buf + w, m, &r, NULL) ? r : NAN;
    }
}

/* Mean over the window's epochs of the across r under weights wt (instance
 * i counted wt[i] times); *n_def gets the epochs whose r is defined. */
static double across_view(Window *k, size_t *n_def)
{
    size_t w = k->w;
    double *s0 = k->acc, *sx = s0 + w, *sy = sx + w, *sxx = sy + w, *syy = sxx + w, *sxy = syy + w;
    memset(k->acc, 0, 6 * w * sizeof *k->acc);
    memset(k->distinct, 0, w * sizeof *k->distinct);
    memset(k->varies, 0, 2 * w);
    for (size_t i = 0; i < k->n_inst; i++) {
        double c = k->wt[i];
        if (c == 0)
            continue;
        const double *xi = k->xc + i * w, *yi = k->yc + i * w;
        for (size_t e = 0; e < w; e++) {
            double a = xi[e], b = yi[e];
            if (isnan(a))
                continue;
            if (k->distinct[e]++ == 0) {
                k->first[e] = a;
                k->first[w + e] = b;
            }
            k->varies[e] |= a != k->first[e];
            k->varies[w + e] |= b != k->first[w + e];
            s0[e] += c;
            sx[e] += c * a;
            sy[e] += c * b;
            sxx[e] += c * a * a;
            syy[e] += c * b * b;
            sxy[e] += c * a * b;
        }
    }
    double sum = 0;
    size_t m = 0;
    for (size_t e = 0; e < w; e++) {
        if (k->distinct[e] < 3 || !k->varies[e] || !k->varies[w + e])
            continue;
        double vx = sxx[e] - sx[e] * sx[e] / s0[e], vy = syy[e] - sy[e] * sy[e] / s0[e];
        if (!(vx > 0 && vy > 0))
            continue;
        double r = (sxy[e] - sx[e] * sy[e] / s0[e]) / sqrt(vx * vy);
        sum += r > 1 ? 1 : r < -1 ? -1 : r;
        m++;
    }
    if (n_def)
        *n_def = m;
    return m ? sum / (double)m : NAN;
}

/* Weighted mean of the defined per-instance r. */
static double within_view(const Window *k)
{
    double sum = 0, cnt = 0;
    for (size_t i = 0; i < k->n_inst; i++)
        if (k->wt[i] && isfinite(k->ri[i])) {
            sum += k->wt[i] * k->ri[i];
            cnt += k->wt[i];
        }
    return cnt > 0 ? sum / cnt : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile p of the sorted v[0..n) with linear interpolation between
 * order statistics (position p·(n − 1)). */
static double percentile(const double *v, size_t n, double p)
{
    double h = p * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* The interval from the finite values among v[0..n_boot) (reordered). */
static void stat_interval(CohortStat *s, double *v, size_t n_boot)
{
    size_t m = 0;
    for (size_t b = 0; b < n_boot; b++)
        if (isfinite(v[b]))
            v[m++] = v[b];
    s->boot_n = m;
    if (m == 0 || 2 * m < n_boot)
        return;
    qsort(v, m, sizeof *v, cmp_double);
    s->lo = percentile(v, m, (1 - COHORT_CI_LEVEL) / 2);
    s->hi = percentile(v, m, 1 - (1 - COHORT_CI_LEVEL) / 2);
}

static int signs_agree(const double h[2])
{
    if (!isfinite(h[0]) || !isfinite(h[1]) || h[0] == 0 || h[1] == 0)
        return -1;
    return (h[0] > 0) == (h[1] > 0);
}

static void stat_clear(CohortStat *s)
{
    s->est = s->lo = s->hi = s->half[0] = s->half[1] = NAN;
    s->boot_n = 0;
    s->agree = -1;
}

/* The whole cohort, both halves and every resample of the plan. */
static void window_views(Window *k, const CohortPlan *plan, CohortCorr *out)
{
    size_t n = k->n_inst;
    for (size_t i = 0; i < n; i++)
        k->wt[i] = 1;
    out->within.est = within_view(k);
    out->across.est = across_view(k, &out->across_epochs);
    if (!plan)
        return;
    for (unsigned char g = 0; g < 2; g++) {
        for (size_t i = 0; i < n; i++)
            k->wt[i] = plan->group[i] == g;
        out->within.half[g] = within_view(k);
        out->across.half[g] = across_view(k, NULL);
    }
    out->within.agree = signs_agree(out->within.half);
    out->across.agree = signs_agree(out->across.half);
    size_t nb = plan->n_boot;
    for (size_t b = 0; b < nb; b++) {
        memcpy(k->wt, plan->counts + b * n, n * sizeof *k->wt);
        k->boot[b] = within_view(k);
        k->boot[nb + b] = across_view(k, NULL);
    }
    stat_interval(&out->within, k->boot, nb);
    stat_interval(&out->across, k->boot + nb, nb);
}

Status cohort_corr(const double *x, const double *y, size_t n_inst, size_t n_epochs, size_t e0, size_t e1,
                   const CohortPlan *plan, CohortCorr *out, char *msg)
{
    memset(out, 0, sizeof *out);
    stat_clear(&out->within);
    stat_clear(&out->across);
    out->within_sd = NAN;
    if (n_inst == 0 || n_epochs == 0)
        return status_fail(msg, ST_EINVAL, "a cohort needs at least one instance and one epoch");
    if (e0 >= e1 || e1 > n_epochs)
        return status_fail(msg, ST_EINVAL, "the epoch window [%zu, %zu) is empty or beyond the %zu epochs", e0,
                           e1, n_epochs);
    if (plan && plan->n_inst != n_inst)
        return status_fail(msg, ST_EINVAL, "the bootstrap plan is for %zu instances, the cohort has %zu",
                           plan->n_inst, n_inst);
    Window k;
    if (window_alloc(&k, n_inst, e1 - e0, plan ? plan->n_boot : 0)) {
        window_done(&k);
        return status_fail(msg, ST_ENOMEM, "out of memory for a window of %zu instances and %zu epochs", n_inst,
                           e1 - e0);
    }
    window_fill(&k, x, y, n_epochs, e0);
    double mean = 0;
    for (size_t i = 0; i < n_inst; i++)
        if (isfinite(k.ri[i])) {
            mean += k.ri[i];
            out->within_n++;
            out->within_pos += k.ri[i] > 0;
        }
    if (out->within_n > 1) {
        mean /= (double)out->within_n;
        double ss = 0;
        for (size_t i = 0; i < n_inst; i++)
            if (isfinite(k.ri[i]))
                ss += (k.ri[i] - mean) * (k.ri[i] - mean);
        out->within_sd = sqrt(ss / (double)(out->within_n - 1));
    }
    window_views(&k, plan, out);
    window_done(&k);
    return ST_OK;
}

/* ---- verdicts ----------------------------------------------------------- */

CohortVerdict cohort_verdict(const CohortStat *s, int sign)
{
    if (!isfinite(s->lo) || !isfinite(s->hi))
        return COHORT_VERDICT_NONE;
    if (s->lo > 0)
        return sign > 0 ? COHORT_VERDICT_REPRODUCED : COHORT_VERDICT_OPPOSITE;
    if (s->hi < 0)
        return sign < 0 ? COHORT_VERDICT_REPRODUCED : COHORT_VERDICT_OPPOSITE;
    return COHORT_VERDICT_UNRESOLVED;
}

const char *cohort_verdict_name(CohortVerdict v)
{
    switch (v) {
    case COHORT_VERDICT_REPRODUCED:
        return "reproduced";
    case COHORT_VERDICT_OPPOSITE:
        return "opposite sign";
    case COHORT_VERDICT_UNRESOLVED:
        return "not resolved";
    default:
        return "no interval";
    }
}

Status cohort_bands(const double *v, size_t n_inst, size_t n_epochs, const double *q, size_t n_q, double *out,
                    size_t *count, char *msg)
{
    if (n_inst == 0)
        return status_fail(msg, ST_EINVAL, "bands need at least one instance");
    for (size_t k = 0; k < n_q; k++)
        if (!(q[k] >= 0 && q[k] <= 1))
            return status_fail(msg, ST_EINVAL, "a quantile must lie in [0, 1], not %g", q[k]);
    double *col = malloc(n_inst * sizeof *col);
    if (!col)
        return status_fail(msg, ST_ENOMEM, "out of memory for the bands");
    for (size_t e = 0; e < n_epochs; e++) {
        size_t m = 0;
        for (size_t i = 0; i < n_inst; i++)
            if (isfinite(v[i * n_epochs + e]))
                col[m++] = v[i * n_epochs + e];
        if (count)
            count[e] = m;
        qsort(col, m, sizeof *col, cmp_double);
        for (size_t k = 0; k < n_q; k++)
            out[e * n_q + k] = m ? percentile(col, m, q[k]) : NAN;
    }
    free(col);
    return ST_OK;
}
