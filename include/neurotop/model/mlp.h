#ifndef NEUROTOP_MODEL_MLP_H
#define NEUROTOP_MODEL_MLP_H

/* The multilayer perceptron of seed paper 000 (Shine et al. 2021, "Nonlinear
 * reconfiguration of network edges, topology and information content during
 * an artificial learning task", Brain Informatics 8:26,
 * doi:10.1186/s40708-021-00147-z): fully connected, sigmoid hidden layers,
 * softmax output, no biases, cross-entropy loss, plain SGD, float32.
 * Default shape 784-100-100-10; any chain of layer sizes works.
 *
 * Use it through model_new (kind "mlp"); this header is for the registry
 * (model.c) and the tests.
 *
 * Speed: at batch 1 the first layer touches only the non-zero inputs (MNIST
 * digits are ~19% non-zero) in both its forward pass and its rank-1 update,
 * and the other layers use hand-written loops (each weight row is read once
 * per backward pass: its dot product with δ and its update are fused). At
 * batch > 1 every product is one sgemm through core/linalg.c. Cost per
 * example O(nnz(x)·h1 + Σ_l sizes[l-1]·sizes[l]). No allocation per example:
 * scratch grows only when a larger batch than before is requested. */

#include "neurotop/model/model.h"

/* The kind "mlp": image data from --data, any chain of 0 to 6 hidden
 * layers (default 100,100), lr 0.3, batch 1, probe 1000, every init; the
 * layout is the dense chain alpha, beta, gamma, ... (all edge blocks).
 * Weights come from Rng stream 1000 + l for the block into layer l. */
extern const ModelKind mlp_kind;

#endif
