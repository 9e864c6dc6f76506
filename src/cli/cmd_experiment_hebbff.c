/* `neurotop experiment hebbff-modularity`: options, the training of the
 * batch (instances_run) and the printing of the report that
 * experiment/hebbff_modularity.h computes. */
#include "neurotop/cli/cmd_experiment_hebbff.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/instances.h"
#include "neurotop/core/numparse.h"
#include "neurotop/experiment/hebbff_modularity.h"

/* The paper trained 120 instances for 1,000 epochs; what fits in about an
 * hour on two cores is 120 for 120 epochs (measured: docs/reproductions.md §2.3). */
#define HM_DEFAULT_INSTANCES 120
#define HM_TIME_NOTE                                                                               \
    "Time: training costs about 0.32 CPU-seconds per instance and epoch (measured on 16 x 120),\n" \
    "so the defaults (120 instances x 120 epochs) take about 40 minutes on two free cores and\n"   \
    "several times that on a machine shared with other work; the paper's 120 x 1,000 would take\n" \
    "about 5.3 hours on two free cores. --instances 16 takes about 5 minutes on two free cores.\n" \
    "The analysis of a batch (--from) takes seconds."
#define HM_DEFAULT_EPOCHS 120
#define HM_DEFAULT_WINDOWS 50 /* FC windows of the flexibility: 50 × 50 items, as the paper */
#define HM_DEFAULT_FLEXREPS 2 /* Louvain runs of the flexibility per epoch (the live default is 1) */
#define HM_MAX_WINDOW 1000000
#define HM_MAX_BOOT 1000000

