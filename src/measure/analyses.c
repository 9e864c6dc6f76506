/* The table of analyses (analyses.h): what each takes, with which
 * defaults, and the one function that runs it. */
#include "neurotop/measure/analyses.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/info_confusion.h"
#include "neurotop/measure/info_corr.h"
#include "neurotop/measure/info_distances.h"
#include "neurotop/measure/info_edges.h"
#include "neurotop/measure/info_ih.h"
#include "neurotop/measure/func.h"
#include "neurotop/measure/jobs_dbn.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/measure/info_mi.h"
#include "neurotop/measure/mod_degrees.h"
#include "neurotop/measure/mod_louvain.h"
#include "neurotop/measure/mod_multislice.h"
#include "neurotop/measure/mod_quality.h"
#include "neurotop/measure/mod_roles.h"
#include "neurotop/measure/info_pca.h"
#include "neurotop/measure/info_phases.h"
#include "neurotop/measure/info_transport.h"
#include "neurotop/measure/info_mapper.h"
#include "neurotop/measure/info_trajectory.h"
#include "neurotop/measure/jobs_localize.h"

#define N(uses) (sizeof uses / sizeof uses[0])
#define USES(uses) uses, N(uses)

static const ParamUse QUALITY[] = {
    {.id = PARAM_MATRIX, .required = 1},
    {.id = PARAM_PARTITION, .required = 1},
    {.id = PARAM_GAMMA, .def = 1},
    {.id = PARAM_SIGNED, .def = MOD_SIGN_NONE},
};
static const ParamUse LOUVAIN[] = {
    {.id = PARAM_REPS, .def = 10, .pos = 1},
    {.id = PARAM_GAMMA, .def = 1, .pos = 2},
    {.id = PARAM_SIGNED, .def = MOD_SIGN_NONE, .pos = 3},
    {.id = PARAM_HIDDEN, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_CONSENSUS},
    {.id = PARAM_SEED},
    {.id = PARAM_METHOD, .words = PARAM_METHOD_WORDS},
    {.id = PARAM_ITERATE},
    {.id = PARAM_RANDOM_MOVES},
    {.id = PARAM_MATRIX, .required = 1},
};
static const ParamUse CONSENSUS[] = {
    {.id = PARAM_REPS, .def = 500, .pos = 1},
    {.id = PARAM_HIDDEN, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_GAMMA, .def = 1},
    {.id = PARAM_SIGNED, .def = MOD_SIGN_NONE},
    {.id = PARAM_SEED},
    {.id = PARAM_METHOD, .words = PARAM_METHOD_WORDS},
    {.id = PARAM_ITERATE},
    {.id = PARAM_RANDOM_MOVES},
    {.id = PARAM_MATRIX, .required = 1},
};
static const ParamUse ROLES[] = {
    {.id = PARAM_HIDDEN, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_SEED, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_MATRIX, .required = 1},
    {.id = PARAM_PARTITION, .required = 1},
};
static const ParamUse MODULES[] = {
    {.id = PARAM_HIDDEN},
    {.id = PARAM_SEED},
};
static const ParamUse DEGREES[] = {
    {.id = PARAM_THRESHOLD, .def = 0, .pos = 1},
    {.id = PARAM_MATRIX, .required = 1},
};
static const ParamUse MULTISLICE[] = {
    {.id = PARAM_LAYERS, .required = 1},
    {.id = PARAM_GAMMA, .def = 1},
    {.id = PARAM_OMEGA, .def = 1},
    {.id = PARAM_SIGNED, .def = MOD_SIGN_NONE},
    {.id = PARAM_PARTITIONS},
    {.id = PARAM_REPS, .def = 10},
    {.id = PARAM_SEED},
    {.id = PARAM_METHOD, .words = PARAM_METHOD_WORDS},
    {.id = PARAM_ITERATE},
    {.id = PARAM_RANDOM_MOVES},
};
static const ParamUse FLEXIBILITY[] = {
    {.id = PARAM_LAYER, .def = 0, .pos = 1, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_WINDOWS, .def = 20, .pos = 2, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_SLICES, .on = PARAM_ON_SNAPSHOT, .words = FLEX_SLICE_WORDS},
    {.id = PARAM_OMEGA, .def = 1, .pos = 3, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_GAMMA, .def = 1, .pos = 4, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_REGRESS_MEAN, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_REPS, .def = JOBS_FLEX_REPS, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_SEED, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_METHOD, .on = PARAM_ON_SNAPSHOT, .words = PARAM_METHOD_WORDS},
    {.id = PARAM_ITERATE, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_RANDOM_MOVES, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_PARTITIONS, .required = 1},
};
static const ParamUse FC[] = {
    {.id = PARAM_LAYER, .def = 0, .pos = 1},
    {.id = PARAM_REGRESS_MEAN},
    {.id = PARAM_SEED},
};
static const ParamUse ENTROPY[] = {
    {.id = PARAM_MATRIX, .required = 1},
    {.id = PARAM_RIDGE, .def = 0},
};
static const ParamUse MOMENTS[] = {
    {.id = PARAM_MATRIX, .required = 1},
};
static const ParamUse PCA[] = {
    {.id = PARAM_MATRIX, .required = 1},
    {.id = PARAM_STANDARDIZE, .on = PARAM_ON_FILES},
};
static const ParamUse MI[] = {
    {.id = PARAM_IMAGES, .required = 1},
    {.id = PARAM_LABELS, .required = 1},
};
static const ParamUse PERMTEST[] = {
    {.id = PARAM_MAP1, .pos = 1, .required = 1, .on = PARAM_ON_SNAPSHOT, .words = JOBS_CORR_MAPS},
    {.id = PARAM_MAP2, .pos = 2, .required = 1, .on = PARAM_ON_SNAPSHOT, .words = JOBS_CORR_MAPS},
    {.id = PARAM_PERMS, .def = 10000, .pos = 3},
    {.id = PARAM_SEED},
    {.id = PARAM_A, .required = 1},
    {.id = PARAM_B, .required = 1},
};
static const ParamUse PAIR[] = {
    {.id = PARAM_A, .required = 1},
    {.id = PARAM_B, .required = 1},
};
static const ParamUse LOCALIZE[] = {
    {.id = PARAM_STIMULUS, .pos = 1, .words = PARAM_STIMULUS_WORDS},
    {.id = PARAM_N_IMAGES, .def = 10000, .pos = 2},
    {.id = PARAM_SEED},
};
static const ParamUse ASSIGN[] = {
    {.id = PARAM_COST, .required = 1},
};
static const ParamUse EDGES[] = {
    {.id = PARAM_FROM, .def = -1, .pos = 1},
    {.id = PARAM_TO, .def = -1, .pos = 2},
};
static const ParamUse CONFUSION[] = {
    {.id = PARAM_CLASS, .def = -1, .pos = 1},
};
static const ParamUse PHASES[] = {
    /* No default: without R the runs the run recorded are used. */
    {.id = PARAM_REPS, .def = 0, .pos = 1},
    {.id = PARAM_ALPHA, .def = 0.01, .pos = 2},
    {.id = PARAM_PERMS, .def = 10000},
    {.id = PARAM_SEED},
};
static const ParamUse DREAM[] = {
    {.id = PARAM_STEPS, .def = 200, .pos = 1},
    {.id = PARAM_SEED},
};
static const ParamUse RFCLUSTERS[] = {
    {.id = PARAM_LAYER, .def = 1, .pos = 1},
    {.id = PARAM_CLUSTERS, .def = 20, .pos = 2},
};
static const char *const MAPPER_FILTERS[] = {"norm", "time", "pca1", "pca2", "pca3", NULL};
static const char *const MAPPER_CLUSTERS[] = {"single", "dbscan", NULL};
static const ParamUse MAPPER[] = {
    {.id = PARAM_POINTS, .required = 1},
    {.id = PARAM_LAYER, .def = 1, .pos = 1, .on = PARAM_ON_SNAPSHOT},
    {.id = PARAM_FILTER, .pos = 2, .words = MAPPER_FILTERS},
    {.id = PARAM_TIME_COLUMN, .def = -1, .on = PARAM_ON_FILES},
    {.id = PARAM_INTERVALS, .def = 10, .pos = 3},
    {.id = PARAM_OVERLAP, .def = 0.5, .pos = 4},
    {.id = PARAM_CLUSTER, .words = MAPPER_CLUSTERS},
    {.id = PARAM_EPS, .def = 0, .pos = 5},
    {.id = PARAM_MIN_SAMPLES, .def = 5},
    {.id = PARAM_DOT},
    {.id = PARAM_THIS_EPOCH, .on = PARAM_ON_SNAPSHOT},
};
static const ParamUse BRANCHES[] = {
    {.id = PARAM_LAYER, .def = 1, .pos = 1},
    {.id = PARAM_EPS, .def = 0, .pos = 2},
};
static const ParamUse TRAJECTORIES[] = {
    {.id = PARAM_LAYER, .def = 1, .pos = 1},
};
static const ParamUse NOTHING[] = {
    {.id = PARAM_SEED},
};

