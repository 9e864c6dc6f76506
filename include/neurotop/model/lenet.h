#ifndef NEUROTOP_MODEL_LENET_H
#define NEUROTOP_MODEL_LENET_H

/* The LeNet of seed paper 004 (the network whose neurons are put back in
 * place from their responses): input H × W (28 × 28 for the digits);
 * CONVRAMP1, conv1 families of K × K kernels, ReLU; POOLING1, 2 × 2 max
 * pooling, stride 2; CONVRAMP2, conv2 families of K × K kernels over all
 * conv1 families, ReLU; POOLING2; LINEARRAMP, `dense` ReLU units;
 * LINEARSOFT, one softmax unit per class. Every convolution and dense layer
 * has biases (one per family for a convolution, shared over its positions).
 * Defaults 20, 50, 500, K = 5: 19,694 neurons counting the pixels. A
 * convolution output side that is odd loses its last row or column to the
 * pooling (floor), as in the usual frameworks.
 *
 * Model layers (ModelConfig.sizes) are the seven layers above, each a
 * family-major stack of maps: unit (f, y, x) of a layer is index
 * (f·H + y)·W + x. Training: cross-entropy, Adam (β 0.9, 0.999, ε 1e-8) on
 * mini-batches; convolutions by im2col and one sgemm per image. */

#include "neurotop/analysis/netlayout.h"
#include "neurotop/model/model.h"

/* The kind "lenet": image data from --data; its layers follow from the
 * kind parameters --conv1, --conv2, --dense, --kernel and the image shape
 * (not --hidden); lr 0.001 (Adam), batch 32, probe 100. */
extern const ModelKind lenet_kind;

/* The geometry of a LeNet config and the place of each block in its flat
 * parameter array (conv1 F1·K·K, bc1 F1, conv2 F2·F1·K·K, bc2 F2, dense
 * P·D with P = F2·p2h·p2w, bd D, out D·classes, bo classes). */
typedef struct {
    size_t in_h, in_w, k, f1, f2, dense, classes;
    size_t c1h, c1w, p1h, p1w, c2h, c2w, p2h, p2w;
    size_t o_k1, o_b1, o_k2, o_b2, o_w3, o_b3, o_w4, o_b4, n_params;
} LenetShape;

/* The shape of a config: its input image (in_rows × in_cols, or a square
 * of sizes[0] pixels when not given), the kind parameters and the classes
 * in its last layer. ST_EINVAL with one sentence when the layers do not
 * fit (a kernel larger than the image, a map that pools to nothing). Does
 * not compare config->sizes with the shape (lenet_kind's check does). */
Status lenet_shape_of(const ModelConfig *config, LenetShape *out, char *msg);

/* The seven layer sizes of a shape into sizes (room for 7). */
void lenet_layer_sizes(const LenetShape *s, size_t *sizes);

/* The network geometry of a valid LeNet config (netlayout_lenet for the
 * default one): layer names INPUT, CONVRAMP1, POOLING1, CONVRAMP2,
 * POOLING2, LINEARRAMP, LINEARSOFT. ST_EINVAL for another config. */
Status lenet_layout_of(const ModelConfig *config, NetLayout *out);

/* The responses of every neuron (netlayout_neurons of lenet_layout_of) to
 * `count` images (count × sizes[0] floats, any real values) into out:
 * count rows, row i = the pixel values, then each layer's outputs after
 * its nonlinearity (ReLU, max, softmax), in the layout's order. ST_EINVAL
 * for a config that is not a valid LeNet, ST_ENOMEM. O(count · params). */
Status lenet_responses(const ModelConfig *config, const float *params, const float *images,
                       size_t count, float *out, char *msg);

#endif
