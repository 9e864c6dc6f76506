#include "neurotop/measure/params.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/core/numparse.h"

static const ParamInfo PARAMS[PARAM_COUNT] = {
#define PARAM_ROW(id, name, type, lo, hi, meta, help) {PARAM_##id, name, type, lo, hi, meta, help},
    PARAM_LIST(PARAM_ROW)
#undef PARAM_ROW
};

const char *const PARAM_METHOD_WORDS[] = {"louvain", "leiden", NULL};
const char *const PARAM_STIMULUS_WORDS[] = {"GAUSSIAN", "MNIST",       "trMNIST", "IMPULSE", "IMPULSE*",
                                            "CONSTANT", "offGAUSSIAN", "MIXED",   NULL};

CommunityAlgo params_algo(const AnalysisArgs *a)
{
    return (CommunityAlgo){.method = a->method, .iterate = a->iterate, .random_moves = a->random_moves};
}

const ParamInfo *param_info(ParamId id)
{
    return id < PARAM_COUNT ? &PARAMS[id] : NULL;
}

/* Where a numeric parameter lives in AnalysisArgs. */
static void set_number(AnalysisArgs *a, ParamId id, double v)
{
    switch (id) {
    case PARAM_REPS: a->reps = (long)v; break;
    case PARAM_GAMMA: a->gamma = v; break;
    case PARAM_SIGNED: a->sign = (ModSign)(int)v; break;
    case PARAM_HIDDEN: a->hidden = v != 0; break;
    case PARAM_CONSENSUS: a->consensus = v != 0; break;
    case PARAM_OMEGA: a->omega = v; break;
    case PARAM_THRESHOLD: a->theta = v; break;
    case PARAM_RIDGE: a->ridge = v; break;
    case PARAM_STANDARDIZE: a->standardize = v != 0; break;
    case PARAM_PERMS: a->perms = (long)v; break;
    case PARAM_ALPHA: a->alpha = v; break;
    case PARAM_SEED: a->seed = (uint64_t)v; break;
    case PARAM_LAYER: a->layer = (int)v; break;
    case PARAM_WINDOWS: a->windows = (long)v; break;
    case PARAM_REGRESS_MEAN: a->regress_mean = v != 0; break;
    case PARAM_CLASS: a->cls = (int)v; break;
    case PARAM_FROM: a->epoch_from = (long)v; break;
    case PARAM_TO: a->epoch_to = (long)v; break;
    case PARAM_METHOD: a->method = (CommunityMethod)(int)v; break;
    case PARAM_ITERATE: a->iterate = v != 0; break;
    case PARAM_RANDOM_MOVES: a->random_moves = v != 0; break;
    case PARAM_STEPS: a->steps = (long)v; break;
    case PARAM_CLUSTERS: a->clusters = (long)v; break;
    case PARAM_TIME_COLUMN: a->time_column = (long)v; break;
    case PARAM_INTERVALS: a->intervals = (long)v; break;
    case PARAM_OVERLAP: a->overlap = v; break;
    case PARAM_EPS: a->eps = v; break;
    case PARAM_MIN_SAMPLES: a->min_samples = (long)v; break;
    case PARAM_THIS_EPOCH: a->this_epoch = v != 0; break;
    case PARAM_N_IMAGES: a->n_images = (long)v; break;
    default: break;
    }
}

double params_number(const AnalysisArgs *a, ParamId id)
{
    switch (id) {
    case PARAM_REPS: return (double)a->reps;
    case PARAM_GAMMA: return a->gamma;
    case PARAM_SIGNED: return (double)a->sign;
    case PARAM_HIDDEN: return a->hidden;
    case PARAM_CONSENSUS: return a->consensus;
    case PARAM_OMEGA: return a->omega;
    case PARAM_THRESHOLD: return a->theta;
    case PARAM_RIDGE: return a->ridge;
    case PARAM_STANDARDIZE: return a->standardize;
    case PARAM_PERMS: return (double)a->perms;
    case PARAM_SEED: return (double)a->seed;
    case PARAM_LAYER: return a->layer;
    case PARAM_WINDOWS: return (double)a->windows;
    case PARAM_REGRESS_MEAN: return a->regress_mean;
    case PARAM_CLASS: return a->cls;
    case PARAM_FROM: return (double)a->epoch_from;
    case PARAM_TO: return (double)a->epoch_to;
    case PARAM_METHOD: return (double)a->method;
    case PARAM_ITERATE: return a->iterate;
    case PARAM_RANDOM_MOVES: return a->random_moves;
    case PARAM_STEPS: return (double)a->steps;
    case PARAM_CLUSTERS: return (double)a->clusters;
    case PARAM_TIME_COLUMN: return (double)a->time_column;
    case PARAM_INTERVALS: return (double)a->intervals;
    case PARAM_OVERLAP: return a->overlap;
    case PARAM_EPS: return a->eps;
    case PARAM_MIN_SAMPLES: return (double)a->min_samples;
    case PARAM_THIS_EPOCH: return a->this_epoch;
    case PARAM_N_IMAGES: return (double)a->n_images;
    default: return 0.0;
    }
}

