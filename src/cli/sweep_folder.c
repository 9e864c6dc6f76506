/* The sweep folder: where a sweep's tasks live, what state each is in, and
 * running one task (sweep_internal.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/options.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"
#include "sweep_internal.h"

void sweep_task_dir(const SweepFolder *f, size_t task, char *out, size_t cap)
{
    snprintf(out, cap, "%s/task-%04zu", f->dir, task);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The run directory inside a task folder (a folder holding run.json),
 * the newest by name when there are several; 0 when none. */
static int find_run(const char *task_dir, char *out, size_t cap)
{
    DIR *d = opendir(task_dir);
    if (!d)
        return 0;
    char best[256] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, "abandoned-", 10) == 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s/run.json", task_dir, e->d_name);
        if (is_file(path) && strlen(e->d_name) < sizeof best && strcmp(e->d_name, best) > 0)
            snprintf(best, sizeof best, "%s", e->d_name);
    }
    closedir(d);
    if (!best[0])
        return 0;
    snprintf(out, cap, "%s/%s", task_dir, best);
    return 1;
}

SweepTaskState sweep_task_state(const SweepFolder *f, size_t task, char *run, size_t cap)
{
    char dir[1200], path[1300];
    sweep_task_dir(f, task, dir, sizeof dir);
    if (run && cap)
        run[0] = '\0';
    snprintf(path, sizeof path, "%s/done", dir);
    if (is_file(path)) {
        if (run)
            find_run(dir, run, cap);
        return SWEEP_TASK_DONE;
    }
    char found[2048];
    if (find_run(dir, found, sizeof found)) {
        if (run)
            snprintf(run, cap, "%s", found);
        return SWEEP_TASK_STARTED;
    }
    return SWEEP_TASK_NEW;
}

const char *sweep_task_state_name(SweepTaskState s)
{
    return s == SWEEP_TASK_DONE ? "done" : s == SWEEP_TASK_STARTED ? "started" : "new";
}

/* The lines of sweep.tsv: one per task, its index, label and options. */
static Status task_table(const SweepSpec *s, StrBuf *b, char *msg)
{
    strbuf_append(b, "task\tlabel\toptions\n");
    const char *argv[2 * SWEEP_MAX_KEYS];
    for (size_t t = 0; t < s->n_tasks; t++) {
        char label[512];
        sweep_task_label(s, t, label, sizeof label);
        strbuf_printf(b, "%zu\t%s\t", t, label);
        size_t n = sweep_task_args(s, t, argv, 2 * SWEEP_MAX_KEYS);
        for (size_t i = 0; i < n; i++)
            strbuf_printf(b, "%s%s", i ? " " : "", argv[i]);
        strbuf_append(b, "\n");
    }
    return strbuf_failed(b) ? status_fail(msg, ST_ENOMEM, "out of memory listing the tasks") : ST_OK;
}

Status sweep_folder_open(const SweepSpec *s, const char *runs, int create, SweepFolder *f, char *msg)
{
    memset(f, 0, sizeof *f);
    Status st = create ? file_make_dirs(runs, msg) : ST_OK;
    if (st)
        return st;
    char *abs = realpath(runs, NULL);
    if (!abs && (create || errno != ENOENT))
        return status_fail(msg, ST_EIO, "cannot resolve %s: %s", runs, strerror(errno));
    int n = snprintf(f->root, sizeof f->root, "%s", abs ? abs : runs);
    free(abs);
    if (n < 0 || (size_t)n >= sizeof f->root || snprintf(f->dir, sizeof f->dir, "%s/%s", f->root, s->name) >=
                                                     (int)sizeof f->dir)
        return status_fail(msg, ST_EINVAL, "the sweep folder's path under %s is too long", runs);
    if (create && (st = file_make_dirs(f->dir, msg)))
        return st;
    /* The tasks a folder was started with stay its tasks: a changed file
     * would give old task folders new meanings. */
    StrBuf b;
    strbuf_init(&b);
    st = task_table(s, &b, msg);
    char path[1200];
    snprintf(path, sizeof path, "%s/sweep.tsv", f->dir);
    char *old = NULL;
    size_t old_len = 0;
    if (!st && is_file(path)) {
        st = file_read_all(path, (size_t)1 << 30, &old, &old_len, msg);
        if (!st && (old_len != b.len || memcmp(old, b.data, old_len) != 0))
            st = status_fail(msg, ST_EINVAL,
                             "%s was started with other tasks than this sweep file gives (see its sweep.tsv): "
                             "give the sweep another name or --runs folder",
                             f->dir);
    } else if (!st && create) {
        st = file_write_atomic(path, b.data, b.len, msg);
    }
    free(old);
    strbuf_done(&b);
    return st;
}

/* Move a run that cannot be resumed (no snapshot yet) out of the way. */
static Status abandon_run(const char *run, char *msg)
{
    char to[2100];
    const char *base = strrchr(run, '/') + 1;
    snprintf(to, sizeof to, "%.*sabandoned-%s", (int)(base - run), run, base);
    if (rename(run, to) != 0)
        return status_fail(msg, ST_EIO, "cannot move %s aside: %s", run, strerror(errno));
    return ST_OK;
}

/* 1 when the run has a snapshot file to resume from. */
static int has_snapshot(const char *run)
{
    char dir[2100];
    snprintf(dir, sizeof dir, "%s/snapshots", run);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        found = n > 4 && strcmp(e->d_name + n - 4, ".nts") == 0;
    }
    closedir(d);
    return found;
}

