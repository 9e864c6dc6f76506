/* :phases and :confusion (jobs_info.h): the learning phases of the per-epoch
 * series and the held-out confusion matrix over the run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/measure/jobs_info.h"

/* ---- :phases ------------------------------------------------------------ */

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

typedef struct {
    const char *key, *name;
    size_t n;
    double *x, *q, *acc;
    long *ep;
    Phase *lab;
    PhaseResult res;
    int ok;
    char problem[STATUS_MSG_LEN];
} PhaseRun;

static Status phase_run(const SeriesTable *t, const double *acc, PhaseRun *r, char *msg)
{
    const double *q = series_get(t, r->key);
    r->x = malloc((t->n + 1) * sizeof(double));
    r->q = malloc((t->n + 1) * sizeof(double));
    r->acc = malloc((t->n + 1) * sizeof(double));
    r->ep = malloc((t->n + 1) * sizeof(long));
    r->lab = malloc((t->n + 1) * sizeof(Phase));
    if (!r->x || !r->q || !r->acc || !r->ep || !r->lab)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    r->n = 0;
    for (size_t i = 0; q && acc && i < t->n; i++)
        if (isfinite(q[i]) && isfinite(acc[i])) {
            r->x[r->n] = t->epoch[i];
            r->q[r->n] = q[i];
            r->acc[r->n] = acc[i];
            r->ep[r->n++] = (long)t->epoch[i];
        }
    if (r->n < 3) {
        snprintf(r->problem, sizeof r->problem, "%zu epochs with %s and test_acc: need 3", r->n, r->key);
        return ST_OK;
    }
    if (phases_detect(r->q, r->acc, r->ep, r->n, NULL, r->lab, &r->res, r->problem) == ST_OK)
        r->ok = 1;
    return ST_OK;
}

static void phase_run_done(PhaseRun *r)
{
    free(r->x);
    free(r->q);
    free(r->acc);
    free(r->ep);
    free(r->lab);
}

/* First and last epoch labelled p, or 0 when none. */
static int phase_span(const PhaseRun *r, Phase p, long *first, long *last)
{
    int found = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->lab[i] == p) {
            if (!found)
                *first = r->ep[i];
            *last = r->ep[i];
            found = 1;
        }
    return found;
}

Status job_phases(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    const double *acc = series_get(&t, "test_acc");
    PhaseRun runs[2] = {{.key = "q_whole", .name = "whole"}, {.key = "q_hidden", .name = "hidden"}};
    for (int i = 0; i < 2 && !st; i++)
        st = phase_run(&t, acc, &runs[i], msg);
    job_set_progress(job, 0.6);
    if (!st && !runs[0].ok && !runs[1].ok)
        st = status_fail(msg, ST_EINVAL, "no phases: %s", runs[0].problem);
    if (!st) {
        PhaseParams pp;
        phases_default_params(&pp);
        strbuf_printf(&out->text, "Learning phases · epochs up to %zu\n", s->epoch);
        strbuf_printf(&out->text, "noise floor %.3g, smoothing window %zu\n\n", pp.noise, pp.window);
        strbuf_printf(&out->text, "graph   early    middle   late     peak\n");
        JsonWriter w;
        json_init(&w, &out->json);
        json_object_begin(&w);
        json_kv_int(&w, "epoch", (long long)s->epoch);
        json_kv_real(&w, "noise", pp.noise);
        json_kv_int(&w, "window", (long long)pp.window);
        for (int i = 0; i < 2; i++) {
            PhaseRun *r = &runs[i];
            json_key(&w, r->name);
            json_object_begin(&w);
            if (!r->ok) {
                strbuf_printf(&out->text, "%-7s (%s)\n", r->name, r->problem);
                json_kv_string(&w, "problem", r->problem);
                json_object_end(&w);
                continue;
            }
            strbuf_printf(&out->text, "%-7s", r->name);
            for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
                long f = 0, l = 0;
                char span[24] = "-";
                if (phase_span(r, p, &f, &l))
                    snprintf(span, sizeof span, "%ld-%ld", f, l);
                strbuf_printf(&out->text, " %-8s", span);
                json_key(&w, phases_name(p));
                if (phase_span(r, p, &f, &l)) {
                    json_array_begin(&w);
                    json_int(&w, f);
                    json_int(&w, l);
                    json_array_end(&w);
                } else {
                    json_null(&w);
                }
            }
            strbuf_printf(&out->text, " %ld\n", r->ep[r->res.peak]);
            json_kv_int(&w, "peak_epoch", r->ep[r->res.peak]);
            json_kv_real(&w, "r_middle", r->res.r_middle);
            json_kv_int(&w, "n_middle", (long long)r->res.n_middle);
            json_object_end(&w);
        }
        strbuf_printf(&out->text, "\nr(Q, accuracy) in the middle phase\n");
        for (int i = 0; i < 2; i++)
            if (runs[i].ok) {
                if (isfinite(runs[i].res.r_middle))
                    strbuf_printf(&out->text, "%-7s %7.3f over %zu epochs\n", runs[i].name, runs[i].res.r_middle,
                                  runs[i].res.n_middle);
                else
                    strbuf_printf(&out->text, "%-7s     n/a (%zu epochs)\n", runs[i].name, runs[i].res.n_middle);
            }
        strbuf_printf(&out->text, "(seed paper 000: r = 0.981)\n\nRule:\n");
        wrap(&out->text, phases_rule_text(), 44);
        json_object_end(&w);
        for (int i = 0; i < 2 && !st; i++) {
            PhaseRun *r = &runs[i];
            if (!r->ok)
                continue;
            char label[48];
            snprintf(label, sizeof label, "Q %s (phases shaded)", r->name);
            const double *ys[1] = {r->q};
            if (job_result_add_lines(out, label, r->x, ys, 1, r->n)) {
                st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
                break;
            }
            JobPlot *pl = &out->plots[out->n_plots - 1];
            for (Phase p = PHASE_EARLY; p <= PHASE_LATE; p++) {
                long f, l;
                if (phase_span(r, p, &f, &l)) {
                    pl->range[p - 1][0] = (double)f;
                    pl->range[p - 1][1] = (double)l;
                }
            }
        }
        const PhaseRun *r0 = runs[0].ok ? &runs[0] : &runs[1];
        const double *ya[1] = {r0->acc};
        if (!st && job_result_add_lines(out, "test accuracy", r0->x, ya, 1, r0->n))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plots");
    }
    for (int i = 0; i < 2; i++)
        phase_run_done(&runs[i]);
    series_done(&t);
    return st;
}

