#ifndef NEUROTOP_EXPERIMENT_HEBBFF_MODULARITY_H
#define NEUROTOP_EXPERIMENT_HEBBFF_MODULARITY_H

/* The analysis of `neurotop experiment hebbff-modularity`: seed paper 001's
 * cohort results (the HebbFF network of Tyulmankov, Yang & Abbott 2022 as
 * studied by Gu, Mattar, Tang & Pan, Science Advances 10:eadm8430, 2024,
 * doi:10.1126/sciadv.adm8430: Fig. 4A/C, 5C/D and 6) on the summary.csv of a
 * batch of instances (summary_table.h).
 *
 * Epoch 0 (untrained) is left out. The trained epochs 1..E are cut into
 * windows of `width` epochs (a last partial window is dropped) and into
 * three periods, the thirds early, mid and late. For each readout below and
 * each window and period: the means over instances and epochs of accuracy,
 * the value, its module count and mean r; and by cohort_corr
 * (analysis/cohort.h) the within r (mean over instances of r(value,
 * accuracy) over the epochs) and the across r (the r over instances at each
 * epoch, then the mean over the epochs, as the paper's Fig. 4C), each with
 * a bootstrap interval over instances and its value on the two halves of
 * the cohort split by seed parity; the same for the module count. The
 * paper's statements are tested on the periods (hebbff_modularity_claim).
 * Each run's learning mode (Fig. 6) is classified by cohort_classify with
 * the default rule. No number is adjusted toward the paper's. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/cohort.h"
#include "neurotop/core/status.h"
#include "neurotop/experiment/summary_table.h"

/* The tables written into the batch folder. */
#define HEBBFF_MODULARITY_TABLE "hebbff-modularity.csv"
#define HEBBFF_MODULARITY_EPOCHS "hebbff-across-epochs.csv"
#define HEBBFF_MODULARITY_MODES "hebbff-modes.csv"
/* Readouts compared with accuracy, in the order of hebbff_modularity_readout. */
#define HEBBFF_MODULARITY_READOUTS 5
/* The narrowest window: r needs 3 epochs. */
#define HEBBFF_MODULARITY_MIN_WINDOW 3
/* Periods: the thirds of the trained epochs. */
#define HEBBFF_MODULARITY_PERIODS 3

typedef enum { HEBBFF_EARLY = 0, HEBBFF_MID, HEBBFF_LATE } HebbffPeriod;

/* What a readout stands for in the paper's statements. */
typedef enum { HEBBFF_KIND_Q = 0, HEBBFF_KIND_FLEX } HebbffKind;

/* A readout: its summary.csv columns (NULL when it has none) and a label. */
typedef struct {
    const char *key;          /* the value, e.g. "fcq" */
    const char *modules_key;  /* its module count */
    const char *meanr_key;    /* the mean r of its network */
    const char *label;        /* e.g. "functional Q (whole probe, raw correlations)" */
    HebbffKind kind;
} HebbffReadout;

/* Readout k < HEBBFF_MODULARITY_READOUTS: fcq, fcq_reg, q_whole, flex_q,
 * flex_system. */
const HebbffReadout *hebbff_modularity_readout(size_t k);

/* "early", "mid" or "late". */
const char *hebbff_modularity_period_name(HebbffPeriod p);

/* One window or period of one readout. Means are NaN when no finite value. */
typedef struct {
    size_t epoch_from, epoch_to;            /* inclusive */
    double acc, value, modules, mean_r;     /* means over instances and epochs */
    CohortCorr corr;                        /* r(value, accuracy) */
    CohortCorr mod_corr;                    /* r(modules, accuracy); all NaN without modules */
} HebbffSpan;

typedef struct {
    int present;                /* the summary has the readout's value column */
    int has_modules;            /* ... and its module column */
    HebbffSpan *windows;        /* n_windows (owned), NULL when absent */
    HebbffSpan periods[HEBBFF_MODULARITY_PERIODS];
    double *epoch_r;            /* n_epochs (owned): across r(value, acc) at each epoch, NaN at 0 and undefined */
    double *epoch_r_mod;        /* the same for the modules (owned; NULL without) */
    size_t *epoch_n;            /* n_epochs (owned): instances with a value and an accuracy */
    /* Windows whose two halves agree in sign ([0] within, [1] across), of
     * the windows where both halves are defined and non-zero. */
    size_t halves_agree[2], halves_defined[2];
} HebbffReadoutResult;

