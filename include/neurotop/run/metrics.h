#ifndef NEUROTOP_RUN_METRICS_H
#define NEUROTOP_RUN_METRICS_H

/* Every key of metrics.jsonl, in one table: its spelling, the code that
 * produces it, its unit and its meaning. Producers set metrics by id
 * (metric_put), so `grep METRIC_Q_WHOLE` finds the
 * code behind `q_whole`; the README's table of keys is printed from this
 * one (`neurotop train --metrics-table`) and a test checks they agree.
 *
 * A key may hold one placeholder written in capitals: BLOCK (a weight
 * block: alpha, beta, gamma, ...) or LAYER (a hidden layer: hl1, hl2, ...),
 * e.g. w_BLOCK_mean → w_alpha_mean. */

#include <stddef.h>

#include "neurotop/core/strbuf.h"
#include "neurotop/run/snapshot.h"

/* X(ID, key, producer, unit, meaning) */
#define METRIC_LIST(X)                                                                             \
    X(EPOCH, "epoch", "run/rundir.c", "epochs", "epochs finished (0 = before training)")           \
    X(EXAMPLES, "examples", "run/rundir.c", "examples", "training examples seen so far")           \
    X(TEST_ACC, "test_acc", "train/trainer.c", "fraction", "held-out accuracy")                     \
    X(TEST_LOSS, "test_loss", "train/trainer.c", "nats", "held-out mean cross-entropy")            \
    X(TEST_RECON, "test_recon", "train/trainer.c", "",                                             \
      "held-out reconstruction error of a model that learns without labels")                       \
    X(FE_GAP, "fe_gap", "model/dbn.c", "",                                                     \
      "DBN: mean free energy of held-out minus training inputs of the RBM training (overfitting "   \
      "when it grows)")                                                                             \
    X(RBM, "rbm", "model/dbn.c", "index", "DBN: the RBM that trained this epoch (1 = bottom)")    \
    X(TRAIN_LOSS, "train_loss", "train/trainer.c", "nats",                                         \
      "mean training loss over the epoch (a DBN: squared reconstruction error of its training batches; null at epoch 0)")                                       \
    X(SECONDS, "seconds", "train/trainer.c", "seconds", "wall time spent training this epoch")    \
    X(EXAMPLES_PER_SEC, "examples_per_sec", "train/trainer.c", "examples/s",                       \
      "training speed this epoch (null at epoch 0)")                                                \
    X(LR, "lr", "train/trainer.c", "", "learning rate in force")                                  \
    X(INTERRUPTED, "interrupted", "train/trainer.c", "flag",                                       \
      "1 in snapshots/interrupted.nts: weights of an epoch cut short by a signal")                 \
    X(W_MEAN, "w_BLOCK_mean", "measure/metrics_epoch.c", "weight",                                 \
      "mean of weight block BLOCK (HebbFF: beta is the read-out w2, one value per hidden unit)")   \
    X(W_STD, "w_BLOCK_std", "measure/metrics_epoch.c", "weight",                                   \
      "population standard deviation of weight block BLOCK")                                       \
    X(W_SKEW, "w_BLOCK_skew", "measure/metrics_epoch.c", "",                                       \
      "Fisher-Pearson skewness of weight block BLOCK")                                              \
    X(TPR, "tpr", "measure/metrics_epoch.c", "fraction",                                           \
      "two-class outputs: true-positive rate of class 1 (HebbFF: \"familiar\")")                  \
    X(FPR, "fpr", "measure/metrics_epoch.c", "fraction", "two-class outputs: false-positive rate") \
    X(LAMBDA, "lambda", "measure/metrics_epoch.c", "", "HebbFF: learned decay of the plastic matrix")      \
    X(ETA, "eta", "measure/metrics_epoch.c", "", "HebbFF: learned plasticity rate (anti-Hebbian when < 0)") \
    X(Q_WHOLE, "q_whole", "measure/metrics_modularity.c", "Q",                                     \
      "modularity of the signed weight graph (asym, gamma 1), best of q_reps Louvain runs")        \
    X(Q_WHOLE_MIN, "q_whole_min", "measure/metrics_modularity.c", "Q", "lowest Q of those runs")  \
    X(Q_WHOLE_MAX, "q_whole_max", "measure/metrics_modularity.c", "Q", "highest Q of those runs") \
    X(Q_WHOLE_MEAN, "q_whole_mean", "measure/metrics_modularity.c", "Q", "mean Q of those runs")  \
    X(MODULES_WHOLE, "modules_whole", "measure/metrics_modularity.c", "count",                     \
      "modules of the best run")                                                                    \
    X(Q_HIDDEN, "q_hidden", "measure/metrics_modularity.c", "Q",                                   \
      "the same for the hidden subgraph (every layer but the input); null when that subgraph is a "  \
      "star, as HebbFF's (hidden units and one read-out node), whose Q depends only on its sign balance")  \
    X(Q_HIDDEN_MIN, "q_hidden_min", "measure/metrics_modularity.c", "Q", "lowest Q of its runs")  \
    X(Q_HIDDEN_MAX, "q_hidden_max", "measure/metrics_modularity.c", "Q", "highest Q of its runs") \
    X(Q_HIDDEN_MEAN, "q_hidden_mean", "measure/metrics_modularity.c", "Q", "mean Q of its runs")  \
    X(MODULES_HIDDEN, "modules_hidden", "measure/metrics_modularity.c", "count",                   \
      "modules of its best run")                                                                    \
    X(Q_REPS, "q_reps", "measure/metrics_modularity.c", "runs",                                    \
      "Louvain runs per readout this epoch (--qreps, :set qreps)")                                 \
    X(IH_MEAN, "ih_LAYER_mean", "measure/metrics_info.c", "bits",                                  \
      "mean hidden-unit information of layer LAYER on the probe items")                            \
    X(FC_MEAN, "fc_mean", "measure/metrics_activity.c", "r",                                       \
      "mean Pearson r over pairs of hidden units on the probe items (silent units 0)")             \
    X(FC_MEAN_ABS, "fc_mean_abs", "measure/metrics_activity.c", "r", "mean |r| over those pairs") \
    X(FC_SILENT, "fc_silent", "measure/metrics_activity.c", "count",                               \
      "hidden units with zero variance over the probe items")                                      \
    X(FC_MEAN_LAYER, "fc_mean_LAYER", "measure/metrics_activity.c", "r",                           \
      "mean r within hidden layer LAYER (networks with two or more hidden layers)")                \
    X(FLEX_SYSTEM, "flex_system", "measure/metrics_activity.c", "fraction",                        \
      "system flexibility of the hidden units' functional network over time: its slices are the "  \
      "last flex_epochs epochs, or windows of the probe stream of a sequential model")             \
    X(FLEX_SYSTEM_MIN, "flex_system_min", "measure/metrics_activity.c", "fraction",                \
      "lowest system flexibility of the Louvain runs")                                             \
    X(FLEX_SYSTEM_MAX, "flex_system_max", "measure/metrics_activity.c", "fraction",                \
      "highest system flexibility of the Louvain runs")                                            \
    X(FLEX_Q, "flex_q", "measure/metrics_activity.c", "Q", "multilayer Q of its best partition")  \
    X(FLEX_Q_MIN, "flex_q_min", "measure/metrics_activity.c", "Q", "lowest multilayer Q of the runs") \
    X(FLEX_Q_MAX, "flex_q_max", "measure/metrics_activity.c", "Q", "highest multilayer Q of the runs") \
    X(FLEX_COMMUNITIES, "flex_communities", "measure/metrics_activity.c", "count",                 \
      "communities of the best multilayer partition")                                              \
    X(FLEX_EPOCHS, "flex_epochs", "measure/metrics_activity.c", "count",                           \
      "slices are epochs: epochs in the multilayer network (--fc-windows, :set windows)")          \
    X(FLEX_EPOCHS_HELD, "flex_epochs_held", "measure/metrics_activity.c", "count",                 \
      "consecutive epochs held so far; the flexibility is null until there are flex_epochs")       \
    X(FLEX_WINDOWS, "flex_windows", "measure/metrics_activity.c", "count",                         \
      "slices are windows: windows of the probe items (--fc-windows, :set windows)")               \
    X(FLEX_WINDOW_LEN, "flex_window_len", "measure/metrics_activity.c", "items",                   \
      "probe items per window")                                                                     \
    X(FLEX_REPS, "flex_reps", "measure/metrics_activity.c", "runs",                                \
      "Louvain runs of the flexibility (--flexreps, :set flexreps; 0 = off)")                      \
    X(ACTIVITY_UNITS, "activity_units", "measure/metrics_activity.c", "count",                     \
      "hidden units the live activity measures use: all, or an even sample of --live-units")       \
    X(FLEX_LAYER, "flex_LAYER", "measure/metrics_activity.c", "fraction",                          \
      "mean flexibility of the units of hidden layer LAYER")                                       \
    X(FLEX_SUB_SYSTEM, "flex_sub_system", "measure/metrics_activity.c", "fraction",                \
      "--flex-slices probe on a model of independent examples: system flexibility over windows "   \
      "of the probe items, which are random subsamples, not time")                                 \
    X(FLEX_SUB_SYSTEM_MIN, "flex_sub_system_min", "measure/metrics_activity.c", "fraction",        \
      "lowest of its Louvain runs")                                                                \
    X(FLEX_SUB_SYSTEM_MAX, "flex_sub_system_max", "measure/metrics_activity.c", "fraction",        \
      "highest of its Louvain runs")                                                               \
    X(FLEX_SUB_Q, "flex_sub_q", "measure/metrics_activity.c", "Q", "its multilayer Q (best run)")  \
    X(FLEX_SUB_Q_MIN, "flex_sub_q_min", "measure/metrics_activity.c", "Q", "lowest Q of its runs") \
    X(FLEX_SUB_Q_MAX, "flex_sub_q_max", "measure/metrics_activity.c", "Q", "highest Q of its runs") \
    X(FLEX_SUB_COMMUNITIES, "flex_sub_communities", "measure/metrics_activity.c", "count",         \
      "communities of its best partition")                                                         \
    X(FLEX_SUB_LAYER, "flex_sub_LAYER", "measure/metrics_activity.c", "fraction",                  \
      "its mean flexibility of the units of hidden layer LAYER")                                   \
    X(ENTROPY_NATS, "entropy_nats", "measure/metrics_activity.c", "nats",                          \
      "distribution entropy of the hidden activations (Gaussian fit, ridge 1e-6)")                 \
    X(ENTROPY_RIDGE, "entropy_ridge", "measure/metrics_activity.c", "flag",                        \
      "1 when the covariance was singular without the ridge")                                      \
    X(ENTROPY_DIM, "entropy_dim", "measure/metrics_activity.c", "units",                           \
      "units kept (constant ones are dropped)")                                                    \
    X(ENTROPY_LAYER, "entropy_LAYER", "measure/metrics_activity.c", "nats",                        \
      "entropy of the units of hidden layer LAYER")                                                \
    X(ACT_MEAN, "act_mean", "measure/metrics_activity.c", "activation",                            \
      "mean of every hidden activation value over the probe items")                               \
    X(ACT_STD, "act_std", "measure/metrics_activity.c", "activation", "their population std")     \
    X(ACT_SKEW, "act_skew", "measure/metrics_activity.c", "", "their Fisher-Pearson skewness")     \
    X(ACT_KURT, "act_kurt", "measure/metrics_activity.c", "", "their excess kurtosis")             \
    X(FCQ, "fcq", "measure/metrics_fcq.c", "Q",                                                    \
      "modularity of the hidden units' functional network over the whole probe (sym, gamma 1)")   \
    X(FCQ_MODULES, "fcq_modules", "measure/metrics_fcq.c", "count", "its modules")                \
    X(FCQ_MEAN_R, "fcq_mean_r", "measure/metrics_fcq.c", "r", "its mean r")                       \
    X(FCQ_REG, "fcq_reg", "measure/metrics_fcq.c", "Q",                                            \
      "the same after regressing the mean activation out of every unit")                           \
    X(FCQ_REG_MODULES, "fcq_reg_modules", "measure/metrics_fcq.c", "count", "its modules")        \
    X(FCQ_REG_MEAN_R, "fcq_reg_mean_r", "measure/metrics_fcq.c", "r", "its mean r")               \
    X(R_ID_PC, "r_id_pc", "experiment/mlp_phases.c", "r",                                          \
      "experiment mlp-phases: r(ID, participation coefficient) over the input pixels")             \
    X(R_ID_MZ, "r_id_mz", "experiment/mlp_phases.c", "r",                                          \
      "experiment mlp-phases: r(ID, module-degree z-score) over the input pixels")

