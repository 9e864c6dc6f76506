#ifndef NEUROTOP_RUN_SNAPSHOT_H
#define NEUROTOP_RUN_SNAPSHOT_H

/* An immutable, reference-counted picture of the model after an epoch:
 * weights, held-out evaluation, probe-set activations and the per-epoch
 * metrics. The trainer builds it, publishes it to the Store and from then on
 * nobody writes to it; readers retain/release. */

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "neurotop/model/model.h"

#define SNAPSHOT_MAX_METRICS 96
#define METRIC_KEY_LEN 32

typedef struct {
    char key[METRIC_KEY_LEN];
    double value; /* NAN = undefined (printed as null) */
} MetricValue;

/* What a run needs to go on from a snapshot's epoch exactly as if it had
 * never stopped (`--resume`): the trainer's random stream and place in the
 * data order, and the model's optimiser state. Saved in snapshot files as
 * the "train.state" and "train.opt" sections (run/snapshot_io.h). */
typedef struct {
    int valid;            /* 0: unknown (files written before resume existed) */
    uint64_t rng[4];      /* the trainer's Rng */
    int rng_has_spare;
    double rng_spare;
    size_t cursor;        /* next position in the data order */
    size_t shuffles;      /* reshuffles of the order so far: it is rebuilt from the seed */
    uint32_t order_hash;  /* FNV-1a of the order, to check the rebuild */
    size_t n_opt;
    double *opt;          /* the optimiser state (model_opt_get), owned; NULL when n_opt is 0 */
} ResumeState;

typedef struct {
    atomic_int refs;
    size_t epoch;         /* 0 = before any training */
    size_t examples_seen; /* training examples consumed so far */
    double seconds;       /* wall time spent training this epoch */
    double train_loss;    /* mean training loss over this epoch (NAN at epoch 0) */
    double lr;            /* learning rate in force during this epoch */
    ModelConfig config;
    size_t n_params;
    float *params;        /* owned copy */
    Evaluation eval;      /* held-out set; eval.confusion owned */
    size_t n_probe;       /* probe items (a fixed subset of the held-out set) */
    uint8_t *probe_labels;
    float *acts[MODEL_MAX_LAYERS]; /* acts[l]: n_probe × sizes[l+1], owned */
    size_t n_metrics;
    MetricValue metrics[SNAPSHOT_MAX_METRICS];
    /* Optional model state worth seeing beside the weights (HebbFF: the
     * plastic matrix A after the held-out stream), rows × cols, owned;
     * NULL when the model has none. Not saved in snapshot files. */
    float *state;
    size_t state_rows, state_cols;
    char state_name[16];
    ResumeState resume;   /* set by the trainer and by files that carry it */
} Snapshot;

/* A snapshot with refs = 1 and copies of the given parameters; activations
 * and evaluation buffers are allocated for the config but left zero.
 * NULL when out of memory. */
Snapshot *snapshot_new(const ModelConfig *config, const float *params, size_t n_params,
                       size_t n_probe);
Snapshot *snapshot_retain(Snapshot *s);
/* Drops one reference; frees on the last. NULL is safe. */
void snapshot_release(Snapshot *s);

/* The model kind's state after the n inputs x (HebbFF: the plastic matrix
 * after the held-out stream) into s->state, as the trainer records it and a
 * replay recomputes it; s keeps no state when the kind has none or it
 * cannot be computed. m must have s's config and parameters. */
void snapshot_record_state(Snapshot *s, const Model *m, const float *x, size_t n);

/* Set or replace a metric; silently ignored when the table is full. */
void snapshot_set_metric(Snapshot *s, const char *key, double value);
/* Value of a metric, or NAN when absent. */
double snapshot_metric(const Snapshot *s, const char *key);

#endif
