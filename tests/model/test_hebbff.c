#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/rng.h"
#include "neurotop/data/familiarity.h"
#include "neurotop/model/hebbff.h"
#include "neurotop/model/model_io.h"

static char msg[STATUS_MSG_LEN];

static ModelConfig hconfig(size_t n, size_t m, uint64_t seed)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "hebbff");
    c.n_layers = 3;
    c.sizes[0] = n;
    c.sizes[1] = m;
    c.sizes[2] = 2;
    c.seed = seed;
    return c;
}

static Model *hnew(size_t n, size_t m, uint64_t seed)
{
    ModelConfig c = hconfig(n, m, seed);
    Model *model = NULL;
    cr_assert_eq(model_new(&c, &model, msg), ST_OK, "%s", msg);
    return model;
}

/* A familiarity stream as model inputs (0/1 floats) and labels. */
typedef struct {
    size_t T, N;
    float *x;
    int *y;
} Stream;

static Stream make_stream(size_t T, size_t N, size_t R, int chains, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed, 0);
    ImageSet s;
    cr_assert_eq(familiarity_stream(&s, T, N, R, 0.5, chains, &r, msg), ST_OK, "%s", msg);
    Stream st = {T, N, malloc(T * N * sizeof(float)), malloc(T * sizeof(int))};
    for (size_t t = 0; t < T; t++) {
        imageset_item_float(&s, t, st.x + t * N);
        st.y[t] = s.labels[t];
    }
    imageset_done(&s);
    return st;
}

static void stream_free(Stream *s)
{
    free(s->x);
    free(s->y);
}

Test(hebbff, layout_param_count_blocks_and_config_rules)
{
    ModelConfig c = hconfig(100, 120, 1);
    cr_assert_eq(model_config_validate(&c, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_param_count(&c), 12000 + 240 + 120 + 3);
    cr_assert_eq(model_extra_count(&c), 123);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&c, &L), 0);
    cr_assert_eq(L.w2, 12000);
    cr_assert_eq(L.b1, 12240);
    cr_assert_eq(L.b2, 12360);
    cr_assert_eq(L.lambda_raw, 12361);
    cr_assert_eq(L.eta, 12362);
    cr_assert_eq(L.total, 12363);
    WeightBlock b[MODEL_MAX_LAYERS];
    cr_assert_eq(model_blocks(&c, NULL, b, MODEL_MAX_LAYERS), 2);
    cr_assert_str_eq(b[0].name, "alpha");
    cr_assert_eq(b[0].rows, 100);
    cr_assert_eq(b[0].cols, 120);
    cr_assert_str_eq(b[1].name, "beta");
    /* w2 is stored M × 2 (column 0 mirrors column 1): the block is the
     * view of column 1, one read-out node. */
    cr_assert_eq(b[1].rows, 120);
    cr_assert_eq(b[1].cols, 1);
    cr_assert_eq(b[1].ld, 2);
    cr_assert_eq(b[1].offset, 12001);
    size_t gs[MODEL_MAX_LAYERS];
    cr_assert_eq(model_graph_sizes(&c, gs), 3);
    cr_assert(gs[0] == 100 && gs[1] == 120 && gs[2] == 1);

    ModelConfig mlp = c;
    strcpy(mlp.kind, "mlp");
    cr_assert_eq(model_extra_count(&mlp), 0);
    cr_assert_eq(hebbff_layout(&mlp, &L), -1);
    cr_assert(isnan(hebbff_lambda(&mlp, (const float *)&L)));

    Model *m = NULL;
    c.sizes[2] = 3;
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "{N, M, 2}") != NULL, "%s", msg);
    c = hconfig(100, 120, 1);
    c.n_layers = 4;
    c.sizes[3] = 2;
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    c = hconfig(100, 120, 1);
    c.init = MODEL_INIT_ZERO;
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "uniform") != NULL, "%s", msg);
    cr_assert_null(m);
    strcpy(c.kind, "rnn");
    cr_assert_eq(model_config_validate(&c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "hebbff") != NULL, "%s", msg);
}

