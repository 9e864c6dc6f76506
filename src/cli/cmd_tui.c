/* `neurotop` / `neurotop tui`: train live in the terminal. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/config.h"
#include "neurotop/cli/session.h"
#include "neurotop/cli/signals.h"
#include "neurotop/tui/app.h"
#include "neurotop/tui/theme.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: neurotop [tui] [options]\n\n"
            "Trains a network live in the terminal and shows what a network neuroscientist\n"
            "would measure on it. Keys: Space run/pause, n one epoch, : command line,\n"
            "? help, q quit. The run is recorded under --runs (run.json, metrics.jsonl,\n"
            "snapshots/). At its --epochs limit the run waits: n, Space, :step N or\n"
            ":epochs N train on. --resume RUN_DIR goes on with a recorded run.\n\nOptions:\n%s"
            "  --paused         start paused at epoch 0 (step with n)\n"
            "  --theme T        colours: default, mono, high-contrast, gruvbox-dark, or a\n"
            "                   .theme file (NO_COLOR turns colour off)\n\n"
            "Defaults for " CONFIG_KEYS " can be set\n"
            "in $XDG_CONFIG_HOME/neurotop/config (~/.config/neurotop/config) as key = value lines.\n",
            options_help());
}

int cli_tui_main(int argc, char **argv, int skip_name)
{
    (void)skip_name;
    RunOptions o;
    options_defaults(&o, 100);
    char msg[STATUS_MSG_LEN] = "";
    /* The configuration file first, so the command line overrides it. */
    static UserConfig config;
    Status st = config_read_run_options(argc, argv, 0, &config, &o, msg);
    if (st) {
        fprintf(stderr, "neurotop: %s\n", msg);
        return 2;
    }
    if (o.help) {
        usage(stdout);
        return 0;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "neurotop: the live view needs a terminal; use `neurotop train --headless` without one.\n");
        return 2;
    }
    setlocale(LC_CTYPE, ""); /* numbers stay in the C locale: metrics.jsonl must be valid JSON */
    /* A bad theme is bad input: say so before anything is created. */
    Theme theme;
    if ((st = theme_load_named(o.theme, &theme, msg))) {
        int line = 0;
        if (o.theme == config_get(&config, "theme", &line))
            fprintf(stderr, "neurotop: %s:%d: %s\n", config.path, line, msg);
        else
            fprintf(stderr, "neurotop: %s\n", msg);
        return status_exit_code(st);
    }
    Session s;
    st = session_open(&s, &o, msg);
    if (st) {
        fprintf(stderr, "neurotop: %s\n", msg);
        return status_exit_code(st);
    }
    /* A resumed run's settings are its own (s.opts), not the options'. */
    const RunOptions *ro = &s.opts;
    char model[96];
    int n = snprintf(model, sizeof model, "%s ", ro->model);
    size_t in = s.data->train.rows * s.data->train.cols;
    n += snprintf(model + n, sizeof model - (size_t)n, "%zu", in);
    for (size_t i = 0; i < ro->n_hidden && n < (int)sizeof model; i++)
        n += snprintf(model + n, sizeof model - (size_t)n, "-%zu", ro->hidden[i]);
    const ModelKind *mk = model_kind_find(ro->model);
    if (n < (int)sizeof model && (!mk || mk->supervised))
        snprintf(model + n, sizeof model - (size_t)n, "-%zu",
                 s.data->train.n_classes > s.data->test.n_classes ? s.data->train.n_classes
                                                                   : s.data->test.n_classes);
    signals_install();
    /* At its epoch limit the live run waits: n, Space or :epochs go on. */
    trainer_wait_at_limit(s.trainer, 1);
    st = trainer_start(s.trainer, msg);
    if (!st) {
        AppConfig ac = {
            .store = s.store,
            .control = &s.control,
            .rundir = s.rundir,
            .model = model,
            .data = s.data->name,
            .seed = ro->seed,
            .theme = o.theme,
            .modularity = &s.modularity_settings,
            .activity = &s.activity_settings,
            .dataset = s.data,
            .n_probe = ro->probe,
            .pixel_info = s.pixel_info,
            .stop_requested = signals_pending,
        };
        st = app_run(&ac, msg);
        control_stop(&s.control);
        char join_msg[STATUS_MSG_LEN] = "";
        Status jst = trainer_join(s.trainer, join_msg);
        if (!st && jst) {
            st = jst;
            memcpy(msg, join_msg, sizeof join_msg);
        }
    }
    const char *dir = s.rundir ? rundir_path(s.rundir) : NULL;
    if (dir)
        printf("run directory: %s\n", dir);
    session_close(&s);
    if (st) {
        fprintf(stderr, "neurotop: %s\n", msg);
        return status_exit_code(st);
    }
    return signals_pending() ? 130 : 0;
}
