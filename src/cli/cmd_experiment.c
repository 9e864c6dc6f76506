/* `neurotop experiment NAME`: scripted reproductions of a seed paper's
 * headline results, headless, with the paper's value printed beside each
 * measured one. This file parses the options of mlp-phases, trains, and
 * prints the report that experiment/mlp_phases.h computes. */
#include "neurotop/cli/commands.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/cli/cmd_experiment_hebbff.h"
#include "neurotop/cli/session.h"
#include "neurotop/core/numparse.h"
#include "neurotop/experiment/mlp_phases.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop experiment NAME [options]\n\n"
               "Experiments:\n"
               "  mlp-phases   seed paper 000 (Shine et al. 2021): the three learning phases of\n"
               "               a 784-100-100-10 MLP on MNIST digits, edge change vs pixel\n"
               "               information, hubs vs ID, hidden-unit information\n"
               "  hebbff-modularity  seed paper 001: modularity, flexibility and accuracy within\n"
               "               and across HebbFF instances (Fig. 4A/C, 5C/D) and the learning modes\n\n"
               "neurotop experiment NAME --help describes its options.\n");
}

static void usage_phases(FILE *f)
{
    fprintf(f,
            "usage: neurotop experiment mlp-phases [options]\n\n"
            "Trains the network of seed paper 000 (784-100-100-10, sigmoid, softmax, no\n"
            "biases, U(-1,1) weights, batch-1 SGD) headless in epochs of --epoch-size\n"
            "examples, measures the snapshots on a schedule like the paper's (every epoch\n"
            "to 30, every 5 to 100, every 25 to 500, every 100 to 2000, then every 250),\n"
            "and prints each result with the paper's value beside it: the learning phases\n"
            "of Q (whole graph and hidden subgraph), r(Q, accuracy) in the middle phase,\n"
            "r(early edge change, IP) over all and over live pixels, max r(ID, PC) and\n"
            "min r(ID, MZ), and the late change of mean IH in HL1 and HL2. Every series\n"
            "is written as CSV into the run directory. The defaults take a few minutes\n"
            "on two cores.\n\n"
            "Options:\n"
            "  --epochs N       epochs to train (default 8000)\n"
            "  --epoch-size K   training examples per epoch (default 100: 800,000 examples,\n"
            "                   100 passes over the bundled 8,000 training digits)\n"
            "  --lr X           learning rate (default 0.3; measured: at lr 0.1 Q stays flat)\n"
            "  --seed S         seed for the weights, the order, Louvain and permutations (0)\n"
            "  --reps R         Louvain runs per readout per measured epoch (default 10)\n"
            "  --perms N        permutations per test (default 10000, as the paper)\n"
            "  --probe N        held-out items whose activations give IH (default 1000)\n"
            "  --data D         mnist10k (default), fashion, or a folder of MNIST IDX files\n"
            "  --runs DIR       where the run directory is created (default runs)\n");
}

typedef struct {
    RunOptions run;
    size_t reps, perms;
    int help;
} PhasesOptions;

/* Parse argv[2..): ST_OK (p->help set for --help) or ST_EINVAL with one
 * sentence naming the option in msg. */
static Status parse_phases(int argc, char **argv, PhasesOptions *p, char *msg)
{
    options_defaults(&p->run, 8000);
    p->run.epoch_size = 100;
    p->run.qreps = 0;      /* the experiment measures Q itself, on its schedule */
    p->run.save_every = 0; /* and saves the snapshots it measures */
    p->reps = 10;
    p->perms = 10000;
    p->help = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            p->help = 1;
            return ST_OK;
        }
        static const char *const known[] = {"--epochs", "--epoch-size", "--lr", "--seed", "--reps",
                                            "--perms", "--probe", "--data", "--runs"};
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= strcmp(a, known[k]) == 0;
        if (!ok)
            return status_fail(msg, ST_EINVAL, "unknown option '%s' (see --help)", a);
        if (i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        const char *v = argv[++i];
        Status st = ST_OK;
        if (strcmp(a, "--epochs") == 0)
            st = num_parse_size(v, 1, 1000000, a, &p->run.epochs, msg);
        else if (strcmp(a, "--epoch-size") == 0)
            st = num_parse_size(v, 1, 100000000, a, &p->run.epoch_size, msg);
        else if (strcmp(a, "--seed") == 0)
            st = num_parse_u64(v, 0, (uint64_t)INT64_MAX, a, &p->run.seed, msg);
        else if (strcmp(a, "--reps") == 0)
            st = num_parse_size(v, 1, 1000, a, &p->reps, msg);
        else if (strcmp(a, "--perms") == 0)
            st = num_parse_size(v, 1, 10000000, a, &p->perms, msg);
        else if (strcmp(a, "--probe") == 0)
            st = num_parse_size(v, 2, 100000, a, &p->run.probe, msg);
        else if (strcmp(a, "--data") == 0)
            p->run.data = v;
        else if (strcmp(a, "--runs") == 0)
            p->run.runs = v;
        else /* --lr */
            st = num_parse_real(v, 0, 100, 1, a, &p->run.lr, msg);
        if (st)
            return st;
    }
    return ST_OK;
}