/* ---- :confusion --------------------------------------------------------- */

/* Epochs visited for a class's history. */
#define CONFUSION_EPOCHS 40

static void confusion_table(const Snapshot *s, StrBuf *text)
{
    size_t k = s->eval.n_classes;
    const uint32_t *c = s->eval.confusion;
    strbuf_printf(text, "t\\p");
    for (size_t j = 0; j < k; j++)
        strbuf_printf(text, "%4zu", j);
    strbuf_append(text, "\n");
    for (size_t i = 0; i < k; i++) {
        strbuf_printf(text, "%3zu", i);
        for (size_t j = 0; j < k; j++)
            strbuf_printf(text, "%4u", (unsigned)c[i * k + j]);
        strbuf_append(text, "\n");
    }
    /* Per-class accuracy under its column (keeps the table 43 cells wide). */
    strbuf_printf(text, "ok%%");
    for (size_t i = 0; i < k; i++) {
        uint64_t row = 0;
        for (size_t j = 0; j < k; j++)
            row += c[i * k + j];
        if (row)
            strbuf_printf(text, "%4.0f", 100.0 * (double)c[i * k + i] / (double)row);
        else
            strbuf_printf(text, "%4s", "-");
    }
    strbuf_append(text, "\n");
}

/* Row i of the confusion matrix as shares of the class (NaN when empty). */
static void row_shares(const Snapshot *s, size_t i, double *out)
{
    size_t k = s->eval.n_classes;
    uint64_t row = 0;
    for (size_t j = 0; j < k; j++)
        row += s->eval.confusion[i * k + j];
    for (size_t j = 0; j < k; j++)
        out[j] = row ? (double)s->eval.confusion[i * k + j] / (double)row : NAN;
}

