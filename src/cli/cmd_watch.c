/* `neurotop watch DIR`: a run recorded by another framework (PyTorch, JAX,
 * NumPy; docs/external-runs.md) followed as it is written. Each new step
 * file becomes an epoch of neurotop's own run directory under --runs —
 * the weight and activity measures computed as for a native run — and the
 * replay view follows that directory. The watched folder is only read. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/signals.h"
#include "neurotop/core/numparse.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/run/external.h"
#include "neurotop/run/rundir.h"
#include "neurotop/train/publisher.h"

typedef struct {
    const char *dir, *runs, *theme;
    int headless, once;
    size_t qreps;
} WatchArgs;

typedef struct {
    ExternalRun *ext;
    RunDir *rundir;
    Store *store;
    Publisher *pub;
    ModularitySettings mod_settings;
    ModularityMetric *mod;
    ActivitySettings act_settings;
    ActivityMetric *act;
    size_t done;        /* steps converted or skipped, from the start of the list */
    long last_step;     /* the last step converted, -1 before the first */
    int quiet;          /* the view owns the terminal: no lines on stdout */
    atomic_int stop;
    pthread_t thread;
    Status status;
    char msg[STATUS_MSG_LEN];
    /* Skipped steps said on the view's message line (cli_replay_relay_messages). */
    pthread_mutex_t lock;
    char pending[STATUS_MSG_LEN];
    int inotify_fd;     /* -1: polling only */
} Watcher;

static int next_message(void *ctx, char *buf, size_t cap)
{
    Watcher *w = ctx;
    pthread_mutex_lock(&w->lock);
    int have = w->pending[0] != '\0';
    if (have) {
        snprintf(buf, cap, "%s", w->pending);
        w->pending[0] = '\0';
    }
    pthread_mutex_unlock(&w->lock);
    return have;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop watch DIR [--headless] [--once] [--runs DIR] [--qreps N] [--theme T]\n\n"
               "Follows a run that another framework records into DIR: run.json (\"layout\":\n"
               "\"in_by_out\" or \"out_by_in\", optional \"input_shape\": [rows, cols]), one NumPy\n"
               "archive per recorded step, step-NNNNNN.npz (weights W0, W1, ... in layer order;\n"
               "optionally the probe activations act0, act1, ... and labels), written to a\n"
               "temporary name and renamed; optionally metrics.jsonl, one {\"step\": N, ...} a line\n"
               "(accuracy and loss become test_acc and test_loss). Every step becomes an epoch of\n"
               "neurotop's own run directory under --runs, with the weight graph's Q, the weight\n"
               "moments and, with activations, the functional measures; the replay view follows it.\n"
               "DIR is never written to. A step that cannot be read is reported and skipped.\n\n"
               "  --headless      convert without a view, one line per step, until interrupted\n"
               "  --once          convert the steps there are now and exit (with --headless)\n"
               "  --runs DIR      where neurotop's run directory goes (default runs)\n"
               "  --qreps N       Louvain runs per step for Q (default %d, 0 = off)\n"
               "  --theme T       colour theme of the view\n"
               "docs/external-runs.md describes the format, with a PyTorch example.\n",
            QREPS_DEFAULT);
}

static int parse_args(int argc, char **argv, WatchArgs *a)
{
    memset(a, 0, sizeof *a);
    a->runs = "runs";
    a->qreps = QREPS_DEFAULT;
    char msg[STATUS_MSG_LEN];
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(o, "--headless") == 0) {
            a->headless = 1;
        } else if (strcmp(o, "--once") == 0) {
            a->once = 1;
        } else if (strcmp(o, "--runs") == 0 || strcmp(o, "--qreps") == 0 || strcmp(o, "--theme") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "neurotop watch: %s needs a value\n", o);
                return 2;
            }
            const char *v = argv[++i];
            if (o[2] == 'r')
                a->runs = v;
            else if (o[2] == 't')
                a->theme = v;
            else if (num_parse_size(v, 0, QREPS_MAX, o, &a->qreps, msg)) {
                fprintf(stderr, "neurotop watch: %s\n", msg);
                return 2;
            }
        } else if (o[0] == '-') {
            fprintf(stderr, "neurotop watch: unknown option '%s' (see neurotop watch --help)\n", o);
            return 2;
        } else if (a->dir) {
            fprintf(stderr, "neurotop watch: one folder at a time ('%s' is one too many)\n", o);
            return 2;
        } else {
            a->dir = o;
        }
    }
    if (!a->dir) {
        fprintf(stderr, "neurotop watch: name the folder the run is recorded in (see --help)\n");
        return 2;
    }
    if (a->once && !a->headless) {
        fprintf(stderr, "neurotop watch: --once goes with --headless (the view follows the run)\n");
        return 2;
    }
    return -1;
}

