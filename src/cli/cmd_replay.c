/* `neurotop replay RUN_DIR`: walk a recorded run in the same TUI, without
 * training. */
#include <locale.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/config.h"
#include "neurotop/cli/signals.h"
#include "neurotop/core/fileio.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/train/control.h"
#include "neurotop/run/external.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/rundir.h"
#include "neurotop/tui/app.h"
#include "neurotop/tui/commands.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/theme.h"

/* Following a run that is still training, like tail -f: a thread reads
 * the run folder twice a second (replay_refresh reads only what is new)
 * and, when epochs arrive, posts a message to the store, which wakes the
 * view; the view then copies the longer series from the replay. */
typedef struct {
    Replay *replay;
    Store *store;
    atomic_int stop;
    pthread_t thread;
} Follower;

/* Messages from whoever writes the run (neurotop watch), relayed to the
 * view's message line by the follower. */
static int (*relay_fn)(void *ctx, char *buf, size_t cap);
static void *relay_ctx;

void cli_replay_relay_messages(int (*next)(void *ctx, char *buf, size_t cap), void *ctx)
{
    relay_fn = next;
    relay_ctx = ctx;
}

static void *follow_main(void *arg)
{
    Follower *f = arg;
    /* replay_clamp(r, SIZE_MAX) is the last epoch, or SIZE_MAX while there is none. */
    size_t last = replay_clamp(f->replay, SIZE_MAX);
    while (!atomic_load(&f->stop)) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        for (int i = 0; i < 5 && !atomic_load(&f->stop); i++)
            nanosleep(&ts, NULL);
        char text[STATUS_MSG_LEN];
        while (relay_fn && relay_fn(relay_ctx, text, sizeof text))
            store_post_message(f->store, "%s", text);
        if (atomic_load(&f->stop) || replay_refresh(f->replay, NULL) != ST_OK)
            continue;
        size_t now = replay_clamp(f->replay, SIZE_MAX);
        if (now != SIZE_MAX && (last == SIZE_MAX || now > last)) {
            store_post_message(f->store, "▶ following the run: epoch %zu was written (End shows it)", now);
            last = now;
        }
    }
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop replay RUN_DIR [--lesson FILE] [--theme T]\n\n"
               "Opens a run directory (runs/<time>-<model>/ or sample-runs/NAME) in the live view\n"
               "without training. Keys: ←/→ (or p/n) one epoch, Home/End first/last, Space plays\n"
               "(:speed X epochs a second), :goto EPOCH; the : analyses run on the shown epoch and\n"
               "save their results under the run's analyses/. Missing or corrupted snapshot files\n"
               "are reported for their epoch; the rest of the run still replays. A run that\n"
               "is still training is followed: its new epochs appear as they are written.\n\n"
               "Options:\n"
               "  --lesson FILE    walk a lesson with Enter (format: docs/lessons.md)\n"
               "  --theme T        colours: default, mono, high-contrast, gruvbox-dark or a file\n"
               "                   (default: theme in ~/.config/neurotop/config, else default)\n");
}

/* The `:` commands that train, which a replay refuses. */
static const char *const TRAINING_COMMANDS[] = {"step", "run", "pause", "lr", "save", "set", "epochs", NULL};

static int lesson_has_snapshot(void *ctx, size_t epoch)
{
    return replay_has_snapshot(ctx, epoch);
}

/* A lesson command must be one the replay runs, with good arguments. */
static int lesson_command_ok(void *ctx, const char *command, int *needs_snapshot, char *why, size_t cap)
{
    (void)ctx;
    *needs_snapshot = 0;
    char line[LESSON_COMMAND_LEN], *words[16];
    snprintf(line, sizeof line, "%s", command);
    int n = commands_split(line, words, 16);
    if (n <= 0) {
        snprintf(why, cap, "the command ':%s' has too many words", command);
        return 1;
    }
    for (size_t i = 0; TRAINING_COMMANDS[i]; i++)
        if (strcmp(words[0], TRAINING_COMMANDS[i]) == 0) {
            snprintf(why, cap, "':%s' trains, and a replay does not", words[0]);
            return 1;
        }
    const AnalysisSpec *spec = analysis_find_command(words[0]);
    if (spec) {
        AnalysisArgs a;
        char msg[STATUS_MSG_LEN];
        params_defaults(spec->uses, spec->n_uses, &a);
        if (params_parse_words(spec->command, spec->uses, spec->n_uses, n, (const char *const *)words, &a, msg)) {
            snprintf(why, cap, "%s", msg);
            return 1;
        }
        *needs_snapshot = 1;
        return 0;
    }
    for (size_t i = 0; i < commands_count(); i++)
        if (strcmp(commands_name(i), words[0]) == 0)
            return 0;
    snprintf(why, cap, "unknown command ':%s' (:help in the replay lists the commands)", words[0]);
    return 1;
}

/* `neurotop watch DIR` with its run directory in the cache
 * ($XDG_CACHE_HOME/neurotop/external/NAME-HASH, emptied first: the folder
 * is converted afresh each time). */
static int replay_external(const char *dir, const char *theme)
{
    char cache[2 * PATH_MAX + 16];
    if (rundir_cache_path("external", dir, cache, sizeof cache) != 0) {
        fprintf(stderr, "neurotop replay: %s is recorded outside neurotop and neither XDG_CACHE_HOME nor HOME names "
                        "a cache folder to convert it into (neurotop watch DIR --runs FOLDER does it)\n", dir);
        return 2;
    }
    file_remove_tree(cache);
    char a0[] = "watch", a2[] = "--runs", a4[] = "--theme";
    char *a1 = strdup(dir), *a3 = strdup(cache), *a5 = strdup(theme);
    int code = 1;
    if (a1 && a3 && a5) {
        char *argv[] = {a0, a1, a2, a3, a4, a5, NULL};
        code = cli_watch_main(6, argv);
    }
    free(a1);
    free(a3);
    free(a5);
    return code;
}

