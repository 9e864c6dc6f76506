#include "neurotop/measure/mod_roles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/roles.h"
#include "neurotop/measure/weightq.h"

#define ROLES_OWN_REPS 10

void roles_result_done(RolesResult *r)
{
    if (!r)
        return;
    free(r->pc);
    free(r->mz);
    memset(r, 0, sizeof *r);
}

Status roles_result_compute(const Matrix *adj, const int *labels, const ModLayers *layers,
                            RolesResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->n = adj->rows;
    r->pc = malloc(r->n * sizeof *r->pc);
    r->mz = malloc(r->n * sizeof *r->mz);
    if (!r->pc || !r->mz)
        return status_fail(msg, ST_ENOMEM, "out of memory for the roles of %zu nodes", r->n);
    Status st = roles_compute(adj, labels, r->pc, r->mz, msg);
    if (st || !layers)
        return st;
    r->has_layers = 1;
    r->n_layers = layers->n_layers;
    memcpy(r->name, layers->name, sizeof r->name);
    r->input_side = layers->input_side;
    mod_layers_mean(layers, r->pc, r->layer_pc);
    mod_layers_mean(layers, r->mz, r->layer_mz);
    return ST_OK;
}

void roles_result_json(const RolesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, (int)r->part, NULL);
    json_key(w, "pc");
    json_real_array(w, r->pc, r->n);
    json_key(w, "mz");
    json_real_array(w, r->mz, r->n);
    if (r->has_layers) {
        json_key(w, "layer_mean_pc");
        json_real_array(w, r->layer_pc, r->n_layers);
        json_key(w, "layer_mean_mz");
        json_real_array(w, r->layer_mz, r->n_layers);
    }
    json_object_end(w);
}

static double mean_of(const double *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return n ? sum / (double)n : NAN;
}

Status roles_result_view(const RolesResult *r, const Snapshot *s, JobResult *out, char *msg)
{
    StrBuf *t = &out->text;
    if (s)
        strbuf_printf(t, "Node roles · epoch %zu · partition: %s\n", s->epoch, r->source);
    else
        strbuf_printf(t, "Node roles · %zu nodes · partition: %s\n", r->n, r->source);
    strbuf_printf(t, "participation coefficient (positive weights) and module-degree z-score\n\n");
    strbuf_printf(t, "layer     mean PC   mean MZ\n");
    if (!r->has_layers) {
        strbuf_printf(t, "%-8s %8.4f  %8.4f\n", "all", mean_of(r->pc, r->n), mean_of(r->mz, r->n));
        return ST_OK;
    }
    for (size_t l = 0; l < r->n_layers; l++)
        strbuf_printf(t, "%-8s %8.4f  %8.4f\n", r->name[l], r->layer_pc[l], r->layer_mz[l]);
    if (!r->input_side)
        return ST_OK;
    size_t side = r->input_side;
    if (job_result_add_map(out, "PC over the input pixels", r->pc, side, side, 0) ||
        job_result_add_map(out, "MZ over the input pixels", r->mz, side, side, 1))
        return status_fail(msg, ST_ENOMEM, "out of memory for the maps");
    return ST_OK;
}

void modules_result_done(ModulesResult *r)
{
    if (r)
        module_table_done(&r->table);
}

void modules_result_json(const ModulesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, (int)r->part, NULL);
    module_table_json(&r->table, w);
    json_object_end(w);
}

void modules_result_view(const ModulesResult *r, const Snapshot *s, JobResult *out)
{
    strbuf_printf(&out->text, "Modules · epoch %zu · partition: %s\n\n", s->epoch, r->source);
    module_table_text(&r->table, &out->text);
}

/* The partition of a snapshot for roles and modules, with its part of the
 * weight graph loaded into w: the latest :louvain/:consensus partition (its
 * size tells the part), or the best of 10 runs on the whole graph, over the
 * first half of the progress bar. */
