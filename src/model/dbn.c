/* The deep belief network of seed paper 002: a stack of RBMs trained
 * greedily by CD-k (dbn.h). The kind's table is at the end. */
#include "neurotop/model/dbn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"
#include "dbn_internal.h"
#include "model_internal.h"

#define DBN_WEIGHT_STD 0.01
#define DBN_WEIGHT_DECAY 0.0004f
#define DBN_MOMENTUM_EARLY 0.5f
#define DBN_MOMENTUM_LATE 0.9f
#define DBN_EARLY_EPOCHS 5
/* Examples per chunk when evaluating or recording activations. */
#define DBN_CHUNK 256
/* Weights of block r from stream DBN_STREAM_BASE + r; the hidden samples of
 * epoch e from stream DBN_SAMPLE_STREAM of rng_epoch_seed(seed, e). */
#define DBN_STREAM_BASE 2000
#define DBN_SAMPLE_STREAM 2100

typedef struct {
    size_t R;                          /* RBMs: layers − 1 */
    size_t w_off[MODEL_MAX_LAYERS];    /* W_r at params + w_off[r] */
    size_t bv_off[MODEL_MAX_LAYERS];   /* visible bias of RBM r */
    size_t bh_off[MODEL_MAX_LAYERS];   /* hidden bias of RBM r */
    size_t epoch;                      /* the epoch trained now (set_epoch) */
    size_t cur;                        /* its RBM */
    float *vel;                        /* velocities of RBM cur: W, bv, bh (then unused room) */
    size_t vel_n;                      /* room for the largest RBM's */
    Rng rng;                           /* hidden samples of this epoch */
    size_t cap;                        /* rows the buffers below hold */
    float *up[2];                      /* cap × widest layer: data on its way up */
    float *u;                          /* k × cap × widest layer uniforms */
    float *grad;                       /* gradient of RBM cur, laid out as vel */
    float *scratch;                    /* dbn_rbm_cd's */
} Dbn;

/* ---- pure kernels ---------------------------------------------------------- */

static float sigmoid(float a)
{
    return 1.0f / (1.0f + expf(-a));
}

static double softplus(double a)
{
    return a > 0 ? a + log1p(exp(-a)) : log1p(exp(a));
}

/* out (n × h) = σ(x W + bias): x is n × v, W is v × h. */
static void up_probs(size_t v, size_t h, const float *w, const float *bias, const float *x, size_t n,
                     float *out)
{
    for (size_t r = 0; r < n; r++)
        memcpy(out + r * h, bias, h * sizeof *out);
    linalg_sgemm(0, 0, n, h, v, 1.0f, x, v, w, h, 1.0f, out, h);
    for (size_t i = 0; i < n * h; i++)
        out[i] = sigmoid(out[i]);
}

/* out (n × v) = σ(y Wᵀ + bias): y is n × h. */
static void down_probs(size_t v, size_t h, const float *w, const float *bias, const float *y, size_t n,
                       float *out)
{
    for (size_t r = 0; r < n; r++)
        memcpy(out + r * v, bias, v * sizeof *out);
    linalg_sgemm(0, 1, n, v, h, 1.0f, y, h, w, h, 1.0f, out, v);
    for (size_t i = 0; i < n * v; i++)
        out[i] = sigmoid(out[i]);
}

size_t dbn_rbm_scratch(size_t b, size_t v, size_t h)
{
    /* p0, states, p_k (b × h each) and v_k (b × v). */
    return 3 * b * h + b * v;
}

