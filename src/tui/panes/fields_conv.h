#ifndef NEUROTOP_TUI_PANES_FIELDS_CONV_H
#define NEUROTOP_TUI_PANES_FIELDS_CONV_H

/* What the fields pane shows of a convolutional model (a layout with CONV
 * blocks: LeNet): each convolution's kernels, the feature maps of one probe
 * item in every convolution and pooling layer, then the receptive fields of
 * the units past the first convolution. Not a public header. */

#include <stddef.h>

#include "neurotop/run/snapshot.h"

typedef enum { CONV_VIEW_KERNELS = 0, CONV_VIEW_MAPS, CONV_VIEW_FIELDS } ConvViewType;

typedef struct {
    ConvViewType type;
    size_t layer;            /* the layer shown (KERNELS: the convolution's output layer) */
    size_t units;            /* pictures: families, or units for FIELDS */
    size_t rows, cols;       /* of one picture */
    size_t channels;         /* KERNELS: input channels summed into each picture */
    size_t offset;           /* KERNELS: the block's place in the parameters */
} ConvView;

/* Views of c: 0 when c has no convolution. */
size_t conv_view_count(const ModelConfig *c);
/* View i of c into *out: 1, or 0 when there is none. */
int conv_view_at(const ModelConfig *c, size_t i, ConvView *out);
/* The pictures of a view into out (units × rows·cols floats): kernel
 * weights summed over the input channels, or the feature maps of probe
 * item `item`, or receptive fields. Returns 0, or -1 when they cannot be
 * computed (no probe activations, out of memory). */
int conv_view_fill(const Snapshot *snap, const ConvView *v, size_t item, float *out);

#endif
