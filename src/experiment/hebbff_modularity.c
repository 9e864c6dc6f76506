#include "neurotop/experiment/hebbff_modularity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"

/* Bounds on the instance and epoch cells, so a corrupt file cannot ask for
 * an absurd allocation. */
#define HM_MAX_INSTANCES 100000
#define HM_MAX_EPOCH 1000000

static const HebbffReadout READOUTS[HEBBFF_MODULARITY_READOUTS] = {
    {"fcq", "fcq_modules", "fcq_mean_r", "functional Q (whole probe, raw correlations)"},
    {"fcq_reg", "fcq_reg_modules", "fcq_reg_mean_r", "functional Q (mean activation regressed out)"},
    /* The whole weight graph: HebbFF's hidden subgraph is a star, whose Q
     * is only the sign balance of w2 (measure/weightgraph.h), so not that. */
    {"q_whole", NULL, NULL, "weight-graph Q (whole graph)"},
    {"flex_q", "flex_communities", "fc_mean", "multilayer Q of the windowed functional network"},
    {"flex_system", NULL, NULL, "flexibility (windowed functional network)"},
};

const HebbffReadout *hebbff_modularity_readout(size_t k)
{
    return k < HEBBFF_MODULARITY_READOUTS ? &READOUTS[k] : NULL;
}

/* The table as n_inst × n_epochs series (NaN where no row). */
typedef struct {
    size_t n_inst, n_epochs;
    int ci, ce;                 /* instance and epoch columns */
    double *seed;               /* n_inst */
    double *acc, *eta;
    double *val[HEBBFF_MODULARITY_READOUTS], *mod[HEBBFF_MODULARITY_READOUTS], *meanr[HEBBFF_MODULARITY_READOUTS];
} Series;

static void series_done(Series *s)
{
    free(s->seed);
    free(s->acc);
    free(s->eta);
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
        free(s->val[k]);
        free(s->mod[k]);
        free(s->meanr[k]);
    }
    memset(s, 0, sizeof *s);
}

/* Column `name` as a series, or NULL when the table lacks it (or name is
 * NULL); *failed is set on ENOMEM. */
static double *column_series(const SummaryTable *t, const Series *s, const char *name, int *failed)
{
    int col = name ? summary_table_column(t, name) : -1;
    if (col < 0)
        return NULL;
    size_t n = s->n_inst * s->n_epochs;
    double *v = malloc(n * sizeof *v);
    if (!v) {
        *failed = 1;
        return NULL;
    }
    for (size_t j = 0; j < n; j++)
        v[j] = NAN;
    for (size_t r = 0; r < t->rows; r++) {
        const double *row = t->v + r * t->cols;
        v[(size_t)row[s->ci] * s->n_epochs + (size_t)row[s->ce]] = row[col];
    }
    return v;
}

static Status series_from_table(const SummaryTable *t, Series *s, char *msg)
{
    memset(s, 0, sizeof *s);
    s->ci = summary_table_column(t, "instance");
    s->ce = summary_table_column(t, "epoch");
    int cs = summary_table_column(t, "seed"), ca = summary_table_column(t, "test_acc");
    if (s->ci < 0 || cs < 0 || s->ce < 0 || ca < 0)
        return status_fail(msg, ST_EFORMAT, "the summary lacks one of the columns instance, seed, epoch, test_acc");
    if (t->rows == 0)
        return status_fail(msg, ST_EFORMAT, "the summary has no rows");
    for (size_t r = 0; r < t->rows; r++) {
        const double *row = t->v + r * t->cols;
        double i = row[s->ci], e = row[s->ce];
        if (!(i >= 0 && i < HM_MAX_INSTANCES && e >= 0 && e <= HM_MAX_EPOCH) || i != floor(i) || e != floor(e))
            return status_fail(msg, ST_EFORMAT, "row %zu of the summary has an invalid instance or epoch", r + 2);
        if ((size_t)i + 1 > s->n_inst)
            s->n_inst = (size_t)i + 1;
        if ((size_t)e + 1 > s->n_epochs)
            s->n_epochs = (size_t)e + 1;
    }
    s->seed = malloc(s->n_inst * sizeof *s->seed);
    if (!s->seed)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_inst; i++)
        s->seed[i] = NAN;
    for (size_t r = 0; r < t->rows; r++)
        s->seed[(size_t)t->v[r * t->cols + s->ci]] = t->v[r * t->cols + cs];
    int failed = 0;
    s->acc = column_series(t, s, "test_acc", &failed);
    s->eta = column_series(t, s, "eta", &failed);
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
        s->val[k] = column_series(t, s, READOUTS[k].key, &failed);
        s->mod[k] = column_series(t, s, READOUTS[k].modules_key, &failed);
        s->meanr[k] = column_series(t, s, READOUTS[k].meanr_key, &failed);
    }
    if (failed) {
        series_done(s);
        return status_fail(msg, ST_ENOMEM, "out of memory for the summary's series");
    }
    return ST_OK;
}