void dbn_rbm_cd(size_t v, size_t h, const float *w, const float *bv, const float *bh,
                const float *v0, size_t b, size_t k, const float *u, float *gw, float *gbv,
                float *gbh, double *recon, float *scratch)
{
    float *p0 = scratch, *hs = p0 + b * h, *pk = hs + b * h, *vk = pk + b * h;
    up_probs(v, h, w, bh, v0, b, p0);
    const float *p = p0;
    for (size_t s = 0; s < k; s++) {
        const float *us = u + s * b * h;
        for (size_t i = 0; i < b * h; i++)
            hs[i] = us[i] < p[i] ? 1.0f : 0.0f;
        down_probs(v, h, w, bv, hs, b, vk);
        if (s == 0 && recon) {
            double e = 0.0;
            for (size_t i = 0; i < b * v; i++) {
                double d = (double)v0[i] - (double)vk[i];
                e += d * d;
            }
            *recon = e;
        }
        up_probs(v, h, w, bh, vk, b, pk);
        p = pk;
    }
    const float inv = 1.0f / (float)b;
    linalg_sgemm(1, 0, v, h, b, inv, v0, v, p0, h, 0.0f, gw, h);
    linalg_sgemm(1, 0, v, h, b, -inv, vk, v, pk, h, 1.0f, gw, h);
    for (size_t i = 0; i < v; i++) {
        double d = 0.0;
        for (size_t r = 0; r < b; r++)
            d += (double)v0[r * v + i] - (double)vk[r * v + i];
        gbv[i] = (float)(d / (double)b);
    }
    for (size_t j = 0; j < h; j++) {
        double d = 0.0;
        for (size_t r = 0; r < b; r++)
            d += (double)p0[r * h + j] - (double)pk[r * h + j];
        gbh[j] = (float)(d / (double)b);
    }
}

Status dbn_free_energy(size_t v, size_t h, const float *w, const float *bv, const float *bh,
                       const float *x, size_t n, double *f)
{
    size_t rows = n < DBN_CHUNK ? n : DBN_CHUNK;
    float *a = malloc((rows ? rows : 1) * h * sizeof *a);
    if (!a)
        return ST_ENOMEM;
    for (size_t i0 = 0; i0 < n; i0 += rows) {
        size_t m = n - i0 < rows ? n - i0 : rows;
        const float *xs = x + i0 * v;
        for (size_t r = 0; r < m; r++)
            memcpy(a + r * h, bh, h * sizeof *a);
        linalg_sgemm(0, 0, m, h, v, 1.0f, xs, v, w, h, 1.0f, a, h);
        for (size_t r = 0; r < m; r++) {
            double e = 0.0;
            for (size_t i = 0; i < v; i++)
                e -= (double)bv[i] * (double)xs[r * v + i];
            for (size_t j = 0; j < h; j++)
                e -= softplus((double)a[r * h + j]);
            f[i0 + r] = e;
        }
    }
    free(a);
    return ST_OK;
}

/* ---- the stack ------------------------------------------------------------- */

/* Offsets of the layout (dbn_layout's order) for config c. */
void dbn_offsets(const ModelConfig *c, size_t *w_off, size_t *bv_off, size_t *bh_off)
{
    size_t off = 0, R = c->n_layers - 1;
    for (size_t r = 0; r < R; r++) {
        w_off[r] = off;
        off += c->sizes[r] * c->sizes[r + 1];
    }
    for (size_t r = 0; r < R; r++) {
        bv_off[r] = off;
        off += c->sizes[r];
        bh_off[r] = off;
        off += c->sizes[r + 1];
    }
}

void dbn_readout_offsets(const ModelConfig *c, size_t *wr_off, size_t *br_off)
{
    size_t off = 0, R = c->n_layers - 1;
    for (size_t r = 0; r < R; r++)
        off += c->sizes[r] * c->sizes[r + 1] + c->sizes[r] + c->sizes[r + 1];
    *wr_off = off;
    *br_off = off + c->sizes[R] * dbn_readout_classes(c);
}

int dbn_readout_trains(const ModelConfig *c, size_t epoch)
{
    double epl = model_kparam(c, KP_EPL);
    size_t per = isfinite(epl) && epl >= 1 ? (size_t)epl : 1;
    return dbn_readout_classes(c) > 0 && epoch / per >= c->n_layers - 1;
}

double dbn_readout_grad(size_t h, size_t k, const float *wr, const float *br, const float *feat,
                        const int *y, size_t b, float *gw, float *gb, float *scratch)
{
    float *p = scratch;
    for (size_t i = 0; i < b; i++)
        memcpy(p + i * k, br, k * sizeof *p);
    linalg_sgemm(0, 0, b, k, h, 1.0f, feat, h, wr, k, 1.0f, p, k);
    double loss = 0.0;
    for (size_t i = 0; i < b; i++) {
        float *row = p + i * k, top = row[0];
        for (size_t j = 1; j < k; j++)
            top = row[j] > top ? row[j] : top;
        double sum = 0.0;
        for (size_t j = 0; j < k; j++)
            sum += exp((double)(row[j] - top));
        loss += log(sum) - (double)(row[y[i]] - top);
        /* dCE/dlogit = softmax − onehot, averaged over the batch */
        for (size_t j = 0; j < k; j++)
            row[j] = (float)((exp((double)(row[j] - top)) / sum - (j == (size_t)y[i])) / (double)b);
    }
    linalg_sgemm(1, 0, h, k, b, 1.0f, feat, h, p, k, 0.0f, gw, k);
    for (size_t j = 0; j < k; j++) {
        double g = 0.0;
        for (size_t i = 0; i < b; i++)
            g += p[i * k + j];
        gb[j] = (float)g;
    }
    return loss;
}