static int task_epochs(const SweepSpec *s, size_t task, size_t *epochs)
{
    const char *argv[2 + 2 * SWEEP_MAX_KEYS] = {"train", "--headless"};
    size_t n = sweep_task_args(s, task, argv + 2, 2 * SWEEP_MAX_KEYS);
    char **words = sweep_argv_dup(argv, n + 2);
    RunOptions o;
    options_defaults(&o, 20);
    char msg[STATUS_MSG_LEN];
    int ok = words && !options_parse((int)n + 2, words, 1, &o, 1, msg) && !options_finish(&o, msg);
    free(words);
    if (ok)
        *epochs = o.epochs;
    return ok;
}

int sweep_run_task(const SweepSpec *s, const SweepFolder *f, size_t task)
{
    char dir[1200], label[512], msg[STATUS_MSG_LEN];
    sweep_task_dir(f, task, dir, sizeof dir);
    sweep_task_label(s, task, label, sizeof label);
    Status st = file_make_dirs(dir, msg);
    if (st) {
        fprintf(stderr, "neurotop sweep: %s\n", msg);
        return status_exit_code(st);
    }
    /* One process per task at a time (a requeued Slurm task and a local
     * re-run must not write the same run); the lock goes with the process. */
    char lock_path[1300];
    snprintf(lock_path, sizeof lock_path, "%s/.lock", dir);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "neurotop sweep: task %zu is being run by another process (%s is locked)\n", task,
                lock_path);
        if (lock >= 0)
            close(lock);
        return 1;
    }
    char run[2048];
    SweepTaskState state = sweep_task_state(f, task, run, sizeof run);
    if (state == SWEEP_TASK_DONE) {
        printf("task %zu%s%s: done already (%s)\n", task, label[0] ? " " : "", label, run[0] ? run : dir);
        close(lock);
        return 0;
    }
    if (state == SWEEP_TASK_STARTED && !has_snapshot(run)) {
        printf("task %zu: %s has no snapshot to resume from; starting the task again\n", task, run);
        if ((st = abandon_run(run, msg))) {
            fprintf(stderr, "neurotop sweep: %s\n", msg);
            close(lock);
            return status_exit_code(st);
        }
        state = SWEEP_TASK_NEW;
    }
    size_t epochs = 0;
    if (!task_epochs(s, task, &epochs) || epochs == 0) {
        fprintf(stderr, "neurotop sweep: task %zu needs --epochs of at least 1 (a sweep's tasks must end)\n", task);
        close(lock);
        return 2;
    }
    /* Cut off after its last epoch, before `done` was written. */
    int complete = state == SWEEP_TASK_STARTED && sweep_run_complete(run, epochs);
    if (complete)
        printf("task %zu%s%s: %s has all its %zu epochs\n", task, label[0] ? " " : "", label, run, epochs);
    char epochs_text[32];
    snprintf(epochs_text, sizeof epochs_text, "%zu", epochs);
    const char *argv[8 + 2 * SWEEP_MAX_KEYS] = {"train", "--headless"};
    size_t n = 2;
    if (complete) {
        /* nothing to train */
    } else if (state == SWEEP_TASK_STARTED) {
        printf("task %zu%s%s: resuming %s\n", task, label[0] ? " " : "", label, run);
        argv[n++] = "--resume";
        argv[n++] = run;
        argv[n++] = "--epochs";
        argv[n++] = epochs_text;
    } else {
        printf("task %zu%s%s: starting in %s\n", task, label[0] ? " " : "", label, dir);
        argv[n++] = "--runs";
        argv[n++] = dir;
        n += sweep_task_args(s, task, argv + n, 2 * SWEEP_MAX_KEYS);
    }
    fflush(stdout);
    char **words = sweep_argv_dup(argv, n);
    if (!words) {
        fprintf(stderr, "neurotop sweep: out of memory\n");
        close(lock);
        return 1;
    }
    /* options_parse keeps pointers into the words: they live until the
     * run has ended. */
    int code = complete ? 0 : cli_train_main((int)n, words);
    free(words);
    if (code == 0) {
        char done[1300], found[2048] = "";
        find_run(dir, found, sizeof found);
        snprintf(done, sizeof done, "%s/done", dir);
        const char *base = found[0] ? strrchr(found, '/') + 1 : "";
        char text[300];
        int len = snprintf(text, sizeof text, "%s\n", base);
        if ((st = file_write_atomic(done, text, (size_t)len, msg))) {
            fprintf(stderr, "neurotop sweep: %s\n", msg);
            code = status_exit_code(st);
        } else {
            code = 0;
        }
    }
    close(lock);
    return code;
}

int sweep_run_complete(const char *run, size_t epochs)
{
    char path[2100];
    snprintf(path, sizeof path, "%s/metrics.jsonl", run);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    /* The last line names the last epoch: "{"epoch":N,...". */
    char line[256];
    long last = -1;
    int c, col = 0;
    while ((c = fgetc(fp)) != EOF) {
        if (c == '\n') {
            line[col < (int)sizeof line ? col : (int)sizeof line - 1] = '\0';
            const char *e = strstr(line, "\"epoch\":");
            if (e)
                last = strtol(e + 8, NULL, 10);
            col = 0;
        } else if (col < (int)sizeof line - 1) {
            line[col++] = (char)c;
        }
    }
    fclose(fp);
    return last >= 0 && (size_t)last >= epochs;
}
