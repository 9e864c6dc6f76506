/* The report of `experiment mlp-phases` from the recorded points, and its
 * files (mlp_phases.h). */
#include "neurotop/experiment/mlp_phases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlp_phases_internal.h"
#include "neurotop/analysis/trend.h"
#include "neurotop/core/rng.h"

void mlp_phases_report_done(MlpPhasesReport *r)
{
    for (int w = 0; w < 3; w++)
        free(r->edge_map[w]);
    memset(r, 0, sizeof *r);
}

const char *mlp_phases_trend_name(MlpPhasesTrend t)
{
    switch (t) {
    case MLP_PHASES_TREND_FLAT: return "flat";
    case MLP_PHASES_TREND_RISES: return "rises";
    case MLP_PHASES_TREND_FALLS: return "falls";
    default: return "n/a";
    }
}

/* First and last index labelled p, or 0 when none. */
static int label_span(const Phase *lab, size_t n, Phase p, size_t *a, size_t *b)
{
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (lab[i] == p) {
            if (!found)
                *a = i;
            *b = i;
            found = 1;
        }
    return found;
}

static void run_test(MlpPhasesTest *t, const double *a, const double *b, const unsigned char *mask, size_t n,
                     size_t perms, uint64_t seed)
{
    t->ok = permtest_run(a, b, mask, n, perms, seed, &t->t, NULL) == ST_OK;
}

/* The edge map over points a..b: the pairs (i−1, i) for i in a+1..b. */
static Status window_map(const MlpPhases *m, size_t a, size_t b, double **out, char *msg)
{
    size_t P = m->pix.n_pixels;
    double *map = calloc(P, sizeof *map);
    if (!map)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = a + 1; i <= b; i++)
        for (size_t k = 0; m->pts[i].edge && k < P; k++)
            map[k] += m->pts[i].edge[k];
    *out = map;
    return ST_OK;
}

/* r(edge, IP), r(edge, IP | mean intensity) and r(edge, intensity) of one
 * window's map, over all and over live pixels. */
static void edge_tests(const MlpPhases *m, int w, MlpPhasesReport *r)
{
    size_t P = m->pix.n_pixels;
    double *res = malloc(2 * P * sizeof *res);
    for (int live = 0; live < 2; live++) {
        const unsigned char *mask = live ? m->pix.live : NULL;
        run_test(&r->edge_ip[w][live], r->edge_map[w], m->pix.ip, mask, P, m->cfg.perms, m->cfg.seed);
        PermTest t;
        r->edge_mean_r[w][live] =
            permtest_run(r->edge_map[w], m->pix.mean, mask, P, 1, 0, &t, NULL) == ST_OK ? t.r : NAN;
        r->edge_ip_partial[w][live].ok = 0;
        if (res && !trend_residuals(r->edge_map[w], m->pix.mean, mask, P, res, NULL) &&
            !trend_residuals(m->pix.ip, m->pix.mean, mask, P, res + P, NULL))
            run_test(&r->edge_ip_partial[w][live], res, res + P, mask, P, m->cfg.perms, m->cfg.seed);
    }
    free(res);
}

static void edge_windows(const MlpPhases *m, const Phase *lab[2], const int ok[2], MlpPhasesReport *r,
                         char *msg)
{
    static const char *const names[3] = {"early", "middle", "late"};
    for (int w = 0; w < 3; w++) {
        Phase ph = (Phase)(PHASE_EARLY + w);
        size_t a = 0, b = 0;
        int found = 0;
        for (int k = 0; k < 2 && !found; k++)
            if (ok[k] && label_span(lab[k], m->n, ph, &a, &b)) {
                found = 1;
                snprintf(r->edge_source[w], sizeof r->edge_source[w], "detected %s phase (%s)", names[w],
                         k ? "hidden subgraph" : "whole graph");
            }
        if (!found && ph == PHASE_EARLY && m->n >= 2) {
            /* The paper's early window was its first 10 epochs. */
            a = 0;
            b = m->n < 11 ? m->n - 1 : 10;
            found = 1;
            snprintf(r->edge_source[w], sizeof r->edge_source[w],
                     "first %zu recorded epochs (no early phase detected)", b + 1);
        }
        if (!found || b == a) {
            r->edge_window[w][0] = r->edge_window[w][1] = -1;
            snprintf(r->edge_source[w], sizeof r->edge_source[w],
                     found ? "the %s phase has one recorded epoch" : "no %s phase", names[w]);
            continue;
        }
        r->edge_window[w][0] = (long)m->pts[a].epoch;
        r->edge_window[w][1] = (long)m->pts[b].epoch;
        if (window_map(m, a, b, &r->edge_map[w], msg))
            continue;
        edge_tests(m, w, r);
    }
}

