#ifndef NEUROTOP_MODEL_HEBBFF_INTERNAL_H
#define NEUROTOP_MODEL_HEBBFF_INTERNAL_H

/* The operations of the hebbff kind, defined in hebbff.c and gathered in
 * its table in hebbff_kind.c (see ModelOps for their contracts). Not a
 * public header. */

#include "neurotop/model/hebbff.h"

Status hebbff_create(Model *m, char *msg);
Status hebbff_train(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                    double *loss_sum, char *msg);
Status hebbff_gradient(const Model *m, const float *x, const int *y, size_t n, float *grad,
                       double *loss_sum, char *msg);
void hebbff_predict(const Model *m, const float *x, size_t n, float *probs);
void hebbff_activations(const Model *m, const float *x, size_t n, float *const *acts);
void hebbff_pre_activations(const Model *m, const float *x, size_t n, float *const *acts);
void hebbff_reset_state(Model *m);
size_t hebbff_opt_size(const Model *m);
void hebbff_opt_get(const Model *m, double *out);
Status hebbff_opt_set(Model *m, const double *in, size_t n, char *msg);
void hebbff_free_impl(Model *m);

#endif
