/* `neurotop sweep SPEC`: list a sweep's tasks, run one (--task I, what a
 * Slurm array task or a GNU parallel line calls), run them all here J at a
 * time, or write the Slurm job array or the GNU parallel command list. A
 * task that is done is skipped, one that was cut off is resumed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/signals.h"
#include "neurotop/cli/sweep.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/numparse.h"
#include "neurotop/core/strbuf.h"
#include "sweep_internal.h"

typedef enum { MODE_RUN = 0, MODE_LIST, MODE_TASK, MODE_SLURM, MODE_PARALLEL } SweepMode;

typedef struct {
    const char *spec, *runs;
    SweepMode mode;
    size_t task, jobs, max, cpus;
    const char *mem, *time, *partition, *account;
} SweepArgs;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: neurotop sweep SPEC [--list | --task I | --jobs J | --slurm | --parallel] [--runs DIR]\n\n"
            "Trains a grid of headless runs described by the sweep file SPEC: `key = value` lines\n"
            "where a key is a `neurotop train` option without its dashes and a value is one value,\n"
            "a list [a, b, \"c,d\"] or a range of whole numbers A..B (both ends included); `name`\n"
            "names the sweep (default: the file's name) and `runs` the folder it goes in. Tasks\n"
            "are the product of the values, numbered from 0 with the last key varying fastest.\n"
            "Each task's run directory is <runs>/<name>/task-NNNN/; a finished task is skipped\n"
            "and one that was cut off resumes from its last snapshot, so running a sweep again\n"
            "finishes it.\n\n"
            "  --list            print the tasks, one a line, with their state\n"
            "  --task I          run task I in this process (what Slurm and GNU parallel call)\n"
            "  --jobs J          run every unfinished task here, J at a time (default: cores)\n"
            "  --runs DIR        the folder the sweep folder goes in (default: the file's\n"
            "                    `runs`, else runs/sweeps)\n"
            "  --slurm           write <runs>/<name>/sweep.slurm, a job array of the unfinished\n"
            "                    tasks to submit with sbatch; with\n"
            "    --max M         at most M tasks at once (%%M on the array)\n"
            "    --cpus C        CPUs per task (default 1)\n"
            "    --mem SIZE      memory per task, as Slurm writes it (default 2G)\n"
            "    --time LIMIT    time limit per task, as Slurm writes it (default 12:00:00)\n"
            "    --partition P   --account A   passed on to Slurm\n"
            "  --parallel        write <runs>/<name>/sweep.parallel, one command a line for GNU\n"
            "                    parallel (also across SSH hosts with --sshloginfile, when they\n"
            "                    share the sweep folder's file system)\n\n"
            "With none of --list, --task, --slurm and --parallel the sweep runs here.\n"
            "A task that gets SIGTERM (Slurm's preemption or time limit) stops after its epoch and\n"
            "resumes from there when run again.\n");
}

/* A value written into the Slurm script: no quotes, spaces or newlines. */
static int slurm_word(const char *v)
{
    if (!v[0])
        return 0;
    for (const char *c = v; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("_.,:-+", *c)))
            return 0;
    return 1;
}

static int parse_args(int argc, char **argv, SweepArgs *a)
{
    memset(a, 0, sizeof *a);
    a->cpus = 1;
    a->mem = "2G";
    a->time = "12:00:00";
    char msg[STATUS_MSG_LEN];
    int modes = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        Status st = ST_OK;
        if (strcmp(o, "--list") == 0 || strcmp(o, "--slurm") == 0 || strcmp(o, "--parallel") == 0) {
            a->mode = o[2] == 'l' ? MODE_LIST : o[2] == 's' ? MODE_SLURM : MODE_PARALLEL;
            modes++;
            continue;
        }
        if (o[0] != '-') {
            if (a->spec) {
                fprintf(stderr, "neurotop sweep: one sweep file at a time ('%s' is one too many)\n", o);
                return 2;
            }
            a->spec = o;
            continue;
        }
        static const char *const VALUED[] = {"--task", "--jobs", "--runs", "--max", "--cpus", "--mem",
                                             "--time", "--partition", "--account"};
        int known = 0;
        for (size_t k = 0; k < sizeof VALUED / sizeof VALUED[0]; k++)
            known |= strcmp(o, VALUED[k]) == 0;
        if (!known) {
            fprintf(stderr, "neurotop sweep: unknown option '%s' (see neurotop sweep --help)\n", o);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "neurotop sweep: %s needs a value\n", o);
            return 2;
        }
        const char *v = argv[++i];
        if (strcmp(o, "--task") == 0) {
            st = num_parse_size(v, 0, SWEEP_MAX_TASKS - 1, o, &a->task, msg);
            a->mode = MODE_TASK;
            modes++;
        } else if (strcmp(o, "--jobs") == 0) {
            st = num_parse_size(v, 1, 1024, o, &a->jobs, msg);
        } else if (strcmp(o, "--max") == 0) {
            st = num_parse_size(v, 1, 100000, o, &a->max, msg);
        } else if (strcmp(o, "--cpus") == 0) {
            st = num_parse_size(v, 1, 1024, o, &a->cpus, msg);
        } else if (strcmp(o, "--runs") == 0) {
            a->runs = v;
        } else {
            if (!slurm_word(v))
                st = status_fail(msg, ST_EINVAL, "%s takes letters, digits and _.,:-+ only, not '%s'", o, v);
            if (strcmp(o, "--mem") == 0)
                a->mem = v;
            else if (strcmp(o, "--time") == 0)
                a->time = v;
            else if (strcmp(o, "--partition") == 0)
                a->partition = v;
            else
                a->account = v;
        }
        if (st) {
            fprintf(stderr, "neurotop sweep: %s\n", msg);
            return 2;
        }
    }
    if (!a->spec) {
        fprintf(stderr, "neurotop sweep: name a sweep file (see neurotop sweep --help)\n");
        return 2;
    }
    if (modes > 1) {
        fprintf(stderr, "neurotop sweep: give one of --list, --task, --slurm and --parallel\n");
        return 2;
    }
    return -1;
}

