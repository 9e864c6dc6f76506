#include "neurotop/cli/options.h"

#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/metrics_modularity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void options_defaults(RunOptions *o, size_t default_epochs)
{
    memset(o, 0, sizeof *o);
    snprintf(o->model, sizeof o->model, "mlp");
    o->data = "mnist10k";
    o->epochs = default_epochs;
    o->lr = 0.3;
    o->batch = 1;
    o->hidden[0] = 100;
    o->hidden[1] = 100;
    o->n_hidden = 2;
    o->init = MODEL_INIT_UNIFORM;
    o->probe = 1000;
    o->qreps = QREPS_DEFAULT;
    o->flexreps = FLEXREPS_DEFAULT;
    o->fc_windows = FC_WINDOWS_DEFAULT;
    o->save_every = 1;
    o->theme = "default";
    o->runs = "runs";
    o->task_n = 100;
    o->task_r = 5;
    o->task_p = 0.5;
    o->task_train = 2500;
    o->task_test = 2500;
}

const char *options_help(void)
{
    return "  --model M        mlp (seed paper 000, default) or hebbff (seed paper 001: a plastic\n"
           "                   network on continual familiarity; defaults --hidden 120 --lr 0.001\n"
           "                   --batch 50 (the BPTT window) --probe 2500)\n"
           "  --data D         mnist10k (bundled, default), fashion (Debian dataset-fashion-mnist),\n"
           "                   or a folder with the four MNIST IDX files (raw or .gz)\n"
           "  --hidden LIST    hidden layer sizes, comma-separated (default 100,100)\n"
           "  --epochs N       stop after N epochs, 0 = no limit (tui 100, train 20)\n"
           "  --epoch-size K   an epoch is K training examples (default: one full pass)\n"
           "  --lr X           learning rate (default 0.3)\n"
           "  --batch B        mini-batch size; 1 = pure SGD, the paper's setting (default 1)\n"
           "  --seed S         seed for every random choice (default 0)\n"
           "  --init I         uniform (U(-1,1), default), zero (hidden N(0,1e-8), output 0)\n"
           "                   or tiny (N(0,1e-6))\n"
           "  --probe N        held-out items whose activations are recorded (default 1000)\n"
           "  --qreps N        Louvain runs per epoch for the live modularity Q (default 3,\n"
           "                   0 = off; best run reported with the min-max spread)\n"
           "  --flexreps N     Louvain runs per epoch on the windowed hidden-unit correlations\n"
           "                   for the live flexibility (default 1, 0 = off)\n"
           "  --fc-windows L   windows of the probe items for the live flexibility (default 20:\n"
           "                   20 windows of 50 items for the default probe; fewer when short)\n"
           "  --save-every N   write a snapshot file every N epochs (default 1, 0 = never)\n"
           "  --runs DIR       where run directories are created (default runs)\n"
           "  --log FILE       also write the metrics lines to FILE\n"
           "  --instances K    train: K instances with seeds S, S+1, ... (one run directory each\n"
           "                   in a batch folder, plus summary.csv)\n"
           "  --jobs J         train: instances trained at once (default: cores, at most K)\n"
           "  --task-n N       hebbff: length of the random +-1 stimuli (100)\n"
           "  --task-r R       hebbff: a repeat shows the stimulus of R steps earlier (5)\n"
           "  --task-p P       hebbff: probability of a repeat (0.5)\n"
           "  --task-chains    hebbff: allow repeats of repeats (repeat fraction 0.5)\n"
           "  --task-train T   hebbff: steps of the fixed training stream (2500)\n"
           "  --task-test T    hebbff: steps of the held-out test stream (2500)\n";
}

static Status parse_size(const char *opt, const char *v, size_t lo, size_t hi, size_t *out, char *msg)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*v == '-' || end == v || *end || errno || x < lo || x > hi)
        return status_fail(msg, ST_EINVAL, "%s needs a whole number from %zu to %zu, got '%s'", opt,
                           lo, hi, v);
    *out = (size_t)x;
    return ST_OK;
}

