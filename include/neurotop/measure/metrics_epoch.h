#ifndef NEUROTOP_MEASURE_METRICS_EPOCH_H
#define NEUROTOP_MEASURE_METRICS_EPOCH_H

/* The per-epoch metrics every run records in metrics.jsonl beyond accuracy
 * and loss: one place to register them with the trainer. */

#include "neurotop/core/status.h"
#include "neurotop/train/trainer.h"

/* Register the per-epoch metric hooks. Keys added per weight block NAME
 * (alpha, beta, gamma, ...): w_NAME_mean, w_NAME_std, w_NAME_skew. */
Status metrics_epoch_register(Trainer *t, char *msg);

/* The hooks themselves (exposed for tests). weights: the moments above;
 * binary: for two-class outputs of a supervised kind, tpr = TP/(TP+FN)
 * and fpr = FP/(FP+TN) with class 1 positive (HebbFF's "familiar"); kind:
 * the numbers the model kind reports (model_extra_metrics; HebbFF's decay
 * `lambda` and plasticity rate `eta`). */
Status metrics_epoch_weights(Snapshot *s, void *ctx, char *msg);
Status metrics_epoch_binary(Snapshot *s, void *ctx, char *msg);
Status metrics_epoch_kind(Snapshot *s, void *ctx, char *msg);

#endif
