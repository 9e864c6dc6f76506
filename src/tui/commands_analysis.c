/* The `:` analysis commands: parse their arguments and start the jobs. */
#include "commands_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/jobs_functional.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/measure/jobs_modularity.h"

Status cmd_parse_real(const char *s, double lo, double hi, double *out, const char *what, char *msg)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
        return status_fail(msg, ST_EINVAL, "%s must be a number from %g to %g, not '%s'", what, lo, hi, s);
    *out = v;
    return ST_OK;
}

/* use_partition: hand the latest :louvain/:consensus partition to the job. */
static Status submit(App *app, const char *name, JobFn fn, JobArgs *args, int use_partition, char *msg)
{
    args->seed = app->cfg.seed;
    /* Where jobs find other epochs, the series and the data. */
    args->store = app->cfg.store;
    args->replay = app->cfg.replay;
    args->epochs = app->epochs;
    args->run_dir = app->cfg.rundir ? rundir_path(app->cfg.rundir)
                    : app->cfg.replay ? replay_dir(app->cfg.replay) : NULL;
    args->data = app->cfg.dataset;
    args->pixel_info = app->cfg.pixel_info;
    if (use_partition && app->partition) {
        args->partition = app->partition;
        args->n_nodes = app->partition_n;
    }
    Status st = jobrunner_submit(app->jobs, name, fn, args, app->snap, msg);
    if (!st)
        app_message(app, 0, ":%s started on epoch %zu", name, app->snap->epoch);
    return st;
}

/* Removes a trailing `hidden` word (the hidden-subgraph readout). */
static int take_hidden(int *argc, char **argv)
{
    for (int i = 1; i < *argc; i++)
        if (strcmp(argv[i], "hidden") == 0) {
            for (int j = i; j + 1 < *argc; j++)
                argv[j] = argv[j + 1];
            (*argc)--;
            return 1;
        }
    return 0;
}

Status cmd_louvain(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    a.hidden = take_hidden(&argc, argv);
    long reps = 10;
    Status st = argc > 1 ? cmd_parse_count(argv[1], 1, 100000, &reps, "R", msg) : ST_OK;
    if (!st && argc > 2)
        st = cmd_parse_real(argv[2], 0, 100, &a.gamma, "GAMMA", msg);
    if (!st && argc > 3)
        st = modsign_parse(argv[3], "the sign mode", &a.sign, msg);
    if (st)
        return st;
    a.reps = reps;
    return submit(app, "louvain", job_louvain, &a, 0, msg);
}

Status cmd_consensus(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    a.hidden = take_hidden(&argc, argv);
    a.reps = 500;
    if (argc > 1) {
        Status st = cmd_parse_count(argv[1], 1, 100000, &a.reps, "R", msg);
        if (st)
            return st;
    }
    return submit(app, "consensus", job_consensus, &a, 0, msg);
}

Status cmd_roles(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv;
    JobArgs a;
    job_args_default(&a);
    return submit(app, "roles", job_roles, &a, 1, msg);
}

Status cmd_modules(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv;
    JobArgs a;
    job_args_default(&a);
    return submit(app, "modules", job_modules, &a, 1, msg);
}

Status cmd_degrees(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    if (argc > 1) {
        Status st = cmd_parse_real(argv[1], 0, 1e6, &a.theta, "THETA", msg);
        if (st)
            return st;
    }
    return submit(app, "degrees", job_degrees, &a, 0, msg);
}

/* :info, :ih, :pca, :distances, :phases: jobs without arguments. */
Status cmd_info_job(App *app, int argc, char **argv, char *msg)
{
    (void)argc;
    static const struct {
        const char *name;
        JobFn fn;
    } jobs[] = {{"info", job_info}, {"ih", job_ih}, {"pca", job_pca}, {"distances", job_distances},
                {"phases", job_phases}};
    JobArgs a;
    job_args_default(&a);
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
        if (strcmp(argv[0], jobs[i].name) == 0)
            return submit(app, jobs[i].name, jobs[i].fn, &a, 0, msg);
    return status_fail(msg, ST_EINTERNAL, "no job named '%s'", argv[0]);
}

