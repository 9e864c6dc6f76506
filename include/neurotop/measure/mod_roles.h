#ifndef NEUROTOP_MEASURE_MOD_ROLES_H
#define NEUROTOP_MEASURE_MOD_ROLES_H

/* Node roles (docs/methods.md §7: participation coefficient and
 * within-module degree z-score on the positive weights, Guimerà & Amaral
 * 2005) and the make-up of modules by layer, for a partition of a graph.
 *
 * On files the graph and the partition are files; on a snapshot
 * (`:roles [hidden]`, `:modules [hidden]`) the graph is the whole weight
 * graph or its hidden subgraph, and the partition is the latest
 * :louvain/:consensus one when it was computed on that epoch and that part
 * (job_partition_pick), else the best of 10 Louvain runs (signed asym,
 * γ = 1, args->seed); the text and the JSON ("partition_used") say which.
 * Roles add per-layer means and maps over the input pixels (the whole
 * graph only: the hidden subgraph has no input layer). */

#include <stddef.h>

#include "neurotop/measure/jobs.h"
#include "neurotop/measure/mod_common.h"

typedef struct {
    GraphPart part;     /* the part of a snapshot's graph */
    JobPartitionInfo used; /* where a snapshot's partition came from */
    size_t n;
    double *pc, *mz;    /* n each, owned */
    int has_layers;     /* 1: the per-layer fields below are set */
    size_t n_layers;
    char name[MODEL_MAX_LAYERS][MOD_LAYER_NAME_LEN];
    double layer_pc[MODEL_MAX_LAYERS], layer_mz[MODEL_MAX_LAYERS]; /* means, NaN for an empty layer */
    size_t layer_n[MODEL_MAX_LAYERS]; /* nodes of each layer in the graph */
    size_t input_side;  /* side of the input picture (mod_layers_make), 0 = none */
} RolesResult;

/* Roles of the n = adj->rows nodes of adj for labels (n integers of any
 * values); layers (NULL on files) adds the per-layer means. Errors of
 * roles_compute, ST_ENOMEM; *r owned by the caller (roles_result_done,
 * safe after a failure). */
Status roles_result_compute(const Matrix *adj, const int *labels, const ModLayers *layers,
                            RolesResult *r, char *msg);
void roles_result_done(RolesResult *r);

/* On a snapshot "epoch" and "graph" first; then "pc" and "mz", with
 * layers "layer_mean_pc" and "layer_mean_mz" (null for a layer the graph
 * leaves out), and on a snapshot "partition_used". */
void roles_result_json(const RolesResult *r, const Snapshot *s, JsonWriter *w);

/* The screen: the partition's source, the per-layer means of the layers
 * in the graph (or the means over all nodes on files), and PC and MZ over
 * the input pixels when the graph holds them (else a line saying why not). */
Status roles_result_view(const RolesResult *r, const Snapshot *s, JobResult *out, char *msg);

/* The make-up of a snapshot partition's modules by layer (:modules). */
typedef struct {
    GraphPart part;
    JobPartitionInfo used;
    ModuleTable table;
    StrBuf members;     /* the units of each module, as screen lines */
} ModulesResult;

void modules_result_done(ModulesResult *r);
/* The units of every module of two nodes or more, one line per module,
 * largest first, as ranges per layer but the input's (whose pixels the
 * table counts): "module 3: HL1 0-4,7 · output 3,8". Indices are 0-based
 * within their layer; output units are the classes. */
void modules_members_text(const ModLayers *l, const int *labels, const ModuleTable *t, StrBuf *out);
/* "epoch", "graph", then "modules" (module_table_json) and "partition_used". */
void modules_result_json(const ModulesResult *r, const Snapshot *s, JsonWriter *w);
void modules_result_view(const ModulesResult *r, const Snapshot *s, JobResult *out);

/* The JobFns of `roles` (files or snapshot) and `modules` (snapshot). */
Status job_roles(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
Status job_modules(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