/* The learning mode of one instance. */
typedef struct {
    double seed;                /* NaN when the summary has no row of it */
    int classified;             /* 0: problem says why */
    char problem[STATUS_MSG_LEN];
    CohortModeResult result;    /* the classification (valid when classified) */
    double final_acc;           /* accuracy at the last measured epoch */
    double final_eta;           /* eta there (NaN without an eta column) */
} HebbffInstanceMode;

/* How to analyse. */
typedef struct {
    size_t window;      /* epochs per window, 0: (E − 1)/10 */
    size_t n_boot;      /* bootstrap resamples (0: no intervals) */
    uint64_t boot_seed; /* seed of the resamples */
} HebbffModularitySettings;

/* window 0, COHORT_BOOT_DEFAULT resamples, COHORT_BOOT_SEED. */
void hebbff_modularity_settings_default(HebbffModularitySettings *s);

typedef struct {
    size_t n_inst, n_epochs;    /* instances 0..n_inst−1, epochs 0..n_epochs−1 */
    size_t first_epoch;         /* of the first window (1) */
    size_t width, n_windows;    /* epochs per window, windows */
    size_t n_boot;              /* resamples behind every interval */
    uint64_t boot_seed;
    size_t half_n[2];           /* instances of even and of odd seed */
    HebbffReadoutResult readout[HEBBFF_MODULARITY_READOUTS];
    CohortModeRule rule;
    HebbffInstanceMode *modes;  /* n_inst (owned) */
    size_t mode_count[3];       /* by CohortMode, of the classified instances */
    size_t classified;          /* instances classified */
    size_t reached90;           /* classified instances whose best accuracy is at least 0.9 */
    size_t negative_eta;        /* classified instances whose final eta is below 0 */
} HebbffModularityReport;

/* One of the paper's statements, tested on a period: the interval of the
 * named correlation must exclude 0 on the side of `sign` (0: the paper
 * gives no sign, e.g. "near 0"; only the interval is shown). */
typedef struct {
    const char *figure;   /* "Fig. 4C" */
    const char *text;     /* what the paper says */
    HebbffKind kind;      /* the readouts it applies to */
    int modules;          /* 1: the module count's correlation, 0: the value's */
    int within;           /* 1: within, 0: across */
    HebbffPeriod period;
    int sign;             /* +1, −1, or 0 */
} HebbffClaim;

/* Number of claims, and claim k (NULL past the end). */
size_t hebbff_modularity_claims(void);
const HebbffClaim *hebbff_modularity_claim(size_t k);

/* The statistic claim c tests on readout k, or NULL when the claim does not
 * apply to it (another kind, no modules, readout absent). */
const CohortStat *hebbff_modularity_claim_stat(const HebbffModularityReport *r, const HebbffClaim *c, size_t k);

/* Compute the report from a summary table (columns instance, seed, epoch,
 * test_acc required; the readouts' and eta optional). The window is raised
 * to HEBBFF_MODULARITY_MIN_WINDOW and capped at n_epochs − 1. The halves
 * split instances by the parity of their seed (an instance without rows:
 * by the parity of its index). out is caller-owned (hebbff_modularity_done).
 * Errors: ST_EFORMAT for a missing required column, no rows, or an instance
 * or epoch that is not a whole number (instance < 100000, epoch ≤ 1000000);
 * ST_EINVAL for fewer than 3 trained epochs; ST_ENOMEM. Time
 * O(readouts · (3 + n_boot) · n_inst · n_epochs). */
Status hebbff_modularity_compute(const SummaryTable *t, const HebbffModularitySettings *set,
                                 HebbffModularityReport *out, char *msg);

/* Write DIR/hebbff-modularity.csv (one row per readout present, series
 * (value, modules) and window or period), DIR/hebbff-across-epochs.csv (one
 * row per readout present and trained epoch) and DIR/hebbff-modes.csv (one
 * row per classified instance), atomically; an empty cell for NaN. */
Status hebbff_modularity_write(const HebbffModularityReport *r, const char *dir, char *msg);

/* Read DIR/summary.csv, compute the report and write the tables into DIR.
 * Errors as summary_table_read, hebbff_modularity_compute and the writes. */
Status hebbff_modularity_run(const char *dir, const HebbffModularitySettings *set, HebbffModularityReport *out,
                             char *msg);

/* Free the report and empty it; hebbff_modularity_done(NULL) is safe. */
void hebbff_modularity_done(HebbffModularityReport *r);

#endif
