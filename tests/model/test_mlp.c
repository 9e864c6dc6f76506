#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/rng.h"
#include "neurotop/model/mlp.h"
#include "neurotop/model/model.h"

/* ---- helpers ------------------------------------------------------------ */

static ModelConfig make_config(size_t n_layers, const size_t *sizes, ModelInit init,
                               uint64_t seed)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = n_layers;
    for (size_t l = 0; l < n_layers; l++)
        c.sizes[l] = sizes[l];
    c.init = init;
    c.seed = seed;
    return c;
}

static Model *make_model(size_t n_layers, const size_t *sizes, ModelInit init, uint64_t seed)
{
    ModelConfig c = make_config(n_layers, sizes, init, seed);
    Model *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    return m;
}

/* n inputs with about a third of the entries exactly zero, so the sparse
 * batch-1 path is exercised, and labels below n_out. */
static void make_inputs(size_t n, size_t n_in, size_t n_out, uint64_t seed, float *x, int *y)
{
    Rng r;
    rng_seed(&r, seed, 77);
    for (size_t i = 0; i < n * n_in; i++)
        x[i] = rng_uniform(&r) < 0.35 ? 0.0f : (float)rng_uniform(&r);
    for (size_t i = 0; i < n; i++)
        y[i] = (int)rng_below(&r, n_out);
}

/* Independent double-precision reference of the network: sigmoid hidden
 * layers, softmax output, no biases. Fills act[l] (sizes[l] values each,
 * act[0] = input) and returns the cross-entropy of label y. */
static double ref_forward(const ModelConfig *c, const double *w, const float *x, int y,
                          double act[][128])
{
    size_t off = 0;
    for (size_t i = 0; i < c->sizes[0]; i++)
        act[0][i] = x[i];
    double loss = 0.0;
    for (size_t l = 1; l < c->n_layers; l++) {
        size_t rows = c->sizes[l - 1], cols = c->sizes[l];
        for (size_t j = 0; j < cols; j++) {
            double a = 0.0;
            for (size_t i = 0; i < rows; i++)
                a += act[l - 1][i] * w[off + i * cols + j];
            act[l][j] = a;
        }
        off += rows * cols;
        if (l + 1 < c->n_layers) {
            for (size_t j = 0; j < cols; j++)
                act[l][j] = 1.0 / (1.0 + exp(-act[l][j]));
        } else {
            double mx = act[l][0], s = 0.0;
            for (size_t j = 1; j < cols; j++)
                mx = fmax(mx, act[l][j]);
            for (size_t j = 0; j < cols; j++)
                s += exp(act[l][j] - mx);
            loss = mx + log(s) - act[l][y];
            for (size_t j = 0; j < cols; j++)
                act[l][j] = exp(act[l][j] - mx) / s;
        }
    }
    return loss;
}

static double ref_mean_loss(const ModelConfig *c, const double *w, const float *x, const int *y,
                            size_t n)
{
    double act[MODEL_MAX_LAYERS][128], loss = 0.0;
    for (size_t i = 0; i < n; i++)
        loss += ref_forward(c, w, x + i * c->sizes[0], y[i], act);
    return loss / (double)n;
}

/* Dense double-precision backpropagation: g += ∂loss/∂w for one example. */
static void ref_backprop(const ModelConfig *c, const double *w, const float *x, int y, double *g)
{
    double act[MODEL_MAX_LAYERS][128], d[128], dprev[128];
    ref_forward(c, w, x, y, act);
    size_t L = c->n_layers, offs[MODEL_MAX_LAYERS], off = 0;
    for (size_t l = 1; l < L; l++) {
        offs[l] = off;
        off += c->sizes[l - 1] * c->sizes[l];
    }
    for (size_t j = 0; j < c->sizes[L - 1]; j++)
        d[j] = act[L - 1][j] - (j == (size_t)y);
    for (size_t l = L - 1; l >= 1; l--) {
        size_t rows = c->sizes[l - 1], cols = c->sizes[l];
        for (size_t i = 0; i < rows; i++) {
            double s = 0.0;
            for (size_t j = 0; j < cols; j++) {
                g[offs[l] + i * cols + j] += act[l - 1][i] * d[j];
                s += w[offs[l] + i * cols + j] * d[j];
            }
            dprev[i] = s * act[l - 1][i] * (1.0 - act[l - 1][i]);
        }
        memcpy(d, dprev, rows * sizeof(double));
    }
}