static void print_point(const Snapshot *s, void *ctx)
{
    (void)ctx;
    double q = snapshot_metric(s, "q_whole");
    if (!isfinite(q))
        return;
    printf("epoch %6zu  ex %8zu  acc %.4f  Q %.4f  Q_hid %.4f  r(ID,PC) %+.3f  r(ID,MZ) %+.3f  IH %.3f %.3f\n",
           s->epoch, s->examples_seen, s->eval.accuracy, q, snapshot_metric(s, "q_hidden"),
           snapshot_metric(s, "r_id_pc"), snapshot_metric(s, "r_id_mz"), snapshot_metric(s, "ih_hl1_mean"),
           snapshot_metric(s, "ih_hl2_mean"));
    fflush(stdout);
}

static void print_span(const MlpPhasesReport *r, int k, int ph)
{
    char buf[40] = "none";
    if (r->span[k][ph][0] >= 0)
        snprintf(buf, sizeof buf, "%ld-%ld", r->span[k][ph][0], r->span[k][ph][1]);
    printf("  %-7s %-12s", phases_name((Phase)ph), buf);
}

static void print_test(const char *label, const PermTest *t)
{
    printf("%s r %+.3f (p %.2g, n %zu)", label, t->r, t->p, t->n);
}

static void print_report(const MlpPhases *m, const MlpPhasesReport *r)
{
    static const char *const readout[2] = {"whole graph", "hidden subgraph"};
    printf("\nResults over %zu measured epochs ([paper] values are seed paper 000's):\n\n", r->n_points);
    printf("Learning phases of Q (rule in analysis/phases.h: noise floor 0.01, window 3)\n");
    for (int k = 0; k < 2; k++) {
        printf("  %-16s", readout[k]);
        if (!r->phase_ok[k]) {
            printf("  not detected: %s\n", r->phase_problem[k]);
            continue;
        }
        for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++)
            print_span(r, k, ph);
        printf("  peak %zu\n", mlp_phases_point(m, (size_t)r->phase[k].peak)->epoch);
    }
    printf("  [paper: early, middle (Q rises with accuracy), late (Q falls) over 100,000 SGD epochs]\n\n");
    printf("r(Q, accuracy) in the middle phase  [paper 0.981]\n");
    for (int k = 0; k < 2; k++) {
        printf("  %-16s", readout[k]);
        if (r->q_acc_ok[k])
            print_test("", &r->q_acc[k]);
        else
            printf(" n/a (fewer than 3 epochs in a middle phase)");
        printf("\n");
    }
    static const char *const window[3] = {"early", "middle", "late"};
    static const char *const paper[3] = {"0.965", "0.874", "0.855"};
    printf("\nr(edge change Σ|ΔW1| per pixel, IP)  [paper: early 0.965, middle 0.874, late 0.855]\n");
    for (int w = 0; w < 3; w++) {
        if (r->edge_window[w][0] < 0) {
            printf("  %-7s none: %s  [paper %s]\n", window[w], r->edge_source[w], paper[w]);
            continue;
        }
        printf("  %-7s epochs %ld-%ld, %s  [paper %s]\n", window[w], r->edge_window[w][0], r->edge_window[w][1],
               r->edge_source[w], paper[w]);
        if (r->edge_ok[w]) {
            print_test("          all pixels ", &r->edge_ip[w][0]);
            print_test("   live pixels ", &r->edge_ip[w][1]);
            printf("\n");
        }
    }
    if (r->edge_window[0][0] >= 0)
        printf("  early edge change vs mean intensity: all pixels r %+.3f, live r %+.3f  [measured in earlier runs: 0.95-0.98]\n",
               r->edge_mean_r[0], r->edge_mean_r[1]);
    printf("\nInput-layer hubs vs ID over the measured epochs\n");
    const long at[4] = {r->pc_max_at, r->pc_max_live_at, r->mz_min_at, r->mz_min_live_at};
    const char *what[4] = {"max r(ID, PC), all pixels ", "max r(ID, PC), live pixels", "min r(ID, MZ), all pixels ",
                           "min r(ID, MZ), live pixels"};
    const char *pv[4] = {"0.396", "0.396", "-0.352", "-0.352"};
    for (int i = 0; i < 4; i++) {
        if (at[i] < 0) {
            printf("  %s  n/a\n", what[i]);
            continue;
        }
        const MlpPhasesPoint *p = mlp_phases_point(m, (size_t)at[i]);
        double rv = i == 0 ? p->r_id_pc : i == 1 ? p->r_id_pc_live : i == 2 ? p->r_id_mz : p->r_id_mz_live;
        double pp = i == 0 ? p->p_id_pc : i == 1 ? p->p_id_pc_live : i == 2 ? p->p_id_mz : p->p_id_mz_live;
        printf("  %s  %+.3f at epoch %zu (p %.2g)  [paper %s]\n", what[i], rv, p->epoch, pp, pv[i]);
    }
    printf("\nMean IH late in training: epochs %ld-%ld, %s  [paper: HL1 falls, HL2 rises]\n", r->ih_window[0],
           r->ih_window[1], r->ih_source);
    for (int h = 0; h < 2; h++)
        printf("  HL%d  %.4f -> %.4f bits  %s\n", h + 1, r->ih_start[h], r->ih_end[h],
               mlp_phases_trend_name(r->ih_trend[h]));
    printf("  (ends of a least-squares line through the window; |change| < %.3f bits counts as flat)\n",
           MLP_PHASES_IH_FLAT);
}

