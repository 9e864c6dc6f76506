/* Learning phases of Q against accuracy in a run (info_phases.h). */
#include "neurotop/measure/info_phases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/trend.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/weightq.h"

static void graph_done(QPhasesGraph *g)
{
    free(g->x);
    free(g->mean);
    free(g->sd);
    free(g->acc);
    free(g->runs);
    free(g->ep);
    free(g->lab);
}

void qphases_result_done(QPhasesResult *r)
{
    for (int i = 0; i < 2; i++)
        graph_done(&r->graphs[i]);
    memset(r, 0, sizeof *r);
}

static Status graph_alloc(QPhasesGraph *g, size_t cap, char *msg)
{
    cap++;
    g->x = malloc(cap * sizeof *g->x);
    g->mean = malloc(cap * sizeof *g->mean);
    g->sd = malloc(cap * sizeof *g->sd);
    g->acc = malloc(cap * sizeof *g->acc);
    g->runs = malloc(cap * sizeof *g->runs);
    g->ep = malloc(cap * sizeof *g->ep);
    g->lab = malloc(cap * sizeof *g->lab);
    if (!g->x || !g->mean || !g->sd || !g->acc || !g->runs || !g->ep || !g->lab)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu epochs", cap);
    return ST_OK;
}

static void graph_add(QPhasesGraph *g, double epoch, double mean, double sd, size_t runs, double acc)
{
    g->x[g->n] = epoch;
    g->mean[g->n] = mean;
    g->sd[g->n] = sd;
    g->runs[g->n] = runs;
    g->acc[g->n] = acc;
    g->ep[g->n++] = (long)epoch;
}

/* The phases at α, the table over the other α values, and the permutation
 * test of the first differences over the middle phase. */
static void graph_finish(QPhasesGraph *g, const QPhasesResult *r)
{
    if (g->n < 3) {
        snprintf(g->problem, sizeof g->problem, "%zu epochs with %s runs and test_acc: need 3", g->n, g->key);
        return;
    }
    g->ok = phases_detect(g->mean, g->sd, g->runs, g->acc, g->ep, g->n, &r->params, g->lab, &g->res,
                          g->problem) == ST_OK;
    if (!g->ok)
        return;
    for (int k = 0; k < PHASES_N_SENSITIVITY; k++) {
        PhaseParams p = {.alpha = phases_sensitivity_alphas[k]};
        PhaseResult o;
        for (int ph = 0; ph < 4; ph++)
            g->sens[k][ph] = -1;
        if (phases_detect(g->mean, g->sd, g->runs, g->acc, g->ep, g->n, &p, NULL, &o, NULL) == ST_OK)
            for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++)
                g->sens[k][ph] = o.start_epoch[ph];
    }
    size_t m0 = 0, nm = g->res.n_middle;
    while (m0 < g->n && g->lab[m0] != PHASE_MIDDLE)
        m0++;
    if (nm < 4 || !r->perms)
        return;
    double *d = malloc(2 * nm * sizeof *d);
    if (!d)
        return;
    for (size_t i = 0; i + 1 < nm; i++) {
        d[i] = g->mean[m0 + i + 1] - g->mean[m0 + i];
        d[nm + i] = g->acc[m0 + i + 1] - g->acc[m0 + i];
    }
    g->diff_ok = permtest_run(d, d + nm, NULL, nm - 1, r->perms, r->seed, &g->diff_test, NULL) == ST_OK;
    free(d);
}

static void result_init(QPhasesResult *r, const PhaseParams *params, size_t perms, uint64_t seed)
{
    memset(r, 0, sizeof *r);
    if (params)
        r->params = *params;
    else
        phases_default_params(&r->params);
    r->perms = perms;
    r->seed = seed;
    r->graphs[0].key = "q_whole";
    r->graphs[0].name = "whole";
    r->graphs[1].key = "q_hidden";
    r->graphs[1].name = "hidden";
}

static Status result_end(QPhasesResult *r, Status st, char *msg)
{
    for (int i = 0; i < 2 && !st; i++)
        graph_finish(&r->graphs[i], r);
    if (!st && !r->graphs[0].ok && !r->graphs[1].ok)
        st = status_fail(msg, ST_EINVAL, "no phases: %s", r->graphs[0].problem);
    if (st)
        qphases_result_done(r);
    return st;
}