static Status class_history(Job *job, const Snapshot *s, const AnalysisArgs *a, size_t c, JobResult *out,
                            JsonWriter *w, char *msg)
{
    size_t k = s->eval.n_classes;
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    size_t idx[CONFUSION_EPOCHS];
    size_t m = jobs_pick_indices(t.n, CONFUSION_EPOCHS, idx);
    double *shares = malloc((m + 1) * k * sizeof(double)), *ex = malloc((m + 1) * sizeof(double));
    if (!shares || !ex)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    size_t done = 0;
    EpochSource src;
    epoch_source_init(&src, s, a);
    for (size_t i = 0; i < m && !st; i++) {
        Snapshot *se = NULL;
        char why[STATUS_MSG_LEN];
        if (epoch_source_get(&src, (size_t)t.epoch[idx[i]], 0, &se, why) == ST_OK && se->eval.n_classes == k) {
            row_shares(se, c, shares + done * k);
            shares[done * k + c] = NAN; /* the diagonal would drown the confusions */
            ex[done++] = t.epoch[idx[i]];
        }
        snapshot_release(se);
        job_set_progress(job, 0.2 + 0.7 * (double)(i + 1) / (double)m);
    }
    epoch_source_done(&src);
    if (!st && done == 0) {
        row_shares(s, c, shares);
        shares[c] = NAN;
        ex[done++] = (double)s->epoch;
    }
    if (!st) {
        /* The three classes c is most often taken for at the last epoch. */
        size_t top[3] = {k, k, k};
        const double *last = shares + (done - 1) * k;
        for (int r = 0; r < 3; r++)
            for (size_t j = 0; j < k; j++) {
                if (j == c || j == top[0] || j == top[1] || !isfinite(last[j]))
                    continue;
                if (top[r] == k || last[j] > last[top[r]])
                    top[r] = j;
            }
        strbuf_printf(&out->text, "\nClass %zu over %zu epochs: share predicted as\n epoch", c, done);
        for (int r = 0; r < 3; r++)
            if (top[r] < k)
                strbuf_printf(&out->text, "     %zu", top[r]);
        strbuf_printf(&out->text, "\n");
        size_t rows_idx[12];
        size_t nr = jobs_pick_indices(done, 12, rows_idx);
        for (size_t r = 0; r < nr; r++) {
            strbuf_printf(&out->text, "%6.0f", ex[rows_idx[r]]);
            for (int q = 0; q < 3; q++)
                if (top[q] < k)
                    strbuf_printf(&out->text, " %5.3f", shares[rows_idx[r] * k + top[q]]);
            strbuf_printf(&out->text, "\n");
        }
        json_kv_int(w, "class", (long long)c);
        json_key(w, "history_epochs");
        json_real_array(w, ex, done);
        json_key(w, "history_shares");
        json_real_array(w, shares, done * k);
        char label[48];
        snprintf(label, sizeof label, "class %zu taken for (row=epoch)", c);
        if (job_result_add_map(out, label, shares, done, k, 0))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the map");
        const double *ys[3];
        double *cols = malloc(3 * done * sizeof(double));
        size_t n_lines = 0;
        for (int q = 0; q < 3 && cols; q++)
            if (top[q] < k) {
                for (size_t i = 0; i < done; i++)
                    cols[n_lines * done + i] = shares[i * k + top[q]];
                ys[n_lines] = cols + n_lines * done;
                n_lines++;
            }
        snprintf(label, sizeof label, "class %zu: top %zu confusions", c, n_lines);
        if (!st && (!cols || (n_lines && job_result_add_lines(out, label, ex, ys, n_lines, done))))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plot");
        free(cols);
    }
    free(shares);
    free(ex);
    series_done(&t);
    return st;
}

Status job_confusion(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    size_t k = s->eval.n_classes;
    if (!s->eval.confusion || k == 0)
        return status_fail(msg, ST_EINVAL, "epoch %zu has no confusion matrix", s->epoch);
    if (a->cls >= 0 && (size_t)a->cls >= k)
        return status_fail(msg, ST_EINVAL, "the class must be from 0 to %zu, not %d", k - 1, a->cls);
    strbuf_printf(&out->text, "Confusion · held-out set · epoch %zu\n", s->epoch);
    strbuf_printf(&out->text, "accuracy %.4f; rows true, columns predicted\n\n", s->eval.accuracy);
    confusion_table(s, &out->text);
    double *shares = malloc(k * k * sizeof(double));
    if (!shares)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; i++) {
        row_shares(s, i, shares + i * k);
        shares[i * k + i] = NAN;
    }
    /* The largest confusions, for the text. */
    strbuf_printf(&out->text, "\nmost confused (true→predicted: share)\n");
    for (int r = 0; r < 5; r++) {
        size_t bi = 0, bj = 0;
        double best = 0.0;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                if (isfinite(shares[i * k + j]) && shares[i * k + j] > best) {
                    best = shares[i * k + j];
                    bi = i;
                    bj = j;
                }
        if (best <= 0.0)
            break;
        strbuf_printf(&out->text, "%s%zu→%zu: %.3f", r == 0 ? "" : r == 3 ? "\n" : "  ", bi, bj, best);
        shares[bi * k + bj] = -shares[bi * k + bj]; /* marked as listed */
    }
    strbuf_append(&out->text, "\n");
    for (size_t i = 0; i < k * k; i++)
        if (shares[i] < 0)
            shares[i] = -shares[i];
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_kv_real(&w, "accuracy", s->eval.accuracy);
    json_kv_int(&w, "n_classes", (long long)k);
    json_key(&w, "confusion");
    json_array_begin(&w);
    for (size_t i = 0; i < k * k; i++)
        json_int(&w, s->eval.confusion[i]);
    json_array_end(&w);
    Status st = job_result_add_map(out, "confusions (share, diag blank)", shares, k, k, 0);
    if (st)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the map");
    free(shares);
    job_set_progress(job, 0.2);
    if (!st && a->cls >= 0)
        st = class_history(job, s, a, (size_t)a->cls, out, &w, msg);
    json_object_end(&w);
    return st;
}