enum { SNAP = ANALYSIS_ON_SNAPSHOT, FILES = ANALYSIS_ON_FILES, PART = ANALYSIS_PARTITION };

const AnalysisSpec analysis_specs[] = {
    {"louvain", "louvain", SNAP | FILES, USES(LOUVAIN), job_louvain,
     "Louvain modularity: best of R runs, their spread"},
    {"consensus", "consensus", SNAP | FILES, USES(CONSENSUS), job_consensus,
     "consensus partition of R Louvain runs (tau 0.5)"},
    {"quality", NULL, FILES, USES(QUALITY), job_quality, "modularity Q of a given partition"},
    {"roles", "roles", SNAP | FILES | PART, USES(ROLES), job_roles,
     "participation coefficient and module z-score"},
    {"modules", "modules", SNAP | PART, USES(MODULES), job_modules,
     "module sizes and their nodes per layer"},
    {"degrees", "degrees", SNAP | FILES | PART, USES(DEGREES), job_degrees,
     "degree, +/- degree, strength, knn with |w| > THETA"},
    {"multislice", NULL, FILES, USES(MULTISLICE), job_multislice,
     "multilayer modularity: Q of partitions, or Louvain"},
    {"flexibility", "flex", SNAP | FILES, USES(FLEXIBILITY), job_flex,
     "flexibility of nodes in a multilayer partition"},
    {"allegiance", "allegiance", SNAP | FILES, USES(FLEXIBILITY), job_allegiance,
     "module allegiance of a multilayer partition"},
    {"fc", "fc", SNAP, USES(FC), job_fc, "correlations of the hidden units, histogram of r"},
    {"moments", "moments", SNAP | FILES, USES(MOMENTS), job_moments,
     "mean, std, skewness and excess kurtosis"},
    {"entropy", NULL, FILES, USES(ENTROPY), job_entropy,
     "entropy (nats) of a Gaussian fitted to the rows"},
    {"pca", "pca", SNAP | FILES, USES(PCA), princomp_run, "explained-variance ratios and n80 of a PCA"},
    {"distances", "distances", SNAP, USES(NOTHING), distances_run,
     "within/between-class distances in PCA space"},
    {"mi", "info", SNAP | FILES, USES(MI), mi_run, "pixel information IP and ID (bits)"},
    {"ih", "ih", SNAP, USES(NOTHING), ih_run, "hidden-unit information IH per layer, by epoch"},
    {"edges", "edges", SNAP, USES(EDGES), edges_run, "sum of |dW| per unit between two epochs"},
    {"permtest", "corr", SNAP | FILES | PART, USES(PERMTEST), corr_run,
     "Pearson r of two maps, permutation p-value"},
    {"phases", "phases", SNAP, USES(PHASES), qphases_run, "early/middle/late phases of Q vs accuracy"},
    {"confusion", "confusion", SNAP, USES(CONFUSION), confusion_run,
     "confusion matrix; with CLASS, its history"},
    {"dream", "dream", SNAP, USES(DREAM), job_dream,
     "digits generated by a DBN: Gibbs sampling from the top down"},
    {"rfclusters", "rfclusters", SNAP, USES(RFCLUSTERS), job_rfclusters,
     "receptive fields clustered by earth mover's distance"},
    {"emd", NULL, FILES, USES(PAIR), transport_emd_run, "earth mover's distance of two non-negative images"},
    {"assign", NULL, FILES, USES(ASSIGN), transport_assign_run, "minimum-cost assignment of a square cost matrix"},
    {"mapper", "mapper", SNAP | FILES, USES(MAPPER), mapper_job_run,
     "Mapper graph of a point cloud or of a layer's weight trajectories"},
    {"branches", "branches", SNAP, USES(BRANCHES), trajectory_branches_run,
     "branches of a layer's weight trajectories over time"},
    {"trajectories", "trajectories", SNAP, USES(TRAJECTORIES), trajectory_pca_run,
     "a layer's weight trajectories on two principal components"},
    {"localize", "localize", SNAP, USES(LOCALIZE), job_localize,
     "each neuron's layer and place guessed from its responses to stimuli (seed 004)"},
};
const size_t analysis_spec_count = N(analysis_specs);

