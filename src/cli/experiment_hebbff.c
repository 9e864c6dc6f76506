/* `neurotop experiment hebbff-modularity`: seed paper 001's cohort analysis
 * (Fig. 4A/C, 5C/D, 6) on K HebbFF instances trained by `--instances`, or
 * read back from a batch folder with --from. */
#include "neurotop/cli/experiment_hebbff.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/cohort.h"
#include "neurotop/cli/instances.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"

#define HM_TABLE "hebbff-modularity.csv"
#define HM_MODES "hebbff-modes.csv"
#define HM_DEFAULT_INSTANCES 16
#define HM_DEFAULT_EPOCHS 120
#define HM_DEFAULT_WINDOWS 50 /* FC windows of the flexibility: 50 × 50 items, as the paper */
#define HM_DEFAULT_FLEXREPS 2 /* Louvain runs of the flexibility per epoch (the live default is 1) */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: neurotop experiment hebbff-modularity [options]\n\n"
            "Seed paper 001 (HebbFF on continual familiarity): trains K instances (seeds S..S+K-1,\n"
            "J at a time, like `train --headless --instances`) or reads a batch folder, then per\n"
            "window of epochs reports the correlation of modularity and accuracy within instances\n"
            "(mean over instances of r over the window's epochs) and across instances (r over\n"
            "instances of the window means) - the paper's Fig. 4A/C - for the whole-probe\n"
            "functional network of the hidden units (raw and mean-regressed), the weight graph's\n"
            "hidden Q, and flexibility (Fig. 5C/D); classifies each run's learning mode (Fig. 6);\n"
            "prints the paper's statements beside the measured numbers and writes the tables as\n"
            "CSV into the batch folder (" HM_TABLE ", " HM_MODES ").\n\n"
            "Options:\n"
            "  --instances K    instances to train (default %d)\n"
            "  --jobs J         instances at once (default: cores)\n"
            "  --epochs E       epochs per instance (default %d)\n"
            "  --window W       epochs per window (default: E/10, at least 3)\n"
            "  --from DIR       analyse an existing batch folder (its summary.csv) instead of training\n"
            "  --seed S         first seed (default 0)\n"
            "  --runs DIR       where the batch folder is created (default runs)\n"
            "  and any `neurotop train` option (--lr, --batch, --hidden, --task-*, --qreps,\n"
            "  --flexreps (default %d here), --fc-windows (default %d here), --save-every (default\n"
            "  10 here), ...)\n",
            HM_DEFAULT_INSTANCES, HM_DEFAULT_EPOCHS, HM_DEFAULT_FLEXREPS, HM_DEFAULT_WINDOWS);
}

/* A readout compared with accuracy: its key and the paper's statement. */
typedef struct {
    const char *key, *modules_key, *meanr_key, *label;
} Readout;

static const Readout READOUTS[] = {
    {"fcq", "fcq_modules", "fcq_mean_r", "functional Q (whole probe, raw correlations)"},
    {"fcq_reg", "fcq_reg_modules", "fcq_reg_mean_r", "functional Q (mean activation regressed out)"},
    {"q_hidden", NULL, NULL, "weight-graph Q (hidden subgraph)"},
    {"flex_q", "flex_communities", "fc_mean", "multilayer Q of the windowed functional network"},
    {"flex_system", NULL, NULL, "flexibility (windowed functional network)"},
};
#define N_READOUTS (sizeof READOUTS / sizeof READOUTS[0])

typedef struct {
    size_t n_inst, n_epochs;
    double *seed;                 /* n_inst */
    double *acc;                  /* n_inst × n_epochs */
    double *val[N_READOUTS];      /* NULL when the column is absent */
    double *mod[N_READOUTS];
    double *meanr[N_READOUTS];
} Cohort;

static void cohort_done(Cohort *c)
{
    free(c->seed);
    free(c->acc);
    for (size_t k = 0; k < N_READOUTS; k++) {
        free(c->val[k]);
        free(c->mod[k]);
        free(c->meanr[k]);
    }
    memset(c, 0, sizeof *c);
}

