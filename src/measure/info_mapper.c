/* Mapper of a point cloud as an analysis (info_mapper.h). */
#include "neurotop/measure/info_mapper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

void mapper_result_done(MapperResult *r)
{
    mapper_graph_free(r->graph);
    memset(r, 0, sizeof *r);
}

/* The filter a word names: its kind and number of dimensions. */
static Status filter_parse(const char *word, MapperFilter *kind, size_t *dims, char *msg)
{
    if (strcmp(word, "norm") == 0 || strcmp(word, "time") == 0) {
        *kind = word[0] == 'n' ? MAPPER_FILTER_NORM : MAPPER_FILTER_TIME;
        *dims = 1;
        return ST_OK;
    }
    if (strncmp(word, "pca", 3) == 0 && word[3] >= '1' && word[3] <= '3' && word[4] == '\0') {
        *kind = MAPPER_FILTER_PCA;
        *dims = (size_t)(word[3] - '0');
        return ST_OK;
    }
    return status_fail(msg, ST_EINVAL, "the filter must be norm, time, pca1, pca2 or pca3, not '%s'", word);
}

Status mapper_result_compute(const double *x, size_t n, size_t cols, const AnalysisArgs *a, MapperResult *r,
                             char *msg)
{
    memset(r, 0, sizeof *r);
    MapperFilter kind = MAPPER_FILTER_NORM;
    size_t dims = 1;
    Status st = filter_parse(a->filter, &kind, &dims, msg);
    if (st)
        return st;
    long tc = a->time_column;
    if (tc >= 0 && (size_t)tc >= cols)
        return status_fail(msg, ST_EINVAL, "--time-column %ld is beyond the %zu columns of the points (counted from 0)",
                           tc, cols);
    size_t d = tc >= 0 ? cols - 1 : cols;
    if (n == 0 || d == 0)
        return status_fail(msg, ST_EINVAL, "Mapper needs points with at least one coordinate besides the time");
    double *pts = malloc(n * d * sizeof *pts), *time = tc >= 0 ? malloc(n * sizeof *time) : NULL;
    double *filter = malloc(n * dims * sizeof *filter);
    if (!pts || !filter || (tc >= 0 && !time)) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu points", n);
        goto fail;
    }
    double max_norm = 0.0;
    for (size_t i = 0; i < n; i++) {
        double s = 0.0;
        for (size_t j = 0, o = 0; j < cols; j++) {
            double v = x[i * cols + j];
            if (tc >= 0 && j == (size_t)tc) {
                time[i] = v;
                continue;
            }
            pts[i * d + o++] = v;
            s += v * v;
        }
        max_norm = sqrt(s) > max_norm ? sqrt(s) : max_norm;
    }
    st = mapper_filter_compute(pts, n, d, kind, dims, time, filter, msg);
    if (st)
        goto fail;
    r->params = (MapperParams){
        .intervals = (size_t)a->intervals,
        .overlap = a->overlap,
        .cluster = strcmp(a->cluster, "dbscan") == 0 ? MAPPER_CLUSTER_DBSCAN : MAPPER_CLUSTER_SINGLE,
        .eps = a->eps,
        .min_samples = (size_t)a->min_samples,
    };
    /* An absolute scale for the whole cloud (weight trajectories branch at
     * 3-10% of the largest norm): never one relative to a single cube. */
    if (!(a->given & ((uint64_t)1 << PARAM_EPS)))
        r->params.eps = max_norm > 0.0 ? 0.05 * max_norm : 1.0;
    st = mapper_run(pts, n, d, filter, dims, time, &r->params, &r->graph, msg);
    if (st)
        goto fail;
    r->n = n;
    r->d = d;
    r->time_column = tc;
    snprintf(r->filter, sizeof r->filter, "%s", a->filter);
fail:
    free(pts);
    free(time);
    free(filter);
    return st;
}

