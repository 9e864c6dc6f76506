/* The confusion matrix of the shown epoch and a class's history
 * (info_confusion.h). */
#include "neurotop/measure/info_confusion.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"

/* Rows of the history table. */
#define HISTORY_ROWS 12

void confusion_result_done(ConfusionResult *r)
{
    free(r->counts);
    free(r->shares);
    free(r->history_epochs);
    free(r->history_shares);
    memset(r, 0, sizeof *r);
}

/* Row i of a snapshot's matrix as shares of the class (NaN when empty),
 * its diagonal entry NaN: it would drown the confusions. */
static void row_shares(const Snapshot *s, size_t i, double *out)
{
    size_t k = s->eval.n_classes;
    uint64_t row = 0;
    for (size_t j = 0; j < k; j++)
        row += s->eval.confusion[i * k + j];
    for (size_t j = 0; j < k; j++)
        out[j] = row ? (double)s->eval.confusion[i * k + j] / (double)row : NAN;
    out[i] = NAN;
}

/* The CONFUSION_TOP largest positive shares off the diagonal. */
static void top_confusions(ConfusionResult *r)
{
    size_t k = r->k;
    for (size_t t = 0; t < CONFUSION_TOP; t++) {
        size_t bi = 0, bj = 0;
        double best = 0.0;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double v = r->shares[i * k + j];
                int listed = 0;
                for (size_t u = 0; u < t; u++)
                    listed |= r->top_true[u] == i && r->top_pred[u] == j;
                if (isfinite(v) && v > best && !listed) {
                    best = v;
                    bi = i;
                    bj = j;
                }
            }
        if (best <= 0.0)
            break;
        r->top_true[t] = bi;
        r->top_pred[t] = bj;
        r->top_share[t] = best;
        r->n_top = t + 1;
    }
}

/* The (up to) three classes r->cls is most often taken for at the last
 * epoch of its history. */
static void most_taken(ConfusionResult *r)
{
    size_t k = r->k, c = (size_t)r->cls;
    const double *last = r->history_shares + (r->n_history - 1) * k;
    r->n_taken = 0;
    for (size_t t = 0; t < 3; t++) {
        size_t best = k;
        for (size_t j = 0; j < k; j++) {
            int taken = j == c || !isfinite(last[j]);
            for (size_t u = 0; u < t; u++)
                taken |= r->taken[u] == j;
            if (!taken && (best == k || last[j] > last[best]))
                best = j;
        }
        if (best == k)
            break;
        r->taken[r->n_taken++] = best;
    }
}

/* The row of class r->cls at every recorded epoch whose snapshot can be
 * read (the shown one alone when none can). */
static Status class_history(Job *job, const Snapshot *s, const AnalysisArgs *a, ConfusionResult *r, char *msg)
{
    size_t k = r->k, c = (size_t)r->cls;
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    size_t m = t.n;
    r->history_shares = malloc((m + 1) * k * sizeof *r->history_shares);
    r->history_epochs = malloc((m + 1) * sizeof *r->history_epochs);
    if (!r->history_shares || !r->history_epochs)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the history of %zu epochs", m);
    EpochSource src;
    epoch_source_init(&src, s, a);
    for (size_t i = 0; i < m && !st; i++) {
        Snapshot *se = NULL;
        char why[STATUS_MSG_LEN];
        if (epoch_source_get(&src, (size_t)t.epoch[i], 0, &se, why) == ST_OK && se->eval.confusion &&
            se->eval.n_classes == k) {
            row_shares(se, c, r->history_shares + r->n_history * k);
            r->history_epochs[r->n_history++] = t.epoch[i];
        }
        snapshot_release(se);
        job_set_progress(job, 0.2 + 0.7 * (double)(i + 1) / (double)m);
    }
    epoch_source_done(&src);
    series_done(&t);
    if (!st && r->n_history == 0) {
        row_shares(s, c, r->history_shares);
        r->history_epochs[r->n_history++] = (double)s->epoch;
    }
    if (!st)
        most_taken(r);
    return st;
}

Status confusion_compute(Job *job, const Snapshot *s, const AnalysisArgs *a, ConfusionResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    size_t k = s->eval.n_classes;
    r->cls = -1;
    if (!s->eval.confusion || k == 0)
        return status_fail(msg, ST_EINVAL, "epoch %zu has no confusion matrix", s->epoch);
    if (a->cls >= 0 && (size_t)a->cls >= k)
        return status_fail(msg, ST_EINVAL, "the class must be from 0 to %zu, not %d", k - 1, a->cls);
    r->k = k;
    r->accuracy = s->eval.accuracy;
    r->counts = malloc(k * k * sizeof *r->counts);
    r->shares = malloc(k * k * sizeof *r->shares);
    if (!r->counts || !r->shares) {
        confusion_result_done(r);
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu x %zu confusion matrix", k, k);
    }
    memcpy(r->counts, s->eval.confusion, k * k * sizeof *r->counts);
    for (size_t i = 0; i < k; i++)
        row_shares(s, i, r->shares + i * k);
    top_confusions(r);
    job_set_progress(job, 0.2);
    r->cls = a->cls;
    Status st = a->cls >= 0 ? class_history(job, s, a, r, msg) : ST_OK;
    if (st)
        confusion_result_done(r);
    return st;
}