static void usage(FILE *f)
{
    fprintf(f,
            "usage: neurotop experiment hebbff-modularity [options]\n\n"
            "Seed paper 001 (HebbFF on continual familiarity): trains K instances (seeds S..S+K-1,\n"
            "J at a time, like `train --headless --instances`) or reads a batch folder, then reports\n"
            "the correlation of each readout with accuracy within instances (mean over instances\n"
            "of r over a window's epochs, Fig. 4A) and across instances (r over instances at each\n"
            "epoch, then the mean over the window's epochs, Fig. 4C), per window and per third of\n"
            "training, each with a 95%% bootstrap interval over instances and its value on the\n"
            "halves of even and odd seed. Readouts: the whole-probe functional network of the\n"
            "hidden units (raw and mean-regressed), the whole weight graph's Q, the multilayer Q\n"
            "and flexibility (Fig. 5C/D). Beside each of the paper's statements it prints\n"
            "\"reproduced\" only when the interval excludes 0 on the paper's side. It classifies each\n"
            "run's learning mode (Fig. 6) and writes the tables as CSV into the batch folder\n"
            "(" HEBBFF_MODULARITY_TABLE ", " HEBBFF_MODULARITY_EPOCHS ", " HEBBFF_MODULARITY_MODES ").\n"
            "It always trains HebbFF (--model is refused).\n\n"
            "%s\n\n"
            "Options:\n"
            "  --instances K    instances to train (default %d; 16 for a quick look)\n"
            "  --jobs J         instances at once (default: cores)\n"
            "  --epochs E       epochs per instance (default %d)\n"
            "  --window W       epochs per window (default: E/10, at least 3)\n"
            "  --boot N         bootstrap resamples of the instances (default %d, 0 = no intervals)\n"
            "  --boot-seed S    seed of the resamples (default %d)\n"
            "  --from DIR       analyse an existing batch folder (its " INSTANCES_SUMMARY ") instead of training\n"
            "  --seed S         first seed (default 0)\n"
            "  --runs DIR       where the batch folder is created (default runs)\n"
            "  and any `neurotop train` option but --model (--lr, --batch, --hidden, --task-*,\n"
            "  --qreps, --flexreps (default %d here), --fc-windows (default %d here), --save-every\n"
            "  (default 10 here), ...)\n",
            HM_TIME_NOTE, HM_DEFAULT_INSTANCES, HM_DEFAULT_EPOCHS, COHORT_BOOT_DEFAULT, COHORT_BOOT_SEED,
            HM_DEFAULT_FLEXREPS, HM_DEFAULT_WINDOWS);
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

/* "+0.123 [-0.045, +0.301]" in 24 columns, or dashes. */
static void print_interval(const CohortStat *s)
{
    print_num(s->est, 0, 6, 3, 1);
    if (isfinite(s->lo))
        printf(" [%+.3f, %+.3f]", s->lo, s->hi);
    else
        printf(" %16s", "[-]");
}

/* The halves and whether they agree: "+0.12 -0.30 x". */
static void print_halves(const CohortStat *s)
{
    print_num(s->half[0], 2, 5, 2, 1);
    print_num(s->half[1], 1, 5, 2, 1);
    printf(" %s", s->agree == 1 ? "=" : s->agree == 0 ? "x" : " ");
}

static void print_span(const char *name, const HebbffSpan *sp, int modules)
{
    const CohortCorr *c = modules ? &sp->mod_corr : &sp->corr;
    char range[48];
    snprintf(range, sizeof range, "%s%zu-%zu", name, sp->epoch_from, sp->epoch_to);
    printf("  %14s ", range);
    print_num(sp->acc, 0, 6, 4, 0);
    print_num(modules ? sp->modules : sp->value, 2, 7, 4, 0);
    print_num(sp->modules, 2, 5, 2, 0);
    print_num(sp->mean_r, 2, 6, 3, 0);
    printf("   ");
    print_interval(&c->within);
    print_halves(&c->within);
    printf("   ");
    print_interval(&c->across);
    print_halves(&c->across);
    printf("\n");
}

static void print_readout(const HebbffModularityReport *r, size_t k)
{
    const HebbffReadout *ro = hebbff_modularity_readout(k);
    const HebbffReadoutResult *res = &r->readout[k];
    if (!res->present) {
        printf("\n%s: not in these runs (no %s column)\n", ro->label, ro->key);
        return;
    }
    printf("\n%s  [key %s]\n", ro->label, ro->key);
    printf("  %14s %6s  %7s  %5s  %6s   %-23s  %5s %5s     %-23s  %5s %5s\n", "epochs", "acc", "value", "mods",
           "mean r", "within r [95% CI]", "even", "odd", "across r [95% CI]", "even", "odd");
    for (size_t j = 0; j < r->n_windows; j++)
        print_span("", &res->windows[j], 0);
    char name[16];
    for (int p = 0; p < HEBBFF_MODULARITY_PERIODS; p++) {
        snprintf(name, sizeof name, "%s ", hebbff_modularity_period_name((HebbffPeriod)p));
        print_span(name, &res->periods[p], 0);
    }
    if (res->has_modules) {
        printf("  the module count (%s) against accuracy, value column = modules:\n", ro->modules_key);
        for (int p = 0; p < HEBBFF_MODULARITY_PERIODS; p++) {
            snprintf(name, sizeof name, "%s ", hebbff_modularity_period_name((HebbffPeriod)p));
            print_span(name, &res->periods[p], 1);
        }
    }
    printf("  halves of the same sign: within %zu of %zu windows, across %zu of %zu\n", res->halves_agree[0],
           res->halves_defined[0], res->halves_agree[1], res->halves_defined[1]);
}

static void print_claims(const HebbffModularityReport *r)
{
    printf("\nPaper vs measured. Periods: early %zu-%zu, mid %zu-%zu, late %zu-%zu (thirds of the trained\n"
           "epochs). \"reproduced\" = the 95%% interval excludes 0 on the paper's side; \"opposite sign\" = it\n"
           "excludes 0 on the other side; \"not resolved\" = it contains 0. Halves: even seeds, odd seeds.\n",
           r->readout[0].periods[0].epoch_from, r->readout[0].periods[0].epoch_to,
           r->readout[0].periods[1].epoch_from, r->readout[0].periods[1].epoch_to,
           r->readout[0].periods[2].epoch_from, r->readout[0].periods[2].epoch_to);
    for (size_t c = 0; c < hebbff_modularity_claims(); c++) {
        const HebbffClaim *cl = hebbff_modularity_claim(c);
        printf("  [paper %s] %s\n", cl->figure, cl->text);
        int any = 0;
        for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
            const CohortStat *s = hebbff_modularity_claim_stat(r, cl, k);
            if (!s)
                continue;
            const HebbffReadout *ro = hebbff_modularity_readout(k);
            printf("      %-17s %-5s ", cl->modules ? ro->modules_key : ro->key,
                   hebbff_modularity_period_name(cl->period));
            print_interval(s);
            print_halves(s);
            if (cl->sign)
                printf("  %s\n", cohort_verdict_name(cohort_verdict(s, cl->sign)));
            else if (cohort_verdict(s, 1) == COHORT_VERDICT_UNRESOLVED)
                printf("  contains 0 (consistent, not a test of \"near 0\")\n");
            else if (cohort_verdict(s, 1) != COHORT_VERDICT_NONE)
                printf("  excludes 0: not near 0\n");
            else
                printf("  %s\n", cohort_verdict_name(COHORT_VERDICT_NONE));
            any = 1;
        }
        if (!any)
            printf("      (no readout of it in these runs)\n");
    }
    printf("  [paper Fig. 5D] the within r of flexibility peaks before that of modularity: compare the\n"
           "  windows of flex_system and fcq above (a peak's position has no interval here)\n");
    printf("  (measured in earlier batches: while eta grows the hidden correlations collapse to one\n"
           "  community - raw functional Q ~ 0, mean r high - and the mean-regressed readout shows the\n"
           "  modules underneath; compare the modules and mean r columns of the two functional rows)\n");
}

