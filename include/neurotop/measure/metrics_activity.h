#ifndef NEUROTOP_MEASURE_METRICS_ACTIVITY_H
#define NEUROTOP_MEASURE_METRICS_ACTIVITY_H

/* Functional networks over time in the live tool (seed paper 001; docs/methods.md
 * §9–§15 and "How the live tool uses these"): from the snapshot's probe
 * activations of the hidden layers (default: every hidden layer's units
 * together, in layer order),
 *  - whole-probe functional connectivity (Pearson, zero diagonal, silent
 *    units 0 as fc.h does) → mean r and mean |r| over the pairs;
 *  - flexibility over time: a multislice network (§9, --signed sym, ω = 1,
 *    γ = 1, ordinal coupling) whose slices are consecutive in time, solved
 *    by Louvain on the block operator (flexreps runs, the best kept) →
 *    multilayer Q, number of communities, system flexibility (§10) and its
 *    range over the runs. The slices (ActivitySlices) are
 *      - epochs: the whole-probe correlation matrix of each of the last L
 *        consecutive epochs (kept across epochs here), the default for a
 *        kind whose examples are independent (the MLP), or
 *      - windows: L windows of Z consecutive probe items, one correlation
 *        matrix each, the default for a sequential kind (HebbFF), whose
 *        probe is a stream in time;
 *    windows of the probe of a kind of independent examples are random
 *    subsamples, not time: asked for (--flex-slices probe) they go to the
 *    flex_sub_* keys instead;
 *  - distribution entropy (§14) with ridge 1e-6, and whether the ridge was
 *    needed (Σ singular without it);
 *  - moments (§15) of every hidden activation value.
 *
 * Keys of the per-epoch hook (all hidden layers together unless named):
 *   fc_mean, fc_mean_abs, fc_silent
 *   flex_system, flex_system_min, flex_system_max, flex_q, flex_q_min,
 *   flex_q_max, flex_communities, flex_reps, and the slices: flex_epochs,
 *   flex_epochs_held (epochs) or flex_windows, flex_window_len (windows);
 *   with --flex-slices probe on a kind of independent examples flex_sub_*
 *   in place of flex_system … flex_communities
 *   entropy_nats, entropy_ridge (1 when the ridge was needed), entropy_dim
 *   act_mean, act_std, act_skew, act_kurt
 *   per hidden layer h (only when there are at least two):
 *   fc_mean_hl<h>, flex_hl<h> or flex_sub_hl<h> (mean flexibility of the
 *   layer's units), entropy_hl<h>.
 * Keys whose value cannot be defined for the data (too few probe items, every
 * unit silent, a singular covariance even with the ridge, fewer than L
 * consecutive epochs so far) are NaN (null in metrics.jsonl); only running
 * out of memory stops training.
 *
 * The jobs (func.h) reuse the gathering, window plan and the
 * multislice below. */

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/core/status.h"
#include "neurotop/run/snapshot.h"

/* Louvain runs on the multislice network per epoch. One run on the default
 * MLP's network of its last 20 epochs costs 50–60 ms of CPU, against ~90 ms on
 * 20 windows of its probe (`make bench`, bench_activity); it dominates the
 * hook, so more runs slow the metrics thread about in proportion. */
#define FLEXREPS_DEFAULT 1
#define FLEXREPS_MAX 1000
#define FC_WINDOWS_DEFAULT 20   /* the last 20 epochs; 20 windows of 125 for HebbFF's stream of 2500 */
#define FC_WINDOWS_MAX 1000
#define FC_WINDOW_MIN_LEN 10    /* shortest window: fewer windows rather than shorter ones */
#define ACTIVITY_RIDGE 1e-6     /* entropy ridge E (docs/methods.md §14) used in the UI */
/* Most units whose unit × unit correlations (FC, flexibility, entropy) are
 * computed: 4096² doubles are 128 MiB, LeNet's 18,900 hidden units would
 * need 2.9 GB per matrix. */
#define ACTIVITY_MAX_UNITS 4096
#define ACTIVITY_ALL_HIDDEN 0   /* layer selector: every hidden layer */
/* Louvain streams of the per-epoch multislice start here, far from the
 * 0..qreps−1 streams the weight-graph Q draws from the same epoch seed. */
#define ACTIVITY_FLEX_STREAM0 (UINT64_C(1) << 32)

