/* The kind tables: the registry, kind parameters and typed layouts. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/model/dbn.h"
#include "neurotop/model/hebbff.h"
#include "neurotop/model/lenet.h"
#include "neurotop/model/mlp.h"
#include "neurotop/model/model.h"

static char msg[STATUS_MSG_LEN];

static ModelConfig chain(const char *kind, size_t n_layers, const size_t *sizes)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, kind);
    c.n_layers = n_layers;
    for (size_t l = 0; l < n_layers; l++)
        c.sizes[l] = sizes[l];
    return c;
}

/* Parameter blocks tile [0, n_params) in layout order; POOL and STATE hold
 * none. Returns the number of blocks. */
static size_t check_tiling(const ModelConfig *c, ParamBlock *b)
{
    size_t nb = model_layout(c, b, MODEL_MAX_BLOCKS), at = 0;
    cr_assert(nb > 0);
    for (size_t i = 0; i < nb; i++) {
        size_t prod = 1;
        for (size_t d = 0; d < b[i].n_dims; d++)
            prod *= b[i].dims[d];
        if (b[i].type == BLOCK_STATE || b[i].type == BLOCK_POOL) {
            cr_assert_eq(b[i].count, 0, "%s holds no parameters", b[i].name);
            continue;
        }
        cr_assert_eq(b[i].offset, at, "%s starts where the previous block ends", b[i].name);
        cr_assert_eq(b[i].count, prod, "%s: count is the product of its dims", b[i].name);
        at += b[i].count;
    }
    cr_assert_eq(at, model_param_count(c), "the blocks cover the flat array exactly");
    return nb;
}

Test(kinds, the_registry_lists_mlp_then_hebbff_then_dbn_then_lenet)
{
    cr_assert_eq(model_kind_count(), 4);
    cr_assert_eq(model_kind_at(0), &mlp_kind);
    cr_assert_eq(model_kind_at(1), &hebbff_kind);
    cr_assert_eq(model_kind_at(2), &dbn_kind);
    cr_assert_eq(model_kind_at(3), &lenet_kind);
    cr_assert_null(model_kind_at(4));
    cr_assert_eq(model_kind_find("hebbff"), &hebbff_kind);
    cr_assert_eq(model_kind_find("dbn"), &dbn_kind);
    cr_assert_null(model_kind_find("transformer"));
    char names[64];
    model_kind_names(names, sizeof names);
    cr_assert_str_eq(names, "mlp, hebbff, dbn, lenet");
    const size_t s[3] = {4, 3, 2};
    ModelConfig c = chain("hebbff", 3, s);
    cr_assert_eq(model_kind_of(&c), &hebbff_kind);
    /* A table pointer of another name is not trusted. */
    c.table = &mlp_kind;
    cr_assert_null(model_kind_of(&c));
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
}

Test(kinds, mlp_layout_is_the_dense_chain)
{
    const size_t s[4] = {784, 100, 100, 10};
    ModelConfig c = chain("mlp", 4, s);
    ParamBlock b[MODEL_MAX_BLOCKS];
    cr_assert_eq(check_tiling(&c, b), 3);
    const char *names[] = {"alpha", "beta", "gamma"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_str_eq(b[i].name, names[i]);
        cr_assert_eq(b[i].type, BLOCK_DENSE);
        cr_assert_eq(b[i].edge, 1);
        cr_assert_eq(b[i].from, i);
        cr_assert_eq(b[i].to, i + 1);
        cr_assert_eq(b[i].dims[0], s[i]);
        cr_assert_eq(b[i].dims[1], s[i + 1]);
    }
    cr_assert_eq(b[2].offset, 88400);
    cr_assert_eq(model_extra_count(&c), 0);
    cr_assert_eq(model_state_block(&c, NULL), 0);
    WeightBlock g[MODEL_MAX_LAYERS];
    float *owned = NULL;
    cr_assert_eq(model_graph_blocks(&c, NULL, g, MODEL_MAX_LAYERS, &owned), 3);
    cr_assert_null(owned);
}

