#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/run/snapshot_io.h"
#include "support/support.h"

static Snapshot *sample(void)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {6, 4, 3}, .seed = 99};
    size_t n = model_param_count(&c);
    cr_assert_eq(n, 36);
    float p[36];
    for (size_t i = 0; i < n; i++)
        p[i] = (float)i * 0.25f - 3.0f;
    Snapshot *s = snapshot_new(&c, p, n, 0);
    s->epoch = 7;
    s->examples_seen = 56000;
    s->seconds = 1.5;
    s->train_loss = 0.125;
    s->lr = 0.3;
    s->eval.accuracy = 0.9;
    s->eval.loss = 0.33;
    for (size_t i = 0; i < 9; i++)
        s->eval.confusion[i] = (uint32_t)(i * 10);
    snapshot_set_metric(s, "test_acc", 0.9);
    snapshot_set_metric(s, "q_whole", NAN);
    return s;
}

/* Each test writes into a temporary folder of its own. */
TestSuite(snapshot_io, .init = support_tmp_init, .fini = support_tmp_fini);

static void temp_path(char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", support_tmp_path("snap.nts"));
}

Test(snapshot_io, round_trip_keeps_weights_evaluation_and_metrics)
{
    Snapshot *s = sample();
    char path[256], msg[STATUS_MSG_LEN];
    temp_path(path, sizeof path);
    cr_assert_eq(snapshot_save(s, path, msg), ST_OK, "%s", msg);
    Snapshot *r = NULL;
    cr_assert_eq(snapshot_load(path, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r->epoch, 7);
    cr_assert_eq(r->examples_seen, 56000);
    cr_assert_eq(r->config.n_layers, 3);
    cr_assert_eq(r->config.sizes[1], 4);
    cr_assert_eq(r->config.seed, 99);
    cr_assert_eq(memcmp(r->params, s->params, 36 * sizeof(float)), 0);
    cr_assert_eq(memcmp(r->eval.confusion, s->eval.confusion, 9 * sizeof(uint32_t)), 0);
    cr_assert_float_eq(r->eval.accuracy, 0.9, 0);
    cr_assert_float_eq(r->train_loss, 0.125, 0);
    cr_assert_float_eq(snapshot_metric(r, "test_acc"), 0.9, 0);
    cr_assert(isnan(snapshot_metric(r, "q_whole")));
    snapshot_release(r);
    snapshot_release(s);
    unlink(path);
}

Test(snapshot_io, corrupted_and_truncated_files_are_rejected)
{
    Snapshot *s = sample();
    char path[256], msg[STATUS_MSG_LEN];
    temp_path(path, sizeof path);
    cr_assert_eq(snapshot_save(s, path, msg), ST_OK);
    char *data;
    size_t len;
    cr_assert_eq(file_read_all(path, 1 << 20, &data, &len, msg), ST_OK);
    /* Flip one byte in the middle of the last weight block. */
    data[len - 20] ^= 0x40;
    cr_assert_eq(file_write_atomic(path, data, len, msg), ST_OK);
    Snapshot *r = NULL;
    Status st = snapshot_load(path, &r, msg);
    cr_assert_eq(st, ST_EFORMAT);
    cr_assert_null(r);
    cr_assert(strstr(msg, path) != NULL, "message names the file: %s", msg);
    data[len - 20] ^= 0x40;
    cr_assert_eq(file_write_atomic(path, data, len / 2, msg), ST_OK);
    cr_assert_eq(snapshot_load(path, &r, msg), ST_EFORMAT);
    cr_assert_eq(file_write_atomic(path, "", 0, msg), ST_OK);
    cr_assert_neq(snapshot_load(path, &r, msg), ST_OK);
    free(data);
    snapshot_release(s);
    unlink(path);
}
