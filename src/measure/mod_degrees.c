#include "neurotop/measure/mod_degrees.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/degrees.h"
#include "neurotop/measure/weightq.h"

void degrees_result_done(DegreesResult *r)
{
    if (!r)
        return;
    free(r->degree);
    free(r->strength);
    memset(r, 0, sizeof *r);
}

/* The per-layer means and r of a computed result. */
static Status by_layer(DegreesResult *r, const ModLayers *layers, char *msg)
{
    double *tmp = malloc(r->n * sizeof *tmp);
    if (!tmp)
        return status_fail(msg, ST_ENOMEM, "out of memory for the degrees of %zu nodes", r->n);
    const int *ints[3] = {r->degree, r->degree_pos, r->degree_neg};
    double *means[3] = {r->layer_degree, r->layer_pos, r->layer_neg};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < r->n; i++)
            tmp[i] = ints[k][i];
        mod_layers_mean(layers, tmp, means[k]);
    }
    free(tmp);
    mod_layers_mean(layers, r->strength, r->layer_strength);
    mod_layers_mean(layers, r->knn, r->layer_knn);
    r->has_layers = 1;
    r->n_layers = layers->n_layers;
    memcpy(r->name, layers->name, sizeof r->name);
    r->input_side = layers->input_side;
    Status st = degrees_layer_correlation(r->strength, r->degree, layers->of, r->n, r->n_layers, r->layer_r, msg);
    if (st)
        return st;
    /* r(positive, negative degree): the same Pearson r, the positive degree
     * in the place of the strength. */
    double *pos = malloc(r->n * sizeof *pos);
    if (!pos)
        return status_fail(msg, ST_ENOMEM, "out of memory for the degrees of %zu nodes", r->n);
    for (size_t i = 0; i < r->n; i++)
        pos[i] = r->degree_pos[i];
    st = degrees_layer_correlation(pos, r->degree_neg, layers->of, r->n, r->n_layers, r->layer_r_pn, msg);
    free(pos);
    return st;
}

Status degrees_result_compute(const Matrix *adj, double threshold, const ModLayers *layers,
                              DegreesResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->threshold = threshold;
    r->n = adj->rows;
    size_t n = r->n;
    /* one block of ints and one of reals */
    r->degree = malloc(3 * n * sizeof *r->degree);
    r->strength = malloc(2 * n * sizeof *r->strength);
    if (!r->degree || !r->strength)
        return status_fail(msg, ST_ENOMEM, "out of memory for the degrees of %zu nodes", n);
    r->degree_pos = r->degree + n;
    r->degree_neg = r->degree + 2 * n;
    r->knn = r->strength + n;
    DegreeStats d = {r->degree, r->degree_pos, r->degree_neg, r->strength, r->knn};
    Status st = degrees_compute(adj, threshold, &d, msg);
    if (st || !layers)
        return st;
    return by_layer(r, layers, msg);
}

void degrees_result_json(const DegreesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    degrees_result_json_fields(r, s, w);
    json_object_end(w);
}

void degrees_result_json_fields(const DegreesResult *r, const Snapshot *s, JsonWriter *w)
{
    job_json_context(w, s, (int)GRAPH_PART_WHOLE, NULL);
    json_kv_real(w, "threshold", r->threshold);
    json_key(w, "degree");
    json_int_array(w, r->degree, r->n);
    json_key(w, "degree_pos");
    json_int_array(w, r->degree_pos, r->n);
    json_key(w, "degree_neg");
    json_int_array(w, r->degree_neg, r->n);
    json_key(w, "strength");
    json_real_array(w, r->strength, r->n);
    json_key(w, "knn");
    json_real_array(w, r->knn, r->n);
    if (r->has_layers) {
        json_key(w, "layer_r_strength_degree");
        json_real_array(w, r->layer_r, r->n_layers);
        json_key(w, "layer_r_pos_neg");
        json_real_array(w, r->layer_r_pn, r->n_layers);
    }
}

static double int_mean(const int *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return n ? sum / (double)n : NAN;
}

static double real_mean(const double *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return n ? sum / (double)n : NAN;
}

/* Two tables of at most 40 columns: the result overlay puts maps beside
 * the text and leaves it at least 40 cells, so no column is ever hidden. */
#define DEGREES_ROW_A "%-7s %7.1f %7.1f %7.1f %7.3f\n"
#define DEGREES_ROW_B "%-7s %9.3f %7.1f %10.3f\n"

