/* :confusion: a class's history uses every recorded epoch, and the table's
 * columns stay apart with 4-digit counts. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "info_fixture.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/info_confusion.h"

#define EPOCHS 45

Test(info_confusion, a_class_history_has_every_recorded_epoch)
{
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(64, msg);
    cr_assert_not_null(store, "%s", msg);
    Snapshot *last = NULL;
    for (size_t e = 0; e < EPOCHS; e++) {
        Snapshot *s = info_tiny_snapshot(0);
        s->epoch = e;
        s->examples_seen = 100 * e;
        /* Class 2 is taken for class 1 in e of 100 items. */
        uint32_t conf[9] = {7, 0, 0, 0, 6, 1, 0, (uint32_t)e, (uint32_t)(100 - e)};
        memcpy(s->eval.confusion, conf, sizeof conf);
        snapshot_set_metric(s, "test_acc", 0.5);
        cr_assert_eq(store_publish(store, s), ST_OK);
        if (e + 1 < EPOCHS)
            snapshot_release(s);
        else
            last = s;
    }
    AnalysisArgs a;
    analysis_args_init("confusion", &a);
    a.store = store;
    a.cls = 2;
    ConfusionResult r;
    cr_assert_eq(confusion_compute(NULL, last, &a, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_history, EPOCHS, "all %d epochs, not a sample of them", EPOCHS);
    for (size_t e = 0; e < EPOCHS; e++) {
        cr_assert_eq(r.history_epochs[e], (double)e);
        cr_assert_float_eq(r.history_shares[e * 3 + 1], (double)e / 100.0, 1e-12, "epoch %zu", e);
    }
    confusion_result_done(&r);
    snapshot_release(last);
    store_free(store);
}

Test(info_confusion, columns_stay_apart_with_four_digit_counts)
{
    ConfusionResult r;
    memset(&r, 0, sizeof r);
    uint32_t counts[4] = {1234, 5, 10, 9876};
    double shares[4] = {NAN, 5.0 / 1239, 10.0 / 9886, NAN};
    r.k = 2;
    r.accuracy = 0.99;
    r.counts = counts;
    r.shares = shares;
    r.cls = -1;
    ModelConfig c = {.kind = "mlp", .n_layers = 2, .sizes = {4, 2}};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), 0);
    JobResult *out = calloc(1, sizeof *out);
    strbuf_init(&out->text);
    strbuf_init(&out->json);
    cr_assert_eq(confusion_view(&r, s, out), ST_OK);
    const char *t = strbuf_cstr(&out->text);
    /* Columns 5 wide: one more than the widest count. */
    cr_assert(strstr(t, "t\\p    0    1\n") != NULL, "%s", t);
    cr_assert(strstr(t, "  0 1234    5\n") != NULL, "%s", t);
    cr_assert(strstr(t, "  1   10 9876\n") != NULL, "%s", t);
    cr_assert(strstr(t, "ok%  100  100\n") != NULL, "%s", t);
    job_result_free(out);
    snapshot_release(s);
}