static void print_list(const SweepSpec *s, const SweepFolder *f)
{
    size_t count[3] = {0, 0, 0};
    const char *argv[2 * SWEEP_MAX_KEYS];
    for (size_t t = 0; t < s->n_tasks; t++) {
        SweepTaskState st = sweep_task_state(f, t, NULL, 0);
        count[st]++;
        printf("%4zu  %-7s", t, sweep_task_state_name(st));
        size_t n = sweep_task_args(s, t, argv, 2 * SWEEP_MAX_KEYS);
        for (size_t i = 0; i < n; i++)
            printf(" %s", argv[i]);
        printf("\n");
    }
    printf("sweep %s: %zu task%s (%zu done, %zu started, %zu new) in %s\n", s->name, s->n_tasks,
           s->n_tasks == 1 ? "" : "s",
           count[SWEEP_TASK_DONE], count[SWEEP_TASK_STARTED], count[SWEEP_TASK_NEW], f->dir);
}

/* The unfinished tasks as Slurm's array list: "0-3,7,9-12". */
static size_t unfinished_ranges(const SweepSpec *s, const SweepFolder *f, StrBuf *b)
{
    size_t n = 0;
    for (size_t t = 0; t < s->n_tasks;) {
        if (sweep_task_state(f, t, NULL, 0) == SWEEP_TASK_DONE) {
            t++;
            continue;
        }
        size_t end = t;
        while (end + 1 < s->n_tasks && sweep_task_state(f, end + 1, NULL, 0) != SWEEP_TASK_DONE)
            end++;
        strbuf_printf(b, "%s%zu", n ? "," : "", t);
        if (end > t)
            strbuf_printf(b, "-%zu", end);
        n += end - t + 1;
        t = end + 1;
    }
    return n;
}

/* A path in single quotes for sh ('\'' for a quote). */
static void put_quoted(StrBuf *b, const char *s)
{
    strbuf_append(b, "'");
    for (const char *c = s; *c; c++)
        strbuf_append(b, *c == '\'' ? "'\\''" : (char[2]){*c, 0});
    strbuf_append(b, "'");
}

static int self_and_spec(const char *spec, char *exe, size_t cap, char **spec_abs)
{
    ssize_t n = readlink("/proc/self/exe", exe, cap - 1);
    if (n <= 0) {
        fprintf(stderr, "neurotop sweep: cannot find this program's path: %s\n", strerror(errno));
        return 1;
    }
    exe[n] = '\0';
    *spec_abs = realpath(spec, NULL);
    if (!*spec_abs) {
        fprintf(stderr, "neurotop sweep: cannot resolve %s: %s\n", spec, strerror(errno));
        return 1;
    }
    return 0;
}

/* One task's command line, as written into the scripts, run from the
 * folder the script was written in (a relative --data in the sweep file
 * means the same there). */
static void put_task_command(StrBuf *b, const char *exe, const char *spec, const SweepFolder *f, const char *task)
{
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) {
        strbuf_append(b, "cd ");
        put_quoted(b, cwd);
        strbuf_append(b, " && ");
    }
    /* exec: Slurm's warning signal (--signal=B:TERM) reaches neurotop. */
    strbuf_append(b, "exec ");
    put_quoted(b, exe);
    strbuf_append(b, " sweep ");
    put_quoted(b, spec);
    strbuf_append(b, " --runs ");
    put_quoted(b, f->root);
    strbuf_printf(b, " --task %s", task);
}

