/* The Louvain engine of the weight graph (weightq.h) and its three users:
 * the live per-epoch Q, jobs_weight_q and the louvain analysis. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/measure/weightq.h"
#include "neurotop/run/snapshot_io.h"

#define SAMPLE_EPOCH0 "sample-runs/mlp-mnist/snapshots/epoch-000000.nts"
#define SAMPLE_EPOCH40 "sample-runs/mlp-mnist/snapshots/epoch-000040.nts"

static Matrix *karate(void)
{
    Matrix *a = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(csv_read_matrix("tests/fixtures/karate.csv", &a, msg), ST_OK, "%s", msg);
    return a;
}

static Snapshot *load(const char *path)
{
    Snapshot *s = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(snapshot_load(path, &s, msg), ST_OK, "%s", msg);
    return s;
}

Test(weightq, runs_as_louvain_run_reps_on_the_sparse_operator)
{
    Matrix *a = karate();
    char msg[STATUS_MSG_LEN];
    WeightQ w;
    weightq_init(&w);
    WeightQOptions o;
    weightq_options_default(&o);
    o.sign = MOD_SIGN_NONE;
    o.reps = 7;
    o.seed = 5;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_OK, "%s", msg);

    ModSparse sp;
    modsparse_init(&sp);
    cr_assert_eq(modmat_build_sparse(a, 1.0, MOD_SIGN_NONE, &sp, NULL, msg), ST_OK);
    LouvainOp op;
    louvain_op_sparse(&op, &sp);
    int best[34];
    double q[7];
    LouvainSummary sum;
    cr_assert_eq(louvain_run_reps(&op, 5, 7, best, &sum, q, NULL, NULL, msg), ST_OK);
    cr_assert_eq(w.n, 34);
    cr_assert_eq(memcmp(w.best, best, sizeof best), 0, "same best partition");
    cr_assert_eq(memcmp(w.q, q, sizeof q), 0, "same Q for every run");
    cr_assert_eq(w.sum.best, sum.best);
    cr_assert_eq(w.sum.q_best, sum.q_best);
    cr_assert_eq(w.sum.q_sd, sum.q_sd);
    int k = 0;
    for (size_t i = 0; i < 34; i++)
        k = best[i] > k ? best[i] : k;
    cr_assert_eq(w.k, (size_t)k);
    double qb;
    cr_assert_eq(louvain_quality(&w.op, w.best, &qb, msg), ST_OK, "the operator outlives the run");
    cr_assert_float_eq(qb, w.sum.q_best, 1e-12);
    modsparse_done(&sp);
    weightq_done(&w);
    matrix_free(a);
}

Test(weightq, keeps_every_run_for_a_consensus)
{
    Matrix *a = karate();
    char msg[STATUS_MSG_LEN];
    WeightQ w;
    weightq_init(&w);
    WeightQOptions o;
    weightq_options_default(&o);
    o.sign = MOD_SIGN_SYM;
    o.reps = 6;
    o.seed = 2;
    o.keep_runs = 1;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_OK, "%s", msg);
    int *runs = malloc(6 * 34 * sizeof *runs);
    double q[6];
    cr_assert_eq(louvain_run_range(&w.op, 2, 0, 0, 6, q, runs, NULL, msg), ST_OK);
    cr_assert_eq(memcmp(w.runs, runs, 6 * 34 * sizeof *runs), 0, "run r is stream r of the seed");
    cr_assert_eq(memcmp(w.best, runs + w.sum.best * 34, 34 * sizeof *runs), 0, "best is the summary's best run");
    free(runs);
    weightq_done(&w);
    matrix_free(a);
}

static int calls;
static double last_frac;

static void count_progress(void *user, double frac)
{
    (void)user;
    calls++;
    cr_assert(frac > last_frac && frac <= 1.0, "progress grows to 1");
    last_frac = frac;
}

Test(weightq, reports_progress_at_most_twenty_times_and_can_be_cancelled)
{
    Matrix *a = karate();
    char msg[STATUS_MSG_LEN];
    WeightQ w;
    weightq_init(&w);
    WeightQOptions o;
    weightq_options_default(&o);
    o.sign = MOD_SIGN_NONE;
    o.reps = 100;
    o.progress = count_progress;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_OK, "%s", msg);
    cr_assert_eq(calls, 20);
    cr_assert_eq(last_frac, 1.0);
    calls = 0;
    last_frac = 0.0;
    o.reps = 3;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_OK, "%s", msg);
    cr_assert_eq(calls, 3, "fewer runs than steps: one report per run");

    volatile int stop = 1;
    o.cancel = &stop;
    o.progress = NULL;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_ECANCELED);
    o.cancel = NULL;
    o.reps = 0;
    cr_assert_eq(weightq_run(&w, a, &o, msg), ST_EINVAL);
    weightq_done(&w);
    matrix_free(a);
}

Test(weightq, reuses_its_buffers_across_parts_and_sizes)
{
    Snapshot *s = load(SAMPLE_EPOCH40);
    char msg[STATUS_MSG_LEN];
    WeightQ w;
    weightq_init(&w);
    WeightQOptions o;
    weightq_options_default(&o);
    o.reps = 2;
    o.seed = 9;
    cr_assert_eq(weightq_snapshot(&w, s, GRAPH_PART_WHOLE, &o, msg), ST_OK, "%s", msg);
    cr_assert_eq(w.n, 994);
    cr_assert_eq(w.layer[0], 0);
    cr_assert_eq(w.layer[993], 3);
    cr_assert_eq(w.unit[784], 0, "HL1 starts at node 784");
    LouvainSummary first = w.sum;
    int *labels = malloc(994 * sizeof *labels);
    memcpy(labels, w.best, 994 * sizeof *labels);
    cr_assert_eq(weightq_snapshot(&w, s, GRAPH_PART_HIDDEN, &o, msg), ST_OK, "%s", msg);
    cr_assert_eq(w.n, 210);
    cr_assert_eq(w.layer[0], 1, "the hidden subgraph starts at HL1");
    cr_assert_eq(weightq_snapshot(&w, s, GRAPH_PART_WHOLE, &o, msg), ST_OK, "%s", msg);
    cr_assert_eq(w.sum.q_best, first.q_best);
    cr_assert_eq(w.sum.q_mean, first.q_mean);
    cr_assert_eq(memcmp(w.best, labels, 994 * sizeof *labels), 0);
    free(labels);
    weightq_done(&w);
    snapshot_release(s);
}

/* metrics.jsonl of the sample run (seed 1, qreps 5) at epoch 0. */
static void expect_sample_epoch0(const Snapshot *s)
{
    cr_assert_eq(snapshot_metric(s, "q_whole"), 0.10257084690859329);
    cr_assert_eq(snapshot_metric(s, "q_whole_min"), 0.095905100043602934);
    cr_assert_eq(snapshot_metric(s, "q_whole_max"), 0.10257084690859329);
    cr_assert_eq(snapshot_metric(s, "q_whole_mean"), 0.098718655561491966);
    cr_assert_eq(snapshot_metric(s, "modules_whole"), 8);
    cr_assert_eq(snapshot_metric(s, "q_hidden"), 0.15197629344293406);
    cr_assert_eq(snapshot_metric(s, "q_hidden_min"), 0.14177143477268067);
    cr_assert_eq(snapshot_metric(s, "q_hidden_max"), 0.15197629344293406);
    cr_assert_eq(snapshot_metric(s, "q_hidden_mean"), 0.14536885304009023);
    cr_assert_eq(snapshot_metric(s, "modules_hidden"), 6);
    cr_assert_eq(snapshot_metric(s, "q_reps"), 5);
}

