#include "neurotop/measure/jobs_modularity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/consensus.h"
#include "neurotop/analysis/degrees.h"
#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/roles.h"
#include "neurotop/measure/weightgraph.h"

static Status weight_graph(const Snapshot *s, int hidden, WeightGraph **g, char *msg)
{
    return snapshot_weight_graph(s, hidden ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE, g, msg);
}

static const char *graph_name(int hidden)
{
    return hidden ? "hidden subgraph" : "weight graph";
}

/* Module sizes and their make-up by layer, largest modules first. */
static void describe_modules(const Snapshot *s, const WeightGraph *g, const int *labels, size_t n,
                             StrBuf *text, JsonWriter *w)
{
    size_t L = s->config.n_layers;
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (labels[i] > k)
            k = labels[i];
    size_t *count = calloc((size_t)k * L + 1, sizeof *count);
    size_t *size = calloc((size_t)k + 1, sizeof *size);
    int *order = malloc(((size_t)k + 1) * sizeof *order);
    if (!count || !size || !order) {
        free(count);
        free(size);
        free(order);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        count[(size_t)(labels[i] - 1) * L + (size_t)g->layer[i]]++;
        size[labels[i] - 1]++;
    }
    for (int m = 0; m < k; m++)
        order[m] = m;
    for (int a = 1; a < k; a++) /* insertion sort by size, descending */
        for (int b = a; b > 0 && size[order[b]] > size[order[b - 1]]; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    strbuf_printf(text, "module  size ");
    for (size_t l = 0; l < L; l++) {
        char name[16];
        model_layer_name(&s->config, l, 0, name, sizeof name);
        strbuf_printf(text, " %7s", name);
    }
    strbuf_append(text, "\n");
    json_key(w, "modules");
    json_array_begin(w);
    for (int r = 0; r < k; r++) {
        int m = order[r];
        strbuf_printf(text, "%6d %5zu ", m + 1, size[m]);
        json_object_begin(w);
        json_kv_int(w, "module", m + 1);
        json_kv_int(w, "size", (long long)size[m]);
        json_key(w, "per_layer");
        json_array_begin(w);
        for (size_t l = 0; l < L; l++) {
            strbuf_printf(text, " %7zu", count[(size_t)m * L + l]);
            json_int(w, (long long)count[(size_t)m * L + l]);
        }
        json_array_end(w);
        json_object_end(w);
        strbuf_append(text, "\n");
    }
    json_array_end(w);
    free(count);
    free(size);
    free(order);
}

/* Louvain runs in slices so progress and cancel are seen between slices. */
static Status run_reps(Job *job, const LouvainOp *op, uint64_t seed, size_t reps, double *q, int *parts,
                       double from, double to, char *msg)
{
    size_t slice = reps / 20 ? reps / 20 : 1;
    for (size_t r0 = 0; r0 < reps; r0 += slice) {
        size_t r1 = r0 + slice < reps ? r0 + slice : reps;
        Status st = louvain_run_range(op, seed, 0, r0, r1, q, parts, job_cancel_flag(job), msg);
        if (st)
            return st;
        job_set_progress(job, from + (to - from) * (double)r1 / (double)reps);
    }
    return ST_OK;
}

typedef struct {
    WeightGraph *g;
    Matrix *b;
    LouvainOp op;
    double *q;
    int *parts;
    int *best;
    size_t n, reps;
    LouvainSummary sum;
} Runs;

static void runs_done(Runs *r)
{
    graph_free(r->g);
    matrix_free(r->b);
    free(r->q);
    free(r->parts);
    free(r->best);
}

/* Graph, B and R Louvain runs with the best partition, over progress [0, to]. */
static Status runs_make(Job *job, const Snapshot *s, const AnalysisArgs *a, size_t reps, double to, Runs *r,
                        char *msg)
{
    memset(r, 0, sizeof *r);
    Status st = weight_graph(s, a->hidden, &r->g, msg);
    if (st)
        return st;
    r->n = r->g->adj->rows;
    r->reps = reps;
    r->b = matrix_new(r->n, r->n);
    r->q = malloc(reps * sizeof(double));
    r->parts = malloc(reps * r->n * sizeof(int));
    r->best = malloc(r->n * sizeof(int));
    if (!r->b || !r->q || !r->parts || !r->best)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs", reps);
    if ((st = modmat_build(r->g->adj, a->gamma, a->sign, r->b, NULL, msg)))
        return st;
    louvain_op_dense(&r->op, r->b);
    if ((st = run_reps(job, &r->op, a->seed, reps, r->q, r->parts, 0.0, to, msg)))
        return st;
    if ((st = louvain_summarize(r->q, reps, &r->sum, msg)))
        return st;
    memcpy(r->best, r->parts + r->sum.best * r->n, r->n * sizeof(int));
    return ST_OK;
}

static Status keep_partition(JobResult *out, const int *labels, size_t n, char *msg)
{
    out->partition = malloc(n * sizeof(int));
    if (!out->partition)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    memcpy(out->partition, labels, n * sizeof(int));
    out->n_nodes = n;
    return ST_OK;
}

static size_t total_units(const Snapshot *s)
{
    size_t n = 0;
    for (size_t l = 0; l < s->config.n_layers; l++)
        n += s->config.sizes[l];
    return n;
}

static void header(JsonWriter *w, const Snapshot *s, const AnalysisArgs *a)
{
    json_object_begin(w);
    json_kv_string(w, "graph", a->hidden ? "hidden" : "whole");
    json_kv_int(w, "epoch", (long long)s->epoch);
    json_kv_real(w, "gamma", a->gamma);
    json_kv_string(w, "signed", modsign_name(a->sign));
}

Status job_louvain(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Runs r;
    Status st = runs_make(job, s, a, (size_t)a->reps, 1.0, &r, msg);
    if (!st)
        st = keep_partition(out, r.best, r.n, msg);
    if (!st) {
        size_t k = 0;
        for (size_t i = 0; i < r.n; i++)
            k = (size_t)r.best[i] > k ? (size_t)r.best[i] : k;
        strbuf_printf(&out->text, "Louvain · %s, %zu nodes, %s, gamma %g · epoch %zu · %ld runs\n",
                      graph_name(a->hidden), r.n, modsign_name(a->sign), a->gamma, s->epoch, a->reps);
        strbuf_printf(&out->text, "Q best %.4f   mean %.4f ± %.4f   range %.4f – %.4f   %zu modules\n\n",
                      r.sum.q_best, r.sum.q_mean, r.sum.q_sd, r.sum.q_min, r.sum.q_max, k);
        JsonWriter w;
        json_init(&w, &out->json);
        header(&w, s, a);
        json_kv_int(&w, "reps", a->reps);
        json_kv_real(&w, "Q", r.sum.q_best);
        json_kv_real(&w, "q_mean", r.sum.q_mean);
        json_kv_real(&w, "q_sd", r.sum.q_sd);
        json_kv_real(&w, "q_min", r.sum.q_min);
        json_kv_real(&w, "q_max", r.sum.q_max);
        json_kv_int(&w, "n_communities", (long long)k);
        describe_modules(s, r.g, r.best, r.n, &out->text, &w);
        json_key(&w, "partition");
        json_int_array(&w, r.best, r.n);
        json_object_end(&w);
    }
    runs_done(&r);
    return st;
}

static void consensus_progress(void *user, double frac)
{
    job_set_progress(user, 0.5 + 0.5 * frac);
}

Status job_consensus(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Runs r;
    Status st = runs_make(job, s, a, (size_t)a->reps, 0.5, &r, msg);
    int *cons = st ? NULL : malloc(r.n * sizeof(int));
    size_t k = 0, rounds = 0;
    if (!st && !cons)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st) {
        ConsensusOptions o;
        consensus_options_default(&o);
        o.reps = (size_t)a->reps;
        o.seed = a->seed;
        o.cancel = job_cancel_flag(job);
        o.progress = consensus_progress;
        o.progress_user = job;
        st = consensus_run(&r.op, r.parts, r.reps, &o, cons, &k, &rounds, msg);
    }
    double q = NAN;
    if (!st)
        st = louvain_quality(&r.op, cons, &q, msg);
    if (!st)
        st = keep_partition(out, cons, r.n, msg);
    if (!st) {
        strbuf_printf(&out->text, "Consensus · %s, %zu nodes, %s · epoch %zu · %ld runs, %zu round%s\n",
                      graph_name(a->hidden), r.n, modsign_name(a->sign), s->epoch, a->reps, rounds,
                      rounds == 1 ? "" : "s");
        strbuf_printf(&out->text, "consensus Q %.4f   %zu modules   (runs: best %.4f, mean %.4f ± %.4f)\n\n", q,
                      k, r.sum.q_best, r.sum.q_mean, r.sum.q_sd);
        JsonWriter w;
        json_init(&w, &out->json);
        header(&w, s, a);
        json_kv_int(&w, "reps", a->reps);
        json_kv_int(&w, "rounds", (long long)rounds);
        json_kv_real(&w, "Q", q);
        json_kv_real(&w, "q_best_run", r.sum.q_best);
        json_kv_real(&w, "q_mean", r.sum.q_mean);
        json_kv_real(&w, "q_sd", r.sum.q_sd);
        json_kv_int(&w, "n_communities", (long long)k);
        describe_modules(s, r.g, cons, r.n, &out->text, &w);
        json_key(&w, "partition");
        json_int_array(&w, cons, r.n);
        json_object_end(&w);
    }
    free(cons);
    runs_done(&r);
    return st;
}