Status qphases_compute(const SeriesTable *t, const PhaseParams *params, size_t perms, uint64_t seed,
                       QPhasesResult *r, char *msg)
{
    result_init(r, params, perms, seed);
    const double *acc = series_get(t, "test_acc"), *reps = series_get(t, "q_reps");
    Status st = ST_OK;
    for (int i = 0; i < 2 && !st; i++) {
        QPhasesGraph *g = &r->graphs[i];
        char k[3][METRIC_KEY_LEN];
        snprintf(k[0], sizeof k[0], "%s_mean", g->key);
        snprintf(k[1], sizeof k[1], "%s_min", g->key);
        snprintf(k[2], sizeof k[2], "%s_max", g->key);
        const double *mean = series_get(t, k[0]), *lo = series_get(t, k[1]), *hi = series_get(t, k[2]);
        if ((st = graph_alloc(g, t->n, msg)))
            break;
        for (size_t e = 0; mean && lo && hi && reps && acc && e < t->n; e++) {
            double R = reps[e];
            if (!isfinite(mean[e]) || !isfinite(lo[e]) || !isfinite(hi[e]) || !isfinite(acc[e]) || !(R >= 2))
                continue;
            graph_add(g, t->epoch[e], mean[e], (hi[e] - lo[e]) / trend_range_d2((size_t)R), (size_t)R, acc[e]);
        }
    }
    return result_end(r, st, msg);
}

/* R Louvain runs on each saved snapshot up to the shown one. */
static Status compute_from_snapshots(Job *job, const Snapshot *s, const AnalysisArgs *a, QPhasesResult *r,
                                     char *msg)
{
    PhaseParams p = {.alpha = a->alpha};
    result_init(r, &p, (size_t)a->perms, a->seed);
    r->reps = (size_t)a->reps;
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    for (int i = 0; i < 2 && !st; i++)
        st = graph_alloc(&r->graphs[i], t.n + 1, msg);
    EpochSource src;
    epoch_source_init(&src, s, a);
    WeightQ w;
    weightq_init(&w);
    WeightQOptions o;
    weightq_options_default(&o);
    o.reps = r->reps;
    o.cancel = job_cancel_flag(job);
    size_t n = t.n;
    /* The series ends at the shown epoch; a run without series still has it. */
    int shown_listed = n > 0 && t.epoch[n - 1] == (double)s->epoch;
    for (size_t e = 0; !st && e < n + !shown_listed; e++) {
        size_t epoch = e < n ? (size_t)t.epoch[e] : s->epoch;
        Snapshot *snap = NULL;
        char why[STATUS_MSG_LEN];
        if (epoch_source_get(&src, epoch, 0, &snap, why) != ST_OK)
            continue; /* no weights saved for this epoch */
        o.seed = rng_epoch_seed(a->seed, epoch);
        for (int g = 0; g < 2 && !st; g++) {
            st = weightq_snapshot(&w, snap, g ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE, &o, msg);
            if (st)
                break;
            double sum = 0, ss = 0;
            for (size_t k = 0; k < r->reps; k++)
                sum += w.q[k];
            double mean = sum / (double)r->reps;
            for (size_t k = 0; k < r->reps; k++)
                ss += (w.q[k] - mean) * (w.q[k] - mean);
            if (isfinite(snap->eval.accuracy))
                graph_add(&r->graphs[g], (double)epoch, mean, sqrt(ss / (double)(r->reps - 1)), r->reps,
                          snap->eval.accuracy);
        }
        snapshot_release(snap);
        job_set_progress(job, 0.9 * (double)(e + 1) / (double)(n + 1));
    }
    weightq_done(&w);
    epoch_source_done(&src);
    series_done(&t);
    return result_end(r, st, msg);
}

/* ---- JSON and view ------------------------------------------------------- */

/* First and last epoch labelled p, or 0 when none. */
static int phase_span(const QPhasesGraph *g, Phase p, long *first, long *last)
{
    int found = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->lab[i] == p) {
            if (!found)
                *first = g->ep[i];
            *last = g->ep[i];
            found = 1;
        }
    return found;
}

void phases_json_welch(JsonWriter *w, const char *key, const WelchTest *t)
{
    json_key(w, key);
    json_object_begin(w);
    json_kv_real(w, "diff", t->diff);
    json_kv_real(w, "t", t->t);
    json_kv_real(w, "df", t->df);
    json_kv_real(w, "p", t->p);
    json_object_end(w);
}

void phases_json_trend(JsonWriter *w, const char *key, const PhaseTrend *tr)
{
    json_key(w, key);
    if (tr->first_epoch < 0) {
        json_null(w);
        return;
    }
    json_object_begin(w);
    json_kv_int(w, "from", tr->first_epoch);
    json_kv_int(w, "to", tr->last_epoch);
    json_kv_string(w, "shape", phases_shape_name(tr->shape));
    json_kv_real(w, "slope", tr->ok ? tr->fit.slope : NAN);
    json_kv_real(w, "lo", tr->ok ? tr->fit.lo : NAN);
    json_kv_real(w, "hi", tr->ok ? tr->fit.hi : NAN);
    json_object_end(w);
}

