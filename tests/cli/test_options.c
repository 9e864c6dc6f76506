#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/cli/options.h"
#include "neurotop/cli/session.h"
#include "neurotop/core/fileio.h"
#include "neurotop/run/replay.h"

/* argv strings must be writable char *; copy the literals. */
static Status parse(RunOptions *o, int argc, const char *const *args, char *msg)
{
    char *argv[32];
    for (int i = 0; i < argc; i++)
        argv[i] = strdup(args[i]);
    options_defaults(o, 20);
    Status st = options_parse(argc, argv, 0, o, 1, msg);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    o->data = o->log = o->runs = o->theme = NULL; /* they pointed into argv */
    return st;
}

Test(options, defaults_are_the_papers_demonstration_setting)
{
    RunOptions o;
    options_defaults(&o, 0);
    cr_assert_float_eq(o.lr, 0.3, 0);
    cr_assert_eq(o.batch, 1);
    cr_assert_eq(o.n_hidden, 2);
    cr_assert_eq(o.hidden[0], 100);
    cr_assert_str_eq(o.data, "mnist10k");
}

Test(options, parses_every_value)
{
    const char *argv[] = {"--hidden", "64,32,16", "--lr", "0.05", "--batch", "32", "--seed", "7",
                    "--init", "tiny", "--epoch-size", "500", "--epochs", "3", "--paused",
                    "--headless", "--data", "fashion"};
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(parse(&o, 18, argv, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.n_hidden, 3);
    cr_assert_eq(o.hidden[2], 16);
    cr_assert_float_eq(o.lr, 0.05, 1e-15);
    cr_assert_eq(o.batch, 32);
    cr_assert_eq(o.seed, 7);
    cr_assert_eq(o.init, MODEL_INIT_TINY);
    cr_assert_eq(o.epoch_size, 500);
    cr_assert_eq(o.epochs, 3);
    cr_assert(o.paused && o.headless);
    ModelConfig c;
    options_model_config(&o, 784, 10, &c);
    cr_assert_eq(c.n_layers, 5);
    cr_assert_eq(c.sizes[0], 784);
    cr_assert_eq(c.sizes[4], 10);
}

Test(options, rejects_absurd_values_with_one_sentence)
{
    struct {
        const char *a, *b;
        const char *needle;
    } bad[] = {
        {"--lr", "-1", "--lr"},        {"--lr", "nan", "--lr"},
        {"--lr", "1e9", "--lr"},       {"--batch", "0", "--batch"},
        {"--hidden", "10,,3", "--hidden"}, {"--hidden", "0", "--hidden"},
        {"--init", "ones", "--init"},  {"--epochs", "-3", "--epochs"},
        {"--seed", "x", "--seed"},     {"--frob", "1", "unknown option"},
        {"--model", "transformer", "unknown model"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *argv[] = {bad[i].a, bad[i].b};
        RunOptions o;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(parse(&o, 2, argv, msg), ST_EINVAL, "%s %s accepted", bad[i].a, bad[i].b);
        cr_assert(strstr(msg, bad[i].needle) != NULL, "message '%s'", msg);
        cr_assert(strchr(msg, '\n') == NULL);
    }
    const char *missing[] = {"--lr"};
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(parse(&o, 1, missing, msg), ST_EINVAL);
    cr_assert(strstr(msg, "needs a value") != NULL);
}

static Status parse_finish(RunOptions *o, int argc, const char *const *args, char *msg)
{
    Status st = parse(o, argc, args, msg);
    return st ? st : options_finish(o, msg);
}

Test(options, kind_parameters_before_or_after_model)
{
    const char *after[] = {"--model", "hebbff", "--task-n", "16", "--task-chains", "--task-p", "0.25"};
    const char *before[] = {"--task-n", "16", "--task-chains", "--task-p", "0.25", "--model", "hebbff"};
    const char *const *orders[2] = {after, before};
    char msg[STATUS_MSG_LEN];
    for (int k = 0; k < 2; k++) {
        RunOptions o;
        cr_assert_eq(parse_finish(&o, 7, orders[k], msg), ST_OK, "%s", msg);
        cr_assert_str_eq(o.model, "hebbff");
        cr_assert_eq(o.n_kparams, 6);
        const double want[6] = {16, 5, 0.25, 1, 2500, 2500};
        for (int i = 0; i < 6; i++)
            cr_assert_float_eq(o.kparams[i], want[i], 0, "order %d, parameter %d", k, i);
        /* The kind's defaults: hidden 120, lr 0.001, batch 50, probe = task-test. */
        cr_assert_eq(o.n_hidden, 1);
        cr_assert_eq(o.hidden[0], 120);
        cr_assert_float_eq(o.lr, 0.001, 0);
        cr_assert_eq(o.batch, 50);
        cr_assert_eq(o.probe, 2500);
        ModelConfig c;
        options_model_config(&o, 16, 2, &c);
        cr_assert_eq(c.n_kparams, 6);
        cr_assert_float_eq(model_kparam(&c, 0), 16, 0);
        cr_assert_eq(model_config_validate(&c, msg), ST_OK, "%s", msg);
    }
}

Test(options, kind_rules_come_from_the_tables)
{
    struct {
        int argc;
        const char *argv[6];
        const char *needle;
    } bad[] = {
        {2, {"--task-n", "16"}, "the --task-n option belongs to --model hebbff"},
        {1, {"--task-chains"}, "the --task-chains option belongs to --model hebbff"},
        {4, {"--model", "hebbff", "--data", "fashion"}, "learns the familiarity task"},
        {4, {"--model", "hebbff", "--epoch-size", "10"}, "use --task-train"},
        {4, {"--model", "hebbff", "--hidden", "3,4"}, "one hidden layer"},
        {4, {"--model", "hebbff", "--init", "zero"}, "own initialisation"},
        {6, {"--model", "hebbff", "--task-r", "300", "--task-train", "200"}, "--task-r must be shorter"},
        {4, {"--model", "hebbff", "--task-n", "4"}, "--task-n"},
        {4, {"--model", "hebbff", "--task-p", "1.5"}, "--task-p"},
        {2, {"--model", "x"}, "unknown model 'x' (available: mlp, hebbff, dbn, lenet)"},
        {4, {"--model", "lenet", "--hidden", "30"}, "sets its layers with --conv1, --conv2, --dense, --kernel"},
        {4, {"--model", "lenet", "--conv1", "0"}, "--conv1 must be a whole number from 1 to 1024"},
        {4, {"--model", "mlp", "--dense", "9"}, "the --dense option belongs to --model lenet"},
        {4, {"--model", "dbn", "--cd", "0"}, "--cd"},
        {4, {"--model", "dbn", "--layers", "784,0"}, "--layers"},
        {6, {"--model", "dbn", "--layers", "784,9", "--hidden", "4"}, "not both"},
        {4, {"--model", "mlp", "--cd", "2"}, "the --cd option belongs to --model dbn"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RunOptions o;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(parse_finish(&o, bad[i].argc, bad[i].argv, msg), ST_EINVAL, "case %zu accepted", i);
        cr_assert(strstr(msg, bad[i].needle) != NULL, "case %zu: '%s'", i, msg);
        cr_assert(strchr(msg, '\n') == NULL);
    }
    /* The MLP keeps its own defaults, and its data. */
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    const char *none[] = {"--seed", "2"};
    cr_assert_eq(parse_finish(&o, 2, none, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.n_kparams, 0);
    cr_assert_eq(o.probe, 1000);
    cr_assert_float_eq(o.lr, 0.3, 0);
    /* --help lists every kind and its parameters. */
    const char *help = options_help();
    cr_assert(strstr(help, "mlp (default):") && strstr(help, "hebbff:"), "%s", help);
    cr_assert(strstr(help, "--task-chains    hebbff:") != NULL, "%s", help);
    cr_assert(strstr(help, "--task-n N       hebbff:") != NULL, "%s", help);
}

/* run.json writes the kind parameters under their keys, and a replay reads
 * them back into the config. */
Test(options, kind_parameters_round_trip_through_run_json)
{
    const char *argv[] = {"--model", "hebbff", "--task-n", "16", "--task-p", "0.125", "--task-test", "300",
                          "--seed", "9"};
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(parse_finish(&o, 10, argv, msg), ST_OK, "%s", msg);
    ModelConfig c;
    options_model_config(&o, 16, 2, &c);
    c.in_rows = 1;
    c.in_cols = 16;
    Dataset d;
    memset(&d, 0, sizeof d);
    strcpy(d.name, "familiarity");
    d.train.n = 2500;
    d.test.n = 300;
    StrBuf json;
    strbuf_init(&json);
    session_format_run_json(&o, &d, &c, &json);
    const char *text = strbuf_cstr(&json);
    cr_assert(strstr(text, "\"task_n\":16,\"task_r\":5,\"task_p\":0.125,\"task_chains\":0,"
                           "\"task_train\":2500,\"task_test\":300") != NULL, "%s", text);
    cr_assert(strstr(text, "\"input_shape\":[1,16]") != NULL, "%s", text);

    char dir[64], path[128];
    strcpy(dir, "/tmp/neurotop-runjson-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.json", dir);
    cr_assert_eq(file_write_atomic(path, text, strlen(text), msg), ST_OK, "%s", msg);
    Replay *r = NULL;
    cr_assert_eq(replay_open(dir, &r, msg), ST_OK, "%s", msg);
    const ReplayInfo *info = replay_info(r);
    cr_assert_eq(info->has_config, 1);
    cr_assert_eq(info->n_kparams, 6);
    const double want[6] = {16, 5, 0.125, 0, 2500, 300};
    for (int i = 0; i < 6; i++) {
        cr_assert_float_eq(info->kparams[i], want[i], 0, "parameter %d", i);
        cr_assert_float_eq(model_kparam(&info->config, (size_t)i), want[i], 0, "parameter %d", i);
    }
    cr_assert_eq(info->config.in_rows, 1);
    cr_assert_eq(info->config.in_cols, 16);
    cr_assert_eq(info->seed, 9);
    replay_free(r);
    unlink(path);
    rmdir(dir);
    strbuf_done(&json);
}

Test(options, flex_slices_epochs_or_probe)
{
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    const char *none[] = {"--epochs", "1"};
    cr_assert_eq(parse(&o, 2, none, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.flex_slices, ACTIVITY_SLICES_KIND, "by the kind unless asked");
    const char *probe[] = {"--flex-slices", "probe"};
    cr_assert_eq(parse(&o, 2, probe, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.flex_slices, ACTIVITY_SLICES_PROBE);
    const char *epochs[] = {"--flex-slices", "epochs"};
    cr_assert_eq(parse(&o, 2, epochs, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.flex_slices, ACTIVITY_SLICES_EPOCHS);
    const char *bad[] = {"--flex-slices", "windows"};
    cr_assert_eq(parse(&o, 2, bad, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--flex-slices must be epochs or probe, not 'windows'");
}

/* The activity of a run.json text, as a replay reads it (*problems: how
 * many field problems it reported). */
static ModelActivity replayed_activity(const char *text, size_t *problems)
{
    char dir[64], path[128], msg[STATUS_MSG_LEN];
    strcpy(dir, "/tmp/neurotop-activity-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.json", dir);
    cr_assert_eq(file_write_atomic(path, text, strlen(text), msg), ST_OK, "%s", msg);
    Replay *r = NULL;
    cr_assert_eq(replay_open(dir, &r, msg), ST_OK, "%s", msg);
    ModelActivity a = replay_info(r)->activity;
    *problems = replay_problem_count(r);
    replay_free(r);
    unlink(path);
    rmdir(dir);
    return a;
}

/* --activity: the kind's default (HebbFF pre, as seed paper 001; the MLP
 * post and nothing else), written to run.json and read back; a run.json
 * without the field (recorded before it existed) means post. */
Test(options, activity_defaults_by_kind_round_trips_and_reads_post_when_absent)
{
    char msg[STATUS_MSG_LEN];
    RunOptions o;
    const char *hebb[] = {"--model", "hebbff"};
    cr_assert_eq(parse_finish(&o, 2, hebb, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.activity, MODEL_ACTIVITY_PRE);
    const char *hebb_post[] = {"--activity", "post", "--model", "hebbff"};
    cr_assert_eq(parse_finish(&o, 4, hebb_post, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.activity, MODEL_ACTIVITY_POST);
    const char *mlp[] = {"--epochs", "1"};
    cr_assert_eq(parse_finish(&o, 2, mlp, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.activity, MODEL_ACTIVITY_POST);
    const char *mlp_pre[] = {"--activity", "pre"};
    cr_assert_eq(parse_finish(&o, 2, mlp_pre, msg), ST_EINVAL);
    cr_assert(strstr(msg, "mlp") && strstr(msg, "--activity post"), "%s", msg);
    const char *bad[] = {"--model", "hebbff", "--activity", "sideways"};
    cr_assert_eq(parse_finish(&o, 4, bad, msg), ST_EINVAL);
    cr_assert(strstr(msg, "pre or post") != NULL, "%s", msg);

    for (int k = 0; k < 2; k++) {
        const char *args[] = {"--model", "hebbff", "--task-n", "16", "--activity", k ? "post" : "pre"};
        cr_assert_eq(parse_finish(&o, 6, args, msg), ST_OK, "%s", msg);
        ModelConfig c;
        options_model_config(&o, 16, 2, &c);
        Dataset d;
        memset(&d, 0, sizeof d);
        strcpy(d.name, "familiarity");
        StrBuf json;
        strbuf_init(&json);
        session_format_run_json(&o, &d, &c, &json);
        const char *text = strbuf_cstr(&json);
        cr_assert(strstr(text, k ? "\"activity\":\"post\"" : "\"activity\":\"pre\"") != NULL, "%s", text);
        size_t problems;
        cr_assert_eq(replayed_activity(text, &problems), k ? MODEL_ACTIVITY_POST : MODEL_ACTIVITY_PRE);
        cr_assert_eq(problems, 0);
        strbuf_done(&json);
    }
    size_t problems;
    cr_assert_eq(replayed_activity("{\"model\":\"hebbff\",\"sizes\":[16,4,2],\"seed\":1}", &problems),
                 MODEL_ACTIVITY_POST, "an older run.json without the field");
    cr_assert_eq(problems, 0);
    cr_assert_eq(replayed_activity("{\"model\":\"hebbff\",\"sizes\":[16,4,2],\"activity\":\"mid\"}", &problems),
                 MODEL_ACTIVITY_POST);
    cr_assert_eq(problems, 1, "a bad value is reported and read as post");
}

Test(options, q_method_louvain_or_leiden)
{
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    const char *none[] = {"--epochs", "1"};
    cr_assert_eq(parse(&o, 2, none, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.q_method, COMMUNITY_LOUVAIN, "Louvain unless asked, as seed paper 000");
    const char *leiden[] = {"--q-method", "leiden"};
    cr_assert_eq(parse(&o, 2, leiden, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.q_method, COMMUNITY_LEIDEN);
    const char *bad[] = {"--q-method", "infomap"};
    cr_assert_eq(parse(&o, 2, bad, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--q-method must be louvain or leiden, not 'infomap'");
}