int cli_replay_main(int argc, char **argv)
{
    const char *dir = NULL, *theme_name = "default", *lesson_path = NULL;
    /* The configuration file's theme, unless --theme overrides it. */
    static UserConfig config;
    char msg[STATUS_MSG_LEN] = "";
    if (config_load_unless_help(argc, argv, &config, msg)) {
        fprintf(stderr, "neurotop replay: %s\n", msg);
        return 2;
    }
    int theme_line = 0;
    const char *config_theme = config_get(&config, "theme", &theme_line);
    if (config_theme)
        theme_name = config_theme;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--theme") == 0 || strcmp(argv[i], "--lesson") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "neurotop replay: option %s needs a value\n", argv[i]);
                return 2;
            }
            if (strcmp(argv[i], "--theme") == 0)
                theme_name = argv[++i];
            else
                lesson_path = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "neurotop replay: unknown option '%s' (see --help)\n", argv[i]);
            return 2;
        } else if (!dir) {
            dir = argv[i];
        } else {
            fprintf(stderr, "neurotop replay: one run directory at a time ('%s' is one too many)\n", argv[i]);
            return 2;
        }
    }
    if (!dir) {
        fprintf(stderr, "neurotop replay: name a run directory (see --help)\n");
        return 2;
    }
    /* A run recorded by another framework: converted into the cache, then
     * shown as `neurotop watch` shows it. */
    if (external_is_run(dir) && !lesson_path)
        return replay_external(dir, theme_name);
    Theme theme;
    Status st = theme_load_named(theme_name, &theme, msg);
    if (st && theme_name == config_theme) {
        char why[STATUS_MSG_LEN];
        memcpy(why, msg, sizeof why);
        st = status_fail(msg, st, "%s:%d: %s", config.path, theme_line, why);
    }
    Replay *r = NULL;
    if (!st)
        st = replay_open(dir, &r, msg);
    Lesson *lesson = NULL;
    if (!st && lesson_path) {
        st = lesson_load(lesson_path, &lesson, msg);
        size_t n_epochs = 0;
        const size_t *epochs = replay_epochs(r, &n_epochs);
        const char *panes[32];
        size_t n_panes = 0;
        for (size_t i = 0; i < pane_registry_count && n_panes < 32; i++)
            panes[n_panes++] = pane_registry[i]->name;
        LessonContext lc = {
            .panes = panes,
            .n_panes = n_panes,
            .epochs = epochs,
            .n_epochs = n_epochs,
            .has_snapshot = lesson_has_snapshot,
            .check_command = lesson_command_ok,
            .ctx = r,
        };
        if (!st)
            st = lesson_check(lesson, lesson_path, &lc, msg);
    }
    if (st) {
        fprintf(stderr, "neurotop replay: %s\n", msg);
        lesson_free(lesson);
        replay_free(r);
        return status_exit_code(st);
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "neurotop replay: the replay view needs a terminal (neurotop check %s reads every epoch "
                        "without one).\n", dir);
        lesson_free(lesson);
        replay_free(r);
        return 2;
    }
    setlocale(LC_CTYPE, ""); /* numbers stay in the C locale: metrics.jsonl must be valid JSON */
    const ReplayInfo *info = replay_info(r);
    /* The data set brings the probe activations back; without it the
     * weight-based panes still replay. */
    Dataset *data = NULL;
    char data_msg[STATUS_MSG_LEN] = "";
    /* A generated set (the familiarity task) is regenerated from run.json. */
    Status dst = replay_open_data(r, &data, data_msg);
    if (dst == ST_OK)
        replay_attach_data(r, data, info->probe, data_msg);
    /* IP/ID for the information jobs (:info, :corr), computed on first use. */
    PixelInfo *pixels = NULL;
    if (data && pixel_info_new(data, &pixels, data_msg))
        pixels = NULL;
    char model[96];
    int n = snprintf(model, sizeof model, "%s ", info->model);
    for (size_t l = 0; l < info->config.n_layers && n < (int)sizeof model; l++)
        n += snprintf(model + n, sizeof model - (size_t)n, l ? "-%zu" : "%zu", info->config.sizes[l]);
    /* Analyses of replayed epochs are saved in the run's analyses/. */
    RunDir *rundir = NULL;
    if (rundir_open(dir, &rundir, data_msg))
        rundir = NULL;
    Store *store = store_new(2, msg);
    Control control;
    control_init(&control, 1, info->lr);
    signals_install();
    if (store) {
        AppConfig ac = {
            .store = store,
            .control = &control,
            .model = model,
            .data = info->data,
            .seed = info->seed,
            .theme = theme_name,
            .stop_requested = signals_pending,
            .replay = r,
            .dataset = data,
            .pixel_info = pixels,
            .rundir = rundir,
            .lesson = lesson,
        };
        Follower fol = {.replay = r, .store = store};
        atomic_init(&fol.stop, 0);
        int following = pthread_create(&fol.thread, NULL, follow_main, &fol) == 0;
        st = app_run(&ac, msg);
        if (following) {
            atomic_store(&fol.stop, 1);
            pthread_join(fol.thread, NULL);
        }
    } else {
        st = ST_ENOMEM;
    }
    control_done(&control);
    store_free(store);
    rundir_free(rundir);
    pixel_info_free(pixels);
    dataset_free(data);
    replay_free(r);
    lesson_free(lesson);
    if (st) {
        fprintf(stderr, "neurotop replay: %s\n", msg);
        return status_exit_code(st);
    }
    return 0;
}
