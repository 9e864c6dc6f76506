/* :dream and :rfclusters (measure/jobs_dbn.c) on DBN snapshots: dreams are
 * deterministic for a seed, a non-generative model is refused, receptive
 * fields of three obviously separate shapes fall into three groups. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/analyses.h"
#include "neurotop/measure/jobs_dbn.h"
#include "neurotop/model/model.h"
#include "neurotop/run/snapshot.h"

static char msg[STATUS_MSG_LEN];

/* A 36-12-4 DBN of 6 × 6 images with weights from its seed. */
static Snapshot *dbn_snapshot(uint64_t seed, float **w1)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "dbn");
    c.n_layers = 3;
    c.sizes[0] = 36;
    c.sizes[1] = 12;
    c.sizes[2] = 4;
    c.in_rows = c.in_cols = 6;
    c.seed = seed;
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    Snapshot *s = snapshot_new(&m->config, m->params, m->n_params, 0);
    cr_assert_not_null(s);
    if (w1)
        *w1 = s->params; /* alpha, 36 × 12, first in the layout */
    model_free(m);
    return s;
}

static JobResult *run(const char *name, const Snapshot *s, AnalysisArgs *a)
{
    JobResult *r = NULL;
    cr_assert_eq(analysis_run_now(analysis_find(name), s, a, &r, msg), ST_OK, "%s: %s", name, msg);
    return r;
}

Test(jobs_dbn, dreams_are_deterministic_for_a_seed)
{
    Snapshot *s = dbn_snapshot(3, NULL);
    AnalysisArgs a;
    analysis_args_init("dream", &a);
    cr_expect_eq(a.steps, 200, "200 Gibbs steps by default");
    a.steps = 30;
    a.seed = 7;
    JobResult *r1 = run("dream", s, &a), *r2 = run("dream", s, &a);
    cr_expect_str_eq(strbuf_cstr(&r1->json), strbuf_cstr(&r2->json));
    cr_expect_str_eq(strbuf_cstr(&r1->text), strbuf_cstr(&r2->text));
    cr_expect_eq(r1->n_maps, 4, "the first dreams as images");
    cr_expect_eq(r1->maps[0].rows, 6);
    cr_expect(strstr(strbuf_cstr(&r1->json), "\"samples\":[[") != NULL);
    a.seed = 8;
    JobResult *r3 = run("dream", s, &a);
    cr_expect(strcmp(strbuf_cstr(&r1->json), strbuf_cstr(&r3->json)) != 0, "another seed, other dreams");
    job_result_free(r1);
    job_result_free(r2);
    job_result_free(r3);
    snapshot_release(s);
}

Test(jobs_dbn, an_mlp_does_not_dream)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 3;
    c.sizes[0] = 4;
    c.sizes[1] = 3;
    c.sizes[2] = 2;
    float p[4 * 3 + 3 * 2] = {0};
    Snapshot *s = snapshot_new(&c, p, sizeof p / sizeof p[0], 0);
    cr_assert_not_null(s);
    AnalysisArgs a;
    analysis_args_init("dream", &a);
    JobResult *r = NULL;
    cr_expect_eq(analysis_run_now(analysis_find("dream"), s, &a, &r, msg), ST_EINVAL);
    cr_expect(strstr(msg, "not generative") != NULL, "%s", msg);
    snapshot_release(s);
}

/* Twelve hidden units whose fields are one of three blobs (top-left,
 * top-right, bottom row) with a little noise, units interleaved: three
 * groups, each the units of one blob. */
