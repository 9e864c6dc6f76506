#include "neurotop/model/hebbff.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/rng.h"
#include "hebbff_internal.h"
#include "hebbff_kernels.h"

/* A_t is checkpointed every CKPT steps of a window and recomputed forward
 * inside each segment during the backward pass: O(window/CKPT + CKPT)
 * matrices instead of one per step (500 steps of 100×120: 2.4 MB, not 48). */
#define CKPT 32
/* Steps of window scratch allocated up front; training grows it to its
 * window length. */
#define INITIAL_CAP 512
#define STREAM_W1 1100
#define STREAM_W2 1101
#define STREAM_B1 1102
#define LAMBDA0 0.9
#define ADAM_B1 0.9
#define ADAM_B2 0.999
#define ADAM_EPS 1e-8

typedef struct {
    HebbffLayout L;
    double *P;       /* double copy of the parameters (total) */
    double *state;   /* carried training plastic matrix, N × M */
    double *eval;    /* plastic matrix of predict/activations/gradient, N × M */
    double *G;       /* ∂loss/∂A during the backward pass, N × M */
    double *gx;      /* G x_t, M */
    double *grad;    /* total */
    double *adam_m, *adam_v; /* total each; NULL without training */
    uint64_t adam_t;
    size_t cap;      /* steps of window scratch */
    double *x;       /* cap × N, ±1 */
    double *h;       /* cap × M */
    double *logit;   /* cap */
    double *ga;      /* cap × M, ∂loss/∂a per step */
    double *pre;     /* NULL, or where forward keeps a(t) before σ (cap × M): run_stream
                        points it at ga, which only backward uses otherwise */
    double *ckpt;    /* ceil(cap/CKPT) × N × M */
    double *seg;     /* CKPT × N × M */
} Hebb;

static double sigmoid(double v)
{
    return 1.0 / (1.0 + exp(-v));
}

/* Binary cross-entropy of logit z against label y, stable for any z. */
static double bce_logit(double z, int y)
{
    return fmax(z, 0.0) - z * (double)y + log1p(exp(-fabs(z)));
}

/* ---- layout -------------------------------------------------------------- */

int hebbff_layout(const ModelConfig *c, HebbffLayout *out)
{
    if (model_kind_of(c) != &hebbff_kind || model_config_validate(c, NULL) != ST_OK)
        return -1;
    const size_t n = c->sizes[0], m = c->sizes[1];
    out->n = n;
    out->m = m;
    out->w1 = 0;
    out->w2 = n * m;
    out->b1 = out->w2 + 2 * m;
    out->b2 = out->b1 + m;
    out->lambda_raw = out->b2 + 1;
    out->eta = out->lambda_raw + 1;
    out->total = out->eta + 1;
    return 0;
}

double hebbff_lambda(const ModelConfig *c, const float *params)
{
    HebbffLayout L;
    if (!params || hebbff_layout(c, &L) != 0)
        return NAN;
    return sigmoid((double)params[L.lambda_raw]);
}

double hebbff_eta(const ModelConfig *c, const float *params)
{
    HebbffLayout L;
    if (!params || hebbff_layout(c, &L) != 0)
        return NAN;
    return (double)params[L.eta];
}

/* ---- scratch ------------------------------------------------------------ */

static void window_free(Hebb *p)
{
    free(p->x);
    free(p->h);
    free(p->logit);
    free(p->ga);
    free(p->ckpt);
    p->x = p->h = p->logit = p->ga = p->ckpt = NULL;
    p->cap = 0;
}

static void hebb_free(Hebb *p)
{
    if (!p)
        return;
    window_free(p);
    free(p->P);
    free(p->state);
    free(p->eval);
    free(p->G);
    free(p->gx);
    free(p->grad);
    free(p->adam_m);
    free(p->adam_v);
    free(p->seg);
    free(p);
}