Test(kinds, hebbff_layout_types_its_extras)
{
    const size_t s[3] = {100, 120, 2};
    ModelConfig c = chain("hebbff", 3, s);
    ParamBlock b[MODEL_MAX_BLOCKS];
    cr_assert_eq(check_tiling(&c, b), 7);
    struct {
        const char *name;
        BlockType type;
        size_t from, to, count;
        int edge;
    } want[] = {
        {"alpha", BLOCK_DENSE, 0, 1, 12000, 1},  {"beta", BLOCK_DENSE, 1, 2, 240, 1},
        {"b1", BLOCK_BIAS, 1, 1, 120, 0},        {"b2", BLOCK_SCALAR, 2, 2, 1, 0},
        {"lambda_raw", BLOCK_SCALAR, 0, 1, 1, 0}, {"eta", BLOCK_SCALAR, 0, 1, 1, 0},
        {"A", BLOCK_STATE, 0, 1, 0, 0},
    };
    for (size_t i = 0; i < 7; i++) {
        cr_assert_str_eq(b[i].name, want[i].name);
        cr_assert_eq(b[i].type, want[i].type, "%s", want[i].name);
        cr_assert_eq(b[i].from, want[i].from, "%s", want[i].name);
        cr_assert_eq(b[i].to, want[i].to, "%s", want[i].name);
        cr_assert_eq(b[i].count, want[i].count, "%s", want[i].name);
        cr_assert_eq(b[i].edge, want[i].edge, "%s", want[i].name);
    }
    /* The typed blocks sit where HebbffLayout says. */
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&c, &L), 0);
    cr_assert_eq(b[2].offset, L.b1);
    cr_assert_eq(b[3].offset, L.b2);
    cr_assert_eq(b[4].offset, L.lambda_raw);
    cr_assert_eq(b[5].offset, L.eta);
    ParamBlock st;
    cr_assert_eq(model_state_block(&c, &st), 1);
    cr_assert_eq(st.dims[0], 100);
    cr_assert_eq(st.dims[1], 120);
    cr_assert_eq(model_extra_count(&c), 123);
    /* Only the edge blocks reach model_blocks and the weight graph. */
    WeightBlock w[MODEL_MAX_LAYERS];
    cr_assert_eq(model_blocks(&c, NULL, w, MODEL_MAX_LAYERS), 2);
    float *owned = NULL;
    cr_assert_eq(model_graph_blocks(&c, NULL, w, MODEL_MAX_LAYERS, &owned), 2);
    cr_assert_null(owned);
    cr_assert_str_eq(w[1].name, "beta");
}

Test(kinds, kind_parameters_defaults_keys_and_checks)
{
    const KindParam *p = hebbff_kind.kparams;
    cr_assert_eq(hebbff_kind.n_kparams, 6);
    const char *options[] = {"task-n", "task-r", "task-p", "task-chains", "task-train", "task-test"};
    for (int i = 0; i < 6; i++)
        cr_assert_eq(model_kparam_index(&hebbff_kind, options[i]), i);
    cr_assert_eq(model_kparam_index(&hebbff_kind, "task-x"), -1);
    cr_assert_eq(model_kparam_index(&mlp_kind, "task-n"), -1);
    char key[32];
    model_kparam_key(&p[3], key, sizeof key);
    cr_assert_str_eq(key, "task_chains");
    cr_assert_eq(p[3].type, KPARAM_FLAG);
    cr_assert_eq(p[2].type, KPARAM_REAL);

    const size_t s[3] = {16, 8, 2};
    ModelConfig c = chain("hebbff", 3, s);
    cr_assert_float_eq(model_kparam(&c, 0), 100, 0); /* nothing set: the default */
    cr_assert_float_eq(model_kparam(&c, 5), 2500, 0);
    cr_assert(isnan(model_kparam(&c, 6)));
    c.n_kparams = 2;
    c.kparams[0] = 16;
    c.kparams[1] = 3;
    cr_assert_float_eq(model_kparam(&c, 0), 16, 0);
    cr_assert_float_eq(model_kparam(&c, 1), 3, 0);
    cr_assert_float_eq(model_kparam(&c, 2), 0.5, 0);
    cr_assert_eq(model_config_validate(&c, msg), ST_OK, "%s", msg);

    double v[6] = {16, 5, 0.5, 0, 200, 100};
    cr_assert_eq(model_kparams_check(&hebbff_kind, v, 6, msg), ST_OK, "%s", msg);
    v[0] = 16.5;
    cr_assert_eq(model_kparams_check(&hebbff_kind, v, 6, msg), ST_EINVAL);
    cr_assert(strstr(msg, "--task-n") && strstr(msg, "whole"), "%s", msg);
    v[0] = 4;
    cr_assert_eq(model_kparams_check(&hebbff_kind, v, 6, msg), ST_EINVAL);
    cr_assert(strstr(msg, "--task-n must be from 8 to 10000") != NULL, "%s", msg);
    v[0] = 16;
    v[3] = 0.5;
    cr_assert_eq(model_kparams_check(&hebbff_kind, v, 6, msg), ST_EINVAL);
    cr_assert(strstr(msg, "--task-chains is a flag") != NULL, "%s", msg);
    v[3] = 1;
    v[1] = 200; /* R as long as the training stream */
    cr_assert_eq(model_kparams_check(&hebbff_kind, v, 6, msg), ST_EINVAL);
    cr_assert(strstr(msg, "--task-r must be shorter") != NULL, "%s", msg);
    cr_assert_eq(model_kparams_check(&mlp_kind, v, 1, msg), ST_EINVAL);
    cr_assert_eq(model_kparams_check(&mlp_kind, v, 0, msg), ST_OK);

    /* A config carries them: out of range is an invalid config. */
    c.kparams[1] = 0;
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "--task-r") != NULL, "%s", msg);
}