static int write_script(const SweepArgs *a, const SweepSpec *s, const SweepFolder *f)
{
    char exe[1024], *spec = NULL, msg[STATUS_MSG_LEN];
    if (self_and_spec(a->spec, exe, sizeof exe, &spec))
        return 1;
    StrBuf ranges, b;
    strbuf_init(&ranges);
    strbuf_init(&b);
    size_t left = unfinished_ranges(s, f, &ranges);
    char path[1200];
    Status st = ST_OK;
    if (left == 0) {
        printf("sweep %s: all %zu tasks are done (%s); nothing to submit\n", s->name, s->n_tasks, f->dir);
    } else if (a->mode == MODE_SLURM) {
        char out_dir[1200];
        snprintf(out_dir, sizeof out_dir, "%s/slurm", f->dir);
        st = file_make_dirs(out_dir, msg);
        strbuf_printf(&b, "#!/bin/bash\n# neurotop sweep %s: %zu of its %zu tasks (written by neurotop sweep "
                          "--slurm; submit with sbatch).\n",
                      s->name, left, s->n_tasks);
        strbuf_printf(&b, "#SBATCH --job-name=neurotop-%s\n#SBATCH --array=%s", s->name, ranges.data);
        if (a->max)
            strbuf_printf(&b, "%%%zu", a->max);
        strbuf_printf(&b, "\n#SBATCH --cpus-per-task=%zu\n#SBATCH --mem=%s\n#SBATCH --time=%s\n", a->cpus, a->mem,
                      a->time);
        if (a->partition)
            strbuf_printf(&b, "#SBATCH --partition=%s\n", a->partition);
        if (a->account)
            strbuf_printf(&b, "#SBATCH --account=%s\n", a->account);
        strbuf_printf(&b, "#SBATCH --output=%s/%%A_%%a.out\n", out_dir);
        /* SIGTERM two minutes before the limit: the task ends its epoch and
         * a re-submitted sweep resumes it. */
        strbuf_append(&b, "#SBATCH --signal=B:TERM@120\n#SBATCH --requeue\n"
                          "export OPENBLAS_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
        put_task_command(&b, exe, spec, f, "\"$SLURM_ARRAY_TASK_ID\"");
        strbuf_append(&b, "\n");
        snprintf(path, sizeof path, "%s/sweep.slurm", f->dir);
    } else {
        for (size_t t = 0; t < s->n_tasks; t++) {
            if (sweep_task_state(f, t, NULL, 0) == SWEEP_TASK_DONE)
                continue;
            char num[32];
            snprintf(num, sizeof num, "%zu", t);
            strbuf_append(&b, "export OPENBLAS_NUM_THREADS=1; ");
            put_task_command(&b, exe, spec, f, num);
            strbuf_append(&b, "\n");
        }
        snprintf(path, sizeof path, "%s/sweep.parallel", f->dir);
    }
    if (!st && left && strbuf_failed(&b))
        st = status_fail(msg, ST_ENOMEM, "out of memory writing the script");
    if (!st && left)
        st = file_write_atomic(path, b.data, b.len, msg);
    if (!st && left && a->mode == MODE_SLURM && chmod(path, 0755) != 0)
        st = status_fail(msg, ST_EIO, "cannot make %s executable: %s", path, strerror(errno));
    if (!st && left) {
        printf("wrote %s: %zu of %zu tasks\n", path, left, s->n_tasks);
        if (a->mode == MODE_SLURM)
            printf("submit with: sbatch %s\n", path);
        else
            printf("run with: parallel --jobs %zu --joblog %s/parallel.log < %s\n"
                   "across hosts sharing this folder: parallel --sshloginfile HOSTS --joblog %s/parallel.log < %s\n",
                   a->jobs ? a->jobs : 2, f->dir, path, f->dir, path);
    }
    strbuf_done(&ranges);
    strbuf_done(&b);
    free(spec);
    if (st) {
        fprintf(stderr, "neurotop sweep: %s\n", msg);
        return status_exit_code(st);
    }
    return 0;
}

typedef struct {
    pid_t pid;
    size_t task;
    struct timespec start;
} Child;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static pid_t start_task(const char *exe, const char *spec, const SweepFolder *f, size_t task)
{
    char dir[1200], log[1300], num[32];
    sweep_task_dir(f, task, dir, sizeof dir);
    snprintf(log, sizeof log, "%s/log.txt", dir);
    snprintf(num, sizeof num, "%zu", task);
    char msg[STATUS_MSG_LEN];
    if (file_make_dirs(dir, msg))
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    const char *words[] = {"neurotop", "sweep", spec, "--runs", f->root, "--task", num};
    char **args = sweep_argv_dup(words, 7);
    if (args)
        execv(exe, args);
    _exit(127);
}

/* Every unfinished task in child processes, J at a time. */
static int run_all(const SweepArgs *a, const SweepSpec *s, const SweepFolder *f)
{
    char exe[1024], *spec = NULL;
    if (self_and_spec(a->spec, exe, sizeof exe, &spec))
        return 1;
    size_t jobs = a->jobs;
    if (!jobs) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores > 0 ? (size_t)cores : 1;
    }
    size_t *todo = malloc(s->n_tasks * sizeof *todo);
    Child *kids = calloc(jobs, sizeof *kids);
    if (!todo || !kids) {
        free(todo);
        free(kids);
        free(spec);
        fprintf(stderr, "neurotop sweep: out of memory\n");
        return 1;
    }
    size_t n_todo = 0, already = 0;
    for (size_t t = 0; t < s->n_tasks; t++) {
        if (sweep_task_state(f, t, NULL, 0) == SWEEP_TASK_DONE)
            already++;
        else
            todo[n_todo++] = t;
    }
    printf("sweep %s: %zu tasks, %zu done already, %zu to run %zu at a time, in %s\n", s->name, s->n_tasks,
           already, n_todo, jobs, f->dir);
    signals_install();
    size_t next = 0, running = 0, finished = 0, failed = 0;
    while (next < n_todo || running) {
        while (!signals_pending() && running < jobs && next < n_todo) {
            size_t slot = 0;
            while (kids[slot].pid)
                slot++;
            pid_t pid = start_task(exe, spec, f, todo[next]);
            if (pid < 0) {
                fprintf(stderr, "neurotop sweep: cannot start task %zu: %s\n", todo[next], strerror(errno));
                failed++;
                next++;
                continue;
            }
            kids[slot] = (Child){.pid = pid, .task = todo[next++]};
            clock_gettime(CLOCK_MONOTONIC, &kids[slot].start);
            running++;
        }
        if (!running)
            break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR && signals_pending())
                for (size_t k = 0; k < jobs; k++)
                    if (kids[k].pid)
                        kill(kids[k].pid, SIGTERM);
            continue;
        }
        for (size_t k = 0; k < jobs; k++) {
            if (kids[k].pid != pid)
                continue;
            char label[512], dir[1200];
            sweep_task_label(s, kids[k].task, label, sizeof label);
            sweep_task_dir(f, kids[k].task, dir, sizeof dir);
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            finished++;
            if (code == 0) {
                printf("[%zu/%zu] task %zu%s%s: done in %.1f s\n", finished, n_todo, kids[k].task,
                       label[0] ? " " : "", label, since(&kids[k].start));
            } else {
                failed += code != 130;
                printf("[%zu/%zu] task %zu%s%s: %s (exit %d) after %.1f s, see %s/log.txt\n", finished, n_todo,
                       kids[k].task, label[0] ? " " : "", label, code == 130 ? "interrupted" : "failed", code,
                       since(&kids[k].start), dir);
            }
            fflush(stdout);
            kids[k].pid = 0;
            running--;
        }
    }
    size_t left = 0;
    for (size_t t = 0; t < s->n_tasks; t++)
        left += sweep_task_state(f, t, NULL, 0) != SWEEP_TASK_DONE;
    printf("sweep %s: %zu of %zu tasks done", s->name, s->n_tasks - left, s->n_tasks);
    if (left)
        printf("; %zu left (%zu failed): run the same command again to finish", left, failed);
    printf("\n");
    free(todo);
    free(kids);
    free(spec);
    if (signals_pending())
        return 130;
    return left ? 1 : 0;
}

