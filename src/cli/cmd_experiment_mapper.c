#include "neurotop/cli/cmd_experiment_mapper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/experiment_run.h"
#include "neurotop/cli/options.h"
#include "neurotop/cli/session.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/numparse.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/info_trajectory.h"
#include "neurotop/run/rundir.h"

/* Epochs at most, and the held-out accuracy that ends the run earlier. */
#define DEFAULT_EPOCHS 100
#define DEFAULT_TARGET 0.90
/* An epoch whose held-out accuracy rose by this much is a jump. */
#define JUMP 0.05

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop experiment mapper-branching [options]\n\n"
               "Seed paper 003 (Gabella et al. 2019): records every unit's incoming weights\n"
               "while an MLP learns from a (near) zero start, until --target held-out accuracy,\n"
               "and prints the epochs where accuracy jumps, the branches of the output layer's\n"
               "and the first hidden layer's trajectories over time, and the Mapper graph of the\n"
               "output layer's trajectories (its leaves beside the paper's 10). Options:\n"
               "  --init zero|tiny   zero (default): output weights 0, hidden N(0, 1e-8), 784-100-10,\n"
               "                     lr 0.05; tiny: every weight N(0, 1e-6), 784-100-100-10, lr 0.3;\n"
               "                     then the share of HL1's trajectory variance in 2 components\n"
               "  --target A         held-out accuracy that ends the run (0.9)\n"
               "  --epochs N         epochs at most (%d)\n"
               "  --record-every K   mini-batches between records (10)\n"
               "  --intervals N, --overlap P   Mapper's cover (15, 0.4)\n"
               "  --hidden, --lr, --batch (50), --seed, --data, --runs, --epoch-size as for train\n",
            DEFAULT_EPOCHS);
}

typedef struct {
    Control *control;
    double target;
    size_t n, cap;
    double *acc;       /* held-out accuracy per epoch from 0 */
    size_t reached;    /* first epoch at the target (0 = not reached) */
} Watch;

static void on_epoch(const Snapshot *s, void *ctx)
{
    Watch *w = ctx;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 128;
        double *a = realloc(w->acc, cap * sizeof *a);
        if (!a)
            return;
        w->acc = a;
        w->cap = cap;
    }
    w->acc[w->n++] = s->eval.accuracy;
    printf("epoch %4zu  held-out accuracy %6.2f%%\n", s->epoch, 100.0 * s->eval.accuracy);
    fflush(stdout);
    if (!w->reached && s->eval.accuracy >= w->target) {
        w->reached = s->epoch;
        control_set_epochs(w->control, s->epoch); /* the epoch under way is the last */
    }
}

typedef struct {
    double target, overlap;
    size_t intervals;
    int help;
} Extra;

/* argv without the options taken here into rest. */
static Status split_args(int argc, char **argv, char **rest, int *n_rest, Extra *x, char *msg)
{
    *n_rest = 0;
    rest[(*n_rest)++] = argv[0];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            x->help = 1;
            continue;
        }
        int ours = strcmp(a, "--target") == 0 || strcmp(a, "--intervals") == 0 || strcmp(a, "--overlap") == 0;
        if (ours && i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        Status st = ST_OK;
        if (strcmp(a, "--target") == 0)
            st = num_parse_real(argv[++i], 0, 1, 0, a, &x->target, msg);
        else if (strcmp(a, "--intervals") == 0)
            st = num_parse_size(argv[++i], 1, 1000, a, &x->intervals, msg);
        else if (strcmp(a, "--overlap") == 0)
            st = num_parse_real(argv[++i], 0, 0.95, 0, a, &x->overlap, msg);
        else if (strcmp(a, "--model") == 0 || strcmp(a, "--headless") == 0 || strcmp(a, "--resume") == 0 ||
                 strcmp(a, "--instances") == 0 || strcmp(a, "--layers") == 0)
            return status_fail(msg, ST_EINVAL, "experiment mapper-branching trains one new mlp: leave %s out", a);
        else
            rest[(*n_rest)++] = argv[i];
        if (st)
            return st;
    }
    return ST_OK;
}

/* The branch curve of a layer, summarised: start, end, most, and the
 * count at each accuracy jump. */
static Status report_branches(const Session *s, const Snapshot *last, int layer, const char *name,
                              const Watch *w, BranchCurve *c, char *msg)
{
    Status st = trajectory_branch_curve(rundir_path(s->rundir), last, layer, 0.0, NULL, c, msg);
    if (st)
        return st;
    size_t most = 0;
    for (size_t r = 1; r < c->n; r++)
        most = c->count[r] > c->count[most] ? r : most;
    printf("%s: %zu units, eps %.4g (5%% of the largest norm %.4g); %.0f branch%s at the start, %.0f at the end, "
           "most %.0f (epoch %.2f)\n",
           name, c->units, c->eps, c->max_norm, c->count[0], c->count[0] == 1 ? "" : "es", c->count[c->n - 1],
           c->count[most], c->epoch[most]);
    printf("  at the accuracy jumps:");
    int any = 0;
    for (size_t e = 1; e < w->n; e++) {
        if (!(w->acc[e] - w->acc[e - 1] >= JUMP))
            continue;
        size_t r = 0;
        while (r + 1 < c->n && c->epoch[r + 1] <= (double)e)
            r++;
        printf("%s epoch %zu: %.0f", any ? "," : "", e, c->count[r]);
        any = 1;
    }
    printf("%s\n", any ? "" : " none");
    return ST_OK;
}

