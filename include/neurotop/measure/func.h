#ifndef NEUROTOP_MEASURE_FUNC_H
#define NEUROTOP_MEASURE_FUNC_H

/* The functional-network analyses (seed paper 001; docs/methods.md §9–§15):
 * flexibility and allegiance of a multilayer partition, the correlation
 * matrix of the hidden units, moments and entropy. Each is one
 * implementation (analyses.h): a result computed from plain inputs, one
 * JSON serialiser, one screen view and one JobFn that reads its input from
 * files (`analyze KIND --partitions F`, `--matrix F`) or from a snapshot's
 * probe activations (`:flex`, `:allegiance`, `:fc`, `:moments`).
 *
 * On a snapshot the layer selection is args->layer (0 = every hidden layer
 * side by side, h = HL h); with args->regress_mean the mean activation
 * across the chosen units is regressed out of every unit before
 * correlating (fc.h FC_REGRESS_MEAN), which removes the common mode that
 * makes every correlation positive (seed paper 001). A snapshot's document
 * starts with the context keys "epoch" and, for a layer selection,
 * "layer"; the keys after them are those of the same analysis on files,
 * plus the snapshot form's own. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/entropy.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/community.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

#define JOBS_FLEX_REPS 20         /* Louvain runs of :flex and :allegiance */
#define JOBS_NO_LAYER (-1)        /* context without a "layer" key */

/* Opens a document: "{", then on a snapshot (s not NULL) the context keys
 * (job_json_context) with, unless layer is JOBS_NO_LAYER, "layer" (the
 * selection's name, e.g. "HL1+HL2"). */
void jobs_functional_json_open(JsonWriter *w, const Snapshot *s, int layer);

/* ---- flexibility and allegiance (§10, §11) ------------------------------ */

enum { FLEX_NODES = 1u << 0, FLEX_ALLEGIANCE = 1u << 1 };

/* What a multilayer partition gives, for a given one (files) and for the
 * one found from a snapshot alike. */
typedef struct {
    size_t n, t;      /* nodes, layers */
    double *node;     /* n flexibilities f_i (§10), NULL unless FLEX_NODES */
    double system;    /* mean f_i (NaN unless FLEX_NODES) */
    double *matrix;   /* n × n allegiance (§11), NULL unless FLEX_ALLEGIANCE */
} FlexResult;

/* The parts of r named by `what` (FLEX_NODES, FLEX_ALLEGIANCE) from the
 * partition p. Errors: those of flexibility_compute (T < 2 for
 * flexibility) and flexibility_allegiance; ST_EINVAL when n² overflows;
 * ST_ENOMEM. O(n·T) and O(n²·T). On failure r holds nothing. */
Status flex_result_compute(const MultiPartition *p, unsigned what, FlexResult *r, char *msg);
/* Frees what r owns; safe on a zeroed or already freed result. */
void flex_result_done(FlexResult *r);

/* The words of :flex --slices: epochs, probe. */
extern const char *const FLEX_SLICE_WORDS[];

/* The multilayer partition a snapshot gives. Its slices (args->slices;
 * by default epochs for a kind of independent examples, windows of the
 * probe for a sequential kind, activity_slices_resolve) are
 *  - epochs: the whole-probe correlation matrix of each of the last
 *    args->windows recorded epochs up to the snapshot's (epochs whose
 *    snapshot the run's epoch lookup finds with probe activations, which
 *    it recomputes; every epoch when every epoch was saved; when the user
 *    did not give L and fewer exist, all of them), oldest first; or
 *  - windows: args->windows windows (activity_window_plan) of the probe
 *    items, one correlation matrix each;
 * → multislice modularity (§9, sym, ω = args->omega, γ = args->gamma) →
 * args->reps Louvain runs (seed args->seed, streams 0..reps−1), the best
 * kept; and each unit's most frequent community over the slices (ties: the
 * smallest label), which orders units by module. */
