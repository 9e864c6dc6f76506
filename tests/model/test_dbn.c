/* The deep belief network (model/dbn.c, dbn_kind.c): CD-k statistics
 * against hand computations, free energy, learning on a tiny set, the
 * greedy schedule, save/load, determinism and the dream sampler. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/rng.h"
#include "neurotop/model/dbn.h"
#include "neurotop/model/model_io.h"

static char msg[STATUS_MSG_LEN];

static ModelConfig dconfig(size_t n_layers, const size_t *sizes, uint64_t seed, double cd, double epl)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "dbn");
    c.n_layers = n_layers;
    for (size_t l = 0; l < n_layers; l++)
        c.sizes[l] = sizes[l];
    c.seed = seed;
    c.n_kparams = 2;
    c.kparams[0] = cd;
    c.kparams[1] = epl;
    return c;
}

static double sig(double a)
{
    return 1.0 / (1.0 + exp(-a));
}

/* W = 0 and biases 0: every p is 1/2, u = 1/4 switches every hidden unit
 * on, the reconstruction is 1/2 everywhere. By hand, for v0 = (1, 0, 1):
 * gw_ij = v0_i·½ − ½·½, gbv = v0 − ½, gbh = ½ − ½ = 0, error Σ(v0 − ½)². */
Test(dbn, cd1_statistics_of_a_blank_rbm_by_hand)
{
    const float w[6] = {0}, bv[3] = {0}, bh[2] = {0}, v0[3] = {1, 0, 1}, u[2] = {0.25f, 0.25f};
    float gw[6], gbv[3], gbh[2], scratch[64];
    double recon = -1;
    cr_assert_leq(dbn_rbm_scratch(1, 3, 2), 64);
    dbn_rbm_cd(3, 2, w, bv, bh, v0, 1, 1, u, gw, gbv, gbh, &recon, scratch);
    const float want_w[6] = {0.25f, 0.25f, -0.25f, -0.25f, 0.25f, 0.25f};
    for (int i = 0; i < 6; i++)
        cr_expect_float_eq(gw[i], want_w[i], 1e-7, "gw[%d] = %g", i, gw[i]);
    cr_expect_float_eq(gbv[0], 0.5f, 1e-7);
    cr_expect_float_eq(gbv[1], -0.5f, 1e-7);
    cr_expect_float_eq(gbv[2], 0.5f, 1e-7);
    cr_expect_float_eq(gbh[0], 0.0f, 1e-7);
    cr_expect_float_eq(gbh[1], 0.0f, 1e-7);
    cr_expect_float_eq(recon, 0.75, 1e-7);
}

/* A 3×2 RBM with weights and biases, two examples and fixed samples: the
 * uniforms put hidden unit 0 on and unit 1 off for example 0, and the
 * reverse for example 1 (p is never below 0.1 nor above 0.9 here). The
 * statistics are written out step by step in double precision. */