/* Make room for windows of `steps` steps (no-op when there is room). */
static Status window_reserve(Hebb *p, size_t steps, char *msg)
{
    if (steps <= p->cap)
        return ST_OK;
    const size_t n = p->L.n, m = p->L.m, nm = n * m;
    const size_t n_ckpt = (steps + CKPT - 1) / CKPT;
    size_t a, b, c;
    /* dgemm takes int dimensions: keep every product below INT_MAX. */
    if (size_mul(steps, n, &a) != 0 || size_mul(steps, m, &b) != 0 ||
        size_mul(n_ckpt, nm, &c) != 0 || a > INT_MAX || b > INT_MAX ||
        c > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "a window of %zu steps is too large for this model",
                           steps);
    window_free(p);
    p->x = malloc(a * sizeof(double));
    p->h = malloc(b * sizeof(double));
    p->logit = malloc(steps * sizeof(double));
    p->ga = malloc(b * sizeof(double));
    p->ckpt = malloc(c * sizeof(double));
    if (!p->x || !p->h || !p->logit || !p->ga || !p->ckpt) {
        window_free(p);
        return status_fail(msg, ST_ENOMEM, "out of memory for a window of %zu steps", steps);
    }
    p->cap = steps;
    return ST_OK;
}

static Status hebb_new(const HebbffLayout *L, int with_adam, Hebb **out, char *msg)
{
    *out = NULL;
    Hebb *p = calloc(1, sizeof *p);
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory creating the HebbFF network");
    p->L = *L;
    const size_t nm = L->n * L->m;
    p->P = malloc(L->total * sizeof(double));
    p->state = calloc(nm, sizeof(double));
    p->eval = calloc(nm, sizeof(double));
    p->G = malloc(nm * sizeof(double));
    p->gx = malloc(L->m * sizeof(double));
    p->grad = malloc(L->total * sizeof(double));
    p->seg = nm <= SIZE_MAX / sizeof(double) / CKPT ? malloc(CKPT * nm * sizeof(double)) : NULL;
    int ok = p->P && p->state && p->eval && p->G && p->gx && p->grad && p->seg;
    if (ok && with_adam) {
        p->adam_m = calloc(L->total, sizeof(double));
        p->adam_v = calloc(L->total, sizeof(double));
        ok = p->adam_m && p->adam_v;
    }
    if (!ok) {
        hebb_free(p);
        return status_fail(msg, ST_ENOMEM, "out of memory creating the HebbFF network");
    }
    *out = p;
    return ST_OK;
}

static void load_params(Hebb *p, const float *params)
{
    for (size_t k = 0; k < p->L.total; k++)
        p->P[k] = (double)params[k];
}

/* Model inputs v in [0, 1] to x = 2v - 1. */
static void load_inputs(Hebb *p, const float *v, size_t steps)
{
    for (size_t k = 0; k < steps * p->L.n; k++)
        p->x[k] = 2.0 * (double)v[k] - 1.0;
}

/* ---- forward and backward through one window ---------------------------- */

/* Run the `steps` steps held in p->x (steps <= cap) with parameters p->P
 * from the plastic matrix A, which ends as A after the last step. Fills
 * p->h and p->logit; with keep != 0 also checkpoints A every CKPT steps for
 * backward. Returns the summed cross-entropy against y (0 when y is NULL). */
static double forward(Hebb *p, double *A, size_t steps, const int *y, int keep)
{
    const size_t n = p->L.n, m = p->L.m, nm = n * m;
    const double *P = p->P, *b1 = P + p->L.b1, *w2 = P + p->L.w2;
    const double lam = sigmoid(P[p->L.lambda_raw]), eta = P[p->L.eta], b2 = P[p->L.b2];
    /* p->h[t] first holds a(t) = W1ᵀx + b1 (+ Aᵀx once known), then σ(a). */
    linalg_dgemm(0, 0, steps, m, n, 1.0, p->x, n, P + p->L.w1, m, 0.0, p->h, m);
    for (size_t t = 0; t < steps; t++)
        for (size_t j = 0; j < m; j++)
            p->h[t * m + j] += b1[j];
    for (size_t i = 0; i < n; i++)
        hebbff_k_axpy(p->h, p->x[i], A + i * m, m);
    double loss = 0.0;
    for (size_t t = 0; t < steps; t++) {
        if (keep && t % CKPT == 0)
            memcpy(p->ckpt + (t / CKPT) * nm, A, nm * sizeof(double));
        const double *x = p->x + t * n;
        double *h = p->h + t * m;
        double z = b2;
        if (p->pre)
            memcpy(p->pre + t * m, h, m * sizeof(double));
        for (size_t j = 0; j < m; j++) {
            h[j] = sigmoid(h[j]);
            z += w2[2 * j + 1] * h[j];
        }
        p->logit[t] = z;
        if (y)
            loss += bce_logit(z, y[t]);
        /* The memory update comes after the read-out: A(t+1) = λA(t) + η x hᵀ;
         * the same pass adds A(t+1)ᵀx(t+1) to the next step's a. */
        if (t + 1 < steps) {
            const double *xn = x + n;
            for (size_t i = 0; i < n; i++)
                hebbff_k_decay_add_acc(A + i * m, lam, eta * x[i], h, xn[i], h + m, m);
        } else {
            for (size_t i = 0; i < n; i++)
                hebbff_k_decay_add_here(A + i * m, lam, eta * x[i], h, m);
        }
    }
    return loss;
}