static Status parse_hidden(const char *v, RunOptions *o, char *msg)
{
    size_t n = 0;
    const char *p = v;
    for (;;) {
        char *end;
        errno = 0;
        unsigned long long x = strtoull(p, &end, 10);
        if (*p == '-' || end == p || errno || x < 1 || x > 100000 || (*end && *end != ','))
            return status_fail(msg, ST_EINVAL,
                               "--hidden needs sizes from 1 to 100000 separated by commas, got '%s'", v);
        if (n == MODEL_MAX_LAYERS - 2)
            return status_fail(msg, ST_EINVAL, "--hidden allows at most %d hidden layers",
                               MODEL_MAX_LAYERS - 2);
        o->hidden[n++] = (size_t)x;
        if (!*end)
            break;
        p = end + 1;
    }
    o->n_hidden = n;
    return ST_OK;
}

Status options_parse(int argc, char **argv, int first, RunOptions *o, int allow_headless, char *msg)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = 1;
            continue;
        }
        if (strcmp(a, "--paused") == 0) {
            o->paused = 1;
            continue;
        }
        if (strcmp(a, "--task-chains") == 0) {
            o->task_chains = 1;
            o->given |= OPT_GIVEN_TASK;
            continue;
        }
        if (strcmp(a, "--headless") == 0) {
            if (!allow_headless)
                return status_fail(msg, ST_EINVAL, "--headless belongs to `neurotop train`");
            o->headless = 1;
            continue;
        }
        static const char *const with_value[] = {"--model", "--data", "--epochs", "--lr", "--batch",
                                                 "--seed", "--hidden", "--init", "--epoch-size",
                                                 "--probe", "--qreps", "--flexreps", "--fc-windows", "--save-every", "--theme", "--log",
                                                 "--task-n", "--task-r", "--task-p", "--task-train", "--task-test",
                                                 "--runs", "--instances", "--jobs"};
        int known = 0;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            known |= strcmp(a, with_value[k]) == 0;
        if (!known)
            return status_fail(msg, ST_EINVAL, "unknown option '%s' (see --help)", a);
        if (i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        const char *v = argv[++i];
        Status st = ST_OK;
        size_t n;
        if (strncmp(a, "--task-", 7) == 0)
            o->given |= OPT_GIVEN_TASK;
        if (strcmp(a, "--model") == 0) {
            if (strcmp(v, "mlp") != 0 && strcmp(v, "hebbff") != 0)
                return status_fail(msg, ST_EINVAL, "unknown model '%s' (available: mlp, hebbff)", v);
            snprintf(o->model, sizeof o->model, "%s", v);
        } else if (strcmp(a, "--data") == 0) {
            o->data = v;
            o->given |= OPT_GIVEN_DATA;
        } else if (strcmp(a, "--epochs") == 0) {
            st = parse_size(a, v, 0, 1000000, &o->epochs, msg);
        } else if (strcmp(a, "--lr") == 0) {
            char *end;
            errno = 0;
            double x = strtod(v, &end);
            if (end == v || *end || errno || !isfinite(x) || x <= 0 || x > 100)
                return status_fail(msg, ST_EINVAL, "--lr needs a number above 0 and at most 100, got '%s'", v);
            o->lr = x;
            o->given |= OPT_GIVEN_LR;
        } else if (strcmp(a, "--batch") == 0) {
            st = parse_size(a, v, 1, 65536, &o->batch, msg);
            o->given |= OPT_GIVEN_BATCH;
        } else if (strcmp(a, "--seed") == 0) {
            st = parse_size(a, v, 0, (size_t)-1 / 2, &n, msg);
            o->seed = n;
        } else if (strcmp(a, "--hidden") == 0) {
            st = parse_hidden(v, o, msg);
            o->given |= OPT_GIVEN_HIDDEN;
        } else if (strcmp(a, "--init") == 0) {
            if (strcmp(v, "uniform") == 0)
                o->init = MODEL_INIT_UNIFORM;
            else if (strcmp(v, "zero") == 0)
                o->init = MODEL_INIT_ZERO;
            else if (strcmp(v, "tiny") == 0)
                o->init = MODEL_INIT_TINY;
            else
                return status_fail(msg, ST_EINVAL, "--init must be uniform, zero or tiny, got '%s'", v);
        } else if (strcmp(a, "--epoch-size") == 0) {
            st = parse_size(a, v, 1, 1000000000, &o->epoch_size, msg);
            o->given |= OPT_GIVEN_EPOCH_SIZE;
        } else if (strcmp(a, "--probe") == 0) {
            st = parse_size(a, v, 0, 100000, &o->probe, msg);
            o->given |= OPT_GIVEN_PROBE;
        } else if (strcmp(a, "--qreps") == 0) {
            st = parse_size(a, v, 0, QREPS_MAX, &o->qreps, msg);
        } else if (strcmp(a, "--flexreps") == 0) {
            st = parse_size(a, v, 0, FLEXREPS_MAX, &o->flexreps, msg);
        } else if (strcmp(a, "--fc-windows") == 0) {
            st = parse_size(a, v, 2, FC_WINDOWS_MAX, &o->fc_windows, msg);
        } else if (strcmp(a, "--save-every") == 0) {
            st = parse_size(a, v, 0, 1000000, &n, msg);
            o->save_every = (int)n;
        } else if (strcmp(a, "--theme") == 0) {
            o->theme = v;
        } else if (strcmp(a, "--log") == 0) {
            o->log = v;
        } else if (strcmp(a, "--runs") == 0) {
            o->runs = v;
        } else if (strcmp(a, "--instances") == 0 || strcmp(a, "--jobs") == 0) {
            if (!allow_headless)
                return status_fail(msg, ST_EINVAL, "%s belongs to `neurotop train --headless`", a);
            st = parse_size(a, v, 1, 10000, a[2] == 'i' ? &o->instances : &o->jobs, msg);
        } else if (strcmp(a, "--task-n") == 0) {
            st = parse_size(a, v, 8, 10000, &o->task_n, msg);
        } else if (strcmp(a, "--task-r") == 0) {
            st = parse_size(a, v, 1, 10000, &o->task_r, msg);
        } else if (strcmp(a, "--task-train") == 0) {
            st = parse_size(a, v, 10, 10000000, &o->task_train, msg);
        } else if (strcmp(a, "--task-test") == 0) {
            st = parse_size(a, v, 10, 10000000, &o->task_test, msg);
        } else if (strcmp(a, "--task-p") == 0) {
            char *end;
            errno = 0;
            double x = strtod(v, &end);
            if (end == v || *end || errno || !isfinite(x) || x < 0 || x > 1)
                return status_fail(msg, ST_EINVAL, "--task-p needs a probability from 0 to 1, got '%s'", v);
            o->task_p = x;
        }
        if (st)
            return st;
    }
    return ST_OK;
}

