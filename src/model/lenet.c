/* LeNet's arithmetic: im2col convolutions (one sgemm per image and layer),
 * 2 × 2 max pooling with the winners kept for the backward pass, dense
 * layers as one sgemm per batch, softmax cross-entropy and Adam. The
 * kind's table is in lenet_kind.c. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"
#include "lenet_internal.h"

/* Images per chunk of scratch when nothing larger was asked for. */
#define LENET_CHUNK 64
/* Keep the up-front scratch below 2^24 floats (64 MiB) for wide configs. */
#define LENET_SCRATCH_FLOATS ((size_t)1 << 24)
#define LENET_STREAM_BASE 4000
#define ADAM_B1 0.9
#define ADAM_B2 0.999
#define ADAM_EPS 1e-8

struct Lenet {
    LenetShape s;
    size_t cap;
    /* Per image sizes: columns of the two im2col matrices, maps, pooled maps. */
    size_t n_cols1, n_c1, n_p1, n_cols2, n_c2, n_p2;
    float *cols1, *c1, *p1, *cols2, *c2, *p2, *h3, *out; /* cap × per-image size */
    uint32_t *a1, *a2;                                   /* pooling winners, cap × pooled */
    float *dp2, *d3, *d4;                                /* cap × P, D, classes */
    float *dc1, *dp1, *dcols2, *dc2;                     /* one image */
    float *grad;                                         /* n_params */
    double *adam_m, *adam_v;                             /* n_params each */
    uint64_t adam_t;
};

/* ---- kernels ------------------------------------------------------------- */

/* cols[(c·K + i)·K + j][y·ow + x] = in[c][y + i][x + j]. */
static void im2col(const float *in, size_t c_n, size_t h, size_t w, size_t k, size_t oh,
                   size_t ow, float *cols)
{
    const size_t q = oh * ow;
    for (size_t c = 0; c < c_n; c++)
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                float *row = cols + ((c * k + i) * k + j) * q;
                for (size_t y = 0; y < oh; y++)
                    memcpy(row + y * ow, in + (c * h + y + i) * w + j, ow * sizeof *row);
            }
    (void)h;
}

/* The transpose of im2col, added into din (c_n × h × w). */
static void col2im_add(const float *cols, size_t c_n, size_t h, size_t w, size_t k, size_t oh,
                       size_t ow, float *din)
{
    const size_t q = oh * ow;
    for (size_t c = 0; c < c_n; c++)
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                const float *row = cols + ((c * k + i) * k + j) * q;
                for (size_t y = 0; y < oh; y++) {
                    float *d = din + (c * h + y + i) * w + j;
                    for (size_t x = 0; x < ow; x++)
                        d[x] += row[y * ow + x];
                }
            }
}

/* out (f_n × q) = ReLU(kern (f_n × kk) · cols (kk × q) + bias). */
static void conv_relu(const float *kern, const float *bias, const float *cols, size_t f_n,
                      size_t kk, size_t q, float *out)
{
    for (size_t f = 0; f < f_n; f++)
        for (size_t p = 0; p < q; p++)
            out[f * q + p] = bias[f];
    linalg_sgemm(0, 0, f_n, q, kk, 1.0f, kern, kk, cols, q, 1.0f, out, q);
    for (size_t i = 0; i < f_n * q; i++)
        out[i] = out[i] > 0.0f ? out[i] : 0.0f;
}

/* 2 × 2 max pooling with stride 2 of f_n maps h × w into oh × ow (the floor
 * of h/2, w/2); win gets the index in `in` of each maximum (the first on
 * ties). */
static void maxpool(const float *in, size_t f_n, size_t h, size_t w, size_t oh, size_t ow,
                    float *out, uint32_t *win)
{
    for (size_t f = 0; f < f_n; f++)
        for (size_t y = 0; y < oh; y++)
            for (size_t x = 0; x < ow; x++) {
                size_t best = (f * h + 2 * y) * w + 2 * x;
                for (size_t i = 0; i < 2; i++)
                    for (size_t j = 0; j < 2; j++) {
                        size_t at = (f * h + 2 * y + i) * w + 2 * x + j;
                        if (in[at] > in[best])
                            best = at;
                    }
                size_t o = (f * oh + y) * ow + x;
                out[o] = in[best];
                win[o] = (uint32_t)best;
            }
}

