/* Writing the tables of `neurotop experiment hebbff-modularity` into the
 * batch folder. */
#include "neurotop/experiment/hebbff_modularity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"

static void csv_num(StrBuf *b, double v)
{
    if (isfinite(v))
        strbuf_printf(b, ",%.6g", v);
    else
        strbuf_append(b, ",");
}

static void csv_agree(StrBuf *b, int agree)
{
    if (agree < 0)
        strbuf_append(b, ",");
    else
        strbuf_printf(b, ",%d", agree);
}

static Status write_table(const char *dir, const char *name, const StrBuf *b, char *msg)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (strbuf_failed(b))
        return status_fail(msg, ST_ENOMEM, "out of memory writing %s", path);
    return file_write_atomic(path, b->data, b->len, msg);
}

static void stat_cells(StrBuf *b, const CohortStat *s)
{
    csv_num(b, s->est);
    csv_num(b, s->lo);
    csv_num(b, s->hi);
}

static void halves_cells(StrBuf *b, const CohortStat *s)
{
    csv_num(b, s->half[0]);
    csv_num(b, s->half[1]);
    csv_agree(b, s->agree);
}

/* One row: readout k, its value (modules = 0) or module count, a span. */
static void span_row(StrBuf *b, size_t k, int modules, const char *span, const HebbffSpan *sp)
{
    const CohortCorr *c = modules ? &sp->mod_corr : &sp->corr;
    strbuf_printf(b, "%s,%s,%s,%zu,%zu", hebbff_modularity_readout(k)->key, modules ? "modules" : "value", span,
                  sp->epoch_from, sp->epoch_to);
    csv_num(b, sp->acc);
    csv_num(b, modules ? sp->modules : sp->value);
    csv_num(b, sp->mean_r);
    stat_cells(b, &c->within);
    csv_num(b, c->within_sd);
    strbuf_printf(b, ",%zu,%zu", c->within_n, c->within_pos);
    halves_cells(b, &c->within);
    strbuf_printf(b, ",%zu", c->within.boot_n);
    stat_cells(b, &c->across);
    strbuf_printf(b, ",%zu", c->across_epochs);
    halves_cells(b, &c->across);
    strbuf_printf(b, ",%zu\n", c->across.boot_n);
}

static Status write_spans(const HebbffModularityReport *r, const char *dir, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "readout,series,span,epoch_from,epoch_to,acc_mean,series_mean,mean_r_mean,"
                      "within_r,within_lo,within_hi,within_sd,within_n,within_pos,within_even,within_odd,"
                      "within_agree,within_boot_n,across_r,across_lo,across_hi,across_epochs,across_even,"
                      "across_odd,across_agree,across_boot_n\n");
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
        const HebbffReadoutResult *ro = &r->readout[k];
        for (int m = 0; ro->present && m <= ro->has_modules; m++) {
            char span[32];
            for (size_t j = 0; j < r->n_windows; j++) {
                snprintf(span, sizeof span, "%zu", j);
                span_row(&b, k, m, span, &ro->windows[j]);
            }
            for (int p = 0; p < HEBBFF_MODULARITY_PERIODS; p++)
                span_row(&b, k, m, hebbff_modularity_period_name((HebbffPeriod)p), &ro->periods[p]);
        }
    }
    Status st = write_table(dir, HEBBFF_MODULARITY_TABLE, &b, msg);
    strbuf_done(&b);
    return st;
}

static Status write_epochs(const HebbffModularityReport *r, const char *dir, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "readout,epoch,n,r_value,r_modules\n");
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
        const HebbffReadoutResult *ro = &r->readout[k];
        for (size_t e = r->first_epoch; ro->present && e < r->n_epochs; e++) {
            strbuf_printf(&b, "%s,%zu,%zu", hebbff_modularity_readout(k)->key, e, ro->epoch_n[e]);
            csv_num(&b, ro->epoch_r[e]);
            csv_num(&b, ro->epoch_r_mod ? ro->epoch_r_mod[e] : NAN);
            strbuf_append(&b, "\n");
        }
    }
    Status st = write_table(dir, HEBBFF_MODULARITY_EPOCHS, &b, msg);
    strbuf_done(&b);
    return st;
}

static Status write_modes(const HebbffModularityReport *r, const char *dir, char *msg)
{
    StrBuf b;
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
    Status st = write_table(dir, HEBBFF_MODULARITY_MODES, &b, msg);
    strbuf_done(&b);
    return st;
}


Status hebbff_modularity_write(const HebbffModularityReport *r, const char *dir, char *msg)
{
    Status st = write_spans(r, dir, msg);
    if (!st)
        st = write_epochs(r, dir, msg);
    if (!st)
        st = write_modes(r, dir, msg);
    return st;
}

Status hebbff_modularity_run(const char *dir, const HebbffModularitySettings *set, HebbffModularityReport *out,
                             char *msg)
{
    memset(out, 0, sizeof *out);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, SUMMARY_TABLE_NAME);
    SummaryTable t;
    Status st = summary_table_read(path, &t, msg);
    if (st)
        return st;
    st = hebbff_modularity_compute(&t, set, out, msg);
    summary_table_done(&t);
    if (!st && (st = hebbff_modularity_write(out, dir, msg)))
        hebbff_modularity_done(out);
    return st;
}