static Status partition_for(Job *job, const Snapshot *s, const AnalysisArgs *a, WeightQ *w,
                            const int **labels, GraphPart *part, const char **source, char *msg)
{
    if (a->partition) {
        *part = a->n_nodes == snapshot_graph_nodes(s, GRAPH_PART_WHOLE) ? GRAPH_PART_WHOLE : GRAPH_PART_HIDDEN;
        Status st = weightq_load(w, s, *part, msg);
        if (st)
            return st;
        if (a->n_nodes != w->n_graph)
            return status_fail(msg, ST_EINVAL, "the saved partition has %zu nodes, the graph %zu", a->n_nodes,
                               w->n_graph);
        *labels = a->partition;
        *source = "the latest :louvain/:consensus partition";
        return ST_OK;
    }
    ModProgress p = {job, 0.0, 0.5};
    WeightQOptions o;
    weightq_options_default(&o); /* signed asym, gamma 1 */
    o.reps = ROLES_OWN_REPS;
    o.seed = a->seed;
    o.cancel = job_cancel_flag(job);
    o.progress = mod_progress;
    o.progress_user = &p;
    *part = GRAPH_PART_WHOLE;
    *source = "a 10-run Louvain partition (run :consensus first to use the consensus)";
    Status st = weightq_snapshot(w, s, *part, &o, msg);
    *labels = w->best; /* allocated by the runs */
    return st;
}

/* The graph and partition of roles: a snapshot's, or the files'. */
static Status roles_input(Job *job, const Snapshot *s, const AnalysisArgs *a, WeightQ *w, Matrix **file,
                          int **file_labels, const int **labels, GraphPart *part, const char **source,
                          char *msg)
{
    if (s)
        return partition_for(job, s, a, w, labels, part, source, msg);
    *part = GRAPH_PART_WHOLE;
    *source = a->files[PARAM_PARTITION];
    Status st = mod_read_square(a->files[PARAM_MATRIX], file, msg);
    if (!st)
        st = mod_read_partition(a->files[PARAM_PARTITION], (*file)->rows, file_labels, msg);
    *labels = *file_labels;
    return st;
}

Status job_roles(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    WeightQ w;
    weightq_init(&w);
    Matrix *file = NULL;
    int *file_labels = NULL;
    const int *labels = NULL;
    GraphPart part = GRAPH_PART_WHOLE;
    const char *source = "";
    RolesResult r = {0};
    ModLayers layers;
    Status st = roles_input(job, s, a, &w, &file, &file_labels, &labels, &part, &source, msg);
    if (!st && s)
        mod_layers_make(s, w.layer, w.n_graph, &layers);
    if (!st)
        st = roles_result_compute(s ? w.adj : file, labels, s ? &layers : NULL, &r, msg);
    if (!st) {
        r.part = part;
        r.source = source;
        job_set_progress(job, 0.9);
        JsonWriter jw;
        json_init(&jw, &out->json);
        roles_result_json(&r, s, &jw);
        st = roles_result_view(&r, s, out, msg);
    }
    roles_result_done(&r);
    free(file_labels);
    matrix_free(file);
    weightq_done(&w);
    return st;
}

Status job_modules(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    if (!s)
        return status_fail(msg, ST_EINVAL, "modules runs on a snapshot's weight graph only");
    WeightQ w;
    weightq_init(&w);
    ModulesResult r = {0};
    const int *labels = NULL;
    ModLayers layers;
    Status st = partition_for(job, s, a, &w, &labels, &r.part, &r.source, msg);
    if (!st) {
        mod_layers_make(s, w.layer, w.n_graph, &layers);
        st = module_table_make(&layers, labels, &r.table, msg);
    }
    if (!st) {
        JsonWriter jw;
        json_init(&jw, &out->json);
        modules_result_json(&r, s, &jw);
        modules_result_view(&r, s, out);
    }
    modules_result_done(&r);
    weightq_done(&w);
    return st;
}