/* Logits to probabilities in place; the cross-entropy of class y in the
 * log-sum-exp form (finite when a probability underflows), 0 for y < 0. */
static double softmax_row(float *z, size_t n, int y)
{
    float mx = z[0];
    for (size_t j = 1; j < n; j++)
        mx = z[j] > mx ? z[j] : mx;
    double zy = y >= 0 ? (double)z[y] : 0.0;
    float sum = 0.0f;
    for (size_t j = 0; j < n; j++) {
        z[j] = expf(z[j] - mx);
        sum += z[j];
    }
    for (size_t j = 0; j < n; j++)
        z[j] /= sum;
    return y >= 0 ? (double)mx + log((double)sum) - zy : 0.0;
}

/* out (rows × cols) = act(in (rows × k) · w (k × cols) + bias). */
static void dense(const float *in, size_t rows, size_t k, const float *w, const float *bias,
                  size_t cols, int relu, float *out)
{
    for (size_t r = 0; r < rows; r++)
        memcpy(out + r * cols, bias, cols * sizeof *out);
    linalg_sgemm(0, 0, rows, cols, k, 1.0f, in, k, w, cols, 1.0f, out, cols);
    if (relu)
        for (size_t i = 0; i < rows * cols; i++)
            out[i] = out[i] > 0.0f ? out[i] : 0.0f;
}

/* ---- scratch ------------------------------------------------------------- */

static void batch_free(Lenet *p)
{
    float **f[] = {&p->cols1, &p->c1, &p->p1, &p->cols2, &p->c2, &p->p2,
                   &p->h3,    &p->out, &p->dp2, &p->d3,  &p->d4};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
    free(p->a1);
    free(p->a2);
    p->a1 = p->a2 = NULL;
    p->cap = 0;
}

static size_t per_image(const Lenet *p)
{
    const LenetShape *s = &p->s;
    return p->n_cols1 + p->n_c1 + 2 * p->n_p1 + p->n_cols2 + p->n_c2 + 3 * p->n_p2 + 2 * s->dense +
           2 * s->classes;
}

/* Room for `rows` images at once (nothing to do when there is). */
static Status batch_reserve(Lenet *p, size_t rows, char *msg)
{
    if (rows <= p->cap)
        return ST_OK;
    size_t total;
    if (size_mul(rows, per_image(p), &total) || total > ((size_t)1 << 31) / sizeof(float) ||
        rows > (size_t)INT32_MAX / (p->n_cols1 + p->n_cols2 + 1))
        return status_fail(msg, ST_EINVAL, "a batch of %zu images is too large for this LeNet",
                           rows);
    batch_free(p);
    const LenetShape *s = &p->s;
    const size_t n[] = {p->n_cols1, p->n_c1, p->n_p1, p->n_cols2, p->n_c2,  p->n_p2,
                        s->dense,   s->classes, p->n_p2, s->dense, s->classes};
    float **f[] = {&p->cols1, &p->c1, &p->p1, &p->cols2, &p->c2, &p->p2,
                   &p->h3,    &p->out, &p->dp2, &p->d3,  &p->d4};
    int ok = 1;
    for (size_t i = 0; i < sizeof f / sizeof f[0] && ok; i++)
        ok = (*f[i] = malloc(rows * n[i] * sizeof(float))) != NULL;
    if (ok) {
        p->a1 = malloc(rows * p->n_p1 * sizeof *p->a1);
        p->a2 = malloc(rows * p->n_p2 * sizeof *p->a2);
        ok = p->a1 && p->a2;
    }
    if (!ok) {
        batch_free(p);
        return status_fail(msg, ST_ENOMEM, "out of memory for a batch of %zu images", rows);
    }
    p->cap = rows;
    return ST_OK;
}

void lenet_impl_free(Lenet *p)
{
    if (!p)
        return;
    batch_free(p);
    free(p->dc1);
    free(p->dp1);
    free(p->dcols2);
    free(p->dc2);
    free(p->grad);
    free(p->adam_m);
    free(p->adam_v);
    free(p);
}