/* One reference SGD step with the mean gradient over n examples. */
static void ref_sgd_step(const ModelConfig *c, double *w, size_t n_params, const float *x,
                         const int *y, size_t n, double lr)
{
    double *g = calloc(n_params, sizeof(double));
    for (size_t i = 0; i < n; i++)
        ref_backprop(c, w, x + i * c->sizes[0], y[i], g);
    for (size_t k = 0; k < n_params; k++)
        w[k] -= lr * g[k] / (double)n;
    free(g);
}

static double *to_double(const float *p, size_t n)
{
    double *d = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        d[i] = p[i];
    return d;
}

/* ---- gradient ----------------------------------------------------------- */

/* The model's gradient (sparse path at n = 1, sgemm path at n = 3) against
 * double-precision central differences of the reference loss. */
static void check_gradient(size_t n)
{
    const size_t sizes[4] = {6, 5, 4, 3};
    Model *m = make_model(4, sizes, MODEL_INIT_UNIFORM, 11);
    float x[3 * 6];
    int y[3];
    make_inputs(n, 6, 3, 5 + n, x, y);
    float *grad = malloc(m->n_params * sizeof(float));
    double loss_sum = 0.0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(m->ops->gradient(m, x, y, n, grad, &loss_sum, msg), ST_OK, "%s", msg);

    double *w = to_double(m->params, m->n_params);
    cr_assert_float_eq(loss_sum / (double)n, ref_mean_loss(&m->config, w, x, y, n), 1e-5);
    const double h = 1e-6;
    double max_err = 0.0;
    for (size_t k = 0; k < m->n_params; k++) {
        double keep = w[k];
        w[k] = keep + h;
        double up = ref_mean_loss(&m->config, w, x, y, n);
        w[k] = keep - h;
        double down = ref_mean_loss(&m->config, w, x, y, n);
        w[k] = keep;
        double fd = (up - down) / (2 * h);
        double err = fabs(fd - grad[k]) / (1e-3 + fabs(fd));
        if (err > max_err)
            max_err = err;
        cr_assert(fabs(fd - grad[k]) < 2e-6 + 1e-4 * fabs(fd),
                  "parameter %zu: model %.9g, finite difference %.9g", k, (double)grad[k], fd);
    }
    /* The zero inputs give exactly zero gradient rows in alpha. */
    for (size_t i = 0; i < 6; i++) {
        int all_zero = 1;
        for (size_t r = 0; r < n; r++)
            all_zero &= x[r * 6 + i] == 0.0f;
        for (size_t j = 0; j < 5 && all_zero; j++)
            cr_assert_eq(grad[i * 5 + j], 0.0f);
    }
    free(w);
    free(grad);
    model_free(m);
}

Test(mlp, gradient_matches_finite_differences_batch1)
{
    check_gradient(1);
}

Test(mlp, gradient_matches_finite_differences_batch3)
{
    check_gradient(3);
}

/* ---- SGD steps ---------------------------------------------------------- */

/* Train a 50-20-15-4 net on 10 examples with the given batch and compare
 * every weight with double-precision dense SGD. */
static void check_sgd(size_t batch)
{
    const size_t sizes[4] = {50, 20, 15, 4};
    const size_t n = 10;
    Model *m = make_model(4, sizes, MODEL_INIT_UNIFORM, 3);
    float x[10 * 50];
    int y[10];
    make_inputs(n, 50, 4, 9, x, y);
    double *w = to_double(m->params, m->n_params);
    double loss = 0.0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(m->ops->train(m, x, y, n, batch, 0.3f, &loss, msg), ST_OK, "%s", msg);
    double ref_loss = 0.0;
    for (size_t i = 0; i < n; i += batch) {
        size_t rows = n - i < batch ? n - i : batch;
        ref_loss += ref_mean_loss(&m->config, w, x + i * 50, y + i, rows) * (double)rows;
        ref_sgd_step(&m->config, w, m->n_params, x + i * 50, y + i, rows, 0.3);
    }
    cr_assert_float_eq(loss, ref_loss, 1e-4);
    for (size_t k = 0; k < m->n_params; k++)
        cr_assert(fabs(m->params[k] - w[k]) < 2e-5, "weight %zu: %.9g vs reference %.9g", k,
                  (double)m->params[k], w[k]);
    free(w);
    model_free(m);
}

Test(mlp, sparse_batch1_steps_match_dense_reference)
{
    check_sgd(1);
}

Test(mlp, sgemm_batches_match_dense_reference_with_partial_last_batch)
{
    check_sgd(4); /* batches of 4, 4 and 2 */
}