/* A partition for roles/modules: the given one, or 10 Louvain runs. */
static Status partition_for(Job *job, const Snapshot *s, const AnalysisArgs *a, Runs *r, const int **labels,
                            const char **source, char *msg)
{
    if (a->partition) {
        memset(r, 0, sizeof *r);
        /* The saved partition tells which graph it belongs to by its size. */
        int hidden = a->n_nodes != total_units(s);
        Status st = weight_graph(s, hidden, &r->g, msg);
        if (st)
            return st;
        r->n = r->g->adj->rows;
        if (a->n_nodes != r->n)
            return status_fail(msg, ST_EINVAL, "the saved partition has %zu nodes, the graph %zu", a->n_nodes, r->n);
        *labels = a->partition;
        *source = "the latest :louvain/:consensus partition";
        return ST_OK;
    }
    AnalysisArgs own = *a;
    own.reps = 10;
    Status st = runs_make(job, s, &own, 10, 0.5, r, msg);
    *labels = r->best;
    *source = "a 10-run Louvain partition (run :consensus first to use the consensus)";
    return st;
}

static void layer_means(const Snapshot *s, const WeightGraph *g, const double *v, size_t n, double *mean)
{
    size_t cnt[MODEL_MAX_LAYERS] = {0};
    for (size_t l = 0; l < MODEL_MAX_LAYERS; l++)
        mean[l] = 0;
    for (size_t i = 0; i < n; i++) {
        mean[g->layer[i]] += v[i];
        cnt[g->layer[i]]++;
    }
    for (size_t l = 0; l < s->config.n_layers; l++)
        mean[l] = cnt[l] ? mean[l] / (double)cnt[l] : NAN;
}

