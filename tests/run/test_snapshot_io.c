#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/nts.h"
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

/* Format 1 files (every snapshot under sample-runs/) still load: the
 * values below are what the format-1 reader gave for these files before
 * format 2 existed. */
Test(snapshot_io, format_1_sample_run_of_the_mlp_loads)
{
    const char *path = "sample-runs/mlp-mnist/snapshots/epoch-000040.nts";
    Snapshot *s = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(snapshot_load(path, &s, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(s->config.kind, "mlp");
    cr_assert_eq(s->config.n_layers, 4);
    cr_assert_eq(s->config.sizes[1], 100);
    cr_assert_eq(s->config.seed, 1);
    cr_assert_eq(s->n_params, 89400);
    cr_assert_eq(s->epoch, 40);
    cr_assert_eq(s->examples_seen, 20000);
    cr_assert_float_eq(s->eval.accuracy, 0.91200000000000003, 0);
    cr_assert_float_eq(snapshot_metric(s, "test_acc"), 0.91200000000000003, 0);
    cr_assert_float_eq(s->eval.loss, 0.30008344446350443, 0);
    cr_assert(isnan(s->eval.recon), "format 1 has no reconstruction error");
    cr_assert_eq(s->params[1234], 0.291953772f);
    cr_assert_eq(s->params[89400 - 4], 0.306914419f);
    cr_assert_eq(s->params[89400 - 1], 1.63552499f);
    cr_assert_eq(s->eval.confusion[0], 194);
    cr_assert_eq(s->n_metrics, 52);
    cr_assert_eq(s->config.in_rows, 0, "format 1 does not know the image shape");
    snapshot_release(s);
}

Test(snapshot_io, format_1_sample_run_of_hebbff_loads_with_its_extras)
{
    const char *path = "sample-runs/hebbff-familiarity/snapshots/epoch-000060.nts";
    Snapshot *s = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(snapshot_load(path, &s, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(s->config.kind, "hebbff");
    cr_assert_eq(s->n_params, 12363);
    cr_assert_eq(s->epoch, 60);
    cr_assert_float_eq(s->eval.accuracy, 0.97199999999999998, 0);
    cr_assert_float_eq(snapshot_metric(s, "test_acc"), 0.97199999999999998, 0);
    cr_assert_eq(s->params[0], -0.132812023f);
    cr_assert_eq(s->params[12363 - 4], -0.275963008f); /* b1[119] */
    cr_assert_eq(s->params[12363 - 1], -0.178916186f); /* eta, from "extra" */
    /* The kind's numbers from the loaded parameters equal those the run
     * recorded. */
    ModelMetric m[4];
    cr_assert_eq(model_extra_metrics(&s->config, s->params, m, 4), 2);
    cr_assert_float_eq(m[0].value, snapshot_metric(s, "lambda"), 0);
    cr_assert_float_eq(m[1].value, snapshot_metric(s, "eta"), 0);
    /* Kind parameters are not in format 1: the table's defaults. */
    cr_assert_float_eq(model_kparam(&s->config, 0), 100, 0);
    snapshot_release(s);
}

Test(snapshot_io, format_2_round_trip_keeps_kind_parameters_shape_and_recon)
{
    ModelConfig c = {.kind = "hebbff", .n_layers = 3, .sizes = {16, 5, 2}, .seed = 4,
                     .in_rows = 1, .in_cols = 16, .n_kparams = 6,
                     .kparams = {16, 3, 0.25, 1, 300, 120}};
    char msg[STATUS_MSG_LEN], path[128];
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    Snapshot *s = snapshot_new(&m->config, m->params, m->n_params, 0);
    s->epoch = 12;
    s->eval.accuracy = 0.75;
    s->eval.recon = 0.0625;
    temp_path(path, sizeof path);
    cr_assert_eq(snapshot_save(s, path, msg), ST_OK, "%s", msg);
    Snapshot *r = NULL;
    cr_assert_eq(snapshot_load(path, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r->n_params, 16 * 5 + 3 * 5 + 3);
    cr_assert_eq(memcmp(r->params, m->params, r->n_params * sizeof(float)), 0);
    cr_assert_eq(r->config.in_rows, 1);
    cr_assert_eq(r->config.in_cols, 16);
    cr_assert_eq(r->config.n_kparams, 6);
    const double want[6] = {16, 3, 0.25, 1, 300, 120};
    for (size_t i = 0; i < 6; i++)
        cr_assert_float_eq(model_kparam(&r->config, i), want[i], 0);
    cr_assert_float_eq(r->eval.recon, 0.0625, 0);
    cr_assert_eq(r->epoch, 12);
    snapshot_release(r);
    snapshot_release(s);
    model_free(m);
    unlink(path);
}

/* Rewrite (or add) one section of a saved snapshot: every other section
 * copied. */
static void rewrite(const char *path, const char *name, const char *text, const uint32_t *u32,
                    size_t n)
{
    char msg[STATUS_MSG_LEN];
    NtsFile *f = NULL;
    cr_assert_eq(nts_open(path, &f, msg), ST_OK, "%s", msg);
    NtsWriter *w = nts_writer_new();
    const size_t d[1] = {n};
    if (!nts_find(f, name))
        cr_assert_eq(text ? nts_add_text(w, name, text, msg) : nts_add_u32(w, name, u32, 1, d, msg), ST_OK,
                     "%s", msg);
    for (size_t i = 0; i < nts_section_count(f); i++) {
        const NtsSection *s = nts_section_at(f, i);
        if (strcmp(s->name, name) == 0) {
            cr_assert_eq(text ? nts_add_text(w, name, text, msg) : nts_add_u32(w, name, u32, 1, d, msg),
                         ST_OK, "%s", msg);
        } else if (s->type == NTS_TEXT) {
            cr_assert_eq(nts_add_text(w, s->name, s->text, msg), ST_OK);
        } else if (s->type == NTS_F32) {
            cr_assert_eq(nts_add_f32(w, s->name, s->f32, s->n_dims, s->dims, msg), ST_OK);
        } else {
            cr_assert_eq(nts_add_u32(w, s->name, s->u32, s->n_dims, s->dims, msg), ST_OK);
        }
    }
    cr_assert_eq(nts_writer_save(w, path, msg), ST_OK, "%s", msg);
    nts_writer_free(w);
    nts_file_free(f);
}

Test(snapshot_io, format_2_damage_is_refused_in_one_sentence_naming_the_file)
{
    Snapshot *s = sample();
    char msg[STATUS_MSG_LEN], path[128];
    temp_path(path, sizeof path);
    struct {
        const char *section, *text;
        uint32_t u32;
        const char *needle;
    } cases[] = {
        {"format", NULL, 3, "format 3"},
        {"model.blocks", "alpha dense 0 1 6x4 0 24 edge\n", 0, "\"model.blocks\""},
        {"model.kparams", "task-n=16\n", 0, "\"task-n\", which is not a parameter of the mlp model"},
    };
    Snapshot *r = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(snapshot_save(s, path, msg), ST_OK, "%s", msg);
        rewrite(path, cases[i].section, cases[i].text, &cases[i].u32, 1);
        cr_assert_eq(snapshot_load(path, &r, msg), ST_EFORMAT, "%s accepted", cases[i].section);
        cr_assert_null(r);
        cr_assert(strstr(msg, path) && strstr(msg, cases[i].needle), "%s", msg);
        cr_assert(strchr(msg, '\n') == NULL, "%s", msg);
    }
    /* A block section gone, and a truncated file. */
    cr_assert_eq(snapshot_save(s, path, msg), ST_OK, "%s", msg);
    NtsFile *f = NULL;
    cr_assert_eq(nts_open(path, &f, msg), ST_OK);
    NtsWriter *w = nts_writer_new();
    for (size_t i = 0; i < nts_section_count(f); i++) {
        const NtsSection *sec = nts_section_at(f, i);
        if (strcmp(sec->name, "p.beta") == 0)
            continue;
        if (sec->type == NTS_TEXT)
            nts_add_text(w, sec->name, sec->text, msg);
        else if (sec->type == NTS_F32)
            nts_add_f32(w, sec->name, sec->f32, sec->n_dims, sec->dims, msg);
        else
            nts_add_u32(w, sec->name, sec->u32, sec->n_dims, sec->dims, msg);
    }
    cr_assert_eq(nts_writer_save(w, path, msg), ST_OK);
    nts_writer_free(w);
    nts_file_free(f);
    cr_assert_eq(snapshot_load(path, &r, msg), ST_EFORMAT);
    cr_assert(strstr(msg, path) && strstr(msg, "no section \"p.beta\""), "%s", msg);
    cr_assert_eq(snapshot_save(s, path, msg), ST_OK, "%s", msg);
    char *data;
    size_t len;
    cr_assert_eq(file_read_all(path, 1 << 20, &data, &len, msg), ST_OK);
    cr_assert_eq(file_write_atomic(path, data, len - 9, msg), ST_OK);
    cr_assert_eq(snapshot_load(path, &r, msg), ST_EFORMAT);
    cr_assert(strstr(msg, path) != NULL && strchr(msg, '\n') == NULL, "%s", msg);
    free(data);
    snapshot_release(s);
    unlink(path);
}

Test(snapshot_io, the_training_state_round_trips_and_old_files_have_none)
{
    Snapshot *s = sample();
    ResumeState *w = &s->resume;
    w->valid = 1;
    w->rng[0] = 0x0123456789abcdefull;
    w->rng[3] = UINT64_MAX;
    w->rng_has_spare = 1;
    w->rng_spare = -0.3125;
    w->cursor = 4242;
    w->shuffles = (size_t)1 << 33;
    w->order_hash = 0xdeadbeefu;
    w->n_opt = 3;
    w->opt = malloc(3 * sizeof *w->opt);
    w->opt[0] = 17;
    w->opt[1] = 1e-300;
    w->opt[2] = -2.5;
    char path[256], msg[STATUS_MSG_LEN];
    temp_path(path, sizeof path);
    cr_assert_eq(snapshot_save(s, path, msg), ST_OK, "%s", msg);
    Snapshot *r = NULL;
    cr_assert_eq(snapshot_load(path, &r, msg), ST_OK, "%s", msg);
    const ResumeState *g = &r->resume;
    cr_assert_eq(g->valid, 1);
    cr_assert_eq(g->rng[0], 0x0123456789abcdefull);
    cr_assert_eq(g->rng[3], UINT64_MAX);
    cr_assert_eq(g->rng_has_spare, 1);
    cr_assert_float_eq(g->rng_spare, -0.3125, 0);
    cr_assert_eq(g->cursor, 4242);
    cr_assert_eq(g->shuffles, (size_t)1 << 33);
    cr_assert_eq(g->order_hash, 0xdeadbeefu);
    cr_assert_eq(g->n_opt, 3);
    cr_assert_eq(memcmp(g->opt, w->opt, 3 * sizeof(double)), 0, "the optimiser state bit for bit");
    snapshot_release(r);
    snapshot_release(s);
    /* A format-1 file (before resume existed) loads, without the state. */
    cr_assert_eq(snapshot_load("sample-runs/mlp-mnist/snapshots/epoch-000040.nts", &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r->resume.valid, 0);
    cr_assert_null(r->resume.opt);
    snapshot_release(r);
    unlink(path);
}
