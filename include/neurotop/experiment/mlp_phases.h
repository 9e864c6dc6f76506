#ifndef NEUROTOP_EXPERIMENT_MLP_PHASES_H
#define NEUROTOP_EXPERIMENT_MLP_PHASES_H

/* The measurements of `neurotop experiment mlp-phases`: seed paper 000
 * (Shine et al. 2021, Brain Informatics 8:26, doi:10.1186/s40708-021-00147-z)
 * on a live training run.
 *
 * A recorder is a per-epoch metric hook (publisher.h). On the epochs of a
 * schedule like the paper's (every epoch early, sparser later:
 * mlp_phases_scheduled) it measures the snapshot: the distribution of Q
 * over `reps` Louvain runs (signed asym, γ = 1) of the whole weight graph
 * and of the hidden subgraph (best, mean, SD, min, max), the input units'
 * PC and MZ for the best whole-graph partition and their Pearson r with the
 * pixel information ID (all pixels and live pixels, permutation p-values;
 * the maps are kept for a search-corrected test), the mean IH per hidden
 * layer (the ih_hl<h>_mean keys of metrics_info, which must run before),
 * and the per-pixel α edge change Σ_j |ΔW1| since the previous recorded
 * epoch. It adds q_whole, q_hidden (best run) with their _mean, _min, _max
 * and q_reps, r_id_pc and r_id_mz to the snapshot's metrics and can save the
 * recorded snapshots. After training, mlp_phases_report detects the
 * learning phases by the tests of phases.h and computes the paper's
 * headline numbers with the statistics each needs (docs/methods.md §23);
 * mlp_phases_write writes every series. No number is adjusted toward the
 * paper's: absent phases are reported absent. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/core/status.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/snapshot.h"

typedef struct {
    size_t reps;        /* Louvain runs per readout per recorded epoch (>= 2) */
    double alpha;       /* significance of the phase tests (phases.h; 0 = 0.01) */
    size_t perms;       /* permutations per test (>= 1) */
    uint64_t seed;      /* Louvain streams and permutations */
    size_t last_epoch;  /* always recorded (0 = none) */
    PixelInfo *pixels;  /* IP/ID/live pixels of the training set (borrowed) */
    RunDir *rundir;     /* recorded snapshots are saved here (borrowed, may be NULL) */
} MlpPhasesConfig;

/* One recorded epoch. r/p pairs are NaN when undefined. */
typedef struct {
    size_t epoch, examples;
    double acc, q_whole, q_hidden;                        /* best run */
    double q_mean[2], q_sd[2], q_min[2], q_max[2];        /* over the runs: [whole, hidden] */
    double r_id_pc, p_id_pc, r_id_mz, p_id_mz;             /* all pixels */
    double r_id_pc_live, p_id_pc_live, r_id_mz_live, p_id_mz_live;
    double ih[2];                                         /* ih_hl1_mean, ih_hl2_mean */
    double *edge;  /* n_pixels: Σ_j |W1(this) − W1(previous recorded)|, NULL for the first (owned) */
} MlpPhasesPoint;

typedef struct MlpPhases MlpPhases;

/* 1 when `epoch` is recorded: every epoch to 30, every 5 to 100, every 25
 * to 500, every 100 to 2000, then every 250; and the last epoch. */
int mlp_phases_scheduled(size_t epoch, size_t last_epoch);

/* 1 when an epoch is measured at all: the schedule's epochs (the trainer
 * skips evaluation and the live metrics of the others). ctx is an
 * MlpPhases. */
int mlp_phases_wants(size_t epoch, void *ctx);

/* ST_EINVAL for reps < 2, perms 0, alpha out of (0, 0.5) or no pixel
 * cache; ST_ENOMEM. */
Status mlp_phases_new(const MlpPhasesConfig *cfg, MlpPhases **out, char *msg);
/* mlp_phases_free(NULL) is safe. */
void mlp_phases_free(MlpPhases *m);

/* The EpochMetricFn; ctx is an MlpPhases. Models need an input layer of
 * the pixel cache's size and at least one hidden layer. Time per recorded
 * epoch: 2·reps Louvain runs, O(n²) roles, 4·perms·pixels permutations. */
