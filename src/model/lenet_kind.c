/* The lenet kind's table: kind parameters, the shape that follows from
 * them, the typed layout (CONV, POOL, BIAS and DENSE blocks) and the
 * responses of every neuron for the localisation analysis. The arithmetic
 * is in lenet.c, the weight graph in lenet_graph.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"
#include "lenet_internal.h"
#include "model_internal.h"

static const KindParam LENET_KPARAMS[LENET_KP_COUNT] = {
    [LENET_KP_CONV1] = {"conv1", 20, 1, 1024, KPARAM_WHOLE, "families of the first convolution"},
    [LENET_KP_CONV2] = {"conv2", 50, 1, 1024, KPARAM_WHOLE, "families of the second convolution"},
    [LENET_KP_DENSE] = {"dense", 500, 1, 100000, KPARAM_WHOLE,
                        "ReLU units of the dense layer before the softmax"},
    [LENET_KP_KERNEL] = {"kernel", 5, 1, 64, KPARAM_WHOLE,
                         "side of the square convolution kernels"},
};

#define LENET_LAYERS 7

Status lenet_shape_of(const ModelConfig *c, LenetShape *out, char *msg)
{
    memset(out, 0, sizeof *out);
    if (!c || c->n_layers != LENET_LAYERS)
        return status_fail(msg, ST_EINVAL,
                           "a lenet model has seven layers (input, two convolutions each pooled, a "
                           "dense layer and the softmax)");
    LenetShape *s = out;
    if (c->in_rows && c->in_cols) {
        s->in_h = c->in_rows;
        s->in_w = c->in_cols;
    } else {
        size_t side = (size_t)llround(sqrt((double)c->sizes[0]));
        if (side * side != c->sizes[0])
            return status_fail(msg, ST_EINVAL,
                               "a lenet model needs images: %zu inputs are not a square and no "
                               "image shape was given",
                               c->sizes[0]);
        s->in_h = s->in_w = side;
    }
    s->f1 = (size_t)model_kparam(c, LENET_KP_CONV1);
    s->f2 = (size_t)model_kparam(c, LENET_KP_CONV2);
    s->dense = (size_t)model_kparam(c, LENET_KP_DENSE);
    s->k = (size_t)model_kparam(c, LENET_KP_KERNEL);
    s->classes = c->sizes[LENET_LAYERS - 1];
    if (s->k > s->in_h || s->k > s->in_w)
        return status_fail(msg, ST_EINVAL, "a %zu x %zu kernel does not fit a %zu x %zu image",
                           s->k, s->k, s->in_h, s->in_w);
    s->c1h = s->in_h - s->k + 1;
    s->c1w = s->in_w - s->k + 1;
    s->p1h = s->c1h / 2;
    s->p1w = s->c1w / 2;
    if (s->p1h < s->k || s->p1w < s->k)
        return status_fail(msg, ST_EINVAL,
                           "the second %zu x %zu convolution does not fit the %zu x %zu pooled maps "
                           "of a %zu x %zu image",
                           s->k, s->k, s->p1h, s->p1w, s->in_h, s->in_w);
    s->c2h = s->p1h - s->k + 1;
    s->c2w = s->p1w - s->k + 1;
    s->p2h = s->c2h / 2;
    s->p2w = s->c2w / 2;
    if (s->p2h == 0 || s->p2w == 0)
        return status_fail(msg, ST_EINVAL,
                           "the second convolution's %zu x %zu maps are too small to pool (a %zu x "
                           "%zu image needs a smaller --kernel)",
                           s->c2h, s->c2w, s->in_h, s->in_w);
    const size_t kk = s->k * s->k, np2 = s->f2 * s->p2h * s->p2w;
    const size_t counts[8] = {s->f1 * kk, s->f1, s->f2 * s->f1 * kk, s->f2,
                              np2 * s->dense, s->dense, s->dense * s->classes, s->classes};
    size_t *offs[8] = {&s->o_k1, &s->o_b1, &s->o_k2, &s->o_b2, &s->o_w3, &s->o_b3, &s->o_w4, &s->o_b4};
    size_t at = 0;
    for (size_t b = 0; b < 8; b++) {
        *offs[b] = at;
        at += counts[b];
    }
    s->n_params = at; /* the kparam ranges keep this far below SIZE_MAX */
    return ST_OK;
}