Test(hebbff, initialisation_follows_the_recipe_and_the_seed)
{
    Model *m = hnew(100, 120, 5), *same = hnew(100, 120, 5), *other = hnew(100, 120, 6);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    cr_assert_eq(m->n_params, L.total);
    cr_assert_eq(m->ops->sequential, 1);
    cr_assert_not_null(m->ops->reset_state);
    cr_assert(memcmp(m->params, same->params, L.total * sizeof(float)) == 0);
    cr_assert(memcmp(m->params, other->params, L.total * sizeof(float)) != 0);
    cr_assert_float_eq(hebbff_lambda(&m->config, m->params), 0.9, 1e-6);
    cr_assert_float_eq(hebbff_eta(&m->config, m->params), -0.05, 1e-8);
    cr_assert_eq(m->params[L.b2], 0.0f);
    /* Xavier-uniform W1: |w| <= sqrt(6/220), variance bound²/3 = 1/110. */
    double bound = sqrt(6.0 / 220.0), sq = 0.0;
    for (size_t k = 0; k < 12000; k++) {
        cr_assert(fabsf(m->params[k]) <= bound);
        sq += (double)m->params[k] * m->params[k];
    }
    cr_assert(fabs(sq / 12000.0 - 1.0 / 110.0) < 0.0005, "var %g", sq / 12000.0);
    for (size_t j = 0; j < 120; j++) {
        cr_assert_eq(m->params[L.w2 + 2 * j], -m->params[L.w2 + 2 * j + 1]);
        cr_assert(fabsf(m->params[L.w2 + 2 * j + 1]) <= sqrt(6.0 / 121.0));
        cr_assert(fabsf(m->params[L.b1 + j]) <= sqrt(6.0 / 120.0));
    }
    model_free(m);
    model_free(same);
    model_free(other);
}

/* N 2, M 1 by hand: W1 = [0.5, -0.25], b1 = 0.1, w2 = 2, b2 = -1, λ = σ(0)
 * = 0.5, η = -1, x(0) = x(1) = [+1, -1]. Step 0: a = 0.85, h0 = σ(0.85),
 * z0 = 2h0 - 1; A = η x h0 = [-h0, h0]. Step 1: a = 0.85 - 2h0,
 * h1 = σ(a), z1 = 2h1 - 1; A = 0.5A + η x h1 = [-(0.5h0 + h1), 0.5h0 + h1]. */
