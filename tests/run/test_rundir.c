/* Regression tests of the run directory's writes: no half-written
 * metrics line and no run folder without run.json when the disk is full,
 * a shared --log file keeps every line, and stale temporaries of killed
 * writers are removed when a run is opened. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "neurotop/core/jsonread.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/store.h"
#include "support/support.h"

TestSuite(rundir, .init = support_tmp_init, .fini = support_tmp_fini);

static const char *RUN_JSON = "{\"model\":\"mlp\",\"sizes\":[4,3,2],\"seed\":1}\n";

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The file-size limit stands for a full disk: writes past it fail with
 * EFBIG (SIGXFSZ ignored, as neurotop's main does). */
static void limit_file_size(rlim_t bytes)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
    rl.rlim_cur = bytes < rl.rlim_max ? bytes : rl.rlim_max; /* the soft limit only: it can be raised again */
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

Test(rundir, a_full_disk_rolls_back_the_line_and_training_goes_on)
{
    char msg[STATUS_MSG_LEN] = "";
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(support_tmp(), "mlp", RUN_JSON, NULL, &rd, msg), ST_OK, "%s", msg);
    Store *store = store_new(2, msg);
    rundir_set_store(rd, store);
    cr_assert_eq(rundir_append_metrics(rd, "{\"epoch\":0,\"examples\":0}", msg), ST_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/metrics.jsonl", rundir_path(rd));
    size_t before = 0;
    free(support_read_file(path, &before));
    /* Room for 10 more bytes: the next 40-byte line cannot fit. */
    limit_file_size(before + 10);
    cr_assert_eq(rundir_append_metrics(rd, "{\"epoch\":1,\"examples\":10,\"test_acc\":0.5}", msg), ST_OK);
    cr_assert(rundir_disk_full(rd));
    char *text = support_read_file(path, NULL);
    cr_assert_str_eq(text, "{\"epoch\":0,\"examples\":0}\n", "the half-written line was not rolled back");
    free(text);
    char news[256];
    store_last_message(store, news, sizeof news);
    cr_assert(strstr(news, "disk full") && strstr(news, "training goes on in memory"), "%s", news);
    /* Room again: the next line is written whole, and the news says what is missing. */
    limit_file_size(RLIM_INFINITY);
    cr_assert_eq(rundir_append_metrics(rd, "{\"epoch\":2,\"examples\":20}", msg), ST_OK);
    cr_assert(!rundir_disk_full(rd));
    text = support_read_file(path, NULL);
    cr_assert_str_eq(text, "{\"epoch\":0,\"examples\":0}\n{\"epoch\":2,\"examples\":20}\n");
    free(text);
    store_last_message(store, news, sizeof news);
    cr_assert(strstr(news, "lacks 1 metrics line and 0 snapshots"), "%s", news);
    rundir_free(rd);
    store_free(store);
}

/* A line cut by a crash is dropped when the file is opened for appending,
 * so the next line is not glued to it. */
Test(rundir, a_cut_last_line_is_dropped_before_appending)
{
    char msg[STATUS_MSG_LEN] = "";
    const char *dir = support_tmp_path("run");
    mkdir(dir, 0755);
    support_write_file(support_tmp_path("run/metrics.jsonl"), "{\"epoch\":0}\n{\"epo", 17);
    RunDir *rd = NULL;
    cr_assert_eq(rundir_open(dir, &rd, msg), ST_OK);
    cr_assert_eq(rundir_append_metrics(rd, "{\"epoch\":1}", msg), ST_OK);
    rundir_free(rd);
    char *text = support_read_file(support_tmp_path("run/metrics.jsonl"), NULL);
    cr_assert_str_eq(text, "{\"epoch\":0}\n{\"epoch\":1}\n");
    free(text);
}

/* A disk full at the start used to leave a run folder without run.json. */
Test(rundir, no_run_folder_without_run_json)
{
    char msg[STATUS_MSG_LEN] = "";
    const char *root = support_tmp_path("runs");
    mkdir(root, 0755);
    limit_file_size(8); /* run.json cannot be written */
    RunDir *rd = NULL;
    cr_assert_neq(rundir_create(root, "mlp", RUN_JSON, NULL, &rd, msg), ST_OK);
    cr_assert_null(rd);
    cr_assert(strstr(msg, "run.json"), "%s", msg);
    limit_file_size(RLIM_INFINITY);
    cr_assert_eq(count_entries(root), 0, "a run folder was left behind");
    /* A hidden half-made folder of a dead process goes at the next run. */
    char stale[1200];
    snprintf(stale, sizeof stale, "%s/.new-mlp.0.999999", root);
    cr_assert_eq(mkdir(stale, 0755), 0);
    cr_assert_eq(rundir_create(root, "mlp", RUN_JSON, NULL, &rd, msg), ST_OK, "%s", msg);
    struct stat sb;
    cr_assert_neq(stat(stale, &sb), 0, "the stale half-made folder is still there");
    char p[1200];
    snprintf(p, sizeof p, "%s/run.json", rundir_path(rd));
    cr_assert_eq(stat(p, &sb), 0);
    rundir_free(rd);
}

