#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/netlayout.h"
#include "neurotop/core/rng.h"
#include "neurotop/model/lenet.h"
#include "neurotop/model/model.h"

/* ---- helpers ------------------------------------------------------------ */

/* A lenet config for an h × w image (kparams conv1, conv2, dense, kernel). */
static ModelConfig tiny_config(size_t h, size_t w, size_t f1, size_t f2, size_t dense, size_t k,
                               size_t classes)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "lenet");
    c.n_layers = 2;
    c.sizes[0] = h * w;
    c.sizes[1] = classes;
    c.in_rows = h;
    c.in_cols = w;
    c.seed = 5;
    c.n_kparams = 4;
    c.kparams[0] = (double)f1;
    c.kparams[1] = (double)f2;
    c.kparams[2] = (double)dense;
    c.kparams[3] = (double)k;
    model_config_shape(&c);
    return c;
}

static Model *make(const ModelConfig *c)
{
    Model *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_new(c, &m, msg), ST_OK, "%s", msg);
    return m;
}

static void random_images(size_t n, size_t px, uint64_t seed, float *x)
{
    Rng r;
    rng_seed(&r, seed, 3);
    for (size_t i = 0; i < n * px; i++)
        x[i] = (float)rng_uniform(&r);
}

/* ---- a double-precision reference by direct convolution ------------------ */

static double relu(double v)
{
    return v > 0 ? v : 0;
}

/* Every layer's values of one image (the seven layers back to back in a,
 * layer l starting at off[l]); returns the cross-entropy of class y. */
static double ref_forward(const LenetShape *s, const double *P, const float *img, int y, double *a,
                          const size_t *off)
{
    const size_t K = s->k;
    double *in = a + off[0], *c1 = a + off[1], *p1 = a + off[2], *c2 = a + off[3], *p2 = a + off[4],
           *h = a + off[5], *o = a + off[6];
    for (size_t i = 0; i < s->in_h * s->in_w; i++)
        in[i] = img[i];
    for (size_t f = 0; f < s->f1; f++)
        for (size_t y0 = 0; y0 < s->c1h; y0++)
            for (size_t x0 = 0; x0 < s->c1w; x0++) {
                double v = P[s->o_b1 + f];
                for (size_t i = 0; i < K; i++)
                    for (size_t j = 0; j < K; j++)
                        v += P[s->o_k1 + (f * K + i) * K + j] * in[(y0 + i) * s->in_w + x0 + j];
                c1[(f * s->c1h + y0) * s->c1w + x0] = relu(v);
            }
    for (size_t f = 0; f < s->f1; f++)
        for (size_t y0 = 0; y0 < s->p1h; y0++)
            for (size_t x0 = 0; x0 < s->p1w; x0++) {
                double m = -INFINITY;
                for (size_t i = 0; i < 2; i++)
                    for (size_t j = 0; j < 2; j++)
                        m = fmax(m, c1[(f * s->c1h + 2 * y0 + i) * s->c1w + 2 * x0 + j]);
                p1[(f * s->p1h + y0) * s->p1w + x0] = m;
            }
    for (size_t f = 0; f < s->f2; f++)
        for (size_t y0 = 0; y0 < s->c2h; y0++)
            for (size_t x0 = 0; x0 < s->c2w; x0++) {
                double v = P[s->o_b2 + f];
                for (size_t ch = 0; ch < s->f1; ch++)
                    for (size_t i = 0; i < K; i++)
                        for (size_t j = 0; j < K; j++)
                            v += P[s->o_k2 + ((f * s->f1 + ch) * K + i) * K + j] *
                                 p1[(ch * s->p1h + y0 + i) * s->p1w + x0 + j];
                c2[(f * s->c2h + y0) * s->c2w + x0] = relu(v);
            }
    for (size_t f = 0; f < s->f2; f++)
        for (size_t y0 = 0; y0 < s->p2h; y0++)
            for (size_t x0 = 0; x0 < s->p2w; x0++) {
                double m = -INFINITY;
                for (size_t i = 0; i < 2; i++)
                    for (size_t j = 0; j < 2; j++)
                        m = fmax(m, c2[(f * s->c2h + 2 * y0 + i) * s->c2w + 2 * x0 + j]);
                p2[(f * s->p2h + y0) * s->p2w + x0] = m;
            }
    const size_t np2 = s->f2 * s->p2h * s->p2w;
    for (size_t u = 0; u < s->dense; u++) {
        double v = P[s->o_b3 + u];
        for (size_t i = 0; i < np2; i++)
            v += p2[i] * P[s->o_w3 + i * s->dense + u];
        h[u] = relu(v);
    }
    double mx = -INFINITY;
    for (size_t k = 0; k < s->classes; k++) {
        double v = P[s->o_b4 + k];
        for (size_t u = 0; u < s->dense; u++)
            v += h[u] * P[s->o_w4 + u * s->classes + k];
        o[k] = v;
        mx = fmax(mx, v);
    }
    double sum = 0;
    for (size_t k = 0; k < s->classes; k++)
        sum += exp(o[k] - mx);
    double loss = mx + log(sum) - o[y];
    for (size_t k = 0; k < s->classes; k++)
        o[k] = exp(o[k] - mx) / sum;
    return loss;
}