/* What the slices of the live flexibility are. */
typedef enum {
    ACTIVITY_SLICES_KIND = 0, /* by the kind: windows for a sequential kind, else epochs */
    ACTIVITY_SLICES_EPOCHS,   /* the last L consecutive epochs, whole probe each */
    ACTIVITY_SLICES_PROBE     /* L windows of the probe items */
} ActivitySlices;

/* Settings the UI may change while training runs (`:set flexreps N`,
 * `:set windows L`); read once per epoch. */
typedef struct {
    atomic_int flexreps; /* 0 = the multislice part (flex_*) is off */
    atomic_int windows;  /* L wanted (windows or epochs); a window plan may use fewer */
    atomic_int slices;   /* ActivitySlices; activity_settings_init sets ACTIVITY_SLICES_KIND */
    atomic_int units;    /* at most this many hidden units (a fixed sample) in the live
                            measures; 0 = all (activity_settings_init: ACTIVITY_LIVE_UNITS) */
} ActivitySettings;

/* Default of ActivitySettings.units: wider networks are measured live on
 * a sample of their hidden units, evenly spaced in each layer (each layer
 * keeps its share, at least 2), the same units every epoch. */
#define ACTIVITY_LIVE_UNITS 512

/* The sample of at most `most` (0 = all) of the config's hidden units:
 * their indices into the all-hidden order (HL1 first) into idx (room for
 * every hidden unit) and each hidden layer's count into per_layer (room for
 * n_layers − 2). Returns the sample's size. */
size_t activity_live_sample(const ModelConfig *cfg, size_t most, size_t *idx, size_t *per_layer);

void activity_settings_init(ActivitySettings *s, int flexreps, int windows);

/* "epochs" → ACTIVITY_SLICES_EPOCHS, "probe" → ACTIVITY_SLICES_PROBE;
 * ST_EINVAL with a sentence naming `what` (an option) otherwise. */
Status activity_slices_parse(const char *text, const char *what, ActivitySlices *out, char *msg);

/* 1 when the probe items of the config's kind are a stream in time (the
 * kind's ops.sequential), so windows of them are time; 0 for a kind of
 * independent examples or an unknown kind. */
int activity_probe_is_stream(const ModelConfig *cfg);

/* The slices `wanted` (ACTIVITY_SLICES_*) gives for the config:
 * ACTIVITY_SLICES_KIND becomes PROBE for a stream, EPOCHS otherwise. */
ActivitySlices activity_slices_resolve(const ModelConfig *cfg, int wanted);

/* ---- hidden activations --------------------------------------------- */

/* Number of units of a selection: layer = ACTIVITY_ALL_HIDDEN (every hidden
 * layer, HL1 first) or h for HL h (1 <= h <= n_layers − 2). ST_EINVAL with
 * a sentence when the model has no such hidden layer. O(layers). */
Status activity_units(const ModelConfig *cfg, int layer, size_t *units, char *msg);
/* The same for the analyses that build a units × units matrix: ST_EINVAL
 * with one sentence as well when the selection has more than
 * ACTIVITY_MAX_UNITS units. */
Status activity_fc_units(const ModelConfig *cfg, int layer, size_t *units, char *msg);

/* The probe activations of the selection as one n_probe × units row-major
 * matrix (out, caller-owned, n_probe·units floats; layers side by side, HL1
 * first). ST_EINVAL when the snapshot has no probe activations or no such
 * layer. O(n_probe · units). */
Status activity_gather(const Snapshot *s, int layer, float *out, char *msg);

/* The window plan for n probe items and L wanted windows:
 * L' = min(L, ⌊n / FC_WINDOW_MIN_LEN⌋) windows of Z = ⌊n / L'⌋ items (items
 * after the last window are unused). Default probe 1000, L = 20: 20 × 50.
 * Returns 0 (and sets nothing) when fewer than 2 windows fit or want < 2. */
int activity_window_plan(size_t n, size_t want, size_t *windows, size_t *len);

/* ---- windowed FC → multislice modularity → flexibility ---------------- */

typedef struct ActivityFlex ActivityFlex;

/* Empty reusable storage; buffers grow on the first build of a size.
 * ST_ENOMEM. */
Status activity_flex_new(ActivityFlex **out, char *msg);
/* activity_flex_free(NULL) is safe. */
void activity_flex_free(ActivityFlex *f);

/* The same network with given slices: t correlation matrices fc[0..t)
 * (each p × p, symmetric, copied) as the layers in that order. Errors:
 * those of multislice_build (a slice whose entries are all zero);
 * ST_ENOMEM. Time and memory O(t · p²). */