static double *series(const SummaryTable *t, const char *name, size_t ni, size_t ne, int ci, int ce, Status *st,
                      char *msg)
{
    int col = name ? summary_table_column(t, name) : -1;
    if (col < 0)
        return NULL;
    double *v = malloc(ni * ne * sizeof *v);
    if (!v) {
        *st = status_fail(msg, ST_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t j = 0; j < ni * ne; j++)
        v[j] = NAN;
    for (size_t r = 0; r < t->rows; r++) {
        const double *row = t->v + r * t->cols;
        v[(size_t)row[ci] * ne + (size_t)row[ce]] = row[col];
    }
    return v;
}

static Status cohort_from_table(const SummaryTable *t, Cohort *c, char *msg)
{
    memset(c, 0, sizeof *c);
    int ci = summary_table_column(t, "instance"), cs = summary_table_column(t, "seed"),
        ce = summary_table_column(t, "epoch"), ca = summary_table_column(t, "test_acc");
    if (ci < 0 || cs < 0 || ce < 0 || ca < 0)
        return status_fail(msg, ST_EFORMAT, "the summary lacks one of the columns instance, seed, epoch, test_acc");
    if (t->rows == 0)
        return status_fail(msg, ST_EFORMAT, "the summary has no rows");
    for (size_t r = 0; r < t->rows; r++) {
        const double *row = t->v + r * t->cols;
        double i = row[ci], e = row[ce];
        if (!(i >= 0 && i < 100000 && e >= 0 && e <= 1e6) || i != floor(i) || e != floor(e))
            return status_fail(msg, ST_EFORMAT, "row %zu of the summary has an invalid instance or epoch", r + 2);
        if ((size_t)i + 1 > c->n_inst)
            c->n_inst = (size_t)i + 1;
        if ((size_t)e + 1 > c->n_epochs)
            c->n_epochs = (size_t)e + 1;
    }
    Status st = ST_OK;
    c->seed = malloc(c->n_inst * sizeof *c->seed);
    if (!c->seed)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_inst; i++)
        c->seed[i] = NAN;
    for (size_t r = 0; r < t->rows; r++)
        c->seed[(size_t)t->v[r * t->cols + ci]] = t->v[r * t->cols + cs];
    c->acc = series(t, "test_acc", c->n_inst, c->n_epochs, ci, ce, &st, msg);
    for (size_t k = 0; k < N_READOUTS && !st; k++) {
        c->val[k] = series(t, READOUTS[k].key, c->n_inst, c->n_epochs, ci, ce, &st, msg);
        c->mod[k] = series(t, READOUTS[k].modules_key, c->n_inst, c->n_epochs, ci, ce, &st, msg);
        c->meanr[k] = series(t, READOUTS[k].meanr_key, c->n_inst, c->n_epochs, ci, ce, &st, msg);
    }
    if (!st && !c->acc)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (st)
        cohort_done(c);
    return st;
}

/* Mean of the finite entries of v over instances and epochs [e0, e1). */
static double window_mean(const double *v, const Cohort *c, size_t e0, size_t e1)
{
    if (!v)
        return NAN;
    double s = 0;
    size_t n = 0;
    for (size_t i = 0; i < c->n_inst; i++)
        for (size_t e = e0; e < e1; e++)
            if (isfinite(v[i * c->n_epochs + e])) {
                s += v[i * c->n_epochs + e];
                n++;
            }
    return n ? s / (double)n : NAN;
}

/* A value in a column of `width` (after `gap` spaces), or "-" when undefined. */
static void print_num(double v, int gap, int width, int prec, int sign)
{
    printf("%*s", gap, "");
    if (!isfinite(v))
        printf("%*s", width, "-");
    else if (sign)
        printf("%+*.*f", width, prec, v);
    else
        printf("%*.*f", width, prec, v);
}

static void csv_num(StrBuf *b, double v)
{
    if (isfinite(v))
        strbuf_printf(b, ",%.6g", v);
    else
        strbuf_append(b, ",");
}

typedef struct {
    size_t w0;      /* first epoch of the windows (1: epoch 0 is untrained) */
    size_t width;
    size_t count;
} Windows;

static void window_bounds(const Windows *w, size_t k, size_t n_epochs, size_t *e0, size_t *e1)
{
    *e0 = w->w0 + k * w->width;
    *e1 = *e0 + w->width < n_epochs ? *e0 + w->width : n_epochs;
}

/* The window-by-window table of one readout; late = mean over the last third
 * of the windows of the within and across r, for the verdict lines. */