Test(dbn, cd1_gradient_equals_the_hand_computed_one_on_a_3x2_rbm)
{
    const float w[6] = {0.5f, -0.3f, 0.2f, 0.8f, -0.6f, 0.1f};
    const float bv[3] = {0.1f, -0.2f, 0.05f}, bh[2] = {-0.1f, 0.3f};
    const float v0[6] = {1, 0, 1, 0.2f, 0.9f, 0.4f};
    const float u[4] = {0.0f, 0.999f, 0.999f, 0.0f};
    const float hs[2][2] = {{1, 0}, {0, 1}};
    float gw[6], gbv[3], gbh[2], scratch[64];
    double recon = 0;
    dbn_rbm_cd(3, 2, w, bv, bh, v0, 2, 1, u, gw, gbv, gbh, &recon, scratch);

    double ew[6] = {0}, ebv[3] = {0}, ebh[2] = {0}, erec = 0;
    for (int r = 0; r < 2; r++) {
        const float *x = v0 + 3 * r;
        double p0[2], v1[3], p1[2];
        for (int j = 0; j < 2; j++)
            p0[j] = sig(bh[j] + x[0] * w[0 + j] + x[1] * w[2 + j] + x[2] * w[4 + j]);
        cr_assert(p0[0] > 0.1 && p0[0] < 0.9 && p0[1] > 0.1 && p0[1] < 0.9);
        for (int i = 0; i < 3; i++)
            v1[i] = sig(bv[i] + hs[r][0] * w[2 * i] + hs[r][1] * w[2 * i + 1]);
        for (int j = 0; j < 2; j++)
            p1[j] = sig(bh[j] + v1[0] * w[0 + j] + v1[1] * w[2 + j] + v1[2] * w[4 + j]);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                ew[2 * i + j] += (x[i] * p0[j] - v1[i] * p1[j]) / 2;
        for (int i = 0; i < 3; i++) {
            ebv[i] += (x[i] - v1[i]) / 2;
            erec += (x[i] - v1[i]) * (x[i] - v1[i]);
        }
        for (int j = 0; j < 2; j++)
            ebh[j] += (p0[j] - p1[j]) / 2;
    }
    for (int i = 0; i < 6; i++)
        cr_expect(fabs(gw[i] - ew[i]) < 1e-6, "gw[%d] %g, by hand %g", i, gw[i], ew[i]);
    for (int i = 0; i < 3; i++)
        cr_expect(fabs(gbv[i] - ebv[i]) < 1e-6, "gbv[%d] %g, by hand %g", i, gbv[i], ebv[i]);
    for (int j = 0; j < 2; j++)
        cr_expect(fabs(gbh[j] - ebh[j]) < 1e-6, "gbh[%d] %g, by hand %g", j, gbh[j], ebh[j]);
    cr_expect(fabs(recon - erec) < 1e-5, "recon %g, by hand %g", recon, erec);
}

/* F(x) = −bv·x − Σ_j log(1 + exp(bh_j + (xW)_j)); for x = (1, 1, 0):
 * bv·x = 0.5, bh + xW = (1, 2), F = −0.5 − log(1 + e) − log(1 + e²). */
Test(dbn, free_energy_against_a_hand_computation)
{
    const float w[6] = {1, 0, 0, 1, 1, -1}, bv[3] = {0.5f, 0, -0.5f}, bh[2] = {0, 1};
    const float x[6] = {1, 1, 0, 0, 0, 0};
    double f[2];
    cr_assert_eq(dbn_free_energy(3, 2, w, bv, bh, x, 2, f), ST_OK);
    cr_expect(fabs(f[0] - (-0.5 - log(1 + exp(1.0)) - log(1 + exp(2.0)))) < 1e-6, "F = %.9f", f[0]);
    /* x = 0: only the hidden biases: −log 2 − log(1 + e). */
    cr_expect(fabs(f[1] - (-log(2.0) - log(1 + exp(1.0)))) < 1e-6, "F = %.9f", f[1]);
}

/* Four 4×4 patterns (rows and columns), repeated: binary data an RBM of 6
 * hidden units learns quickly. */
static float *tiny_set(size_t n)
{
    float *x = calloc(n * 16, sizeof *x);
    cr_assert_not_null(x);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) {
            int p = (int)(i % 4);
            size_t px = p < 2 ? (size_t)(4 * (p * 2) + k) : (size_t)(4 * k + (p - 2) * 2);
            x[i * 16 + px] = 1.0f;
        }
    return x;
}

static double recon_of(const Model *m, const float *x, size_t n)
{
    Evaluation ev = {0};
    cr_assert_eq(model_evaluate(m, x, NULL, n, &ev), ST_OK);
    return ev.recon;
}

static void train_epochs(Model *m, const float *x, size_t n, size_t from, size_t epochs)
{
    for (size_t e = from; e < from + epochs; e++) {
        m->ops->set_epoch(m, e);
        double loss = 0;
        cr_assert_eq(m->ops->train(m, x, NULL, n, 10, 0.1f, &loss, msg), ST_OK, "%s", msg);
    }
}

Test(dbn, reconstruction_error_falls_on_a_tiny_set)
{
    const size_t sizes[3] = {16, 6, 4};
    ModelConfig c = dconfig(3, sizes, 1, 1, 50);
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m->kind->supervised, 0);
    float *x = tiny_set(40);
    double before = recon_of(m, x, 40);
    train_epochs(m, x, 40, 0, 5);
    double mid = recon_of(m, x, 40);
    train_epochs(m, x, 40, 5, 45);
    double after = recon_of(m, x, 40);
    cr_expect(before > 3.5, "untrained error %g (p = 1/2 everywhere gives 4)", before);
    cr_expect(mid < before, "%g -> %g", before, mid);
    cr_expect(after < 0.5 * before && after < mid, "%g -> %g -> %g", before, mid, after);
    free(x);
    model_free(m);
}

