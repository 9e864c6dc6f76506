/* The dbn kind's table: kind parameters, typed layout, the status-line
 * phase ("RBM 2/2 200-200") and the generative sampler behind :dream. The
 * training arithmetic is in dbn.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"
#include "dbn_internal.h"
#include "model_internal.h"

static const KindParam DBN_KPARAMS[DBN_KP_COUNT] = {
    [DBN_KP_CD] = {"cd", 1, 1, 100, KPARAM_WHOLE,
                   "Gibbs steps of contrastive divergence (CD-k)"},
    [DBN_KP_EPL] = {"epochs-per-layer", 10, 1, 1000000, KPARAM_WHOLE,
                    "epochs each RBM trains before the next one starts (the top one goes on)"},
    [DBN_KP_READOUT] = {"readout", 0, 0, 1, KPARAM_FLAG,
                        "after every RBM's turn, train a softmax read-out of the top layer on the "
                        "labels instead of the top RBM (an accuracy to show)"},
    [DBN_KP_CLASSES] = {"readout-classes", 0, 0, 1000, KPARAM_WHOLE,
                        "classes of the read-out (0: the data's)"},
};

size_t dbn_readout_classes(const ModelConfig *c)
{
    double on = model_kparam(c, DBN_KP_READOUT), k = model_kparam(c, DBN_KP_CLASSES);
    return on == 1.0 && isfinite(k) && k >= 2 ? (size_t)k : 0;
}

static void dbn_fit_classes(ModelConfig *c, size_t n_classes)
{
    if (model_kparam(c, DBN_KP_READOUT) == 1.0 && model_kparam(c, DBN_KP_CLASSES) == 0.0 &&
        c->n_kparams > DBN_KP_CLASSES)
        c->kparams[DBN_KP_CLASSES] = (double)n_classes;
}

/* The weight chain alpha, beta, ... (edge blocks), then each RBM's
 * visible and hidden biases. */
static size_t dbn_layout(const ModelConfig *c, ParamBlock *out, size_t max)
{
    size_t count = 0, off = 0;
    model_dense_chain(c, out, max, &count, &off);
    for (size_t r = 0; r + 1 < c->n_layers; r++) {
        char name[MODEL_NAME_LEN];
        unsigned idx = (unsigned)(r + 1) % 100u; /* r < MODEL_MAX_LAYERS */
        snprintf(name, sizeof name, "bv%u", idx);
        model_add_block(out, max, &count, &off, BLOCK_BIAS, name, r, r, 0, 1, &c->sizes[r]);
        snprintf(name, sizeof name, "bh%u", idx);
        model_add_block(out, max, &count, &off, BLOCK_BIAS, name, r + 1, r + 1, 0, 1,
                        &c->sizes[r + 1]);
    }
    /* The read-out sits on the top layer outside the weight graph (edge 0):
     * the graph, histograms and fields stay the RBMs'. */
    size_t k = dbn_readout_classes(c), top = c->n_layers - 1;
    if (k) {
        size_t dims[2] = {c->sizes[top], k};
        model_add_block(out, max, &count, &off, BLOCK_DENSE, "wr", top, top, 0, 2, dims);
        model_add_block(out, max, &count, &off, BLOCK_BIAS, "br", top, top, 0, 1, &dims[1]);
    }
    return count;
}

static void dbn_phase(const ModelConfig *c, size_t epoch, char *buf, size_t cap)
{
    if (dbn_readout_trains(c, epoch)) {
        snprintf(buf, cap, "read-out %zu→%zu", c->sizes[c->n_layers - 1], dbn_readout_classes(c));
        return;
    }
    size_t r = dbn_rbm_of_epoch(c, epoch);
    snprintf(buf, cap, "RBM %zu/%zu %zu-%zu", r + 1, c->n_layers - 1, c->sizes[r], c->sizes[r + 1]);
}

static float sigm(float a)
{
    return 1.0f / (1.0f + expf(-a));
}

/* out (n × cols) = σ(in op(W) + bias), W rows × cols of the stored v × h. */
static void layer_probs(int down, size_t v, size_t h, const float *w, const float *bias,
                        const float *in, size_t n, float *out)
{
    size_t width = down ? v : h;
    for (size_t r = 0; r < n; r++)
        memcpy(out + r * width, bias, width * sizeof *out);
    if (down)
        linalg_sgemm(0, 1, n, v, h, 1.0f, in, h, w, h, 1.0f, out, v);
    else
        linalg_sgemm(0, 0, n, h, v, 1.0f, in, v, w, h, 1.0f, out, h);
    for (size_t i = 0; i < n * width; i++)
        out[i] = sigm(out[i]);
}