static void layer_offsets(const ModelConfig *c, size_t *off)
{
    off[0] = 0;
    for (size_t l = 1; l <= 7; l++)
        off[l] = off[l - 1] + c->sizes[l - 1];
}

static double ref_mean_loss(const ModelConfig *c, const LenetShape *s, const double *P,
                            const float *x, const int *y, size_t n)
{
    size_t off[8];
    layer_offsets(c, off);
    double *a = malloc(off[7] * sizeof *a), sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ref_forward(s, P, x + i * c->sizes[0], y[i], a, off);
    free(a);
    return sum / (double)n;
}

/* ---- shapes ----------------------------------------------------------------- */

Test(lenet, default_shape_is_seed_004s)
{
    ModelConfig c = tiny_config(28, 28, 20, 50, 500, 5, 10);
    const size_t want[7] = {784, 11520, 2880, 3200, 800, 500, 10};
    cr_assert_eq(c.n_layers, 7);
    for (size_t l = 0; l < 7; l++)
        cr_assert_eq(c.sizes[l], want[l], "layer %zu", l);
    /* 20·25+20 + 50·20·25+50 + 800·500+500 + 500·10+10 */
    cr_assert_eq(model_param_count(&c), 520 + 25050 + 400500 + 5010);
    NetLayout got, ref;
    cr_assert_eq(lenet_layout_of(&c, &got), ST_OK);
    netlayout_lenet(&ref);
    cr_assert_eq(got.n_layers, ref.n_layers);
    for (size_t l = 0; l < ref.n_layers; l++) {
        cr_assert_eq(got.layers[l].kind, ref.layers[l].kind);
        cr_assert_str_eq(got.layers[l].name, ref.layers[l].name);
        cr_assert_eq(got.layers[l].families, ref.layers[l].families);
        cr_assert_eq(got.layers[l].height, ref.layers[l].height);
        cr_assert_eq(got.layers[l].width, ref.layers[l].width);
        cr_assert_eq(got.layers[l].kernel, ref.layers[l].kernel);
        cr_assert_eq(netlayout_layer_neurons(&got, l), c.sizes[l]);
    }
    cr_assert_eq(netlayout_neurons(&got), 19694);
}

Test(lenet, layout_types_conv_pool_and_dense_blocks)
{
    ModelConfig c = tiny_config(28, 28, 20, 50, 500, 5, 10);
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(&c, b, MODEL_MAX_BLOCKS);
    cr_assert_eq(nb, 10);
    cr_assert_eq(b[0].type, BLOCK_CONV);
    cr_assert_eq(b[0].count, 500);
    cr_assert_eq(b[2].type, BLOCK_POOL);
    cr_assert_eq(b[2].count, 0);
    cr_assert_eq(b[3].type, BLOCK_CONV);
    cr_assert_eq(b[3].dims[1], 20);
    cr_assert_eq(b[6].type, BLOCK_DENSE);
    cr_assert_eq(b[6].dims[0], 800);
    /* The weight histograms see the two kernels as families × kernel. */
    WeightBlock w[MODEL_MAX_LAYERS];
    cr_assert_eq(model_blocks(&c, NULL, w, MODEL_MAX_LAYERS), 4);
    cr_assert_eq(w[0].rows, 20);
    cr_assert_eq(w[0].cols, 25);
    cr_assert_eq(w[1].rows, 50);
    cr_assert_eq(w[1].cols, 500);
}