/* The per-instance table only for small cohorts: the CSV has every row. */
#define HM_PRINT_MODES_MAX 24

static void print_modes(const HebbffModularityReport *r, const char *dir)
{
    const CohortModeRule *rule = &r->rule;
    printf("\nLearning modes (paper Fig. 6: mode I, accuracy nearly constant for a while (a warm-up)\n"
           "then rising; mode II, rising quickly to a suboptimum, then receding)\n"
           "rule: plateau p = accuracy after epoch 1; rise = first epoch above p + %.2f;\n"
           "  I  = flat for >= %zu epochs after epoch 1, then reaching p + %.2f;\n"
           "  II = rising within %zu epochs, then falling >= %.2f below the best so far;  - = neither\n",
           rule->flat_tol, rule->min_flat, rule->rise, rule->min_flat, rule->dip);
    if (r->n_inst <= HM_PRINT_MODES_MAX) {
        printf("  inst  seed  mode  flat  plateau  best (epoch)   dip (peak->trough)   final   eta\n");
        for (size_t i = 0; i < r->n_inst; i++) {
            const HebbffInstanceMode *m = &r->modes[i];
            if (!m->classified) {
                printf("  %4zu  not classified: %s\n", i, m->problem);
                continue;
            }
            const CohortModeResult *c = &m->result;
            printf("  %4zu  %4.0f  %-4s  %4zu  %7.4f  %.4f (%4zu)  %.4f (%3zu->%3zu)  %.4f  %+.3f\n", i, m->seed,
                   cohort_mode_name(c->mode), c->flat_epochs, c->plateau, c->best, c->best_epoch, c->dip_depth,
                   c->peak_epoch, c->trough_epoch, m->final_acc, m->final_eta);
        }
    } else {
        printf("  (one row per instance: %s/%s)\n", dir, HEBBFF_MODULARITY_MODES);
    }
    printf("  mode I: %zu, mode II: %zu, neither: %zu of %zu instances; %zu reached 90%% test accuracy; "
           "eta < 0 at the end in %zu\n",
           r->mode_count[COHORT_MODE_I], r->mode_count[COHORT_MODE_II], r->mode_count[COHORT_MODE_NONE],
           r->classified, r->reached90, r->negative_eta);
}

static void print_report(const HebbffModularityReport *r, const char *dir)
{
    printf("\nneurotop experiment hebbff-modularity · seed paper 001 (Gu, Mattar, Tang & Pan 2024,\n"
           "Science Advances 10:eadm8430) on HebbFF (Tyulmankov, Yang & Abbott 2022)\n"
           "%zu instances (%zu of even seed, %zu of odd), epochs 0-%zu, %zu windows of %zu epochs\n"
           "(epoch 0, untrained, is left out).\n"
           "within r = mean over instances of r(value, accuracy) over the epochs of the window;\n"
           "across r = r over instances at each epoch, then the mean over the window's epochs (Fig. 4C);\n"
           "[95%% CI] = percentile bootstrap over instances (%zu resamples, seed %llu); even, odd = the\n"
           "same r on the instances of even and of odd seed (= same sign, x opposite signs).\n",
           r->n_inst, r->half_n[0], r->half_n[1], r->n_epochs - 1, r->n_windows, r->width, r->n_boot,
           (unsigned long long)r->boot_seed);
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++)
        print_readout(r, k);
    print_claims(r);
    print_modes(r, dir);
    printf("\nTables: %s/%s, %s/%s, %s/%s; per-epoch values: %s/%s\n", dir, HEBBFF_MODULARITY_TABLE, dir,
           HEBBFF_MODULARITY_EPOCHS, dir, HEBBFF_MODULARITY_MODES, dir, INSTANCES_SUMMARY);
}