static void sample(float *p, size_t n, Rng *rng)
{
    for (size_t i = 0; i < n; i++)
        p[i] = rng_uniform(rng) < (double)p[i] ? 1.0f : 0.0f;
}

Status dbn_dream(const ModelConfig *c, const float *params, size_t n, size_t steps, Rng *rng,
                 float *out, char *msg)
{
    if (!c || c->n_layers < 2 || !params || !out || !rng)
        return status_fail(msg, ST_EINVAL, "dreaming needs a DBN");
    if (n == 0 || steps == 0 || steps > 100000)
        return status_fail(msg, ST_EINVAL, "dreaming takes 1 to 100000 Gibbs steps and at least one sample");
    size_t w_off[MODEL_MAX_LAYERS], bv_off[MODEL_MAX_LAYERS], bh_off[MODEL_MAX_LAYERS];
    dbn_offsets(c, w_off, bv_off, bh_off);
    size_t wmax = 0, bytes;
    for (size_t l = 0; l < c->n_layers; l++)
        wmax = c->sizes[l] > wmax ? c->sizes[l] : wmax;
    if (size_mul(n, wmax * sizeof(float), &bytes))
        return status_fail(msg, ST_ENOMEM, "too many samples to dream");
    float *a = malloc(bytes), *b = malloc(bytes);
    if (!a || !b) {
        free(a);
        free(b);
        return status_fail(msg, ST_ENOMEM, "out of memory dreaming %zu samples", n);
    }
    size_t top = c->n_layers - 2, v = c->sizes[top], h = c->sizes[top + 1];
    const float *w = params + w_off[top];
    /* Random visible states of the top RBM drawn from its visible biases
     * alone (so the chain starts as sparse as the layer's data), then
     * alternating Gibbs steps with hidden and visible states sampled. */
    const float *bv_top = params + bv_off[top];
    for (size_t i = 0; i < n * v; i++)
        a[i] = rng_uniform(rng) < (double)sigm(bv_top[i % v]) ? 1.0f : 0.0f;
    for (size_t s = 0; s < steps; s++) {
        layer_probs(0, v, h, w, params + bh_off[top], a, n, b);
        sample(b, n * h, rng);
        layer_probs(1, v, h, w, params + bv_off[top], b, n, a);
        if (s + 1 < steps || top > 0)
            sample(a, n * v, rng);
    }
    /* Down through the lower RBMs: binary states in the hidden layers,
     * probabilities at the pixels. */
    float *cur = a, *other = b;
    for (size_t r = top; r-- > 0;) {
        layer_probs(1, c->sizes[r], c->sizes[r + 1], params + w_off[r], params + bv_off[r], cur, n,
                    other);
        if (r > 0)
            sample(other, n * c->sizes[r], rng);
        float *t = cur;
        cur = other;
        other = t;
    }
    memcpy(out, cur, n * c->sizes[0] * sizeof *out);
    free(a);
    free(b);
    return ST_OK;
}

static const char *const DBN_PANES[] = {"strength", NULL};

const ModelKind dbn_kind = {
    .name = "dbn",
    .description = "a deep belief network (seed paper 002, Testolin et al. 2020): RBMs trained "
                   "greedily by CD-k without labels, 784-200-200 by default (the paper's is "
                   "--hidden 500,500,2000)",
    .n_hidden = 2,
    .hidden = {200, 200},
    .min_hidden = 1,
    .max_hidden = MODEL_MAX_LAYERS - 2,
    .lr = 0.1,
    .batch = 100,
    .probe = 500,
    .probe_kparam = -1,
    .epoch_kparam = -1,
    .inits = MODEL_INIT_BIT(MODEL_INIT_UNIFORM),
    .activity = MODEL_ACTIVITY_POST,
    .task = NULL,
    .supervised = 0,
    .n_kparams = DBN_KP_COUNT,
    .kparams = DBN_KPARAMS,
    .layout = dbn_layout,
    .phase = dbn_phase,
    .dream = dbn_dream,
    .panes = DBN_PANES,
    .label_classes = dbn_readout_classes,
    .fit_classes = dbn_fit_classes,
    .ops =
        {
            .create = dbn_create,
            .train = dbn_train,
            .activations = dbn_activations,
            .evaluate = dbn_evaluate,
            .set_epoch = dbn_set_epoch,
            .data_metrics = dbn_data_metrics,
            .opt_size = dbn_opt_size,
            .opt_get = dbn_opt_get,
            .opt_set = dbn_opt_set,
            .free = dbn_free,
        },
};