/* Add scale · ∂(summed loss)/∂params of the window last run by forward
 * (with keep != 0) to grad. G = ∂L/∂A(t+1) runs from t = steps-1 down with
 * G = 0 after the window (the chain rule through A(t+1) = λA(t) + η x_t h_tᵀ):
 *   g_h = w2 ∂L/∂z_t + η G x_t,  g_a = g_h ⊙ h(1-h),  G ← λG + x_t g_aᵀ,
 *   ∂η += hᵀ G x_t,  ∂λ += ⟨G, A_t⟩,  ∂W1 += x_t g_aᵀ,  ∂b1 += g_a.
 * A_t is recomputed forward from the checkpoint of its segment. */
static void backward(Hebb *p, size_t steps, const int *y, double scale, double *grad)
{
    const size_t n = p->L.n, m = p->L.m, nm = n * m;
    const double *P = p->P, *w2 = P + p->L.w2;
    const double lam = sigmoid(P[p->L.lambda_raw]), eta = P[p->L.eta];
    double *G = p->G, *gx = p->gx;
    double d_lam = 0.0, d_eta = 0.0, d_b2 = 0.0;
    memset(G, 0, nm * sizeof(double));
    for (size_t s = (steps + CKPT - 1) / CKPT; s-- > 0;) {
        const size_t t0 = s * CKPT, t1 = t0 + CKPT < steps ? t0 + CKPT : steps;
        memcpy(p->seg, p->ckpt + s * nm, nm * sizeof(double));
        for (size_t t = t0 + 1; t < t1; t++) {
            const double *prev = p->seg + (t - 1 - t0) * nm;
            double *cur = p->seg + (t - t0) * nm;
            const double *x = p->x + (t - 1) * n, *h = p->h + (t - 1) * m;
            for (size_t i = 0; i < n; i++)
                hebbff_k_decay_add(cur + i * m, lam, prev + i * m, eta * x[i], h, m);
        }
        /* G x_t and ⟨G, A_t⟩ of the segment's last step; later steps get
         * them from the fused update pass. */
        double gA = 0.0;
        memset(gx, 0, m * sizeof(double));
        {
            const double *A = p->seg + (t1 - 1 - t0) * nm, *x = p->x + (t1 - 1) * n;
            for (size_t i = 0; i < n; i++)
                gA += hebbff_k_acc_dot(gx, x[i], G + i * m, A + i * m, m);
        }
        for (size_t t = t1; t-- > t0;) {
            const double *x = p->x + t * n, *h = p->h + t * m;
            double *ga = p->ga + t * m;
            d_lam += gA;
            const double dz = scale * (sigmoid(p->logit[t]) - (double)y[t]);
            d_b2 += dz;
            for (size_t j = 0; j < m; j++) {
                d_eta += h[j] * gx[j];
                grad[p->L.w2 + 2 * j + 1] += dz * h[j];
                double gh = w2[2 * j + 1] * dz + eta * gx[j];
                ga[j] = gh * h[j] * (1.0 - h[j]);
                grad[p->L.b1 + j] += ga[j];
            }
            if (t > t0) {
                const double *xp = p->x + (t - 1) * n, *A = p->seg + (t - 1 - t0) * nm;
                gA = 0.0;
                memset(gx, 0, m * sizeof(double));
                for (size_t i = 0; i < n; i++)
                    gA += hebbff_k_decay_add_acc_dot(G + i * m, lam, x[i], ga, xp[i], gx,
                                                     A + i * m, m);
            } else {
                for (size_t i = 0; i < n; i++)
                    hebbff_k_decay_add_here(G + i * m, lam, x[i], ga, m);
            }
        }
    }
    linalg_dgemm(1, 0, n, m, steps, 1.0, p->x, n, p->ga, m, 1.0, grad + p->L.w1, m);
    grad[p->L.b2] += d_b2;
    grad[p->L.lambda_raw] += d_lam * lam * (1.0 - lam);
    grad[p->L.eta] += d_eta;
}

