/* `neurotop experiment hebbff-modularity`: options, the training of the
 * batch (instances_run) and the printing of the report that
 * experiment/hebbff_modularity.h computes. */
#include "neurotop/cli/cmd_experiment_hebbff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/instances.h"
#include "neurotop/core/numparse.h"
#include "neurotop/experiment/hebbff_modularity.h"

#define HM_DEFAULT_INSTANCES 16
#define HM_DEFAULT_EPOCHS 120
#define HM_DEFAULT_WINDOWS 50 /* FC windows of the flexibility: 50 × 50 items, as the paper */
#define HM_DEFAULT_FLEXREPS 2 /* Louvain runs of the flexibility per epoch (the live default is 1) */
#define HM_MAX_WINDOW 1000000

static void usage(FILE *f)
{
    fprintf(f,
            "usage: neurotop experiment hebbff-modularity [options]\n\n"
            "Seed paper 001 (HebbFF on continual familiarity): trains K instances (seeds S..S+K-1,\n"
            "J at a time, like `train --headless --instances`) or reads a batch folder, then per\n"
            "window of epochs reports the correlation of modularity and accuracy within instances\n"
            "(mean over instances of r over the window's epochs) and across instances (r over\n"
            "instances of the window means) - the paper's Fig. 4A/C - for the whole-probe\n"
            "functional network of the hidden units (raw and mean-regressed), the whole weight\n"
            "graph's Q, and flexibility (Fig. 5C/D); classifies each run's learning mode (Fig. 6);\n"
            "prints the paper's statements beside the measured numbers and writes the tables as\n"
            "CSV into the batch folder (" HEBBFF_MODULARITY_TABLE ", " HEBBFF_MODULARITY_MODES ").\n"
            "It always trains HebbFF (--model is refused).\n\n"
            "Options:\n"
            "  --instances K    instances to train (default %d)\n"
            "  --jobs J         instances at once (default: cores)\n"
            "  --epochs E       epochs per instance (default %d)\n"
            "  --window W       epochs per window (default: E/10, at least 3)\n"
            "  --from DIR       analyse an existing batch folder (its " INSTANCES_SUMMARY ") instead of training\n"
            "  --seed S         first seed (default 0)\n"
            "  --runs DIR       where the batch folder is created (default runs)\n"
            "  and any `neurotop train` option but --model (--lr, --batch, --hidden, --task-*,\n"
            "  --qreps, --flexreps (default %d here), --fc-windows (default %d here), --save-every\n"
            "  (default 10 here), ...)\n",
            HM_DEFAULT_INSTANCES, HM_DEFAULT_EPOCHS, HM_DEFAULT_FLEXREPS, HM_DEFAULT_WINDOWS);
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

static void print_readout(const HebbffModularityReport *r, size_t k)
{
    const HebbffReadout *ro = hebbff_modularity_readout(k);
    const HebbffReadoutResult *res = &r->readout[k];
    if (!res->present) {
        printf("\n%s: not in these runs (no %s column)\n", ro->label, ro->key);
        return;
    }
    printf("\n%s  [key %s]\n", ro->label, ro->key);
    printf("  epochs      acc     value  modules  mean r   within r(v,acc) (sd, n>0/n)   across r(v,acc)  across "
           "r(modules,acc)\n");
    for (size_t j = 0; j < r->n_windows; j++) {
        const HebbffWindow *w = &res->windows[j];
        printf("  %4zu-%-4zu  ", w->epoch_from, w->epoch_to);
        print_num(w->acc, 0, 6, 4, 0);
        print_num(w->value, 2, 8, 4, 0);
        print_num(w->modules, 2, 7, 2, 0);
        print_num(w->mean_r, 2, 6, 3, 0);
        print_num(w->corr.within, 3, 6, 3, 1);
        if (isfinite(w->corr.within_sd))
            printf(" (%.3f, %2zu/%-2zu)", w->corr.within_sd, w->corr.within_pos, w->corr.within_n);
        else
            printf(" %16s", "");
        print_num(w->corr.across, 10, 6, 3, 1);
        print_num(w->modules_across, 8, 6, 3, 1);
        printf("\n");
    }
}

static const char *yes_no(double v, int want_positive)
{
    if (!isfinite(v))
        return "n/a";
    return (want_positive ? v > 0 : v < 0) ? "yes" : "no";
}

static void print_verdicts(const HebbffModularityReport *r)
{
    printf("\nPaper vs measured (late = mean over the last third of the windows, early = before it)\n");
    printf("  [paper Fig. 4A] within runs r(Q, acc) is positive, near 1 mid-training, ~0.6 late\n");
    printf("  [paper Fig. 4C] across instances r(Q, acc) rises early, then turns negative mid/late\n");
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++) {
        const HebbffReadoutResult *res = &r->readout[k];
        if (!res->present)
            continue;
        printf("  %-48s within: max early", hebbff_modularity_readout(k)->label);
        print_num(res->early_peak[0], 1, 0, 3, 1);
        printf(", late");
        print_num(res->late[0], 1, 0, 3, 1);
        printf(" (> 0: %s) | across: max early", yes_no(res->late[0], 1));
        print_num(res->early_peak[1], 1, 0, 3, 1);
        printf(", late");
        print_num(res->late[1], 1, 0, 3, 1);
        printf(" (< 0: %s)\n", yes_no(res->late[1], 0));
    }
    printf("  [paper Fig. 5C/D] flexibility: across-instance r(flex, acc) rises early then turns negative;\n"
           "  the within r peaks before modularity's and falls to near zero late (see its rows above)\n");
    printf("  (measured in earlier batches: while eta grows the hidden correlations collapse to one\n"
           "  community - raw functional Q ~ 0, mean r high - and the mean-regressed readout shows the\n"
           "  modules underneath; compare the modules and mean r columns of the two functional rows)\n");
}