Test(dbn, the_greedy_schedule_moves_up_and_keeps_training_the_top)
{
    const size_t sizes[4] = {16, 6, 5, 4};
    ModelConfig c = dconfig(4, sizes, 1, 1, 3);
    cr_assert_eq(dbn_rbm_of_epoch(&c, 0), 0);
    cr_assert_eq(dbn_rbm_of_epoch(&c, 2), 0);
    cr_assert_eq(dbn_rbm_of_epoch(&c, 3), 1);
    cr_assert_eq(dbn_rbm_of_epoch(&c, 6), 2);
    cr_assert_eq(dbn_rbm_of_epoch(&c, 100), 2);
    char phase[64];
    cr_assert(model_phase(&c, 4, phase, sizeof phase));
    cr_assert_str_eq(phase, "RBM 2/3 6-5");
    /* Training RBM 2 leaves RBM 1 alone. */
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    float *x = tiny_set(20);
    train_epochs(m, x, 20, 0, 3);
    float *w1 = malloc(16 * 6 * sizeof *w1);
    memcpy(w1, m->params, 16 * 6 * sizeof *w1);
    float w2_before = m->params[16 * 6];
    train_epochs(m, x, 20, 3, 1);
    cr_expect_arr_eq(w1, m->params, 16 * 6 * sizeof *w1, "RBM 1 is frozen once RBM 2 trains");
    cr_expect_neq(m->params[16 * 6], w2_before, "RBM 2 trains in epoch 3");
    free(w1);
    free(x);
    model_free(m);
}

Test(dbn, bad_shapes_and_parameters_are_refused)
{
    const size_t sizes[3] = {16, 0, 4};
    ModelConfig c = dconfig(3, sizes, 1, 1, 3);
    Model *m = NULL;
    cr_expect_eq(model_new(&c, &m, msg), ST_EINVAL);
    const size_t ok[3] = {16, 6, 4};
    c = dconfig(3, ok, 1, 0, 3);
    cr_expect_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_expect(strstr(msg, "--cd") != NULL, "%s", msg);
    c = dconfig(3, ok, 1, 1, 0);
    cr_expect_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_expect_null(m);
}