/* Mean of the finite entries of v over every instance and epochs [e0, e1]. */
static double window_mean(const double *v, const Series *s, size_t e0, size_t e1)
{
    if (!v)
        return NAN;
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < s->n_inst; i++)
        for (size_t e = e0; e <= e1; e++) {
            double x = v[i * s->n_epochs + e];
            if (isfinite(x)) {
                sum += x;
                n++;
            }
        }
    return n ? sum / (double)n : NAN;
}

static Status readout_windows(const Series *s, size_t k, HebbffModularityReport *r, char *msg)
{
    HebbffReadoutResult *ro = &r->readout[k];
    ro->early_peak[0] = ro->early_peak[1] = ro->late[0] = ro->late[1] = NAN;
    if (!s->val[k])
        return ST_OK;
    ro->present = 1;
    ro->windows = calloc(r->n_windows, sizeof *ro->windows);
    if (!ro->windows)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    double late_sum[2] = {0, 0};
    size_t late_n[2] = {0, 0};
    for (size_t j = 0; j < r->n_windows; j++) {
        HebbffWindow *w = &ro->windows[j];
        w->epoch_from = r->first_epoch + j * r->width;
        w->epoch_to = w->epoch_from + r->width - 1;
        if (w->epoch_to > s->n_epochs - 1)
            w->epoch_to = s->n_epochs - 1;
        size_t e1 = w->epoch_to + 1;
        Status st = cohort_window_corr(s->val[k], s->acc, s->n_inst, s->n_epochs, w->epoch_from, e1, &w->corr, msg);
        w->modules_across = NAN;
        if (!st && s->mod[k]) {
            CohortCorr cm;
            st = cohort_window_corr(s->mod[k], s->acc, s->n_inst, s->n_epochs, w->epoch_from, e1, &cm, msg);
            w->modules_across = cm.across;
        }
        if (st)
            return st;
        w->acc = window_mean(s->acc, s, w->epoch_from, w->epoch_to);
        w->value = window_mean(s->val[k], s, w->epoch_from, w->epoch_to);
        w->modules = window_mean(s->mod[k], s, w->epoch_from, w->epoch_to);
        w->mean_r = window_mean(s->meanr[k], s, w->epoch_from, w->epoch_to);
        const double pair[2] = {w->corr.within, w->corr.across};
        for (int q = 0; q < 2; q++) {
            if (!isfinite(pair[q]))
                continue;
            if (j >= r->first_late) {
                late_sum[q] += pair[q];
                late_n[q]++;
            } else if (!(ro->early_peak[q] >= pair[q])) {
                ro->early_peak[q] = pair[q];
            }
        }
    }
    for (int q = 0; q < 2; q++)
        ro->late[q] = late_n[q] ? late_sum[q] / (double)late_n[q] : NAN;
    return ST_OK;
}

static void classify_modes(const Series *s, HebbffModularityReport *r)
{
    cohort_mode_rule_default(s->n_epochs, &r->rule);
    for (size_t i = 0; i < s->n_inst; i++) {
        HebbffInstanceMode *m = &r->modes[i];
        const double *a = s->acc + i * s->n_epochs;
        m->seed = s->seed[i];
        m->final_acc = m->final_eta = NAN;
        if (cohort_classify(a, s->n_epochs, &r->rule, &m->result, m->problem))
            continue;
        m->classified = 1;
        size_t last = s->n_epochs - 1;
        while (last > 0 && !isfinite(a[last]))
            last--;
        m->final_acc = a[last];
        m->final_eta = s->eta ? s->eta[i * s->n_epochs + last] : NAN;
        r->classified++;
        r->mode_count[m->result.mode]++;
        r->reached90 += m->result.best >= 0.9;
        r->negative_eta += m->final_eta < 0;
    }
}

