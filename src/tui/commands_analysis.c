/* The `:` analysis commands: every analysis of measure/analyses.h that has
 * a command, parsed from its parameter table and started as a job on the
 * shown snapshot. */
#include "commands_internal.h"

#include <stdio.h>
#include <string.h>

#include "neurotop/measure/analyses.h"

/* ":consensus 500 hidden": the command as typed, words joined by one space. */
static void command_text(int argc, char **argv, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && used < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? " " : ":", argv[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

Status cmd_analysis(App *app, const AnalysisSpec *spec, int argc, char **argv, char *msg)
{
    AnalysisArgs a;
    params_defaults(spec->uses, spec->n_uses, &a);
    /* :allegiance alone shows the allegiance of the last :flex's partition. */
    int allegiance_alone = strcmp(spec->name, "allegiance") == 0 && argc == 1 && app->have_last_flex;
    if (allegiance_alone)
        a = app->last_flex;
    Status st = params_parse_words(spec->command, spec->uses, spec->n_uses, argc, (const char *const *)argv, &a, msg);
    if (st)
        return st;
    for (size_t i = 0; i < spec->n_uses; i++)
        if (spec->uses[i].required && param_info(spec->uses[i].id)->type != PARAM_TYPE_FILE &&
            !(a.given & ((uint64_t)1 << spec->uses[i].id))) {
            char usage[160];
            params_usage(spec->command, spec->uses, spec->n_uses, usage, sizeof usage);
            return status_fail(msg, ST_EINVAL, "usage: :%s", usage);
        }
    /* Keys typed faster than a frame (":goto 20" then ":louvain") must find
     * the new epoch's snapshot, not the one drawn last. */
    app_view_sync(app);
    if (!app->snap)
        return status_fail(msg, ST_EINVAL, "there is no snapshot to analyse yet");
    a.run_seed = app->cfg.seed;
    analysis_args_finish(spec, &a, 1);
    /* Where jobs find other epochs, the series and the data. */
    a.store = app->cfg.store;
    a.replay = app->cfg.replay;
    a.epochs = app->epochs;
    a.run_dir = app_run_dir(app);
    a.data = app->cfg.dataset;
    a.pixel_info = app->cfg.pixel_info;
    /* The job uses the latest partition only if it fits the epoch and the
     * part it analyses, and says which partition it used either way. */
    int with_partition = (spec->flags & ANALYSIS_PARTITION) && app->partition;
    if (with_partition) {
        a.partition = app->partition;
        a.n_nodes = app->partition_n;
        a.partition_epoch = app->partition_epoch;
        a.partition_part = app->partition_part;
        snprintf(a.partition_source, sizeof a.partition_source, "%s", app->partition_source);
    }
    /* The arguments (and the partition it may use) name the saved result. */
    StrBuf args_json, key;
    strbuf_init(&args_json);
    strbuf_init(&key);
    analysis_args_json(spec, &a, &args_json);
    strbuf_append(&key, strbuf_cstr(&args_json));
    if (with_partition && a.partition_epoch == app->snap->epoch)
        strbuf_printf(&key, " partition %s of epoch %zu, part %d", a.partition_source, a.partition_epoch,
                      a.partition_part);
    char dir[1100], base[1200] = "", why[STATUS_MSG_LEN];
    if (app->cfg.rundir && rundir_output_dir(app->cfg.rundir, "analyses", dir, sizeof dir, why) == ST_OK)
        job_saved_base(dir, app->snap->epoch, spec->command, strbuf_cstr(&key), base, sizeof base);
    st = strbuf_failed(&args_json) || strbuf_failed(&key) ? status_fail(msg, ST_ENOMEM, "out of memory") : ST_OK;
    JobResult *saved = NULL;
    if (!st && base[0] && job_result_load_saved(base, &saved, why) == ST_OK) {
        command_text(argc, argv, app->job_command, sizeof app->job_command);
        app->job_part = a.hidden;
        app_show_result(app, saved);
    } else if (!st) {
        st = jobrunner_submit_saved(app->jobs, spec->command, spec->run, &a, app->snap, strbuf_cstr(&args_json),
                                    base[0] ? base : NULL, msg);
        if (!st) {
            command_text(argc, argv, app->job_command, sizeof app->job_command);
            app->job_part = a.hidden;
            app_message(app, 0, ":%s started on epoch %zu", spec->command, app->snap->epoch);
        }
    }
    strbuf_done(&args_json);
    strbuf_done(&key);
    if (st)
        return st;
    if (strcmp(spec->name, "flexibility") == 0) {
        app->last_flex = a;
        app->have_last_flex = 1;
    }
    return ST_OK;
}