void params_defaults(const ParamUse *uses, size_t n_uses, AnalysisArgs *a)
{
    memset(a, 0, sizeof *a);
    /* Values of parameters an analysis does not take still have to be sane
     * for code shared between analyses. */
    a->reps = 10;
    a->gamma = 1.0;
    a->sign = MOD_SIGN_NONE;
    a->omega = 1.0;
    a->perms = 10000;
    a->alpha = 0.01;
    a->windows = 20;
    a->cls = -1;
    a->epoch_from = -1;
    a->epoch_to = -1;
    a->steps = 200;
    a->clusters = 20;
    a->time_column = -1;
    a->intervals = 10;
    a->overlap = 0.5;
    a->min_samples = 5;
    snprintf(a->filter, sizeof a->filter, "norm");
    snprintf(a->cluster, sizeof a->cluster, "single");
    a->n_images = 10000;
    snprintf(a->stimulus, sizeof a->stimulus, "GAUSSIAN");
    for (size_t i = 0; i < n_uses; i++)
        if (param_info(uses[i].id)->type != PARAM_TYPE_WORD && param_info(uses[i].id)->type != PARAM_TYPE_FILE)
            set_number(a, uses[i].id, uses[i].def);
}

int param_applies(const ParamUse *use, int on_snapshot)
{
    int on = param_info(use->id)->type == PARAM_TYPE_FILE ? PARAM_ON_FILES : use->on;
    return on == PARAM_ON_EITHER || on == (on_snapshot ? PARAM_ON_SNAPSHOT : PARAM_ON_FILES);
}

static const ParamUse *find_use(const ParamUse *uses, size_t n_uses, const char *name)
{
    for (size_t i = 0; i < n_uses; i++)
        if (strcmp(param_info(uses[i].id)->name, name) == 0)
            return &uses[i];
    return NULL;
}

static void list_words(const char *const *words, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; words && words[i] && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", words[i]);
}

/* The value text of one parameter; `what` names it in messages. */
static Status set_value(const ParamUse *u, const char *text, const char *what, AnalysisArgs *a, char *msg)
{
    const ParamInfo *p = param_info(u->id);
    Status st = ST_OK;
    switch (p->type) {
    case PARAM_TYPE_WHOLE: {
        uint64_t hi = p->hi >= 1.8e19 ? UINT64_MAX : (uint64_t)p->hi, v;
        st = num_parse_u64(text, (uint64_t)p->lo, hi, what, &v, msg);
        if (!st && u->id == PARAM_SEED)
            a->seed = v;
        else if (!st)
            set_number(a, u->id, (double)v);
        break;
    }
    case PARAM_TYPE_REAL: {
        double v;
        st = num_parse_real(text, p->lo, p->hi, 0, what, &v, msg);
        if (!st)
            set_number(a, u->id, v);
        break;
    }
    case PARAM_TYPE_SIGN: {
        ModSign m;
        st = modsign_parse(text, what, &m, msg);
        if (!st)
            a->sign = m;
        break;
    }
    case PARAM_TYPE_LAYER: {
        long h = 0;
        if (strcmp(text, "all") != 0) {
            char range[96];
            snprintf(range, sizeof range, "%s (1 = HL1, 2 = HL2, ... or all)", what);
            st = num_parse_long(text, (long)p->lo, (long)p->hi, range, &h, msg);
        }
        if (!st)
            a->layer = (int)h;
        break;
    }
    case PARAM_TYPE_WORD: {
        int known = 0;
        for (size_t i = 0; u->words && u->words[i]; i++)
            known |= strcmp(u->words[i], text) == 0;
        if (!known) {
            char list[200];
            list_words(u->words, list, sizeof list);
            return status_fail(msg, ST_EINVAL, "%s must be one of %s, not '%s'", what, list, text);
        }
        if (u->id == PARAM_METHOD) {
            st = community_method_parse(text, what, &a->method, msg);
            break;
        }
        char *dst = u->id == PARAM_MAP1     ? a->map1
                    : u->id == PARAM_MAP2   ? a->map2
                    : u->id == PARAM_FILTER ? a->filter
                    : u->id == PARAM_CLUSTER ? a->cluster
                    : u->id == PARAM_STIMULUS ? a->stimulus
                                             : a->slices;
        snprintf(dst, sizeof a->map1, "%s", text);
        break;
    }
    case PARAM_TYPE_FILE:
        a->files[u->id] = text;
        break;
    case PARAM_TYPE_SWITCH:
        set_number(a, u->id, 1);
        break;
    }
    if (!st)
        a->given |= (uint64_t)1 << u->id;
    return st;
}