int cli_sweep_main(int argc, char **argv)
{
    SweepArgs a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    char msg[STATUS_MSG_LEN] = "";
    SweepSpec *s = NULL;
    Status st = sweep_spec_load(a.spec, &s, msg);
    if (!st)
        st = sweep_spec_check(s, a.spec, msg);
    if (!st && a.mode == MODE_TASK && a.task >= s->n_tasks)
        st = status_fail(msg, ST_EINVAL, "--task %zu is out of range: %s has tasks 0 to %zu", a.task, a.spec,
                         s->n_tasks - 1);
    SweepFolder f;
    if (!st)
        st = sweep_folder_open(s, a.runs ? a.runs : s->runs ? s->runs : "runs/sweeps", a.mode != MODE_LIST, &f,
                               msg);
    if (st) {
        fprintf(stderr, "neurotop sweep: %s\n", msg);
        sweep_spec_free(s);
        return status_exit_code(st);
    }
    switch (a.mode) {
    case MODE_LIST:
        print_list(s, &f);
        code = 0;
        break;
    case MODE_TASK:
        code = sweep_run_task(s, &f, a.task);
        break;
    case MODE_SLURM:
    case MODE_PARALLEL:
        code = write_script(&a, s, &f);
        break;
    default:
        code = run_all(&a, s, &f);
    }
    sweep_spec_free(s);
    return code;
}
