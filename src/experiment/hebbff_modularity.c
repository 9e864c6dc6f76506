#include "neurotop/experiment/hebbff_modularity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Bounds on the instance and epoch cells, so a corrupt file cannot ask for
 * an absurd allocation. */
#define HM_MAX_INSTANCES 100000
#define HM_MAX_EPOCH 1000000

static const HebbffReadout READOUTS[HEBBFF_MODULARITY_READOUTS] = {
    {"fcq", "fcq_modules", "fcq_mean_r", "functional Q (whole probe, raw correlations)", HEBBFF_KIND_Q},
    {"fcq_reg", "fcq_reg_modules", "fcq_reg_mean_r", "functional Q (mean activation regressed out)", HEBBFF_KIND_Q},
    /* The whole weight graph: HebbFF's hidden subgraph is a star, whose Q
     * is only the sign balance of w2 (measure/weightgraph.h), so not that. */
    {"q_whole", NULL, NULL, "weight-graph Q (whole graph)", HEBBFF_KIND_Q},
    {"flex_q", "flex_communities", "fc_mean", "multilayer Q of the windowed functional network", HEBBFF_KIND_Q},
    {"flex_system", NULL, NULL, "flexibility (windowed functional network)", HEBBFF_KIND_FLEX},
};

/* The paper's statements (Gu et al. 2024: Fig. 4A/C and 5C/D and the text
 * beside them), each on one period. */
static const HebbffClaim CLAIMS[] = {
    {"Fig. 4A", "within runs r(Q, acc) > 0 in every window: early", HEBBFF_KIND_Q, 0, 1, HEBBFF_EARLY, +1},
    {"Fig. 4A", "within runs r(Q, acc) > 0, near 1 mid-training", HEBBFF_KIND_Q, 0, 1, HEBBFF_MID, +1},
    {"Fig. 4A", "within runs r(Q, acc) > 0 late (about 0.6)", HEBBFF_KIND_Q, 0, 1, HEBBFF_LATE, +1},
    {"Fig. 4A", "within runs r(communities, acc) runs opposite to Q's: < 0 mid-training", HEBBFF_KIND_Q, 1, 1,
     HEBBFF_MID, -1},
    {"Fig. 4A", "within runs r(communities, acc) near 0 late", HEBBFF_KIND_Q, 1, 1, HEBBFF_LATE, 0},
    {"Fig. 4C", "across instances r(Q, acc) > 0 early", HEBBFF_KIND_Q, 0, 0, HEBBFF_EARLY, +1},
    {"Fig. 4C", "across instances r(Q, acc) < 0 mid-training", HEBBFF_KIND_Q, 0, 0, HEBBFF_MID, -1},
    {"Fig. 4C", "across instances r(Q, acc) < 0 late", HEBBFF_KIND_Q, 0, 0, HEBBFF_LATE, -1},
    {"Fig. 4C", "across instances r(communities, acc) > 0 late", HEBBFF_KIND_Q, 1, 0, HEBBFF_LATE, +1},
    {"Fig. 5C", "across instances r(flexibility, acc) > 0 early", HEBBFF_KIND_FLEX, 0, 0, HEBBFF_EARLY, +1},
    {"Fig. 5C", "across instances r(flexibility, acc) < 0 late", HEBBFF_KIND_FLEX, 0, 0, HEBBFF_LATE, -1},
    {"Fig. 5D", "within runs r(flexibility, acc) near 0 late", HEBBFF_KIND_FLEX, 0, 1, HEBBFF_LATE, 0},
};

size_t hebbff_modularity_claims(void)
{
    return sizeof CLAIMS / sizeof CLAIMS[0];
}

const HebbffClaim *hebbff_modularity_claim(size_t k)
{
    return k < hebbff_modularity_claims() ? &CLAIMS[k] : NULL;
}

const char *hebbff_modularity_period_name(HebbffPeriod p)
{
    return p == HEBBFF_EARLY ? "early" : p == HEBBFF_MID ? "mid" : "late";
}

void hebbff_modularity_settings_default(HebbffModularitySettings *s)
{
    s->window = 0;
    s->n_boot = COHORT_BOOT_DEFAULT;
    s->boot_seed = COHORT_BOOT_SEED;
}

const CohortStat *hebbff_modularity_claim_stat(const HebbffModularityReport *r, const HebbffClaim *c, size_t k)
{
    if (k >= HEBBFF_MODULARITY_READOUTS || READOUTS[k].kind != c->kind || !r->readout[k].present)
        return NULL;
    if (c->modules && !r->readout[k].has_modules)
        return NULL;
    const HebbffSpan *p = &r->readout[k].periods[c->period];
    const CohortCorr *cc = c->modules ? &p->mod_corr : &p->corr;
    return c->within ? &cc->within : &cc->across;
}

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
static double span_mean(const double *v, const Series *s, size_t e0, size_t e1)
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

static void corr_clear(CohortCorr *c)
{
    CohortStat *st[2] = {&c->within, &c->across};
    memset(c, 0, sizeof *c);
    for (int q = 0; q < 2; q++) {
        st[q]->est = st[q]->lo = st[q]->hi = st[q]->half[0] = st[q]->half[1] = NAN;
        st[q]->agree = -1;
    }
    c->within_sd = NAN;
}