static void graph_json(const QPhasesGraph *g, JsonWriter *w)
{
    json_key(w, g->name);
    json_object_begin(w);
    if (!g->ok) {
        json_kv_string(w, "problem", g->problem);
        json_object_end(w);
        return;
    }
    for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
        long f = 0, l = 0;
        json_key(w, phases_name(p));
        if (phase_span(g, p, &f, &l)) {
            json_array_begin(w);
            json_int(w, f);
            json_int(w, l);
            json_array_end(w);
        } else {
            json_null(w);
        }
    }
    json_kv_int(w, "peak_epoch", g->ep[g->res.peak]);
    phases_json_welch(w, "rise", &g->res.rise);
    phases_json_welch(w, "fall", &g->res.fall);
    json_kv_real(w, "alpha_search", g->res.alpha_search);
    phases_json_trend(w, "trend_climb", &g->res.trend[PHASE_EARLY]);
    phases_json_trend(w, "trend_middle", &g->res.trend[PHASE_MIDDLE]);
    phases_json_trend(w, "trend_after_peak", &g->res.trend[PHASE_LATE]);
    json_kv_real(w, "climb_share", g->res.climb_share);
    json_kv_real(w, "r_middle", g->res.r_middle);
    json_kv_real(w, "r_middle_diff", g->res.r_middle_diff);
    json_kv_real(w, "p_middle_diff", g->diff_ok ? g->diff_test.p : NAN);
    json_kv_int(w, "n_middle", (long long)g->res.n_middle);
    json_key(w, "sensitivity");
    json_array_begin(w);
    for (int k = 0; k < PHASES_N_SENSITIVITY; k++) {
        json_object_begin(w);
        json_kv_real(w, "alpha", phases_sensitivity_alphas[k]);
        for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++)
            json_kv_int(w, phases_name(p), g->sens[k][p]);
        json_object_end(w);
    }
    json_array_end(w);
    json_object_end(w);
}

void qphases_json(const QPhasesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_real(w, "alpha", r->params.alpha);
    json_kv_string(w, "source", r->reps ? "louvain runs on the saved snapshots" : "recorded runs");
    json_kv_int(w, "reps", (long long)r->reps);
    for (int i = 0; i < 2; i++)
        graph_json(&r->graphs[i], w);
    json_object_end(w);
}

/* Writes words of text into lines of at most width columns. */
static void wrap(StrBuf *out, const char *text, size_t width)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (!len)
            break;
        if (col && col + 1 + len > width) {
            strbuf_append(out, "\n");
            col = 0;
        } else if (col) {
            strbuf_append(out, " ");
            col++;
        }
        strbuf_printf(out, "%.*s", (int)len, p);
        col += len;
        p += len;
    }
    strbuf_append(out, "\n");
}

static void span_text(char *buf, size_t cap, long f, long l, int found)
{
    if (found)
        snprintf(buf, cap, "%ld-%ld", f, l);
    else
        snprintf(buf, cap, "-");
}

/* The view's text column is narrow (about 44 columns): short lines. */
static void trend_text(StrBuf *t, const QPhasesGraph *g, const char *label, const PhaseTrend *tr)
{
    if (tr->first < 0 || tr->last < tr->first || !tr->ok) {
        strbuf_printf(t, "  %-7s n/a\n", label);
        return;
    }
    char span[32];
    snprintf(span, sizeof span, "%ld-%ld", g->ep[tr->first], g->ep[tr->last]);
    strbuf_printf(t, "  %-7s %-10s %+.1e %s\n", label, span, tr->fit.slope, phases_shape_name(tr->shape));
    strbuf_printf(t, "%20s[%+.1e, %+.1e]\n", "", tr->fit.lo, tr->fit.hi);
}

static void sens_text(StrBuf *t, const QPhasesGraph *g, Phase p)
{
    strbuf_printf(t, "  %s from, by alpha:\n   ", phases_name(p));
    for (int k = 0; k < PHASES_N_SENSITIVITY; k++) {
        if (g->sens[k][p] >= 0)
            strbuf_printf(t, " %g:%ld", phases_sensitivity_alphas[k], g->sens[k][p]);
        else
            strbuf_printf(t, " %g:-", phases_sensitivity_alphas[k]);
    }
    strbuf_printf(t, "\n");
}