Lenet *lenet_impl_new(const LenetShape *s, size_t rows, char *msg)
{
    Lenet *p = calloc(1, sizeof *p);
    if (!p) {
        status_fail(msg, ST_ENOMEM, "out of memory creating the LeNet");
        return NULL;
    }
    p->s = *s;
    p->n_cols1 = s->k * s->k * s->c1h * s->c1w;
    p->n_c1 = s->f1 * s->c1h * s->c1w;
    p->n_p1 = s->f1 * s->p1h * s->p1w;
    p->n_cols2 = s->f1 * s->k * s->k * s->c2h * s->c2w;
    p->n_c2 = s->f2 * s->c2h * s->c2w;
    p->n_p2 = s->f2 * s->p2h * s->p2w;
    size_t fit = LENET_SCRATCH_FLOATS / per_image(p);
    rows = rows > fit ? fit : rows;
    rows = rows < 1 ? 1 : rows;
    p->dc1 = malloc(p->n_c1 * sizeof(float));
    p->dp1 = malloc(p->n_p1 * sizeof(float));
    p->dcols2 = malloc(p->n_cols2 * sizeof(float));
    p->dc2 = malloc(p->n_c2 * sizeof(float));
    p->grad = malloc(s->n_params * sizeof(float));
    if (!p->dc1 || !p->dp1 || !p->dcols2 || !p->dc2 || !p->grad) {
        lenet_impl_free(p);
        status_fail(msg, ST_ENOMEM, "out of memory creating the LeNet");
        return NULL;
    }
    if (batch_reserve(p, rows, msg)) {
        lenet_impl_free(p);
        return NULL;
    }
    return p;
}

/* ---- forward and backward ---------------------------------------------- */

/* Forward rows <= cap images into the scratch; out holds logits. */
static void forward_rows(Lenet *p, const float *P, const float *x, size_t rows)
{
    const LenetShape *s = &p->s;
    const size_t q1 = s->c1h * s->c1w, q2 = s->c2h * s->c2w, kk = s->k * s->k;
    for (size_t r = 0; r < rows; r++) {
        float *cols1 = p->cols1 + r * p->n_cols1, *c1 = p->c1 + r * p->n_c1;
        float *p1 = p->p1 + r * p->n_p1, *cols2 = p->cols2 + r * p->n_cols2;
        float *c2 = p->c2 + r * p->n_c2;
        im2col(x + r * s->in_h * s->in_w, 1, s->in_h, s->in_w, s->k, s->c1h, s->c1w, cols1);
        conv_relu(P + s->o_k1, P + s->o_b1, cols1, s->f1, kk, q1, c1);
        maxpool(c1, s->f1, s->c1h, s->c1w, s->p1h, s->p1w, p1, p->a1 + r * p->n_p1);
        im2col(p1, s->f1, s->p1h, s->p1w, s->k, s->c2h, s->c2w, cols2);
        conv_relu(P + s->o_k2, P + s->o_b2, cols2, s->f2, s->f1 * kk, q2, c2);
        maxpool(c2, s->f2, s->c2h, s->c2w, s->p2h, s->p2w, p->p2 + r * p->n_p2,
                p->a2 + r * p->n_p2);
    }
    dense(p->p2, rows, p->n_p2, P + s->o_w3, P + s->o_b3, s->dense, 1, p->h3);
    dense(p->h3, rows, s->dense, P + s->o_w4, P + s->o_b4, s->classes, 0, p->out);
}

/* Add scale · Σ_i ∂loss_i/∂params of the rows forwarded last to G; out
 * holds their probabilities. */