typedef struct {
    int layer;                   /* the selection the units came from */
    int over_epochs;             /* 1: the slices are the epochs in `epochs` */
    int time;                    /* the slices are time: epochs, or windows of a stream */
    size_t *epochs;              /* t epochs, oldest first (over_epochs only) */
    size_t n, p, t, len;         /* probe items, units, slices, window length (n for epochs) */
    size_t reps;
    CommunityAlgo algo;          /* args->method, args->iterate */
    double omega, gamma;
    int regress_mean;
    uint64_t seed;
    LouvainSummary sum;          /* Q of the runs; Q = sum.q_best */
    size_t communities;          /* distinct communities over every window */
    double fc_mean, fc_mean_abs; /* whole-probe mean r and mean |r| */
    int *best;                   /* p·t labels, layer-major (slice s, unit i at s·p + i) */
    int *modal;                  /* p: each unit's most frequent community */
    size_t *order;               /* p: units grouped by module */
    size_t *bounds;              /* n_modules + 1 starts of the module blocks in order */
    size_t n_modules;
} FlexFit;

/* The fit of the n × p activations x (row-major) with the settings of a
 * (layer, windows, omega, gamma, reps, seed, regress_mean). Reports
 * progress to job and stops with ST_ECANCELED when it is cancelled (job may
 * be NULL). ST_EINVAL with a sentence for fewer than 2 units or too few
 * probe items for 2 windows, and the errors of the windowed multislice;
 * ST_ENOMEM. O(L·Z·p²) plus reps Louvain runs on p·L nodes. */
Status flex_fit_compute(Job *job, const float *x, size_t n, size_t p, const AnalysisArgs *a, FlexFit *f,
                        char *msg);
/* The fit of given slices: t correlation matrices fc[0..t) of p units at
 * epochs[0..t) (each from n probe items, the last one the shown epoch's,
 * whose mean r and mean |r| become fc_mean and fc_mean_abs) with the
 * settings of a (layer, omega, gamma, reps, seed, regress_mean as
 * recorded). Sets over_epochs, time and a copy of epochs. ST_EINVAL for
 * t < 2 or p < 2 and the errors of the multislice; ST_ECANCELED;
 * ST_ENOMEM. */
Status flex_fit_compute_slices(Job *job, const double *const *fc, const size_t *epochs, size_t t, size_t n,
                               size_t p, const AnalysisArgs *a, FlexFit *f, char *msg);
void flex_fit_done(FlexFit *f);
/* The fit's best partition as a layer-major view (borrowing f). */
MultiPartition flex_fit_partition(const FlexFit *f);

/* Documents. On files (fit and s NULL): flexibility {"node", "system"},
 * allegiance {"matrix"}. On a snapshot: the context keys, the fit's keys
 * ("units", "slices": "epochs" or "probe", "time", then "epochs" (the
 * list) and "probe_items", or "windows" and "window_len"; "omega",
 * "gamma", "signed", "regress_mean", "reps", "seed", "Q", "q_mean",
 * "q_sd", "q_min", "q_max", "n_communities", "fc_mean", "fc_mean_abs",
 * "module_order", "module_bounds", "partitions": one list of unit labels
 * per slice), then the same keys as on files. */
void flexibility_json(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JsonWriter *w);
void allegiance_json(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JsonWriter *w);

/* The screens of :flex and :allegiance (r with nodes and allegiance, from
 * fit's partition of s's units). :flex — summary, per-layer mean
 * flexibility, the most flexible units, communities per slice, module
 * sizes; maps: allegiance by module, the community of every unit in every
 * slice, flexibility per unit; plot: communities per slice (epoch or window).
 * :allegiance — summary, the mean allegiance within and between modules,
 * module sizes; map: allegiance by module. ST_ENOMEM. */
Status flexibility_view(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JobResult *out);
Status allegiance_view(const FlexResult *r, const FlexFit *fit, const Snapshot *s, JobResult *out);

/* analyze flexibility --partitions F (N × T CSV) and :flex, which fits the
 * partition first; analyze allegiance and :allegiance likewise (the same
 * fit with the same arguments, hence the same partition as :flex). */
