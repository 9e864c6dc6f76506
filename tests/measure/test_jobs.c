#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/mod_louvain.h"
#include "neurotop/measure/mod_roles.h"
#include "neurotop/measure/mod_degrees.h"

/* A 9-5-4-3 network with seeded random weights. */
static Snapshot *random_snapshot(void)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {9, 5, 4, 3}, .seed = 5};
    size_t n = model_param_count(&c);
    Snapshot *s = snapshot_new(&c, NULL, n, 0);
    Rng r;
    rng_seed(&r, 42, 0);
    for (size_t i = 0; i < n; i++)
        s->params[i] = (float)(2.0 * rng_uniform(&r) - 1.0);
    s->epoch = 3;
    return s;
}

static JobResult *run_job(const char *name, JobFn fn, const AnalysisArgs *a, Snapshot *s)
{
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(2, msg);
    JobRunner *jr = NULL;
    cr_assert_eq(jobrunner_new(store, &jr, msg), ST_OK);
    cr_assert_eq(jobrunner_submit(jr, name, fn, a, s, msg), ST_OK, "%s", msg);
    JobResult *r = NULL;
    for (int i = 0; i < 20000 && !r; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        r = jobrunner_take_result(jr);
    }
    cr_assert_not_null(r, "the job finished");
    jobrunner_free(jr);
    store_free(store);
    return r;
}

Test(jobs, louvain_reports_the_quality_of_its_partition)
{
    Snapshot *s = random_snapshot();
    AnalysisArgs a;
    analysis_args_init("louvain", &a);
    a.reps = 8;
    JobResult *r = run_job("louvain", job_louvain, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert_eq(r->n_nodes, 21);
    cr_assert_not_null(r->partition);
    /* Independent check: Q of the reported partition on the symmetrised graph. */
    WeightBlock wb[4];
    size_t nb = model_blocks(&s->config, s->params, wb, 4);
    GraphBlock gb[4];
    for (size_t b = 0; b < nb; b++)
        gb[b] = (GraphBlock){wb[b].from, wb[b].to, wb[b].rows, wb[b].cols, wb[b].w, wb[b].ld};
    GraphSpec spec = {4, s->config.sizes, nb, gb};
    WeightGraph *g = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(graph_new(&spec, GRAPH_ALL, &g, msg), ST_OK);
    double q;
    cr_assert_eq(modmat_quality_direct(g->adj, r->partition, 1.0, MOD_SIGN_ASYM, &q, msg), ST_OK);
    const char *at = strstr(strbuf_cstr(&r->json), "\"Q\":");
    cr_assert_not_null(at);
    cr_assert_float_eq(strtod(at + 4, NULL), q, 1e-12, "reported Q = quality of the reported partition");
    cr_assert(strstr(strbuf_cstr(&r->text), "Q best") != NULL);
    /* Module sizes in the table add up to the node count. */
    int k = 0;
    for (size_t i = 0; i < 21; i++)
        k = r->partition[i] > k ? r->partition[i] : k;
    cr_assert_geq(k, 1);
    graph_free(g);
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs, roles_maps_the_input_pixels_and_degrees_count_edges)
{
    Snapshot *s = random_snapshot();
    AnalysisArgs a;
    analysis_args_init("roles", &a);
    JobResult *r = run_job("roles", job_roles, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert_eq(r->n_maps, 2, "PC and MZ over the 3x3 input");
    cr_assert_eq(r->maps[0].rows, 3);
    for (size_t i = 0; i < 9; i++)
        cr_assert(r->maps[0].v[i] >= 0 && r->maps[0].v[i] <= 1, "PC in [0,1]");
    job_result_free(r);

    a.theta = 2.0; /* above every |w| of U(-1,1) weights: no edges */
    r = run_job("degrees", job_degrees, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert(strstr(strbuf_cstr(&r->json), "\"degree\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]") != NULL,
              "%s", strbuf_cstr(&r->json));
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs, consensus_can_be_cancelled)
{
    Snapshot *s = random_snapshot();
    AnalysisArgs a;
    analysis_args_init("consensus", &a);
    a.reps = 100000;
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(2, msg);
    JobRunner *jr = NULL;
    cr_assert_eq(jobrunner_new(store, &jr, msg), ST_OK);
    cr_assert_eq(jobrunner_submit(jr, "consensus", job_consensus, &a, s, msg), ST_OK);
    cr_assert_eq(jobrunner_submit(jr, "consensus", job_consensus, &a, s, msg), ST_EINVAL, "one job at a time");
    jobrunner_cancel(jr);
    JobResult *r = NULL;
    for (int i = 0; i < 20000 && !r; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        r = jobrunner_take_result(jr);
    }
    cr_assert_not_null(r);
    cr_assert_eq(r->status, ST_ECANCELED);
    job_result_free(r);
    jobrunner_free(jr);
    store_free(store);
    snapshot_release(s);
}
