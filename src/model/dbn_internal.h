#ifndef NEUROTOP_MODEL_DBN_INTERNAL_H
#define NEUROTOP_MODEL_DBN_INTERNAL_H

/* The DBN's operations (dbn.c) for its kind table (dbn_kind.c). Not a
 * public header: use the model interface. */

#include "neurotop/model/dbn.h"

/* Kind parameters in table order. */
enum { DBN_KP_CD = 0, DBN_KP_EPL, DBN_KP_READOUT, DBN_KP_CLASSES, DBN_KP_COUNT };
#define KP_CD DBN_KP_CD
#define KP_EPL DBN_KP_EPL

/* Offsets of the read-out's weights (top × K) and biases (K). */
void dbn_readout_offsets(const ModelConfig *c, size_t *wr_off, size_t *br_off);

/* Offsets of W_r, bv_r and bh_r in the flat parameters of config c (the
 * layout's order: the weight chain, then bv1, bh1, bv2, bh2, ...). */
void dbn_offsets(const ModelConfig *c, size_t *w_off, size_t *bv_off, size_t *bh_off);

Status dbn_create(Model *m, char *msg);
void dbn_free(Model *m);
void dbn_set_epoch(Model *m, size_t epoch);
Status dbn_train(Model *m, const float *x, const int *y, size_t n, size_t batch, float lr,
                 double *loss_sum, char *msg);
void dbn_activations(const Model *m, const float *x, size_t n, float *const *acts);
Status dbn_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev);
size_t dbn_data_metrics(const Model *m, const float *train_x, size_t n_train, const float *test_x,
                        size_t n_test, ModelMetric *out, size_t max);
size_t dbn_opt_size(const Model *m);
void dbn_opt_get(const Model *m, double *out);
Status dbn_opt_set(Model *m, const double *in, size_t n, char *msg);

#endif