static Status report_readout(const Cohort *c, size_t k, const Windows *w, StrBuf *csv, double late[2],
                             double early_peak[2], char *msg)
{
    const Readout *ro = &READOUTS[k];
    printf("\n%s  [key %s]\n", ro->label, ro->key);
    printf("  epochs      acc     value  modules  mean r   within r(v,acc) (sd, n>0/n)   across r(v,acc)  across r(modules,acc)\n");
    size_t first_late = w->count - (w->count + 2) / 3;
    double late_sum[2] = {0, 0};
    size_t late_n[2] = {0, 0};
    early_peak[0] = early_peak[1] = NAN;
    for (size_t j = 0; j < w->count; j++) {
        size_t e0, e1;
        window_bounds(w, j, c->n_epochs, &e0, &e1);
        CohortCorr cc, cm = {.across = NAN};
        Status st = cohort_window_corr(c->val[k], c->acc, c->n_inst, c->n_epochs, e0, e1, &cc, msg);
        if (!st && c->mod[k])
            st = cohort_window_corr(c->mod[k], c->acc, c->n_inst, c->n_epochs, e0, e1, &cm, msg);
        if (st)
            return st;
        double a = window_mean(c->acc, c, e0, e1), v = window_mean(c->val[k], c, e0, e1),
               m = window_mean(c->mod[k], c, e0, e1), r = window_mean(c->meanr[k], c, e0, e1);
        printf("  %4zu-%-4zu  ", e0, e1 - 1);
        print_num(a, 0, 6, 4, 0);
        print_num(v, 2, 8, 4, 0);
        print_num(m, 2, 7, 2, 0);
        print_num(r, 2, 6, 3, 0);
        print_num(cc.within, 3, 6, 3, 1);
        if (isfinite(cc.within_sd))
            printf(" (%.3f, %2zu/%-2zu)", cc.within_sd, cc.within_pos, cc.within_n);
        else
            printf(" %16s", "");
        print_num(cc.across, 10, 6, 3, 1);
        print_num(cm.across, 8, 6, 3, 1);
        printf("\n");
        strbuf_printf(csv, "%s,%zu,%zu,%zu", ro->key, j, e0, e1 - 1);
        csv_num(csv, a);
        csv_num(csv, v);
        csv_num(csv, m);
        csv_num(csv, r);
        csv_num(csv, cc.within);
        csv_num(csv, cc.within_sd);
        strbuf_printf(csv, ",%zu,%zu", cc.within_n, cc.within_pos);
        csv_num(csv, cc.across);
        strbuf_printf(csv, ",%zu", cc.across_n);
        csv_num(csv, cm.across);
        strbuf_append(csv, "\n");
        double pair[2] = {cc.within, cc.across};
        for (int q = 0; q < 2; q++) {
            if (j >= first_late && isfinite(pair[q])) {
                late_sum[q] += pair[q];
                late_n[q]++;
            }
            if (j < first_late && isfinite(pair[q]) && !(early_peak[q] >= pair[q]))
                early_peak[q] = pair[q];
        }
    }
    for (int q = 0; q < 2; q++)
        late[q] = late_n[q] ? late_sum[q] / (double)late_n[q] : NAN;
    return ST_OK;
}

static const char *yes_no(double v, int want_positive)
{
    if (!isfinite(v))
        return "n/a";
    return (want_positive ? v > 0 : v < 0) ? "yes" : "no";
}

/* Learning modes (Fig. 6): one line per instance, the counts, and the CSV. */
static Status report_modes(const Cohort *c, const double *eta, const char *dir, char *msg)
{
    CohortModeRule rule;
    cohort_mode_rule_default(c->n_epochs, &rule);
    printf("\nLearning modes (paper Fig. 6: mode I, accuracy nearly constant for a while (a warm-up)\n"
           "then rising; mode II, rising quickly to a suboptimum, then receding)\n"
           "rule: plateau p = accuracy after epoch 1; rise = first epoch above p + %.2f;\n"
           "  I  = flat for >= %zu epochs after epoch 1, then reaching p + %.2f;\n"
           "  II = rising within %zu epochs, then falling >= %.2f below the best so far;  - = neither\n",
           rule.flat_tol, rule.min_flat, rule.rise, rule.min_flat, rule.dip);
    printf("  inst  seed  mode  flat  plateau  best (epoch)   dip (peak->trough)   final   eta\n");
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "instance,seed,mode,rise_epoch,flat_epochs,plateau,best,best_epoch,peak_epoch,trough_epoch,"
                      "dip_depth,final_gain,final_acc,final_eta\n");
    size_t count[3] = {0, 0, 0}, reached90 = 0, negative_eta = 0, n = 0;
    for (size_t i = 0; i < c->n_inst; i++) {
        const double *a = c->acc + i * c->n_epochs;
        CohortModeResult r;
        char m2[STATUS_MSG_LEN];
        if (cohort_classify(a, c->n_epochs, &rule, &r, m2)) {
            printf("  %4zu  not classified: %s\n", i, m2);
            continue;
        }
        size_t last = c->n_epochs - 1;
        while (last > 0 && !isfinite(a[last]))
            last--;
        double fe = eta ? eta[i * c->n_epochs + last] : NAN;
        n++;
        count[r.mode]++;
        reached90 += r.best >= 0.9;
        negative_eta += fe < 0;
        printf("  %4zu  %4.0f  %-4s  %4zu  %7.4f  %.4f (%4zu)  %.4f (%3zu->%3zu)  %.4f  %+.3f\n", i, c->seed[i],
               cohort_mode_name(r.mode), r.flat_epochs, r.plateau, r.best, r.best_epoch, r.dip_depth, r.peak_epoch,
               r.trough_epoch, a[last], fe);
        strbuf_printf(&b, "%zu,%.0f,%s,%zu,%zu,%.6g,%.6g,%zu,%zu,%zu,%.6g,%.6g,%.6g", i, c->seed[i],
                      cohort_mode_name(r.mode), r.rise_epoch, r.flat_epochs, r.plateau, r.best, r.best_epoch,
                      r.peak_epoch, r.trough_epoch, r.dip_depth, r.final_gain, a[last]);
        csv_num(&b, fe);
        strbuf_append(&b, "\n");
    }
    printf("  mode I: %zu, mode II: %zu, neither: %zu of %zu instances; %zu reached 90%% test accuracy; "
           "eta < 0 at the end in %zu\n",
           count[COHORT_MODE_I], count[COHORT_MODE_II], count[COHORT_MODE_NONE], n, reached90, negative_eta);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, HM_MODES);
    Status st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory")
                                  : file_write_atomic(path, b.data, b.len, msg);
    strbuf_done(&b);
    return st;
}