/* Mapper of the output layer's trajectories, written as DOT and JSON into
 * the run directory; prints its shape. */
static Status run_mapper(const Session *s, const Snapshot *last, int layer, const Extra *x, long *leaves,
                         int *tree, char *msg)
{
    char dot[1200], json[1200];
    snprintf(dot, sizeof dot, "%s/mapper-output.dot", rundir_path(s->rundir));
    snprintf(json, sizeof json, "%s/mapper-output.json", rundir_path(s->rundir));
    AnalysisArgs a;
    analysis_args_init("mapper", &a);
    a.layer = layer;
    a.intervals = (long)x->intervals;
    a.overlap = x->overlap;
    a.run_dir = rundir_path(s->rundir);
    a.files[PARAM_DOT] = dot; /* written by the analysis, atomically */
    JobResult *r = NULL;
    Status st = analysis_run_now(analysis_find("mapper"), last, &a, &r, msg);
    if (st)
        return st;
    st = file_write_atomic(json, strbuf_cstr(&r->json), r->json.len, msg);
    JsonDoc *doc = NULL;
    if (!st)
        st = json_parse(strbuf_cstr(&r->json), r->json.len, "mapper", NULL, &doc, msg);
    if (!st) {
        const JsonValue *root = json_doc_root(doc), *l = json_get(root, "leaves"), *t = json_get(root, "tree");
        *leaves = l && l->type == JSON_NUMBER ? (long)l->integer : -1;
        *tree = t && t->type == JSON_BOOL && t->boolean;
        json_doc_free(doc);
    }
    job_result_free(r);
    if (!st)
        printf("Mapper graph: %s and %s\n", json, dot);
    return st;
}

static const char *verdict(int ok)
{
    return ok ? "reproduced" : "not reproduced";
}

static Status report(Session *s, const Watch *w, const RunOptions *o, const Extra *x, char *msg)
{
    Snapshot *last = store_latest(s->store);
    if (!last)
        return status_fail(msg, ST_EINTERNAL, "no epoch was trained");
    int out_layer = (int)last->config.n_layers - 1;
    printf("\nheld-out accuracy %.2f%% after %zu epochs%s\n", 100.0 * last->eval.accuracy, last->epoch,
           w->reached ? "" : " (the target was not reached: more --epochs?)");
    printf("accuracy jumps (+%.0f points or more in one epoch):", 100.0 * JUMP);
    int any = 0;
    for (size_t e = 1; e < w->n; e++)
        if (w->acc[e] - w->acc[e - 1] >= JUMP) {
            printf("%s %zu (%.0f%% -> %.0f%%)", any ? "," : "", e, 100.0 * w->acc[e - 1], 100.0 * w->acc[e]);
            any = 1;
        }
    printf("%s\n\n", any ? "" : " none");
    BranchCurve out = {0}, hl1 = {0};
    long leaves = -1;
    int tree = 0;
    Status st = report_branches(s, last, out_layer, "output layer", w, &out, msg);
    if (!st)
        st = report_branches(s, last, 1, "HL1", w, &hl1, msg);
    if (!st)
        st = run_mapper(s, last, out_layer, x, &leaves, &tree, msg);
    size_t classes = last->config.sizes[last->config.n_layers - 1];
    if (!st) {
        printf("\nThe paper's statements (seed paper 003) beside this run:\n");
        printf("  the output vectors split into one branch per class        %.0f of %zu at the end  %s\n",
               out.count[out.n - 1], classes, verdict(out.count[out.n - 1] == (double)classes));
        if (o->init == MODEL_INIT_TINY) /* the paper's trees are of the zero start */
            printf("  Mapper of the output trajectories (a zero start's tree)    %s, %ld leaves\n",
                   tree ? "a tree" : "not a tree", leaves);
        else
            printf("  Mapper of the output trajectories is a tree with %zu leaves  %s, %ld leaves  %s\n", classes,
                   tree ? "a tree" : "not a tree", leaves, verdict(tree && leaves == (long)classes));
        double hl1_most = 0;
        for (size_t r = 0; r < hl1.n; r++)
            hl1_most = hl1.count[r] > hl1_most ? hl1.count[r] : hl1_most;
        printf("  about 12 branches in the first hidden layer                most %.0f, %.0f at the end: "
               "a curve, not one number\n",
               hl1_most, hl1.count[hl1.n - 1]);
    }
    if (!st && o->init == MODEL_INIT_TINY) {
        /* The branching phase: from the epoch before the first jump to the
         * last jump (the paper's surface is traced while units split). */
        size_t j0 = 0, j1 = 0;
        for (size_t e = 1; e < w->n; e++)
            if (w->acc[e] - w->acc[e - 1] >= JUMP) {
                j0 = j0 ? j0 : e;
                j1 = e;
            }
        double mean = 0, min = 0, all_mean = 0, all_min = 0;
        size_t used = 0, all_used = 0;
        st = trajectory_unit_surface(rundir_path(s->rundir), last, 1, 0.0, (double)last->epoch, 400, &all_mean,
                                     &all_min, &all_used, msg);
        if (!st && j0)
            st = trajectory_unit_surface(rundir_path(s->rundir), last, 1, (double)j0 - 1.0, (double)j1, 400, &mean,
                                         &min, &used, msg);
        if (!st && j0)
            printf("  from a tiny start each HL1 unit moves on a 2-D surface   %.1f%% of a unit's path variance in 2 "
                   "components (mean; least %.1f%%), epochs %zu-%zu  %s (threshold: mean 90%%)\n",
                   100.0 * mean, 100.0 * min, j0 - 1, j1, verdict(mean >= 0.9));
        if (!st)
            printf("  %-58s %.1f%% (mean; least %.1f%%) over the whole run\n", "", 100.0 * all_mean,
                   100.0 * all_min);
    }
    branch_curve_free(&out);
    branch_curve_free(&hl1);
    snapshot_release(last);
    return st;
}

