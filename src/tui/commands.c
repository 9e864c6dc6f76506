/* The `:` commands: one table; :help and Tab completion come from it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands_internal.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/numparse.h"
#include "neurotop/run/export.h"
#include "neurotop/tui/commands.h"

#define MAX_ARGS 8

typedef Status (*CommandFn)(App *app, int argc, char **argv, char *msg);

static Status cmd_step(App *app, int argc, char **argv, char *msg);
static Status cmd_run(App *app, int argc, char **argv, char *msg);
static Status cmd_pause(App *app, int argc, char **argv, char *msg);
static Status cmd_lr(App *app, int argc, char **argv, char *msg);
static Status cmd_save(App *app, int argc, char **argv, char *msg);
static Status cmd_theme(App *app, int argc, char **argv, char *msg);
static Status cmd_zoom(App *app, int argc, char **argv, char *msg);
static Status cmd_help(App *app, int argc, char **argv, char *msg);
static Status cmd_quit(App *app, int argc, char **argv, char *msg);
static Status cmd_set(App *app, int argc, char **argv, char *msg);
static Status cmd_results(App *app, int argc, char **argv, char *msg);
static Status cmd_goto(App *app, int argc, char **argv, char *msg);
static Status cmd_export(App *app, int argc, char **argv, char *msg);
static Status cmd_export_all(App *app, int argc, char **argv, char *msg);
static Status cmd_speed(App *app, int argc, char **argv, char *msg);
static Status cmd_epochs(App *app, int argc, char **argv, char *msg);

/* X(name, min args, max args, handler, usage, help) */
#define COMMAND_LIST(X)                                                                    \
    X("step", 0, 1, cmd_step, "step [N]", "train N more epochs (default 1), then pause")    \
    X("run", 0, 0, cmd_run, "run", "resume training")                                       \
    X("pause", 0, 0, cmd_pause, "pause", "pause training between mini-batches")             \
    X("lr", 1, 1, cmd_lr, "lr X", "set the learning rate (0 < X <= 100)")                   \
    X("epochs", 1, 1, cmd_epochs, "epochs N", "stop training after epoch N (0 = no limit)")  \
    X("save", 0, 1, cmd_save, "save [FILE]", "write the latest snapshot (.nts) to the run") \
    X("results", 0, 0, cmd_results, "results", "show the last analysis result again (r)")   \
    X("export", 0, 0, cmd_export, "export", "the focused pane's data as CSV/gnuplot/PGM in exports/") \
    X("export-all", 0, 0, cmd_export_all, "export-all", "every series of the run as CSV + gnuplot")  \
    X("goto", 1, 1, cmd_goto, "goto EPOCH", "show a recorded epoch (live: End returns)")     \
    X("speed", 1, 1, cmd_speed, "speed X", "replay: Space plays X epochs a second (2)")       \
    X("set", 2, 2, cmd_set, "set qreps|flexreps|windows N",                                 \
      "live Q runs, live flexibility runs (0 = off), flexibility windows") \
    X("theme", 1, 1, cmd_theme, "theme NAME", "switch colours: default, mono, ...")          \
    X("zoom", 0, 1, cmd_zoom, "zoom [PANE]", "show one pane full screen (again: back)")     \
    X("help", 0, 0, cmd_help, "help", "keys and commands")                                  \
    X("quit", 0, 0, cmd_quit, "quit", "stop training and leave (also :q)")                  \
    X("q", 0, 0, cmd_quit, "q", "same as :quit")

typedef struct {
    const char *name;
    int min_args, max_args;
    CommandFn fn;
    const char *usage, *help;
} Command;

static const Command COMMANDS[] = {
#define COMMAND_ENTRY(name, lo, hi, fn, usage, help) {name, lo, hi, fn, usage, help},
    COMMAND_LIST(COMMAND_ENTRY)
#undef COMMAND_ENTRY
};
#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

/* The help order: the training commands up to :save, then the analyses,
 * then the rest of COMMAND_LIST. */