Test(lenet, bad_shapes_are_refused_in_one_sentence)
{
    char msg[STATUS_MSG_LEN];
    ModelConfig c = tiny_config(28, 28, 20, 50, 500, 13, 10);
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "does not fit") != NULL, "%s", msg);
    c = tiny_config(4, 4, 2, 2, 2, 5, 10);
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
    c = tiny_config(28, 28, 20, 50, 500, 5, 10);
    c.sizes[5] = 499; /* --hidden that disagrees with --dense */
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "layer 5") != NULL, "%s", msg);
}

/* ---- forward values by hand ------------------------------------------------- */

/* An 8 × 8 image of ones, kernel 2: conv1 (1 family, weights 0.25, bias
 * -0.5) gives 0.5 everywhere, pooling 0.5, conv2 (weights 1, bias 0) 2,
 * pooling 2, dense (weight 3, bias -1) 5, softmax of (5, -5). */
Test(lenet, constant_image_gives_hand_computed_values)
{
    ModelConfig c = tiny_config(8, 8, 1, 1, 1, 2, 2);
    LenetShape s;
    cr_assert_eq(lenet_shape_of(&c, &s, NULL), ST_OK);
    cr_assert_eq(s.c1h, 7);
    cr_assert_eq(s.p1h, 3);
    cr_assert_eq(s.c2h, 2);
    cr_assert_eq(s.p2h, 1);
    float *P = calloc(s.n_params, sizeof *P);
    for (size_t i = 0; i < 4; i++) {
        P[s.o_k1 + i] = 0.25f;
        P[s.o_k2 + i] = 1.0f;
    }
    P[s.o_b1] = -0.5f;
    P[s.o_w3] = 3.0f;
    P[s.o_b3] = -1.0f;
    P[s.o_w4] = 1.0f;
    P[s.o_w4 + 1] = -1.0f;
    float img[64], out[64 + 49 + 9 + 4 + 1 + 1 + 2];
    for (size_t i = 0; i < 64; i++)
        img[i] = 1.0f;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lenet_responses(&c, P, img, 1, out, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < 49; i++)
        cr_assert_float_eq(out[64 + i], 0.5f, 1e-7);
    for (size_t i = 0; i < 9; i++)
        cr_assert_float_eq(out[113 + i], 0.5f, 1e-7);
    for (size_t i = 0; i < 4; i++)
        cr_assert_float_eq(out[122 + i], 2.0f, 1e-6);
    cr_assert_float_eq(out[126], 2.0f, 1e-6);
    cr_assert_float_eq(out[127], 5.0f, 1e-6);
    cr_assert_float_eq(out[128], 1.0 / (1.0 + exp(-10.0)), 1e-6);
    cr_assert_float_eq(out[129], 1.0 / (1.0 + exp(10.0)), 1e-6);
    free(P);
}

/* A ramp image y·8 + x through the difference kernel [[1, 0], [0, -1]]
 * plus bias b: every conv1 value is ReLU(-9 + b); then pooling of a
 * non-constant map: conv1 with kernel [[0, 0], [0, 1]] is the pixel below
 * right, whose 2 × 2 maximum is the bottom-right one. */
Test(lenet, conv_and_pool_match_hand_values_on_a_ramp)
{
    ModelConfig c = tiny_config(8, 8, 2, 1, 1, 2, 2);
    LenetShape s;
    cr_assert_eq(lenet_shape_of(&c, &s, NULL), ST_OK);
    float *P = calloc(s.n_params, sizeof *P);
    P[s.o_k1 + 0] = 1.0f;
    P[s.o_k1 + 3] = -1.0f;
    P[s.o_b1] = 10.0f;
    P[s.o_k1 + 4 + 3] = 1.0f; /* family 1 */
    float img[64];
    for (size_t i = 0; i < 64; i++)
        img[i] = (float)i;
    size_t n = 64 + 2 * 49 + 2 * 9 + 4 + 1 + 1 + 2;
    float *out = malloc(n * sizeof *out);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lenet_responses(&c, P, img, 1, out, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < 49; i++)
        cr_assert_float_eq(out[64 + i], 1.0f, 1e-6); /* -9 + 10 */
    for (size_t y = 0; y < 7; y++)
        for (size_t x = 0; x < 7; x++)
            cr_assert_float_eq(out[64 + 49 + y * 7 + x], (float)((y + 1) * 8 + x + 1), 1e-5);
    /* Pool of family 1, cell (y, x): conv value at (2y+1, 2x+1). */
    for (size_t y = 0; y < 3; y++)
        for (size_t x = 0; x < 3; x++)
            cr_assert_float_eq(out[64 + 98 + 9 + y * 3 + x], (float)((2 * y + 2) * 8 + 2 * x + 2), 1e-5);
    free(out);
    free(P);
}