/* ---- operations --------------------------------------------------------- */

static Status check_labels(const int *y, size_t n, char *msg)
{
    for (size_t i = 0; i < n; i++)
        if (y[i] != 0 && y[i] != 1)
            return status_fail(msg, ST_EINVAL,
                               "label %d of step %zu is not 0 (novel) or 1 (repeat)", y[i], i);
    return ST_OK;
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static void adam_step(Hebb *p, float *params, float lr)
{
    const HebbffLayout *L = &p->L;
    p->adam_t++;
    const double bc1 = 1.0 - pow(ADAM_B1, (double)p->adam_t);
    const double bc2 = 1.0 - pow(ADAM_B2, (double)p->adam_t);
    for (size_t k = 0; k < L->total; k++) {
        const double g = p->grad[k];
        p->adam_m[k] = ADAM_B1 * p->adam_m[k] + (1.0 - ADAM_B1) * g;
        p->adam_v[k] = ADAM_B2 * p->adam_v[k] + (1.0 - ADAM_B2) * g * g;
        const double step = (p->adam_m[k] / bc1) / (sqrt(p->adam_v[k] / bc2) + ADAM_EPS);
        params[k] = (float)((double)params[k] - (double)lr * step);
    }
    for (size_t j = 0; j < L->m; j++)
        params[L->w2 + 2 * j] = -params[L->w2 + 2 * j + 1];
}

Status hebbff_train(Model *m, const float *x, const int *y, size_t n, size_t batch,
                           float lr, double *loss_sum, char *msg)
{
    Hebb *p = m->impl;
    if (batch == 0)
        return status_fail(msg, ST_EINVAL, "the window (batch) length must be at least 1 step");
    Status st = check_labels(y, n, msg);
    if (st == ST_OK)
        st = window_reserve(p, batch < n ? batch : n, msg);
    if (st != ST_OK)
        return st;
    double loss = 0.0;
    for (size_t i = 0; i < n; i += batch) {
        const size_t steps = n - i < batch ? n - i : batch;
        load_inputs(p, x + i * p->L.n, steps);
        load_params(p, m->params);
        loss += forward(p, p->state, steps, y + i, 1);
        memset(p->grad, 0, p->L.total * sizeof(double));
        backward(p, steps, y + i, 1.0 / (double)steps, p->grad);
        if (!all_finite(p->grad, p->L.total))
            return status_fail(msg, ST_ENUMERIC,
                               "the HebbFF gradient is not finite (training diverged)");
        adam_step(p, m->params, lr);
    }
    if (loss_sum)
        *loss_sum += loss;
    return ST_OK;
}

Status hebbff_gradient(const Model *m, const float *x, const int *y, size_t n, float *grad,
                              double *loss_sum, char *msg)
{
    Hebb *p = m->impl;
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a gradient needs at least one step");
    Status st = check_labels(y, n, msg);
    if (st == ST_OK)
        st = window_reserve(p, n, msg);
    if (st != ST_OK)
        return st;
    load_inputs(p, x, n);
    load_params(p, m->params);
    memset(p->eval, 0, p->L.n * p->L.m * sizeof(double));
    double loss = forward(p, p->eval, n, y, 1);
    memset(p->grad, 0, p->L.total * sizeof(double));
    backward(p, n, y, 1.0 / (double)n, p->grad);
    for (size_t k = 0; k < p->L.total; k++)
        grad[k] = (float)p->grad[k];
    if (loss_sum)
        *loss_sum += loss;
    return ST_OK;
}

/* Run n inputs as one stream from A = 0 (in p->eval), in chunks of the
 * scratch; optional outputs as hebbff_run_stream, plus probs (n × 2).
 * h_out gets a(t) instead of h(t) = σ(a(t)) when pre is 1. */
static void run_stream(Hebb *p, const float *params, const float *x, size_t n, float *h_out,
                       float *p_out, float *probs, int pre)
{
    const size_t nin = p->L.n, m = p->L.m;
    load_params(p, params);
    memset(p->eval, 0, nin * m * sizeof(double));
    p->pre = pre ? p->ga : NULL;
    for (size_t i = 0; i < n; i += p->cap) {
        const size_t steps = n - i < p->cap ? n - i : p->cap;
        load_inputs(p, x + i * nin, steps);
        forward(p, p->eval, steps, NULL, 0);
        for (size_t t = 0; t < steps; t++) {
            const double z = p->logit[t];
            if (p_out)
                p_out[i + t] = (float)sigmoid(z);
            if (probs) {
                probs[2 * (i + t)] = (float)sigmoid(-z);
                probs[2 * (i + t) + 1] = (float)sigmoid(z);
            }
        }
        if (h_out)
            for (size_t k = 0; k < steps * m; k++)
                h_out[i * m + k] = (float)(pre ? p->pre[k] : p->h[k]);
    }
    p->pre = NULL;
}

void hebbff_predict(const Model *m, const float *x, size_t n, float *probs)
{
    run_stream(m->impl, m->params, x, n, NULL, NULL, probs, 0);
}

void hebbff_activations(const Model *m, const float *x, size_t n, float *const *acts)
{
    run_stream(m->impl, m->params, x, n, acts[0], NULL, acts[1], 0);
}

void hebbff_pre_activations(const Model *m, const float *x, size_t n, float *const *acts)
{
    run_stream(m->impl, m->params, x, n, acts[0], NULL, acts[1], 1);
}

void hebbff_reset_state(Model *m)
{
    Hebb *p = m->impl;
    memset(p->state, 0, p->L.n * p->L.m * sizeof(double));
}

/* Adam's state: the step count, then the first and the second moments. */
size_t hebbff_opt_size(const Model *m)
{
    const Hebb *p = m->impl;
    return p->adam_m ? 1 + 2 * p->L.total : 0;
}

void hebbff_opt_get(const Model *m, double *out)
{
    const Hebb *p = m->impl;
    if (!p->adam_m)
        return;
    out[0] = (double)p->adam_t;
    memcpy(out + 1, p->adam_m, p->L.total * sizeof(double));
    memcpy(out + 1 + p->L.total, p->adam_v, p->L.total * sizeof(double));
}

Status hebbff_opt_set(Model *m, const double *in, size_t n, char *msg)
{
    Hebb *p = m->impl;
    size_t want = hebbff_opt_size(m);
    if (n != want)
        return status_fail(msg, ST_EINVAL, "HebbFF's Adam state has %zu values, not %zu", want, n);
    if (!want)
        return ST_OK;
    if (!(in[0] >= 0 && in[0] < 9007199254740992.0))
        return status_fail(msg, ST_EINVAL, "HebbFF's Adam step count %g is not a whole number", in[0]);
    p->adam_t = (uint64_t)in[0];
    memcpy(p->adam_m, in + 1, p->L.total * sizeof(double));
    memcpy(p->adam_v, in + 1 + p->L.total, p->L.total * sizeof(double));
    return ST_OK;
}

void hebbff_free_impl(Model *m)
{
    hebb_free(m->impl);
    m->impl = NULL;
}

void hebbff_copy_state(const Model *m, float *out)
{
    if (m->kind != &hebbff_kind)
        return;
    const Hebb *p = m->impl;
    for (size_t k = 0; k < p->L.n * p->L.m; k++)
        out[k] = (float)p->state[k];
}

static void init_params(float *w, const HebbffLayout *L, uint64_t seed)
{
    const size_t n = L->n, m = L->m;
    Rng r;
    rng_seed(&r, seed, STREAM_W1);
    double bound = sqrt(6.0 / (double)(n + m));
    for (size_t k = 0; k < n * m; k++)
        w[L->w1 + k] = (float)(bound * (2.0 * rng_uniform(&r) - 1.0));
    rng_seed(&r, seed, STREAM_W2);
    bound = sqrt(6.0 / (double)(m + 1));
    for (size_t j = 0; j < m; j++) {
        w[L->w2 + 2 * j + 1] = (float)(bound * (2.0 * rng_uniform(&r) - 1.0));
        w[L->w2 + 2 * j] = -w[L->w2 + 2 * j + 1];
    }
    rng_seed(&r, seed, STREAM_B1);
    bound = sqrt(6.0 / (double)m);
    for (size_t j = 0; j < m; j++)
        w[L->b1 + j] = (float)(bound * (2.0 * rng_uniform(&r) - 1.0));
    w[L->b2] = 0.0f;
    w[L->lambda_raw] = (float)log(LAMBDA0 / (1.0 - LAMBDA0));
    w[L->eta] = (float)(-5.0 / (double)n);
}

Status hebbff_create(Model *m, char *msg)
{
    HebbffLayout L;
    if (hebbff_layout(&m->config, &L) != 0 || L.total != m->n_params)
        return status_fail(msg, ST_EINVAL, "the configuration is not a hebbff network");
    Hebb *p = NULL;
    Status st = hebb_new(&L, 1, &p, msg);
    if (st == ST_OK)
        st = window_reserve(p, INITIAL_CAP, msg);
    if (st != ST_OK) {
        hebb_free(p);
        return st;
    }
    m->impl = p;
    init_params(m->params, &L, m->config.seed);
    return ST_OK;
}

/* ---- model-less entry points ------------------------------------------- */

Status hebbff_run_stream(const ModelConfig *c, const float *params, const float *x, size_t n,
                         float *A_out, float *h_out, float *p_out, char *msg)
{
    HebbffLayout L;
    if (hebbff_layout(c, &L) != 0)
        return status_fail(msg, ST_EINVAL, "the configuration is not a valid hebbff network");
    Hebb *p = NULL;
    Status st = hebb_new(&L, 0, &p, msg);
    if (st == ST_OK)
        st = window_reserve(p, n == 0 ? 1 : n < INITIAL_CAP ? n : INITIAL_CAP, msg);
    if (st != ST_OK) {
        hebb_free(p);
        return st;
    }
    run_stream(p, params, x, n, h_out, p_out, NULL, 0);
    if (A_out)
        for (size_t k = 0; k < L.n * L.m; k++)
            A_out[k] = (float)p->eval[k];
    hebb_free(p);
    return ST_OK;
}

Status hebbff_loss_grad(const ModelConfig *c, const double *params, const double *x,
                        const int *y, size_t n, double *loss, double *grad, char *msg)
{
    HebbffLayout L;
    if (hebbff_layout(c, &L) != 0)
        return status_fail(msg, ST_EINVAL, "the configuration is not a valid hebbff network");
    if (n == 0)
        return status_fail(msg, ST_EINVAL, "a loss needs at least one step");
    Status st = check_labels(y, n, msg);
    if (st != ST_OK)
        return st;
    Hebb *p = NULL;
    st = hebb_new(&L, 0, &p, msg);
    if (st == ST_OK)
        st = window_reserve(p, n, msg);
    if (st != ST_OK) {
        hebb_free(p);
        return st;
    }
    memcpy(p->P, params, L.total * sizeof(double));
    memcpy(p->x, x, n * L.n * sizeof(double));
    *loss = forward(p, p->eval, n, y, grad != NULL) / (double)n;
    if (grad) {
        memset(grad, 0, L.total * sizeof(double));
        backward(p, n, y, 1.0 / (double)n, grad);
    }
    hebb_free(p);
    return ST_OK;
}