static void backward_rows(Lenet *p, const float *P, float *G, const int *y, size_t rows,
                          float scale)
{
    const LenetShape *s = &p->s;
    const size_t q1 = s->c1h * s->c1w, q2 = s->c2h * s->c2w, kk = s->k * s->k;
    const size_t D = s->dense, C = s->classes, NP = p->n_p2;
    memcpy(p->d4, p->out, rows * C * sizeof(float));
    for (size_t r = 0; r < rows; r++)
        p->d4[r * C + (size_t)y[r]] -= 1.0f;
    linalg_sgemm(1, 0, D, C, rows, scale, p->h3, D, p->d4, C, 1.0f, G + s->o_w4, C);
    linalg_sgemm(0, 1, rows, D, C, 1.0f, p->d4, C, P + s->o_w4, C, 0.0f, p->d3, D);
    for (size_t i = 0; i < rows * D; i++)
        p->d3[i] = p->h3[i] > 0.0f ? p->d3[i] : 0.0f;
    linalg_sgemm(1, 0, NP, D, rows, scale, p->p2, NP, p->d3, D, 1.0f, G + s->o_w3, D);
    linalg_sgemm(0, 1, rows, NP, D, 1.0f, p->d3, D, P + s->o_w3, D, 0.0f, p->dp2, NP);
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < C; j++)
            G[s->o_b4 + j] += scale * p->d4[r * C + j];
        for (size_t j = 0; j < D; j++)
            G[s->o_b3 + j] += scale * p->d3[r * D + j];
        /* Pooling 2 routes each gradient to its winner; ReLU gates it. */
        const float *c2 = p->c2 + r * p->n_c2, *dp2 = p->dp2 + r * NP;
        const uint32_t *a2 = p->a2 + r * NP;
        memset(p->dc2, 0, p->n_c2 * sizeof(float));
        for (size_t i = 0; i < NP; i++)
            p->dc2[a2[i]] += dp2[i];
        for (size_t i = 0; i < p->n_c2; i++)
            p->dc2[i] = c2[i] > 0.0f ? p->dc2[i] : 0.0f;
        const size_t kk2 = s->f1 * kk;
        linalg_sgemm(0, 1, s->f2, kk2, q2, scale, p->dc2, q2, p->cols2 + r * p->n_cols2, q2, 1.0f,
                     G + s->o_k2, kk2);
        for (size_t f = 0; f < s->f2; f++) {
            float sum = 0.0f;
            for (size_t i = 0; i < q2; i++)
                sum += p->dc2[f * q2 + i];
            G[s->o_b2 + f] += scale * sum;
        }
        linalg_sgemm(1, 0, kk2, q2, s->f2, 1.0f, P + s->o_k2, kk2, p->dc2, q2, 0.0f, p->dcols2, q2);
        memset(p->dp1, 0, p->n_p1 * sizeof(float));
        col2im_add(p->dcols2, s->f1, s->p1h, s->p1w, s->k, s->c2h, s->c2w, p->dp1);
        const float *c1 = p->c1 + r * p->n_c1;
        const uint32_t *a1 = p->a1 + r * p->n_p1;
        memset(p->dc1, 0, p->n_c1 * sizeof(float));
        for (size_t i = 0; i < p->n_p1; i++)
            p->dc1[a1[i]] += p->dp1[i];
        for (size_t i = 0; i < p->n_c1; i++)
            p->dc1[i] = c1[i] > 0.0f ? p->dc1[i] : 0.0f;
        linalg_sgemm(0, 1, s->f1, kk, q1, scale, p->dc1, q1, p->cols1 + r * p->n_cols1, q1, 1.0f,
                     G + s->o_k1, kk);
        for (size_t f = 0; f < s->f1; f++) {
            float sum = 0.0f;
            for (size_t i = 0; i < q1; i++)
                sum += p->dc1[f * q1 + i];
            G[s->o_b1 + f] += scale * sum;
        }
    }
}

static double softmax_rows(Lenet *p, const int *y, size_t rows)
{
    double loss = 0.0;
    for (size_t r = 0; r < rows; r++)
        loss += softmax_row(p->out + r * p->s.classes, p->s.classes, y ? y[r] : -1);
    return loss;
}