void lenet_layer_sizes(const LenetShape *s, size_t *sizes)
{
    sizes[0] = s->in_h * s->in_w;
    sizes[1] = s->f1 * s->c1h * s->c1w;
    sizes[2] = s->f1 * s->p1h * s->p1w;
    sizes[3] = s->f2 * s->c2h * s->c2w;
    sizes[4] = s->f2 * s->p2h * s->p2w;
    sizes[5] = s->dense;
    sizes[6] = s->classes;
}

/* The hidden layers follow from the kind parameters and the image; the
 * classes are the config's last layer. */
static void lenet_shape(ModelConfig *c)
{
    if (c->n_layers < 2)
        return;
    size_t classes = c->sizes[c->n_layers - 1];
    ModelConfig t = *c;
    t.n_layers = LENET_LAYERS;
    t.sizes[LENET_LAYERS - 1] = classes;
    LenetShape s;
    c->n_layers = LENET_LAYERS;
    c->sizes[LENET_LAYERS - 1] = classes;
    if (lenet_shape_of(&t, &s, NULL)) {
        /* One unit per hidden layer, so the check names the real fault. */
        for (size_t l = 1; l + 1 < LENET_LAYERS; l++)
            c->sizes[l] = 1;
        return;
    }
    lenet_layer_sizes(&s, c->sizes);
}

static Status lenet_check(const ModelConfig *c, char *msg)
{
    LenetShape s;
    Status st = lenet_shape_of(c, &s, msg);
    if (st)
        return st;
    size_t want[LENET_LAYERS];
    lenet_layer_sizes(&s, want);
    for (size_t l = 1; l + 1 < LENET_LAYERS; l++)
        if (c->sizes[l] != want[l])
            return status_fail(msg, ST_EINVAL,
                               "layer %zu of this lenet has %zu units, but --conv1 %zu --conv2 %zu "
                               "--dense %zu --kernel %zu on a %zu x %zu image give %zu (set the "
                               "layers with these options, not --hidden)",
                               l, c->sizes[l], s.f1, s.f2, s.dense, s.k, s.in_h, s.in_w, want[l]);
    if (s.n_params > MODEL_MAX_PARAMS)
        return status_fail(msg, ST_EINVAL, "this lenet would have %zu parameters, more than %zu",
                           s.n_params, MODEL_MAX_PARAMS);
    return ST_OK;
}

/* conv1 (edge), bc1, pool1, conv2 (edge), bc2, pool2, dense and out (edges)
 * with their biases. A convolution's bias is one value per family. */
static size_t lenet_layout(const ModelConfig *c, ParamBlock *out, size_t max)
{
    LenetShape s;
    if (lenet_shape_of(c, &s, NULL))
        return 0;
    size_t n = 0, off = 0;
    const size_t k1[4] = {s.f1, 1, s.k, s.k}, k2[4] = {s.f2, s.f1, s.k, s.k}, two[2] = {2, 2};
    const size_t w3[2] = {c->sizes[4], s.dense}, w4[2] = {s.dense, s.classes};
    model_add_block(out, max, &n, &off, BLOCK_CONV, "conv1", 0, 1, 1, 4, k1);
    model_add_block(out, max, &n, &off, BLOCK_BIAS, "bc1", 1, 1, 0, 1, &s.f1);
    model_add_block(out, max, &n, &off, BLOCK_POOL, "pool1", 1, 2, 0, 2, two);
    model_add_block(out, max, &n, &off, BLOCK_CONV, "conv2", 2, 3, 1, 4, k2);
    model_add_block(out, max, &n, &off, BLOCK_BIAS, "bc2", 3, 3, 0, 1, &s.f2);
    model_add_block(out, max, &n, &off, BLOCK_POOL, "pool2", 3, 4, 0, 2, two);
    model_add_block(out, max, &n, &off, BLOCK_DENSE, "dense", 4, 5, 1, 2, w3);
    model_add_block(out, max, &n, &off, BLOCK_BIAS, "bd", 5, 5, 0, 1, &s.dense);
    model_add_block(out, max, &n, &off, BLOCK_DENSE, "out", 5, 6, 1, 2, w4);
    model_add_block(out, max, &n, &off, BLOCK_BIAS, "bo", 6, 6, 0, 1, &s.classes);
    return n;
}

