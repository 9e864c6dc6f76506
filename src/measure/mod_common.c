#include "neurotop/measure/mod_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/fileio.h"

Status mod_read_square(const char *path, Matrix **out, char *msg)
{
    Status st = matrix_read_file(path, out, msg);
    if (st)
        return st;
    if ((*out)->rows != (*out)->cols) {
        st = status_fail(msg, ST_EINVAL, "%s is %zu×%zu, but a square matrix is needed", path,
                         (*out)->rows, (*out)->cols);
        matrix_free(*out);
        *out = NULL;
    }
    return st;
}

Status mod_read_partition(const char *path, size_t n, int **out, char *msg)
{
    long *raw;
    size_t len;
    *out = NULL;
    Status st = labels_read_file(path, &raw, &len, msg);
    if (st)
        return st;
    if (len != n) {
        free(raw);
        return status_fail(msg, ST_EINVAL, "%s has %zu labels, but the matrix has %zu rows", path,
                           len, n);
    }
    *out = malloc(n * sizeof **out);
    if (!*out)
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n);
    else if ((st = modmat_relabel_long(raw, n, *out, NULL, msg))) {
        free(*out);
        *out = NULL;
    }
    free(raw);
    return st;
}

void mod_layers_make(const Snapshot *s, const int *of, size_t n, ModLayers *out)
{
    memset(out, 0, sizeof *out);
    out->n_layers = s->config.n_layers;
    for (size_t l = 0; l < out->n_layers; l++)
        model_layer_name(&s->config, l, 0, out->name[l], sizeof out->name[l]);
    out->of = of;
    out->n = n;
    size_t side = (size_t)llround(sqrt((double)s->config.sizes[0])), nodes[MODEL_MAX_LAYERS];
    /* Maps over the pixels only when the graph has a node per pixel (not
     * LeNet's family graph, whose input is one node). */
    int per_pixel = model_graph_sizes(&s->config, nodes) > 0 && nodes[0] == s->config.sizes[0];
    if (n > 0 && of[0] == 0 && side * side == s->config.sizes[0] && per_pixel)
        out->input_side = side;
}

void mod_layers_mean(const ModLayers *l, const double *v, double *mean)
{
    size_t count[MODEL_MAX_LAYERS] = {0};
    for (size_t j = 0; j < l->n_layers; j++)
        mean[j] = 0.0;
    for (size_t i = 0; i < l->n; i++) {
        mean[l->of[i]] += v[i];
        count[l->of[i]]++;
    }
    for (size_t j = 0; j < l->n_layers; j++)
        mean[j] = count[j] ? mean[j] / (double)count[j] : NAN;
}

Status mod_layers_input_map(const ModLayers *l, JobResult *out, const char *label, const double *v,
                            int diverging, char *msg)
{
    if (!l->input_side)
        return ST_OK;
    if (job_result_add_map(out, label, v, l->input_side, l->input_side, diverging))
        return status_fail(msg, ST_ENOMEM, "out of memory for the map %s", label);
    return ST_OK;
}

Status module_table_make(const ModLayers *l, const int *labels, ModuleTable *t, char *msg)
{
    memset(t, 0, sizeof *t);
    t->n_layers = l->n_layers;
    memcpy(t->name, l->name, sizeof t->name);
    for (size_t i = 0; i < l->n; i++) {
        if (labels[i] < 1)
            return status_fail(msg, ST_EINVAL, "node %zu has module label %d, but labels start at 1", i,
                               labels[i]);
        if ((size_t)labels[i] > t->k)
            t->k = (size_t)labels[i];
    }
    t->size = calloc(t->k + 1, sizeof *t->size);
    t->count = calloc(t->k * t->n_layers + 1, sizeof *t->count);
    t->order = malloc((t->k + 1) * sizeof *t->order);
    if (!t->size || !t->count || !t->order) {
        module_table_done(t);
        return status_fail(msg, ST_ENOMEM, "out of memory for a table of %zu modules", t->k);
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t m = (size_t)labels[i] - 1;
        t->size[m]++;
        t->count[m * t->n_layers + (size_t)l->of[i]]++;
    }
    for (size_t m = 0; m < t->k; m++) { /* insertion sort by size; ties keep label order */
        size_t b = m;
        for (; b > 0 && t->size[m] > t->size[t->order[b - 1]]; b--)
            t->order[b] = t->order[b - 1];
        t->order[b] = (int)m;
    }
    return ST_OK;
}

void module_table_done(ModuleTable *t)
{
    if (!t)
        return;
    free(t->size);
    free(t->count);
    free(t->order);
    t->size = t->count = NULL;
    t->order = NULL;
    t->k = 0;
}

void module_table_json(const ModuleTable *t, JsonWriter *w)
{
    json_key(w, "modules");
    json_array_begin(w);
    for (size_t r = 0; r < t->k; r++) {
        size_t m = (size_t)t->order[r];
        json_object_begin(w);
        json_kv_int(w, "module", (long long)m + 1);
        json_kv_int(w, "size", (long long)t->size[m]);
        json_key(w, "per_layer");
        json_array_begin(w);
        for (size_t l = 0; l < t->n_layers; l++)
            json_int(w, (long long)t->count[m * t->n_layers + l]);
        json_array_end(w);
        json_object_end(w);
    }
    json_array_end(w);
}

void module_table_text(const ModuleTable *t, StrBuf *text)
{
    strbuf_printf(text, "module  size ");
    for (size_t l = 0; l < t->n_layers; l++)
        strbuf_printf(text, " %7s", t->name[l]);
    strbuf_append(text, "\n");
    /* Single-node modules (hundreds of input pixels in a whole-graph
     * consensus) are one line of counts, not a row each. */
    size_t singles = 0, single_in[MODEL_MAX_LAYERS] = {0};
    for (size_t r = 0; r < t->k; r++) {
        size_t m = (size_t)t->order[r];
        if (t->size[m] == 1) {
            singles++;
            for (size_t l = 0; l < t->n_layers && l < MODEL_MAX_LAYERS; l++)
                single_in[l] += t->count[m * t->n_layers + l];
            continue;
        }
        strbuf_printf(text, "%6zu %5zu ", m + 1, t->size[m]);
        for (size_t l = 0; l < t->n_layers; l++)
            strbuf_printf(text, " %7zu", t->count[m * t->n_layers + l]);
        strbuf_append(text, "\n");
    }
    if (!singles)
        return;
    strbuf_printf(text, "+ %zu single-node module%s:", singles, singles == 1 ? "" : "s");
    const char *sep = " ";
    for (size_t l = 0; l < t->n_layers && l < MODEL_MAX_LAYERS; l++)
        if (single_in[l]) {
            strbuf_printf(text, "%s%zu %s", sep, single_in[l], t->name[l]);
            sep = ", ";
        }
    strbuf_append(text, "\n");
}

Status mod_keep_partition(JobResult *out, const int *labels, size_t n, char *msg)
{
    free(out->partition);
    out->partition = malloc(n * sizeof *out->partition);
    out->n_nodes = out->partition ? n : 0;
    if (!out->partition)
        return status_fail(msg, ST_ENOMEM, "out of memory for a %zu-node partition", n);
    memcpy(out->partition, labels, n * sizeof *labels);
    return ST_OK;
}

void mod_progress(void *user, double frac)
{
    const ModProgress *p = user;
    job_set_progress(p->job, p->from + (p->to - p->from) * frac);
}