Test(jobs_dbn, receptive_fields_of_three_shapes_form_three_groups)
{
    float *w = NULL;
    Snapshot *s = dbn_snapshot(1, &w);
    for (size_t u = 0; u < 12; u++)
        for (size_t px = 0; px < 36; px++) {
            size_t r = px / 6, c = px % 6;
            int on = u % 3 == 0 ? r < 2 && c < 2 : u % 3 == 1 ? r < 2 && c >= 4 : r == 5;
            w[px * 12 + u] = (on ? 1.0f : -0.2f) + 0.01f * (float)((u * 7 + px) % 5);
        }
    AnalysisArgs a;
    analysis_args_init("rfclusters", &a);
    cr_expect_eq(a.clusters, 20, "20 groups by default (the paper's)");
    cr_expect_eq(a.layer, 1);
    a.clusters = 3;
    JobResult *r = run("rfclusters", s, &a);
    const char *j = strbuf_cstr(&r->json);
    cr_expect(strstr(j, "\"label\":[0,1,2,0,1,2,0,1,2,0,1,2]") != NULL, "%s", j);
    const char *t = strbuf_cstr(&r->text);
    cr_expect(strstr(t, "G1 (4)") && strstr(t, "G2 (4)") && strstr(t, "G3 (4)"), "%s", t);
    cr_expect_eq(r->n_maps, 3);
    /* The groups become a partition of the whole weight graph: the input
     * pixels are label 4, HL1's units their group, HL2 label 5. */
    cr_assert_not_null(r->partition);
    cr_assert_eq(r->n_nodes, 36 + 12 + 4);
    cr_expect_eq(r->partition[0], 4);
    cr_expect_eq(r->partition[36], 1);
    cr_expect_eq(r->partition[37], 2);
    cr_expect_eq(r->partition[38], 3);
    cr_expect_eq(r->partition[51], 5);
    /* ... which :degrees summarises by group. */
    AnalysisArgs d;
    analysis_args_init("degrees", &d);
    d.theta = 0.5;
    d.partition = r->partition;
    d.n_nodes = r->n_nodes;
    d.partition_epoch = s->epoch;
    d.partition_part = 0;
    snprintf(d.partition_source, sizeof d.partition_source, ":rfclusters");
    JobResult *g = run("degrees", s, &d);
    const char *gt = strbuf_cstr(&g->text);
    cr_expect(strstr(gt, "by group of the latest partition (:rfclusters)") != NULL, "%s", gt);
    /* Group 1's units (blob top-left, 4 pixels of weight ~1): degree 4 at
     * |w| > 0.5, all positive; on the screen and in the saved JSON (label
     * 0 is empty and left out; 4 is the 36 pixels, 5 HL2's 4 units). */
    cr_expect(strstr(gt, "    1     4     4.0    4.0    0.0") != NULL, "%s", gt);
    const char *gj = strbuf_cstr(&g->json);
    cr_expect(strstr(gj, "\"groups\":{\"source\":\":rfclusters\",\"group\":[1,2,3,4,5],\"size\":[4,4,4,36,4],"
                         "\"degree\":[4,") != NULL, "%s", gj);
    cr_expect(strstr(gj, "\"degree_neg\":[0,") != NULL, "%s", gj);
    job_result_free(g);
    job_result_free(r);
    /* More groups than units: one per unit. */
    a.clusters = 50;
    a.layer = 2;
    r = run("rfclusters", s, &a);
    cr_expect(strstr(strbuf_cstr(&r->json), "\"clusters\":4") != NULL, "%s", strbuf_cstr(&r->json));
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_dbn, the_mass_of_a_field_is_its_excitatory_part)
{
    const float f[4] = {0.5f, -1.0f, 0.0f, 2.0f}, g[3] = {-1.0f, -0.5f, 0.0f}, z[2] = {0, 0};
    double m[4];
    jobs_rf_mass(f, 4, m);
    cr_expect(m[0] == 0.5 && m[1] == 0.0 && m[2] == 0.0 && m[3] == 2.0);
    jobs_rf_mass(g, 3, m);
    cr_expect(m[0] == 1.0 && m[1] == 0.5 && m[2] == 0.0, "no positive weight: the magnitude");
    jobs_rf_mass(z, 2, m);
    cr_expect(m[0] == 0.0 && m[1] == 0.0);
}
