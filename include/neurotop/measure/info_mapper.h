#ifndef NEUROTOP_MEASURE_INFO_MAPPER_H
#define NEUROTOP_MEASURE_INFO_MAPPER_H

/* Mapper of a point cloud as an analysis (docs/methods.md §28,
 * `analyze mapper --points FILE ...`): the options turned into a filter, a
 * cover and a clustering (analysis/mapper.h), the graph as JSON and as
 * Graphviz DOT. */

#include <stddef.h>

#include "neurotop/analysis/mapper.h"
#include "neurotop/core/json.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/measure/jobs.h"

/* A Mapper graph and what made it. */
typedef struct {
    MapperGraph *graph;
    size_t n, d;          /* points and their coordinates (without a time column) */
    char filter[16];      /* "norm", "time", "pca1".."pca3" */
    MapperParams params;  /* eps as used (the default resolved) */
    long time_column;     /* -1: the row index is the time */
} MapperResult;

/* Frees the graph and zeroes *r; safe on a zeroed result. */
void mapper_result_done(MapperResult *r);

/* Mapper of the n × cols row-major points x (borrowed) with the options of
 * a (filter, time-column, intervals, overlap, cluster, eps, min-samples).
 * Column time_column, when given, is taken out of the coordinates and is
 * each point's time; without it the row index is. eps not given: 5% of the
 * largest L2 norm of the points (1 when every point is 0). ST_EINVAL with
 * one sentence for bad options or data (mapper_run's errors), ST_ENOMEM. */
Status mapper_result_compute(const double *x, size_t n, size_t cols, const AnalysisArgs *a, MapperResult *r,
                             char *msg);

/* {"points", "dimensions", "filter", ["time_column"], "filter_range",
 * "interval_length", "intervals", "overlap", "cluster", "eps",
 * ["min_samples"], "vertices": [{"id", "cube", "size", "mean_filter",
 * "mean_time", "members"}], "edges": [{"source", "target", "shared"}],
 * "n_vertices", "n_edges", "components", "cycles", "tree", "forest",
 * "leaves", "branch_vertices", "unclustered"}: the object, or only its keys
 * into an open object. */
void mapper_result_json(const MapperResult *r, JsonWriter *w);
void mapper_result_json_fields(const MapperResult *r, JsonWriter *w);

/* The graph in the DOT language: an undirected graph, one node per vertex
 * labelled "id: size" with its mean filter and time as attributes, one edge
 * per shared-point pair with the shared count as label and weight. */
void mapper_result_dot(const MapperResult *r, StrBuf *out);

/* Lines for the screen under a title: the settings, the counts (vertices,
 * edges, components, cycles, leaves, branching vertices), then the graph
 * as a layered tree: a spanning forest grown from the vertex of smallest
 * mean filter, "vN(size)" per vertex, a chain on one line joined by ─ and
 * every branching drawn with ├─ └─ │, children in order of mean filter;
 * edges that close cycles listed after it. At most 400 lines. mark (NULL
 * for none): per vertex a JOB_TEXT_MARK colour code or 0, said by legend
 * on the line above the tree. ST_ENOMEM. */
Status mapper_result_view(const MapperResult *r, const char *title, const char *mark, const char *legend, StrBuf *t,
                          char *msg);

/* The JobFn of `mapper`. On files: args->files[PARAM_POINTS]. On a
 * snapshot (`:mapper [LAYER] [FILTER] [N] [P] [EPS]`): the incoming weight
 * vector of every unit of layer args->layer (1 = HL1, ..., the last = the
 * output layer), one point per unit; the time of a point is then its unit's
 * index. The DOT file args->files[PARAM_DOT] (files only) is written
 * atomically when given. */
Status mapper_job_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
