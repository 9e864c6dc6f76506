#ifndef NEUROTOP_MEASURE_MOD_COMMON_H
#define NEUROTOP_MEASURE_MOD_COMMON_H

/* What the modularity analyses (louvain, consensus, quality, roles,
 * modules, degrees, multislice) share: reading their file inputs, the
 * context keys of a result on a snapshot, the layers of a weight graph's
 * nodes with per-layer means, and the make-up of modules by layer. */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/measure/jobs.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/run/snapshot.h"

#define MOD_LAYER_NAME_LEN 16

/* A square matrix file (CSV or .npy): ST_EINVAL naming the file and its
 * shape when it is not square; the reader's errors otherwise. */
Status mod_read_square(const char *path, Matrix **out, char *msg);

/* A partition file for n nodes as canonical labels 1..k (modmatrix.h):
 * ST_EINVAL when it has another number of labels. *out caller-owned. */
Status mod_read_partition(const char *path, size_t n, int **out, char *msg);

/* The layers of a snapshot's weight-graph nodes, for per-layer summaries. */
typedef struct {
    size_t n_layers;
    char name[MODEL_MAX_LAYERS][MOD_LAYER_NAME_LEN];
    const int *of;      /* layer of every node (borrowed, e.g. WeightQ.layer) */
    size_t n;           /* nodes */
    size_t input_side;  /* side of the input picture when the graph holds the
                           input layer and it is a square (28 for MNIST), else 0 */
} ModLayers;

/* The layers of s's model, `of` giving the layer of each of n nodes. */
void mod_layers_make(const Snapshot *s, const int *of, size_t n, ModLayers *out);

/* mean[l] = mean of v over the nodes of layer l (NaN for an empty layer),
 * l < n_layers. */
void mod_layers_mean(const ModLayers *l, const double *v, double *mean);

/* Add the input-layer part of v (the first l->input_side² nodes) as a map
 * over the input pixels when l->input_side > 0. ST_ENOMEM. */
Status mod_layers_input_map(const ModLayers *l, JobResult *out, const char *label, const double *v,
                            int diverging, char *msg);

/* The make-up of the modules of a partition by layer (the :modules table). */
typedef struct {
    size_t k;         /* modules: labels 1..k */
    size_t n_layers;
    char name[MODEL_MAX_LAYERS][MOD_LAYER_NAME_LEN];
    size_t *size;     /* k: nodes of module m + 1 */
    size_t *count;    /* k × n_layers: nodes of module m + 1 in layer l */
    int *order;       /* k: modules (0-based) by size, largest first; ties by label */
} ModuleTable;

/* The table of canonical labels 1..k (n of them) over the layers l.
 * ST_EINVAL for a label below 1, ST_ENOMEM. *t is owned by the caller
 * (module_table_done); O(n + k·layers). */
Status module_table_make(const ModLayers *l, const int *labels, ModuleTable *t, char *msg);
void module_table_done(ModuleTable *t);
/* "modules": [{"module", "size", "per_layer": [...]}, ...], largest first. */
void module_table_json(const ModuleTable *t, JsonWriter *w);
/* The screen table: "module  size" and one column per layer, a row per
 * module of two nodes or more, then the single-node modules as one line
 * ("+ 690 single-node modules: 684 input, 6 HL1"). */
void module_table_text(const ModuleTable *t, StrBuf *text);

/* The JobResult's partition (a copy of n labels), which the TUI keeps as
 * the latest partition for :roles, :modules and :corr. ST_ENOMEM. */
Status mod_keep_partition(JobResult *out, const int *labels, size_t n, char *msg);

/* Progress of a job over [from, to] of its bar, for callbacks taking
 * fractions 0..1 (weightq, consensus). */
typedef struct {
    Job *job;
    double from, to;
} ModProgress;
void mod_progress(void *user, double frac);

#endif