static void print_modes(const HebbffModularityReport *r)
{
    const CohortModeRule *rule = &r->rule;
    printf("\nLearning modes (paper Fig. 6: mode I, accuracy nearly constant for a while (a warm-up)\n"
           "then rising; mode II, rising quickly to a suboptimum, then receding)\n"
           "rule: plateau p = accuracy after epoch 1; rise = first epoch above p + %.2f;\n"
           "  I  = flat for >= %zu epochs after epoch 1, then reaching p + %.2f;\n"
           "  II = rising within %zu epochs, then falling >= %.2f below the best so far;  - = neither\n",
           rule->flat_tol, rule->min_flat, rule->rise, rule->min_flat, rule->dip);
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
    printf("  mode I: %zu, mode II: %zu, neither: %zu of %zu instances; %zu reached 90%% test accuracy; "
           "eta < 0 at the end in %zu\n",
           r->mode_count[COHORT_MODE_I], r->mode_count[COHORT_MODE_II], r->mode_count[COHORT_MODE_NONE],
           r->classified, r->reached90, r->negative_eta);
}

static void print_report(const HebbffModularityReport *r, const char *dir)
{
    printf("\nneurotop experiment hebbff-modularity · seed paper 001 (Gu, Mattar, Tang & Pan 2024,\n"
           "Science Advances 10:eadm8430) on HebbFF (Tyulmankov, Yang & Abbott 2022)\n"
           "%zu instances, epochs 0-%zu, %zu windows of %zu epochs (epoch 0, untrained, is left out)\n"
           "within r = mean over instances of r(value, accuracy) over the window's epochs;\n"
           "across r = r over instances of the window-mean value and accuracy.\n",
           r->n_inst, r->n_epochs - 1, r->n_windows, r->width);
    for (size_t k = 0; k < HEBBFF_MODULARITY_READOUTS; k++)
        print_readout(r, k);
    print_verdicts(r);
    print_modes(r);
    printf("\nTables: %s/%s, %s/%s; per-epoch values: %s/%s\n", dir, HEBBFF_MODULARITY_TABLE, dir,
           HEBBFF_MODULARITY_MODES, dir, INSTANCES_SUMMARY);
}

typedef struct {
    RunOptions run;
    const char *from;   /* NULL: train a batch */
    size_t window;      /* 0: the default */
} HebbffOptions;

/* Our options (--from, --window; --model refused) out, the rest through the
 * shared parser. ST_OK or ST_EINVAL with one sentence in msg. */
static Status parse_options(int argc, char **argv, HebbffOptions *p, char *msg)
{
    options_defaults(&p->run, HM_DEFAULT_EPOCHS);
    snprintf(p->run.model, sizeof p->run.model, "hebbff");
    p->run.instances = HM_DEFAULT_INSTANCES;
    p->run.fc_windows = HM_DEFAULT_WINDOWS;
    p->run.flexreps = HM_DEFAULT_FLEXREPS;
    p->run.save_every = 10;
    p->from = NULL;
    p->window = 0;
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
        } else if (strcmp(a, "--from") != 0 && strcmp(a, "--window") != 0) {
            rest[nr++] = argv[i];
        } else if (i + 1 >= argc) {
            st = status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        } else if (strcmp(a, "--from") == 0) {
            p->from = argv[++i];
        } else {
            st = num_parse_size(argv[++i], HEBBFF_MODULARITY_MIN_WINDOW, HM_MAX_WINDOW, "--window", &p->window, msg);
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
    st = hebbff_modularity_run(dir, ho.window, &r, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    print_report(&r, dir);
    hebbff_modularity_done(&r);
    return code;
}
