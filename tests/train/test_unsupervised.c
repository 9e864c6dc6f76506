/* An unsupervised kind through the trainer. No such kind ships yet, so
 * this file defines a tiny one, "tae": a tied linear autoencoder with
 * layers {in, code}, one dense block W (in × code), code h = Wᵀx,
 * reconstruction x̂ = W h, loss ½|x̂ - x|² (its mean is the reconstruction
 * error), trained by SGD without labels. It is made through
 * model_new_kind, never registered. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/run/snapshot_io.h"
#include "neurotop/train/trainer.h"

/* Half the squared error of one example, and (when grad is not NULL) its
 * gradient e hᵀ + x (Wᵀe)ᵀ added to grad (in × code). */
static double tae_example(const float *W, size_t in, size_t code, const float *x, float *grad)
{
    double h[16], e[64], we[16], loss = 0.0;
    for (size_t j = 0; j < code; j++) {
        h[j] = 0.0;
        for (size_t i = 0; i < in; i++)
            h[j] += (double)W[i * code + j] * x[i];
    }
    for (size_t i = 0; i < in; i++) {
        double r = 0.0;
        for (size_t j = 0; j < code; j++)
            r += (double)W[i * code + j] * h[j];
        e[i] = r - x[i];
        loss += 0.5 * e[i] * e[i];
    }
    if (!grad)
        return loss;
    for (size_t j = 0; j < code; j++) {
        we[j] = 0.0;
        for (size_t i = 0; i < in; i++)
            we[j] += (double)W[i * code + j] * e[i];
    }
    for (size_t i = 0; i < in; i++)
        for (size_t j = 0; j < code; j++)
            grad[i * code + j] += (float)(e[i] * h[j] + x[i] * we[j]);
    return loss;
}

static size_t tae_layout(const ModelConfig *c, ParamBlock *out, size_t max)
{
    if (max < 1)
        return 1;
    memset(out, 0, sizeof *out);
    out->type = BLOCK_DENSE;
    strcpy(out->name, "alpha");
    out->from = 0;
    out->to = 1;
    out->n_dims = 2;
    out->dims[0] = c->sizes[0];
    out->dims[1] = c->sizes[1];
    out->count = c->sizes[0] * c->sizes[1];
    out->edge = 1;
    return 1;
}

static Status tae_check(const ModelConfig *c, char *msg)
{
    if (c->n_layers != 2 || c->sizes[0] > 64 || c->sizes[1] > 16)
        return status_fail(msg, ST_EINVAL, "a tae has two layers of at most 64 and 16 units");
    return ST_OK;
}

static Status tae_create(Model *m, char *msg)
{
    (void)msg;
    Rng r;
    rng_seed(&r, m->config.seed, 7);
    for (size_t k = 0; k < m->n_params; k++)
        m->params[k] = (float)(0.2 * (2.0 * rng_uniform(&r) - 1.0));
    return ST_OK;
}

static Status tae_train(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                        double *loss_sum, char *msg)
{
    cr_assert_null(y, "an unsupervised kind is trained without labels");
    if (batch == 0)
        return status_fail(msg, ST_EINVAL, "the batch size must be at least 1");
    const size_t in = m->config.sizes[0], code = m->config.sizes[1];
    float grad[64 * 16];
    for (size_t i = 0; i < n; i += batch) {
        size_t rows = n - i < batch ? n - i : batch;
        memset(grad, 0, m->n_params * sizeof(float));
        for (size_t r = 0; r < rows; r++)
            *loss_sum += tae_example(m->params, in, code, x + (i + r) * in, grad);
        for (size_t k = 0; k < m->n_params; k++)
            m->params[k] -= lr * grad[k] / (float)rows;
    }
    return ST_OK;
}

static void tae_activations(const Model *m, const float *x, size_t n, float *const *acts)
{
    const size_t in = m->config.sizes[0], code = m->config.sizes[1];
    for (size_t e = 0; e < n; e++)
        for (size_t j = 0; j < code; j++) {
            double h = 0.0;
            for (size_t i = 0; i < in; i++)
                h += (double)m->params[i * code + j] * x[e * in + i];
            acts[0][e * code + j] = (float)h;
        }
}

static Status tae_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev)
{
    cr_assert_null(y, "an unsupervised kind is evaluated without labels");
    const size_t in = m->config.sizes[0], code = m->config.sizes[1];
    double sum = 0.0;
    for (size_t e = 0; e < n; e++)
        sum += tae_example(m->params, in, code, x + e * in, NULL);
    ev->recon = sum / (double)n;
    return ST_OK;
}

static const ModelKind TAE = {
    .name = "tae",
    .description = "a tied linear autoencoder (tests only)",
    .n_hidden = 0,
    .min_hidden = 0,
    .max_hidden = 0,
    .lr = 0.1,
    .batch = 1,
    .probe = 4,
    .probe_kparam = -1,
    .epoch_kparam = -1,
    .inits = MODEL_INIT_ALL,
    .supervised = 0,
    .check = tae_check,
    .layout = tae_layout,
    .ops = {.create = tae_create, .train = tae_train, .activations = tae_activations,
            .evaluate = tae_evaluate},
};