Status activity_flex_build_slices(ActivityFlex *f, const double *const *fc, size_t p, size_t t,
                                  double omega, double gamma, char *msg);

/* Correlation matrices of `windows` windows of `len` rows of the n × p
 * matrix x (row stride ldx; fc_windows_f with fc_flags, zero diagonal) and
 * the multilayer modularity operator over them (multislice_build with
 * MOD_SIGN_SYM, ordinal coupling omega, resolution gamma).
 * Errors: those of fc_windows_f and multislice_build (e.g. ST_EINVAL for a
 * window in which every unit is silent); ST_ENOMEM.
 * Time O(windows · len · p² / 2 + windows · p²), memory O(windows · p²). */
Status activity_flex_build(ActivityFlex *f, const float *x, size_t n, size_t p, size_t ldx,
                           size_t windows, size_t len, double omega, double gamma, unsigned fc_flags,
                           char *msg);

/* Sizes of the last build: nodes (p) and layers (windows or slices). */
size_t activity_flex_nodes(const ActivityFlex *f);
size_t activity_flex_layers(const ActivityFlex *f);
/* Window s's correlation matrix (p × p, borrowed until the next build). */
const double *activity_flex_window(const ActivityFlex *f, size_t s);

/* The supra-modularity matrix of the last build as a Louvain operator of
 * order p · windows (borrowing f: do not rebuild while op is in use).
 * Louvain labels on it are layer-major (window s, node i at s·p + i). */
void activity_flex_op(const ActivityFlex *f, LouvainOp *op);

typedef struct {
    double q;             /* multilayer Q of the partition (§9) */
    size_t communities;   /* distinct labels over every window */
    double system;        /* mean node flexibility (§10) */
} FlexSummary;

/* Q, community count and flexibility of a layer-major partition (p ·
 * windows labels, e.g. from Louvain on activity_flex_op) of the last build;
 * node (p values, may be NULL) receives each unit's flexibility.
 * ST_EINVAL when nothing was built or there is a single window. O(p²·T). */
Status activity_flex_summarize(const ActivityFlex *f, const int *labels, double *node,
                               FlexSummary *out, char *msg);

/* The lowest and highest system flexibility over `reps` layer-major
 * partitions (parts: reps × p·layers labels) of the last build: the
 * run-to-run spread of Louvain. ST_EINVAL when nothing was built, reps is
 * 0 or there is a single layer. O(reps · p · layers). */
Status activity_flex_system_range(const ActivityFlex *f, const int *parts, size_t reps, double *lo,
                                  double *hi, char *msg);

/* ---- the per-epoch hook ----------------------------------------------- */

typedef struct ActivityMetric ActivityMetric;

/* settings is borrowed and must outlive the metric; seed is the run's seed:
 * epoch e runs its Louvain orders on streams ACTIVITY_FLEX_STREAM0 + r,
 * r = 0..flexreps−1, of the seed (seed·1000003 + e), which the weight-graph
 * Q does not use. With epochs as slices the metric keeps the whole-probe
 * correlation matrices of the last L epochs it saw (L · p² doubles); an
 * epoch that does not follow the previous one (a gap, a repeat, a resumed
 * run) or another unit count starts that history again. */
Status activity_metric_new(ActivitySettings *settings, uint64_t seed, ActivityMetric **out,
                           char *msg);
/* activity_metric_free(NULL) is safe. */
void activity_metric_free(ActivityMetric *m);

/* The EpochMetricFn (publisher.h); ctx is an ActivityMetric. Sets the keys
 * listed at the top; nothing when the snapshot has no probe activations or
 * no hidden layer. Buffers are reused across epochs. Time, default MLP
 * (200 hidden units, 1000 probe items, the last 20 epochs, 1 run): see
 * README and `make bench` (bench_activity). */
Status activity_metric_epoch(Snapshot *s, void *ctx, char *msg);

/* Takes epoch s's whole-probe correlation matrix into the history of epochs
 * without setting a key: a resumed run replays the L − 1 epochs before the
 * one it goes on from, so its flexibility over epochs goes on as if it had
 * never stopped. Epochs come in order; nothing happens when the settings
 * do not take epochs as slices or s has no probe activations. */
Status activity_metric_prime(ActivityMetric *m, const Snapshot *s, char *msg);

#endif
