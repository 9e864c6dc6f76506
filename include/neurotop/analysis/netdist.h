#ifndef NEUROTOP_ANALYSIS_NETDIST_H
#define NEUROTOP_ANALYSIS_NETDIST_H

/* Graph distances in the undirected network graph of a NetLayout
 * (docs/methods.md, localisation): a convolution neuron (f,y,x) is joined to
 * every neuron (c, y+i, x+j) of the layer below, all families c, i,j <
 * kernel; a pooling neuron (f,y,x) to (f, k·y+i, k·x+j), i,j < k (k the
 * pooling side); a dense neuron to every neuron of the layer below.
 *
 * Breadth-first search never lists the edges: neurons of a convolution
 * layer at one position share their neighbours below (and neurons of a layer
 * at one position share their convolution neighbours above), and dense
 * layers join whole layers, so each such group is expanded once per search.
 * One search costs O(neurons + Σ conv positions·kernel²). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/netlayout.h"
#include "neurotop/core/status.h"

/* The location of a neuron: layer, family, row, column. */
typedef struct {
    size_t layer, family, y, x;
} NetPos;

/* Check that consecutive layers fit together: layer 0 is LAYER_INPUT and the
 * only input; a convolution of side k maps H×W to (H−k+1)×(W−k+1); pooling
 * of side k keeps the families and maps H×W to (H/k)×(W/k) (k·H' <= H);
 * dense layers are families×1×1. ST_EINVAL naming the first misfit. */
Status netlayout_check(const NetLayout *layout, char *msg);

/* Position of neuron index (< netlayout_neurons) and back. */
NetPos netlayout_pos(const NetLayout *layout, size_t index);
size_t netlayout_index(const NetLayout *layout, NetPos p);

/* Reusable search state for one layout (queue and flags, O(neurons)). */
typedef struct NetDist NetDist;

/* layout must pass netlayout_check; it is copied. *out caller-owned. */
Status netdist_new(const NetLayout *layout, NetDist **out, char *msg);
void netdist_free(NetDist *nd);

/* dist[j] = graph distance from neuron src to neuron j, for every j (the
 * graph is connected, so all are finite; dist[src] = 0). dist holds
 * netlayout_neurons values. */
void netdist_from(NetDist *nd, size_t src, uint16_t *dist);

/* Exact statistics over all ordered pairs of distinct neurons: mean and RMS
 * distance and the maximum (diameter). Searches once per (layer, row,
 * column) and weighs by the family count, because permuting the families of
 * a layer (with the matching pooling families) is an automorphism of the
 * graph, and so is permuting the neurons of a dense layer. */
Status netdist_pair_stats(const NetLayout *layout, double *mean, double *rms, unsigned *max,
                          char *msg);

#endif