/* ---- responses: the contract with the localisation --------------------------- */

Test(lenet, responses_keep_the_contracts_invariants)
{
    ModelConfig c = tiny_config(14, 14, 3, 4, 6, 3, 5);
    Model *m = make(&c);
    NetLayout lay;
    cr_assert_eq(lenet_layout_of(&c, &lay), ST_OK);
    size_t N = netlayout_neurons(&lay), n = 3;
    cr_assert_eq(N, 196 + 3 * 144 + 3 * 36 + 4 * 16 + 4 * 4 + 6 + 5);
    float x[3 * 196];
    random_images(n, 196, 9, x);
    float *out = malloc(n * N * sizeof *out);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lenet_responses(&c, m->params, x, n, out, msg), ST_OK, "%s", msg);
    /* The activations op gives the same values, layer by layer. */
    float *acts[6];
    for (size_t l = 1; l < 7; l++)
        acts[l - 1] = malloc(n * c.sizes[l] * sizeof(float));
    m->ops->activations(m, x, n, acts);
    for (size_t i = 0; i < n; i++) {
        const float *row = out + i * N;
        for (size_t p = 0; p < 196; p++)
            cr_assert_eq(row[p], x[i * 196 + p]);
        for (size_t l = 1; l < 7; l++)
            for (size_t u = 0; u < c.sizes[l]; u++)
                cr_assert_eq(row[netlayout_offset(&lay, l) + u], acts[l - 1][i * c.sizes[l] + u]);
        /* Pooled neuron (f, y, x) = the max of its four conv inputs. */
        for (size_t l = 2; l <= 4; l += 2) {
            const NetLayer *P = &lay.layers[l], *C = &lay.layers[l - 1];
            for (size_t f = 0; f < P->families; f++)
                for (size_t y = 0; y < P->height; y++)
                    for (size_t xx = 0; xx < P->width; xx++) {
                        float mx = -INFINITY;
                        for (size_t a = 0; a < 2; a++)
                            for (size_t b = 0; b < 2; b++)
                                mx = fmaxf(mx, row[netlayout_offset(&lay, l - 1) +
                                                   (f * C->height + 2 * y + a) * C->width + 2 * xx + b]);
                        cr_assert_eq(row[netlayout_offset(&lay, l) + (f * P->height + y) * P->width + xx], mx);
                    }
        }
        double sum = 0;
        for (size_t k = 0; k < 5; k++)
            sum += row[netlayout_offset(&lay, 6) + k];
        cr_assert_float_eq(sum, 1.0, 1e-6);
        for (size_t l = 1; l < 6; l++)
            for (size_t u = 0; u < c.sizes[l]; u++)
                cr_assert(row[netlayout_offset(&lay, l) + u] >= 0.0f);
    }
    for (size_t l = 0; l < 6; l++)
        free(acts[l]);
    free(out);
    model_free(m);
}

Test(lenet, responses_refuse_another_kind)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 2;
    c.sizes[0] = 4;
    c.sizes[1] = 2;
    float p[8] = {0}, x[4] = {0}, out[64];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lenet_responses(&c, p, x, 1, out, msg), ST_EINVAL);
    NetLayout lay;
    cr_assert_eq(lenet_layout_of(&c, &lay), ST_EINVAL);
}

/* ---- gradient against finite differences ----------------------------------- */