Status mlp_phases_epoch(Snapshot *s, void *ctx, char *msg);

/* Recorded epochs so far and one of them (borrowed; i < count). Not
 * thread-safe against the hook: call after training has finished. */
size_t mlp_phases_count(const MlpPhases *m);
const MlpPhasesPoint *mlp_phases_point(const MlpPhases *m, size_t i);

typedef enum {
    MLP_PHASES_TREND_NONE = 0, /* undefined (no window or no IH) */
    MLP_PHASES_TREND_FLAT,     /* the 95% interval of the slope contains 0 */
    MLP_PHASES_TREND_RISES,
    MLP_PHASES_TREND_FALLS
} MlpPhasesTrend;

/* "n/a", "flat", "rises" or "falls". */
const char *mlp_phases_trend_name(MlpPhasesTrend t);

/* A correlation with its permutation test; ok 0 when undefined. */
typedef struct {
    int ok;
    PermTest t;
} MlpPhasesTest;

/* Index 0: whole graph, 1: hidden subgraph. Windows are epoch ranges
 * [first, last] of recorded points, -1 when absent. */
typedef struct {
    size_t n_points;
    double alpha;
    int phase_ok[2];
    char phase_problem[2][STATUS_MSG_LEN];
    PhaseResult phase[2];
    long span[2][4][2];       /* [readout][Phase][first, last] epoch, -1 absent */
    long sens[2][PHASES_N_SENSITIVITY][4]; /* start epoch of each phase at each α of the table */
    /* r(Q, accuracy) over the middle phase: raw (both series trend: no p)
     * and of the first differences, with a permutation p. */
    MlpPhasesTest q_acc_diff[2];
    /* Edge change summed over consecutive recorded pairs inside each window
     * (early, middle, late of the whole graph, or of the hidden subgraph when
     * the whole graph shows none), against IP: [window][all, live]; and the
     * partial r given the pixels' mean intensity (residuals of both maps on
     * the intensity, permutation p of the residuals). */
    long edge_window[3][2];
    char edge_source[3][80];
    MlpPhasesTest edge_ip[3][2];
    MlpPhasesTest edge_ip_partial[3][2];
    double edge_mean_r[3][2]; /* r(edge change, mean intensity), all / live */
    double *edge_map[3];      /* n_pixels each (owned), NULL when the window is absent */
    size_t n_pixels;
    /* Extremes of r(ID, PC) (max) and r(ID, MZ) (min) over the recorded
     * points (index into the points, or -1), all and live pixels, with the
     * p of the search: the share of permutations of ID whose extreme over
     * all recorded epochs reaches the observed one (max-statistic). */
    long pc_max_at, mz_min_at, pc_max_live_at, mz_min_live_at;
    double p_search[4];       /* pc all, pc live, mz all, mz live; NaN when undefined */
    /* Mean IH of HL1/HL2 over the late window (the late phase, else the
     * last third of training): a least-squares line with a 95% interval
     * widened for autocorrelated residuals (trend.h). */
    long ih_window[2];
    char ih_source[80];
    double ih_start[2], ih_end[2];
    TrendFit ih_fit[2];
    MlpPhasesTrend ih_trend[2];
} MlpPhasesReport;

/* Compute the report from the recorded points (at least 3 are needed for
 * phases; fewer give phase_ok = 0 with the reason). out is caller-owned:
 * mlp_phases_report_done. ST_ENOMEM. */
Status mlp_phases_report(const MlpPhases *m, MlpPhasesReport *out, char *msg);
void mlp_phases_report_done(MlpPhasesReport *r);

/* Write DIR/mlp-phases-series.csv (one row per recorded epoch),
 * DIR/mlp-phases-pixels.csv (one row per pixel: IP, ID, mean, live, the
 * three window edge maps) and DIR/mlp-phases-summary.json, atomically, in
 * the C numeric format. */
Status mlp_phases_write(const MlpPhases *m, const MlpPhasesReport *r, const char *dir, char *msg);

#endif