/* The recipe of each start (seed 003 reproduced with these), unless given:
 * a zero start unless told tiny. */
static Status recipe(RunOptions *o, char *msg)
{
    if (o->record_every == 0)
        return status_fail(msg, ST_EINVAL, "mapper-branching needs its trajectories: --record-every must be at least 1");
    if (o->init == MODEL_INIT_UNIFORM)
        o->init = MODEL_INIT_ZERO;
    int tiny = o->init == MODEL_INIT_TINY;
    if (!(o->given & OPT_GIVEN_HIDDEN)) {
        o->n_hidden = tiny ? 2 : 1;
        o->hidden[0] = o->hidden[1] = 100;
    }
    if (!(o->given & OPT_GIVEN_LR))
        o->lr = tiny ? 0.3 : 0.05;
    if (!(o->given & OPT_GIVEN_BATCH))
        o->batch = 50;
    o->given |= OPT_GIVEN_HIDDEN | OPT_GIVEN_LR | OPT_GIVEN_BATCH;
    return ST_OK;
}

int cli_experiment_mapper_main(int argc, char **argv)
{
    char msg[STATUS_MSG_LEN] = "";
    char **rest = malloc((size_t)(argc + 8) * sizeof *rest);
    if (!rest)
        return 1;
    int n_rest = 0;
    Extra x = {.target = DEFAULT_TARGET, .overlap = 0.4, .intervals = 15};
    RunOptions o;
    options_defaults(&o, DEFAULT_EPOCHS);
    o.qreps = 0; /* the experiment's own measures, not the live ones */
    o.flexreps = 0;
    o.record_every = 10;
    Status st = split_args(argc, argv, rest, &n_rest, &x, msg);
    Session s;
    int opened = cli_experiment_open(st, msg, x.help, usage, rest, n_rest, recipe, &o, &s);
    if (opened >= 0)
        return opened;
    int tiny = o.init == MODEL_INIT_TINY;
    Watch w = {.control = &s.control, .target = x.target};
    trainer_on_epoch(s.trainer, on_epoch, &w);
    printf("neurotop experiment mapper-branching · seed paper 003 (Gabella et al. 2019, arXiv:1902.08160)\n");
    printf("mlp %zu", s.data->train.rows * s.data->train.cols);
    for (size_t i = 0; i < o.n_hidden; i++)
        printf("-%zu", o.hidden[i]);
    printf("-%zu, sigmoid, no biases, %s start, lr %g, batch %zu, a record every %zu mini-batches, until %.0f%% "
           "held out (at most %zu epochs), seed %llu\nrun directory: %s\n\n",
           s.data->train.n_classes, tiny ? "tiny N(0, 1e-6)" : "zero (hidden N(0, 1e-8))", o.lr, o.batch,
           o.record_every, 100.0 * x.target, o.epochs, (unsigned long long)o.seed, rundir_path(s.rundir));
    fflush(stdout);
    int stopping = 0, code = 0;
    st = session_run_headless(&s, &stopping, msg);
    if (!st && !stopping)
        st = report(&s, &w, &o, &x, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        code = status_exit_code(st);
    } else if (stopping) {
        code = 130;
    }
    free(w.acc);
    session_close(&s);
    return code;
}
