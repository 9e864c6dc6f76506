#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/run/epochs.h"
#include "neurotop/run/replay.h"
#include "support/support.h"

/* The toy recorded run of tests/support (3 epochs, a snapshot file every
 * epoch) with two metrics of its own. */
static SupportRun run;

static Status twice_epoch(Snapshot *s, void *ctx, char *msg)
{
    (void)ctx;
    (void)msg;
    snapshot_set_metric(s, "twice_epoch", 2.0 * (double)s->epoch);
    snapshot_set_metric(s, "third", (double)s->epoch / 3.0);
    return ST_OK;
}

static void make_run(void)
{
    support_run_make(&run, twice_epoch, NULL);
}

static void drop_run(void)
{
    support_run_drop(&run);
}

static void path_of(char *out, size_t cap, const char *rel)
{
    support_run_path(&run, rel, out, cap);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

Test(replay, same_series_info_and_snapshots_as_the_live_run, .init = make_run, .fini = drop_run)
{
    char msg[STATUS_MSG_LEN];
    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    const ReplayInfo *info = replay_info(r);
    cr_assert_str_eq(info->model, "mlp");
    cr_assert_str_eq(info->data, "toy");
    cr_assert_eq(info->has_config, 1);
    cr_assert_eq(info->config.n_layers, 3);
    cr_assert_eq(info->config.sizes[1], 3);
    cr_assert_eq(info->config.seed, 7);
    cr_assert_eq(info->lr, 0.5);
    cr_assert_eq(info->n_test, 10);
    cr_assert_eq(info->probe, 6);
    cr_assert_eq(replay_problem_count(r), 0);

    size_t n;
    const size_t *epochs = replay_epochs(r, &n);
    cr_assert_eq(n, 4);
    for (size_t e = 0; e < 4; e++)
        cr_assert_eq(epochs[e], e);

    SeriesTable live;
    cr_assert_eq(store_copy_series(run.store, &live), ST_OK);
    const SeriesTable *rs = replay_series(r);
    cr_assert_eq(rs->n, live.n);
    cr_assert_eq(rs->n_keys, live.n_keys + 1, "every live key plus examples");
    for (size_t k = 0; k < live.n_keys; k++) {
        const double *col = series_get(rs, live.keys[k]);
        cr_assert_not_null(col, "key %s replays", live.keys[k]);
        for (size_t i = 0; i < live.n; i++)
            cr_assert(same_bits(col[i], live.values[k][i]), "%s at epoch %zu: %.17g vs %.17g",
                      live.keys[k], i, col[i], live.values[k][i]);
    }
    cr_assert(isnan(series_get(rs, "train_loss")[0]), "null at epoch 0 replays as NaN");
    cr_assert_eq(series_get(rs, "examples")[3], 120.0);
    cr_assert_eq(series_get(rs, "third")[1], 1.0 / 3.0);
    series_done(&live);

    for (size_t e = 0; e < 4; e++) {
        Snapshot *s = NULL, *l = store_at_epoch(run.store, e);
        cr_assert_not_null(l);
        cr_assert_eq(replay_snapshot(r, e, &s, msg), ST_OK, "%s", msg);
        cr_assert_eq(s->epoch, e);
        cr_assert_eq(s->n_params, l->n_params);
        cr_assert_eq(memcmp(s->params, l->params, l->n_params * sizeof(float)), 0, "epoch %zu weights", e);
        cr_assert(same_bits(s->eval.accuracy, l->eval.accuracy));
        cr_assert(same_bits(s->eval.loss, l->eval.loss));
        cr_assert_eq(memcmp(s->eval.confusion, l->eval.confusion, 4 * sizeof(uint32_t)), 0);
        cr_assert(same_bits(snapshot_metric(s, "twice_epoch"), 2.0 * (double)e));
        cr_assert_eq(s->n_probe, 0, "no data attached: no activations");
        Snapshot *again = NULL;
        cr_assert_eq(replay_snapshot(r, e, &again, msg), ST_OK);
        cr_assert_eq(again, s, "the second request comes from the cache");
        snapshot_release(again);
        snapshot_release(s);
        snapshot_release(l);
    }
    replay_free(r);
}

Test(replay, attached_data_recomputes_the_probe_activations, .init = make_run, .fini = drop_run)
{
    char msg[STATUS_MSG_LEN];
    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    Snapshot *before = NULL;
    cr_assert_eq(replay_snapshot(r, 2, &before, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_attach_data(r, &run.data, 6, msg), ST_OK, "%s", msg);
    for (size_t e = 0; e < 4; e++) {
        Snapshot *s = NULL, *l = store_at_epoch(run.store, e);
        cr_assert_eq(replay_snapshot(r, e, &s, msg), ST_OK, "%s", msg);
        cr_assert_eq(s->n_probe, 6);
        cr_assert_eq(memcmp(s->probe_labels, l->probe_labels, 6), 0);
        cr_assert_eq(memcmp(s->acts[0], l->acts[0], 6 * 3 * sizeof(float)), 0, "hidden layer, epoch %zu", e);
        cr_assert_eq(memcmp(s->acts[1], l->acts[1], 6 * 2 * sizeof(float)), 0, "output layer, epoch %zu", e);
        cr_assert(same_bits(snapshot_metric(s, "test_acc"), snapshot_metric(l, "test_acc")));
        cr_assert_eq(memcmp(s->params, l->params, l->n_params * sizeof(float)), 0);
        snapshot_release(s);
        snapshot_release(l);
    }
    cr_assert_eq(before->n_probe, 0, "a snapshot handed out earlier is unchanged");
    snapshot_release(before);

    /* Data of another shape is refused. */
    Dataset other;
    memset(&other, 0, sizeof other);
    cr_assert_eq(imageset_alloc(&other.test, 3, 3, 3, msg), ST_OK);
    cr_assert_eq(replay_attach_data(r, &other, 3, msg), ST_EINVAL);
    cr_assert(strstr(msg, "9 pixels") && strstr(msg, "4 inputs"), "%s", msg);
    imageset_done(&other.test);
    cr_assert_eq(replay_attach_data(r, &run.data, 0, msg), ST_EINVAL);
    replay_free(r);
}

Test(replay, a_corrupted_snapshot_is_reported_for_its_epoch_only, .init = make_run, .fini = drop_run)
{
    char path[1200], msg[STATUS_MSG_LEN];
    path_of(path, sizeof path, "snapshots/epoch-000002.nts");
    char *data;
    size_t len;
    cr_assert_eq(file_read_all(path, 1 << 20, &data, &len, msg), ST_OK, "%s", msg);
    data[len - 9] ^= 0x20; /* one bit of the last section */
    cr_assert_eq(file_write_atomic(path, data, len, msg), ST_OK);
    free(data);

    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_has_snapshot(r, 2), 1, "listed until it is read");
    Snapshot *s = (Snapshot *)1;
    cr_assert_eq(replay_snapshot(r, 2, &s, msg), ST_EFORMAT);
    cr_assert_null(s);
    cr_assert(strstr(msg, "epoch 2 ") && strstr(msg, "epoch-000002.nts"), "names epoch and file: %s", msg);
    cr_assert_eq(replay_problem_count(r), 1);
    ReplayProblem p;
    cr_assert_eq(replay_problem_at(r, 0, &p), 1);
    cr_assert_eq(p.kind, REPLAY_PROBLEM_SNAPSHOT);
    cr_assert_eq(p.epoch, 2);
    cr_assert_eq(p.status, ST_EFORMAT);
    cr_assert_str_eq(p.text, msg);
    cr_assert_eq(replay_problem_at(r, 1, &p), 0);
    cr_assert_eq(replay_snapshot_problem(r, 2, NULL), 1);
    cr_assert_eq(replay_snapshot_problem(r, 1, NULL), 0);

    /* Asked again: the same answer, no second report. */
    cr_assert_eq(replay_snapshot(r, 2, &s, msg), ST_EFORMAT);
    cr_assert_eq(replay_problem_count(r), 1);
    cr_assert_eq(replay_has_snapshot(r, 2), 0);

    /* The rest of the run replays, and stepping skips the bad epoch. */
    for (size_t e = 0; e < 4; e++) {
        if (e == 2)
            continue;
        cr_assert_eq(replay_snapshot(r, e, &s, msg), ST_OK, "epoch %zu: %s", e, msg);
        snapshot_release(s);
    }
    cr_assert_eq(replay_step_snapshot(r, 1, +1), 3);
    cr_assert_eq(replay_step_snapshot(r, 3, -1), 1);
    cr_assert_eq(replay_step(r, 1, +1), 2, "the series still has epoch 2");
    cr_assert(isfinite(series_get(replay_series(r), "test_acc")[2]));
    replay_free(r);
}

Test(replay, a_missing_snapshot_is_reported, .init = make_run, .fini = drop_run)
{
    char path[1200], msg[STATUS_MSG_LEN];
    path_of(path, sizeof path, "snapshots/epoch-000001.nts");
    cr_assert_eq(unlink(path), 0);
    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_has_snapshot(r, 1), 0);
    cr_assert_eq(replay_clamp(r, 1), 1, "epoch 1 is on the timeline through its metrics");
    Snapshot *s = NULL;
    cr_assert_eq(replay_snapshot(r, 1, &s, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "epoch 1 ") && strstr(msg, "epoch-000001.nts") && strstr(msg, "missing"), "%s", msg);
    ReplayProblem p;
    cr_assert_eq(replay_snapshot_problem(r, 1, &p), 1);
    cr_assert_eq(p.status, ST_ENOTFOUND);
    /* An epoch that is not part of the run is an error but not a problem of the run. */
    cr_assert_eq(replay_snapshot(r, 99, &s, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "not part of the run"), "%s", msg);
    cr_assert_eq(replay_problem_count(r), 1);
    cr_assert_eq(replay_snapshot(r, 0, &s, msg), ST_OK, "%s", msg);
    snapshot_release(s);
    cr_assert_eq(replay_step_snapshot(r, 0, +1), 2);
    replay_free(r);
}