Test(weightq, the_live_q_of_the_sample_run_is_unchanged)
{
    Snapshot *s0 = load(SAMPLE_EPOCH0), *s40 = load(SAMPLE_EPOCH40);
    s0->n_metrics = 0; /* recompute, not read back */
    char msg[STATUS_MSG_LEN];
    ModularitySettings set;
    atomic_init(&set.qreps, 5);
    ModularityMetric *m = NULL;
    cr_assert_eq(modularity_metric_new(&set, 1, &m, msg), ST_OK);
    cr_assert_eq(modularity_metric_epoch(s0, m, msg), ST_OK, "%s", msg);
    expect_sample_epoch0(s0);
    /* Another epoch in between leaves the next epoch-0 figures alone. */
    cr_assert_eq(modularity_metric_epoch(s40, m, msg), ST_OK, "%s", msg);
    s0->n_metrics = 0;
    cr_assert_eq(modularity_metric_epoch(s0, m, msg), ST_OK, "%s", msg);
    expect_sample_epoch0(s0);
    /* qreps 0 turns the metric off. */
    atomic_store(&set.qreps, 0);
    s0->n_metrics = 0;
    cr_assert_eq(modularity_metric_epoch(s0, m, msg), ST_OK);
    cr_assert(isnan(snapshot_metric(s0, "q_whole")));
    modularity_metric_free(m);
    snapshot_release(s0);
    snapshot_release(s40);
}

Test(weightq, jobs_weight_q_is_the_live_q)
{
    Snapshot *s = load(SAMPLE_EPOCH0);
    char msg[STATUS_MSG_LEN];
    double q;
    size_t n = 0;
    int *labels = malloc(994 * sizeof *labels);
    cr_assert_eq(jobs_weight_q(s, 0, 5, rng_epoch_seed(1, 0), &q, labels, &n, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(q, 0.10257084690859329);
    cr_assert_eq(n, 994);
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k = labels[i] > k ? labels[i] : k;
    cr_assert_eq(k, 8, "modules_whole of the sample run");
    cr_assert_eq(jobs_weight_q(s, 1, 5, rng_epoch_seed(1, 0), &q, NULL, &n, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(q, 0.15197629344293406);
    cr_assert_eq(n, 210);
    free(labels);
    snapshot_release(s);
}

Test(weightq, summary_json_is_written_once_for_flat_and_layered_partitions)
{
    LouvainSummary sum = {.reps = 3, .best = 1, .q_best = 0.5, .q_mean = 0.25, .q_sd = 0.125, .q_min = 0, .q_max = 0.5};
    int labels[4] = {1, 1, 2, 1};
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    json_object_begin(&w);
    weightq_summary_json(&w, &sum, 0.5, 2, labels, 4, 0);
    json_object_end(&w);
    cr_assert_str_eq(strbuf_cstr(&b), "{\"reps\":3,\"Q\":0.5,\"q_mean\":0.25,\"q_sd\":0.125,\"q_min\":0,\"q_max\":0.5,"
                                      "\"n_communities\":2,\"partition\":[1,1,2,1]}");
    strbuf_done(&b);
    strbuf_init(&b);
    json_init(&w, &b);
    json_object_begin(&w);
    weightq_summary_json(&w, &sum, 0.5, 2, labels, 2, 2);
    json_object_end(&w);
    cr_assert(strstr(strbuf_cstr(&b), "\"partitions\":[[1,1],[2,1]]") != NULL, "%s", strbuf_cstr(&b));
    strbuf_done(&b);
}
