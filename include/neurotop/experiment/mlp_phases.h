#ifndef NEUROTOP_EXPERIMENT_MLP_PHASES_H
#define NEUROTOP_EXPERIMENT_MLP_PHASES_H

/* The measurements of `neurotop experiment mlp-phases`: seed paper 000
 * (Shine et al. 2021, Brain Informatics 8:26, doi:10.1186/s40708-021-00147-z)
 * on a live training run.
 *
 * A recorder is a per-epoch metric hook (publisher.h). On the epochs of a
 * schedule like the paper's (every epoch early, sparser later:
 * mlp_phases_scheduled) it measures the snapshot: Q of the whole weight
 * graph and of the hidden subgraph (best of `reps` Louvain runs, signed
 * asym, γ = 1), the input units' PC and MZ for the best whole-graph
 * partition and their Pearson r with the pixel information ID (all pixels
 * and live pixels, permutation p-values), the mean IH per hidden layer (the
 * ih_hl<h>_mean keys of metrics_info, which must run before), and the
 * per-pixel α edge change Σ_j |ΔW1| since the previous recorded epoch. It
 * adds q_whole, q_hidden, r_id_pc, r_id_mz to the snapshot's metrics and can
 * save the recorded snapshots. After training, mlp_phases_report detects
 * the learning phases (phases.h) and computes the paper's headline numbers;
 * mlp_phases_write writes every series. No number is adjusted toward
 * the paper's: absent phases are reported absent. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/core/status.h"
#include "neurotop/measure/metrics_info.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/snapshot.h"

typedef struct {
    size_t reps;        /* Louvain runs per readout per recorded epoch (>= 1) */
    size_t perms;       /* permutations per test (>= 1) */
    uint64_t seed;      /* Louvain streams and permutations */
    size_t last_epoch;  /* always recorded (0 = none) */
    PixelInfo *pixels;  /* IP/ID/live pixels of the training set (borrowed) */
    RunDir *rundir;     /* recorded snapshots are saved here (borrowed, may be NULL) */
} MlpPhasesConfig;

/* One recorded epoch. r/p pairs are NaN when undefined. */
typedef struct {
    size_t epoch, examples;
    double acc, q_whole, q_hidden;
    double r_id_pc, p_id_pc, r_id_mz, p_id_mz;             /* all pixels */
    double r_id_pc_live, p_id_pc_live, r_id_mz_live, p_id_mz_live;
    double ih[2];                                         /* ih_hl1_mean, ih_hl2_mean */
    double *edge;  /* n_pixels: Σ_j |W1(this) − W1(previous recorded)|, NULL for the first (owned) */
} MlpPhasesPoint;

typedef struct MlpPhases MlpPhases;

/* 1 when `epoch` is recorded: every epoch to 30, every 5 to 100, every 25
 * to 500, every 100 to 2000, then every 250; and the last epoch. */
int mlp_phases_scheduled(size_t epoch, size_t last_epoch);

/* ST_EINVAL for reps or perms 0 or no pixel cache; ST_ENOMEM. */
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

/* Below this change of mean IH (bits) across the late window a direction
 * is called flat. */
#define MLP_PHASES_IH_FLAT 0.005

typedef enum {
    MLP_PHASES_TREND_NONE = 0, /* undefined (no window or no IH) */
    MLP_PHASES_TREND_FLAT,
    MLP_PHASES_TREND_RISES,
    MLP_PHASES_TREND_FALLS
} MlpPhasesTrend;

/* "n/a", "flat", "rises" or "falls". */
const char *mlp_phases_trend_name(MlpPhasesTrend t);

/* Index 0: whole graph, 1: hidden subgraph. Windows are epoch ranges
 * [first, last] of recorded points, -1 when absent. */
typedef struct {
    size_t n_points;
    int phase_ok[2];
    char phase_problem[2][STATUS_MSG_LEN];
    PhaseResult phase[2];
    long span[2][4][2];       /* [readout][Phase][first, last] epoch, -1 absent */
    int q_acc_ok[2];
    PermTest q_acc[2];        /* r(Q, accuracy) over the middle phase, with p */
    /* Edge change summed over consecutive recorded pairs inside each window
     * (early, middle, late of the whole graph, or of the hidden subgraph when
     * the whole graph shows none), against IP: [window][all, live]. */
    long edge_window[3][2];
    char edge_source[3][80];  /* how each window was chosen */
    int edge_ok[3];
    PermTest edge_ip[3][2];
    double edge_mean_r[2];    /* early window vs mean intensity, all / live */
    double *edge_map[3];      /* n_pixels each (owned), NULL when the window is absent */
    size_t n_pixels;
    /* Extremes over the recorded points (index into the points, or -1). */
    long pc_max_at, mz_min_at, pc_max_live_at, mz_min_live_at;
    /* Mean IH of HL1/HL2 at the start and end of the late window (the late
     * phase, else the last third of training), read off a least-squares line
     * through the window's points. */
    long ih_window[2];
    char ih_source[80];
    double ih_start[2], ih_end[2];
    MlpPhasesTrend ih_trend[2];   /* ih_end − ih_start against MLP_PHASES_IH_FLAT */
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