#define N_BEFORE_ANALYSES 6

static size_t n_analysis_commands(void)
{
    size_t n = 0;
    for (size_t i = 0; i < analysis_spec_count; i++)
        n += analysis_specs[i].command != NULL;
    return n;
}

/* The k-th analysis that has a command. */
static const AnalysisSpec *analysis_command_at(size_t k)
{
    for (size_t i = 0; i < analysis_spec_count; i++)
        if (analysis_specs[i].command && k-- == 0)
            return &analysis_specs[i];
    return NULL;
}

/* Entry i of the help order: a COMMANDS row, or NULL and the analysis. */
static const Command *command_at(size_t i, const AnalysisSpec **spec)
{
    size_t na = n_analysis_commands();
    *spec = NULL;
    if (i < N_BEFORE_ANALYSES)
        return &COMMANDS[i];
    if (i < N_BEFORE_ANALYSES + na) {
        *spec = analysis_command_at(i - N_BEFORE_ANALYSES);
        return NULL;
    }
    i -= na;
    return i < N_COMMANDS ? &COMMANDS[i] : NULL;
}

size_t commands_count(void)
{
    return N_COMMANDS + n_analysis_commands();
}

const char *commands_name(size_t i)
{
    const AnalysisSpec *a;
    const Command *c = command_at(i, &a);
    return c ? c->name : a ? a->command : NULL;
}

const char *commands_usage(size_t i)
{
    static char usage[64][96];
    const AnalysisSpec *a;
    const Command *c = command_at(i, &a);
    if (c || !a)
        return c ? c->usage : NULL;
    /* Made from the parameter table the first time it is asked for. */
    char *u = usage[i % 64];
    if (!u[0])
        params_usage(a->command, a->uses, a->n_uses, u, sizeof usage[0]);
    return u;
}

const char *commands_help(size_t i)
{
    const AnalysisSpec *a;
    const Command *c = command_at(i, &a);
    return c ? c->help : a ? a->help : NULL;
}

int commands_split(char *line, char **argv, int max)
{
    int argc = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (argc == max)
            return -1;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return argc;
}

static Status cmd_step(App *app, int argc, char **argv, char *msg)
{
    long n = 1;
    if (argc > 1) {
        Status st = num_parse_long(argv[1], 1, 100000, "the number of epochs", &n, msg);
        if (st)
            return st;
    }
    app_train_more(app, (size_t)n); /* past the epoch limit, it moves the limit */
    return ST_OK;
}

static Status cmd_epochs(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    long n;
    Status st = num_parse_long(argv[1], 0, 100000000, "the epoch limit", &n, msg);
    return st ? st : app_set_epoch_limit(app, (size_t)n, msg);
}

static Status cmd_run(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv, (void)msg;
    app_train_run(app);
    return ST_OK;
}

static Status cmd_pause(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv, (void)msg;
    app_train_pause(app);
    return ST_OK;
}

static Status cmd_lr(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    double lr;
    Status st = num_parse_real(argv[1], 0, 100, 1, "the learning rate", &lr, msg);
    if (st)
        return st;
    control_set_lr(app->cfg.control, lr);
    if (app_at_epoch_limit(app))
        app_message(app, 0, "learning rate %g for the next epochs (the run is at its limit: n or :epochs N trains on)",
                    lr);
    else
        app_message(app, 0, "learning rate %g from the next mini-batch", lr);
    return ST_OK;
}

static Status cmd_save(App *app, int argc, char **argv, char *msg)
{
    if (!app->cfg.rundir)
        return status_fail(msg, ST_EINVAL, "this session has no run directory to save into");
    control_request_save(app->cfg.control, argc > 1 ? argv[1] : NULL);
    app_message(app, 0, "saving…");
    return ST_OK;
}

static Status cmd_theme(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    Status st = app_set_theme(app, argv[1], msg);
    if (!st)
        app_message(app, 0, "theme %s", app->theme.name);
    return st;
}