Test(kinds, input_shape_and_inits_are_checked)
{
    const size_t s[3] = {6, 4, 3};
    ModelConfig c = chain("mlp", 3, s);
    size_t rows, cols;
    model_input_shape(&c, &rows, &cols);
    cr_assert(rows == 1 && cols == 6, "unknown shape: one row");
    c.in_rows = 2;
    c.in_cols = 3;
    cr_assert_eq(model_config_validate(&c, msg), ST_OK, "%s", msg);
    model_input_shape(&c, &rows, &cols);
    cr_assert(rows == 2 && cols == 3);
    c.in_cols = 4;
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "2 x 4") != NULL, "%s", msg);

    const size_t h[3] = {6, 4, 2};
    ModelConfig hc = chain("hebbff", 3, h);
    hc.init = MODEL_INIT_TINY;
    cr_assert_eq(model_config_validate(&hc, msg), ST_EINVAL);
    cr_assert(strstr(msg, "\"uniform\"") && strstr(msg, "\"tiny\""), "%s", msg);
    ModelInit init;
    cr_assert_eq(model_init_parse("zero", &init), 0);
    cr_assert_eq(init, MODEL_INIT_ZERO);
    cr_assert_eq(model_init_parse("ones", &init), -1);
}

/* 3 inputs, 2 hidden, 2 outputs: fields of the output layer are W1·W2. */
Test(kinds, receptive_fields_default_to_weight_products)
{
    const size_t s[3] = {3, 2, 2};
    ModelConfig c = chain("mlp", 3, s);
    const float p[10] = {1, 2, 3, 4, 5, 6, /* W1 3×2 */ 1, 0, -1, 2 /* W2 2×2 */};
    float f[6];
    cr_assert_eq(model_receptive_fields(&c, p, 1, f, msg), ST_OK, "%s", msg);
    /* Unit j of HL1 sees column j of W1. */
    const float hl1[6] = {1, 3, 5, 2, 4, 6};
    for (int i = 0; i < 6; i++)
        cr_assert_float_eq(f[i], hl1[i], 1e-6);
    cr_assert_eq(model_receptive_fields(&c, p, 2, f, msg), ST_OK, "%s", msg);
    /* Output 0: W1·[1, -1] = (-1, -1, -1); output 1: W1·[0, 2] = (4, 8, 12). */
    const float out[6] = {-1, -1, -1, 4, 8, 12};
    for (int i = 0; i < 6; i++)
        cr_assert_float_eq(f[i], out[i], 1e-6);
    cr_assert_eq(model_receptive_fields(&c, p, 3, f, msg), ST_EINVAL);
    cr_assert_eq(model_receptive_fields(&c, p, 0, f, msg), ST_EINVAL);
}

Test(kinds, hebbff_reports_lambda_eta_and_its_state)
{
    const size_t s[3] = {2, 1, 2};
    ModelConfig c = chain("hebbff", 3, s);
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m->kind, &hebbff_kind);
    cr_assert_eq(m->config.table, &hebbff_kind);
    /* The hand case of test_hebbff.c: A after two steps is ±0.71588. */
    const float p[] = {0.5f, -0.25f, -2.0f, 2.0f, 0.1f, -1.0f, 0.0f, -1.0f};
    cr_assert_eq(model_set_params(m, p, 8, msg), ST_OK);
    ModelMetric mm[4];
    cr_assert_eq(model_extra_metrics(&m->config, m->params, mm, 4), 2);
    cr_assert_str_eq(mm[0].key, "lambda");
    cr_assert_float_eq(mm[0].value, 0.5, 1e-12);
    cr_assert_str_eq(mm[1].key, "eta");
    cr_assert_float_eq(mm[1].value, -1.0, 1e-12);
    const float x[] = {1, 0, 1, 0};
    float A[2];
    cr_assert_eq(model_state(m, x, 2, A, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(A[0], -0.7158848575104696, 1e-6);
    cr_assert_float_eq(A[1], 0.7158848575104696, 1e-6);
    model_free(m);

    const size_t ms[3] = {2, 2, 2};
    ModelConfig mc = chain("mlp", 3, ms);
    cr_assert_eq(model_new(&mc, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_extra_metrics(&m->config, m->params, mm, 4), 0);
    cr_assert_eq(model_state(m, x, 2, A, msg), ST_EINVAL);
    model_free(m);
}