size_t dbn_rbm_of_epoch(const ModelConfig *c, size_t epoch)
{
    size_t R = c->n_layers - 1;
    double epl = model_kparam(c, KP_EPL);
    size_t per = isfinite(epl) && epl >= 1 ? (size_t)epl : 1;
    size_t r = epoch / per;
    return r < R ? r : R - 1;
}

static size_t widest(const ModelConfig *c)
{
    size_t w = 0;
    for (size_t l = 0; l < c->n_layers; l++)
        w = c->sizes[l] > w ? c->sizes[l] : w;
    return w;
}

/* The n inputs x propagated up to layer `to` as probabilities, in one of
 * the two buffers a and b (each n × widest): returns the one holding it (x
 * itself for layer 0). */
static const float *propagate(const ModelConfig *c, const float *params, const size_t *w_off,
                              const size_t *bh_off, const float *x, size_t n, size_t to, float *a,
                              float *b)
{
    const float *in = x;
    for (size_t r = 0; r < to; r++) {
        float *out = in == a ? b : a;
        up_probs(c->sizes[r], c->sizes[r + 1], params + w_off[r], params + bh_off[r], in, n, out);
        in = out;
    }
    return in;
}

void dbn_free(Model *m)
{
    Dbn *d = m->impl;
    if (!d)
        return;
    free(d->vel);
    free(d->up[0]);
    free(d->up[1]);
    free(d->u);
    free(d->grad);
    free(d->scratch);
    free(d);
    m->impl = NULL;
}

static void rbm_dims(const Model *m, size_t r, size_t *v, size_t *h)
{
    *v = m->config.sizes[r];
    *h = m->config.sizes[r + 1];
}

/* RBM r starts training: its momentum starts from rest. */
static void select_rbm(Model *m, size_t r)
{
    Dbn *d = m->impl;
    d->cur = r;
    memset(d->vel, 0, d->vel_n * sizeof *d->vel);
}

Status dbn_create(Model *m, char *msg)
{
    const ModelConfig *c = &m->config;
    Dbn *d = calloc(1, sizeof *d);
    if (!d)
        return status_fail(msg, ST_ENOMEM, "out of memory creating the DBN");
    m->impl = d;
    d->R = c->n_layers - 1;
    dbn_offsets(c, d->w_off, d->bv_off, d->bh_off);
    size_t most = 0;
    for (size_t r = 0; r < d->R; r++) {
        size_t n = c->sizes[r] * c->sizes[r + 1] + c->sizes[r] + c->sizes[r + 1];
        most = n > most ? n : most;
    }
    /* The velocities take the room of the largest RBM, so the optimiser
     * state has one size for the whole run (resuming relies on it). */
    d->vel_n = most;
    d->vel = calloc(most, sizeof *d->vel);
    d->grad = calloc(most, sizeof *d->grad);
    if (!d->vel || !d->grad) {
        dbn_free(m);
        return status_fail(msg, ST_ENOMEM, "out of memory creating the DBN");
    }
    for (size_t r = 0; r < d->R; r++) {
        Rng g;
        rng_seed(&g, c->seed, DBN_STREAM_BASE + r);
        float *w = m->params + d->w_off[r];
        for (size_t i = 0; i < c->sizes[r] * c->sizes[r + 1]; i++)
            w[i] = (float)(DBN_WEIGHT_STD * rng_normal(&g));
    }
    /* Biases start at 0: params came zeroed. */
    d->epoch = 0;
    select_rbm(m, 0);
    rng_seed(&d->rng, rng_epoch_seed(c->seed, 0), DBN_SAMPLE_STREAM);
    return ST_OK;
}

void dbn_set_epoch(Model *m, size_t epoch)
{
    Dbn *d = m->impl;
    size_t r = dbn_rbm_of_epoch(&m->config, epoch);
    if (r != d->cur)
        select_rbm(m, r);
    d->epoch = epoch;
    rng_seed(&d->rng, rng_epoch_seed(m->config.seed, epoch), DBN_SAMPLE_STREAM);
}

