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

#include "neurotop/cli/cmd_experiment_dbn.h"
#include "neurotop/cli/cmd_experiment_hebbff.h"
#include "neurotop/cli/cmd_experiment_mapper.h"
#include "neurotop/cli/cmd_experiment_loc.h"
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
               "               and across HebbFF instances (Fig. 4A/C, 5C/D) and the learning modes\n"
               "  dbn-degrees  seed paper 002: a DBN's weights, strengths and thresholded edges\n"
               "               before and after training, and its receptive-field clusters\n"
               "  mapper-branching  seed paper 003: weight trajectories from a zero start branch\n"
               "               into one per class (Mapper trees), or lie on a surface from a tiny one\n"
               "  lenet-localization  seed paper 004: every neuron of LeNet put back in its place\n"
               "               from its responses to stimulus sets, error per set beside the paper's\n\n"
               "neurotop experiment NAME --help describes its options.\n");
}

static void usage_phases(FILE *f)
{
    fprintf(f,
            "usage: neurotop experiment mlp-phases [options]\n\n"
            "Trains the network of seed paper 000 (784-100-100-10, sigmoid, softmax, no\n"
            "biases, U(-1,1) weights, batch-1 SGD) headless in epochs of --epoch-size\n"
            "examples, measures the snapshots on a schedule like the paper's (every epoch\n"
            "to 30, every 5 to 100, every 25 to 500, every 100 to 2000, then every 250;\n"
            "the other epochs are trained only), and prints each result with the paper's\n"
            "value beside it: the learning phases of Q (whole graph and hidden subgraph)\n"
            "by tests against the Louvain run-to-run noise (docs/methods.md 23) with the\n"
            "trends of Q and how the boundaries move with --alpha, r(Q, accuracy) in the\n"
            "middle phase raw and on first differences, r(edge change, IP) beside the\n"
            "partial r given mean intensity, max r(ID, PC) and min r(ID, MZ) with the p of\n"
            "the search over epochs, and the late trend of mean IH in HL1 and HL2. Every\n"
            "series is written as CSV into the run directory. The defaults took 206 s\n"
            "(49 s of CPU) on a 2-core machine busy with other jobs.\n\n"
            "Options:\n"
            "  --epochs N       epochs to train (default 8000)\n"
            "  --epoch-size K   training examples per epoch (default 100: 800,000 examples,\n"
            "                   100 passes over the bundled 8,000 training digits)\n"
            "  --lr X           learning rate (default 0.3)\n"
            "  --seed S         seed for the weights, the order, Louvain and permutations (0)\n"
            "  --reps R         Louvain runs per readout per measured epoch, >= 2 (default 10)\n"
            "  --alpha A        significance of each phase test, one-sided (default 0.01)\n"
            "  --perms N        permutations per test (default 10000, as the paper)\n"
            "  --probe N        held-out items whose activations give IH (default 1000)\n"
            "  --data D         mnist10k (default), fashion, or a folder of MNIST IDX files\n"
            "  --runs DIR       where the run directory is created (default runs)\n");
}

typedef struct {
    RunOptions run;
    size_t reps, perms;
    double alpha;
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
    p->run.flexreps = 0;   /* it reads no flexibility */
    p->reps = 10;
    p->perms = 10000;
    p->alpha = 0.01;
    p->help = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            p->help = 1;
            return ST_OK;
        }
        static const char *const known[] = {"--epochs", "--epoch-size", "--lr", "--seed", "--reps",
                                            "--perms", "--probe", "--data", "--runs", "--alpha"};
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
            st = num_parse_size(v, 2, 1000, a, &p->reps, msg);
        else if (strcmp(a, "--alpha") == 0)
            st = num_parse_real(v, 0, 0.49, 1, a, &p->alpha, msg);
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
    double q = snapshot_metric(s, "q_whole_mean");
    if (!isfinite(q))
        return;
    /* Q: the mean of the Louvain runs ± half their range. */
    double hw = (snapshot_metric(s, "q_whole_max") - snapshot_metric(s, "q_whole_min")) / 2;
    double hh = (snapshot_metric(s, "q_hidden_max") - snapshot_metric(s, "q_hidden_min")) / 2;
    printf("epoch %6zu  ex %8zu  acc %.4f  Q %.4f±%.4f  Q_hid %.4f±%.4f  r(ID,PC) %+.3f  r(ID,MZ) %+.3f  IH %.3f %.3f\n",
           s->epoch, s->examples_seen, s->eval.accuracy, q, hw, snapshot_metric(s, "q_hidden_mean"), hh,
           snapshot_metric(s, "r_id_pc"), snapshot_metric(s, "r_id_mz"), snapshot_metric(s, "ih_hl1_mean"),
           snapshot_metric(s, "ih_hl2_mean"));
    fflush(stdout);
}