void confusion_json(const ConfusionResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_real(w, "accuracy", r->accuracy);
    json_kv_int(w, "n_classes", (long long)r->k);
    json_key(w, "confusion");
    json_array_begin(w);
    for (size_t i = 0; i < r->k * r->k; i++)
        json_int(w, r->counts[i]);
    json_array_end(w);
    if (r->cls >= 0) {
        json_kv_int(w, "class", r->cls);
        json_key(w, "history_epochs");
        json_real_array(w, r->history_epochs, r->n_history);
        json_key(w, "history_shares");
        json_real_array(w, r->history_shares, r->n_history * r->k);
    }
    json_object_end(w);
}

/* The counts with the per-class accuracy under each column: columns one
 * wider than the largest count (at least 4: 43 cells for 10 classes with
 * 3-digit counts, 53 with 4-digit ones), so they never run together. */
static void view_table(const ConfusionResult *r, StrBuf *t)
{
    size_t k = r->k;
    uint32_t most = 0;
    for (size_t i = 0; i < k * k; i++)
        most = r->counts[i] > most ? r->counts[i] : most;
    char buf[16];
    int w = snprintf(buf, sizeof buf, "%u", (unsigned)most) + 1;
    w = w < 4 ? 4 : w;
    int lw = snprintf(buf, sizeof buf, "%zu", k - 1);
    lw = lw < 3 ? 3 : lw;
    strbuf_printf(t, "%-*s", lw, "t\\p");
    for (size_t j = 0; j < k; j++)
        strbuf_printf(t, "%*zu", w, j);
    strbuf_append(t, "\n");
    for (size_t i = 0; i < k; i++) {
        strbuf_printf(t, "%*zu", lw, i);
        for (size_t j = 0; j < k; j++)
            strbuf_printf(t, "%*u", w, (unsigned)r->counts[i * k + j]);
        strbuf_append(t, "\n");
    }
    strbuf_printf(t, "%-*s", lw, "ok%");
    for (size_t i = 0; i < k; i++) {
        uint64_t row = 0;
        for (size_t j = 0; j < k; j++)
            row += r->counts[i * k + j];
        if (row)
            strbuf_printf(t, "%*.0f", w, 100.0 * (double)r->counts[i * k + i] / (double)row);
        else
            strbuf_printf(t, "%*s", w, "-");
    }
    strbuf_append(t, "\n");
}

static Status view_history(const ConfusionResult *r, JobResult *out)
{
    StrBuf *t = &out->text;
    size_t k = r->k, n = r->n_history;
    strbuf_printf(t, "\nClass %d over %zu epochs: share predicted as\n epoch", r->cls, n);
    for (size_t q = 0; q < r->n_taken; q++)
        strbuf_printf(t, "     %zu", r->taken[q]);
    strbuf_printf(t, "\n");
    size_t rows[HISTORY_ROWS];
    size_t nr = jobs_pick_indices(n, HISTORY_ROWS, rows);
    for (size_t i = 0; i < nr; i++) {
        strbuf_printf(t, "%6.0f", r->history_epochs[rows[i]]);
        for (size_t q = 0; q < r->n_taken; q++)
            strbuf_printf(t, " %5.3f", r->history_shares[rows[i] * k + r->taken[q]]);
        strbuf_printf(t, "\n");
    }
    char label[48];
    snprintf(label, sizeof label, "class %d taken for (row=epoch)", r->cls);
    Status st = job_result_add_map(out, label, r->history_shares, n, k, 0);
    double *cols = malloc((n ? 3 * n : 1) * sizeof *cols);
    if (!st && !cols)
        st = ST_ENOMEM;
    const double *ys[3];
    for (size_t q = 0; !st && q < r->n_taken; q++) {
        for (size_t i = 0; i < n; i++)
            cols[q * n + i] = r->history_shares[i * k + r->taken[q]];
        ys[q] = cols + q * n;
    }
    snprintf(label, sizeof label, "class %d: top %zu confusions", r->cls, r->n_taken);
    size_t before = out->n_plots;
    if (!st && r->n_taken)
        st = job_result_add_lines(out, label, r->history_epochs, ys, r->n_taken, n);
    for (size_t q = 0; !st && out->n_plots > before && q < r->n_taken; q++)
        snprintf(out->plots[before].names[q], sizeof out->plots[before].names[q], "as %zu", r->taken[q]);
    free(cols);
    return st;
}

Status confusion_view(const ConfusionResult *r, const Snapshot *s, JobResult *out)
{
    StrBuf *t = &out->text;
    strbuf_printf(t, "Confusion · held-out set · epoch %zu\n", s->epoch);
    strbuf_printf(t, "accuracy %.4f; rows true, columns predicted\n\n", r->accuracy);
    view_table(r, t);
    strbuf_printf(t, "\nmost confused (true→predicted: share)\n");
    for (size_t i = 0; i < r->n_top; i++)
        strbuf_printf(t, "%s%zu→%zu: %.3f", i == 0 ? "" : i == 3 ? "\n" : "  ", r->top_true[i], r->top_pred[i],
                      r->top_share[i]);
    strbuf_append(t, "\n");
    Status st = job_result_add_map(out, "confusions (share, diag blank)", r->shares, r->k, r->k, 0);
    if (!st && r->cls >= 0)
        st = view_history(r, out);
    return st;
}

Status confusion_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Status st = jobs_need_snapshot(s, "confusion", msg);
    if (st)
        return st;
    ConfusionResult r;
    if ((st = confusion_compute(job, s, a, &r, msg)))
        return st;
    JsonWriter w;
    json_init(&w, &out->json);
    confusion_json(&r, s, &w);
    if (confusion_view(&r, s, out))
        st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
    confusion_result_done(&r);
    return st;
}