static int run_phases(int argc, char **argv)
{
    PhasesOptions po;
    char msg[STATUS_MSG_LEN] = "";
    Status st = parse_phases(argc, argv, &po, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    if (po.help) {
        usage_phases(stdout);
        return 0;
    }
    Session s;
    st = session_open(&s, &po.run, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        return status_exit_code(st);
    }
    MlpPhasesConfig c = {.reps = po.reps, .perms = po.perms, .seed = po.run.seed, .last_epoch = po.run.epochs,
                         .pixels = s.pixel_info, .rundir = s.rundir};
    MlpPhases *m = NULL;
    if ((st = mlp_phases_new(&c, &m, msg)) || trainer_add_metric(s.trainer, mlp_phases_epoch, m)) {
        fprintf(stderr, "neurotop experiment: %s\n", st ? msg : "too many per-epoch metrics");
        mlp_phases_free(m);
        session_close(&s);
        return st ? status_exit_code(st) : 1;
    }
    trainer_on_epoch(s.trainer, print_point, NULL);
    size_t in = s.data->train.rows * s.data->train.cols;
    printf("neurotop experiment mlp-phases · seed paper 000 (Shine et al. 2021, Brain Informatics 8:26)\n");
    printf("mlp %zu-100-100-%zu, sigmoid, softmax, no biases, U(-1,1), batch 1, lr %g, seed %llu\n", in,
           s.data->train.n_classes, po.run.lr, (unsigned long long)po.run.seed);
    printf("%zu epochs of %zu examples on %s (%zu training items); %zu Louvain runs, %zu permutations\n",
           po.run.epochs, po.run.epoch_size, s.data->name, s.data->train.n, po.reps, po.perms);
    printf("run directory: %s\n\n", rundir_path(s.rundir));
    fflush(stdout);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int stopping = 0;
    st = session_run_headless(&s, &stopping, msg);
    int code = 0;
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        code = status_exit_code(st);
    } else {
        if (stopping)
            printf("\nstopped by a signal: the results cover the epochs measured so far\n");
        MlpPhasesReport r;
        st = mlp_phases_report(m, &r, msg);
        if (!st) {
            print_report(m, &r);
            st = mlp_phases_write(m, &r, rundir_path(s.rundir), msg);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!st)
            printf("\nSeries: %s/mlp-phases-series.csv\nPixel maps: %s/mlp-phases-pixels.csv\n"
                   "Summary: %s/mlp-phases-summary.json\nPer-epoch metrics: %s/metrics.jsonl\n"
                   "Time: %.0f s\n",
                   rundir_path(s.rundir), rundir_path(s.rundir), rundir_path(s.rundir), rundir_path(s.rundir),
                   (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
        else {
            fprintf(stderr, "neurotop experiment: %s\n", msg);
            code = status_exit_code(st);
        }
        mlp_phases_report_done(&r);
        if (stopping && !code)
            code = 130;
    }
    /* The trainer has stopped: nothing calls the hook any more. */
    session_close(&s);
    mlp_phases_free(m);
    return code;
}

int cli_experiment_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "mlp-phases") == 0)
        return run_phases(argc, argv);
    if (strcmp(argv[1], "hebbff-modularity") == 0)
        return cli_experiment_hebbff_main(argc, argv);
    fprintf(stderr, "neurotop experiment: unknown experiment '%s' (available:", argv[1]);
    for (size_t i = 0; cli_experiment_names[i]; i++)
        fprintf(stderr, "%s %s", i ? "," : "", cli_experiment_names[i]);
    fprintf(stderr, ")\n");
    return 2;
}
