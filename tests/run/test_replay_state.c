/* A replay recomputes the kind's state (HebbFF's plastic matrix) as the
 * live run did, from a run directory whose data set is regenerated through
 * the data registry from run.json's kind parameters. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/json.h"
#include "neurotop/data/registry.h"
#include "neurotop/run/replay.h"
#include "neurotop/train/trainer.h"

/* Train 2 epochs recording `activity`, replay, compare. */
static void live_and_replayed(ModelActivity activity)
{
    char msg[STATUS_MSG_LEN], root[64];
    strcpy(root, "/tmp/neurotop-replay-state-XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    const DataParam task[6] = {{"task_n", 16}, {"task_r", 3},     {"task_p", 0.5},
                               {"task_chains", 0}, {"task_train", 120}, {"task_test", 50}};
    Dataset *data = NULL;
    cr_assert_eq(data_open("familiarity", task, 6, 5, &data, msg), ST_OK, "%s", msg);
    ModelConfig cfg = {.kind = "hebbff", .n_layers = 3, .sizes = {16, 6, 2}, .seed = 5,
                       .in_rows = 1, .in_cols = 16, .n_kparams = 6,
                       .kparams = {16, 3, 0.5, 0, 120, 50}};
    Model *m = NULL;
    cr_assert_eq(model_new(&cfg, &m, msg), ST_OK, "%s", msg);
    StrBuf json;
    strbuf_init(&json);
    JsonWriter w;
    json_init(&w, &json);
    json_object_begin(&w);
    json_kv_string(&w, "model", "hebbff");
    json_key(&w, "sizes");
    const int sizes[3] = {16, 6, 2};
    json_int_array(&w, sizes, 3);
    json_kv_string(&w, "data", "familiarity");
    json_kv_int(&w, "n_test", 50);
    json_kv_int(&w, "seed", 5);
    json_kv_int(&w, "probe", 20);
    json_kv_string(&w, "activity", model_activity_name(activity));
    for (int i = 0; i < 6; i++)
        json_kv_real(&w, task[i].key, task[i].value);
    json_object_end(&w);
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(root, "hebbff", strbuf_cstr(&json), NULL, &rd, msg), ST_OK, "%s", msg);
    strbuf_done(&json);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", rundir_path(rd));
    Store *store = store_new(8, msg);
    Control control;
    control_init(&control, 0, 0.01);
    TrainerConfig tc = {.epochs = 2, .batch = 30, .lr = 0.01f, .seed = 5, .n_probe = 20, .save_every = 1,
                        .activity = activity};
    Trainer *t = NULL;
    cr_assert_eq(trainer_new(m, data, &tc, &control, store, rd, &t, msg), ST_OK, "%s", msg);
    cr_assert_eq(trainer_run(t, msg), ST_OK, "%s", msg);
    Snapshot *live = store_latest(store);
    cr_assert_eq(live->epoch, 2);
    cr_assert_not_null(live->state, "the trainer computed the state");
    cr_assert_eq(live->state_rows, 16);
    cr_assert_eq(live->state_cols, 6);
    cr_assert_str_eq(live->state_name, "A");

    /* Replay: the task comes back from run.json's keys and the seed. */
    Replay *r = NULL;
    cr_assert_eq(replay_open(dir, &r, msg), ST_OK, "%s", msg);
    const ReplayInfo *info = replay_info(r);
    cr_assert_eq(info->n_kparams, 6);
    DataParam again[6];
    for (size_t i = 0; i < 6; i++) {
        model_kparam_key(&model_kind_find("hebbff")->kparams[i], again[i].key, sizeof again[i].key);
        again[i].value = info->kparams[i];
    }
    Dataset *back = NULL;
    cr_assert_eq(data_open(info->data, again, 6, info->seed, &back, msg), ST_OK, "%s", msg);
    cr_assert_eq(memcmp(back->test.pixels, data->test.pixels, 50 * 16), 0);
    cr_assert_eq(replay_attach_data(r, back, info->probe, msg), ST_OK, "%s", msg);
    Snapshot *s = NULL;
    cr_assert_eq(replay_snapshot(r, 2, &s, msg), ST_OK, "%s", msg);
    cr_assert_not_null(s->state, "the replay recomputed the state");
    cr_assert_eq(s->state_rows, 16);
    cr_assert_eq(s->state_cols, 6);
    cr_assert_eq(memcmp(s->state, live->state, 16 * 6 * sizeof(float)), 0);
    cr_assert_eq(s->n_probe, 20);
    cr_assert_eq(info->activity, activity);
    cr_assert_eq(memcmp(s->acts[0], live->acts[0], 20 * 6 * sizeof(float)), 0);
    /* σ(a) lies in (0, 1); the pre-activations a of these units do not all. */
    int outside = 0;
    for (size_t k = 0; k < 20 * 6; k++)
        outside |= !(live->acts[0][k] > 0.0f && live->acts[0][k] < 1.0f);
    cr_assert_eq(outside, activity == MODEL_ACTIVITY_PRE);
    cr_assert_eq(s->config.in_rows, 1);
    cr_assert_eq(s->config.in_cols, 16);
    snapshot_release(s);
    snapshot_release(live);
    replay_free(r);
    dataset_free(back);
    trainer_free(t);
    rundir_free(rd);
    store_free(store);
    control_done(&control);
    dataset_free(data);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_assert_eq(system(cmd), 0);
}

Test(replay_state, hebbff_plastic_matrix_and_post_activity_match_the_live_run)
{
    live_and_replayed(MODEL_ACTIVITY_POST);
}

Test(replay_state, hebbff_pre_activity_matches_the_live_run)
{
    live_and_replayed(MODEL_ACTIVITY_PRE);
}