Status cmd_edges(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    Status st = argc > 1 ? cmd_parse_count(argv[1], 0, 100000000, &a.epoch_from, "FROM", msg) : ST_OK;
    if (!st && argc > 2)
        st = cmd_parse_count(argv[2], 0, 100000000, &a.epoch_to, "TO", msg);
    return st ? st : submit(app, "edges", job_edges, &a, 0, msg);
}

Status cmd_corr(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    for (int m = 1; m <= 2; m++) {
        int known = 0;
        for (size_t i = 0; JOBS_CORR_MAPS[i]; i++)
            known |= strcmp(argv[m], JOBS_CORR_MAPS[i]) == 0;
        if (!known)
            return status_fail(msg, ST_EINVAL, "unknown map '%s' (maps: edges ip id pc mz mean)", argv[m]);
    }
    snprintf(a.map1, sizeof a.map1, "%s", argv[1]);
    snprintf(a.map2, sizeof a.map2, "%s", argv[2]);
    Status st = argc > 3 ? cmd_parse_count(argv[3], 1, 1000000, &a.perms, "PERMS", msg) : ST_OK;
    /* pc/mz follow the latest whole-graph partition, as :roles does. */
    return st ? st : submit(app, "corr", job_corr, &a, 1, msg);
}

Status cmd_confusion(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    if (argc > 1) {
        long c;
        Status st = cmd_parse_count(argv[1], 0, 65535, &c, "CLASS", msg);
        if (st)
            return st;
        a.cls = (int)c;
    }
    return submit(app, "confusion", job_confusion, &a, 0, msg);
}

/* Removes the word `word` wherever it is; 1 when it was there. */
static int take_word(int *argc, char **argv, const char *word)
{
    for (int i = 1; i < *argc; i++)
        if (strcmp(argv[i], word) == 0) {
            for (int j = i; j + 1 < *argc; j++)
                argv[j] = argv[j + 1];
            (*argc)--;
            return 1;
        }
    return 0;
}

/* Hidden layer of the functional-network jobs: 1 = HL1, 2 = HL2, all = every one. */
static Status parse_layer(const char *s, int *layer, char *msg)
{
    if (strcmp(s, "all") == 0) {
        *layer = 0;
        return ST_OK;
    }
    long h;
    Status st = cmd_parse_count(s, 1, MODEL_MAX_LAYERS - 2, &h, "the layer (1 = HL1, 2 = HL2, or all)", msg);
    if (!st)
        *layer = (int)h;
    return st;
}

/* :flex and :allegiance (the same network; :allegiance alone reuses the
 * last :flex's settings, so it shows that partition's allegiance). */
Status cmd_flex(App *app, int argc, char **argv, char *msg)
{
    int allegiance = strcmp(argv[0], "allegiance") == 0;
    JobArgs a;
    job_args_default(&a);
    a.reps = JOBS_FLEX_REPS;
    if (allegiance && argc == 1 && app->have_last_flex)
        a = app->last_flex;
    if (take_word(&argc, argv, "--regress-mean"))
        a.regress_mean = 1;
    Status st = argc > 1 ? parse_layer(argv[1], &a.layer, msg) : ST_OK;
    if (!st && argc > 2)
        st = cmd_parse_count(argv[2], 2, FC_WINDOWS_MAX, &a.windows, "L (windows)", msg);
    if (!st && argc > 3)
        st = cmd_parse_real(argv[3], 0, 100, &a.omega, "OMEGA", msg);
    if (!st && argc > 4)
        st = cmd_parse_real(argv[4], 0, 100, &a.gamma, "GAMMA", msg);
    if (!st)
        st = submit(app, argv[0], allegiance ? job_allegiance : job_flex, &a, 0, msg);
    if (!st && !allegiance) {
        app->last_flex = a;
        app->have_last_flex = 1;
    }
    return st;
}

Status cmd_fc(App *app, int argc, char **argv, char *msg)
{
    JobArgs a;
    job_args_default(&a);
    a.regress_mean = take_word(&argc, argv, "--regress-mean");
    Status st = argc > 1 ? parse_layer(argv[1], &a.layer, msg) : ST_OK;
    return st ? st : submit(app, "fc", job_fc, &a, 0, msg);
}

Status cmd_moments(App *app, int argc, char **argv, char *msg)
{
    (void)argc, (void)argv;
    JobArgs a;
    job_args_default(&a);
    return submit(app, "moments", job_moments, &a, 0, msg);
}

