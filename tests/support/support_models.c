/* Trained fixtures (support.h): the recorded toy run and a snapshot of every
 * model kind. Models are built only through public calls (model_new, the
 * trainer, the metric hooks), so a change of the model interface is adapted
 * here, once. */
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/json.h"
#include "neurotop/core/linalg.h"
#include "neurotop/data/familiarity.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/measure/metrics_fcq.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/train/trainer.h"

/* ---- the toy recorded run ---- */

static void toy_run_json(StrBuf *out)
{
    JsonWriter w;
    json_init(&w, out);
    json_object_begin(&w);
    json_kv_string(&w, "neurotop_version", "test");
    json_kv_string(&w, "model", "mlp");
    json_key(&w, "sizes");
    const int sizes[3] = {4, 3, 2};
    json_int_array(&w, sizes, 3);
    json_kv_string(&w, "init", "uniform");
    json_kv_string(&w, "data", "toy");
    json_kv_int(&w, "n_train", 40);
    json_kv_int(&w, "n_test", 10);
    json_kv_int(&w, "seed", 7);
    json_kv_real(&w, "lr", 0.5);
    json_kv_int(&w, "batch", 1);
    json_kv_int(&w, "epochs", SUPPORT_RUN_EPOCHS);
    json_kv_int(&w, "probe", 6);
    json_object_end(&w);
}

void support_run_make(SupportRun *run, EpochMetricFn extra, void *ctx)
{
    memset(run, 0, sizeof *run);
    support_tmpdir_make("run", run->root, sizeof run->root);
    support_toy_dataset(&run->data, 40, 10);
    ModelConfig cfg = {.kind = "mlp", .n_layers = 3, .sizes = {4, 3, 2}, .seed = 7};
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    cr_assert_eq(model_new(&cfg, &m, msg), ST_OK, "%s", msg);
    StrBuf json;
    strbuf_init(&json);
    toy_run_json(&json);
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(run->root, "mlp", strbuf_cstr(&json), NULL, &rd, msg), ST_OK, "%s", msg);
    strbuf_done(&json);
    snprintf(run->dir, sizeof run->dir, "%s", rundir_path(rd));
    run->store = store_new(SUPPORT_RUN_EPOCHS + 1, msg);
    cr_assert_not_null(run->store, "%s", msg);
    Control control;
    control_init(&control, 0, 0.5);
    TrainerConfig tc = {.epochs = SUPPORT_RUN_EPOCHS, .batch = 1, .lr = 0.5f, .seed = 7, .n_probe = 6,
                        .save_every = 1};
    Trainer *t = NULL;
    cr_assert_eq(trainer_new(m, &run->data, &tc, &control, run->store, rd, &t, msg), ST_OK, "%s", msg);
    if (extra)
        cr_assert_eq(trainer_add_metric(t, extra, ctx), ST_OK);
    cr_assert_eq(trainer_run(t, msg), ST_OK, "%s", msg);
    trainer_free(t);
    control_done(&control);
    rundir_free(rd);
}

void support_run_drop(SupportRun *run)
{
    if (run->root[0])
        support_tmpdir_remove(run->root);
    store_free(run->store);
    support_dataset_done(&run->data);
    memset(run, 0, sizeof *run);
}

void support_run_path(const SupportRun *run, const char *rel, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", run->dir, rel);
    cr_assert(n > 0 && (size_t)n < cap, "path of %s is too long", rel);
}

/* ---- a trained snapshot of every model kind ---- */

/* What one kind's fixture trains: the data, the model and the trainer's
 * settings, and whether the app adds the whole-probe functional Q
 * (metrics_fcq.h) for the kind. */
typedef struct {
    Dataset *data; /* owned (dataset_free) */
    ModelConfig model;
    TrainerConfig train;
    int fcq;
} KindFixture;

/* 8×8 images of three classes with a little noise: class 0 a horizontal
 * bar, class 1 a vertical bar, class 2 the main diagonal, each bar two
 * pixels thick and moved by one pixel from item to item. */
