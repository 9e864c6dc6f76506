/* The results of the functional-network analyses (jobs_functional.h) on
 * small inputs worked out by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/core/jsonread.h"
#include "neurotop/measure/jobs_functional.h"

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