/* metrics.jsonl of the run into buf (cap bytes at most); returns its length. */
static size_t read_metrics(char *buf, size_t cap)
{
    char path[1200];
    size_t len;
    path_of(path, sizeof path, "metrics.jsonl");
    char *data = support_read_file(path, &len);
    cr_assert(len < cap);
    memcpy(buf, data, len + 1);
    free(data);
    return len;
}

static void write_metrics(const char *text, size_t len)
{
    char path[1200];
    path_of(path, sizeof path, "metrics.jsonl");
    support_write_file(path, text, len);
}

/* Where the last line of text (len bytes, ending in a line break) starts. */
static size_t last_line_at(const char *text, size_t len)
{
    size_t at = len - 1;
    while (at > 0 && text[at - 1] != '\n')
        at--;
    return at;
}

Test(replay, a_truncated_last_metrics_line_is_skipped_and_reported, .init = make_run, .fini = drop_run)
{
    static char text[1 << 16];
    size_t len = read_metrics(text, sizeof text);
    size_t keep = last_line_at(text, len) + 25; /* 25 bytes into the epoch-3 line */
    write_metrics(text, keep);

    char msg[STATUS_MSG_LEN];
    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    size_t n;
    replay_epochs(r, &n);
    cr_assert_eq(n, 3, "epochs 0-2 replay");
    cr_assert_eq(replay_series(r)->n, 3);
    cr_assert_eq(replay_problem_count(r), 1);
    ReplayProblem p;
    replay_problem_at(r, 0, &p);
    cr_assert_eq(p.kind, REPLAY_PROBLEM_METRICS);
    cr_assert_eq(p.line, 4);
    cr_assert_eq(p.epoch, 3);
    cr_assert(strstr(p.text, "metrics.jsonl line 4 (epoch 3)") && strstr(p.text, "cut short"), "%s", p.text);
    cr_assert_eq(replay_clamp(r, SIZE_MAX), 3, "epoch 3 still has its snapshot");

    /* The writer finishes the line: a refresh takes it and drops the report. */
    write_metrics(text, len);
    cr_assert_eq(replay_refresh(r, msg), ST_OK, "%s", msg);
    replay_epochs(r, &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(replay_problem_count(r), 0);
    cr_assert_eq(series_get(replay_series(r), "twice_epoch")[3], 6.0);
    replay_free(r);
}

Test(replay, a_last_line_without_its_line_break_and_later_refreshes, .init = make_run, .fini = drop_run)
{
    static char text[1 << 16];
    size_t len = read_metrics(text, sizeof text);
    char msg[STATUS_MSG_LEN];
    Replay *r = NULL;

    /* A crash cut the epoch-3 line: still reported after a refresh that
     * finds nothing new. */
    write_metrics(text, last_line_at(text, len) + 30);
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_problem_count(r), 1);
    cr_assert_eq(replay_refresh(r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_problem_count(r), 1, "the cut line is still reported");
    replay_free(r);

    /* A crash between the text and its line break: the line is whole. */
    write_metrics(text, len - 1);
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    size_t n;
    replay_epochs(r, &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(replay_problem_count(r), 0);
    /* The break arrives, then a fifth line, then a broken sixth one. */
    static char more[1 << 16];
    memcpy(more, text, len);
    size_t m = len;
    m += (size_t)sprintf(more + m, "{\"epoch\":4,\"test_acc\":0.75}\n");
    m += (size_t)sprintf(more + m, "{\"epoch\":5,\"test_acc\":}\n");
    write_metrics(more, len);
    cr_assert_eq(replay_refresh(r, msg), ST_OK, "%s", msg);
    replay_epochs(r, &n);
    cr_assert_eq(n, 4, "the line break alone adds nothing");
    cr_assert_eq(replay_problem_count(r), 0);
    write_metrics(more, m);
    cr_assert_eq(replay_refresh(r, msg), ST_OK, "%s", msg);
    const size_t *ep = replay_epochs(r, &n);
    cr_assert_eq(n, 5);
    cr_assert_eq(ep[4], 4);
    cr_assert_eq(series_get(replay_series(r), "test_acc")[4], 0.75);
    cr_assert_eq(replay_problem_count(r), 1);
    ReplayProblem p;
    replay_problem_at(r, 0, &p);
    cr_assert_eq(p.line, 6, "line numbers survive the refreshes: %s", p.text);
    cr_assert_eq(p.epoch, 5);
    replay_free(r);
}

Test(replay, malformed_middle_lines_are_reported_per_line, .init = make_run, .fini = drop_run)
{
    static char text[1 << 16], out[1 << 16];
    size_t len = read_metrics(text, sizeof text);
    /* Lines: 1 epoch 0, 2 broken epoch-1 JSON, 3 blank, 4 epoch 2,
     * 5 epoch 2 again, 6 an array, 7 epoch 3. */
    char *l1 = strchr(text, '\n') + 1, *l2 = strchr(l1, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    size_t o = 0;
    memcpy(out, text, (size_t)(l1 - text));
    o += (size_t)(l1 - text);
    o += (size_t)sprintf(out + o, "{\"epoch\":1,\"test_acc\":0.5,,}\n\n");
    memcpy(out + o, l2, (size_t)(l3 - l2));
    o += (size_t)(l3 - l2);
    memcpy(out + o, l2, (size_t)(l3 - l2));
    o += (size_t)(l3 - l2);
    o += (size_t)sprintf(out + o, "[1,2]\n");
    memcpy(out + o, l3, len - (size_t)(l3 - text));
    o += len - (size_t)(l3 - text);
    write_metrics(out, o);

    char msg[STATUS_MSG_LEN];
    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    size_t n;
    const size_t *ep = replay_epochs(r, &n);
    cr_assert_eq(n, 3);
    cr_assert(ep[0] == 0 && ep[1] == 2 && ep[2] == 3);
    cr_assert_eq(replay_problem_count(r), 3);
    ReplayProblem p;
    replay_problem_at(r, 0, &p);
    cr_assert_eq(p.line, 2);
    cr_assert_eq(p.epoch, 1);
    cr_assert(strstr(p.text, "line 2 (epoch 1) is not valid JSON (column 27:"), "%s", p.text);
    replay_problem_at(r, 1, &p);
    cr_assert_eq(p.line, 5);
    cr_assert(strstr(p.text, "repeats or goes back to epoch 2 after epoch 2"), "%s", p.text);
    replay_problem_at(r, 2, &p);
    cr_assert_eq(p.line, 6);
    cr_assert_eq(p.epoch, REPLAY_NO_EPOCH);
    cr_assert(strstr(p.text, "line 6 has no \"epoch\""), "%s", p.text);
    /* Epoch 1 keeps its snapshot and stays on the timeline. */
    cr_assert_eq(replay_step(r, 0, 1), 1);
    cr_assert_eq(replay_has_snapshot(r, 1), 1);
    replay_free(r);
}

Test(replay, run_json_errors, .init = make_run, .fini = drop_run)
{
    char path[1200], msg[STATUS_MSG_LEN];
    Replay *r = (Replay *)1;
    path_of(path, sizeof path, "run.json");
    const char *bad = "{\"model\": \"mlp\",\n \"sizes\": [4, 3, 2,]}";
    cr_assert_eq(file_write_atomic(path, bad, strlen(bad), msg), ST_OK);
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_EFORMAT);
    cr_assert_null(r);
    cr_assert(strstr(msg, "run.json line 2, column 20"), "%s", msg);
    cr_assert_eq(file_write_atomic(path, "[1]", 3, msg), ST_OK);
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "not an object"), "%s", msg);

    /* Fields of the wrong type are reported and ignored. */
    const char *odd = "{\"model\": \"mlp\", \"sizes\": [4, 3, 2], \"batch\": \"one\",\n \"lr\": \"fast\", \"seed\": 3}";
    cr_assert_eq(file_write_atomic(path, odd, strlen(odd), msg), ST_OK);
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_info(r)->batch, 0);
    cr_assert(isnan(replay_info(r)->lr));
    cr_assert_eq(replay_info(r)->has_config, 1);
    cr_assert_eq(replay_info(r)->config.seed, 3);
    cr_assert_eq(replay_problem_count(r), 2);
    ReplayProblem p;
    replay_problem_at(r, 1, &p);
    cr_assert_eq(p.kind, REPLAY_PROBLEM_RUN_JSON);
    cr_assert_eq(p.line, 2);
    cr_assert(strstr(p.text, "\"lr\" should be a number"), "%s", p.text);
    replay_free(r);

    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "no run.json"), "%s", msg);
    cr_assert_eq(replay_open("/nonexistent/neurotop", &r, msg), ST_ENOTFOUND);
}