const AnalysisSpec *analysis_find(const char *name)
{
    for (size_t i = 0; i < analysis_spec_count; i++)
        if (strcmp(analysis_specs[i].name, name) == 0)
            return &analysis_specs[i];
    return NULL;
}

const AnalysisSpec *analysis_find_command(const char *command)
{
    for (size_t i = 0; i < analysis_spec_count; i++)
        if (analysis_specs[i].command && strcmp(analysis_specs[i].command, command) == 0)
            return &analysis_specs[i];
    return NULL;
}

const char *const *analysis_words(const AnalysisSpec *spec, ParamId id)
{
    for (size_t i = 0; i < spec->n_uses; i++)
        if (spec->uses[i].id == id)
            return spec->uses[i].words;
    return NULL;
}

void analysis_args_finish(const AnalysisSpec *spec, AnalysisArgs *a, int on_snapshot)
{
    params_finish(a);
    uint64_t given = a->given;
    /* A weight graph has negative weights: on a snapshot the signed
     * asymmetric form (Rubinov & Sporns) is the default, on files bctpy's
     * plain form. */
    if (on_snapshot && !(given & ((uint64_t)1 << PARAM_SIGNED)))
        a->sign = MOD_SIGN_ASYM;
    if (spec->run == job_consensus)
        a->consensus = 1;
    /* A consensus of a few runs is no consensus: 500 runs, as seed paper
     * 000 used, unless --reps says otherwise. */
    if (a->consensus && !(given & ((uint64_t)1 << PARAM_REPS)))
        a->reps = 500;
}