/* The run directory and the publisher, from the first step that loads. */
static Status watcher_start(Watcher *w, const WatchArgs *a, const Snapshot *first, char *msg)
{
    char json[4096];
    external_run_json(w->ext, first, json, sizeof json);
    Status st = rundir_create(a->runs, "external", json, NULL, &w->rundir, msg);
    if (!st && !(w->store = store_new(2, msg)))
        st = ST_ENOMEM;
    if (!st)
        st = publisher_new(w->store, w->rundir, 1, &w->pub, msg);
    atomic_init(&w->mod_settings.qreps, (int)a->qreps);
    activity_settings_init(&w->act_settings, 1, 20);
    if (!st)
        st = modularity_metric_new(&w->mod_settings, 0, &w->mod, msg);
    if (!st)
        st = activity_metric_new(&w->act_settings, 0, &w->act, msg);
    if (!st && (publisher_add_metric(w->pub, metrics_epoch_weights, NULL) ||
                publisher_add_metric(w->pub, modularity_metric_epoch, w->mod) ||
                publisher_add_metric(w->pub, activity_metric_epoch, w->act)))
        st = status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
    if (!st)
        st = publisher_start(w->pub, msg);
    return st;
}

/* Convert the steps listed since the last call; returns how many. */
static Status watcher_step(Watcher *w, const WatchArgs *a, size_t *converted, char *msg)
{
    *converted = 0;
    size_t n = 0;
    Status st = external_scan(w->ext, &n, msg);
    if (st)
        return st;
    for (size_t i = 0; i < n && !st; i++) {
        size_t step = external_step(w->ext, i);
        if ((long)step <= w->last_step)
            continue;
        Snapshot *s = NULL;
        char why[STATUS_MSG_LEN];
        if (external_load(w->ext, step, &s, why)) {
            /* A file written in place (not renamed) may be read half-way:
             * wait until it has not changed for a second. */
            char path[1200];
            struct stat sb;
            snprintf(path, sizeof path, "%s/step-%06zu.npz", external_dir(w->ext), step);
            if (stat(path, &sb) == 0 && difftime(time(NULL), sb.st_mtime) < 2)
                break;
            /* A broken step is said once and passed over. */
            if (!w->quiet) {
                printf("step %zu skipped: %s\n", step, why);
                fflush(stdout);
            } else {
                pthread_mutex_lock(&w->lock);
                snprintf(w->pending, sizeof w->pending, "step %zu skipped: %.200s", step, why);
                pthread_mutex_unlock(&w->lock);
            }
            w->last_step = (long)step;
            continue;
        }
        if (!w->pub && (st = watcher_start(w, a, s, msg))) {
            snapshot_release(s);
            break;
        }
        w->last_step = (long)step;
        if (!w->quiet) {
            printf("step %zu: %zu layers, %zu probe items", step, s->config.n_layers, s->n_probe);
            printf(" -> %s\n", rundir_path(w->rundir));
            fflush(stdout);
        }
        st = publisher_submit(w->pub, s, msg);
        (*converted)++;
    }
    return st;
}