void mapper_result_json(const MapperResult *r, JsonWriter *w)
{
    const MapperGraph *g = r->graph;
    size_t dims = g->filter_dims;
    json_object_begin(w);
    json_kv_int(w, "points", (long long)r->n);
    json_kv_int(w, "dimensions", (long long)r->d);
    json_kv_string(w, "filter", r->filter);
    if (r->time_column >= 0)
        json_kv_int(w, "time_column", r->time_column);
    json_key(w, "filter_range");
    json_array_begin(w);
    for (size_t j = 0; j < dims; j++) {
        double range[2] = {g->lo[j], g->hi[j]};
        json_real_array(w, range, 2);
    }
    json_array_end(w);
    json_key(w, "interval_length");
    json_real_array(w, g->length, dims);
    json_kv_int(w, "intervals", (long long)r->params.intervals);
    json_kv_real(w, "overlap", r->params.overlap);
    json_kv_string(w, "cluster", r->params.cluster == MAPPER_CLUSTER_DBSCAN ? "dbscan" : "single");
    json_kv_real(w, "eps", r->params.eps);
    if (r->params.cluster == MAPPER_CLUSTER_DBSCAN)
        json_kv_int(w, "min_samples", (long long)r->params.min_samples);
    json_key(w, "vertices");
    json_array_begin(w);
    for (size_t v = 0; v < g->n_vertices; v++) {
        const MapperVertex *x = &g->vertices[v];
        json_object_begin(w);
        json_kv_int(w, "id", (long long)v);
        json_key(w, "cube");
        json_array_begin(w);
        for (size_t j = 0; j < dims; j++)
            json_int(w, (long long)x->cube[j]);
        json_array_end(w);
        json_kv_int(w, "size", (long long)x->size);
        json_key(w, "mean_filter");
        json_real_array(w, x->mean_filter, dims);
        json_kv_real(w, "mean_time", x->mean_time);
        json_key(w, "members");
        json_array_begin(w);
        for (size_t k = 0; k < x->size; k++)
            json_int(w, (long long)x->members[k]);
        json_array_end(w);
        json_object_end(w);
    }
    json_array_end(w);
    json_key(w, "edges");
    json_array_begin(w);
    for (size_t e = 0; e < g->n_edges; e++) {
        json_object_begin(w);
        json_kv_int(w, "source", (long long)g->edges[e].a);
        json_kv_int(w, "target", (long long)g->edges[e].b);
        json_kv_int(w, "shared", (long long)g->edges[e].shared);
        json_object_end(w);
    }
    json_array_end(w);
    size_t leaves = 0, branches = 0;
    size_t *deg = malloc((g->n_vertices ? g->n_vertices : 1) * sizeof *deg);
    if (deg) {
        mapper_graph_degrees(g, deg);
        for (size_t v = 0; v < g->n_vertices; v++) {
            leaves += deg[v] == 1;
            branches += deg[v] >= 3;
        }
    }
    json_kv_int(w, "n_vertices", (long long)g->n_vertices);
    json_kv_int(w, "n_edges", (long long)g->n_edges);
    json_kv_int(w, "components", (long long)g->components);
    json_kv_int(w, "cycles", (long long)g->cycles);
    json_key(w, "tree");
    json_bool(w, g->cycles == 0 && g->components == 1);
    json_key(w, "forest");
    json_bool(w, g->cycles == 0);
    if (deg) {
        json_kv_int(w, "leaves", (long long)leaves);
        json_kv_int(w, "branch_vertices", (long long)branches);
    }
    json_kv_int(w, "unclustered", (long long)g->unclustered);
    json_object_end(w);
    free(deg);
}

void mapper_result_dot(const MapperResult *r, StrBuf *out)
{
    const MapperGraph *g = r->graph;
    strbuf_printf(out, "graph mapper {\n  // neurotop analyze mapper: filter %s, %zu intervals, overlap %.17g, %s, eps %.17g\n",
                  r->filter, r->params.intervals, r->params.overlap,
                  r->params.cluster == MAPPER_CLUSTER_DBSCAN ? "dbscan" : "single linkage", r->params.eps);
    strbuf_printf(out, "  node [shape=circle];\n");
    for (size_t v = 0; v < g->n_vertices; v++) {
        const MapperVertex *x = &g->vertices[v];
        strbuf_printf(out, "  v%zu [label=\"%zu: %zu\", size_points=%zu, mean_filter=%.17g, mean_time=%.17g];\n", v, v,
                      x->size, x->size, x->mean_filter[0], x->mean_time);
    }
    for (size_t e = 0; e < g->n_edges; e++)
        strbuf_printf(out, "  v%zu -- v%zu [label=\"%zu\", weight=%zu];\n", g->edges[e].a, g->edges[e].b,
                      g->edges[e].shared, g->edges[e].shared);
    strbuf_printf(out, "}\n");
}

Status mapper_files_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg)
{
    (void)job;
    if (s)
        return status_fail(msg, ST_EINVAL, "mapper on a run is the :mapper command; analyze mapper takes --points FILE");
    Matrix *m = NULL;
    MapperResult r = {0};
    StrBuf dot;
    strbuf_init(&dot);
    Status st = matrix_read_file(args->files[PARAM_POINTS], &m, msg);
    if (!st)
        st = mapper_result_compute(m->data, m->rows, m->cols, args, &r, msg);
    const char *dot_path = args->files[PARAM_DOT];
    if (!st && dot_path) {
        mapper_result_dot(&r, &dot);
        st = strbuf_failed(&dot) ? status_fail(msg, ST_ENOMEM, "out of memory formatting the DOT graph")
                                 : file_write_atomic(dot_path, strbuf_cstr(&dot), dot.len, msg);
    }
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        mapper_result_json(&r, &w);
    }
    strbuf_done(&dot);
    mapper_result_done(&r);
    matrix_free(m);
    return st;
}