Status degrees_result_view(const DegreesResult *r, const Snapshot *s, JobResult *out, char *msg)
{
    StrBuf *t = &out->text;
    if (s)
        strbuf_printf(t, "Degrees · epoch %zu\n", s->epoch);
    else
        strbuf_printf(t, "Degrees · %zu nodes\n", r->n);
    strbuf_printf(t, "degree: edges with |w| > %g\nstrength: signed sum of all weights\n\n", r->threshold);
    strbuf_printf(t, "layer    degree    +deg    -deg  r(+,-)\n");
    if (!r->has_layers)
        strbuf_printf(t, DEGREES_ROW_A, "all", int_mean(r->degree, r->n), int_mean(r->degree_pos, r->n),
                      int_mean(r->degree_neg, r->n), NAN);
    for (size_t l = 0; r->has_layers && l < r->n_layers; l++)
        strbuf_printf(t, DEGREES_ROW_A, r->name[l], r->layer_degree[l], r->layer_pos[l], r->layer_neg[l],
                      r->layer_r_pn[l]);
    strbuf_printf(t, "\nlayer    strength     knn  r(str,deg)\n");
    if (!r->has_layers) {
        strbuf_printf(t, DEGREES_ROW_B, "all", real_mean(r->strength, r->n), real_mean(r->knn, r->n), NAN);
        return ST_OK;
    }
    for (size_t l = 0; l < r->n_layers; l++)
        strbuf_printf(t, DEGREES_ROW_B, r->name[l], r->layer_strength[l], r->layer_knn[l], r->layer_r[l]);
    if (!r->input_side)
        return ST_OK;
    size_t side = r->input_side, cells = side * side;
    double *deg = malloc(cells * sizeof *deg);
    Status st = deg ? ST_OK : ST_ENOMEM;
    for (size_t i = 0; deg && i < cells; i++)
        deg[i] = r->degree[i];
    if (!st)
        st = job_result_add_map(out, "degree over the input pixels", deg, side, side, 0);
    if (!st)
        st = job_result_add_map(out, "strength over the input pixels", r->strength, side, side, 1);
    free(deg);
    return st ? status_fail(msg, st, "out of memory for the maps") : ST_OK;
}

/* Means per group of the latest partition (:rfclusters' receptive-field
 * groups, or :louvain's modules): a table on the screen and, in the saved
 * JSON, "groups": {"source", "group", "size", "degree", "degree_pos",
 * "degree_neg", "strength", "knn"} (arrays over the non-empty groups). */
static Status degrees_groups(const DegreesResult *r, const int *label, const JobPartitionInfo *used, JobResult *out,
                             JsonWriter *jw, char *msg)
{
    int top = 0;
    for (size_t i = 0; i < r->n; i++)
        top = label[i] > top ? label[i] : top;
    size_t ng = (size_t)top + 1;
    double *acc = calloc(6 * ng, sizeof *acc);
    if (!acc)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu groups", ng);
    for (size_t i = 0; i < r->n; i++) {
        if (label[i] < 0)
            continue;
        double *g = acc + 6 * (size_t)label[i];
        g[0] += 1;
        g[1] += r->degree[i];
        g[2] += r->degree_pos[i];
        g[3] += r->degree_neg[i];
        g[4] += r->strength[i];
        g[5] += r->knn[i];
    }
    StrBuf *t = &out->text;
    strbuf_printf(t, "\nby group of the latest partition (%s)\n", used->source);
    strbuf_printf(t, "group  size  degree   +deg   -deg  strength    knn\n");
    for (size_t g = 0; g < ng; g++) {
        double *v = acc + 6 * g;
        if (v[0] == 0)
            continue;
        for (int k = 1; k < 6; k++)
            v[k] /= v[0];
        strbuf_printf(t, "%5zu %5.0f %7.1f %6.1f %6.1f %9.3f %6.1f\n", g, v[0], v[1], v[2], v[3], v[4], v[5]);
    }
    static const char *const keys[6] = {"size", "degree", "degree_pos", "degree_neg", "strength", "knn"};
    json_key(jw, "groups");
    json_object_begin(jw);
    json_kv_string(jw, "source", used->source);
    for (int k = -1; k < 6; k++) {
        json_key(jw, k < 0 ? "group" : keys[k]);
        json_array_begin(jw);
        for (size_t g = 0; g < ng; g++)
            if (acc[6 * g] > 0) {
                if (k < 0)
                    json_int(jw, (long long)g);
                else
                    json_real(jw, acc[6 * g + (size_t)k]);
            }
        json_array_end(jw);
    }
    json_object_end(jw);
    free(acc);
    return ST_OK;
}

Status job_degrees(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    WeightQ w;
    weightq_init(&w);
    Matrix *file = NULL;
    DegreesResult r = {0};
    ModLayers layers;
    Status st = s ? weightq_load(&w, s, GRAPH_PART_WHOLE, msg) : mod_read_square(a->files[PARAM_MATRIX], &file, msg);
    if (!st && s)
        mod_layers_make(s, w.layer, w.n_graph, &layers);
    if (!st)
        st = degrees_result_compute(s ? w.adj : file, a->theta, s ? &layers : NULL, &r, msg);
    JobPartitionInfo used;
    int groups = !st && s && job_partition_pick(a, s, GRAPH_PART_WHOLE, r.n, &used);
    if (!st) {
        job_set_progress(job, 0.9);
        JsonWriter jw;
        json_init(&jw, &out->json);
        json_object_begin(&jw);
        degrees_result_json_fields(&r, s, &jw);
        st = degrees_result_view(&r, s, out, msg);
        if (!st && groups)
            st = degrees_groups(&r, a->partition, &used, out, &jw, msg);
        json_object_end(&jw);
    }
    degrees_result_done(&r);
    matrix_free(file);
    weightq_done(&w);
    return st;
}
