#include "neurotop/cli/cmd_experiment_dbn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/experiment_run.h"
#include "neurotop/cli/options.h"
#include "neurotop/cli/session.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/numparse.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/experiment/dbn_degrees.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/run/rundir.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop experiment dbn-degrees [options]\n\n"
               "Seed paper 002 (Testolin et al. 2020): trains a deep belief network without labels\n"
               "and prints the statistics of its weight graph before and after training beside\n"
               "the paper's statements, then clusters the receptive fields of its first hidden\n"
               "layer by earth mover's distance. Options:\n"
               "  --epochs N           epochs in all (20)\n"
               "  --layers LIST        every layer from the input (784,200,200; the paper's is\n"
               "                       784,500,500,2000)\n"
               "  --hidden LIST        the hidden layers alone (200,200)\n"
               "  --epochs-per-layer N epochs of each RBM before the next (10)\n"
               "  --cd N               Gibbs steps of contrastive divergence (1)\n"
               "  --lr X               learning rate (0.1)\n"
               "  --seed S             seed (0)\n"
               "  --data D             mnist10k (default), fashion or an IDX folder\n"
               "  --runs DIR           where the run directory is made (runs)\n"
               "  --theta X            an edge counts when |w| > X (0.1)\n"
               "  --clusters K         groups of receptive fields (20)\n");
}

typedef struct {
    DbnDegreesStats first, last;
    int have_first, have_last;
    double theta;
    char msg[STATUS_MSG_LEN];
} Watch;

static void on_epoch(const Snapshot *s, void *ctx)
{
    Watch *w = ctx;
    DbnDegreesStats st;
    if (dbn_degrees_measure(&s->config, s->params, s->epoch, w->theta, &st, w->msg))
        return;
    if (!w->have_first) {
        w->first = st;
        w->have_first = 1;
    }
    w->last = st;
    w->have_last = 1;
    printf("epoch %4zu  recon %8.3f  w mean %+.4f  skew %+.3f  kept %.1f%%\n", s->epoch, s->eval.recon,
           st.all_mean, st.all_skew, 100.0 * st.kept);
    fflush(stdout);
}

/* argv without --theta and --clusters (taken here) into rest. */
static Status split_args(int argc, char **argv, char **rest, int *n_rest, double *theta, size_t *clusters,
                         int *help, char *msg)
{
    *n_rest = 0;
    rest[(*n_rest)++] = argv[0];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = 1;
            continue;
        }
        int ours = strcmp(a, "--theta") == 0 || strcmp(a, "--clusters") == 0;
        if (ours && i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        Status st = ST_OK;
        if (strcmp(a, "--theta") == 0)
            st = num_parse_real(argv[++i], 0, 1e6, 0, a, theta, msg);
        else if (strcmp(a, "--clusters") == 0)
            st = num_parse_size(argv[++i], 1, 100000, a, clusters, msg);
        else if (strcmp(a, "--model") == 0 || strcmp(a, "--headless") == 0 || strcmp(a, "--resume") == 0 ||
                 strcmp(a, "--instances") == 0)
            return status_fail(msg, ST_EINVAL, "experiment dbn-degrees trains one new dbn: leave %s out", a);
        else
            rest[(*n_rest)++] = argv[i];
        if (st)
            return st;
    }
    return ST_OK;
}

static const char *verdict(int ok)
{
    return ok ? "reproduced" : "not reproduced";
}

static void print_report(const Watch *w)
{
    const DbnDegreesStats *a = &w->first, *b = &w->last;
    printf("\n%-34s %12s %12s\n", "statistic", "epoch 0", "epoch");
    printf("%-34s %12s %12zu\n", "", "", b->epoch);
    for (size_t k = 0; k < b->n_blocks; k++) {
        char name[48];
        snprintf(name, sizeof name, "RBM %zu weights: mean", k + 1);
        printf("%-34s %+12.4f %+12.4f\n", name, a->mean[k], b->mean[k]);
        snprintf(name, sizeof name, "RBM %zu weights: std", k + 1);
        printf("%-34s %12.4f %12.4f\n", name, a->std[k], b->std[k]);
        snprintf(name, sizeof name, "RBM %zu weights: skewness", k + 1);
        printf("%-34s %+12.3f %+12.3f\n", name, a->skew[k], b->skew[k]);
    }
    printf("%-34s %+12.4f %+12.4f\n", "all weights: mean", a->all_mean, b->all_mean);
    printf("%-34s %+12.3f %+12.3f\n", "all weights: skewness", a->all_skew, b->all_skew);
    for (size_t l = 0; l < b->n_layers; l++) {
        char name[48];
        snprintf(name, sizeof name, "%s strength: mean", l ? "hidden" : "visible");
        if (l)
            snprintf(name, sizeof name, "HL%zu strength: mean", l);
        printf("%-34s %+12.3f %+12.3f\n", name, a->strength_mean[l], b->strength_mean[l]);
        snprintf(name, sizeof name, "%s strength < 0: share", l ? "" : "visible");
        if (l)
            snprintf(name, sizeof name, "HL%zu strength < 0: share", l);
        printf("%-34s %12.3f %12.3f\n", name, a->strength_neg[l], b->strength_neg[l]);
    }
    printf("%-34s %11.1f%% %11.1f%%\n", "edges with |w| > theta: share", 100.0 * a->kept, 100.0 * b->kept);
    printf("%-34s %12zu %12zu\n", "  of which positive", a->pos, b->pos);
    printf("%-34s %12zu %12zu\n", "  of which negative", a->neg, b->neg);

    int all_neg = 1;
    for (size_t l = 0; l < b->n_layers; l++)
        all_neg &= b->strength_neg[l] == 1.0;
    printf("\nThe paper's statements (seed paper 002, section 4) at theta %g:\n", b->theta);
    printf("  the weights' mean shifts negative (inhibition)      %+.4f -> %+.4f  %s\n", a->all_mean, b->all_mean,
           verdict(b->all_mean < a->all_mean && b->all_mean < 0));
    printf("  the skewness of the weights grows                   %+.3f -> %+.3f  %s\n", a->all_skew, b->all_skew,
           verdict(b->all_skew > a->all_skew));
    printf("  every node's strength is negative after training    %s\n", verdict(all_neg));
    printf("  more negative than positive edges above theta       %zu vs %zu  %s\n", b->neg, b->pos,
           verdict(b->neg > b->pos));
}