static void print_test(const char *label, const MlpPhasesTest *t)
{
    if (t->ok)
        printf("%sr %+.3f (p %.2g, n %zu)", label, t->t.r, t->t.p, t->t.n);
    else
        printf("%sn/a", label);
}

static void print_trend(const MlpPhases *m, const char *label, const PhaseTrend *t)
{
    printf("      %-22s", label);
    if (t->first < 0 || t->last < t->first) {
        printf(" n/a\n");
        return;
    }
    printf(" epochs %zu-%zu: ", mlp_phases_point(m, (size_t)t->first)->epoch,
           mlp_phases_point(m, (size_t)t->last)->epoch);
    if (t->ok)
        printf("%+.2e [%+.2e, %+.2e] %s\n", t->fit.slope, t->fit.lo, t->fit.hi, phases_shape_name(t->shape));
    else
        printf("n/a (%ld points)\n", t->last - t->first + 1);
}

static void print_phases(const MlpPhases *m, const MlpPhasesReport *r, int k)
{
    static const char *const readout[2] = {"whole graph", "hidden subgraph"};
    printf("  %s\n", readout[k]);
    if (!r->phase_ok[k]) {
        printf("    not detected: %s\n", r->phase_problem[k]);
        return;
    }
    const PhaseResult *res = &r->phase[k];
    printf("   ");
    for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++) {
        char buf[40] = "none";
        if (r->span[k][ph][0] >= 0)
            snprintf(buf, sizeof buf, "%ld-%ld", r->span[k][ph][0], r->span[k][ph][1]);
        printf(" %s %-11s", phases_name((Phase)ph), buf);
    }
    printf(" peak %zu\n", mlp_phases_point(m, (size_t)res->peak)->epoch);
    if (res->peak > 0)
        printf("    rise: peak - epoch 0 = %+.4f (t %.1f, p %.2g)", res->rise.diff, res->rise.t, res->rise.p);
    else
        printf("    rise: none (the peak is epoch 0)");
    if (isfinite(res->fall.diff))
        printf("; fall: peak - end = %+.4f (t %.1f, p %.2g)\n", res->fall.diff, res->fall.t, res->fall.p);
    else
        printf("; fall: none (the peak is the last epoch)\n");
    printf("    slope of mean Q per epoch, 95%% interval from the Louvain noise:\n");
    print_trend(m, "while accuracy climbs", &res->trend[PHASE_EARLY]);
    print_trend(m, "middle phase", &res->trend[PHASE_MIDDLE]);
    print_trend(m, "after the peak", &res->trend[PHASE_LATE]);
    if (isfinite(res->climb_share))
        printf("    %.0f%% of the rise (peak - epoch 0) was made while accuracy made 90%% of its gain\n",
               100.0 * res->climb_share);
    printf("    boundaries by alpha (middle from / late from):");
    for (int a = 0; a < PHASES_N_SENSITIVITY; a++) {
        char mid[24] = "-", late[24] = "-";
        if (r->sens[k][a][PHASE_MIDDLE] >= 0)
            snprintf(mid, sizeof mid, "%ld", r->sens[k][a][PHASE_MIDDLE]);
        if (r->sens[k][a][PHASE_LATE] >= 0)
            snprintf(late, sizeof late, "%ld", r->sens[k][a][PHASE_LATE]);
        printf("  %g: %s/%s", phases_sensitivity_alphas[a], mid, late);
    }
    printf("\n");
}