typedef enum {
#define METRIC_ENUM(id, key, producer, unit, meaning) METRIC_##id,
    METRIC_LIST(METRIC_ENUM)
#undef METRIC_ENUM
        METRIC_COUNT
} MetricId;

typedef struct {
    MetricId id;
    const char *key;      /* may hold BLOCK or LAYER */
    const char *producer; /* source file under src/ */
    const char *unit;
    const char *meaning;
} MetricInfo;

/* The row of a metric; NULL for an id out of range. */
const MetricInfo *metric_info(MetricId id);

/* The key of a metric, with its placeholder (if any) replaced by part
 * ("alpha", "hl1"); part is ignored by keys without one. Returns buf. */
const char *metric_key(MetricId id, const char *part, char *buf, size_t cap);

/* The row whose key (placeholder standing for one or more lower-case
 * letters and digits) spells key; NULL when no row does. */
const MetricInfo *metric_match(const char *key);

/* The part that names hidden layer h in a key ("hl1" for h = 1). */
const char *metric_layer(size_t h, char *buf, size_t cap);

/* Set / read a snapshot's metric by id (part as in metric_key). A read of
 * a metric the snapshot lacks gives NAN. */
void metric_put(Snapshot *s, MetricId id, const char *part, double value);
double metric_get(const Snapshot *s, MetricId id, const char *part);

/* The table as Markdown rows ("| `key` | meaning (unit) |"), in table order:
 * the README's list of keys. */
void metric_table_markdown(StrBuf *out);

#endif