/* 2×2 images of two patterns: the top row lit, or the bottom row. */
static void toy_set(ImageSet *s, size_t n)
{
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(imageset_alloc(s, n, 2, 2, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = s->pixels + i * 4;
        int c = (int)(i % 2);
        p[0] = p[1] = c ? 0 : 255;
        p[2] = p[3] = c ? 255 : 0;
        s->labels[i] = (uint8_t)c;
    }
    s->n_classes = 2;
}

Test(unsupervised, the_kind_table_alone_makes_a_model)
{
    ModelConfig c = {.kind = "tae", .n_layers = 2, .sizes = {4, 2}, .seed = 3};
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    /* Not registered: model_new does not know it, model_new_kind does. */
    cr_assert_eq(model_new(&c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "unknown model kind \"tae\"") != NULL, "%s", msg);
    /* An unsupervised table must say how it is evaluated. */
    ModelKind blind = TAE;
    blind.ops.evaluate = NULL;
    cr_assert_eq(model_new_kind(&blind, &c, &m, msg), ST_EINVAL);
    cr_assert(strstr(msg, "lacks a required operation") != NULL, "%s", msg);
    cr_assert_eq(model_new_kind(&TAE, &c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m->config.table, &TAE);
    cr_assert_eq(model_param_count(&m->config), 8);
    /* Evaluation through the kind: W = 0 reconstructs nothing, so the
     * error of the pattern (1, 1, 0, 0) is ½·2 = 1. */
    memset(m->params, 0, 8 * sizeof(float));
    const float x[4] = {1, 1, 0, 0};
    Evaluation ev = {.confusion = NULL};
    cr_assert_eq(model_evaluate(m, x, NULL, 1, &ev), ST_OK);
    cr_assert_float_eq(ev.recon, 1.0, 1e-12);
    cr_assert(isnan(ev.accuracy) && isnan(ev.loss), "no accuracy without labels");
    model_free(m);
}

Test(unsupervised, trains_without_labels_and_reports_reconstruction_error)
{
    Dataset d;
    memset(&d, 0, sizeof d);
    toy_set(&d.train, 40);
    toy_set(&d.test, 10);
    ModelConfig cfg = {.kind = "tae", .n_layers = 2, .sizes = {4, 2}, .seed = 1};
    char msg[STATUS_MSG_LEN], root[64];
    strcpy(root, "/tmp/neurotop-unsup-XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    Model *m = NULL;
    cr_assert_eq(model_new_kind(&TAE, &cfg, &m, msg), ST_OK, "%s", msg);
    Store *store = store_new(8, msg);
    Control control;
    control_init(&control, 0, 0.2);
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(root, "tae", "{\"model\":\"tae\"}", NULL, &rd, msg), ST_OK, "%s", msg);
    TrainerConfig tc = {.epochs = 6, .batch = 1, .lr = 0.2f, .seed = 1, .n_probe = 4,
                        .save_every = 6};
    Trainer *t = NULL;
    cr_assert_eq(trainer_new(m, &d, &tc, &control, store, rd, &t, msg), ST_OK, "%s", msg);
    cr_assert_eq(metrics_epoch_register(t, msg), ST_OK, "%s", msg);
    cr_assert_eq(trainer_run(t, msg), ST_OK, "%s", msg);

    SeriesTable series;
    cr_assert_eq(store_copy_series(store, &series), ST_OK);
    cr_assert_eq(series.n, 7);
    const double *recon = series_get(&series, "test_recon");
    const double *acc = series_get(&series, "test_acc");
    cr_assert_not_null(recon);
    /* Both patterns fit a code of two units: the error all but vanishes. */
    cr_assert(recon[0] > 0.2, "epoch 0 error %g", recon[0]);
    cr_assert(recon[6] < 0.01 * recon[0], "error %g -> %g", recon[0], recon[6]);
    for (size_t e = 0; e < 7; e++)
        cr_assert(isnan(acc[e]), "no accuracy at epoch %zu", e);
    cr_assert_null(series_get(&series, "tpr"), "no classification rates");
    Snapshot *last = store_latest(store);
    cr_assert_float_eq(last->eval.recon, recon[6], 0);
    cr_assert_eq(last->n_probe, 4);
    snapshot_release(last);
    series_done(&series);

    /* The metrics line: test_acc null, the reconstruction error, and the
     * weight moments of the kind's edge block. */
    char path[1200], *text = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/metrics.jsonl", rundir_path(rd));
    cr_assert_eq(file_read_all(path, 1 << 20, &text, &len, msg), ST_OK, "%s", msg);
    const char *line = text;
    for (const char *p = text; *p; p++)
        if (*p == '\n' && p[1])
            line = p + 1;
    cr_assert(strstr(line, "\"epoch\":6") != NULL, "%s", line);
    cr_assert(strstr(line, "\"test_acc\":null") != NULL, "%s", line);
    cr_assert(strstr(line, "\"test_loss\":null") != NULL, "%s", line);
    cr_assert(strstr(line, "\"test_recon\":") != NULL, "%s", line);
    cr_assert(strstr(line, "\"w_alpha_mean\":") != NULL, "%s", line);
    free(text);

    /* Its snapshot file is written; a reader without the kind refuses it
     * with one sentence naming the file. */
    snprintf(path, sizeof path, "%s/snapshots/epoch-000006.nts", rundir_path(rd));
    Snapshot *s = NULL;
    cr_assert_eq(snapshot_load(path, &s, msg), ST_EFORMAT);
    cr_assert(strstr(msg, path) && strstr(msg, "unknown model kind \"tae\""), "%s", msg);
    cr_assert(strchr(msg, '\n') == NULL);

    trainer_free(t);
    rundir_free(rd);
    store_free(store);
    control_done(&control);
    imageset_done(&d.train);
    imageset_done(&d.test);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_assert_eq(system(cmd), 0);
}
