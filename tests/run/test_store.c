#include <criterion/criterion.h>
#include <math.h>
#include <poll.h>

#include "neurotop/run/store.h"

static ModelConfig tiny_config(void)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {4, 3, 2}};
    return c;
}

static Snapshot *make(size_t epoch, double acc)
{
    ModelConfig c = tiny_config();
    float p[18] = {0};
    Snapshot *s = snapshot_new(&c, p, 18, 5);
    cr_assert_not_null(s);
    s->epoch = epoch;
    snapshot_set_metric(s, "test_acc", acc);
    if (epoch >= 2)
        snapshot_set_metric(s, "q_whole", 0.1 * (double)epoch);
    return s;
}

Test(store, ring_keeps_the_newest_and_series_keeps_all)
{
    char msg[STATUS_MSG_LEN];
    Store *st = store_new(2, msg);
    cr_assert_not_null(st);
    for (size_t e = 0; e < 4; e++) {
        Snapshot *s = make(e, 0.5 + 0.1 * (double)e);
        cr_assert_eq(store_publish(st, s), ST_OK);
        snapshot_release(s);
    }
    Snapshot *latest = store_latest(st);
    cr_assert_eq(latest->epoch, 3);
    snapshot_release(latest);
    cr_assert_null(store_at_epoch(st, 1), "epoch 1 fell out of a ring of 2");
    Snapshot *e2 = store_at_epoch(st, 2);
    cr_assert_not_null(e2);
    snapshot_release(e2);

    SeriesTable t;
    cr_assert_eq(store_copy_series(st, &t), ST_OK);
    cr_assert_eq(t.n, 4);
    const double *acc = series_get(&t, "test_acc");
    const double *q = series_get(&t, "q_whole");
    cr_assert_float_eq(acc[3], 0.8, 1e-12);
    cr_assert(isnan(q[0]) && isnan(q[1]), "a key that appears later is NAN before");
    cr_assert_float_eq(q[3], 0.3, 1e-12);
    cr_assert_null(series_get(&t, "nothing"));
    series_done(&t);
    store_free(st);
}

Test(store, publish_wakes_the_ui_and_bumps_the_version)
{
    char msg[STATUS_MSG_LEN];
    Store *st = store_new(4, msg);
    unsigned long v0 = store_version(st);
    Snapshot *s = make(0, 0.1);
    store_publish(st, s);
    snapshot_release(s);
    struct pollfd p = {.fd = store_wake_fd(st), .events = POLLIN};
    cr_assert_eq(poll(&p, 1, 0), 1);
    store_drain_wake(st);
    cr_assert_eq(poll(&p, 1, 0), 0);
    cr_assert_gt(store_version(st), v0);
    store_post_message(st, "saved %d", 7);
    char buf[64];
    cr_assert_eq(store_last_message(st, buf, sizeof buf), 1);
    cr_assert_str_eq(buf, "saved 7");
    store_free(st);
}

Test(store, snapshot_metrics_replace_and_report_missing)
{
    Snapshot *s = make(0, 0.1);
    snapshot_set_metric(s, "test_acc", 0.25);
    cr_assert_float_eq(snapshot_metric(s, "test_acc"), 0.25, 0);
    cr_assert(isnan(snapshot_metric(s, "missing")));
    Snapshot *r = snapshot_retain(s);
    snapshot_release(s);
    cr_assert_eq(r->epoch, 0, "still alive after one release");
    snapshot_release(r);
    store_free(NULL);
    snapshot_release(NULL);
}