static Status analyse(const char *dir, size_t window, char *msg)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, INSTANCES_SUMMARY);
    SummaryTable t;
    Status st = summary_table_read(path, &t, msg);
    if (st)
        return st;
    Cohort c;
    double *eta = NULL;
    st = cohort_from_table(&t, &c, msg);
    if (!st) {
        int ci = summary_table_column(&t, "instance"), ce = summary_table_column(&t, "epoch");
        eta = series(&t, "eta", c.n_inst, c.n_epochs, ci, ce, &st, msg);
    }
    summary_table_done(&t);
    if (st) {
        free(eta);
        return st;
    }
    if (c.n_epochs < 4 || c.n_inst < 1) {
        cohort_done(&c);
        free(eta);
        return status_fail(msg, ST_EINVAL, "the summary needs at least 3 trained epochs");
    }
    Windows w = {.w0 = 1, .width = window ? window : (c.n_epochs - 1) / 10};
    if (w.width < 3)
        w.width = 3;
    if (w.width > c.n_epochs - 1)
        w.width = c.n_epochs - 1;
    w.count = (c.n_epochs - 1) / w.width;
    printf("\nneurotop experiment hebbff-modularity · seed paper 001 (Sun et al., Science Advances 2024)\n"
           "%zu instances, epochs 0-%zu, %zu windows of %zu epochs (epoch 0, untrained, is left out)\n"
           "within r = mean over instances of r(value, accuracy) over the window's epochs;\n"
           "across r = r over instances of the window-mean value and accuracy.\n",
           c.n_inst, c.n_epochs - 1, w.count, w.width);
    StrBuf csv;
    strbuf_init(&csv);
    strbuf_append(&csv, "readout,window,epoch_from,epoch_to,acc_mean,value_mean,modules_mean,mean_r_mean,within_r,"
                        "within_sd,within_n,within_pos,across_r,across_n,across_modules_r\n");
    double late[N_READOUTS][2], peak[N_READOUTS][2];
    for (size_t k = 0; k < N_READOUTS && !st; k++) {
        late[k][0] = late[k][1] = peak[k][0] = peak[k][1] = NAN;
        if (!c.val[k]) {
            printf("\n%s: not in these runs (no %s column)\n", READOUTS[k].label, READOUTS[k].key);
            continue;
        }
        st = report_readout(&c, k, &w, &csv, late[k], peak[k], msg);
    }
    if (!st) {
        printf("\nPaper vs measured (late = mean over the last third of the windows, early = before it)\n");
        printf("  [paper Fig. 4A] within runs r(Q, acc) is positive, near 1 mid-training, ~0.6 late\n");
        printf("  [paper Fig. 4C] across instances r(Q, acc) rises early, then turns negative mid/late\n");
        for (size_t k = 0; k < N_READOUTS; k++) {
            if (!c.val[k])
                continue;
            printf("  %-48s within: max early", READOUTS[k].label);
            print_num(peak[k][0], 1, 0, 3, 1);
            printf(", late");
            print_num(late[k][0], 1, 0, 3, 1);
            printf(" (> 0: %s) | across: max early", yes_no(late[k][0], 1));
            print_num(peak[k][1], 1, 0, 3, 1);
            printf(", late");
            print_num(late[k][1], 1, 0, 3, 1);
            printf(" (< 0: %s)\n", yes_no(late[k][1], 0));
        }
        printf("  [paper Fig. 5C/D] flexibility: across-instance r(flex, acc) rises early then turns negative;\n"
               "  the within r peaks before modularity's and falls to near zero late (see its rows above)\n");
        printf("  [FINDINGS seed 001] while eta grows the hidden correlations collapse to one community\n"
               "  (raw functional Q ~ 0, mean r high); the mean-regressed readout shows the modules\n"
               "  underneath - compare the modules and mean r columns of the two functional rows.\n");
        st = report_modes(&c, eta, dir, msg);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/%s", dir, HM_TABLE);
        st = strbuf_failed(&csv) ? status_fail(msg, ST_ENOMEM, "out of memory")
                                 : file_write_atomic(path, csv.data, csv.len, msg);
    }
    if (!st)
        printf("\nTables: %s/%s, %s/%s; per-epoch values: %s/%s\n", dir, HM_TABLE, dir, HM_MODES, dir,
               INSTANCES_SUMMARY);
    strbuf_done(&csv);
    cohort_done(&c);
    free(eta);
    return st;
}

