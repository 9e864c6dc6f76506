#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/model/model.h"

static ModelConfig config4(size_t a, size_t b, size_t c, size_t d)
{
    ModelConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.kind, "mlp");
    cfg.n_layers = 4;
    cfg.sizes[0] = a;
    cfg.sizes[1] = b;
    cfg.sizes[2] = c;
    cfg.sizes[3] = d;
    cfg.seed = 1;
    return cfg;
}

Test(model, param_count_and_blocks_of_the_default_mlp)
{
    ModelConfig c = config4(784, 100, 100, 10);
    cr_assert_eq(model_param_count(&c), 89400);
    WeightBlock b[MODEL_MAX_LAYERS];
    float *params = calloc(89400, sizeof(float));
    cr_assert_eq(model_blocks(&c, params, b, MODEL_MAX_LAYERS), 3);
    cr_assert_str_eq(b[0].name, "alpha");
    cr_assert_str_eq(b[1].name, "beta");
    cr_assert_str_eq(b[2].name, "gamma");
    cr_assert_eq(b[0].rows, 784);
    cr_assert_eq(b[0].cols, 100);
    cr_assert_eq(b[1].offset, 78400);
    cr_assert_eq(b[2].offset, 88400);
    cr_assert_eq(b[2].rows, 100);
    cr_assert_eq(b[2].cols, 10);
    cr_assert_eq(b[2].from, 2);
    cr_assert_eq(b[2].to, 3);
    cr_assert_eq(b[1].w, params + 78400);
    cr_assert_eq(model_blocks(&c, NULL, b, 2), 2);
    cr_assert_null(b[0].w);
    free(params);

    ModelConfig deep = config4(3, 3, 3, 3);
    deep.n_layers = 8;
    for (size_t l = 0; l < 8; l++)
        deep.sizes[l] = 2;
    cr_assert_eq(model_param_count(&deep), 28);
    cr_assert_eq(model_blocks(&deep, NULL, b, MODEL_MAX_LAYERS), 7);
    cr_assert_str_eq(b[4].name, "epsilon");
    cr_assert_str_eq(b[6].name, "eta");
}

Test(model, config_validation_names_the_problem)
{
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    ModelConfig c = config4(784, 100, 100, 10);
    cr_assert_eq(model_config_validate(&c, msg), ST_OK);

    strcpy(c.kind, "rnn");
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "unknown model kind \"rnn\"") != NULL, "%s", msg);
    cr_assert_eq(model_param_count(&c), 0);
    memset(c.kind, 'x', sizeof c.kind); /* not NUL-terminated */
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);

    c = config4(784, 100, 100, 10);
    c.n_layers = 1;
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "2 to 8 layers") != NULL, "%s", msg);
    c.n_layers = 9;
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);

    c = config4(784, 0, 100, 10);
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "layer 1") != NULL, "%s", msg);
    cr_assert_eq(model_param_count(&c), 0);

    c = config4(784, 100000, 100000, 10); /* 1e10 weights */
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "parameters") != NULL, "%s", msg);
    c = config4(784, (size_t)1 << 40, 1, 10);
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "units") != NULL, "%s", msg);
    c = config4(784, SIZE_MAX, SIZE_MAX, 10);
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert_eq(model_param_count(&c), 0);

    c = config4(784, 100, 100, 10);
    c.init = (ModelInit)7;
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "initialisation") != NULL, "%s", msg);
    cr_assert_null(m);
    cr_assert_eq(model_config_validate(NULL, msg), ST_EINVAL);
    model_free(NULL);
}

/* A 2-2 softmax regression with W = [[2, 0], [0, 1]]: input e1 gives
 * logits (2, 0), input e2 gives (0, 1). */
Test(model, evaluate_hand_case)
{
    ModelConfig c = config4(2, 2, 0, 0);
    c.n_layers = 2;
    Model *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    const float w[4] = {2, 0, 0, 1};
    cr_assert_eq(model_set_params(m, w, 4, msg), ST_OK);
    const float x[8] = {1, 0, 1, 0, 0, 1, 0, 1};
    const int y[4] = {0, 0, 1, 0};
    uint32_t conf[4] = {9, 9, 9, 9};
    Evaluation ev = {.confusion = conf};
    cr_assert_eq(model_evaluate(m, x, y, 4, &ev), ST_OK);
    cr_assert_eq(ev.n, 4);
    cr_assert_eq(ev.n_classes, 2);
    cr_assert_float_eq(ev.accuracy, 0.75, 1e-12);
    /* -ln p: 2·ln(1+e^-2) + ln(1+e^-1) + ln(1+e^1), over 4. */
    double want = (2 * log1p(exp(-2.0)) + log1p(exp(-1.0)) + log1p(exp(1.0))) / 4;
    cr_assert_float_eq(ev.loss, want, 1e-6);
    cr_assert_eq(conf[0], 2); /* true 0, predicted 0 */
    cr_assert_eq(conf[1], 1); /* true 0 (input e2), predicted 1 */
    cr_assert_eq(conf[2], 0);
    cr_assert_eq(conf[3], 1);
    model_free(m);
}

Test(model, evaluate_rejects_bad_labels_and_no_examples)
{
    ModelConfig c = config4(3, 4, 2, 0);
    c.n_layers = 3;
    Model *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    const float x[3] = {1, 0, 0};
    const int bad[1] = {2};
    Evaluation ev = {.confusion = NULL};
    cr_assert_eq(model_evaluate(m, x, bad, 1, &ev), ST_EINVAL);
    cr_assert_eq(model_evaluate(m, x, bad, 0, &ev), ST_EINVAL);
    cr_assert(isnan(ev.accuracy));
    model_free(m);
}

Test(model, set_and_clone_params)
{
    ModelConfig c = config4(5, 3, 2, 0);
    c.n_layers = 3;
    Model *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m->n_params, 21);
    float *copy = NULL;
    cr_assert_eq(model_clone_params(m, &copy, msg), ST_OK);
    cr_assert_eq(memcmp(copy, m->params, 21 * sizeof(float)), 0);
    copy[3] = 42.0f;
    cr_assert_eq(model_set_params(m, copy, 21, msg), ST_OK);
    cr_assert_eq(m->params[3], 42.0f);
    cr_assert_eq(model_set_params(m, copy, 20, msg), ST_EINVAL);
    cr_assert(strstr(msg, "20 parameters") != NULL, "%s", msg);
    free(copy);
    cr_assert_str_eq(model_init_name(MODEL_INIT_TINY), "tiny");
    cr_assert_str_eq(model_init_name(MODEL_INIT_ZERO), "zero");
    cr_assert_str_eq(model_init_name(MODEL_INIT_UNIFORM), "uniform");
    model_free(m);
}