Test(dbn, the_same_seed_trains_the_same_weights)
{
    const size_t sizes[3] = {16, 6, 4};
    ModelConfig c = dconfig(3, sizes, 9, 2, 2);
    Model *a = NULL, *b = NULL, *d = NULL;
    cr_assert_eq(model_new(&c, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_new(&c, &b, msg), ST_OK, "%s", msg);
    c.seed = 10;
    cr_assert_eq(model_new(&c, &d, msg), ST_OK, "%s", msg);
    float *x = tiny_set(30);
    train_epochs(a, x, 30, 0, 4);
    train_epochs(b, x, 30, 0, 4);
    train_epochs(d, x, 30, 0, 4);
    cr_expect_arr_eq(a->params, b->params, a->n_params * sizeof(float));
    cr_expect(memcmp(a->params, d->params, a->n_params * sizeof(float)) != 0);
    free(x);
    model_free(a);
    model_free(b);
    model_free(d);
}

/* Stopping after epoch 2 and going on from the parameters and optimiser
 * state (as --resume does) trains what an uninterrupted run trains. */
Test(dbn, going_on_from_saved_state_equals_an_uninterrupted_run)
{
    const size_t sizes[3] = {16, 6, 4};
    ModelConfig c = dconfig(3, sizes, 4, 1, 3);
    Model *a = NULL, *b = NULL;
    cr_assert_eq(model_new(&c, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_new(&c, &b, msg), ST_OK, "%s", msg);
    float *x = tiny_set(30);
    train_epochs(a, x, 30, 0, 6);
    train_epochs(b, x, 30, 0, 2);
    size_t n_opt = model_opt_size(b);
    cr_assert_gt(n_opt, 0);
    double *opt = malloc(n_opt * sizeof *opt);
    model_opt_get(b, opt);
    Model *r = NULL;
    cr_assert_eq(model_new(&c, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_set_params(r, b->params, b->n_params, msg), ST_OK);
    r->ops->set_epoch(r, 1);
    cr_assert_eq(model_opt_set(r, opt, n_opt, msg), ST_OK, "%s", msg);
    train_epochs(r, x, 30, 2, 4);
    cr_expect_arr_eq(a->params, r->params, a->n_params * sizeof(float));
    free(opt);
    free(x);
    model_free(a);
    model_free(b);
    model_free(r);
}

Test(dbn, save_and_load_round_trip)
{
    const size_t sizes[4] = {16, 6, 5, 3};
    ModelConfig c = dconfig(4, sizes, 2, 3, 7);
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    float *x = tiny_set(20);
    train_epochs(m, x, 20, 0, 2);
    char path[] = "/tmp/neurotop-dbn-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(model_save(&m->config, m->params, NULL, path, msg), ST_OK, "%s", msg);
    ModelConfig back;
    float *params = NULL;
    cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_OK, "%s", msg);
    unlink(path);
    cr_expect_str_eq(back.kind, "dbn");
    cr_expect_eq(back.n_layers, 4);
    cr_expect_eq(back.sizes[3], 3);
    cr_expect_eq(model_kparam(&back, 0), 3.0);
    cr_expect_eq(model_kparam(&back, 1), 7.0);
    cr_expect_eq(model_param_count(&back), m->n_params);
    cr_expect_arr_eq(params, m->params, m->n_params * sizeof(float));
    free(params);
    free(x);
    model_free(m);
}

Test(dbn, layout_types_weights_and_biases)
{
    const size_t sizes[3] = {16, 6, 4};
    ModelConfig c = dconfig(3, sizes, 1, 1, 3);
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(&c, b, MODEL_MAX_BLOCKS);
    cr_assert_eq(nb, 6);
    cr_expect_str_eq(b[0].name, "alpha");
    cr_expect_str_eq(b[1].name, "beta");
    cr_expect(b[0].edge && b[1].edge);
    cr_expect_str_eq(b[2].name, "bv1");
    cr_expect_str_eq(b[5].name, "bh2");
    cr_expect_eq(b[5].type, BLOCK_BIAS);
    cr_expect_eq(b[5].count, 4);
    cr_expect_eq(model_param_count(&c), 16 * 6 + 6 * 4 + 16 + 6 + 6 + 4);
    char name[16];
    model_layer_name(&c, 2, 0, name, sizeof name);
    cr_expect_str_eq(name, "HL2", "a DBN's top layer is hidden");
}

Test(dbn, dreams_are_deterministic_for_a_seed)
{
    const size_t sizes[3] = {16, 6, 4};
    ModelConfig c = dconfig(3, sizes, 3, 1, 2);
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    float *x = tiny_set(40);
    train_epochs(m, x, 40, 0, 20);
    float a[5 * 16], b[5 * 16], d[5 * 16];
    Rng r1, r2, r3;
    rng_seed(&r1, 42, 0);
    rng_seed(&r2, 42, 0);
    rng_seed(&r3, 43, 0);
    cr_assert_eq(dbn_dream(&m->config, m->params, 5, 50, &r1, a, msg), ST_OK, "%s", msg);
    cr_assert_eq(dbn_dream(&m->config, m->params, 5, 50, &r2, b, msg), ST_OK, "%s", msg);
    cr_assert_eq(dbn_dream(&m->config, m->params, 5, 50, &r3, d, msg), ST_OK, "%s", msg);
    cr_expect_arr_eq(a, b, sizeof a);
    cr_expect(memcmp(a, d, sizeof a) != 0);
    for (size_t i = 0; i < 5 * 16; i++)
        cr_expect(a[i] >= 0.0f && a[i] <= 1.0f);
    cr_expect_eq(dbn_dream(&m->config, m->params, 5, 0, &r1, a, msg), ST_EINVAL);
    free(x);
    model_free(m);
}

/* The read-out's gradient (mean cross-entropy) against central
 * differences of the summed loss divided by the batch. */
Test(dbn, readout_gradient_matches_finite_differences)
{
    enum { H = 3, K = 4, B = 5 };
    float wr[H * K], br[K], feat[B * H], gw[H * K], gb[K], scratch[B * K];
    const int y[B] = {0, 3, 1, 3, 2};
    Rng r;
    rng_seed(&r, 9, 0);
    for (size_t i = 0; i < H * K; i++)
        wr[i] = (float)rng_normal(&r);
    for (size_t j = 0; j < K; j++)
        br[j] = (float)(0.5 * rng_normal(&r));
    for (size_t i = 0; i < B * H; i++)
        feat[i] = (float)rng_uniform(&r);
    double loss = dbn_readout_grad(H, K, wr, br, feat, y, B, gw, gb, scratch);
    cr_assert(loss > 0 && isfinite(loss));
    float gw2[H * K], gb2[K];
    const float eps = 1e-2f;
    for (size_t i = 0; i < H * K + K; i++) {
        float *p = i < H * K ? &wr[i] : &br[i - H * K], keep = *p;
        *p = keep + eps;
        double up = dbn_readout_grad(H, K, wr, br, feat, y, B, gw2, gb2, scratch);
        *p = keep - eps;
        double down = dbn_readout_grad(H, K, wr, br, feat, y, B, gw2, gb2, scratch);
        *p = keep;
        double numeric = (up - down) / (2.0 * eps) / B, got = i < H * K ? gw[i] : gb[i - H * K];
        cr_assert(fabs(numeric - got) < 1e-3, "parameter %zu: analytic %g, numeric %g", i, got, numeric);
    }
}

/* --readout: no accuracy while the RBMs train, then a read-out that learns
 * the tiny set's four patterns while the RBMs stay as they were; the
 * read-out stays out of the weight graph. */
Test(dbn, the_readout_trains_after_the_rbms_and_leaves_them_fixed)
{
    const size_t sizes[3] = {16, 6, 4};
    ModelConfig c = dconfig(3, sizes, 1, 1, 25);
    c.n_kparams = 4;
    c.kparams[2] = 1; /* --readout */
    c.kparams[3] = 4; /* classes */
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_label_classes(&c), 4);
    WeightBlock wb[8];
    cr_assert_eq(model_blocks(&c, m->params, wb, 8), 2, "the read-out is not an edge block");
    float *x = tiny_set(40);
    int y[40];
    for (int i = 0; i < 40; i++)
        y[i] = i % 4;
    Evaluation ev = {0};
    for (size_t e = 0; e < 50; e++) {
        m->ops->set_epoch(m, e);
        cr_assert(!dbn_readout_trains(&c, e));
        cr_assert_eq(m->ops->train(m, x, y, 40, 10, 0.1f, NULL, msg), ST_OK, "%s", msg);
        cr_assert_eq(model_evaluate(m, x, y, 40, &ev), ST_OK);
        cr_assert(isnan(ev.accuracy) && isfinite(ev.recon), "epoch %zu", e);
    }
    size_t rbm_params = 16 * 6 + 6 * 4 + 16 + 6 + 6 + 4;
    float *before = malloc(rbm_params * sizeof *before);
    memcpy(before, m->params, rbm_params * sizeof *before);
    double first = NAN;
    for (size_t e = 50; e < 110; e++) {
        m->ops->set_epoch(m, e);
        cr_assert(dbn_readout_trains(&c, e));
        double loss = 0;
        cr_assert_eq(m->ops->train(m, x, y, 40, 10, 0.5f, &loss, msg), ST_OK, "%s", msg);
        if (e == 50)
            first = loss / 40;
    }
    cr_assert_eq(model_evaluate(m, x, y, 40, &ev), ST_OK);
    cr_expect_eq(ev.accuracy, 1.0, "accuracy %g", ev.accuracy);
    cr_expect(ev.loss < 0.5 * first, "cross-entropy %g after, %g in the first epoch", ev.loss, first);
    cr_assert_eq(memcmp(before, m->params, rbm_params * sizeof *before), 0, "the RBMs changed");
    char phase[64];
    m->kind->phase(&c, 60, phase, sizeof phase);
    cr_assert_str_eq(phase, "read-out 4→4");
    /* labels outside the classes are refused */
    y[3] = 7;
    m->ops->set_epoch(m, 110);
    cr_assert_eq(m->ops->train(m, x, y, 40, 10, 0.5f, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "label 7"), "%s", msg);
    free(before);
    free(x);
    model_free(m);
}