Status hebbff_modularity_compute(const SummaryTable *t, size_t window, HebbffModularityReport *out, char *msg)
{
    memset(out, 0, sizeof *out);
    Series s;
    Status st = series_from_table(t, &s, msg);
    if (st)
        return st;
    if (s.n_epochs < 4) {
        series_done(&s);
        return status_fail(msg, ST_EINVAL, "the summary needs at least 3 trained epochs");
    }
    out->n_inst = s.n_inst;
    out->n_epochs = s.n_epochs;
    out->first_epoch = 1; /* epoch 0 is the untrained network */
    out->width = window ? window : (s.n_epochs - 1) / 10;
    if (out->width < HEBBFF_MODULARITY_MIN_WINDOW)
        out->width = HEBBFF_MODULARITY_MIN_WINDOW;
    if (out->width > s.n_epochs - 1)
        out->width = s.n_epochs - 1;
    out->n_windows = (s.n_epochs - 1) / out->width;
    out->first_late = out->n_windows - (out->n_windows + 2) / 3;
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS && !st; k++)
        st = readout_windows(&s, k, out, msg);
    if (!st) {
        out->modes = calloc(s.n_inst, sizeof *out->modes);
        if (!out->modes)
            st = status_fail(msg, ST_ENOMEM, "out of memory");
        else
            classify_modes(&s, out);
    }
    series_done(&s);
    if (st)
        hebbff_modularity_done(out);
    return st;
}

void hebbff_modularity_done(HebbffModularityReport *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++)
        free(r->readout[k].windows);
    free(r->modes);
    memset(r, 0, sizeof *r);
}

/* ---- files -------------------------------------------------------------- */

static void csv_num(StrBuf *b, double v)
{
    if (isfinite(v))
        strbuf_printf(b, ",%.6g", v);
    else
        strbuf_append(b, ",");
}

static Status write_table(const char *dir, const char *name, const StrBuf *b, char *msg)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (strbuf_failed(b))
        return status_fail(msg, ST_ENOMEM, "out of memory writing %s", path);
    return file_write_atomic(path, b->data, b->len, msg);
}

Status hebbff_modularity_write(const HebbffModularityReport *r, const char *dir, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "readout,window,epoch_from,epoch_to,acc_mean,value_mean,modules_mean,mean_r_mean,within_r,"
                      "within_sd,within_n,within_pos,across_r,across_n,across_modules_r\n");
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++)
        for (size_t j = 0; r->readout[k].present && j < r->n_windows; j++) {
            const HebbffWindow *w = &r->readout[k].windows[j];
            strbuf_printf(&b, "%s,%zu,%zu,%zu", READOUTS[k].key, j, w->epoch_from, w->epoch_to);
            csv_num(&b, w->acc);
            csv_num(&b, w->value);
            csv_num(&b, w->modules);
            csv_num(&b, w->mean_r);
            csv_num(&b, w->corr.within);
            csv_num(&b, w->corr.within_sd);
            strbuf_printf(&b, ",%zu,%zu", w->corr.within_n, w->corr.within_pos);
            csv_num(&b, w->corr.across);
            strbuf_printf(&b, ",%zu", w->corr.across_n);
            csv_num(&b, w->modules_across);
            strbuf_append(&b, "\n");
        }
    Status st = write_table(dir, HEBBFF_MODULARITY_TABLE, &b, msg);
    strbuf_done(&b);
    if (st)
        return st;
    strbuf_init(&b);
    strbuf_append(&b, "instance,seed,mode,rise_epoch,flat_epochs,plateau,best,best_epoch,peak_epoch,trough_epoch,"
                      "dip_depth,final_gain,final_acc,final_eta\n");
    for (size_t i = 0; i < r->n_inst; i++) {
        const HebbffInstanceMode *m = &r->modes[i];
        if (!m->classified)
            continue;
        const CohortModeResult *c = &m->result;
        strbuf_printf(&b, "%zu,%.0f,%s,%zu,%zu,%.6g,%.6g,%zu,%zu,%zu,%.6g,%.6g,%.6g", i, m->seed,
                      cohort_mode_name(c->mode), c->rise_epoch, c->flat_epochs, c->plateau, c->best, c->best_epoch,
                      c->peak_epoch, c->trough_epoch, c->dip_depth, c->final_gain, m->final_acc);
        csv_num(&b, m->final_eta);
        strbuf_append(&b, "\n");
    }
    st = write_table(dir, HEBBFF_MODULARITY_MODES, &b, msg);
    strbuf_done(&b);
    return st;
}

Status hebbff_modularity_run(const char *dir, size_t window, HebbffModularityReport *out, char *msg)
{
    memset(out, 0, sizeof *out);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, SUMMARY_TABLE_NAME);
    SummaryTable t;
    Status st = summary_table_read(path, &t, msg);
    if (st)
        return st;
    st = hebbff_modularity_compute(&t, window, out, msg);
    summary_table_done(&t);
    if (!st && (st = hebbff_modularity_write(out, dir, msg)))
        hebbff_modularity_done(out);
    return st;
}