static void check_gradient(size_t h, size_t w, size_t n)
{
    ModelConfig c = tiny_config(h, w, 2, 3, 4, 3, 3);
    Model *m = make(&c);
    LenetShape s;
    cr_assert_eq(lenet_shape_of(&c, &s, NULL), ST_OK);
    float *x = malloc(n * h * w * sizeof *x);
    int y[4] = {0, 2, 1, 2};
    random_images(n, h * w, 17 + n, x);
    float *grad = malloc(m->n_params * sizeof *grad);
    double loss = 0;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(m->ops->gradient(m, x, y, n, grad, &loss, msg), ST_OK, "%s", msg);
    double *P = malloc(m->n_params * sizeof *P);
    for (size_t k = 0; k < m->n_params; k++)
        P[k] = m->params[k];
    cr_assert_float_eq(loss / (double)n, ref_mean_loss(&c, &s, P, x, y, n), 1e-5);
    const double eps = 1e-6;
    for (size_t k = 0; k < m->n_params; k++) {
        double keep = P[k];
        P[k] = keep + eps;
        double up = ref_mean_loss(&c, &s, P, x, y, n);
        P[k] = keep - eps;
        double down = ref_mean_loss(&c, &s, P, x, y, n);
        P[k] = keep;
        double fd = (up - down) / (2 * eps);
        cr_assert(fabs(fd - grad[k]) < 1e-5 + 1e-3 * fabs(fd),
                  "parameter %zu of %zu: model %.9g, finite difference %.9g", k, m->n_params,
                  (double)grad[k], fd);
    }
    free(P);
    free(grad);
    free(x);
    model_free(m);
}

Test(lenet, gradient_matches_finite_differences)
{
    check_gradient(12, 12, 1); /* 10 -> 5 -> 3 -> 1: odd maps lose a row to the pooling */
    check_gradient(14, 14, 4); /* 12 -> 6 -> 4 -> 2 */
}

/* ---- training ------------------------------------------------------------------ */

