/* The results of the functional-network analyses (func.h) on
 * small inputs worked out by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/core/jsonread.h"
#include "neurotop/measure/func.h"

/* Nodes 0..2 over 4 layers (node-major, the N × T CSV):
 *   node 0: 1 1 2 2  -> one change in 3 steps
 *   node 1: 1 1 1 1  -> none
 *   node 2: 2 1 2 2  -> two
 * Allegiance: 0,1 share layers 0,1 (1/2); 0,2 share 1,2,3 (3/4); 1,2 share
 * layer 1 (1/4). */
static const int NODE_MAJOR[3 * 4] = {1, 1, 2, 2, 1, 1, 1, 1, 2, 1, 2, 2};

Test(functional_results, flexibility_and_allegiance_of_a_small_partition)
{
    char msg[STATUS_MSG_LEN];
    MultiPartition p = flexibility_partition_nodes(NODE_MAJOR, 3, 4);
    FlexResult r;
    cr_assert_eq(flex_result_compute(&p, FLEX_NODES | FLEX_ALLEGIANCE, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n, 3);
    cr_assert_eq(r.t, 4);
    const double node[3] = {1.0 / 3.0, 0.0, 2.0 / 3.0};
    for (size_t i = 0; i < 3; i++)
        cr_assert_float_eq(r.node[i], node[i], 1e-15);
    cr_assert_float_eq(r.system, 1.0 / 3.0, 1e-15);
    const double alleg[9] = {1, 0.5, 0.75, 0.5, 1, 0.25, 0.75, 0.25, 1};
    for (size_t i = 0; i < 9; i++)
        cr_assert_float_eq(r.matrix[i], alleg[i], 1e-15);
    flex_result_done(&r);
    cr_assert_null(r.node);
    flex_result_done(&r); /* twice is safe */

    /* The same partition stored layer-major gives the same numbers. */
    int layer_major[4 * 3];
    for (size_t i = 0; i < 3; i++)
        for (size_t s = 0; s < 4; s++)
            layer_major[s * 3 + i] = NODE_MAJOR[i * 4 + s];
    MultiPartition q = flexibility_partition_layers(layer_major, 3, 4);
    cr_assert_eq(flex_result_compute(&q, FLEX_NODES, &r, msg), ST_OK, "%s", msg);
    cr_assert_null(r.matrix, "allegiance only when asked");
    for (size_t i = 0; i < 3; i++)
        cr_assert_float_eq(r.node[i], node[i], 0);

    /* Files form: {"node": [...], "system": 1/3}. */
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    flexibility_json(&r, NULL, NULL, &w);
    JsonDoc *doc = NULL;
    cr_assert_eq(json_parse(strbuf_cstr(&b), b.len, "flexibility", NULL, &doc, msg), ST_OK, "%s", msg);
    const JsonValue *root = json_doc_root(doc);
    cr_assert_eq(root->count, 2);
    cr_assert_str_eq(root->keys[0], "node");
    cr_assert_str_eq(root->keys[1], "system");
    cr_assert_float_eq(json_number(json_get(root, "system"), NAN), 1.0 / 3.0, 1e-15);
    json_doc_free(doc);
    strbuf_done(&b);
    flex_result_done(&r);
}

Test(functional_results, one_layer_has_an_allegiance_but_no_flexibility)
{
    char msg[STATUS_MSG_LEN];
    const int one[3] = {1, 2, 1};
    MultiPartition p = flexibility_partition_nodes(one, 3, 1);
    FlexResult r;
    cr_assert_eq(flex_result_compute(&p, FLEX_NODES, &r, msg), ST_EINVAL);
    cr_assert_null(r.node, "nothing is left after a failure");
    cr_assert_eq(flex_result_compute(&p, FLEX_ALLEGIANCE, &r, msg), ST_OK, "%s", msg);
    const double want[9] = {1, 0, 1, 0, 1, 0, 1, 0, 1};
    for (size_t i = 0; i < 9; i++)
        cr_assert_float_eq(r.matrix[i], want[i], 0);
    cr_assert(isnan(r.system));
    flex_result_done(&r);
}

Test(functional_results, moments_row_of_five_values)
{
    /* 1 2 3 4 10: mean 4; deviations −3 −2 −1 0 6; m2 = 50/5 = 10,
     * m3 = 180/5 = 36, m4 = 1394/5 = 278.8. */
    const double x[5] = {1, 2, 3, 4, 10};
    char msg[STATUS_MSG_LEN];
    MomentsResult r;
    memset(&r, 0, sizeof r);
    cr_assert_eq(moments_result_add_row(&r, NULL, x, 5, 1, 0.0, msg), ST_OK, "%s", msg);
    const MomentsRow *row = &r.rows[0];
    cr_assert_eq(r.n_rows, 1);
    cr_assert_eq(row->m.n, 5);
    cr_assert_float_eq(row->m.mean, 4.0, 1e-15);
    cr_assert_float_eq(row->m.std, sqrt(10.0), 1e-15);
    cr_assert_float_eq(row->m.skewness, 36.0 / pow(10.0, 1.5), 1e-14);
    cr_assert_float_eq(row->m.kurtosis, 278.8 / 100.0 - 3.0, 1e-14);
    cr_assert_float_eq(row->m.min, 1.0, 0);
    cr_assert_float_eq(row->m.max, 10.0, 0);
    /* One column: H = ½ log(2πe σ²), σ² = 50/4 unbiased. */
    cr_assert_eq(row->has_entropy, 1);
    cr_assert_eq(row->entropy_status, ST_OK);
    cr_assert_float_eq(row->e.entropy_nats, 0.5 * log(2.0 * M_PI * M_E * 12.5), 1e-12);
    cr_assert_eq(row->e.d, 1);
    cr_assert_eq(row->e.dropped, 0);

    /* Without entropy the row object is the files form of moments. */
    cr_assert_eq(moments_result_add_row(&r, "HL1", x, 5, 1, -1.0, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.rows[1].has_entropy, 0);
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    moments_row_json(&r.rows[1], -1.0, &w);
    JsonDoc *doc = NULL;
    cr_assert_eq(json_parse(strbuf_cstr(&b), b.len, "row", NULL, &doc, msg), ST_OK, "%s", msg);
    const JsonValue *root = json_doc_root(doc);
    static const char *const keys[] = {"layer", "units", "mean", "std", "skewness", "kurtosis", "n", "min", "max"};
    cr_assert_eq(root->count, 9);
    for (size_t i = 0; i < 9; i++)
        cr_assert_str_eq(root->keys[i], keys[i]);
    cr_assert_float_eq(json_number(json_get(root, "kurtosis"), NAN), -0.212, 1e-14);
    cr_assert_eq(json_integer(json_get(root, "n"), -1), 5);
    json_doc_free(doc);
    strbuf_done(&b);
}

Test(functional_results, a_singular_entropy_is_a_row_without_entropy)
{
    /* Two equal columns: Σ is singular without a ridge. */
    const double x[4 * 2] = {1, 1, 2, 2, 4, 4, 7, 7};
    char msg[STATUS_MSG_LEN];
    MomentsResult r;
    memset(&r, 0, sizeof r);
    cr_assert_eq(moments_result_add_row(&r, "HL2", x, 4, 2, 0.0, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.rows[0].entropy_status, ST_ENUMERIC);
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    moments_row_json(&r.rows[0], 0.0, &w);
    cr_assert(strstr(strbuf_cstr(&b), "\"entropy_nats\":null}") != NULL, "%s", strbuf_cstr(&b));
    strbuf_done(&b);
    /* With a ridge it is defined, and the ridge was needed. */
    cr_assert_eq(moments_result_add_row(&r, "HL2", x, 4, 2, 1e-3, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.rows[1].entropy_status, ST_OK);
    cr_assert_eq(r.rows[1].e.ridge_needed, 1);
    const double bad[2] = {1, NAN};
    cr_assert_eq(moments_result_add_row(&r, "HL3", bad, 2, 1, -1.0, msg), ST_EINVAL);
    cr_assert_eq(r.n_rows, 2, "a failed row is not added");
}

Test(functional_results, fc_of_mirrored_and_silent_units)
{
    /* u0 = t, u1 = −t, u2 = t, u3 constant (silent): r01 = −1, r02 = 1,
     * r12 = −1, r·3 = 0. Six pairs: mean −1/6, mean |r| 1/2. */
    float x[6 * 4];
    for (size_t i = 0; i < 6; i++) {
        float t = (float)(i * i) - 2.0f;
        x[i * 4 + 0] = t;
        x[i * 4 + 1] = -t;
        x[i * 4 + 2] = t;
        x[i * 4 + 3] = 3.0f;
    }
    char msg[STATUS_MSG_LEN];
    FcResult r;
    cr_assert_eq(fc_result_compute(NULL, x, 6, 4, 0, 1, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.silent, 1);
    const double want[16] = {0, -1, 1, 0, -1, 0, -1, 0, 1, -1, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < 16; i++)
        cr_assert_float_eq(r.c[i], want[i], 1e-12, "r[%zu]", i);
    cr_assert_float_eq(r.mean, -1.0 / 6.0, 1e-12);
    cr_assert_float_eq(r.mean_abs, 0.5, 1e-12);
    cr_assert_float_eq(r.map_scale, 1.0, 0, "min(1, 2 · 1/2)");
    size_t total = 0;
    for (size_t b = 0; b < FC_HIST_BINS; b++)
        total += r.counts[b];
    cr_assert_eq(total, 6);
    cr_assert_eq(r.counts[0], 2, "two pairs at r = −1");
    cr_assert_eq(r.counts[FC_HIST_BINS / 2], 3, "three pairs at r = 0");
    cr_assert_eq(r.counts[FC_HIST_BINS - 1], 1, "one pair at r = 1");
    cr_assert_eq(r.have_modules, 1);
    cr_assert_eq(r.modules[0], r.modules[2], "u0 and u2 move together");
    cr_assert_neq(r.modules[0], r.modules[1], "u1 mirrors them");
    fc_result_done(&r);
    fc_result_done(&r);

    /* Every unit silent: the matrix is zero and there are no modules. */
    for (size_t i = 0; i < 6 * 4; i++)
        x[i] = 1.0f;
    cr_assert_eq(fc_result_compute(NULL, x, 6, 4, 0, 1, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.silent, 4);
    cr_assert_eq(r.have_modules, 0);
    cr_assert_str_eq(r.no_modules, "every unit is silent");
    fc_result_done(&r);
    cr_assert_eq(fc_result_compute(NULL, x, 6, 1, 0, 1, &r, msg), ST_EINVAL);
    cr_assert(strstr(msg, "at least 2 units") != NULL, "%s", msg);
}