void lenet_impl_forward(Lenet *p, const float *params, const float *x, size_t n,
                        float *const *outs, const size_t *strides)
{
    const LenetShape *s = &p->s;
    const size_t n_in = s->in_h * s->in_w;
    for (size_t i = 0; i < n; i += p->cap) {
        size_t rows = n - i < p->cap ? n - i : p->cap;
        forward_rows(p, params, x + i * n_in, rows);
        softmax_rows(p, NULL, rows);
        const float *src[7] = {x + i * n_in, p->c1, p->p1, p->c2, p->p2, p->h3, p->out};
        const size_t len[7] = {n_in, p->n_c1, p->n_p1, p->n_c2, p->n_p2, s->dense, s->classes};
        for (size_t l = 0; l < 7; l++)
            for (size_t r = 0; outs[l] && r < rows; r++)
                memcpy(outs[l] + (i + r) * strides[l], src[l] + r * len[l], len[l] * sizeof(float));
    }
}

/* ---- operations -------------------------------------------------------- */

static Status check_labels(const LenetShape *s, const int *y, size_t n, char *msg)
{
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0 || (size_t)y[i] >= s->classes)
            return status_fail(msg, ST_EINVAL,
                               "label %d of example %zu is outside the model's classes 0..%zu",
                               y[i], i, s->classes - 1);
    return ST_OK;
}

static void adam_step(Lenet *p, float *params, float lr)
{
    p->adam_t++;
    const double bc1 = 1.0 - pow(ADAM_B1, (double)p->adam_t);
    const double bc2 = sqrt(1.0 - pow(ADAM_B2, (double)p->adam_t));
    const double step = (double)lr / bc1;
    for (size_t k = 0; k < p->s.n_params; k++) {
        const double g = p->grad[k];
        p->adam_m[k] = ADAM_B1 * p->adam_m[k] + (1.0 - ADAM_B1) * g;
        p->adam_v[k] = ADAM_B2 * p->adam_v[k] + (1.0 - ADAM_B2) * g * g;
        params[k] -= (float)(step * p->adam_m[k] / (sqrt(p->adam_v[k]) / bc2 + ADAM_EPS));
    }
}

static Status adam_reserve(Lenet *p, char *msg)
{
    if (p->adam_m)
        return ST_OK;
    p->adam_m = calloc(p->s.n_params, sizeof(double));
    p->adam_v = calloc(p->s.n_params, sizeof(double));
    if (p->adam_m && p->adam_v)
        return ST_OK;
    free(p->adam_m);
    free(p->adam_v);
    p->adam_m = p->adam_v = NULL;
    return status_fail(msg, ST_ENOMEM, "out of memory for Adam's moments");
}

Status lenet_train(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                   double *loss_sum, char *msg)
{
    Lenet *p = m->impl;
    if (batch == 0)
        return status_fail(msg, ST_EINVAL, "the batch size must be at least 1");
    Status st = check_labels(&p->s, y, n, msg);
    if (!st && n)
        st = batch_reserve(p, batch < n ? batch : n, msg);
    if (st)
        return st;
    const size_t n_in = p->s.in_h * p->s.in_w;
    double loss = 0.0;
    for (size_t i = 0; i < n; i += batch) {
        size_t rows = n - i < batch ? n - i : batch;
        memset(p->grad, 0, p->s.n_params * sizeof(float));
        forward_rows(p, m->params, x + i * n_in, rows);
        loss += softmax_rows(p, y + i, rows);
        backward_rows(p, m->params, p->grad, y + i, rows, 1.0f / (float)rows);
        adam_step(p, m->params, lr);
    }
    if (loss_sum)
        *loss_sum += loss;
    return ST_OK;
}

Status lenet_gradient(const Model *m, const float *x, const int *y, size_t n, float *grad,
                      double *loss_sum, char *msg)
{
    Lenet *p = m->impl;
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a gradient needs at least one example");
    Status st = check_labels(&p->s, y, n, msg);
    if (st)
        return st;
    memset(grad, 0, m->n_params * sizeof(float));
    const size_t n_in = p->s.in_h * p->s.in_w;
    double loss = 0.0;
    for (size_t i = 0; i < n; i += p->cap) {
        size_t rows = n - i < p->cap ? n - i : p->cap;
        forward_rows(p, m->params, x + i * n_in, rows);
        loss += softmax_rows(p, y + i, rows);
        backward_rows(p, m->params, grad, y + i, rows, 1.0f / (float)n);
    }
    if (loss_sum)
        *loss_sum += loss;
    return ST_OK;
}