Test(lenet, adam_learns_a_separable_task_and_resumes_exactly)
{
    ModelConfig c = tiny_config(12, 12, 3, 4, 8, 3, 2);
    Model *a = make(&c), *b = make(&c);
    const size_t n = 64;
    float x[64 * 144];
    int y[64];
    random_images(n, 144, 4, x);
    /* Class 1: a bright upper half. */
    for (size_t i = 0; i < n; i++) {
        y[i] = (int)(i % 2);
        for (size_t p = 0; p < 72 && y[i]; p++)
            x[i * 144 + p] += 1.0f;
    }
    char msg[STATUS_MSG_LEN];
    Evaluation ev = {0};
    cr_assert_eq(model_evaluate(a, x, y, n, &ev), ST_OK);
    double before = ev.loss;
    for (int e = 0; e < 10; e++)
        cr_assert_eq(a->ops->train(a, x, y, n, 8, 0.01f, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_evaluate(a, x, y, n, &ev), ST_OK);
    cr_assert_lt(ev.loss, before / 4);
    cr_assert_eq(ev.accuracy, 1.0);
    /* Copying parameters and Adam's state makes b continue as a does. */
    size_t no = model_opt_size(a);
    cr_assert_eq(no, 1 + 2 * a->n_params);
    double *opt = malloc(no * sizeof *opt);
    model_opt_get(a, opt);
    cr_assert_eq(opt[0], 80.0); /* 10 epochs of 8 batches */
    cr_assert_eq(model_set_params(b, a->params, a->n_params, msg), ST_OK);
    cr_assert_eq(model_opt_set(b, opt, no, msg), ST_OK, "%s", msg);
    cr_assert_eq(a->ops->train(a, x, y, n, 8, 0.01f, NULL, msg), ST_OK);
    cr_assert_eq(b->ops->train(b, x, y, n, 8, 0.01f, NULL, msg), ST_OK);
    cr_assert_eq(memcmp(a->params, b->params, a->n_params * sizeof(float)), 0);
    cr_assert_eq(model_opt_set(b, opt, 3, msg), ST_EINVAL);
    free(opt);
    model_free(a);
    model_free(b);
}

/* ---- the family graph ------------------------------------------------------------ */

Test(lenet, family_graph_sums_shared_kernels)
{
    ModelConfig c = tiny_config(14, 14, 3, 4, 6, 3, 5);
    Model *m = make(&c);
    LenetShape s;
    cr_assert_eq(lenet_shape_of(&c, &s, NULL), ST_OK);
    size_t sizes[MODEL_MAX_LAYERS];
    cr_assert_eq(model_graph_sizes(&c, sizes), 7);
    const size_t want[7] = {1, 3, 3, 4, 4, 6, 5};
    for (size_t l = 0; l < 7; l++)
        cr_assert_eq(sizes[l], want[l]);
    WeightBlock b[MODEL_MAX_LAYERS];
    float *owned = NULL;
    cr_assert_eq(model_graph_blocks(&c, m->params, b, MODEL_MAX_LAYERS, &owned), 6);
    cr_assert_not_null(owned);
    const float *P = m->params;
    double k1 = 0; /* kernel 1 of conv1 */
    for (size_t i = 0; i < 9; i++)
        k1 += P[s.o_k1 + 9 + i];
    cr_assert_float_eq(b[0].w[1], k1, 1e-6);
    cr_assert_eq(b[1].w[0 * 3 + 0], 1.0f);
    cr_assert_eq(b[1].w[0 * 3 + 1], 0.0f);
    double k2 = 0; /* conv2 family 3 over input channel 2 */
    for (size_t i = 0; i < 9; i++)
        k2 += P[s.o_k2 + (3 * 3 + 2) * 9 + i];
    cr_assert_float_eq(b[2].w[2 * 4 + 3], k2, 1e-6);
    double d = 0; /* pool2 family 1 (positions 4..7) to dense unit 5 */
    for (size_t q = 0; q < 4; q++)
        d += P[s.o_w3 + (4 + q) * 6 + 5];
    cr_assert_float_eq(b[4].w[1 * 6 + 5], d, 1e-6);
    cr_assert_eq(b[5].w, P + s.o_w4);
    free(owned);
    model_free(m);
}

/* ---- receptive fields --------------------------------------------------------- */

Test(lenet, receptive_fields_are_weight_paths)
{
    ModelConfig c = tiny_config(14, 14, 3, 4, 6, 3, 5);
    Model *m = make(&c);
    LenetShape s;
    cr_assert_eq(lenet_shape_of(&c, &s, NULL), ST_OK);
    const size_t npx = 196;
    float *f1 = malloc(c.sizes[1] * npx * sizeof *f1), *f2 = malloc(c.sizes[2] * npx * sizeof *f2);
    float *f5 = malloc(c.sizes[5] * npx * sizeof *f5), *f6 = malloc(c.sizes[6] * npx * sizeof *f6);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_receptive_fields(&c, m->params, 1, f1, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_receptive_fields(&c, m->params, 2, f2, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_receptive_fields(&c, m->params, 5, f5, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_receptive_fields(&c, m->params, 6, f6, msg), ST_OK, "%s", msg);
    /* conv1 unit (2, 4, 7): kernel 2 at row 4, column 7, zero elsewhere. */
    const float *u = f1 + ((2 * 12 + 4) * 12 + 7) * npx;
    double total = 0;
    for (size_t p = 0; p < npx; p++)
        total += fabs(u[p]);
    double kern = 0;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            cr_assert_eq(u[(4 + i) * 14 + 7 + j], m->params[s.o_k1 + 2 * 9 + i * 3 + j]);
            kern += fabs(m->params[s.o_k1 + 2 * 9 + i * 3 + j]);
        }
    cr_assert_float_eq(total, kern, 1e-6);
    /* pool1 unit (1, 2, 3): the mean of conv1 units (1, 4..5, 6..7). */
    for (size_t p = 0; p < npx; p++) {
        double mean = 0;
        for (size_t i = 0; i < 2; i++)
            for (size_t j = 0; j < 2; j++)
                mean += 0.25 * f1[((1 * 12 + 4 + i) * 12 + 6 + j) * npx + p];
        cr_assert_float_eq(f2[((1 * 6 + 2) * 6 + 3) * npx + p], mean, 1e-6);
    }
    /* Output unit k: the out weights times the dense layer's fields. */
    for (size_t k = 0; k < 5; k++)
        for (size_t p = 0; p < npx; p += 13) {
            double v = 0;
            for (size_t d = 0; d < 6; d++)
                v += m->params[s.o_w4 + d * 5 + k] * f5[d * npx + p];
            cr_assert_float_eq(f6[k * npx + p], v, 1e-5);
        }
    free(f1);
    free(f2);
    free(f5);
    free(f6);
    model_free(m);
}
