/* `neurotop check RUN_DIR`: read a run directory the way replay does —
 * run.json, every metrics.jsonl line, every snapshot file — without a
 * terminal, and say what is damaged: one line per problem and exit 2, or
 * one summary line and exit 0. The fault tests use it, and so can anyone
 * handed a run folder. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/cli/commands.h"
#include "neurotop/run/replay.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop check RUN_DIR\n\n"
               "Reads a run directory as replay does: run.json, every line of metrics.jsonl and\n"
               "every snapshot file under snapshots/ (checksums, shapes, the epoch it holds).\n"
               "Prints one line per problem and exits with status 2 when anything is damaged;\n"
               "prints one summary line and exits 0 when the run is sound. Temporary files of\n"
               "writes cut short by a crash (NAME.tmp.PID of a process that is gone) are\n"
               "removed first, as replay does.\n");
}

int cli_check_main(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "neurotop check: unknown option '%s' (see --help)\n", argv[i]);
            return 2;
        } else if (!dir) {
            dir = argv[i];
        } else {
            fprintf(stderr, "neurotop check: one run directory at a time ('%s' is one too many)\n", argv[i]);
            return 2;
        }
    }
    if (!dir) {
        fprintf(stderr, "neurotop check: name a run directory (see --help)\n");
        return 2;
    }
    char msg[STATUS_MSG_LEN] = "";
    Replay *r = NULL;
    Status st = replay_open(dir, &r, msg);
    if (st) {
        fprintf(stderr, "neurotop check: %s\n", msg);
        return status_exit_code(st);
    }
    /* Every epoch on the timeline (metrics lines and snapshot files); a
     * snapshot that fails to load is recorded as a problem of the replay. */
    size_t n_epochs = 0, loaded = 0, last = SIZE_MAX;
    replay_epochs(r, &n_epochs);
    size_t e = replay_clamp(r, 0);
    if (e != SIZE_MAX || replay_clamp(r, SIZE_MAX) != SIZE_MAX) {
        last = replay_clamp(r, SIZE_MAX);
        for (;;) {
            if (replay_has_snapshot(r, e)) {
                Snapshot *s = NULL;
                if (replay_snapshot(r, e, &s, msg) == ST_OK)
                    loaded++;
                else if (replay_snapshot_problem(r, e, NULL) == 0)
                    printf("%s\n", msg); /* not recorded (out of memory): still a problem */
                snapshot_release(s);
            }
            size_t next = replay_step(r, e, 1);
            if (next == e)
                break;
            e = next;
        }
    }
    size_t problems = replay_problem_count(r);
    for (size_t i = 0; i < problems; i++) {
        ReplayProblem p;
        if (replay_problem_at(r, i, &p))
            printf("%s\n", p.text);
    }
    size_t removed = replay_temps_removed(r);
    char extra[96] = "";
    if (removed)
        snprintf(extra, sizeof extra, "; removed %zu stale temporary file%s", removed, removed == 1 ? "" : "s");
    int code = 0;
    if (problems) {
        printf("%s is damaged: %zu problem%s (%zu metrics lines, %zu snapshots loaded)%s\n", replay_dir(r),
               problems, problems == 1 ? "" : "s", n_epochs, loaded, extra);
        code = 2;
    } else if (last == SIZE_MAX) {
        printf("%s is sound but empty: run.json only, no epoch recorded%s\n", replay_dir(r), extra);
    } else {
        printf("%s is sound: %zu metrics lines, %zu snapshots loaded, last epoch %zu%s\n", replay_dir(r),
               n_epochs, loaded, last, extra);
    }
    replay_free(r);
    return code;
}