Status options_finish(RunOptions *o, char *msg)
{
    if (strcmp(o->model, "hebbff") != 0) {
        if (o->given & OPT_GIVEN_TASK)
            return status_fail(msg, ST_EINVAL, "the --task-* options belong to --model hebbff");
        return ST_OK;
    }
    if (o->given & OPT_GIVEN_DATA)
        return status_fail(msg, ST_EINVAL, "--model hebbff learns the familiarity task: set it with --task-*, not --data");
    if (o->given & OPT_GIVEN_EPOCH_SIZE)
        return status_fail(msg, ST_EINVAL, "--model hebbff trains on its whole stream each epoch: use --task-train");
    if (!(o->given & OPT_GIVEN_HIDDEN)) {
        o->hidden[0] = 120;
        o->n_hidden = 1;
    } else if (o->n_hidden != 1) {
        return status_fail(msg, ST_EINVAL, "--model hebbff has one hidden layer: give --hidden M");
    }
    if (!(o->given & OPT_GIVEN_LR))
        o->lr = 0.001;
    if (!(o->given & OPT_GIVEN_BATCH))
        o->batch = 50;
    if (!(o->given & OPT_GIVEN_PROBE))
        o->probe = o->task_test;
    if (o->task_r >= o->task_train)
        return status_fail(msg, ST_EINVAL, "--task-r must be shorter than the training stream");
    o->data = "familiarity";
    return ST_OK;
}

void options_model_config(const RunOptions *o, size_t n_in, size_t n_out, ModelConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->kind, sizeof cfg->kind, "%s", o->model);
    cfg->sizes[0] = n_in;
    for (size_t i = 0; i < o->n_hidden; i++)
        cfg->sizes[1 + i] = o->hidden[i];
    cfg->sizes[1 + o->n_hidden] = n_out;
    cfg->n_layers = o->n_hidden + 2;
    cfg->init = o->init;
    cfg->seed = o->seed;
}