static void bars(ImageSet *s, size_t n, Rng *rng)
{
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(imageset_alloc(s, n, 8, 8, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < n; i++) {
        int c = (int)(i % 3), shift = (int)(i / 3 % 3) - 1;
        uint8_t *p = s->pixels + i * 64;
        for (int r = 0; r < 8; r++)
            for (int k = 0; k < 8; k++) {
                int on = c == 0   ? r - shift == 3 || r - shift == 4
                         : c == 1 ? k - shift == 3 || k - shift == 4
                                  : k - r == shift || k - r == shift + 1;
                p[r * 8 + k] = (uint8_t)((on ? 190 : 10) + (int)rng_below(rng, 50));
            }
        s->labels[i] = (uint8_t)c;
    }
    s->n_classes = 3;
}

static void mlp_fixture(KindFixture *f)
{
    f->data = calloc(1, sizeof *f->data);
    cr_assert_not_null(f->data);
    Rng rng;
    rng_seed(&rng, 11, 0);
    bars(&f->data->train, 150, &rng);
    bars(&f->data->test, 60, &rng);
    snprintf(f->data->name, sizeof f->data->name, "bars");
    f->model = (ModelConfig){.kind = "mlp", .n_layers = 4, .sizes = {64, 12, 8, 3}, .seed = 3, .in_rows = 8, .in_cols = 8};
    f->train = (TrainerConfig){.epochs = 8, .batch = 1, .lr = 0.3f, .seed = 3, .n_probe = 60};
}

/* The familiarity task of seed paper 001 at a small size: 16-bit stimuli
 * repeated after 3 steps with probability 0.5, as in tests/tui. */
static void hebbff_fixture(KindFixture *f)
{
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(familiarity_dataset(&f->data, 16, 3, 0.5, 0, 300, 100, 4, msg), ST_OK, "%s", msg);
    f->model = (ModelConfig){.kind = "hebbff", .n_layers = 3, .sizes = {16, 8, 2}, .seed = 4, .in_rows = 4, .in_cols = 4};
    f->train = (TrainerConfig){.epochs = 8, .batch = 50, .lr = 0.01f, .seed = 4, .n_probe = 100};
    f->fcq = 1;
}

/* The bars as probabilities for a 64-12-8 DBN, two epochs per RBM so both
 * RBMs train (CD-1, lr 0.1, batch 10). */
static void dbn_fixture(KindFixture *f)
{
    f->data = calloc(1, sizeof *f->data);
    cr_assert_not_null(f->data);
    Rng rng;
    rng_seed(&rng, 12, 0);
    bars(&f->data->train, 150, &rng);
    bars(&f->data->test, 60, &rng);
    snprintf(f->data->name, sizeof f->data->name, "bars");
    f->model = (ModelConfig){.kind = "dbn", .n_layers = 3, .sizes = {64, 12, 8}, .seed = 5, .in_rows = 8,
                             .in_cols = 8, .n_kparams = 2, .kparams = {1, 4}};
    f->train = (TrainerConfig){.epochs = 8, .batch = 10, .lr = 0.1f, .seed = 5, .n_probe = 60};
}

/* The bars for a tiny LeNet: 2 families of 2×2 kernels (7×7 maps, pooled
 * to 3×3), 3 families over them (2×2, pooled to 1×1), 6 dense units, Adam. */
static void lenet_fixture(KindFixture *f)
{
    f->data = calloc(1, sizeof *f->data);
    cr_assert_not_null(f->data);
    Rng rng;
    rng_seed(&rng, 13, 0);
    bars(&f->data->train, 150, &rng);
    bars(&f->data->test, 60, &rng);
    snprintf(f->data->name, sizeof f->data->name, "bars");
    f->model = (ModelConfig){.kind = "lenet", .n_layers = 2, .sizes = {64, 3}, .seed = 6, .in_rows = 8, .in_cols = 8,
                             .n_kparams = 4, .kparams = {2, 3, 6, 2}};
    model_config_shape(&f->model);
    f->train = (TrainerConfig){.epochs = 8, .batch = 10, .lr = 0.01f, .seed = 6, .n_probe = 60};
}

/* The one table of kinds: a new model kind adds a line here. */
static const struct {
    const char *kind;
    void (*make)(KindFixture *f);
} KINDS[] = {
    {"mlp", mlp_fixture},
    {"hebbff", hebbff_fixture},
    {"dbn", dbn_fixture},
    {"lenet", lenet_fixture},
};

const size_t support_kind_count = sizeof KINDS / sizeof KINDS[0];

const char *support_kind_name(size_t i)
{
    cr_assert(i < support_kind_count, "there are %zu model kinds with a fixture, not %zu", support_kind_count,
              i + 1);
    return KINDS[i].kind;
}

/* Wall-clock times differ from run to run: drop them from the fixture. */
static Status drop_clock(Snapshot *s, void *ctx, char *msg)
{
    (void)ctx;
    (void)msg;
    s->seconds = NAN;
    snapshot_set_metric(s, "seconds", NAN);
    snapshot_set_metric(s, "examples_per_sec", NAN);
    return ST_OK;
}

Snapshot *support_snapshot_of_kind(const char *kind, SeriesTable *series)
{
    size_t k = 0;
    while (k < support_kind_count && strcmp(KINDS[k].kind, kind) != 0)
        k++;
    cr_assert(k < support_kind_count, "no fixture for the model kind '%s' (tests/support/support_models.c)",
              kind);
    KindFixture f;
    memset(&f, 0, sizeof f);
    KINDS[k].make(&f);
    /* One BLAS thread, as the app runs it. */
    linalg_set_threads(1);

    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    cr_assert_eq(model_new(&f.model, &m, msg), ST_OK, "%s", msg);
    Store *store = store_new(2, msg);
    cr_assert_not_null(store, "%s", msg);
    Control control;
    control_init(&control, 0, f.train.lr);
    Trainer *t = NULL;
    cr_assert_eq(trainer_new(m, f.data, &f.train, &control, store, NULL, &t, msg), ST_OK, "%s", msg);

    /* The hooks the app registers (cli/session.c), with their defaults. */
    cr_assert_eq(metrics_epoch_register(t, msg), ST_OK, "%s", msg);
    ModularitySettings mod_settings;
    atomic_init(&mod_settings.qreps, QREPS_DEFAULT);
    ModularityMetric *mod = NULL;
    cr_assert_eq(modularity_metric_new(&mod_settings, f.train.seed, &mod, msg), ST_OK, "%s", msg);
    cr_assert_eq(trainer_add_metric(t, modularity_metric_epoch, mod), ST_OK);
    InfoMetric *info = NULL;
    cr_assert_eq(info_metric_new(&info, msg), ST_OK, "%s", msg);
    cr_assert_eq(trainer_add_metric(t, info_metric_epoch, info), ST_OK);
    ActivitySettings act_settings;
    activity_settings_init(&act_settings, FLEXREPS_DEFAULT, FC_WINDOWS_DEFAULT);
    ActivityMetric *act = NULL;
    cr_assert_eq(activity_metric_new(&act_settings, f.train.seed, &act, msg), ST_OK, "%s", msg);
    cr_assert_eq(trainer_add_metric(t, activity_metric_epoch, act), ST_OK);
    FcqMetric *fcq = NULL;
    if (f.fcq) {
        cr_assert_eq(fcq_metric_new(f.train.seed, FCQ_REPS_DEFAULT, 1, &fcq, msg), ST_OK, "%s", msg);
        cr_assert_eq(trainer_add_metric(t, fcq_metric_epoch, fcq), ST_OK);
    }
    cr_assert_eq(trainer_add_metric(t, drop_clock, NULL), ST_OK);

    cr_assert_eq(trainer_run(t, msg), ST_OK, "%s", msg);
    Snapshot *last = store_latest(store);
    cr_assert_not_null(last);
    cr_assert_eq(last->epoch, f.train.epochs);
    if (series)
        cr_assert_eq(store_copy_series(store, series), ST_OK);

    trainer_free(t);
    fcq_metric_free(fcq);
    activity_metric_free(act);
    info_metric_free(info);
    modularity_metric_free(mod);
    store_free(store);
    control_done(&control);
    dataset_free(f.data);
    return last;
}

Snapshot *support_grouped_snapshot(const char *kind, size_t epoch, size_t n_probe, const int group[6],
                                   double signal, uint64_t noise_seed)
{
    int hebb = strcmp(kind, "hebbff") == 0;
    ModelConfig c = hebb ? (ModelConfig){.kind = "hebbff", .n_layers = 3, .sizes = {5, 6, 2}}
                         : (ModelConfig){.kind = "mlp", .n_layers = 4, .sizes = {5, 3, 3, 2}};
    Snapshot *s = snapshot_new(&c, NULL, 0, n_probe);
    cr_assert_not_null(s);
    s->epoch = epoch;
    Rng r;
    rng_seed(&r, noise_seed, 0);
    for (size_t i = 0; i < n_probe; i++) {
        double latent[2] = {rng_normal(&r), rng_normal(&r)};
        for (size_t j = 0; j < 6; j++) {
            float v = (float)(0.5 + signal * latent[group[j]] + 0.03 * rng_normal(&r));
            if (hebb)
                s->acts[0][i * 6 + j] = v;
            else if (j < 3)
                s->acts[0][i * 3 + j] = v;
            else
                s->acts[1][i * 3 + j - 3] = v;
        }
        float *out = s->acts[hebb ? 1 : 2];
        out[i * 2] = (float)rng_uniform(&r);
        out[i * 2 + 1] = 1.0f - out[i * 2];
    }
    return s;
}