Test(mlp, batch1_path_equals_sgemm_path_for_one_example)
{
    const size_t sizes[3] = {30, 12, 5};
    Model *a = make_model(3, sizes, MODEL_INIT_UNIFORM, 8);
    Model *b = make_model(3, sizes, MODEL_INIT_UNIFORM, 8);
    float x[2 * 30];
    int y[2];
    make_inputs(2, 30, 5, 4, x, y);
    char msg[STATUS_MSG_LEN];
    /* batch 1 on one example vs batch 2 on the same example twice (mean of
     * two equal gradients = the single gradient). */
    memcpy(x + 30, x, 30 * sizeof(float));
    y[1] = y[0];
    cr_assert_eq(a->ops->train(a, x, y, 1, 1, 0.5f, NULL, msg), ST_OK);
    cr_assert_eq(b->ops->train(b, x, y, 2, 2, 0.5f, NULL, msg), ST_OK);
    for (size_t k = 0; k < a->n_params; k++)
        cr_assert(fabsf(a->params[k] - b->params[k]) < 1e-6f, "weight %zu", k);
    model_free(a);
    model_free(b);
}

Test(mlp, no_hidden_layer_is_softmax_regression)
{
    const size_t sizes[2] = {7, 3};
    Model *m = make_model(2, sizes, MODEL_INIT_UNIFORM, 2);
    float x[4 * 7];
    int y[4];
    make_inputs(4, 7, 3, 1, x, y);
    double *w = to_double(m->params, m->n_params);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(m->ops->train(m, x, y, 4, 1, 0.2f, NULL, msg), ST_OK);
    for (size_t i = 0; i < 4; i++)
        ref_sgd_step(&m->config, w, m->n_params, x + i * 7, y + i, 1, 0.2);
    for (size_t k = 0; k < m->n_params; k++)
        cr_assert(fabs(m->params[k] - w[k]) < 1e-5);
    free(w);
    model_free(m);
}

/* ---- initialisation ----------------------------------------------------- */

static void block_stats(const float *w, size_t n, double *mean, double *sd, float *lo, float *hi)
{
    double s = 0.0, s2 = 0.0;
    *lo = w[0];
    *hi = w[0];
    for (size_t i = 0; i < n; i++) {
        s += w[i];
        s2 += (double)w[i] * w[i];
        *lo = fminf(*lo, w[i]);
        *hi = fmaxf(*hi, w[i]);
    }
    *mean = s / (double)n;
    *sd = sqrt(s2 / (double)n - *mean * *mean);
}

Test(mlp, uniform_init_covers_minus_one_to_one)
{
    const size_t sizes[4] = {784, 100, 100, 10};
    Model *m = make_model(4, sizes, MODEL_INIT_UNIFORM, 1);
    cr_assert_eq(m->n_params, 89400);
    double mean, sd;
    float lo, hi;
    block_stats(m->params, m->n_params, &mean, &sd, &lo, &hi);
    /* U(-1,1): mean 0 (standard error 0.0019), sd 1/sqrt(3) = 0.57735. */
    cr_assert(fabs(mean) < 0.01, "mean %g", mean);
    cr_assert(fabs(sd - 0.57735) < 0.005, "sd %g", sd);
    cr_assert(lo >= -1.0f && lo < -0.999f);
    cr_assert(hi < 1.0f && hi > 0.999f);
    /* Each block is drawn on its own: gamma is not a copy of alpha's start. */
    cr_assert_neq(m->params[0], m->params[88400]);
    model_free(m);
}

Test(mlp, zero_and_tiny_inits_have_the_documented_scales)
{
    const size_t sizes[4] = {784, 100, 100, 10};
    Model *z = make_model(4, sizes, MODEL_INIT_ZERO, 5);
    double mean, sd;
    float lo, hi;
    block_stats(z->params, 88400, &mean, &sd, &lo, &hi);
    cr_assert(fabs(sd - 1e-8) < 0.03e-8, "hidden sd %g", sd);
    cr_assert(fabs(mean) < 0.02e-8);
    cr_assert(lo < 0.0f && hi > 0.0f);
    for (size_t k = 88400; k < z->n_params; k++)
        cr_assert_eq(z->params[k], 0.0f);
    /* Symmetry is broken: the first two HL1 units differ. */
    cr_assert_neq(z->params[0], z->params[1]);
    model_free(z);

    Model *t = make_model(4, sizes, MODEL_INIT_TINY, 5);
    block_stats(t->params, t->n_params, &mean, &sd, &lo, &hi);
    cr_assert(fabs(sd - 1e-6) < 0.03e-6, "sd %g", sd);
    cr_assert(fabs(mean) < 0.02e-6);
    block_stats(t->params + 88400, 1000, &mean, &sd, &lo, &hi);
    cr_assert(fabs(sd - 1e-6) < 0.1e-6, "output sd %g", sd);
    model_free(t);
}

/* ---- determinism -------------------------------------------------------- */