static void nap(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Until the folder changes (inotify: a file renamed in or written) or
 * half a second passes; without inotify (a network file system may not
 * have it) a fifth of a second. */
static void wait_for_change(Watcher *w)
{
    if (w->inotify_fd < 0) {
        nap(0.2);
        return;
    }
    struct pollfd p = {.fd = w->inotify_fd, .events = POLLIN};
    if (poll(&p, 1, 500) > 0) {
        char events[4096];
        while (read(w->inotify_fd, events, sizeof events) > 0)
            ;
    }
}

typedef struct {
    Watcher *w;
    const WatchArgs *a;
} ThreadArg;

static void *watch_thread(void *p)
{
    ThreadArg *t = p;
    while (!atomic_load(&t->w->stop) && !t->w->status) {
        size_t n;
        t->w->status = watcher_step(t->w, t->a, &n, t->w->msg);
        wait_for_change(t->w);
    }
    return NULL;
}

static void watcher_done(Watcher *w)
{
    if (w->pub) {
        char msg[STATUS_MSG_LEN];
        Status st = publisher_finish(w->pub, msg);
        if (st && !w->status) {
            w->status = st;
            memcpy(w->msg, msg, sizeof msg);
        }
    }
    publisher_free(w->pub);
    modularity_metric_free(w->mod);
    activity_metric_free(w->act);
    store_free(w->store);
    rundir_free(w->rundir);
    external_free(w->ext);
}

int cli_watch_main(int argc, char **argv)
{
    WatchArgs a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    Watcher w;
    memset(&w, 0, sizeof w);
    w.last_step = -1;
    pthread_mutex_init(&w.lock, NULL);
    w.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.inotify_fd >= 0 && inotify_add_watch(w.inotify_fd, a.dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        close(w.inotify_fd);
        w.inotify_fd = -1;
    }
    char msg[STATUS_MSG_LEN] = "";
    Status st = external_open(a.dir, &w.ext, msg);
    if (st) {
        fprintf(stderr, "neurotop watch: %s\n", msg);
        return status_exit_code(st);
    }
    signals_install();
    /* Until the first step exists there is no network to show. */
    int waiting_said = 0;
    while (!st && !w.pub && !signals_pending()) {
        size_t n;
        st = watcher_step(&w, &a, &n, msg);
        if (st || w.pub)
            break;
        if (a.once) {
            st = status_fail(msg, ST_EINVAL, "%s has no readable step-NNNNNN.npz yet", a.dir);
            break;
        }
        if (!waiting_said++)
            printf("waiting for the first step in %s (Ctrl-C stops)\n", a.dir);
        fflush(stdout);
        wait_for_change(&w);
    }
    if (!st && w.pub && a.headless && !a.once) {
        while (!st && !signals_pending()) {
            size_t n;
            st = watcher_step(&w, &a, &n, msg);
            wait_for_change(&w);
        }
    } else if (!st && w.pub && !a.headless) {
        /* The view: this thread runs the replay of neurotop's run
         * directory, which follows it; another converts new steps. */
        w.quiet = 1;
        atomic_init(&w.stop, 0);
        ThreadArg t = {&w, &a};
        cli_replay_relay_messages(next_message, &w);
        if (pthread_create(&w.thread, NULL, watch_thread, &t) == 0) {
            char a0[] = "replay", a1[1100], a2[] = "--theme", a3[256];
            snprintf(a1, sizeof a1, "%s", rundir_path(w.rundir));
            snprintf(a3, sizeof a3, "%s", a.theme ? a.theme : "default");
            char *rargv[] = {a0, a1, a2, a3, NULL};
            code = cli_replay_main(a.theme ? 4 : 2, rargv);
            atomic_store(&w.stop, 1);
            pthread_join(w.thread, NULL);
            cli_replay_relay_messages(NULL, NULL);
        } else {
            st = status_fail(msg, ST_EINTERNAL, "cannot start the watching thread");
        }
    }
    char dir[1100] = "";
    if (w.rundir)
        snprintf(dir, sizeof dir, "%s", rundir_path(w.rundir));
    watcher_done(&w);
    if (w.inotify_fd >= 0)
        close(w.inotify_fd);
    pthread_mutex_destroy(&w.lock);
    if (!st && w.status) {
        st = w.status;
        memcpy(msg, w.msg, sizeof msg);
    }
    if (st) {
        fprintf(stderr, "neurotop watch: %s\n", msg);
        return status_exit_code(st);
    }
    if (a.headless)
        printf("%s: run directory %s\n", signals_pending() ? "stopped" : "done", dir);
    if (!a.headless)
        return code;
    return signals_pending() ? 130 : 0;
}