static Status reserve(Dbn *d, const ModelConfig *c, size_t rows, size_t k, char *msg)
{
    if (rows <= d->cap && d->u)
        return ST_OK;
    size_t wmax = widest(c), need_u, need_s = 0;
    for (size_t r = 0; r + 1 < c->n_layers; r++) {
        size_t s = dbn_rbm_scratch(rows, c->sizes[r], c->sizes[r + 1]);
        need_s = s > need_s ? s : need_s;
    }
    if (size_mul(rows, wmax, &need_u) || size_mul(need_u, k, &need_u))
        return status_fail(msg, ST_ENOMEM, "the DBN's batch is too large");
    float *a = realloc(d->up[0], rows * wmax * sizeof *a);
    if (a)
        d->up[0] = a;
    float *b = realloc(d->up[1], rows * wmax * sizeof *b);
    if (b)
        d->up[1] = b;
    float *u = realloc(d->u, need_u * sizeof *u);
    if (u)
        d->u = u;
    float *s = realloc(d->scratch, need_s * sizeof *s);
    if (s)
        d->scratch = s;
    if (!a || !b || !u || !s)
        return status_fail(msg, ST_ENOMEM, "out of memory for the DBN's batch of %zu", rows);
    d->cap = rows;
    return ST_OK;
}

/* Plain SGD on the read-out's mean cross-entropy, the RBMs fixed; d's
 * buffers already hold a batch. */
static Status train_readout(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                            double *loss_sum, char *msg)
{
    Dbn *d = m->impl;
    const ModelConfig *c = &m->config;
    if (!y)
        return status_fail(msg, ST_EINVAL, "the DBN's read-out trains on labels, and none were given");
    size_t K = dbn_readout_classes(c), top = c->n_layers - 1, h = c->sizes[top], wr_off, br_off;
    dbn_readout_offsets(c, &wr_off, &br_off);
    size_t rows = batch < n ? batch : n;
    float *buf = malloc((rows * K + h * K + K) * sizeof *buf);
    if (!buf)
        return status_fail(msg, ST_ENOMEM, "out of memory for the read-out's batch");
    float *gw = buf + rows * K, *gb = gw + h * K, *wr = m->params + wr_off, *br = m->params + br_off;
    for (size_t i0 = 0; i0 < n; i0 += batch) {
        size_t b = n - i0 < batch ? n - i0 : batch;
        for (size_t i = 0; i < b; i++)
            if (y[i0 + i] < 0 || (size_t)y[i0 + i] >= K) {
                free(buf);
                return status_fail(msg, ST_EINVAL, "label %d is outside the read-out's %zu classes", y[i0 + i], K);
            }
        const float *f = propagate(c, m->params, d->w_off, d->bh_off, x + i0 * c->sizes[0], b, top, d->up[0],
                                   d->up[1]);
        double loss = dbn_readout_grad(h, K, wr, br, f, y + i0, b, gw, gb, buf);
        if (loss_sum)
            *loss_sum += loss;
        for (size_t i = 0; i < h * K; i++)
            wr[i] -= lr * gw[i];
        for (size_t j = 0; j < K; j++)
            br[j] -= lr * gb[j];
    }
    free(buf);
    return ST_OK;
}

