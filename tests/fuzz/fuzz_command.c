/* libFuzzer target for the `:` command line (`make fuzz`): each input line
 * is run by app_run_command on an App without a screen, a run or a
 * snapshot, as typed after ':' (or given by a lesson's `command:`). Every
 * command parses its words (measure/params.c for the analyses,
 * core/numparse.c for numbers) before it looks for what it acts on, so the
 * parsers of every command are reached; nothing is trained or analysed.
 * A line whose first word is an analysis is also parsed as the options of
 * `neurotop analyze KIND` (params_parse_options), on files and on a run.
 *
 * Contract checked beyond the sanitizers: the message line is one line of
 * printable text (control characters from the input never reach the
 * terminal), and the state stays in range. */

#include <stdatomic.h>

#include "fuzz_util.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/run/store.h"
#include "neurotop/train/control.h"
#include "neurotop/tui/commands.h"
#include "tui/app_internal.h"

static void check_app(const App *app)
{
    for (const unsigned char *p = (const unsigned char *)app->message; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            abort();
    if (!memchr(app->message, '\0', sizeof app->message))
        abort();
    if (app->focus >= app->n_panes)
        abort();
    if (app->play_speed < 0.1 || app->play_speed > 100)
        abort();
}

/* "KIND --opt value ..." through the analyze option parser. */
static void parse_as_options(const char *line)
{
    char buf[1100];
    snprintf(buf, sizeof buf, "%s", line);
    char *argv[24];
    int argc = commands_split(buf, argv, 24);
    if (argc < 1)
        return;
    const AnalysisSpec *spec = analysis_find(argv[0]);
    if (!spec)
        return;
    for (int on_snapshot = 0; on_snapshot < 2; on_snapshot++) {
        AnalysisArgs a;
        char msg[STATUS_MSG_LEN] = "";
        Status st = params_parse_options(spec->uses, spec->n_uses, on_snapshot, argc - 1,
                                         (const char *const *)argv + 1, &a, msg);
        if (st != ST_OK) {
            fuzz_check_msg(msg);
            continue;
        }
        analysis_args_finish(spec, &a, on_snapshot);
        if (a.reps < 0 || a.perms < 0 || a.windows < 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Store *store;
    if (!store)
        store = store_new(2, NULL);
    if (!store)
        abort();
    App *app = calloc(1, sizeof *app);
    Control control;
    control_init(&control, 1, 0.1);
    app->cfg.store = store;
    app->cfg.control = &control;
    app->cfg.model = "mlp 784-10";
    app->cfg.theme = "default";
    theme_init_default(&app->theme);
    app->panes[0].ops = pane_registry[0];
    app->n_panes = 1;
    app->play_speed = 1;
    char line[1100];
    size_t start = 0;
    for (int lines = 0; start < size && lines < 16; lines++) {
        size_t end = start;
        while (end < size && data[end] != '\n')
            end++;
        size_t n = end - start < sizeof line - 1 ? end - start : sizeof line - 1;
        memcpy(line, data + start, n);
        line[n] = '\0';
        app_run_command(app, line);
        check_app(app);
        parse_as_options(line);
        start = end + 1;
    }
    series_done(&app->series);
    free(app->partition);
    control_done(&control);
    free(app);
    return 0;
}