static void print_report(const MlpPhases *m, const MlpPhasesReport *r)
{
    static const char *const readout[2] = {"whole graph", "hidden subgraph"};
    printf("\nResults over %zu measured epochs ([paper] values are seed paper 000's):\n\n", r->n_points);
    printf("Learning phases of Q (docs/methods.md 23): each epoch's Q is the mean of its Louvain runs;\n"
           "one-sided Welch tests at alpha %g, the existence of a rise or a fall at alpha/(T-1) = %.2g\n",
           r->alpha, r->phase_ok[0] ? r->phase[0].alpha_search : r->alpha);
    for (int k = 0; k < 2; k++)
        print_phases(m, r, k);
    printf("  [paper: early (Q flat while accuracy rises), middle (Q rises with accuracy), late (Q falls)]\n\n");
    printf("r(Q, accuracy) in the middle phase  [paper 0.981]\n");
    for (int k = 0; k < 2; k++) {
        printf("  %-16s", readout[k]);
        if (!r->phase_ok[k] || !isfinite(r->phase[k].r_middle)) {
            printf(" n/a (fewer than 3 epochs in a middle phase)\n");
            continue;
        }
        printf(" raw r %+.3f (n %zu; both series trend, so no p)  ", r->phase[k].r_middle, r->phase[k].n_middle);
        print_test("first differences ", &r->q_acc_diff[k]);
        printf("\n");
    }
    static const char *const window[3] = {"early", "middle", "late"};
    static const char *const paper[3] = {"0.965", "0.874", "0.855"};
    printf("\nr(edge change Σ|ΔW1| per pixel, IP), and the partial r given the pixels' mean intensity\n"
           "[paper: early 0.965, middle 0.874, late 0.855; no partial r]\n");
    for (int w = 0; w < 3; w++) {
        if (r->edge_window[w][0] < 0) {
            printf("  %-7s none: %s  [paper %s]\n", window[w], r->edge_source[w], paper[w]);
            continue;
        }
        printf("  %-7s epochs %ld-%ld, %s  [paper %s]\n", window[w], r->edge_window[w][0], r->edge_window[w][1],
               r->edge_source[w], paper[w]);
        print_test("          all pixels  ", &r->edge_ip[w][0]);
        print_test("   live pixels  ", &r->edge_ip[w][1]);
        printf("\n");
        print_test("          partial, all ", &r->edge_ip_partial[w][0]);
        print_test("   partial, live ", &r->edge_ip_partial[w][1]);
        printf("\n          r(edge change, mean intensity): all %+.3f, live %+.3f\n", r->edge_mean_r[w][0],
               r->edge_mean_r[w][1]);
    }
    printf("\nInput-layer hubs vs ID over the measured epochs (p: that epoch's test; search p: the\n"
           "extreme over all measured epochs against permutations of ID, max-statistic)\n");
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
        printf("  %s  %+.3f at epoch %zu (p %.2g, search p %.2g)  [paper %s]\n", what[i], rv, p->epoch, pp,
               r->p_search[i], pv[i]);
    }
    printf("\nMean IH late in training: epochs %ld-%ld, %s  [paper: HL1 falls, HL2 rises]\n", r->ih_window[0],
           r->ih_window[1], r->ih_source);
    for (int h = 0; h < 2; h++) {
        const TrendFit *f = &r->ih_fit[h];
        printf("  HL%d  %.4f -> %.4f bits", h + 1, r->ih_start[h], r->ih_end[h]);
        if (r->ih_trend[h])
            printf(", slope %+.2e per epoch [%+.2e, %+.2e] %s\n", f->slope, f->lo, f->hi,
                   mlp_phases_trend_name(r->ih_trend[h]));
        else
            printf("  n/a\n");
    }
    printf("  (ends of a least-squares line through the window; the 95%% interval is widened for\n"
           "  autocorrelated residuals, and 'flat' means it contains 0)\n");
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
    MlpPhasesConfig c = {.reps = po.reps, .alpha = po.alpha, .perms = po.perms, .seed = po.run.seed,
                         .last_epoch = po.run.epochs, .pixels = s.pixel_info, .rundir = s.rundir};
    MlpPhases *m = NULL;
    if ((st = mlp_phases_new(&c, &m, msg)) || trainer_add_metric(s.trainer, mlp_phases_epoch, m)) {
        fprintf(stderr, "neurotop experiment: %s\n", st ? msg : "too many per-epoch metrics");
        mlp_phases_free(m);
        session_close(&s);
        return st ? status_exit_code(st) : 1;
    }
    trainer_on_epoch(s.trainer, print_point, NULL);
    /* Unmeasured epochs are trained only: no evaluation, no live metrics. */
    trainer_set_epoch_filter(s.trainer, mlp_phases_wants, m);
    size_t in = s.data->train.rows * s.data->train.cols;
    printf("neurotop experiment mlp-phases · seed paper 000 (Shine et al. 2021, Brain Informatics 8:26)\n");
    printf("mlp %zu-100-100-%zu, sigmoid, softmax, no biases, U(-1,1), batch 1, lr %g, seed %llu\n", in,
           s.data->train.n_classes, po.run.lr, (unsigned long long)po.run.seed);
    printf("%zu epochs of %zu examples on %s (%zu training items); %zu Louvain runs, %zu permutations, alpha %g\n",
           po.run.epochs, po.run.epoch_size, s.data->name, s.data->train.n, po.reps, po.perms, po.alpha);
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
    if (strcmp(argv[1], "dbn-degrees") == 0)
        return cli_experiment_dbn_main(argc, argv);
    if (strcmp(argv[1], "mapper-branching") == 0)
        return cli_experiment_mapper_main(argc, argv);
    if (strcmp(argv[1], "lenet-localization") == 0)
        return cli_experiment_loc_main(argc, argv);
    fprintf(stderr, "neurotop experiment: unknown experiment '%s' (available:", argv[1]);
    for (size_t i = 0; cli_experiment_names[i]; i++)
        fprintf(stderr, "%s %s", i ? "," : "", cli_experiment_names[i]);
    fprintf(stderr, ")\n");
    return 2;
}