Status dbn_train(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                        double *loss_sum, char *msg)
{
    Dbn *d = m->impl;
    const ModelConfig *c = &m->config;
    if (batch == 0)
        return status_fail(msg, ST_EINVAL, "the batch size must be at least 1");
    size_t k = (size_t)model_kparam(c, KP_CD);
    size_t rows = batch < n ? batch : n;
    Status st = reserve(d, c, rows, k, msg);
    if (st)
        return st;
    if (dbn_readout_trains(c, d->epoch))
        return train_readout(m, x, y, n, batch, lr, loss_sum, msg);
    size_t r = d->cur, v, h;
    rbm_dims(m, r, &v, &h);
    float *w = m->params + d->w_off[r], *bv = m->params + d->bv_off[r], *bh = m->params + d->bh_off[r];
    float *gw = d->grad, *gbv = gw + v * h, *gbh = gbv + v;
    float *vw = d->vel, *vbv = vw + v * h, *vbh = vbv + v;
    size_t first = r * (size_t)model_kparam(c, KP_EPL); /* this RBM's first epoch */
    const float mom = d->epoch >= first && d->epoch - first < DBN_EARLY_EPOCHS ? DBN_MOMENTUM_EARLY
                                                                           : DBN_MOMENTUM_LATE;
    for (size_t i0 = 0; i0 < n; i0 += batch) {
        size_t b = n - i0 < batch ? n - i0 : batch;
        const float *v0 = propagate(c, m->params, d->w_off, d->bh_off, x + i0 * c->sizes[0], b, r,
                                    d->up[0], d->up[1]);
        for (size_t i = 0; i < k * b * h; i++)
            d->u[i] = (float)rng_uniform(&d->rng);
        double recon = 0.0;
        dbn_rbm_cd(v, h, w, bv, bh, v0, b, k, d->u, gw, gbv, gbh, &recon, d->scratch);
        if (loss_sum)
            *loss_sum += recon;
        for (size_t i = 0; i < v * h; i++) {
            vw[i] = mom * vw[i] + lr * (gw[i] - DBN_WEIGHT_DECAY * w[i]);
            w[i] += vw[i];
        }
        for (size_t i = 0; i < v; i++) {
            vbv[i] = mom * vbv[i] + lr * gbv[i];
            bv[i] += vbv[i];
        }
        for (size_t j = 0; j < h; j++) {
            vbh[j] = mom * vbh[j] + lr * gbh[j];
            bh[j] += vbh[j];
        }
    }
    return ST_OK;
}

void dbn_activations(const Model *m, const float *x, size_t n, float *const *acts)
{
    const Dbn *d = m->impl;
    const ModelConfig *c = &m->config;
    for (size_t i0 = 0; i0 < n; i0 += DBN_CHUNK) {
        size_t b = n - i0 < DBN_CHUNK ? n - i0 : DBN_CHUNK;
        const float *in = x + i0 * c->sizes[0];
        for (size_t r = 0; r < d->R; r++) {
            float *out = acts[r] + i0 * c->sizes[r + 1];
            up_probs(c->sizes[r], c->sizes[r + 1], m->params + d->w_off[r], m->params + d->bh_off[r],
                     in, b, out);
            in = out;
        }
    }
}

/* Accuracy, mean cross-entropy and confusion counts ([true][predicted]
 * with the row stride ev->n_classes) of the read-out. */
static Status evaluate_readout(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev)
{
    const Dbn *d = m->impl;
    const ModelConfig *c = &m->config;
    size_t K = dbn_readout_classes(c), top = c->n_layers - 1, h = c->sizes[top], wr_off, br_off, wmax = widest(c);
    dbn_readout_offsets(c, &wr_off, &br_off);
    float *a = malloc(DBN_CHUNK * wmax * sizeof *a), *b = malloc(DBN_CHUNK * wmax * sizeof *b);
    float *p = malloc(DBN_CHUNK * K * sizeof *p);
    Status st = a && b && p ? ST_OK : ST_ENOMEM;
    double loss = 0.0;
    size_t right = 0;
    for (size_t i0 = 0; !st && i0 < n; i0 += DBN_CHUNK) {
        size_t rows = n - i0 < DBN_CHUNK ? n - i0 : DBN_CHUNK;
        const float *f = propagate(c, m->params, d->w_off, d->bh_off, x + i0 * c->sizes[0], rows, top, a, b);
        for (size_t i = 0; i < rows; i++)
            memcpy(p + i * K, m->params + br_off, K * sizeof *p);
        linalg_sgemm(0, 0, rows, K, h, 1.0f, f, h, m->params + wr_off, K, 1.0f, p, K);
        for (size_t i = 0; i < rows; i++) {
            const float *row = p + i * K;
            size_t best = 0;
            for (size_t j = 1; j < K; j++)
                best = row[j] > row[best] ? j : best;
            double sum = 0.0;
            for (size_t j = 0; j < K; j++)
                sum += exp((double)(row[j] - row[best]));
            int t = y[i0 + i];
            if (t >= 0 && (size_t)t < K) {
                loss += log(sum) - (double)(row[t] - row[best]);
                right += best == (size_t)t;
                if (ev->confusion && (size_t)t < ev->n_classes && best < ev->n_classes)
                    ev->confusion[(size_t)t * ev->n_classes + best]++;
            }
        }
    }
    free(a);
    free(b);
    free(p);
    if (!st) {
        ev->accuracy = (double)right / (double)n;
        ev->loss = loss / (double)n;
    }
    return st;
}

