/* Mapper of a point cloud as an analysis (info_mapper.h). */
#include "neurotop/measure/info_mapper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"
#include "neurotop/measure/info_trajectory.h"
#include "neurotop/model/model.h"

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

void mapper_result_json_fields(const MapperResult *r, JsonWriter *w)
{
    const MapperGraph *g = r->graph;
    size_t dims = g->filter_dims;
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
    free(deg);
}

void mapper_result_json(const MapperResult *r, JsonWriter *w)
{
    json_object_begin(w);
    mapper_result_json_fields(r, w);
    json_object_end(w);
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

/* The drawing: a spanning forest from the vertex of smallest mean filter
 * of each component, children in order of mean filter; a chain of single
 * children stays on one line, a branching goes down with box characters.
 * Edges outside the forest (cycles) are listed after it. */
typedef struct {
    const MapperGraph *g;
    const char *mark; /* per vertex: a JOB_TEXT_MARK code, 0 = plain; or NULL */
    const size_t *adj, *adj_off; /* neighbours of each vertex, by mean filter */
    unsigned char *seen;
    size_t *parent;
    StrBuf *t;
    size_t lines, max_lines;
} Draw;

static void draw_vertex(StrBuf *t, const MapperGraph *g, const char *mark, size_t v)
{
    if (mark && mark[v])
        strbuf_printf(t, "%c%cv%zu(%zu)%c.", JOB_TEXT_MARK, mark[v], v, g->vertices[v].size, JOB_TEXT_MARK);
    else
        strbuf_printf(t, "v%zu(%zu)", v, g->vertices[v].size);
}

/* Unseen neighbours of v into kids (by mean filter); returns their count. */
static size_t unseen_children(Draw *d, size_t v, size_t *kids)
{
    size_t k = 0;
    for (size_t i = d->adj_off[v]; i < d->adj_off[v + 1]; i++)
        if (!d->seen[d->adj[i]])
            kids[k++] = d->adj[i];
    for (size_t i = 0; i < k; i++) {
        d->seen[kids[i]] = 1;
        d->parent[kids[i]] = v;
    }
    return k;
}

static void draw_branch(Draw *d, size_t v, const char *prefix, size_t *kids_buf)
{
    for (;;) {
        size_t *kids = kids_buf;
        size_t k = unseen_children(d, v, kids);
        if (k == 1) {
            strbuf_printf(d->t, " ─ ");
            draw_vertex(d->t, d->g, d->mark, kids[0]);
            v = kids[0];
            continue;
        }
        strbuf_printf(d->t, "\n");
        d->lines++;
        if (k && strlen(prefix) >= 120) { /* about 40 levels of branching: no deeper */
            strbuf_printf(d->t, "%s└─ … %zu more\n", prefix, k);
            d->lines++;
            return;
        }
        for (size_t i = 0; i < k; i++) {
            if (d->lines >= d->max_lines)
                return;
            int last = i + 1 == k;
            strbuf_printf(d->t, "%s%s", prefix, last ? "└─ " : "├─ ");
            draw_vertex(d->t, d->g, d->mark, kids[i]);
            char sub[512];
            snprintf(sub, sizeof sub, "%s%s", prefix, last ? "   " : "│  ");
            draw_branch(d, kids[i], sub, kids_buf + k);
        }
        return;
    }
}

Status mapper_result_view(const MapperResult *r, const char *title, const char *mark, const char *legend, StrBuf *t,
                          char *msg)
{
    const MapperGraph *g = r->graph;
    size_t V = g->n_vertices;
    size_t *adj = malloc((2 * g->n_edges + 1) * sizeof *adj), *off = calloc(V + 2, sizeof *off);
    size_t *parent = malloc((V + 1) * sizeof *parent), *kids = malloc((2 * g->n_edges + V + 1) * sizeof *kids);
    size_t *order = malloc((V + 1) * sizeof *order);
    unsigned char *seen = calloc(V + 1, 1);
    Status st = adj && off && parent && kids && order && seen
                    ? ST_OK
                    : status_fail(msg, ST_ENOMEM, "out of memory drawing a Mapper graph of %zu vertices", V);
    if (!st) {
        for (size_t e = 0; e < g->n_edges; e++) {
            off[g->edges[e].a + 1]++;
            off[g->edges[e].b + 1]++;
        }
        for (size_t v = 0; v < V; v++)
            off[v + 1] += off[v];
        size_t *fill = parent; /* borrowed as a cursor until the drawing */
        for (size_t v = 0; v < V; v++)
            fill[v] = off[v];
        for (size_t e = 0; e < g->n_edges; e++) {
            adj[fill[g->edges[e].a]++] = g->edges[e].b;
            adj[fill[g->edges[e].b]++] = g->edges[e].a;
        }
        /* vertices by mean filter (the first dimension), then index */
        for (size_t v = 0; v < V; v++)
            order[v] = v;
        for (size_t i = 1; i < V; i++)
            for (size_t j = i; j > 0 && g->vertices[order[j]].mean_filter[0] < g->vertices[order[j - 1]].mean_filter[0]; j--) {
                size_t x = order[j];
                order[j] = order[j - 1];
                order[j - 1] = x;
            }
        for (size_t v = 0; v < V; v++)
            for (size_t i = off[v] + 1; i < off[v + 1]; i++)
                for (size_t j = i; j > off[v] &&
                                   g->vertices[adj[j]].mean_filter[0] < g->vertices[adj[j - 1]].mean_filter[0];
                     j--) {
                    size_t x = adj[j];
                    adj[j] = adj[j - 1];
                    adj[j - 1] = x;
                }
        size_t *deg = kids;
        mapper_graph_degrees(g, deg);
        size_t leaves = 0, branches = 0;
        for (size_t v = 0; v < V; v++) {
            leaves += deg[v] == 1;
            branches += deg[v] >= 3;
        }
        strbuf_printf(t, "%s\n", title);
        strbuf_printf(t, "filter %s · %zu intervals · overlap %g · %s eps %.4g\n", r->filter, r->params.intervals,
                      r->params.overlap, r->params.cluster == MAPPER_CLUSTER_DBSCAN ? "dbscan" : "single linkage",
                      r->params.eps);
        strbuf_printf(t, "%zu vertices · %zu edges · %zu component%s · %zu cycle%s\n", V, g->n_edges, g->components,
                      g->components == 1 ? "" : "s", g->cycles, g->cycles == 1 ? "" : "s");
        strbuf_printf(t, "%s%zu leaves · %zu branching vertices\n",
                      g->cycles ? "" : g->components == 1 ? "a tree: " : "a forest: ", leaves, branches);
        if (g->unclustered)
            strbuf_printf(t, "%zu of %zu points in no cluster (DBSCAN noise)\n", g->unclustered, r->n);
        strbuf_printf(t, "vN(size), mean %s rising left to right%s%s:\n\n", r->filter, legend ? "; " : "",
                      legend ? legend : "");
        Draw d = {.g = g, .mark = mark, .adj = adj, .adj_off = off, .seen = seen, .parent = parent, .t = t, .max_lines = 400};
        for (size_t i = 0; i < V && d.lines < d.max_lines; i++) {
            size_t v = order[i];
            if (seen[v])
                continue;
            seen[v] = 1;
            parent[v] = SIZE_MAX;
            draw_vertex(t, g, mark, v);
            draw_branch(&d, v, "", kids);
        }
        if (d.lines >= d.max_lines)
            strbuf_printf(t, "… (%zu lines shown; the JSON has the whole graph)\n", d.max_lines);
        size_t extra = 0;
        for (size_t e = 0; e < g->n_edges; e++) {
            size_t a = g->edges[e].a, b = g->edges[e].b;
            if (parent[a] == b || parent[b] == a)
                continue;
            if (extra++ == 0)
                strbuf_printf(t, "\nedges closing cycles:");
            if (extra <= 20)
                strbuf_printf(t, " v%zu─v%zu", a, b);
        }
        if (extra)
            strbuf_printf(t, "%s\n", extra > 20 ? " …" : "");
    }
    free(adj);
    free(off);
    free(parent);
    free(kids);
    free(order);
    free(seen);
    return st;
}

/* The incoming weight vectors of the units of layer `layer` of a snapshot,
 * one unit a row (n units × fan-in), into *out (caller frees). */
static Status layer_vectors(const Snapshot *s, int layer, double **out, size_t *n, size_t *d, char *msg)
{
    WeightBlock b[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(&s->config, s->params, b, MODEL_MAX_LAYERS);
    if (layer < 1)
        return status_fail(msg, ST_EINVAL, "mapper takes one layer (1 = HL1, ..., %zu = output), not all",
                           s->config.n_layers - 1);
    ParamBlock pb[MODEL_MAX_BLOCKS];
    size_t np = model_layout(&s->config, pb, MODEL_MAX_BLOCKS), e = 0;
    for (size_t k = 0; k < nb; k++) {
        /* The k-th edge block of the layout is model_blocks' k-th. */
        while (e < np && !pb[e].edge)
            e++;
        int conv = e < np && pb[e++].type == BLOCK_CONV;
        if (b[k].to != (size_t)layer || !b[k].w)
            continue;
        double *x = malloc(b[k].rows * b[k].cols * sizeof *x);
        if (!x)
            return status_fail(msg, ST_ENOMEM, "out of memory for the weights of layer %d", layer);
        if (conv) { /* a convolution's units are its families, their vectors its kernels */
            for (size_t i = 0; i < b[k].rows * b[k].cols; i++)
                x[i] = b[k].w[i];
            *out = x;
            *n = b[k].rows;
            *d = b[k].cols;
            return ST_OK;
        }
        for (size_t i = 0; i < b[k].rows; i++)
            for (size_t j = 0; j < b[k].cols; j++)
                x[j * b[k].rows + i] = b[k].w[i * b[k].ld + j];
        *out = x;
        *n = b[k].cols;
        *d = b[k].rows;
        return ST_OK;
    }
    return status_fail(msg, ST_EINVAL, "layer %d has no incoming weights in this model (1 = HL1, ..., %zu = output)",
                       layer, s->config.n_layers - 1);
}

/* The distinct units among a vertex's members (sorted, into out; returns
 * how many, at most cap). */
static size_t vertex_units(const MapperVertex *v, const int *unit, int *out, size_t cap)
{
    size_t k = 0;
    for (size_t m = 0; m < v->size; m++) {
        int u = unit[v->members[m]];
        size_t at = 0;
        while (at < k && out[at] < u)
            at++;
        if ((at < k && out[at] == u) || k == cap)
            continue;
        memmove(out + at + 1, out + at, (k - at) * sizeof *out);
        out[at] = u;
        k++;
    }
    return k;
}

#define MARK_LEGEND_TIME "colour: mean step, blue early to red late"
#define MARK_LEGEND_CLASS "colour: class of its one unit"

/* The colour of each vertex of a trajectory graph: in an output layer of
 * at most 10 units, the class colour of the unit a vertex holds when it
 * holds only one (seed 003's branches, one per class); otherwise the heat
 * level of its mean step between the earliest and latest vertex. NULL
 * when out of memory (the drawing is then plain). */
static char *vertex_marks(const MapperGraph *g, const int *unit, int output_layer)
{
    size_t V = g->n_vertices;
    char *mark = malloc(V ? V : 1);
    if (!mark)
        return NULL;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t v = 0; v < V; v++) {
        lo = fmin(lo, g->vertices[v].mean_time);
        hi = fmax(hi, g->vertices[v].mean_time);
    }
    for (size_t v = 0; v < V; v++) {
        int units[2];
        if (output_layer && vertex_units(&g->vertices[v], unit, units, 2) == 1 && units[0] >= 0 && units[0] < 10) {
            mark[v] = (char)('0' + units[0]);
            continue;
        }
        double f = hi > lo ? (g->vertices[v].mean_time - lo) / (hi - lo) : 0.0;
        int level = (int)(f * JOB_TEXT_HEAT_LEVELS);
        mark[v] = (char)('a' + (level < JOB_TEXT_HEAT_LEVELS ? level : JOB_TEXT_HEAT_LEVELS - 1));
    }
    return mark;
}

/* Which units each leaf of a trajectory graph holds: seed 003's output
 * layer ends in one leaf per class. */
static void leaves_text(const MapperGraph *g, const int *unit, StrBuf *t)
{
    size_t *deg = malloc((g->n_vertices ? g->n_vertices : 1) * sizeof *deg);
    int units[16];
    if (!deg)
        return;
    mapper_graph_degrees(g, deg);
    strbuf_printf(t, "\nleaves (degree 1) and the units they hold:\n");
    size_t shown = 0;
    for (size_t v = 0; v < g->n_vertices && shown < 60; v++) {
        if (deg[v] != 1)
            continue;
        size_t k = vertex_units(&g->vertices[v], unit, units, 16);
        strbuf_printf(t, "  v%zu (mean step %.0f): unit%s", v, g->vertices[v].mean_time, k == 1 ? "" : "s");
        for (size_t i = 0; i < k; i++)
            strbuf_printf(t, " %d", units[i]);
        strbuf_printf(t, "%s\n", k == 16 ? " ..." : "");
        shown++;
    }
    if (shown == 0)
        strbuf_printf(t, "  none\n");
    free(deg);
}

/* The points of a snapshot's layer: its recorded trajectories (time =
 * mini-batch step) unless args say this epoch or there are none; then the
 * epoch's vectors (time = unit index). *cols includes the time column of
 * trajectories (*time_column >= 0). */
static Status snapshot_points(const Snapshot *s, const AnalysisArgs *args, TrajectoryCloud *cloud, double **x,
                              size_t *n, size_t *cols, long *time_column, char *msg)
{
    *time_column = -1;
    if (!args->this_epoch && args->run_dir && args->layer >= 1) {
        Status st = trajectory_cloud_load(args->run_dir, s, args->layer, (size_t)8 << 20, cloud, msg);
        if (st != ST_ENOTFOUND) {
            if (st)
                return st;
            size_t d = cloud->d;
            double *p = malloc(cloud->n * (d + 1) * sizeof *p);
            if (!p)
                return status_fail(msg, ST_ENOMEM, "out of memory for %zu trajectory points", cloud->n);
            for (size_t i = 0; i < cloud->n; i++) {
                memcpy(p + i * (d + 1), cloud->x + i * d, d * sizeof *p);
                p[i * (d + 1) + d] = cloud->time[i];
            }
            free(cloud->x); /* the points live on in p; only the units are kept */
            cloud->x = NULL;
            *x = p;
            *n = cloud->n;
            *cols = d + 1;
            *time_column = (long)d;
            return ST_OK;
        }
    }
    return layer_vectors(s, args->layer, x, n, cols, msg);
}

Status mapper_job_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg)
{
    (void)job;
    Matrix *m = NULL;
    MapperResult r = {0};
    TrajectoryCloud cloud = {0};
    double *x = NULL;
    size_t n = 0, d = 0;
    long time_column = -1;
    char layer[32] = "";
    AnalysisArgs a = *args;
    StrBuf dot;
    strbuf_init(&dot);
    Status st;
    if (s) {
        st = snapshot_points(s, args, &cloud, &x, &n, &d, &time_column, msg);
        if (!st)
            model_layer_name(&s->config, (size_t)args->layer, 0, layer, sizeof layer);
        if (!st && time_column >= 0) {
            a.time_column = time_column;
            if (!(a.given & ((uint64_t)1 << PARAM_EPS))) {
                /* the whole run's scale, not that of the points taken */
                a.eps = cloud.max_norm > 0 ? 0.05 * cloud.max_norm : 1.0;
                a.given |= (uint64_t)1 << PARAM_EPS;
            }
        }
    } else {
        st = matrix_read_file(args->files[PARAM_POINTS], &m, msg);
        if (!st) {
            x = m->data;
            n = m->rows;
            d = m->cols;
        }
    }
    if (!st)
        st = mapper_result_compute(x, n, d, &a, &r, msg);
    const char *dot_path = args->files[PARAM_DOT];
    if (!st && dot_path) {
        mapper_result_dot(&r, &dot);
        st = strbuf_failed(&dot) ? status_fail(msg, ST_ENOMEM, "out of memory formatting the DOT graph")
                                 : file_write_atomic(dot_path, strbuf_cstr(&dot), dot.len, msg);
    }
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        json_object_begin(&w);
        job_json_context(&w, s, JOB_NO_PART, s ? layer : NULL);
        if (s)
            json_kv_string(&w, "points_are", time_column >= 0 ? "trajectories" : "epoch");
        if (time_column >= 0) {
            json_kv_int(&w, "records", (long long)cloud.records);
            json_kv_int(&w, "records_available", (long long)cloud.available);
            json_kv_int(&w, "stride", (long long)cloud.stride);
            json_kv_real(&w, "max_norm", cloud.max_norm);
        }
        mapper_result_json_fields(&r, &w);
        json_object_end(&w);
        char title[200];
        if (s && time_column >= 0)
            snprintf(title, sizeof title,
                     "Mapper · up to epoch %zu · %s: weight trajectories of %zu units × %zu records (time = step)",
                     s->epoch, layer, cloud.units, cloud.records);
        else if (s)
            snprintf(title, sizeof title, "Mapper · epoch %zu · %s: incoming weight vectors of %zu units", s->epoch,
                     layer, n);
        else
            snprintf(title, sizeof title, "Mapper of %zu points", n);
        const ModelKind *kind = s ? model_kind_of(&s->config) : NULL;
        int output_layer = kind && kind->supervised && (size_t)args->layer + 1 == s->config.n_layers;
        char *mark = time_column >= 0 ? vertex_marks(r.graph, cloud.unit, output_layer) : NULL;
        st = mapper_result_view(&r, title, mark, !mark ? NULL : output_layer ? MARK_LEGEND_CLASS : MARK_LEGEND_TIME,
                                &out->text, msg);
        free(mark);
        if (!st && time_column >= 0)
            leaves_text(r.graph, cloud.unit, &out->text);
    }
    strbuf_done(&dot);
    mapper_result_done(&r);
    if (s)
        free(x);
    trajectory_cloud_free(&cloud);
    matrix_free(m);
    return st;
}