Status params_parse_options(const ParamUse *uses, size_t n_uses, int on_snapshot, int argc,
                            const char *const *argv, AnalysisArgs *a, char *msg)
{
    params_defaults(uses, n_uses, a);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const ParamUse *u = strncmp(arg, "--", 2) == 0 ? find_use(uses, n_uses, arg + 2) : NULL;
        if (!u)
            return status_fail(msg, ST_EINVAL, "unknown option '%s' for this kind", arg);
        if (!param_applies(u, on_snapshot))
            return status_fail(msg, ST_EINVAL, "%s applies to %s, not to %s", arg,
                               on_snapshot ? "files" : "an epoch of a run (--run DIR)",
                               on_snapshot ? "an epoch of a run" : "files");
        Status st;
        if (param_info(u->id)->type == PARAM_TYPE_SWITCH)
            st = set_value(u, "", arg, a, msg);
        else if (i + 1 >= argc)
            st = status_fail(msg, ST_EINVAL, "option %s needs a value", arg);
        else
            st = set_value(u, argv[++i], arg, a, msg);
        if (st)
            return st;
    }
    for (size_t i = 0; i < n_uses; i++)
        if (uses[i].required && param_applies(&uses[i], on_snapshot) &&
            !(a->given & ((uint64_t)1 << uses[i].id)))
            return status_fail(msg, ST_EINVAL, "missing required option --%s", param_info(uses[i].id)->name);
    return ST_OK;
}

Status params_parse_words(const char *command, const ParamUse *uses, size_t n_uses, int argc,
                          const char *const *argv, AnalysisArgs *a, char *msg)
{
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        const char *name = strncmp(w, "--", 2) == 0 ? w + 2 : w;
        const ParamUse *u = find_use(uses, n_uses, name);
        if (u && !param_applies(u, 1))
            u = NULL; /* a file input or a files-only switch: not a word of a `:` command */
        if (u && param_info(u->id)->type == PARAM_TYPE_SWITCH) {
            Status st = set_value(u, "", w, a, msg);
            if (st)
                return st;
            continue;
        }
        if (strncmp(w, "--", 2) == 0) {
            if (!u)
                return status_fail(msg, ST_EINVAL, ":%s takes no option '%s'", command, w);
            if (i + 1 >= argc)
                return status_fail(msg, ST_EINVAL, "option %s needs a value", w);
            Status st = set_value(u, argv[++i], w, a, msg);
            if (st)
                return st;
            continue;
        }
        /* A method by its bare name (`:consensus 500 leiden`). */
        const ParamUse *m = find_use(uses, n_uses, "method");
        if (m && param_applies(m, 1) && community_method_parse(w, "", &(CommunityMethod){0}, NULL) == ST_OK) {
            Status st = set_value(m, w, "the method", a, msg);
            if (st)
                return st;
            continue;
        }
        /* The next positional parameter. */
        pos++;
        const ParamUse *at = NULL;
        for (size_t k = 0; k < n_uses; k++)
            if (uses[k].pos == pos)
                at = &uses[k];
        if (!at) {
            char usage[160];
            params_usage(command, uses, n_uses, usage, sizeof usage);
            return status_fail(msg, ST_EINVAL, "too many words: usage :%s", usage);
        }
        char what[160];
        snprintf(what, sizeof what, "%s (%s)", param_info(at->id)->metavar, param_info(at->id)->help);
        Status st = set_value(at, w, what, a, msg);
        if (st)
            return st;
    }
    return ST_OK;
}

void params_usage(const char *command, const ParamUse *uses, size_t n_uses, char *buf, size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s", command);
    for (int pos = 1; o < cap; pos++) {
        const ParamUse *at = NULL;
        for (size_t k = 0; k < n_uses; k++)
            if (uses[k].pos == pos)
                at = &uses[k];
        if (!at)
            break;
        o += (size_t)snprintf(buf + o, cap - o, " %s%s%s", at->required ? "" : "[",
                              param_info(at->id)->metavar, at->required ? "" : "]");
    }
    for (size_t k = 0; k < n_uses && o < cap; k++)
        if (uses[k].pos == 0 && (param_info(uses[k].id)->type == PARAM_TYPE_SWITCH || uses[k].id == PARAM_METHOD) &&
            param_applies(&uses[k], 1))
            o += (size_t)snprintf(buf + o, cap - o, " [%s]", param_info(uses[k].id)->metavar);
}

void params_finish(AnalysisArgs *a)
{
    if (!(a->given & ((uint64_t)1 << PARAM_SEED)))
        a->seed = a->run_seed;
}