static int parse_size(const char *opt, const char *v, size_t lo, size_t hi, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*v == '-' || end == v || *end || errno || x < lo || x > hi) {
        fprintf(stderr, "neurotop experiment: %s needs a whole number from %zu to %zu, got '%s'\n", opt, lo, hi, v);
        return -1;
    }
    *out = (size_t)x;
    return 0;
}

int experiment_hebbff_main(int argc, char **argv)
{
    RunOptions o;
    options_defaults(&o, HM_DEFAULT_EPOCHS);
    snprintf(o.model, sizeof o.model, "hebbff");
    o.instances = HM_DEFAULT_INSTANCES;
    o.fc_windows = HM_DEFAULT_WINDOWS;
    o.flexreps = HM_DEFAULT_FLEXREPS;
    o.save_every = 10;
    const char *from = NULL;
    size_t window = 0;
    /* Our own options out, the rest to the shared parser. */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest) {
        fprintf(stderr, "neurotop experiment: out of memory\n");
        return 1;
    }
    int nr = 0;
    rest[nr++] = argv[0];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int mine = strcmp(a, "--from") == 0 || strcmp(a, "--window") == 0;
        if (!mine) {
            rest[nr++] = argv[i];
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "neurotop experiment: option %s needs a value\n", a);
            free(rest);
            return 2;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--from") == 0)
            from = v;
        else if (parse_size(a, v, 3, 1000000, &window)) {
            free(rest);
            return 2;
        }
    }
    char msg[STATUS_MSG_LEN] = "";
    Status st = options_parse(nr, rest, 1, &o, 1, msg);
    free(rest);
    if (!st && strcmp(o.model, "hebbff") != 0)
        st = status_fail(msg, ST_EINVAL, "hebbff-modularity trains --model hebbff only");
    if (!st && !o.help)
        st = options_finish(&o, msg);
    if (!st && o.epochs < 4)
        st = status_fail(msg, ST_EINVAL, "hebbff-modularity needs --epochs of at least 4");
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return 2;
    }
    if (o.help) {
        usage(stdout);
        return 0;
    }
    char dir[1024];
    int code = 0;
    if (from) {
        snprintf(dir, sizeof dir, "%s", from);
        for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
            dir[n - 1] = 0;
    } else {
        if (o.log) {
            fprintf(stderr, "neurotop experiment: --log is for one run; the batch writes summary.csv.\n");
            return 2;
        }
        InstancesConfig ic = {.quiet = 1};
        InstancesOutcome out;
        printf("Training %zu HebbFF instances for %zu epochs (the paper: 120 instances, 1000 epochs,\n"
               "measured every 10); each finished instance prints one line.\n",
               o.instances, o.epochs);
        fflush(stdout);
        st = instances_run(&o, &ic, &out, msg);
        if (st) {
            fprintf(stderr, "neurotop experiment: %s\n", msg);
            return status_exit_code(st);
        }
        snprintf(dir, sizeof dir, "%s", out.dir);
        if (out.interrupted) {
            printf("\nstopped by a signal: the analysis covers the epochs finished so far\n");
            code = 130;
        }
    }
    st = analyse(dir, window, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    return code;
}
