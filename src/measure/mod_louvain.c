#include "neurotop/measure/mod_louvain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/consensus.h"

void louvain_result_done(LouvainResult *r)
{
    if (!r)
        return;
    free(r->partition);
    module_table_done(&r->modules);
    memset(r, 0, sizeof *r);
}

/* The consensus of the kept runs of w, with progress over [from, 1]. */
static Status make_consensus(WeightQ *w, const AnalysisArgs *a, Job *job, double from, LouvainResult *r,
                             char *msg)
{
    ModProgress p = {job, from, 1.0};
    ConsensusOptions o;
    consensus_options_default(&o);
    o.reps = (size_t)a->reps;
    o.seed = a->seed;
    o.algo = params_algo(a);
    o.cancel = job_cancel_flag(job);
    o.progress = mod_progress;
    o.progress_user = &p;
    Status st = consensus_run(&w->op, w->runs, (size_t)a->reps, &o, r->partition, &r->k, &r->rounds, msg);
    return st ? st : louvain_quality(&w->op, r->partition, &r->q, msg);
}

Status louvain_result_compute(WeightQ *w, const Matrix *adj, const ModLayers *layers,
                              const AnalysisArgs *a, Job *job, LouvainResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->part = a->hidden ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE;
    r->gamma = a->gamma;
    r->sign = a->sign;
    r->consensus = a->consensus;
    r->algo = params_algo(a);
    /* A consensus spends about half its time on the rounds after the runs. */
    ModProgress p = {job, 0.0, a->consensus ? 0.5 : 1.0};
    WeightQOptions o = {.gamma = a->gamma, .sign = a->sign, .reps = (size_t)a->reps, .seed = a->seed,
                        .keep_runs = a->consensus, .algo = params_algo(a), .cancel = job_cancel_flag(job),
                        .progress = mod_progress, .progress_user = &p};
    Status st = weightq_run(w, adj, &o, msg);
    if (st)
        return st;
    r->n = w->n;
    r->runs = w->sum;
    r->partition = malloc(r->n * sizeof *r->partition);
    if (!r->partition)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-node partition", r->n);
    if (a->consensus) {
        if ((st = make_consensus(w, a, job, p.to, r, msg)))
            return st;
    } else {
        memcpy(r->partition, w->best, r->n * sizeof *r->partition);
        r->k = w->k;
        r->q = w->sum.q_best;
    }
    if (layers) {
        if ((st = module_table_make(layers, r->partition, &r->modules, msg)))
            return st;
        r->has_modules = 1;
    }
    return ST_OK;
}

void louvain_result_json(const LouvainResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, (int)r->part, NULL);
    json_kv_real(w, "gamma", r->gamma);
    json_kv_string(w, "signed", modsign_name(r->sign));
    weightq_algo_json(w, &r->algo);
    weightq_summary_json(w, &r->runs, r->q, r->k, r->partition, r->n, 0);
    if (r->consensus)
        json_kv_int(w, "consensus_rounds", (long long)r->rounds);
    if (r->has_modules)
        module_table_json(&r->modules, w);
    json_object_end(w);
}

static const char *graph_label(const LouvainResult *r, const Snapshot *s)
{
    if (!s)
        return "matrix";
    return r->part == GRAPH_PART_HIDDEN ? "hidden subgraph" : "weight graph";
}

void louvain_result_view(const LouvainResult *r, const Snapshot *s, JobResult *out)
{
    StrBuf *t = &out->text;
    const LouvainSummary *u = &r->runs;
    char epoch[40] = "";
    if (s)
        snprintf(epoch, sizeof epoch, " · epoch %zu", s->epoch);
    if (r->consensus) {
        strbuf_printf(t, "Consensus · %s, %zu nodes, %s%s · %zu %s runs, %zu round%s\n", graph_label(r, s), r->n,
                      modsign_name(r->sign), epoch, u->reps, community_algo_label(&r->algo), r->rounds,
                      r->rounds == 1 ? "" : "s");
        strbuf_printf(t, "consensus Q %.4f   %zu modules   (runs: best %.4f, mean %.4f ± %.4f)\n\n", r->q, r->k,
                      u->q_best, u->q_mean, u->q_sd);
    } else {
        strbuf_printf(t, "%s · %s, %zu nodes, %s, gamma %g%s · %zu runs\n", community_algo_label(&r->algo),
                      graph_label(r, s), r->n, modsign_name(r->sign), r->gamma, epoch, u->reps);
        strbuf_printf(t, "Q best %.4f   mean %.4f ± %.4f   range %.4f – %.4f   %zu modules\n\n", u->q_best,
                      u->q_mean, u->q_sd, u->q_min, u->q_max, r->k);
    }
    if (r->has_modules)
        module_table_text(&r->modules, t);
}

Status job_louvain(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    WeightQ w;
    weightq_init(&w);
    Matrix *file = NULL;
    LouvainResult r = {0};
    ModLayers layers;
    Status st;
    if (s) {
        st = weightq_load(&w, s, a->hidden ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE, msg);
        if (!st)
            mod_layers_make(s, w.layer, w.n_graph, &layers);
    } else {
        st = mod_read_square(a->files[PARAM_MATRIX], &file, msg);
    }
    if (!st)
        st = louvain_result_compute(&w, s ? w.adj : file, s ? &layers : NULL, a, job, &r, msg);
    if (!st && s)
        st = mod_keep_partition(out, r.partition, r.n, msg);
    if (!st) {
        JsonWriter jw;
        json_init(&jw, &out->json);
        louvain_result_json(&r, s, &jw);
        louvain_result_view(&r, s, out);
    }
    louvain_result_done(&r);
    matrix_free(file);
    weightq_done(&w);
    return st;
}

Status job_consensus(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    AnalysisArgs own = *a;
    own.consensus = 1;
    return job_louvain(job, s, &own, out, msg);
}