void analysis_args_init(const char *name, AnalysisArgs *a)
{
    const AnalysisSpec *spec = analysis_find(name);
    if (!spec)
        spec = analysis_find_command(name);
    if (!spec) {
        params_defaults(NULL, 0, a);
        return;
    }
    params_defaults(spec->uses, spec->n_uses, a);
    analysis_args_finish(spec, a, 1);
}

Status analysis_run_now(const AnalysisSpec *spec, const Snapshot *s, const AnalysisArgs *a,
                        JobResult **out, char *msg)
{
    *out = NULL;
    JobResult *r = calloc(1, sizeof *r);
    if (!r)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    strbuf_init(&r->text);
    strbuf_init(&r->json);
    snprintf(r->name, sizeof r->name, "%s", spec->command ? spec->command : spec->name);
    r->epoch = s ? s->epoch : 0;
    Status st = spec->run(NULL, s, a, r, msg);
    if (!st && (strbuf_failed(&r->text) || strbuf_failed(&r->json)))
        st = status_fail(msg, ST_ENOMEM, "out of memory formatting the result");
    if (st) {
        job_result_free(r);
        return st;
    }
    *out = r;
    return ST_OK;
}

void analysis_args_json(const AnalysisSpec *spec, const AnalysisArgs *a, StrBuf *out)
{
    JsonWriter w;
    json_init(&w, out);
    json_object_begin(&w);
    for (size_t i = 0; i < spec->n_uses; i++) {
        const ParamUse *u = &spec->uses[i];
        const ParamInfo *p = param_info(u->id);
        if (p->type == PARAM_TYPE_FILE || !param_applies(u, 1))
            continue;
        /* at their defaults these two are left out, so results saved before
         * they existed keep their names */
        if ((u->id == PARAM_METHOD && a->method == COMMUNITY_LOUVAIN) || (u->id == PARAM_ITERATE && !a->iterate) ||
            (u->id == PARAM_RANDOM_MOVES && !a->random_moves))
            continue;
        double v = params_number(a, u->id);
        json_key(&w, p->name);
        switch (p->type) {
        case PARAM_TYPE_WHOLE:
            if (u->id == PARAM_SEED && a->seed > (uint64_t)LLONG_MAX)
                json_real(&w, (double)a->seed);
            else if (u->id == PARAM_SEED)
                json_int(&w, (long long)a->seed);
            else if (v < 0)
                json_null(&w);
            else
                json_int(&w, (long long)v);
            break;
        case PARAM_TYPE_REAL: json_real(&w, v); break;
        case PARAM_TYPE_SIGN: json_string(&w, modsign_name((ModSign)(int)v)); break;
        case PARAM_TYPE_SWITCH: json_bool(&w, v != 0); break;
        case PARAM_TYPE_LAYER:
            if (v == 0)
                json_string(&w, "all");
            else
                json_int(&w, (long long)v);
            break;
        case PARAM_TYPE_WORD:
            json_string(&w, u->id == PARAM_METHOD    ? community_method_name(a->method)
                            : u->id == PARAM_MAP2    ? a->map2
                            : u->id == PARAM_FILTER  ? a->filter
                            : u->id == PARAM_CLUSTER ? a->cluster
                            : u->id == PARAM_STIMULUS ? a->stimulus
                                                     : a->map1);
            break;
        default: json_null(&w); break;
        }
    }
    json_object_end(&w);
}

Status analysis_json_append_args(StrBuf *json, const char *args_json, char *msg)
{
    size_t n = json->len;
    const char *text = strbuf_cstr(json);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    if (n < 2 || text[0] != '{' || text[n - 1] != '}')
        return status_fail(msg, ST_EINVAL, "the result is not a JSON object");
    char *copy = malloc(n);
    if (!copy)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    memcpy(copy, text, n - 1);
    int empty = n == 2;
    strbuf_clear(json);
    strbuf_append_n(json, copy, n - 1);
    strbuf_printf(json, "%s\"args\":%s}", empty ? "" : ",", args_json);
    free(copy);
    return strbuf_failed(json) ? status_fail(msg, ST_ENOMEM, "out of memory") : ST_OK;
}