static Status cmd_zoom(App *app, int argc, char **argv, char *msg)
{
    if (argc > 1) {
        for (size_t i = 0; i < app->n_panes; i++)
            if (strcmp(app->panes[i].ops->name, argv[1]) == 0) {
                app->focus = i;
                app->zoomed = 1;
                return ST_OK;
            }
        char names[256] = "";
        size_t len = 0;
        for (size_t i = 0; i < app->n_panes && len < sizeof names; i++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", app->panes[i].ops->name);
        return status_fail(msg, ST_EINVAL, "no pane named '%s' (panes: %s)", argv[1], names);
    }
    app->zoomed = !app->zoomed;
    return ST_OK;
}

static Status cmd_help(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv, (void)msg;
    app->help_visible = 1;
    app->help_scroll = 0;
    return ST_OK;
}

static Status cmd_quit(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv, (void)msg;
    app->quit = 1;
    return ST_OK;
}

static Status cmd_results(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv;
    if (!app->result)
        return status_fail(msg, ST_EINVAL, "no analysis result yet: try :louvain");
    app->result_visible = 1;
    return ST_OK;
}

/* RUN/exports/, created on demand. */
static Status export_dir(App *app, char *dir, size_t cap, char *msg)
{
    if (!app->cfg.rundir)
        return status_fail(msg, ST_EINVAL, "this session has no run directory to export into");
    /* A shipped or read-only run exports to the per-user cache. */
    Status st = rundir_output_dir(app->cfg.rundir, "exports", dir, cap, msg);
    return st ? st : file_make_dirs(dir, msg);
}

/* Paths in the message stay as written (relative to the folder neurotop
 * was started in, or absolute), so a printed command works from there;
 * long messages wrap. */
static void report_written(App *app, const char *written)
{
    app_message(app, 0, "wrote %s", written);
}

static Status cmd_export(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv;
    const PaneSlot *p = &app->panes[app->focus];
    if (!p->ops->export_data)
        return status_fail(msg, ST_EINVAL, "the %s pane has nothing to export (Tab focuses another)", p->ops->name);
    char dir[1100], base[1200], written[1024] = "";
    Status st = export_dir(app, dir, sizeof dir, msg);
    if (st)
        return st;
    size_t epoch = app->snap ? app->snap->epoch : 0;
    snprintf(base, sizeof base, "%s/epoch-%06zu-%s", dir, epoch, p->ops->name);
    PaneView view = app_pane_view(app);
    if ((st = p->ops->export_data(p->state, &view, base, written, sizeof written, msg)))
        return st;
    report_written(app, written);
    return ST_OK;
}

static Status cmd_export_all(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv;
    char dir[1100], csv[1200], gp[1200], written[4096] = "";
    Status st = export_dir(app, dir, sizeof dir, msg);
    if (st)
        return st;
    if (app->series.n == 0)
        return status_fail(msg, ST_EINVAL, "there is no series to export yet");
    snprintf(csv, sizeof csv, "%s/series.csv", dir);
    snprintf(gp, sizeof gp, "%s/series.gp", dir);
    size_t figures = 0;
    if ((st = export_series_csv(&app->series, csv, msg)) ||
        (st = export_gnuplot_groups(&app->series, csv, gp, &figures, msg)))
        return st;
    snprintf(written, sizeof written, "%s; `gnuplot %s` draws %zu figures, %s/series-GROUP.svg", csv, gp, figures,
             dir);
    report_written(app, written);
    return ST_OK;
}

static Status cmd_goto(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    long e;
    Status st = num_parse_long(argv[1], 0, 100000000, "the epoch", &e, msg);
    if (st)
        return st;
    if (app->series.n == 0)
        return status_fail(msg, ST_EINVAL, "no epoch has been recorded yet");
    size_t last = (size_t)app->series.epoch[app->series.n - 1];
    if ((size_t)e > last)
        return status_fail(msg, ST_EINVAL, "epoch %ld is past the end: the last recorded epoch is %zu", e, last);
    app_goto_epoch(app, (size_t)e);
    if (app->browsing && app->view_epoch != (size_t)e)
        app_message(app, 0, "epoch %ld was not recorded: showing epoch %zu, the next one", e, app->view_epoch);
    return ST_OK;
}

static Status cmd_speed(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    double x;
    Status st = num_parse_real(argv[1], 0.1, 100, 0, "the speed (epochs per second)", &x, msg);
    if (st)
        return st;
    app->play_speed = x;
    if (app->cfg.replay)
        app_message(app, 0, "replay speed %g epochs/s", x);
    else
        app_message(app, 0, "replay speed %g epochs/s: :speed sets how fast a replay plays (neurotop replay DIR); "
                            "a live run trains as fast as it can", x);
    return ST_OK;
}

/* :set flexreps N and :set windows L: the live flexibility (metrics_activity.h). */
static Status set_activity(App *app, char **argv, char *msg)
{
    int windows = strcmp(argv[1], "windows") == 0;
    long n;
    Status st = num_parse_long(argv[2], windows ? 2 : 0, windows ? FC_WINDOWS_MAX : FLEXREPS_MAX, argv[1], &n, msg);
    if (st)
        return st;
    if (!app->cfg.activity)
        return status_fail(msg, ST_EINVAL, "this session computes no per-epoch flexibility");
    atomic_store(windows ? &app->cfg.activity->windows : &app->cfg.activity->flexreps, (int)n);
    if (windows)
        app_message(app, 0, "live flexibility: %ld slices (epochs, or windows of a stream) from the next epoch", n);
    else if (n)
        app_message(app, 0, "live flexibility: best of %ld Louvain runs from the next epoch", n);
    else
        app_message(app, 0, "live flexibility off");
    return ST_OK;
}

static Status cmd_set(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    if (strcmp(argv[1], "flexreps") == 0 || strcmp(argv[1], "windows") == 0)
        return set_activity(app, argv, msg);
    if (strcmp(argv[1], "qreps") != 0)
        return status_fail(msg, ST_EINVAL, "unknown setting '%s' (settings: qreps, flexreps, windows)", argv[1]);
    long n;
    Status st = num_parse_long(argv[2], 0, QREPS_MAX, "qreps", &n, msg);
    if (st)
        return st;
    if (!app->cfg.modularity)
        return status_fail(msg, ST_EINVAL, "this session computes no per-epoch modularity");
    atomic_store(&app->cfg.modularity->qreps, (int)n);
    app_message(app, 0, n ? "live Q: best of %ld Louvain runs from the next epoch" : "live Q off%.0ld", n ? n : 0L);
    return ST_OK;
}

void app_run_command(App *app, const char *line)
{
    char buf[LINEEDIT_MAX_BYTES + 1];
    snprintf(buf, sizeof buf, "%s", line);
    char *argv[MAX_ARGS];
    int argc = commands_split(buf, argv, MAX_ARGS);
    if (argc == 0)
        return;
    if (argc < 0) {
        app_message(app, 1, "too many words: a command takes at most %d arguments", MAX_ARGS - 1);
        return;
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const Command *c = &COMMANDS[i];
        if (strcmp(c->name, argv[0]) != 0)
            continue;
        if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
            app_message(app, 1, "usage: :%s", c->usage);
            return;
        }
        char msg[STATUS_MSG_LEN] = "";
        if (app->cfg.replay && (c->fn == cmd_step || c->fn == cmd_run || c->fn == cmd_pause ||
                                c->fn == cmd_lr || c->fn == cmd_save || c->fn == cmd_set || c->fn == cmd_epochs)) {
            app_message(app, 1, ":%s trains, and a replay does not: use ←/→, :goto or Space", c->name);
            return;
        }
        if (c->fn(app, argc, argv, msg))
            app_message(app, 1, "%s", msg);
        return;
    }
    const AnalysisSpec *spec = analysis_find_command(argv[0]);
    if (spec) {
        char msg[STATUS_MSG_LEN] = "";
        if (cmd_analysis(app, spec, argc, argv, msg))
            app_message(app, 1, "%s", msg);
        return;
    }
    for (size_t i = 0; i < app->n_panes; i++) {
        const PaneOps *ops = app->panes[i].ops;
        if (!ops->command || strcmp(ops->name, argv[0]) != 0)
            continue;
        char msg[STATUS_MSG_LEN] = "", reply[256] = "";
        PaneView view = app_pane_view(app);
        if (ops->command(app->panes[i].state, &view, argc, argv, reply, sizeof reply, msg))
            app_message(app, 1, "%s", msg);
        else
            app_message(app, 0, "%s", reply);
        return;
    }
    app_message(app, 1, "unknown command ':%s' (:help lists them)", argv[0]);
}