Test(hebbff, two_steps_by_hand)
{
    Model *m = hnew(2, 1, 1);
    const float p[] = {0.5f, -0.25f, -2.0f, 2.0f, 0.1f, -1.0f, 0.0f, -1.0f};
    cr_assert_eq(m->n_params, 8);
    cr_assert_eq(model_set_params(m, p, 8, msg), ST_OK);
    const float x[] = {1, 0, 1, 0};
    float probs[4], h[2], acts0[2], acts1[4], A[2], pr[2];
    m->ops->predict(m, x, 2, probs);
    cr_assert_float_eq(probs[1], 0.5989601537277974, 1e-6);
    cr_assert_float_eq(probs[0], 1.0 - 0.5989601537277974, 1e-6);
    cr_assert_float_eq(probs[3], 0.43320234862828305, 1e-6);
    cr_assert_float_eq(probs[2], 1.0 - 0.43320234862828305, 1e-6);
    float *acts[2] = {acts0, acts1};
    m->ops->activations(m, x, 2, acts);
    cr_assert_float_eq(acts0[0], 0.7005671424739729, 1e-6);
    cr_assert_float_eq(acts0[1], 0.36560128627348315, 1e-6);
    cr_assert(memcmp(acts1, probs, sizeof probs) == 0);
    cr_assert_eq(hebbff_run_stream(&m->config, m->params, x, 2, A, h, pr, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(A[0], -0.7158848575104696, 1e-6);
    cr_assert_float_eq(A[1], 0.7158848575104696, 1e-6);
    cr_assert_float_eq(h[1], 0.36560128627348315, 1e-6);
    cr_assert_eq(pr[1], probs[3]);
    /* Labels: novel then repeat. model_evaluate: p(novel) at step 0 is 0.401
     * (wrong), p(repeat) at step 1 is 0.433 (wrong). */
    const int y[] = {0, 1};
    uint32_t conf[4];
    Evaluation ev = {.confusion = conf};
    cr_assert_eq(model_evaluate(m, x, y, 2, &ev), ST_OK);
    cr_assert_float_eq(ev.accuracy, 0.0, 1e-12);
    double want = -(log(1.0 - 0.5989601537277974) + log(0.43320234862828305)) / 2.0;
    cr_assert_float_eq(ev.loss, want, 1e-6);
    cr_assert_eq(conf[0 * 2 + 1], 1);
    cr_assert_eq(conf[1 * 2 + 0], 1);
    model_free(m);
}

/* Largest |analytic - central difference| over each parameter group. */
static void gradient_check(size_t T, size_t N, uint64_t seed)
{
    const size_t M = 5;
    ModelConfig c = hconfig(N, M, 1);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&c, &L), 0);
    const size_t P = L.total;
    Stream s = make_stream(T, N, 2, 0, seed);
    double *x = malloc(T * N * sizeof(double)), *p = malloc(P * sizeof(double));
    double *g = malloc(P * sizeof(double)), *q = malloc(P * sizeof(double));
    for (size_t k = 0; k < T * N; k++)
        x[k] = 2.0 * s.x[k] - 1.0;
    Rng r;
    rng_seed(&r, seed, 1);
    for (size_t k = 0; k < P; k++)
        p[k] = 2.0 * rng_uniform(&r) - 1.0;
    /* A strong plastic term so the path through A dominates some gradients. */
    p[L.lambda_raw] = 0.7;
    p[L.eta] = -0.6;
    double loss;
    cr_assert_eq(hebbff_loss_grad(&c, p, x, s.y, T, &loss, g, msg), ST_OK, "%s", msg);
    cr_assert(loss > 0.1 && isfinite(loss));
    const char *names[] = {"W1", "w2", "b1", "b2", "lambda_raw", "eta"};
    const size_t lo[] = {L.w1, L.w2, L.b1, L.b2, L.lambda_raw, L.eta};
    const size_t hi[] = {L.w2, L.b1, L.b2, L.lambda_raw, L.eta, L.total};
    const double h = 1e-5;
    for (int grp = 0; grp < 6; grp++) {
        double worst = 0.0, scale = 0.0;
        for (size_t k = lo[grp]; k < hi[grp]; k++) {
            double lp, lm;
            memcpy(q, p, P * sizeof(double));
            q[k] += h;
            cr_assert_eq(hebbff_loss_grad(&c, q, x, s.y, T, &lp, NULL, msg), ST_OK);
            q[k] -= 2 * h;
            cr_assert_eq(hebbff_loss_grad(&c, q, x, s.y, T, &lm, NULL, msg), ST_OK);
            double fd = (lp - lm) / (2 * h), err = fabs(fd - g[k]);
            if (grp == 1 && (k - L.w2) % 2 == 0)
                cr_assert_eq(g[k], 0.0, "the mirrored w2 column has a gradient");
            worst = err > worst ? err : worst;
            scale = fabs(g[k]) > scale ? fabs(g[k]) : scale;
        }
        cr_assert(scale > 1e-4, "%s: gradient %g is too small to check", names[grp], scale);
        cr_assert(worst < 1e-8 + 1e-6 * scale, "%zu steps, %s: max error %g (largest gradient %g)",
                  T, names[grp], worst, scale);
    }
    free(x);
    free(p);
    free(g);
    free(q);
    stream_free(&s);
}

Test(hebbff, gradient_matches_central_differences_on_10_steps)
{
    gradient_check(10, 6, 3);
}

Test(hebbff, gradient_matches_central_differences_across_checkpoints)
{
    /* 75 steps: three checkpoint segments (32, 32, 11); N 8 so the stream
     * has enough distinct vectors. */
    gradient_check(75, 8, 4);
}

