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
    for (size_t i = 0; i < layers->n; i++)
        r->layer_n[layers->of[i]]++;
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
    if (s)
        job_json_partition(w, &r->used);
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
    if (s) {
        strbuf_printf(t, "Node roles · epoch %zu · %s graph\n", s->epoch, graph_part_name(r->part));
        job_partition_text(&r->used, t);
    } else {
        strbuf_printf(t, "Node roles · %zu nodes · partition: %s\n", r->n, r->used.source);
    }
    strbuf_printf(t, "participation coefficient (positive weights) and module-degree z-score\n\n");
    strbuf_printf(t, "layer     mean PC   mean MZ\n");
    if (!r->has_layers) {
        strbuf_printf(t, "%-8s %8.4f  %8.4f\n", "all", mean_of(r->pc, r->n), mean_of(r->mz, r->n));
        return ST_OK;
    }
    for (size_t l = 0; l < r->n_layers; l++)
        if (r->layer_n[l])
            strbuf_printf(t, "%-8s %8.4f  %8.4f\n", r->name[l], r->layer_pc[l], r->layer_mz[l]);
    if (!r->layer_n[0]) {
        strbuf_printf(t, "\nThe hidden subgraph leaves out the %s layer: no pixel maps\n"
                         "(:roles on the whole graph draws them).\n", r->name[0]);
        return ST_OK;
    }
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
    if (!r)
        return;
    module_table_done(&r->table);
    strbuf_done(&r->members);
}

void modules_result_json(const ModulesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, (int)r->part, NULL);
    module_table_json(&r->table, w);
    job_json_partition(w, &r->used);
    json_object_end(w);
}

void modules_result_view(const ModulesResult *r, const Snapshot *s, JobResult *out)
{
    strbuf_printf(&out->text, "Modules · epoch %zu · %s graph\n", s->epoch, graph_part_name(r->part));
    job_partition_text(&r->used, &out->text);
    strbuf_append(&out->text, "\n");
    module_table_text(&r->table, &out->text);
    if (r->members.len) {
        strbuf_append(&out->text, "\nunits of each module (0-based; output units are the classes)\n");
        strbuf_append(&out->text, strbuf_cstr(&r->members));
    }
}

/* "0-4,7,9-12" for the sorted indices v[0..n). */
static void append_ranges(StrBuf *out, const size_t *v, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && v[j + 1] == v[j] + 1)
            j++;
        if (j == i)
            strbuf_printf(out, "%s%zu", i ? "," : "", v[i]);
        else
            strbuf_printf(out, "%s%zu-%zu", i ? "," : "", v[i], v[j]);
        i = j + 1;
    }
}

void modules_members_text(const ModLayers *l, const int *labels, const ModuleTable *t, StrBuf *out)
{
    size_t *idx = malloc((l->n ? l->n : 1) * sizeof *idx);
    size_t first[MODEL_MAX_LAYERS];
    if (!idx)
        return;
    /* Nodes come layer by layer: a node's unit is its offset in its layer. */
    for (size_t k = 0; k < MODEL_MAX_LAYERS; k++)
        first[k] = (size_t)-1;
    for (size_t i = 0; i < l->n; i++)
        if (first[l->of[i]] == (size_t)-1)
            first[l->of[i]] = i;
    for (size_t r = 0; r < t->k; r++) {
        size_t m = (size_t)t->order[r];
        if (t->size[m] < 2)
            continue;
        strbuf_printf(out, "module %zu:", m + 1);
        const char *sep = " ";
        for (size_t layer = 0; layer < l->n_layers; layer++) {
            if (layer == 0 && l->input_side)
                continue; /* pixels: counted in the table */
            size_t n = 0;
            for (size_t i = 0; i < l->n; i++)
                if ((size_t)l->of[i] == layer && (size_t)labels[i] == m + 1)
                    idx[n++] = i - first[layer];
            if (!n)
                continue;
            strbuf_printf(out, "%s%s ", sep, l->name[layer]);
            append_ranges(out, idx, n);
            sep = " · ";
        }
        if (sep[0] == ' ' && sep[1] == '\0')
            strbuf_append(out, " input pixels only");
        strbuf_append(out, "\n");
    }
    free(idx);
}

/* The partition of a snapshot for roles and modules, with its part of the
 * weight graph loaded into w: the latest :louvain/:consensus partition when
 * it fits the epoch and the part (job_partition_pick), else the best of 10
 * runs on that part, over the first half of the progress bar. */
static Status partition_for(Job *job, const Snapshot *s, const AnalysisArgs *a, WeightQ *w,
                            const int **labels, GraphPart *part, JobPartitionInfo *used, char *msg)
{
    *part = a->hidden ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE;
    Status st = weightq_load(w, s, *part, msg);
    if (st)
        return st;
    if (job_partition_pick(a, s, (int)*part, w->n_graph, used)) {
        *labels = a->partition;
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
    job_partition_own(used, ROLES_OWN_REPS, a->seed);
    st = weightq_run(w, w->adj, &o, msg);
    *labels = w->best; /* allocated by the runs */
    return st;
}

/* The graph and partition of roles: a snapshot's, or the files'. */
static Status roles_input(Job *job, const Snapshot *s, const AnalysisArgs *a, WeightQ *w, Matrix **file,
                          int **file_labels, const int **labels, GraphPart *part, JobPartitionInfo *used,
                          char *msg)
{
    if (s)
        return partition_for(job, s, a, w, labels, part, used, msg);
    *part = GRAPH_PART_WHOLE;
    snprintf(used->source, sizeof used->source, "%s", a->files[PARAM_PARTITION]);
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
    JobPartitionInfo used;
    memset(&used, 0, sizeof used);
    RolesResult r = {0};
    ModLayers layers;
    Status st = roles_input(job, s, a, &w, &file, &file_labels, &labels, &part, &used, msg);
    if (!st && s)
        mod_layers_make(s, w.layer, w.n_graph, &layers);
    if (!st)
        st = roles_result_compute(s ? w.adj : file, labels, s ? &layers : NULL, &r, msg);
    if (!st) {
        r.part = part;
        r.used = used;
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
    strbuf_init(&r.members);
    const int *labels = NULL;
    ModLayers layers;
    Status st = partition_for(job, s, a, &w, &labels, &r.part, &r.used, msg);
    if (!st) {
        mod_layers_make(s, w.layer, w.n_graph, &layers);
        st = module_table_make(&layers, labels, &r.table, msg);
    }
    if (!st) {
        modules_members_text(&layers, labels, &r.table, &r.members);
        if (strbuf_failed(&r.members))
            st = status_fail(msg, ST_ENOMEM, "out of memory listing the modules' units");
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