void app_complete(void *ctx, const char *line, size_t word_start, LineCompletions *out)
{
    App *app = ctx;
    if (word_start == 0) {
        for (size_t i = 0; i < commands_count(); i++)
            lineedit_add_candidate(out, commands_name(i));
        for (size_t i = 0; i < app->n_panes; i++)
            if (app->panes[i].ops->command)
                lineedit_add_candidate(out, app->panes[i].ops->name);
        return;
    }
    char command[32];
    size_t n = strcspn(line, " ");
    snprintf(command, sizeof command, "%.*s", (int)(n < sizeof command ? n : sizeof command - 1), line);
    if (strcmp(command, "theme") == 0) {
        char names[32][THEME_NAME_LEN];
        size_t k = theme_list_names(names, 32);
        for (size_t i = 0; i < k; i++)
            lineedit_add_candidate(out, names[i]);
        return;
    }
    if (strcmp(command, "set") == 0) {
        lineedit_add_candidate(out, "qreps");
        lineedit_add_candidate(out, "flexreps");
        lineedit_add_candidate(out, "windows");
        return;
    }
    if (strcmp(command, "zoom") == 0) {
        for (size_t i = 0; i < app->n_panes; i++)
            lineedit_add_candidate(out, app->panes[i].ops->name);
        return;
    }
    for (size_t i = 0; i < app->n_panes; i++) {
        const PaneOps *ops = app->panes[i].ops;
        if (!ops->command_words || strcmp(ops->name, command) != 0)
            continue;
        /* `:NAME WORD VALUE`: the words, then the chosen word's values. */
        const char *second = line + n + strspn(line + n, " ");
        size_t wl = strcspn(second, " ");
        int first_arg = (size_t)(second - line) >= word_start;
        for (const PaneCommandWord *w = ops->command_words; w->word; w++) {
            if (first_arg)
                lineedit_add_candidate(out, w->word);
            else if (strncmp(second, w->word, wl) == 0 && w->word[wl] == '\0')
                for (size_t k = 0; w->values[k]; k++)
                    lineedit_add_candidate(out, w->values[k]);
        }
        return;
    }
    /* An analysis: its switches, sign modes, layer words and map names. */
    const AnalysisSpec *spec = analysis_find_command(command);
    for (size_t i = 0; spec && i < spec->n_uses; i++) {
        const ParamInfo *p = param_info(spec->uses[i].id);
        if (p->type == PARAM_TYPE_SWITCH) {
            lineedit_add_candidate(out, p->metavar);
        } else if (p->type == PARAM_TYPE_SIGN) {
            lineedit_add_candidate(out, "asym");
            lineedit_add_candidate(out, "sym");
            lineedit_add_candidate(out, "none");
        } else if (p->type == PARAM_TYPE_LAYER) {
            lineedit_add_candidate(out, "all");
        } else if (p->type == PARAM_TYPE_WORD) {
            for (size_t k = 0; spec->uses[i].words && spec->uses[i].words[k]; k++)
                lineedit_add_candidate(out, spec->uses[i].words[k]);
        }
    }
}