Test(mlp, same_seed_same_weights_after_training)
{
    const size_t sizes[4] = {40, 16, 12, 5};
    float x[60 * 40];
    int y[60];
    make_inputs(60, 40, 5, 21, x, y);
    char msg[STATUS_MSG_LEN];
    Model *a = make_model(4, sizes, MODEL_INIT_UNIFORM, 42);
    Model *b = make_model(4, sizes, MODEL_INIT_UNIFORM, 42);
    Model *c = make_model(4, sizes, MODEL_INIT_UNIFORM, 43);
    cr_assert_eq(memcmp(a->params, b->params, a->n_params * sizeof(float)), 0);
    cr_assert_neq(memcmp(a->params, c->params, a->n_params * sizeof(float)), 0);
    for (int e = 0; e < 3; e++) {
        double la = 0.0, lb = 0.0;
        cr_assert_eq(a->ops->train(a, x, y, 60, 1, 0.3f, &la, msg), ST_OK);
        cr_assert_eq(b->ops->train(b, x, y, 60, 1, 0.3f, &lb, msg), ST_OK);
        cr_assert_eq(a->ops->train(a, x, y, 60, 8, 0.3f, &la, msg), ST_OK);
        cr_assert_eq(b->ops->train(b, x, y, 60, 8, 0.3f, &lb, msg), ST_OK);
        cr_assert_eq(la, lb);
    }
    cr_assert_eq(memcmp(a->params, b->params, a->n_params * sizeof(float)), 0);
    model_free(a);
    model_free(b);
    model_free(c);
}

/* ---- predict / activations ---------------------------------------------- */

Test(mlp, predict_matches_reference_and_last_activation)
{
    const size_t sizes[4] = {20, 9, 7, 4};
    Model *m = make_model(4, sizes, MODEL_INIT_UNIFORM, 17);
    enum { N = 300 }; /* more than one 256-row chunk */
    float *x = malloc(N * 20 * sizeof(float));
    int y[N];
    make_inputs(N, 20, 4, 2, x, y);
    float *probs = malloc(N * 4 * sizeof(float));
    float *a1 = malloc(N * 9 * sizeof(float)), *a2 = malloc(N * 7 * sizeof(float)),
          *a3 = malloc(N * 4 * sizeof(float));
    float *acts[3] = {a1, a2, a3};
    m->ops->predict(m, x, N, probs);
    m->ops->activations(m, x, N, acts);
    double *w = to_double(m->params, m->n_params);
    double act[MODEL_MAX_LAYERS][128];
    for (size_t i = 0; i < N; i++) {
        ref_forward(&m->config, w, x + i * 20, 0, act);
        double s = 0.0;
        for (size_t j = 0; j < 4; j++) {
            cr_assert(fabs(probs[i * 4 + j] - act[3][j]) < 1e-6);
            cr_assert_eq(probs[i * 4 + j], a3[i * 4 + j]);
            s += probs[i * 4 + j];
        }
        cr_assert_float_eq(s, 1.0, 1e-6);
        for (size_t j = 0; j < 7; j++)
            cr_assert(fabs(a2[i * 7 + j] - act[2][j]) < 1e-6);
        for (size_t j = 0; j < 9; j++)
            cr_assert(fabs(a1[i * 9 + j] - act[1][j]) < 1e-6);
    }
    free(w);
    free(x);
    free(probs);
    free(a1);
    free(a2);
    free(a3);
    model_free(m);
}

Test(mlp, bad_batch_or_label_trains_nothing)
{
    const size_t sizes[3] = {4, 3, 2};
    Model *m = make_model(3, sizes, MODEL_INIT_UNIFORM, 1);
    float *before = malloc(m->n_params * sizeof(float));
    memcpy(before, m->params, m->n_params * sizeof(float));
    const float x[8] = {1, 0, 1, 0, 0, 1, 0, 1};
    const int bad[2] = {1, 2}, neg[2] = {0, -1}, ok[2] = {0, 1};
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(m->ops->train(m, x, bad, 2, 1, 0.1f, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "label 2 of example 1") != NULL, "%s", msg);
    cr_assert_eq(m->ops->train(m, x, neg, 2, 2, 0.1f, NULL, msg), ST_EINVAL);
    cr_assert_eq(m->ops->train(m, x, ok, 2, 0, 0.1f, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "batch") != NULL, "%s", msg);
    cr_assert_eq(memcmp(before, m->params, m->n_params * sizeof(float)), 0);
    float g[20];
    cr_assert_eq(m->ops->gradient(m, x, ok, 0, g, NULL, msg), ST_EINVAL);
    free(before);
    model_free(m);
}
