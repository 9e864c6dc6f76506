/* Learning phases of Q against accuracy in a run's series (info_phases.h). */
#include "neurotop/measure/info_phases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"

static void graph_done(QPhasesGraph *g)
{
    free(g->x);
    free(g->q);
    free(g->acc);
    free(g->ep);
    free(g->lab);
}

void qphases_result_done(QPhasesResult *r)
{
    for (int i = 0; i < 2; i++)
        graph_done(&r->graphs[i]);
    memset(r, 0, sizeof *r);
}

/* The epochs where both Q and accuracy are known, and their phases; a
 * graph without phases keeps its reason in g->problem. */
static Status graph_phases(const SeriesTable *t, const double *acc, QPhasesGraph *g, char *msg)
{
    const double *q = series_get(t, g->key);
    size_t cap = t->n + 1;
    g->x = malloc(cap * sizeof *g->x);
    g->q = malloc(cap * sizeof *g->q);
    g->acc = malloc(cap * sizeof *g->acc);
    g->ep = malloc(cap * sizeof *g->ep);
    g->lab = malloc(cap * sizeof *g->lab);
    if (!g->x || !g->q || !g->acc || !g->ep || !g->lab)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu epochs", t->n);
    for (size_t i = 0; q && acc && i < t->n; i++)
        if (isfinite(q[i]) && isfinite(acc[i])) {
            g->x[g->n] = t->epoch[i];
            g->q[g->n] = q[i];
            g->acc[g->n] = acc[i];
            g->ep[g->n++] = (long)t->epoch[i];
        }
    if (g->n < 3) {
        snprintf(g->problem, sizeof g->problem, "%zu epochs with %s and test_acc: need 3", g->n, g->key);
        return ST_OK;
    }
    g->ok = phases_detect(g->q, g->acc, g->ep, g->n, NULL, g->lab, &g->res, g->problem) == ST_OK;
    return ST_OK;
}

Status qphases_compute(const SeriesTable *t, QPhasesResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    phases_default_params(&r->params);
    r->graphs[0].key = "q_whole";
    r->graphs[0].name = "whole";
    r->graphs[1].key = "q_hidden";
    r->graphs[1].name = "hidden";
    const double *acc = series_get(t, "test_acc");
    Status st = ST_OK;
    for (int i = 0; i < 2 && !st; i++)
        st = graph_phases(t, acc, &r->graphs[i], msg);
    if (!st && !r->graphs[0].ok && !r->graphs[1].ok)
        st = status_fail(msg, ST_EINVAL, "no phases: %s", r->graphs[0].problem);
    if (st)
        qphases_result_done(r);
    return st;
}

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
    json_kv_real(w, "r_middle", g->res.r_middle);
    json_kv_int(w, "n_middle", (long long)g->res.n_middle);
    json_object_end(w);
}

void qphases_json(const QPhasesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_real(w, "noise", r->params.noise);
    json_kv_int(w, "window", (long long)r->params.window);
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

static void view_text(const QPhasesResult *r, const Snapshot *s, StrBuf *t)
{
    strbuf_printf(t, "Learning phases · epochs up to %zu\n", s->epoch);
    strbuf_printf(t, "noise floor %.3g, smoothing window %zu\n\n", r->params.noise, r->params.window);
    strbuf_printf(t, "graph   early    middle   late     peak\n");
    for (int i = 0; i < 2; i++) {
        const QPhasesGraph *g = &r->graphs[i];
        if (!g->ok) {
            strbuf_printf(t, "%-7s (%s)\n", g->name, g->problem);
            continue;
        }
        strbuf_printf(t, "%-7s", g->name);
        for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
            long f = 0, l = 0;
            char span[48] = "-";
            if (phase_span(g, p, &f, &l))
                snprintf(span, sizeof span, "%ld-%ld", f, l);
            strbuf_printf(t, " %-8s", span);
        }
        strbuf_printf(t, " %ld\n", g->ep[g->res.peak]);
    }
    strbuf_printf(t, "\nr(Q, accuracy) in the middle phase\n");
    for (int i = 0; i < 2; i++) {
        const QPhasesGraph *g = &r->graphs[i];
        if (g->ok && isfinite(g->res.r_middle))
            strbuf_printf(t, "%-7s %7.3f over %zu epochs\n", g->name, g->res.r_middle, g->res.n_middle);
        else if (g->ok)
            strbuf_printf(t, "%-7s     n/a (%zu epochs)\n", g->name, g->res.n_middle);
    }
    strbuf_printf(t, "(seed paper 000: r = 0.981)\n\nRule:\n");
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
        snprintf(label, sizeof label, "Q %s (phases shaded)", g->name);
        const double *ys[1] = {g->q};
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
    SeriesTable t;
    if ((st = jobs_series(a, s, &t, msg)))
        return st;
    QPhasesResult r;
    st = qphases_compute(&t, &r, msg);
    series_done(&t);
    job_set_progress(job, 0.6);
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