/* Input pixels as a square picture when the input layer is a square. */
static void add_input_map(JobResult *out, const char *label, const double *v, size_t n_in, int diverging)
{
    size_t side = (size_t)llround(sqrt((double)n_in));
    if (side * side == n_in)
        job_result_add_map(out, label, v, side, side, diverging);
}

Status job_roles(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Runs r;
    const int *labels = NULL;
    const char *source = "";
    Status st = partition_for(job, s, a, &r, &labels, &source, msg);
    double *pc = st ? NULL : malloc(r.n * sizeof(double));
    double *mz = st ? NULL : malloc(r.n * sizeof(double));
    if (!st && (!pc || !mz))
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st)
        st = roles_compute(r.g->adj, labels, pc, mz, msg);
    if (!st) {
        job_set_progress(job, 0.9);
        double mpc[MODEL_MAX_LAYERS], mmz[MODEL_MAX_LAYERS];
        layer_means(s, r.g, pc, r.n, mpc);
        layer_means(s, r.g, mz, r.n, mmz);
        strbuf_printf(&out->text, "Node roles · epoch %zu · partition: %s\n", s->epoch, source);
        strbuf_printf(&out->text, "participation coefficient (positive weights) and module-degree z-score\n\n");
        strbuf_printf(&out->text, "layer     mean PC   mean MZ\n");
        JsonWriter w;
        json_init(&w, &out->json);
        header(&w, s, a);
        json_key(&w, "layer_mean_pc");
        json_real_array(&w, mpc, s->config.n_layers);
        json_key(&w, "layer_mean_mz");
        json_real_array(&w, mmz, s->config.n_layers);
        for (size_t l = 0; l < s->config.n_layers; l++) {
            char name[16];
            model_layer_name(&s->config, l, 0, name, sizeof name);
            strbuf_printf(&out->text, "%-8s %8.4f  %8.4f\n", name, mpc[l], mmz[l]);
        }
        json_key(&w, "pc");
        json_real_array(&w, pc, r.n);
        json_key(&w, "mz");
        json_real_array(&w, mz, r.n);
        json_object_end(&w);
        if (r.g->layer[0] == 0) { /* the input layer is part of the graph */
            add_input_map(out, "PC over the input pixels", pc, s->config.sizes[0], 0);
            add_input_map(out, "MZ over the input pixels", mz, s->config.sizes[0], 1);
        }
    }
    free(pc);
    free(mz);
    runs_done(&r);
    return st;
}