Test(replay, cursor_moves_on_the_timeline)
{
    char root[64], path[200], msg[STATUS_MSG_LEN];
    support_tmpdir_make("cursor", root, sizeof root);
    snprintf(path, sizeof path, "%s/run.json", root);
    cr_assert_eq(file_write_atomic(path, "{}", 2, msg), ST_OK);
    /* Metrics for 0 1 2 5 10; snapshot files (names only) for 1 5 7 10. */
    const char *lines = "{\"epoch\":0}\n{\"epoch\":1}\n{\"epoch\":2}\n{\"epoch\":5}\n{\"epoch\":10}\n";
    snprintf(path, sizeof path, "%s/metrics.jsonl", root);
    cr_assert_eq(file_write_atomic(path, lines, strlen(lines), msg), ST_OK);
    snprintf(path, sizeof path, "%s/snapshots", root);
    cr_assert_eq(file_make_dirs(path, msg), ST_OK);
    const char *names[] = {"epoch-000001.nts", "epoch-000005.nts", "epoch-7.nts", "epoch-000010.nts",
                           "epoch-000003.nts.tmp.42", "notes.txt", "epoch-.nts"};
    for (size_t i = 0; i < 7; i++) {
        snprintf(path, sizeof path, "%s/snapshots/%s", root, names[i]);
        cr_assert_eq(file_write_atomic(path, "x", 1, msg), ST_OK);
    }
    Replay *r = NULL;
    cr_assert_eq(replay_open(root, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_clamp(r, 0), 0);
    cr_assert_eq(replay_clamp(r, 3), 2, "2 is nearer than 5");
    cr_assert_eq(replay_clamp(r, 6), 5, "a tie goes to the lower");
    cr_assert_eq(replay_clamp(r, 7), 7, "a snapshot without metrics is on the timeline");
    cr_assert_eq(replay_clamp(r, 9), 10);
    cr_assert_eq(replay_clamp(r, SIZE_MAX), 10);
    cr_assert_eq(replay_step(r, 0, 2), 2);
    cr_assert_eq(replay_step(r, 2, 1), 5);
    cr_assert_eq(replay_step(r, 5, 1), 7);
    cr_assert_eq(replay_step(r, 7, 100), 10);
    cr_assert_eq(replay_step(r, 10, -1), 7);
    cr_assert_eq(replay_step(r, 4, -1), 2, "from the clamped epoch 5");
    cr_assert_eq(replay_step(r, 5, -100), 0);
    cr_assert_eq(replay_step(r, 5, 0), 5);
    cr_assert_eq(replay_step_snapshot(r, 0, +1), 1);
    cr_assert_eq(replay_step_snapshot(r, 1, +1), 5);
    cr_assert_eq(replay_step_snapshot(r, 6, +1), 7);
    cr_assert_eq(replay_step_snapshot(r, 10, +1), 10, "none after the last");
    cr_assert_eq(replay_step_snapshot(r, 10, -1), 7);
    cr_assert_eq(replay_step_snapshot(r, 1, -1), 1, "none before the first");
    cr_assert_eq(replay_has_snapshot(r, 7), 1);
    cr_assert_eq(replay_has_snapshot(r, 3), 0);
    /* The one-byte files are not snapshots: reported, then skipped by the cursor. */
    Snapshot *s = NULL;
    cr_assert_eq(replay_snapshot(r, 5, &s, msg), ST_EFORMAT);
    cr_assert_eq(replay_step_snapshot(r, 1, +1), 7);
    replay_free(r);
    support_tmpdir_remove(root);
}

Test(replay, refresh_follows_a_growing_run_and_the_cache_is_bounded, .init = make_run, .fini = drop_run)
{
    static char text[1 << 16];
    size_t len = read_metrics(text, sizeof text);
    size_t head = last_line_at(text, len);
    write_metrics(text, head); /* epochs 0-2 written so far */
    char snap3[1200], hidden[1200], msg[STATUS_MSG_LEN];
    path_of(snap3, sizeof snap3, "snapshots/epoch-000003.nts");
    path_of(hidden, sizeof hidden, "epoch3.hidden");
    cr_assert_eq(rename(snap3, hidden), 0);

    Replay *r = NULL;
    cr_assert_eq(replay_open(run.dir, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_clamp(r, SIZE_MAX), 2);
    replay_set_cache(r, 2);
    Snapshot *a = NULL, *b = NULL, *c = NULL, *again = NULL;
    cr_assert_eq(replay_snapshot(r, 0, &a, msg), ST_OK);
    cr_assert_eq(replay_snapshot(r, 1, &b, msg), ST_OK);
    cr_assert_eq(replay_snapshot(r, 2, &c, msg), ST_OK);
    cr_assert_eq(replay_snapshot(r, 0, &again, msg), ST_OK);
    cr_assert_neq(again, a, "epoch 0 left the 2-slot cache and was read again");
    cr_assert_eq(memcmp(again->params, a->params, a->n_params * sizeof(float)), 0);
    snapshot_release(again);
    cr_assert_eq(replay_snapshot(r, 2, &again, msg), ST_OK);
    cr_assert_eq(again, c, "epoch 2 is still cached");
    snapshot_release(again);
    snapshot_release(a);
    snapshot_release(b);
    snapshot_release(c);

    /* Training goes on: epoch 3 appears. */
    cr_assert_eq(rename(hidden, snap3), 0);
    write_metrics(text, len);
    cr_assert_eq(replay_refresh(r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_clamp(r, SIZE_MAX), 3);
    cr_assert_eq(replay_series(r)->n, 4);
    cr_assert_eq(replay_snapshot(r, 3, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a->epoch, 3);
    snapshot_release(a);
    cr_assert_eq(replay_problem_count(r), 0);
    SeriesTable copy;
    cr_assert_eq(replay_copy_series(r, &copy), ST_OK);
    cr_assert_eq(copy.n, 4);
    series_done(&copy);
    replay_free(r);
    replay_free(NULL);
}

Test(epochs, store_first_then_the_run_on_disk, .init = make_run, .fini = drop_run)
{
    char msg[STATUS_MSG_LEN];
    EpochLookup *l = NULL;
    cr_assert_eq(epoch_lookup_new(NULL, NULL, run.dir, &run.data, 6, &l, msg), ST_OK, "%s", msg);
    Snapshot *disk = NULL, *live = store_at_epoch(run.store, 2);
    cr_assert_not_null(live);
    cr_assert_eq(epoch_lookup_get(l, 2, 1, &disk, msg), ST_OK, "%s", msg);
    cr_assert_neq(disk, live, "read from the run directory, not the store");
    cr_assert_eq(disk->n_params, live->n_params);
    cr_assert_eq(memcmp(disk->params, live->params, live->n_params * sizeof(float)), 0);
    cr_assert_eq(disk->n_probe, 6);
    size_t units = live->config.sizes[1] * 6;
    cr_assert_eq(memcmp(disk->acts[0], live->acts[0], units * sizeof(float)), 0,
                 "the probe activations are recomputed exactly");
    snapshot_release(disk);

    Snapshot *none = NULL;
    cr_assert_eq(epoch_lookup_get(l, 9, 0, &none, msg), ST_ENOTFOUND);
    cr_assert_null(none);
    cr_assert(strstr(msg, "epoch 9 is not available") != NULL, "%s", msg);
    epoch_lookup_free(l);

    cr_assert_eq(epoch_lookup_new(run.store, NULL, NULL, NULL, 0, &l, msg), ST_OK);
    Snapshot *mem = NULL;
    cr_assert_eq(epoch_lookup_get(l, 2, 1, &mem, msg), ST_OK, "%s", msg);
    cr_assert_eq(mem, live, "the store's own snapshot");
    snapshot_release(mem);
    cr_assert_eq(epoch_lookup_get(l, 9, 0, &mem, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "keeps no run directory") != NULL, "%s", msg);
    cr_assert_null(epoch_lookup_replay(l, NULL));
    epoch_lookup_free(l);
    snapshot_release(live);
    epoch_lookup_free(NULL);
}