Status lenet_layout_of(const ModelConfig *config, NetLayout *out)
{
    LenetShape s;
    memset(out, 0, sizeof *out);
    const ModelKind *k = model_kind_of(config);
    if (!k || strcmp(k->name, "lenet") != 0 || model_config_validate(config, NULL) ||
        lenet_shape_of(config, &s, NULL))
        return ST_EINVAL;
    static const char *const NAMES[LENET_LAYERS] = {"INPUT",    "CONVRAMP1",  "POOLING1",  "CONVRAMP2",
                                                    "POOLING2", "LINEARRAMP", "LINEARSOFT"};
    const LayerKind kinds[LENET_LAYERS] = {LAYER_INPUT, LAYER_CONV,  LAYER_POOL, LAYER_CONV,
                                           LAYER_POOL,  LAYER_DENSE, LAYER_DENSE};
    const size_t fam[LENET_LAYERS] = {1, s.f1, s.f1, s.f2, s.f2, s.dense, s.classes};
    const size_t h[LENET_LAYERS] = {s.in_h, s.c1h, s.p1h, s.c2h, s.p2h, 1, 1};
    const size_t w[LENET_LAYERS] = {s.in_w, s.c1w, s.p1w, s.c2w, s.p2w, 1, 1};
    const size_t kern[LENET_LAYERS] = {0, s.k, 2, s.k, 2, 0, 0};
    out->n_layers = LENET_LAYERS;
    for (size_t l = 0; l < LENET_LAYERS; l++) {
        NetLayer *L = &out->layers[l];
        L->kind = kinds[l];
        snprintf(L->name, sizeof L->name, "%s", NAMES[l]);
        L->families = fam[l];
        L->height = h[l];
        L->width = w[l];
        L->kernel = kern[l];
    }
    return ST_OK;
}

Status lenet_responses(const ModelConfig *config, const float *params, const float *images,
                       size_t count, float *out, char *msg)
{
    NetLayout lay;
    LenetShape s;
    if (lenet_layout_of(config, &lay) || lenet_shape_of(config, &s, msg))
        return status_fail(msg, ST_EINVAL, "the responses need a valid lenet model configuration");
    if (!params || (!images && count))
        return status_fail(msg, ST_EINVAL, "the responses need the parameters and the images");
    if (count == 0)
        return ST_OK;
    Lenet *p = lenet_impl_new(&s, 64, msg);
    if (!p)
        return ST_ENOMEM;
    const size_t total = netlayout_neurons(&lay);
    float *outs[LENET_LAYERS];
    size_t strides[LENET_LAYERS];
    for (size_t l = 0; l < LENET_LAYERS; l++) {
        outs[l] = out + netlayout_offset(&lay, l);
        strides[l] = total;
    }
    lenet_impl_forward(p, params, images, count, outs, strides);
    lenet_impl_free(p);
    return ST_OK;
}

const ModelKind lenet_kind = {
    .name = "lenet",
    .description = "the LeNet of seed paper 004: two ReLU convolutions (--conv1, --conv2 families of "
                   "--kernel sides), each 2x2 max-pooled, a dense ReLU layer (--dense) and a "
                   "softmax, with biases, trained by Adam; layers from these options, not --hidden",
    .n_hidden = 5,
    .hidden = {11520, 2880, 3200, 800, 500},
    .min_hidden = 5,
    .max_hidden = 5,
    .lr = 0.001,
    .batch = 32,
    .probe = 100,
    .probe_kparam = -1,
    .epoch_kparam = -1,
    .inits = MODEL_INIT_BIT(MODEL_INIT_UNIFORM),
    .activity = MODEL_ACTIVITY_POST,
    .task = NULL,
    .supervised = 1,
    .n_kparams = LENET_KP_COUNT,
    .kparams = LENET_KPARAMS,
    .shape = lenet_shape,
    .check = lenet_check,
    .layout = lenet_layout,
    .graph = lenet_graph,
    .graph_sizes = lenet_graph_sizes,
    .fields = lenet_fields,
    .ops =
        {
            .create = lenet_create,
            .train = lenet_train,
            .predict = lenet_predict,
            .activations = lenet_activations,
            .gradient = lenet_gradient,
            .opt_size = lenet_opt_size,
            .opt_get = lenet_opt_get,
            .opt_set = lenet_opt_set,
            .free = lenet_free,
        },
};