Status job_flex(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
Status job_allegiance(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* ---- the correlation matrix of the hidden units (:fc) ----------------- */

#define FC_HIST_BINS 20        /* histogram of r over [−1, 1] */
#define FC_LOUVAIN_REPS 10     /* runs of the Louvain that orders the map */

typedef struct {
    size_t p, n;               /* units, samples */
    int regress_mean;
    double *c;                 /* p × p Pearson r, zero diagonal, silent units 0 */
    size_t silent;
    double mean, mean_abs;     /* over the distinct pairs */
    size_t counts[FC_HIST_BINS];
    int have_modules;          /* 0: no_modules says why */
    char no_modules[STATUS_MSG_LEN];
    int *modules;              /* p labels 1..k of a signed (sym) Louvain partition of c */
    size_t k;
    double q;                  /* its modularity */
    size_t *order;             /* p: units grouped by module */
    double map_scale;          /* min(1, max(0.05, 2·mean |r|)): where the maps clip */
} FcResult;

/* From the n × p activations x (row-major), regressing the mean out with
 * regress_mean, Louvain seeded by seed. ST_EINVAL with a sentence for
 * p < 2 or n < 2; ST_ECANCELED; ST_ENOMEM. A matrix Louvain cannot
 * partition (every unit silent) leaves have_modules 0. O(n·p² + p²). */
Status fc_result_compute(Job *job, const float *x, size_t n, size_t p, int regress_mean, uint64_t seed,
                         FcResult *r, char *msg);
void fc_result_done(FcResult *r);
/* Context keys, then "units", "samples", "regress_mean", "mean",
 * "mean_abs", "map_scale", "silent", "histogram", with modules
 * "modules_q" and "modules", and "matrix" (raw r). */
void fc_json(const FcResult *r, const Snapshot *s, int layer, JsonWriter *w);
/* Summary, histogram bars; maps of r by module and in unit order clipped
 * at ±map_scale (block-averaged shades stay visible); plot: histogram. */
Status fc_view(const FcResult *r, const Snapshot *s, int layer, JobResult *out);
Status job_fc(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* ---- moments (§15) and entropy (§14) ------------------------------------ */

#define MOMENTS_HIST_BINS 40

/* One block of values: a matrix (files) or one layer's activations. */
typedef struct {
    char name[24];             /* "HL1", "all hidden", "output"; "" for a matrix */
    size_t units;              /* columns */
    Moments m;                 /* of every value */
    int has_entropy;           /* the entropy was asked for */
    Status entropy_status;     /* ST_OK: e holds it; else it is undefined (e.g. singular) */
    EntropyResult e;
} MomentsRow;

/* Rows and, on a snapshot, the activation histograms of the hidden layers
 * over a shared range. Holds no heap memory. */
typedef struct {
    size_t samples;            /* rows of every block */
    double ridge;              /* entropy ridge of the rows */
    size_t n_rows;
    MomentsRow rows[MODEL_MAX_LAYERS + 1];
    size_t n_hist;             /* up to JOB_PLOT_MAX_SERIES hidden layers */
    double hist_x[MOMENTS_HIST_BINS];
    double hist[JOB_PLOT_MAX_SERIES][MOMENTS_HIST_BINS];
} MomentsResult;

/* Add a row for the n × u values x (row-major): moments of every value
 * and, with ridge >= 0, the Gaussian entropy of the rows with that ridge
 * (an undefined entropy, e.g. of a singular covariance, leaves
 * entropy_status set and is no error). name may be NULL. ST_EINVAL with a
 * sentence for no values or a non-finite one, or no room for a row;
 * ST_ENOMEM. O(n·u² + u³). */
Status moments_result_add_row(MomentsResult *r, const char *name, const double *x, size_t n, size_t u,
                              double ridge, char *msg);

/* "mean", "std", "skewness", "kurtosis" (null when undefined), "n",
 * "min", "max". */
void moments_json_fields(const Moments *m, JsonWriter *w);
/* "entropy_nats", "d", "dropped", "ridge_eps" and, with ridge > 0,
 * "ridge_needed" and "ridge_shift". */
void entropy_json_fields(const EntropyResult *e, double ridge, JsonWriter *w);
/* One row as an object: "layer" and "units" when named, the moments
 * fields, then, when the entropy was asked for, its fields with the
 * row's ridge (or "entropy_nats": null when it is undefined). */
void moments_row_json(const MomentsRow *row, double ridge, JsonWriter *w);
/* On files (s NULL) the first row's object; on a snapshot the context
 * keys, "samples", "ridge" and "layers": one object per row. */
void moments_json(const MomentsResult *r, const Snapshot *s, JsonWriter *w);
/* The two tables (moments; units, min, max, constant units, entropy) and
 * the histograms. ST_ENOMEM. */
Status moments_view(const MomentsResult *r, const Snapshot *s, JobResult *out);

/* analyze moments --matrix F (every value of the matrix) and :moments (one
 * row per hidden layer, every hidden layer together, the output; with the
 * entropy of each, ridge ACTIVITY_RIDGE). O(n·p + p³). */
Status job_moments(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* analyze entropy --matrix F [--ridge E]: the entropy fields alone. Files
 * only. */
Status job_entropy(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