/* Mean reconstruction error per example of the RBM `r` on its inputs (the
 * data propagated up): up to the hidden probabilities and down again. */
Status dbn_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev)
{
    const Dbn *d = m->impl;
    const ModelConfig *c = &m->config;
    size_t wmax = widest(c), r = d->cur, v = c->sizes[r], h = c->sizes[r + 1];
    float *a = malloc(DBN_CHUNK * wmax * sizeof *a), *b = malloc(DBN_CHUNK * wmax * sizeof *b);
    float *hid = malloc(DBN_CHUNK * h * sizeof *hid), *rec = malloc(DBN_CHUNK * v * sizeof *rec);
    Status st = a && b && hid && rec ? ST_OK : ST_ENOMEM;
    double err = 0.0;
    for (size_t i0 = 0; !st && i0 < n; i0 += DBN_CHUNK) {
        size_t rows = n - i0 < DBN_CHUNK ? n - i0 : DBN_CHUNK;
        const float *in = propagate(c, m->params, d->w_off, d->bh_off, x + i0 * c->sizes[0], rows, r, a, b);
        up_probs(v, h, m->params + d->w_off[r], m->params + d->bh_off[r], in, rows, hid);
        down_probs(v, h, m->params + d->w_off[r], m->params + d->bv_off[r], hid, rows, rec);
        for (size_t i = 0; i < rows * v; i++) {
            double e = (double)in[i] - (double)rec[i];
            err += e * e;
        }
    }
    free(a);
    free(b);
    free(hid);
    free(rec);
    if (!st)
        ev->recon = err / (double)n;
    if (!st && y && dbn_readout_trains(c, d->epoch))
        st = evaluate_readout(m, x, y, n, ev);
    return st;
}

/* The free-energy gap of the RBM now training: mean F of held-out inputs
 * minus mean F of training inputs (both propagated up to it). It grows
 * when the RBM starts to fit its training data better than new data. */
size_t dbn_data_metrics(const Model *m, const float *train_x, size_t n_train,
                               const float *test_x, size_t n_test, ModelMetric *out, size_t max)
{
    const Dbn *d = m->impl;
    const ModelConfig *c = &m->config;
    if (max < 2 || n_train == 0 || n_test == 0)
        return 0;
    size_t wmax = widest(c), r = d->cur, v = c->sizes[r], h = c->sizes[r + 1];
    size_t most = n_train > n_test ? n_train : n_test;
    float *a = malloc(most * wmax * sizeof *a), *b = malloc(most * wmax * sizeof *b);
    double *f = malloc(most * sizeof *f);
    double mean[2] = {NAN, NAN};
    for (int s = 0; a && b && f && s < 2; s++) {
        const float *x = s ? train_x : test_x;
        size_t n = s ? n_train : n_test;
        const float *in = propagate(c, m->params, d->w_off, d->bh_off, x, n, r, a, b);
        if (dbn_free_energy(v, h, m->params + d->w_off[r], m->params + d->bv_off[r],
                            m->params + d->bh_off[r], in, n, f))
            break;
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += f[i];
        mean[s] = sum / (double)n;
    }
    free(a);
    free(b);
    free(f);
    snprintf(out[0].key, sizeof out[0].key, "fe_gap");
    out[0].value = mean[0] - mean[1];
    snprintf(out[1].key, sizeof out[1].key, "rbm");
    out[1].value = (double)(r + 1);
    return 2;
}

/* The optimiser state: the velocities of the RBM now training, in room
 * for the largest RBM's. */
size_t dbn_opt_size(const Model *m)
{
    const Dbn *d = m->impl;
    return d->vel_n;
}

void dbn_opt_get(const Model *m, double *out)
{
    const Dbn *d = m->impl;
    for (size_t i = 0; i < d->vel_n; i++)
        out[i] = d->vel[i];
}

Status dbn_opt_set(Model *m, const double *in, size_t n, char *msg)
{
    Dbn *d = m->impl;
    if (n != d->vel_n)
        return status_fail(msg, ST_EINVAL, "the DBN's saved momentum has %zu values, this one keeps %zu", n,
                           d->vel_n);
    for (size_t i = 0; i < n; i++)
        d->vel[i] = (float)in[i];
    return ST_OK;
}