static void extremes(const MlpPhases *m, MlpPhasesReport *r)
{
    r->pc_max_at = r->mz_min_at = r->pc_max_live_at = r->mz_min_live_at = -1;
    for (size_t i = 0; i < m->n; i++) {
        const MlpPhasesPoint *p = &m->pts[i];
        if (isfinite(p->r_id_pc) && (r->pc_max_at < 0 || p->r_id_pc > m->pts[r->pc_max_at].r_id_pc))
            r->pc_max_at = (long)i;
        if (isfinite(p->r_id_mz) && (r->mz_min_at < 0 || p->r_id_mz < m->pts[r->mz_min_at].r_id_mz))
            r->mz_min_at = (long)i;
        if (isfinite(p->r_id_pc_live) &&
            (r->pc_max_live_at < 0 || p->r_id_pc_live > m->pts[r->pc_max_live_at].r_id_pc_live))
            r->pc_max_live_at = (long)i;
        if (isfinite(p->r_id_mz_live) &&
            (r->mz_min_live_at < 0 || p->r_id_mz_live < m->pts[r->mz_min_live_at].r_id_mz_live))
            r->mz_min_live_at = (long)i;
    }
}

/* The p of a search over epochs (max-statistic permutation, Westfall &
 * Young 1993): ID's kept entries are shuffled, the map of every epoch
 * (PC when want_max, else MZ) is correlated with the shuffled ID, and the
 * extreme over the epochs is compared with the observed extreme. One
 * shuffle serves all epochs, so the test respects how the epochs' maps
 * depend on each other. NaN when no epoch has a defined r. */
static double search_p(const MlpPhases *m, int want_max, const unsigned char *mask, size_t perms, uint64_t seed)
{
    size_t P = m->pix.n_pixels, E = m->n, K = 0;
    size_t *keep = malloc(P * sizeof *keep);
    double *a = malloc(P * sizeof *a), *B = malloc((E ? E : 1) * P * sizeof *B);
    double p = NAN;
    if (!keep || !a || !B)
        goto done;
    for (size_t k = 0; k < P; k++)
        if (!mask || mask[k])
            keep[K++] = k;
    double ma = 0;
    for (size_t k = 0; k < K; k++)
        ma += m->pix.id[keep[k]];
    ma /= (double)K;
    double na = 0;
    for (size_t k = 0; k < K; k++) {
        a[k] = m->pix.id[keep[k]] - ma;
        na += a[k] * a[k];
    }
    if (K < 3 || !(na > 0))
        goto done;
    /* Each epoch's map, centred and scaled to unit norm over the kept pixels. */
    size_t ne = 0;
    double obs = want_max ? -INFINITY : INFINITY;
    for (size_t e = 0; e < E; e++) {
        const double *map = m->maps + 2 * P * e + (want_max ? 0 : P);
        double *b = B + ne * K, mb = 0, nb = 0, dot = 0;
        for (size_t k = 0; k < K; k++)
            mb += map[keep[k]];
        mb /= (double)K;
        for (size_t k = 0; k < K; k++) {
            b[k] = map[keep[k]] - mb;
            nb += b[k] * b[k];
        }
        if (!(nb > 0) || !isfinite(nb))
            continue;
        nb = sqrt(nb);
        for (size_t k = 0; k < K; k++) {
            b[k] /= nb;
            dot += b[k] * a[k];
        }
        double rv = dot / sqrt(na);
        obs = want_max ? fmax(obs, rv) : fmin(obs, rv);
        ne++;
    }
    if (ne == 0)
        goto done;
    Rng g;
    rng_seed(&g, seed, PERMTEST_STREAM + 1);
    size_t exceed = 0;
    for (size_t it = 0; it < perms; it++) {
        for (size_t k = K; k > 1; k--) {
            size_t j = (size_t)rng_below(&g, k);
            double t = a[k - 1];
            a[k - 1] = a[j];
            a[j] = t;
        }
        double ext = want_max ? -INFINITY : INFINITY;
        for (size_t e = 0; e < ne; e++) {
            const double *b = B + e * K;
            double dot = 0;
            for (size_t k = 0; k < K; k++)
                dot += b[k] * a[k];
            ext = want_max ? fmax(ext, dot) : fmin(ext, dot);
        }
        ext /= sqrt(na);
        exceed += want_max ? ext >= obs - 1e-12 : ext <= obs + 1e-12;
    }
    p = (1.0 + (double)exceed) / ((double)perms + 1.0);
done:
    free(keep);
    free(a);
    free(B);
    return p;
}

