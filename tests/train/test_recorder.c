#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/model/model.h"
#include "neurotop/run/trajectory.h"
#include "neurotop/train/recorder.h"
#include "support/support.h"

TestSuite(recorder, .init = support_tmp_init, .fini = support_tmp_fini);

/* Records in layer l's file now. */
static size_t records_on_disk(const char *dir, size_t l)
{
    char msg[STATUS_MSG_LEN];
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, l, &f, msg), ST_OK, "%s", msg);
    size_t n = trajectory_records(f);
    trajectory_close(f);
    return n;
}

/* The metrics thread's barrier: once wait_through(E) returns, every record
 * made at or before E examples is on disk, in both layers, with its values;
 * the trainer never had to wait for it. */
Test(recorder, wait_through_returns_once_the_earlier_records_are_written)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 3;
    c.sizes[0] = 30;
    c.sizes[1] = 20;
    c.sizes[2] = 5;
    size_t n = model_param_count(&c);
    float *p = malloc(n * sizeof *p), *back = malloc(20 * 30 * sizeof *back);
    char msg[STATUS_MSG_LEN];
    const char *dir = support_tmp();
    Recorder *r = NULL;
    cr_assert_eq(recorder_new(dir, &c, 1, 0, 1, &r, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < n; i++)
        p[i] = 0;
    cr_assert_eq(recorder_begin(r, p, 0, 0, 0, 0, msg), ST_OK, "%s", msg);
    for (int k = 1; k <= 40; k++) {
        for (size_t i = 0; i < n; i++)
            p[i] = (float)k;
        cr_assert_eq(recorder_advance(r, p, 1, (uint64_t)k, 0, msg), ST_OK, "%s", msg);
        if (k == 25) {
            recorder_wait_through(r, 20);
            cr_assert_geq(records_on_disk(dir, 1), 21, "steps 0..20 of layer 1 are written");
            cr_assert_geq(records_on_disk(dir, 2), 21, "steps 0..20 of layer 2 are written");
        }
    }
    cr_assert_eq(recorder_count(r), 41);
    cr_assert_eq(recorder_flush(r, msg), ST_OK, "%s", msg);
    cr_assert_eq(records_on_disk(dir, 1), 41);
    cr_assert_eq(records_on_disk(dir, 2), 41);
    TrajectoryFile *f = NULL;
    cr_assert_eq(trajectory_open(dir, 1, &f, msg), ST_OK, "%s", msg);
    cr_assert_eq(trajectory_read(f, 20, back, msg), ST_OK, "%s", msg);
    cr_assert_eq(back[0], 20.0f, "record 20 holds the weights of step 20");
    cr_assert_eq(back[599], 20.0f);
    trajectory_close(f);
    recorder_wait_through(NULL, 0); /* safe */
    recorder_free(r);
    free(p);
    free(back);
}