Status job_modules(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Runs r;
    const int *labels = NULL;
    const char *source = "";
    Status st = partition_for(job, s, a, &r, &labels, &source, msg);
    if (!st) {
        strbuf_printf(&out->text, "Modules · epoch %zu · partition: %s\n\n", s->epoch, source);
        JsonWriter w;
        json_init(&w, &out->json);
        header(&w, s, a);
        describe_modules(s, r.g, labels, r.n, &out->text, &w);
        json_object_end(&w);
    }
    runs_done(&r);
    return st;
}

Status job_degrees(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    WeightGraph *g = NULL;
    Status st = weight_graph(s, 0, &g, msg);
    size_t n = st ? 0 : g->adj->rows;
    DegreeStats d = {0};
    if (!st) {
        d.degree = malloc(n * sizeof(int));
        d.degree_pos = malloc(n * sizeof(int));
        d.degree_neg = malloc(n * sizeof(int));
        d.strength = malloc(n * sizeof(double));
        d.knn = malloc(n * sizeof(double));
        if (!d.degree || !d.degree_pos || !d.degree_neg || !d.strength || !d.knn)
            st = status_fail(msg, ST_ENOMEM, "out of memory");
    }
    if (!st)
        st = degrees_compute(g->adj, a->theta, &d, msg);
    double r[MODEL_MAX_LAYERS];
    if (!st)
        st = degrees_layer_correlation(d.strength, d.degree, g->layer, n, s->config.n_layers, r, msg);
    if (!st) {
        job_set_progress(job, 0.9);
        double *tmp = malloc(n * sizeof(double));
        if (!tmp) {
            st = status_fail(msg, ST_ENOMEM, "out of memory");
        } else {
            strbuf_printf(&out->text, "Degrees · epoch %zu · edges with |w| > %g (strength: signed, all weights)\n\n",
                          s->epoch, a->theta);
            strbuf_printf(&out->text, "layer     degree   +deg    -deg   strength     knn   r(str,deg)\n");
            double md[MODEL_MAX_LAYERS], mp[MODEL_MAX_LAYERS], mn[MODEL_MAX_LAYERS], ms[MODEL_MAX_LAYERS],
                mk[MODEL_MAX_LAYERS];
            const int *ints[3] = {d.degree, d.degree_pos, d.degree_neg};
            double *means[3] = {md, mp, mn};
            for (int k = 0; k < 3; k++) {
                for (size_t i = 0; i < n; i++)
                    tmp[i] = ints[k][i];
                layer_means(s, g, tmp, n, means[k]);
            }
            layer_means(s, g, d.strength, n, ms);
            layer_means(s, g, d.knn, n, mk);
            JsonWriter w;
            json_init(&w, &out->json);
            header(&w, s, a);
            json_kv_real(&w, "threshold", a->theta);
            for (size_t l = 0; l < s->config.n_layers; l++) {
                char name[16];
                model_layer_name(&s->config, l, 0, name, sizeof name);
                strbuf_printf(&out->text, "%-8s %7.1f %7.1f %7.1f %10.3f %7.1f %9.3f\n", name, md[l], mp[l], mn[l],
                              ms[l], mk[l], r[l]);
            }
            json_key(&w, "layer_r_strength_degree");
            json_real_array(&w, r, s->config.n_layers);
            json_key(&w, "degree");
            json_int_array(&w, d.degree, n);
            json_key(&w, "strength");
            json_real_array(&w, d.strength, n);
            json_key(&w, "knn");
            json_real_array(&w, d.knn, n);
            json_object_end(&w);
            for (size_t i = 0; i < n; i++)
                tmp[i] = d.degree[i];
            add_input_map(out, "degree over the input pixels", tmp, s->config.sizes[0], 0);
            add_input_map(out, "strength over the input pixels", d.strength, s->config.sizes[0], 1);
            free(tmp);
        }
    }
    free(d.degree);
    free(d.degree_pos);
    free(d.degree_neg);
    free(d.strength);
    free(d.knn);
    graph_free(g);
    return st;
}
