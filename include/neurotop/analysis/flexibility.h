#ifndef NEUROTOP_ANALYSIS_FLEXIBILITY_H
#define NEUROTOP_ANALYSIS_FLEXIBILITY_H

/* Flexibility (Bassett et al. 2011, PNAS 108:7641, doi:10.1073/pnas.1018985108)
 * and module allegiance (Bassett et al. 2013, PLoS Comput Biol 9:e1003171,
 * doi:10.1371/journal.pcbi.1003171) of a multilayer partition, per
 * docs/methods.md §10 and §11, and the node order used to draw an allegiance heat
 * map block by block. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* A borrowed view of a multilayer partition of n_nodes nodes in n_layers
 * ordered layers: the label of node i in layer s is
 * labels[i·node_stride + s·layer_stride]. Labels are compared as given (the
 * same label in two layers means the same community). Node-major storage
 * (the N×T CSV of docs/methods.md §2) has node_stride = n_layers, layer_stride = 1;
 * layer-major storage (the supra-node order of §9) has node_stride = 1,
 * layer_stride = n_nodes. */
typedef struct {
    const int *labels;
    size_t n_nodes, n_layers;
    size_t node_stride, layer_stride;
} MultiPartition;

/* Views of node-major (N×T) and layer-major (T×N) label arrays. */
MultiPartition flexibility_partition_nodes(const int *labels, size_t n_nodes, size_t n_layers);
MultiPartition flexibility_partition_layers(const int *labels, size_t n_nodes, size_t n_layers);

/* §10: f_i = (1/(T−1)) Σ_{s<T} [g_is ≠ g_i,s+1] into node (n_nodes entries,
 * caller-owned, may be NULL) and system = mean_i f_i into *system (may be
 * NULL). Errors: ST_EINVAL when T < 2 or N = 0. O(N·T). */
Status flexibility_compute(const MultiPartition *p, double *node, double *system, char *msg);

/* §11: P_ij = (1/T) Σ_s [g_is = g_js] into out (N×N row-major,
 * caller-owned): symmetric, unit diagonal. Errors: ST_EINVAL when T = 0 or
 * N = 0, or N² overflows. O(N²·T). */
Status flexibility_allegiance(const MultiPartition *p, double *out, char *msg);

/* Node order grouped by module, for drawing a matrix module by module:
 * modules in order of first appearance in labels (n entries), nodes in
 * ascending index within a module. order (n entries, caller-owned) receives
 * the node indices; *n_modules (may be NULL) the number of modules; bounds
 * (may be NULL, n+1 entries) the start of each module block in order, with
 * bounds[n_modules] = n. Errors: ST_EINVAL for n = 0; ST_ENOMEM.
 * O(n log n). */
Status flexibility_module_order(const int *labels, size_t n, size_t *order, size_t *n_modules,
                                size_t *bounds, char *msg);

#endif
