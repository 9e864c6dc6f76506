#ifndef NEUROTOP_ANALYSIS_MAPPER_H
#define NEUROTOP_ANALYSIS_MAPPER_H

/* Mapper (docs/methods.md §28): Singh, Mémoli & Carlsson 2007, "Topological
 * Methods for the Analysis of High Dimensional Data Sets and 3D Object
 * Recognition", Eurographics SPBG, doi:10.2312/SPBG/SPBG07/091-100; used on
 * weight trajectories by seed paper 003.
 *
 * A point cloud (n rows × d columns) gets a filter value per point (1–3
 * numbers); the filter's range is covered by N intervals per filter
 * dimension (N^dims cubes) whose consecutive members share exactly the
 * fraction p of their length; the points of each cube (its pre-image) are
 * clustered with an absolute distance scale; the clusters are the vertices
 * of a graph (the nerve's 1-skeleton) with an edge between two clusters
 * that share a point. Everything is deterministic. */

#include <stddef.h>

#include "neurotop/core/status.h"

#define MAPPER_MAX_FILTER_DIMS 3
#define MAPPER_MAX_INTERVALS 10000
/* N^dims, the number of cubes, is capped too. */
#define MAPPER_MAX_CUBES 1000000

typedef enum {
    MAPPER_CLUSTER_SINGLE = 0, /* single linkage cut at eps (components of the eps-graph) */
    MAPPER_CLUSTER_DBSCAN      /* DBSCAN (Ester et al. 1996) with eps and min_samples */
} MapperCluster;

typedef enum {
    MAPPER_FILTER_NORM = 0, /* the L2 norm of each point */
    MAPPER_FILTER_TIME,     /* the time of each point (a column, or the row index) */
    MAPPER_FILTER_PCA       /* the scores on the first 1–3 principal components */
} MapperFilter;

typedef struct {
    size_t intervals;      /* N per filter dimension, 1..MAPPER_MAX_INTERVALS */
    double overlap;        /* p in [0, 1) */
    MapperCluster cluster;
    double eps;            /* > 0, absolute (in the units of the points) */
    size_t min_samples;    /* DBSCAN: >= 1 points within eps, the point itself counted */
} MapperParams;

typedef struct {
    size_t cube[MAPPER_MAX_FILTER_DIMS]; /* the interval index per filter dimension */
    size_t size;          /* number of member points */
    size_t *members;      /* size point indices, ascending (borrowed from the graph's block) */
    double mean_filter[MAPPER_MAX_FILTER_DIMS];
    double mean_time;     /* mean time of the members (the row index without a time) */
} MapperVertex;

typedef struct {
    size_t a, b;          /* vertex indices, a < b */
    size_t shared;        /* points in both clusters, >= 1 */
} MapperEdge;

typedef struct {
    size_t n_points, filter_dims;
    size_t n_vertices;
    MapperVertex *vertices; /* ordered by cube (first filter dimension slowest), then smallest member */
    size_t n_edges;
    MapperEdge *edges;      /* ordered by (a, b) */
    size_t components;      /* connected components of the graph */
    size_t cycles;          /* independent cycles: E − V + components (0: a forest) */
    size_t unclustered;     /* points in no vertex (DBSCAN noise in every cube they lie in) */
    double lo[MAPPER_MAX_FILTER_DIMS], hi[MAPPER_MAX_FILTER_DIMS]; /* filter range */
    double length[MAPPER_MAX_FILTER_DIMS]; /* interval length L per dimension */
    size_t *member_block;   /* owns every vertex's members */
} MapperGraph;

/* Interval k (0 <= k < n) of the cover of [lo, hi] by n intervals with
 * overlap p in [0, 1): length L = (hi − lo) / (n − (n − 1)p), start
 * lo + k·L·(1 − p), end start + L (the last one ends at hi exactly), so
 * intervals k and k+1 share exactly p·L. When hi == lo every interval is
 * the single value lo. ST_EINVAL for n = 0, k >= n, p outside [0, 1),
 * hi < lo or a non-finite bound. O(1). */
Status mapper_cover_interval(double lo, double hi, size_t n, double p, size_t k, double *start,
                             double *end, char *msg);

/* The filter of n points (row-major n×d, row stride d) into filter (n×dims,
 * caller-owned, dims = 1 for NORM and TIME, 1..3 for PCA): the L2 norm of
 * each row, time[i] (time may be NULL: the row index i), or the scores on
 * the first dims principal components (centred, not standardized; PCA needs
 * n >= 2 and dims <= d). ST_EINVAL for bad sizes or a non-finite value,
 * ST_ENOMEM, ST_ENUMERIC (PCA). O(n·d), PCA O(n·d² + d³). */
Status mapper_filter_compute(const double *points, size_t n, size_t d, MapperFilter kind, size_t dims,
                             const double *time, double *filter, char *msg);

/* Mapper on n points (n×d row-major) with filter values (n×dims, 1 <= dims
 * <= 3) and an optional time per point (NULL: the row index) for the
 * vertices' mean time. All inputs are borrowed; *out is caller-owned
 * (mapper_graph_free). A point lies in cube (k_1..k_dims) when its filter
 * value j lies in interval k_j (closed ends). ST_EINVAL for n = 0, d = 0,
 * dims outside 1..3, intervals outside 1..MAPPER_MAX_INTERVALS or more than
 * MAPPER_MAX_CUBES cubes, p outside [0, 1), eps <= 0 or not finite,
 * min_samples = 0, or a non-finite point or filter value; ST_ENOMEM.
 * Time: O(n·c^dims) to cover (c = intervals a point lies in, about
 * 1/(1−p) + 1) plus, per pre-image of m points, O(m log m + m·k·d) where
 * k is the number of points within eps along the pre-image's coordinate of
 * widest range (O(m²·d) at worst). */
Status mapper_run(const double *points, size_t n, size_t d, const double *filter, size_t dims,
                  const double *time, const MapperParams *params, MapperGraph **out, char *msg);

/* The degree of every vertex into deg (g->n_vertices entries,
 * caller-owned). O(V + E). */
void mapper_graph_degrees(const MapperGraph *g, size_t *deg);

/* mapper_graph_free(NULL) is safe. */
void mapper_graph_free(MapperGraph *g);

#endif