/* The late window for IH: the late phase (whole graph, else hidden
 * subgraph), else the last third of the trained epochs; a least-squares
 * line through its points, with an interval widened for autocorrelation. */
static void ih_window(const MlpPhases *m, const Phase *lab[2], const int ok[2], MlpPhasesReport *r)
{
    size_t a = 0, b = 0;
    int found = 0;
    for (int k = 0; k < 2 && !found; k++)
        if (ok[k] && label_span(lab[k], m->n, PHASE_LATE, &a, &b) && b > a) {
            found = 1;
            snprintf(r->ih_source, sizeof r->ih_source, "late phase (%s)", k ? "hidden subgraph" : "whole graph");
        }
    if (!found && m->n >= 2) {
        size_t first = m->pts[0].epoch, last = m->pts[m->n - 1].epoch;
        size_t from = last - (last - first) / 3;
        a = 0;
        while (a + 3 < m->n && m->pts[a].epoch < from) /* keep >= 3 points */
            a++;
        b = m->n - 1;
        found = 1;
        snprintf(r->ih_source, sizeof r->ih_source, "last third of training (no late phase detected)");
    }
    r->ih_window[0] = r->ih_window[1] = -1;
    for (int h = 0; h < 2; h++)
        r->ih_start[h] = r->ih_end[h] = NAN;
    if (!found)
        return;
    r->ih_window[0] = (long)m->pts[a].epoch;
    r->ih_window[1] = (long)m->pts[b].epoch;
    double *x = malloc(2 * (b - a + 1) * sizeof *x), *y = x ? x + (b - a + 1) : NULL;
    for (int h = 0; x && h < 2; h++) {
        size_t n = 0;
        for (size_t i = a; i <= b; i++)
            if (isfinite(m->pts[i].ih[h])) {
                x[n] = (double)m->pts[i].epoch;
                y[n++] = m->pts[i].ih[h];
            }
        TrendFit *f = &r->ih_fit[h];
        if (trend_slope(x, y, n, 0.95, f, NULL))
            continue;
        r->ih_start[h] = f->intercept + f->slope * (double)r->ih_window[0];
        r->ih_end[h] = f->intercept + f->slope * (double)r->ih_window[1];
        r->ih_trend[h] = !isfinite(f->lo) ? MLP_PHASES_TREND_NONE
                         : f->lo > 0      ? MLP_PHASES_TREND_RISES
                         : f->hi < 0      ? MLP_PHASES_TREND_FALLS
                                          : MLP_PHASES_TREND_FLAT;
    }
    free(x);
}