/* Epochs [from, to] of readout k: means and both correlations. */
static Status span_compute(const Series *s, size_t k, const CohortPlan *plan, size_t from, size_t to,
                           HebbffSpan *sp, char *msg)
{
    sp->epoch_from = from;
    sp->epoch_to = to;
    sp->acc = span_mean(s->acc, s, from, to);
    sp->value = span_mean(s->val[k], s, from, to);
    sp->modules = span_mean(s->mod[k], s, from, to);
    sp->mean_r = span_mean(s->meanr[k], s, from, to);
    corr_clear(&sp->mod_corr);
    Status st = cohort_corr(s->val[k], s->acc, s->n_inst, s->n_epochs, from, to + 1, plan, &sp->corr, msg);
    if (!st && s->mod[k])
        st = cohort_corr(s->mod[k], s->acc, s->n_inst, s->n_epochs, from, to + 1, plan, &sp->mod_corr, msg);
    return st;
}

static Status readout_compute(const Series *s, size_t k, const CohortPlan *plan, HebbffModularityReport *r,
                              char *msg)
{
    HebbffReadoutResult *ro = &r->readout[k];
    if (!s->val[k])
        return ST_OK;
    ro->present = 1;
    ro->has_modules = s->mod[k] != NULL;
    ro->windows = calloc(r->n_windows, sizeof *ro->windows);
    ro->epoch_r = malloc(s->n_epochs * sizeof *ro->epoch_r);
    ro->epoch_n = calloc(s->n_epochs, sizeof *ro->epoch_n);
    ro->epoch_r_mod = s->mod[k] ? malloc(s->n_epochs * sizeof *ro->epoch_r_mod) : NULL;
    if (!ro->windows || !ro->epoch_r || !ro->epoch_n || (s->mod[k] && !ro->epoch_r_mod))
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t e = 0; e < s->n_epochs; e++) {
        ro->epoch_r[e] = e < r->first_epoch ? NAN
                                            : cohort_epoch_r(s->val[k], s->acc, s->n_inst, s->n_epochs, e,
                                                             &ro->epoch_n[e]);
        if (ro->epoch_r_mod)
            ro->epoch_r_mod[e] =
                e < r->first_epoch ? NAN : cohort_epoch_r(s->mod[k], s->acc, s->n_inst, s->n_epochs, e, NULL);
    }
    Status st = ST_OK;
    for (size_t j = 0; j < r->n_windows && !st; j++) {
        size_t from = r->first_epoch + j * r->width;
        st = span_compute(s, k, plan, from, from + r->width - 1, &ro->windows[j], msg);
        const CohortStat *q[2] = {&ro->windows[j].corr.within, &ro->windows[j].corr.across};
        for (int w = 0; w < 2 && !st; w++)
            if (q[w]->agree >= 0) {
                ro->halves_defined[w]++;
                ro->halves_agree[w] += (size_t)q[w]->agree;
            }
    }
    /* Thirds of the trained epochs first..E. */
    size_t trained = s->n_epochs - r->first_epoch;
    for (size_t p = 0; p < HEBBFF_MODULARITY_PERIODS && !st; p++) {
        size_t from = r->first_epoch + p * trained / HEBBFF_MODULARITY_PERIODS;
        size_t to = r->first_epoch + (p + 1) * trained / HEBBFF_MODULARITY_PERIODS - 1;
        st = span_compute(s, k, plan, from, to, &ro->periods[p], msg);
    }
    return st;
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

/* The split-half groups: the parity of each instance's seed. */
static Status make_plan(const Series *s, const HebbffModularitySettings *set, HebbffModularityReport *r,
                        CohortPlan *plan, char *msg)
{
    unsigned char *g = malloc(s->n_inst);
    if (!g)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_inst; i++) {
        double sd = s->seed[i];
        g[i] = isfinite(sd) && sd >= 0 && sd < 9007199254740992.0 ? (unsigned char)fmod(sd, 2.0)
                                                                  : (unsigned char)(i % 2);
        r->half_n[g[i]]++;
    }
    Status st = cohort_plan_init(plan, s->n_inst, set->n_boot, set->boot_seed, g, msg);
    free(g);
    return st;
}

Status hebbff_modularity_compute(const SummaryTable *t, const HebbffModularitySettings *set,
                                 HebbffModularityReport *out, char *msg)
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
    out->width = set->window ? set->window : (s.n_epochs - 1) / 10;
    if (out->width < HEBBFF_MODULARITY_MIN_WINDOW)
        out->width = HEBBFF_MODULARITY_MIN_WINDOW;
    if (out->width > s.n_epochs - 1)
        out->width = s.n_epochs - 1;
    out->n_windows = (s.n_epochs - 1) / out->width;
    out->n_boot = set->n_boot;
    out->boot_seed = set->boot_seed;
    CohortPlan plan = {0};
    st = make_plan(&s, set, out, &plan, msg);
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS && !st; k++)
        st = readout_compute(&s, k, &plan, out, msg);
    cohort_plan_done(&plan);
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
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
        free(r->readout[k].windows);
        free(r->readout[k].epoch_r);
        free(r->readout[k].epoch_r_mod);
        free(r->readout[k].epoch_n);
    }
    free(r->modes);
    memset(r, 0, sizeof *r);
}
