#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/train/trainer.h"
#include "support/support.h"

typedef struct {
    size_t calls;
    size_t epochs[16];
} HookLog;

static Status record_epoch(Snapshot *s, void *ctx, char *msg)
{
    (void)msg;
    HookLog *log = ctx;
    if (log->calls < 16)
        log->epochs[log->calls] = s->epoch;
    log->calls++;
    snapshot_set_metric(s, "twice_epoch", 2.0 * (double)s->epoch);
    return ST_OK;
}

Test(trainer, runs_epochs_in_order_through_the_publisher)
{
    Dataset d;
    support_toy_dataset(&d, 40, 10);
    ModelConfig cfg = {.kind = "mlp", .n_layers = 3, .sizes = {4, 3, 2}, .seed = 1};
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    cr_assert_eq(model_new(&cfg, &m, msg), ST_OK, "%s", msg);
    Store *store = store_new(8, msg);
    Control control;
    control_init(&control, 0, 0.5);
    TrainerConfig tc = {.epochs = 5, .batch = 1, .lr = 0.5f, .seed = 1, .n_probe = 6};
    Trainer *t = NULL;
    cr_assert_eq(trainer_new(m, &d, &tc, &control, store, NULL, &t, msg), ST_OK, "%s", msg);
    HookLog log = {0};
    cr_assert_eq(trainer_add_metric(t, record_epoch, &log), ST_OK);
    cr_assert_eq(trainer_run(t, msg), ST_OK, "%s", msg);

    cr_assert_eq(log.calls, 6, "epoch 0 and five trained epochs");
    for (size_t e = 0; e < 6; e++)
        cr_assert_eq(log.epochs[e], e, "metrics run in epoch order");
    SeriesTable series;
    cr_assert_eq(store_copy_series(store, &series), ST_OK);
    cr_assert_eq(series.n, 6);
    const double *twice = series_get(&series, "twice_epoch");
    const double *acc = series_get(&series, "test_acc");
    cr_assert_float_eq(twice[5], 10.0, 0);
    cr_assert(acc[5] >= 0.9, "the toy task is learned (accuracy %g)", acc[5]);
    Snapshot *last = store_latest(store);
    cr_assert_eq(last->examples_seen, 200);
    cr_assert_eq(last->n_probe, 6);
    cr_assert(last->acts[1][0] >= 0.0f && last->acts[1][0] <= 1.0f, "output activations are probabilities");
    snapshot_release(last);
    series_done(&series);
    trainer_free(t);
    store_free(store);
    control_done(&control);
    support_dataset_done(&d);
}

Test(trainer, rejects_data_that_does_not_fit_the_model)
{
    Dataset d;
    support_toy_dataset(&d, 4, 4);
    ModelConfig cfg = {.kind = "mlp", .n_layers = 3, .sizes = {9, 3, 2}, .seed = 1};
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    cr_assert_eq(model_new(&cfg, &m, msg), ST_OK);
    Store *store = store_new(2, msg);
    Control control;
    control_init(&control, 0, 0.1);
    TrainerConfig tc = {.epochs = 1, .batch = 1, .lr = 0.1f};
    Trainer *t = NULL;
    cr_assert_eq(trainer_new(m, &d, &tc, &control, store, NULL, &t, msg), ST_EINVAL);
    cr_assert(strstr(msg, "4 pixels") != NULL, "%s", msg);
    model_free(m); /* on failure the caller keeps the model */
    store_free(store);
    control_done(&control);
    support_dataset_done(&d);
}

Test(trainer, binary_rates_from_the_confusion_matrix)
{
    ModelConfig cfg = {.kind = "mlp", .n_layers = 2, .sizes = {4, 2}};
    Snapshot *s = snapshot_new(&cfg, NULL, model_param_count(&cfg), 0);
    /* [true][pred]: 6 novel (1 called familiar), 4 familiar (3 found). */
    s->eval.confusion[0] = 5;
    s->eval.confusion[1] = 1;
    s->eval.confusion[2] = 1;
    s->eval.confusion[3] = 3;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(metrics_epoch_binary(s, NULL, msg), ST_OK);
    cr_assert_float_eq(snapshot_metric(s, "tpr"), 0.75, 1e-15);
    cr_assert_float_eq(snapshot_metric(s, "fpr"), 1.0 / 6.0, 1e-15);
    cr_assert_eq(metrics_epoch_kind(s, NULL, msg), ST_OK);
    cr_assert(isnan(snapshot_metric(s, "lambda")), "no lambda for an MLP");
    snapshot_release(s);
}