static Status write_results(const Watch *w, Session *s, size_t clusters, char *msg)
{
    char path[1200];
    StrBuf b;
    strbuf_init(&b);
    JsonWriter jw;
    json_init(&jw, &b);
    json_object_begin(&jw);
    json_key(&jw, "before");
    dbn_degrees_json(&w->first, &jw);
    json_key(&jw, "after");
    dbn_degrees_json(&w->last, &jw);
    json_object_end(&jw);
    snprintf(path, sizeof path, "%s/dbn-degrees.json", rundir_path(s->rundir));
    Status st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory")
                                  : file_write_atomic(path, strbuf_cstr(&b), b.len, msg);
    strbuf_done(&b);
    if (st)
        return st;
    Snapshot *last = store_latest(s->store);
    if (!last)
        return status_fail(msg, ST_EINTERNAL, "no trained snapshot to cluster");
    AnalysisArgs a;
    analysis_args_init("rfclusters", &a);
    a.clusters = (long)clusters;
    JobResult *r = NULL;
    printf("\nclustering the receptive fields of HL1 (%zu groups)...\n", clusters);
    fflush(stdout);
    st = analysis_run_now(analysis_find("rfclusters"), last, &a, &r, msg);
    snapshot_release(last);
    if (st)
        return st;
    printf("%s", strbuf_cstr(&r->text));
    snprintf(path, sizeof path, "%s/dbn-clusters.json", rundir_path(s->rundir));
    st = file_write_atomic(path, strbuf_cstr(&r->json), r->json.len, msg);
    job_result_free(r);
    if (!st)
        printf("\nStatistics: %s/dbn-degrees.json\nClusters: %s/dbn-clusters.json\n", rundir_path(s->rundir),
               rundir_path(s->rundir));
    return st;
}

int cli_experiment_dbn_main(int argc, char **argv)
{
    char msg[STATUS_MSG_LEN] = "";
    char **rest = malloc((size_t)(argc + 1) * sizeof *rest);
    if (!rest)
        return 1;
    int n_rest = 0, help = 0;
    Watch w;
    memset(&w, 0, sizeof w);
    w.theta = 0.1;
    size_t clusters = 20;
    RunOptions o;
    options_defaults(&o, 20);
    snprintf(o.model, sizeof o.model, "dbn");
    o.qreps = 0; /* the experiment's own statistics, not the live Q */
    o.flexreps = 0;
    o.save_every = 0;
    Status st = split_args(argc, argv, rest, &n_rest, &w.theta, &clusters, &help, msg);
    Session s;
    int opened = cli_experiment_open(st, msg, help, usage, rest, n_rest, NULL, &o, &s);
    if (opened >= 0)
        return opened;
    trainer_on_epoch(s.trainer, on_epoch, &w);
    printf("neurotop experiment dbn-degrees · seed paper 002 (Testolin et al. 2020, J. Complex Networks)\n");
    printf("dbn %zu", s.data->train.rows * s.data->train.cols);
    for (size_t i = 0; i < o.n_hidden; i++)
        printf("-%zu", o.hidden[i]);
    printf(", CD-%g, lr %g, batch %zu, %zu epochs (%g per RBM), seed %llu\nrun directory: %s\n\n", o.kparams[0],
           o.lr, o.batch, o.epochs, o.kparams[1], (unsigned long long)o.seed, rundir_path(s.rundir));
    fflush(stdout);
    int stopping = 0, code = 0;
    st = session_run_headless(&s, &stopping, msg);
    if (!st && (!w.have_first || !w.have_last))
        st = status_fail(msg, ST_EINTERNAL, "no epoch was measured: %s", w.msg[0] ? w.msg : "?");
    if (!st) {
        print_report(&w);
        st = write_results(&w, &s, clusters, msg);
    }
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        code = status_exit_code(st);
    } else if (stopping) {
        code = 130;
    }
    session_close(&s);
    return code;
}