/* Phases of one readout's Q distributions, the α table and the
 * first-difference test over the middle phase. */
static void readout_phases(const MlpPhases *m, int k, double *buf, size_t *runs, long *ep, Phase *lab,
                           MlpPhasesReport *r)
{
    size_t n = m->n;
    double *mean = buf, *sd = buf + n, *acc = buf + 2 * n, *d = buf + 3 * n;
    for (size_t i = 0; i < n; i++) {
        mean[i] = m->pts[i].q_mean[k];
        sd[i] = m->pts[i].q_sd[k];
        acc[i] = m->pts[i].acc;
        runs[i] = m->cfg.reps;
        ep[i] = (long)m->pts[i].epoch;
    }
    for (int ph = 0; ph < 4; ph++)
        r->span[k][ph][0] = r->span[k][ph][1] = -1;
    if (n < 3) {
        snprintf(r->phase_problem[k], sizeof r->phase_problem[k], "%zu recorded epochs: phases need 3", n);
        return;
    }
    PhaseParams pp = {.alpha = m->cfg.alpha};
    if (phases_detect(mean, sd, runs, acc, ep, n, &pp, lab, &r->phase[k], r->phase_problem[k]))
        return;
    r->phase_ok[k] = 1;
    for (Phase ph = PHASE_EARLY; ph <= PHASE_LATE; ph++) {
        size_t a = 0, b = 0;
        if (label_span(lab, n, ph, &a, &b)) {
            r->span[k][ph][0] = ep[a];
            r->span[k][ph][1] = ep[b];
        }
    }
    for (int s = 0; s < PHASES_N_SENSITIVITY; s++) {
        PhaseParams q = {.alpha = phases_sensitivity_alphas[s]};
        PhaseResult o;
        for (int ph = 0; ph < 4; ph++)
            r->sens[k][s][ph] = -1;
        if (!phases_detect(mean, sd, runs, acc, ep, n, &q, NULL, &o, NULL))
            for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++)
                r->sens[k][s][ph] = o.start_epoch[ph];
    }
    size_t a = 0, b = 0;
    if (label_span(lab, n, PHASE_MIDDLE, &a, &b) && b - a >= 3) {
        for (size_t i = a; i < b; i++) {
            d[i - a] = mean[i + 1] - mean[i];
            d[n + i - a] = acc[i + 1] - acc[i];
        }
        run_test(&r->q_acc_diff[k], d, d + n, NULL, b - a, m->cfg.perms, m->cfg.seed);
    }
}

Status mlp_phases_report(const MlpPhases *m, MlpPhasesReport *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->n_points = m->n;
    r->n_pixels = m->pix.n_pixels;
    r->alpha = m->cfg.alpha;
    size_t n = m->n;
    /* mean, sd, acc and two rows of differences. */
    double *buf = malloc((5 * n + 1) * sizeof *buf);
    size_t *runs = malloc((n + 1) * sizeof *runs);
    long *ep = malloc((n + 1) * sizeof *ep);
    Phase *lab[2] = {malloc((n + 1) * sizeof(Phase)), malloc((n + 1) * sizeof(Phase))};
    Status st = ST_OK;
    if (!buf || !runs || !ep || !lab[0] || !lab[1])
        st = status_fail(msg, ST_ENOMEM, "out of memory for the report");
    for (int k = 0; k < 2 && !st; k++)
        readout_phases(m, k, buf, runs, ep, lab[k], r);
    if (!st && m->have_pix) {
        const Phase *labs[2] = {lab[0], lab[1]};
        edge_windows(m, labs, r->phase_ok, r, msg);
        extremes(m, r);
        for (int i = 0; i < 4; i++)
            r->p_search[i] = search_p(m, i < 2, i % 2 ? m->pix.live : NULL, m->cfg.perms, m->cfg.seed);
        ih_window(m, labs, r->phase_ok, r);
    }
    free(buf);
    free(runs);
    free(ep);
    free(lab[0]);
    free(lab[1]);
    return st;
}
