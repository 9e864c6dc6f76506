#ifndef NEUROTOP_MODEL_LENET_INTERNAL_H
#define NEUROTOP_MODEL_LENET_INTERNAL_H

/* Shared by lenet.c (arithmetic) and lenet_kind.c (the kind's table). Not a
 * public header. */

#include "neurotop/model/lenet.h"

/* Kind parameters, in table order. */
enum { LENET_KP_CONV1 = 0, LENET_KP_CONV2, LENET_KP_DENSE, LENET_KP_KERNEL, LENET_KP_COUNT };

/* The forward scratch of one LeNet (shape + rows of room). */
typedef struct Lenet Lenet;

/* Scratch for `rows` images at a time of a shape. NULL on failure (msg). */
Lenet *lenet_impl_new(const LenetShape *s, size_t rows, char *msg);
void lenet_impl_free(Lenet *p);
/* Forward n images through params; layer l's outputs (after the
 * nonlinearity) of image i go to outs[l] + i·strides[l] (l = 0..6, outs[0]
 * the pixels themselves; a NULL outs[l] is skipped). */
void lenet_impl_forward(Lenet *p, const float *params, const float *x, size_t n,
                        float *const *outs, const size_t *strides);

/* The shared-kernel family graph (lenet_graph.c): ModelKind.graph and
 * graph_sizes. */
size_t lenet_graph(const ModelConfig *c, const float *params, float **owned, WeightBlock *out,
                   size_t max);
size_t lenet_graph_sizes(const ModelConfig *c, size_t *sizes);

/* Receptive fields as weight paths (lenet_fields.c): ModelKind.fields. */
Status lenet_fields(const ModelConfig *c, const float *params, size_t layer, float *out, char *msg);

Status lenet_create(Model *m, char *msg);
Status lenet_train(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                   double *loss_sum, char *msg);
void lenet_predict(const Model *m, const float *x, size_t n, float *probs);
void lenet_activations(const Model *m, const float *x, size_t n, float *const *acts);
Status lenet_gradient(const Model *m, const float *x, const int *y, size_t n, float *grad,
                      double *loss_sum, char *msg);
size_t lenet_opt_size(const Model *m);
void lenet_opt_get(const Model *m, double *out);
Status lenet_opt_set(Model *m, const double *in, size_t n, char *msg);
void lenet_free(Model *m);

#endif