void lenet_predict(const Model *m, const float *x, size_t n, float *probs)
{
    Lenet *p = m->impl;
    float *outs[7] = {NULL, NULL, NULL, NULL, NULL, NULL, probs};
    const size_t strides[7] = {0, 0, 0, 0, 0, 0, p->s.classes};
    lenet_impl_forward(p, m->params, x, n, outs, strides);
}

void lenet_activations(const Model *m, const float *x, size_t n, float *const *acts)
{
    float *outs[7] = {NULL};
    size_t strides[7] = {0};
    for (size_t l = 1; l < 7; l++) {
        outs[l] = acts[l - 1];
        strides[l] = m->config.sizes[l];
    }
    lenet_impl_forward(m->impl, m->params, x, n, outs, strides);
}

/* ---- Adam's state (resume) ------------------------------------------------ */

size_t lenet_opt_size(const Model *m)
{
    const Lenet *p = m->impl;
    return p->adam_m ? 1 + 2 * p->s.n_params : 0;
}

void lenet_opt_get(const Model *m, double *out)
{
    const Lenet *p = m->impl;
    if (!p->adam_m)
        return;
    out[0] = (double)p->adam_t;
    memcpy(out + 1, p->adam_m, p->s.n_params * sizeof(double));
    memcpy(out + 1 + p->s.n_params, p->adam_v, p->s.n_params * sizeof(double));
}

Status lenet_opt_set(Model *m, const double *in, size_t n, char *msg)
{
    Lenet *p = m->impl;
    if (n != 1 + 2 * p->s.n_params)
        return status_fail(msg, ST_EINVAL, "LeNet's Adam state has %zu values, not %zu",
                           1 + 2 * p->s.n_params, n);
    if (!(in[0] >= 0.0) || in[0] != floor(in[0]) || in[0] > 9e15)
        return status_fail(msg, ST_EINVAL, "LeNet's Adam step count %g is not a whole number",
                           in[0]);
    Status st = adam_reserve(p, msg);
    if (st)
        return st;
    p->adam_t = (uint64_t)in[0];
    memcpy(p->adam_m, in + 1, p->s.n_params * sizeof(double));
    memcpy(p->adam_v, in + 1 + p->s.n_params, p->s.n_params * sizeof(double));
    return ST_OK;
}

/* ---- life ------------------------------------------------------------------ */

/* PyTorch's default: weights and biases U(±1/√fan_in), one Rng stream per
 * parameter block. */
static void init_params(Model *m, const LenetShape *s)
{
    const size_t off[8] = {s->o_k1, s->o_b1, s->o_k2, s->o_b2, s->o_w3, s->o_b3, s->o_w4, s->o_b4};
    const size_t fan[4] = {s->k * s->k, s->f1 * s->k * s->k, s->f2 * s->p2h * s->p2w, s->dense};
    for (size_t b = 0; b < 8; b++) {
        Rng r;
        rng_seed(&r, m->config.seed, LENET_STREAM_BASE + b);
        size_t end = b + 1 < 8 ? off[b + 1] : s->n_params;
        double bound = 1.0 / sqrt((double)fan[b / 2]);
        for (size_t i = off[b]; i < end; i++)
            m->params[i] = (float)(bound * (2.0 * rng_uniform(&r) - 1.0));
    }
}

Status lenet_create(Model *m, char *msg)
{
    LenetShape s;
    Status st = lenet_shape_of(&m->config, &s, msg);
    if (st)
        return st;
    if (s.n_params != m->n_params)
        return status_fail(msg, ST_EINTERNAL, "the LeNet layout and its shape disagree");
    Lenet *p = lenet_impl_new(&s, LENET_CHUNK, msg);
    if (!p)
        return ST_ENOMEM;
    m->impl = p;
    init_params(m, &s);
    /* Adam's moments exist from the start, so a resumed run finds their
     * size in a fresh model. */
    return adam_reserve(p, msg);
}

void lenet_free(Model *m)
{
    lenet_impl_free(m->impl);
    m->impl = NULL;
}
