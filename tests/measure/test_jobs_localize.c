/* :localize (measure/jobs_localize.c) on a model snapshot: the layout of a
 * dense chain, the job's JSON and picture, the layer of every neuron found
 * from its responses, bad words refused. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/jsonread.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/jobs_localize.h"
#include "neurotop/model/model.h"
#include "neurotop/run/snapshot.h"

static char msg[STATUS_MSG_LEN];

/* A 64-24-12-4 MLP of 8 × 8 images with weights from its seed. */
static Snapshot *mlp_snapshot(uint64_t seed)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 4;
    c.sizes[0] = 64;
    c.sizes[1] = 24;
    c.sizes[2] = 12;
    c.sizes[3] = 4;
    c.in_rows = c.in_cols = 8;
    c.seed = seed;
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    Snapshot *s = snapshot_new(&m->config, m->params, m->n_params, 0);
    cr_assert_not_null(s);
    model_free(m);
    return s;
}

Test(jobs_localize, layout_of_a_dense_chain)
{
    Snapshot *s = mlp_snapshot(1);
    NetLayout l;
    cr_assert_eq(localize_layout_of(&s->config, &l, msg), ST_OK, "%s", msg);
    cr_assert_eq(l.n_layers, 4);
    cr_assert_eq(l.layers[0].kind, LAYER_INPUT);
    cr_assert_eq(l.layers[0].height, 8);
    cr_assert_eq(l.layers[0].width, 8);
    cr_assert_eq(l.layers[1].kind, LAYER_DENSE);
    cr_assert_eq(l.layers[1].families, 24);
    cr_assert_eq(netlayout_neurons(&l), 64 + 24 + 12 + 4);
    snapshot_release(s);
}

Test(jobs_localize, finds_the_layers_of_an_mlp)
{
    Snapshot *s = mlp_snapshot(2);
    AnalysisArgs a;
    analysis_args_init("localize", &a);
    cr_assert_str_eq(a.stimulus, "GAUSSIAN");
    cr_assert_eq(a.n_images, 10000);
    a.n_images = 600;
    JobResult *r = NULL;
    cr_assert_eq(analysis_run_now(analysis_find("localize"), s, &a, &r, msg), ST_OK, "%s", msg);
    const char *j = strbuf_cstr(&r->json);
    cr_assert(strstr(j, "\"stimulus\":\"GAUSSIAN\"") != NULL, "%s", j);
    cr_assert(strstr(j, "\"images\":600") != NULL, "%s", j);
    /* In a dense chain every two neurons of a layer are 2 apart, so a
     * neuron put in its own layer scores 2 (or 0), one put two layers away
     * 2 or more. Layers are told apart by their responses: no layer's
     * error exceeds 2. */
    JsonDoc *doc = NULL;
    cr_assert_eq(json_parse(j, strlen(j), "localize", NULL, &doc, msg), ST_OK, "%s", msg);
    const JsonValue *root = json_doc_root(doc), *layers = json_get(root, "layers");
    cr_assert_not_null(json_at(layers, 3));
    cr_assert_null(json_at(layers, 4));
    for (size_t k = 0; k < 4; k++) {
        const JsonValue *L = json_at(layers, k);
        double e = json_number(json_get(L, "error"), NAN);
        cr_assert(e <= 2.0 + 1e-9, "layer %zu: %f", k, e);
    }
    /* and nothing can beat chance within a dense layer: the floor holds */
    cr_assert(json_number(json_get(root, "error"), NAN) >= json_number(json_get(root, "floor"), NAN));
    /* the paper's LeNet figures are not printed beside another network */
    cr_assert(strstr(j, "\"paper\":null") != NULL, "%s", j);
    cr_assert(strstr(strbuf_cstr(&r->text), "paper") == NULL, "%s", strbuf_cstr(&r->text));
    cr_assert(strstr(strbuf_cstr(&r->text), "localisation · GAUSSIAN · 600 images") != NULL, "%s",
              strbuf_cstr(&r->text));
    json_doc_free(doc);
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_localize, refusals)
{
    Snapshot *s = mlp_snapshot(3);
    AnalysisArgs a;
    analysis_args_init("localize", &a);
    const char *words[] = {"localize", "noise"};
    cr_assert_eq(params_parse_words("localize", analysis_find("localize")->uses,
                                    analysis_find("localize")->n_uses, 2, words, &a, msg),
                 ST_EINVAL);
    cr_assert(strstr(msg, "'noise'") != NULL, "%s", msg);
    /* MNIST needs the run's digits */
    analysis_args_init("localize", &a);
    snprintf(a.stimulus, sizeof a.stimulus, "MNIST");
    a.n_images = 50;
    JobResult *r = NULL;
    cr_assert_neq(analysis_run_now(analysis_find("localize"), s, &a, &r, msg), ST_OK);
    cr_assert(strstr(msg, "digits") != NULL, "%s", msg);
    job_result_free(r);
    snapshot_release(s);
}