Test(hebbff, float_gradient_op_equals_the_double_computation)
{
    Model *m = hnew(7, 5, 8);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    m->params[L.eta] = -0.5f;
    Stream s = make_stream(40, 7, 3, 1, 2);
    double *x = malloc(40 * 7 * sizeof(double)), *p = malloc(L.total * sizeof(double));
    double *g = malloc(L.total * sizeof(double));
    float *gf = malloc(L.total * sizeof(float));
    for (size_t k = 0; k < 40 * 7; k++)
        x[k] = 2.0 * s.x[k] - 1.0;
    for (size_t k = 0; k < L.total; k++)
        p[k] = m->params[k];
    double loss, loss_sum = 0.0;
    cr_assert_eq(hebbff_loss_grad(&m->config, p, x, s.y, 40, &loss, g, msg), ST_OK);
    cr_assert_eq(m->ops->gradient(m, s.x, s.y, 40, gf, &loss_sum, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(loss_sum, 40.0 * loss, 1e-9);
    for (size_t k = 0; k < L.total; k++)
        cr_assert_float_eq(gf[k], g[k], 1e-7 + 1e-6 * fabs(g[k]), "param %zu", k);
    free(x);
    free(p);
    free(g);
    free(gf);
    stream_free(&s);
    model_free(m);
}

/* One window from a reset state is one Adam step: the first step of Adam
 * moves each parameter by lr·g/(|g| + 1e-8), i.e. -lr·sign(g). */
Test(hebbff, one_window_is_one_adam_step_on_the_mean_gradient)
{
    Model *m = hnew(8, 6, 2);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    Stream s = make_stream(50, 8, 3, 0, 6);
    float *before = malloc(L.total * sizeof(float)), *g = malloc(L.total * sizeof(float));
    float *A = malloc(8 * 6 * sizeof(float)), *A_run = malloc(8 * 6 * sizeof(float));
    memcpy(before, m->params, L.total * sizeof(float));
    double loss_grad = 0.0, loss_train = 0.0;
    cr_assert_eq(m->ops->gradient(m, s.x, s.y, 50, g, &loss_grad, msg), ST_OK);
    cr_assert_eq(hebbff_run_stream(&m->config, before, s.x, 50, A_run, NULL, NULL, msg), ST_OK);
    cr_assert_eq(m->ops->train(m, s.x, s.y, 50, 50, 0.01f, &loss_train, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(loss_train, loss_grad, 1e-9);
    size_t moved = 0;
    for (size_t k = 0; k < L.total; k++) {
        if (k >= L.w2 && k < L.b1 && (k - L.w2) % 2 == 0)
            continue; /* the mirror column */
        if (fabsf(g[k]) < 1e-5f)
            continue;
        float want = before[k] - (g[k] > 0 ? 0.01f : -0.01f);
        cr_assert_float_eq(m->params[k], want, 1e-5, "param %zu", k);
        moved++;
    }
    cr_assert(moved > L.total / 2);
    for (size_t j = 0; j < 6; j++)
        cr_assert_eq(m->params[L.w2 + 2 * j], -m->params[L.w2 + 2 * j + 1]);
    /* The carried state is A after the window, computed with the old
     * parameters; reset_state clears it. */
    hebbff_copy_state(m, A);
    for (size_t k = 0; k < 48; k++)
        cr_assert_float_eq(A[k], A_run[k], 1e-6);
    cr_assert(fabsf(A[0]) > 1e-3f);
    m->ops->reset_state(m);
    hebbff_copy_state(m, A);
    for (size_t k = 0; k < 48; k++)
        cr_assert_eq(A[k], 0.0f);
    free(before);
    free(g);
    free(A);
    free(A_run);
    stream_free(&s);
    model_free(m);
}

Test(hebbff, state_carries_across_train_calls_and_training_is_deterministic)
{
    Model *a = hnew(10, 8, 4), *b = hnew(10, 8, 4);
    Stream s = make_stream(120, 10, 4, 0, 9);
    double la = 0.0, lb = 0.0;
    /* One call of 120 steps in windows of 30 equals four calls of 30. */
    cr_assert_eq(a->ops->train(a, s.x, s.y, 120, 30, 3e-3f, &la, msg), ST_OK);
    for (size_t i = 0; i < 120; i += 30)
        cr_assert_eq(b->ops->train(b, s.x + i * 10, s.y + i, 30, 30, 3e-3f, &lb, msg), ST_OK);
    cr_assert(memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0);
    cr_assert_eq(la, lb);
    /* A different window length is a different training run. */
    Model *c = hnew(10, 8, 4);
    double lc = 0.0;
    cr_assert_eq(c->ops->train(c, s.x, s.y, 120, 40, 3e-3f, &lc, msg), ST_OK);
    cr_assert(memcmp(a->params, c->params, a->n_params * sizeof(float)) != 0);
    /* Prediction starts from A = 0 every call and leaves the state alone. */
    float *p1 = malloc(240 * sizeof(float)), *p2 = malloc(240 * sizeof(float));
    float st1[80], st2[80];
    hebbff_copy_state(a, st1);
    a->ops->predict(a, s.x, 120, p1);
    a->ops->predict(a, s.x, 120, p2);
    hebbff_copy_state(a, st2);
    cr_assert(memcmp(p1, p2, 240 * sizeof(float)) == 0);
    cr_assert(memcmp(st1, st2, sizeof st1) == 0);
    free(p1);
    free(p2);
    stream_free(&s);
    model_free(a);
    model_free(b);
    model_free(c);
}

Test(hebbff, evaluation_runs_one_stream_past_the_chunk_size)
{
    /* 700 steps > model_evaluate's 256-example chunks: the stream must not
     * restart, so the loss equals the one computed from a single run. */
    Model *m = hnew(16, 12, 3);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    m->params[L.eta] = -1.0f;
    Stream s = make_stream(700, 16, 5, 0, 12);
    float *pr = malloc(700 * sizeof(float));
    cr_assert_eq(hebbff_run_stream(&m->config, m->params, s.x, 700, NULL, NULL, pr, msg), ST_OK);
    double loss = 0.0;
    size_t correct = 0;
    for (size_t t = 0; t < 700; t++) {
        float q = s.y[t] ? pr[t] : 1.0f - pr[t];
        loss -= log((double)q);
        correct += (pr[t] > 0.5f) == (s.y[t] == 1);
    }
    Evaluation ev = {0};
    cr_assert_eq(model_evaluate(m, s.x, s.y, 700, &ev), ST_OK);
    cr_assert_float_eq(ev.loss, loss / 700.0, 1e-6);
    cr_assert_float_eq(ev.accuracy, (double)correct / 700.0, 1e-12);
    free(pr);
    stream_free(&s);
    model_free(m);
}

Test(hebbff, learns_a_small_familiarity_task)
{
    /* N 20, M 24, R 3, repeat chains (50% repeats): 60 epochs over a fixed
     * 500-step stream, windows of 50, Adam 1e-2. Chance is 50%; this run reaches 91.6%. */
    Model *m = hnew(20, 24, 1);
    Stream tr = make_stream(500, 20, 3, 1, 100), te = make_stream(500, 20, 3, 1, 101);
    Evaluation ev = {0};
    cr_assert_eq(model_evaluate(m, te.x, te.y, 500, &ev), ST_OK);
    double start = ev.accuracy;
    for (int e = 0; e < 60; e++) {
        m->ops->reset_state(m);
        double loss = 0.0;
        cr_assert_eq(m->ops->train(m, tr.x, tr.y, 500, 50, 1e-2f, &loss, msg), ST_OK);
    }
    cr_assert_eq(model_evaluate(m, te.x, te.y, 500, &ev), ST_OK);
    cr_assert(ev.accuracy > 0.85 && start < 0.6, "accuracy %f (from %f)", ev.accuracy, start);
    cr_assert(hebbff_eta(&m->config, m->params) < 0.0);
    stream_free(&tr);
    stream_free(&te);
    model_free(m);
}

Test(hebbff, eta_turns_anti_hebbian_from_a_hebbian_start)
{
    /* N 30, M 36, R 3, no chains, η0 = +0.05 (Hebbian): 10 epochs over a
     * 600-step stream in windows of 50 at Adam 3e-3 drive η below zero. */
    Model *m = hnew(30, 36, 2);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    m->params[L.eta] = 0.05f;
    Stream tr = make_stream(600, 30, 3, 0, 100);
    for (int e = 0; e < 10; e++) {
        m->ops->reset_state(m);
        cr_assert_eq(m->ops->train(m, tr.x, tr.y, 600, 50, 3e-3f, NULL, msg), ST_OK);
    }
    cr_assert(hebbff_eta(&m->config, m->params) < -0.1, "eta %f",
              hebbff_eta(&m->config, m->params));
    stream_free(&tr);
    model_free(m);
}

Test(hebbff, save_and_load_keep_the_extra_parameters)
{
    Model *m = hnew(12, 7, 3);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    m->params[L.eta] = -0.37f;
    m->params[L.b2] = 0.25f;
    char path[64];
    strcpy(path, "/tmp/neurotop-hebbff-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(model_save(&m->config, m->params, NULL, path, msg), ST_OK, "%s", msg);
    ModelConfig back;
    float *params = NULL;
    cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(back.kind, "hebbff");
    cr_assert(memcmp(params, m->params, m->n_params * sizeof(float)) == 0);
    cr_assert_float_eq(hebbff_eta(&back, params), -0.37, 1e-7);
    free(params);
    unlink(path);
    model_free(m);
}

Test(hebbff, bad_labels_and_window_are_rejected)
{
    Model *m = hnew(4, 3, 1);
    const float x[8] = {0};
    const int bad[2] = {0, 2}, good[2] = {0, 1};
    float g[64];
    double loss = 0.0;
    cr_assert_eq(m->ops->train(m, x, bad, 2, 2, 1e-3f, &loss, msg), ST_EINVAL);
    cr_assert(strstr(msg, "label 2") != NULL, "%s", msg);
    cr_assert_eq(m->ops->train(m, x, good, 2, 0, 1e-3f, &loss, msg), ST_EINVAL);
    cr_assert_eq(m->ops->gradient(m, x, good, 0, g, NULL, msg), ST_EINVAL);
    cr_assert_eq(m->ops->gradient(m, x, bad, 2, g, NULL, msg), ST_EINVAL);
    double p[64] = {0}, xd[8] = {0}, l;
    ModelConfig c = hconfig(4, 3, 1);
    cr_assert_eq(hebbff_loss_grad(&c, p, xd, good, 0, &l, NULL, msg), ST_EINVAL);
    c.sizes[2] = 1;
    cr_assert_eq(hebbff_loss_grad(&c, p, xd, good, 2, &l, NULL, msg), ST_EINVAL);
    cr_assert_eq(hebbff_run_stream(&c, g, x, 2, NULL, NULL, NULL, msg), ST_EINVAL);
    model_free(m);
}

/* --activity: pre gives the hidden input a(t) before the sigmoid, post
 * σ(a(t)); the output is [1 − p, p] in both. N = M = 2, λ = σ(0) = 1/2,
 * η = −1/2, the stream x(0) = x(1) = (1, −1) (a repeat):
 *   a(0) = W1ᵀx + b1 = (0.5 − 0.25 + 0.1, −1 − 2 − 0.2) = (0.35, −3.2)
 *   A(1) = η x h(0)ᵀ, so a(1) = a(0) + η (x·x) h(0) = a(0) − h(0). */
Test(hebbff, activity_pre_is_the_input_of_the_sigmoid_and_post_its_output)
{
    Model *m = hnew(2, 2, 1);
    HebbffLayout L;
    cr_assert_eq(hebbff_layout(&m->config, &L), 0);
    float *p = calloc(L.total, sizeof *p);
    const float w1[4] = {0.5f, -1.0f, 0.25f, 2.0f}; /* W1[i*M + j] */
    memcpy(p + L.w1, w1, sizeof w1);
    p[L.w2 + 1] = 1.0f;
    p[L.w2 + 0] = -1.0f;
    p[L.w2 + 3] = -1.0f;
    p[L.w2 + 2] = 1.0f;
    p[L.b1] = 0.1f;
    p[L.b1 + 1] = -0.2f;
    p[L.lambda_raw] = 0.0f;
    p[L.eta] = -0.5f;
    cr_assert_eq(model_set_params(m, p, L.total, msg), ST_OK, "%s", msg);
    const float x[4] = {1, 0, 1, 0}; /* v = (1, 0) twice: x = 2v − 1 = (1, −1) */
    float pre_h[4], pre_o[4], post_h[4], post_o[4];
    float *pre[2] = {pre_h, pre_o}, *post[2] = {post_h, post_o};
    cr_assert_eq(model_activations(m, x, 2, MODEL_ACTIVITY_PRE, pre, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_activations(m, x, 2, MODEL_ACTIVITY_POST, post, msg), ST_OK, "%s", msg);
    const double a0[2] = {0.35, -3.2};
    for (int j = 0; j < 2; j++) {
        double h0 = 1.0 / (1.0 + exp(-a0[j])), a1 = a0[j] - h0;
        cr_assert_float_eq(pre_h[j], a0[j], 1e-6, "a(0) of unit %d", j);
        cr_assert_float_eq(pre_h[2 + j], a1, 1e-6, "a(1) of unit %d", j);
        cr_assert_float_eq(post_h[j], h0, 1e-6, "h(0) of unit %d", j);
        cr_assert_float_eq(post_h[2 + j], 1.0 / (1.0 + exp(-a1)), 1e-6, "h(1) of unit %d", j);
    }
    for (int t = 0; t < 2; t++) {
        /* z = h_0 − h_1, p = σ(z) */
        double z = post_h[2 * t] - post_h[2 * t + 1], pr = 1.0 / (1.0 + exp(-z));
        cr_assert_float_eq(post_o[2 * t + 1], pr, 1e-6);
        cr_assert_float_eq(pre_o[2 * t + 1], pr, 1e-6);
        cr_assert_float_eq(pre_o[2 * t], 1.0 - pr, 1e-6);
    }
    /* The MLP records σ(a) only. */
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 3;
    c.sizes[0] = 2;
    c.sizes[1] = 2;
    c.sizes[2] = 2;
    Model *mlp = NULL;
    cr_assert_eq(model_new(&c, &mlp, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_activations(mlp, x, 2, MODEL_ACTIVITY_PRE, post, msg), ST_EINVAL);
    cr_assert(strstr(msg, "--activity post") != NULL, "%s", msg);
    model_free(mlp);
    free(p);
    model_free(m);
}
