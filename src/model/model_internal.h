#ifndef NEUROTOP_MODEL_MODEL_INTERNAL_H
#define NEUROTOP_MODEL_MODEL_INTERNAL_H

/* Shared by model.c, model_layout.c and the kinds' tables. Not a public
 * header. */

#include "neurotop/model/model.h"

/* Run k's layout on a config whose layers, units and init are valid and
 * check that its parameter blocks tile the flat array in order: *total
 * gets the parameter count (0 when above MODEL_MAX_PARAMS). Returns the
 * number of blocks, 0 when the layout is inconsistent (overlaps, gaps,
 * counts that are not the product of the dims, too many blocks). out has
 * room for MODEL_MAX_BLOCKS. */
size_t model_layout_checked(const ModelKind *k, const ModelConfig *c, ParamBlock *out,
                            size_t *total);

/* Append the dense chain of c (block l-1 joins layer l-1 to layer l,
 * named alpha, beta, ..., edge blocks) to out[*n..] from offset *off;
 * advances both. For kinds built on a layered chain. */
void model_dense_chain(const ModelConfig *c, ParamBlock *out, size_t max, size_t *n,
                       size_t *off);

/* Append one block to out[*n] (when there is room) at offset *off,
 * advancing both by it; count = product of dims for parameter blocks, 0
 * for POOL and STATE. dims has n_dims values. */
void model_add_block(ParamBlock *out, size_t max, size_t *n, size_t *off, BlockType type,
                     const char *name, size_t from, size_t to, int edge, size_t n_dims,
                     const size_t *dims);

#endif