static void view_text(const QPhasesResult *r, const Snapshot *s, StrBuf *t)
{
    strbuf_printf(t, "Learning phases · epochs up to %zu\n", s->epoch);
    if (r->reps)
        strbuf_printf(t, "Q: mean of %zu new Louvain runs per\nsaved snapshot; alpha %.3g\n\n", r->reps,
                      r->params.alpha);
    else
        strbuf_printf(t, "Q: mean of the recorded Louvain runs\n(SD from their range); alpha %.3g\n\n",
                      r->params.alpha);
    strbuf_printf(t, "graph   early   middle  late    peak\n");
    for (int i = 0; i < 2; i++) {
        const QPhasesGraph *g = &r->graphs[i];
        if (!g->ok) {
            strbuf_printf(t, "%-7s (%s)\n", g->name, g->problem);
            continue;
        }
        strbuf_printf(t, "%-7s", g->name);
        for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
            long f = 0, l = 0;
            char span[48];
            int found = phase_span(g, p, &f, &l);
            span_text(span, sizeof span, f, l, found);
            strbuf_printf(t, " %-7s", span);
        }
        strbuf_printf(t, " %ld\n", g->ep[g->res.peak]);
    }
    strbuf_printf(t, "\nr(Q, accuracy) in the middle phase\n(seed paper 000: 0.981)\n");
    for (int i = 0; i < 2; i++) {
        const QPhasesGraph *g = &r->graphs[i];
        if (!g->ok)
            continue;
        if (!isfinite(g->res.r_middle)) {
            strbuf_printf(t, "%-7s n/a (%zu epochs)\n", g->name, g->res.n_middle);
            continue;
        }
        strbuf_printf(t, "%-7s raw %.3f, diffs ", g->name, g->res.r_middle);
        if (g->diff_ok)
            strbuf_printf(t, "%.3f (p %.2g)\n", g->diff_test.r, g->diff_test.p);
        else
            strbuf_printf(t, "n/a\n");
    }
    wrap(t, "raw: both series trend, so no p; diffs: changes from epoch to epoch, permutation p.", 44);
    for (int i = 0; i < 2; i++) {
        const QPhasesGraph *g = &r->graphs[i];
        if (!g->ok)
            continue;
        const PhaseResult *res = &g->res;
        strbuf_printf(t, "\n%s\n", g->name);
        if (res->peak > 0)
            strbuf_printf(t, "  rise %+.4f (p %.2g)\n", res->rise.diff, res->rise.p);
        if (isfinite(res->fall.diff))
            strbuf_printf(t, "  fall %+.4f (p %.2g)\n", res->fall.diff, res->fall.p);
        strbuf_printf(t, "  (search level %.2g)\n  slope of Q per epoch [95%%]:\n", res->alpha_search);
        trend_text(t, g, "climb", &res->trend[PHASE_EARLY]);
        trend_text(t, g, "middle", &res->trend[PHASE_MIDDLE]);
        trend_text(t, g, "after", &res->trend[PHASE_LATE]);
        if (isfinite(res->climb_share))
            strbuf_printf(t, "  %.0f%% of the rise came in the climb\n", 100.0 * res->climb_share);
        sens_text(t, g, PHASE_MIDDLE);
        sens_text(t, g, PHASE_LATE);
    }
    strbuf_printf(t, "\nClimb: until accuracy made 90%% of its gain.\nRule:\n");
    wrap(t, phases_rule_text(), 44);
}

Status qphases_view(const QPhasesResult *r, const Snapshot *s, JobResult *out)
{
    view_text(r, s, &out->text);
    for (int i = 0; i < 2; i++) {
        const QPhasesGraph *g = &r->graphs[i];
        if (!g->ok)
            continue;
        char label[48];
        snprintf(label, sizeof label, "mean Q %s (phases shaded)", g->name);
        const double *ys[1] = {g->mean};
        size_t before = out->n_plots;
        if (job_result_add_lines(out, label, g->x, ys, 1, g->n))
            return ST_ENOMEM;
        if (out->n_plots == before)
            continue; /* no room for another plot */
        JobPlot *pl = &out->plots[out->n_plots - 1];
        for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
            long f, l;
            if (phase_span(g, p, &f, &l)) {
                pl->range[p - 1][0] = (double)f;
                pl->range[p - 1][1] = (double)l;
            }
        }
    }
    const QPhasesGraph *g0 = r->graphs[0].ok ? &r->graphs[0] : &r->graphs[1];
    const double *ya[1] = {g0->acc};
    return job_result_add_lines(out, "test accuracy", g0->x, ya, 1, g0->n);
}

Status qphases_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Status st = jobs_need_snapshot(s, "phases", msg);
    if (st)
        return st;
    QPhasesResult r;
    if (a->given & ((uint64_t)1 << PARAM_REPS)) {
        if (a->reps < 2)
            return status_fail(msg, ST_EINVAL, "the phase tests need at least 2 Louvain runs per epoch");
        st = compute_from_snapshots(job, s, a, &r, msg);
    } else {
        SeriesTable t;
        if ((st = jobs_series(a, s, &t, msg)))
            return st;
        PhaseParams p = {.alpha = a->alpha};
        st = qphases_compute(&t, &p, (size_t)a->perms, a->seed, &r, msg);
        series_done(&t);
    }
    job_set_progress(job, 0.95);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        qphases_json(&r, s, &w);
        if (qphases_view(&r, s, out))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
        qphases_result_done(&r);
    }
    return st;
}