typedef struct {
    RunOptions run;
    const char *from;               /* NULL: train a batch */
    HebbffModularitySettings set;   /* window, resamples, their seed */
} HebbffOptions;

/* One of our options with its value (argv[i] is the option). */
static Status parse_own(const char *opt, const char *val, HebbffOptions *p, char *msg)
{
    if (strcmp(opt, "--from") == 0) {
        p->from = val;
        return ST_OK;
    }
    if (strcmp(opt, "--window") == 0)
        return num_parse_size(val, HEBBFF_MODULARITY_MIN_WINDOW, HM_MAX_WINDOW, "--window", &p->set.window, msg);
    if (strcmp(opt, "--boot") == 0)
        return num_parse_size(val, 0, HM_MAX_BOOT, "--boot", &p->set.n_boot, msg);
    return num_parse_u64(val, 0, UINT64_MAX, "--boot-seed", &p->set.boot_seed, msg);
}

static int is_own(const char *a)
{
    return strcmp(a, "--from") == 0 || strcmp(a, "--window") == 0 || strcmp(a, "--boot") == 0 ||
           strcmp(a, "--boot-seed") == 0;
}

/* Our options (--from, --window, --boot, --boot-seed; --model refused) out,
 * the rest through the shared parser. ST_OK or ST_EINVAL with one sentence
 * in msg. */
static Status parse_options(int argc, char **argv, HebbffOptions *p, char *msg)
{
    options_defaults(&p->run, HM_DEFAULT_EPOCHS);
    snprintf(p->run.model, sizeof p->run.model, "hebbff");
    p->run.instances = HM_DEFAULT_INSTANCES;
    p->run.fc_windows = HM_DEFAULT_WINDOWS;
    p->run.flexreps = HM_DEFAULT_FLEXREPS;
    p->run.save_every = 10;
    p->from = NULL;
    hebbff_modularity_settings_default(&p->set);
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    int nr = 0;
    rest[nr++] = argv[0];
    Status st = ST_OK;
    for (int i = 2; i < argc && !st; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0) {
            st = status_fail(msg, ST_EINVAL, "hebbff-modularity always trains HebbFF, so it takes no --model");
        } else if (!is_own(a)) {
            rest[nr++] = argv[i];
        } else if (i + 1 >= argc) {
            st = status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        } else {
            st = parse_own(a, argv[i + 1], p, msg);
            i++;
        }
    }
    if (!st)
        st = options_parse(nr, rest, 1, &p->run, 1, msg);
    free(rest);
    if (!st && !p->run.help)
        st = options_finish(&p->run, msg);
    if (!st && !p->run.help && p->run.epochs < 4)
        st = status_fail(msg, ST_EINVAL, "hebbff-modularity needs --epochs of at least 4");
    return st;
}

int cli_experiment_hebbff_main(int argc, char **argv)
{
    HebbffOptions ho;
    char msg[STATUS_MSG_LEN] = "";
    Status st = parse_options(argc, argv, &ho, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    if (ho.run.help) {
        usage(stdout);
        return 0;
    }
    char dir[1024];
    int code = 0;
    if (ho.from) {
        snprintf(dir, sizeof dir, "%s", ho.from);
        for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
            dir[n - 1] = 0;
    } else {
        if (ho.run.log) {
            fprintf(stderr, "neurotop experiment: --log is for one run; the batch writes %s.\n", INSTANCES_SUMMARY);
            return 2;
        }
        InstancesConfig ic = {.quiet = 1};
        InstancesOutcome out;
        printf("Training %zu HebbFF instances for %zu epochs (the paper: 120 instances, 1000 epochs,\n"
               "measured every 10); each finished instance prints one line.\n",
               ho.run.instances, ho.run.epochs);
        fflush(stdout);
        st = instances_run(&ho.run, &ic, &out, msg);
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
    HebbffModularityReport r;
    st = hebbff_modularity_run(dir, &ho.set, &r, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    print_report(&r, dir);
    hebbff_modularity_done(&r);
    return code;
}