/* Two runs sharing --log FILE: every line of both is kept, whole. The log
 * used to be opened with "w" by each, so they overwrote each other. */
Test(rundir, two_runs_share_a_log_file)
{
    const char *log = support_tmp_path("shared.log");
    const int per_run = 300;
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        cr_assert(kids[k] >= 0);
        if (kids[k] == 0) {
            char msg[STATUS_MSG_LEN];
            RunDir *rd = NULL;
            if (rundir_create(support_tmp(), k ? "b" : "a", RUN_JSON, log, &rd, msg))
                _exit(3);
            for (int i = 0; i < per_run; i++) {
                char line[128];
                snprintf(line, sizeof line, "{\"run\":%d,\"epoch\":%d,\"pad\":\"%040d\"}", k, i, i);
                if (rundir_append_metrics(rd, line, msg))
                    _exit(4);
            }
            rundir_free(rd);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status = 0;
        waitpid(kids[k], &status, 0);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    size_t len = 0;
    char *text = support_read_file(log, &len);
    int count[2] = {0, 0};
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        JsonDoc *doc = NULL;
        char msg[STATUS_MSG_LEN];
        cr_assert_eq(json_parse(line, strlen(line), "log", NULL, &doc, msg), ST_OK, "bad line: %s", line);
        const JsonValue *run = json_get(json_doc_root(doc), "run");
        cr_assert_not_null(run);
        count[run->integer ? 1 : 0]++;
        json_doc_free(doc);
    }
    free(text);
    cr_assert_eq(count[0], per_run);
    cr_assert_eq(count[1], per_run);
}

/* A kill -9 during a snapshot write leaves epoch-N.nts.tmp.PID: opening the
 * run removes those of dead processes and keeps a live writer's. */
Test(rundir, stale_temporaries_are_removed_when_a_run_is_opened)
{
    char msg[STATUS_MSG_LEN] = "";
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(support_tmp(), "mlp", RUN_JSON, NULL, &rd, msg), ST_OK);
    char dead[1300], live[1300], other[1300];
    snprintf(dead, sizeof dead, "%s/snapshots/epoch-000003.nts.tmp.999999", rundir_path(rd));
    snprintf(live, sizeof live, "%s/snapshots/epoch-000004.nts.tmp.%ld", rundir_path(rd), (long)getppid());
    snprintf(other, sizeof other, "%s/snapshots/notes.tmp.txt", rundir_path(rd));
    support_write_file(dead, "x", 1);
    support_write_file(live, "x", 1);
    support_write_file(other, "x", 1);
    Replay *r = NULL;
    cr_assert_eq(replay_open(rundir_path(rd), &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(replay_temps_removed(r), 1);
    struct stat sb;
    cr_assert_neq(stat(dead, &sb), 0);
    cr_assert_eq(stat(live, &sb), 0);
    cr_assert_eq(stat(other, &sb), 0);
    replay_free(r);
    rundir_free(rd);
}

/* An empty snapshots/ folder (--save-every 0, or killed before the first
 * snapshot) used to reach qsort(NULL, 0, ...), which UBSan aborts on. */
Test(rundir, replay_of_a_run_with_an_empty_snapshots_folder)
{
    char msg[STATUS_MSG_LEN] = "";
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(support_tmp(), "mlp", RUN_JSON, NULL, &rd, msg), ST_OK);
    cr_assert_eq(rundir_append_metrics(rd, "{\"epoch\":0,\"examples\":0}", msg), ST_OK);
    Replay *r = NULL;
    cr_assert_eq(replay_open(rundir_path(rd), &r, msg), ST_OK, "%s", msg);
    size_t n = 0;
    replay_epochs(r, &n);
    cr_assert_eq(n, 1);
    cr_assert(!replay_has_snapshot(r, 0));
    replay_free(r);
    rundir_free(rd);
}

/* A FIFO as metrics.jsonl used to block replay for ever. */
static void on_alarm(int sig)
{
    (void)sig;
    _exit(99);
}

Test(rundir, a_fifo_in_a_run_folder_does_not_block_replay)
{
    signal(SIGALRM, on_alarm);
    alarm(10);
    char msg[STATUS_MSG_LEN] = "";
    const char *dir = support_tmp_path("fiforun");
    mkdir(dir, 0755);
    support_write_file(support_tmp_path("fiforun/run.json"), RUN_JSON, strlen(RUN_JSON));
    cr_assert_eq(mkfifo(support_tmp_path("fiforun/metrics.jsonl"), 0644), 0);
    Replay *r = NULL;
    cr_assert_eq(replay_open(dir, &r, msg), ST_EINVAL);
    cr_assert(strstr(msg, "FIFO") && strstr(msg, "metrics.jsonl"), "%s", msg);
    alarm(0);
}
