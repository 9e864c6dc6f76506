#ifndef NEUROTOP_EXPERIMENT_HEBBFF_MODULARITY_H
#define NEUROTOP_EXPERIMENT_HEBBFF_MODULARITY_H

/* The analysis of `neurotop experiment hebbff-modularity`: seed paper 001's
 * cohort results (the HebbFF network of Tyulmankov, Yang & Abbott 2022 as
 * studied in Science Advances 10:eadm8430, 2024, doi:10.1126/sciadv.adm8430:
 * Fig. 4A/C, 5C/D and 6) on the summary.csv of a batch of instances
 * (summary_table.h).
 *
 * Epoch 0 (untrained) is left out; the epochs from 1 on are cut into
 * windows of `width` epochs (a last partial window is dropped). For each
 * readout below and each window: the means over instances and epochs of
 * accuracy, the value, its module count and mean r; the within r (mean over
 * instances of r(value, accuracy) over the window's epochs) and the across
 * r (r over instances of the window means), both by cohort_window_corr
 * (analysis/cohort.h), and the across r of the module count. Each run's
 * learning mode (Fig. 6) is classified by cohort_classify with the default
 * rule. No number is adjusted toward the paper's. */

#include <stddef.h>

#include "neurotop/analysis/cohort.h"
#include "neurotop/core/status.h"
#include "neurotop/experiment/summary_table.h"

/* The tables written into the batch folder. */
#define HEBBFF_MODULARITY_TABLE "hebbff-modularity.csv"
#define HEBBFF_MODULARITY_MODES "hebbff-modes.csv"
/* Readouts compared with accuracy, in the order of hebbff_modularity_readout. */
#define HEBBFF_MODULARITY_READOUTS 5
/* The narrowest window: r needs 3 epochs. */
#define HEBBFF_MODULARITY_MIN_WINDOW 3

/* A readout: its summary.csv columns (NULL when it has none) and a label. */
typedef struct {
    const char *key;          /* the value, e.g. "fcq" */
    const char *modules_key;  /* its module count */
    const char *meanr_key;    /* the mean r of its network */
    const char *label;        /* e.g. "functional Q (whole probe, raw correlations)" */
} HebbffReadout;

/* Readout k < HEBBFF_MODULARITY_READOUTS: fcq, fcq_reg, q_whole, flex_q,
 * flex_system. */
const HebbffReadout *hebbff_modularity_readout(size_t k);

/* One window of one readout. Means are NaN when no finite value. */
typedef struct {
    size_t epoch_from, epoch_to;            /* inclusive */
    double acc, value, modules, mean_r;     /* window means over instances and epochs */
    CohortCorr corr;                        /* r(value, accuracy) within and across */
    double modules_across;                  /* across r(modules, accuracy), NaN without modules */
} HebbffWindow;

typedef struct {
    int present;                /* the summary has the readout's value column */
    HebbffWindow *windows;      /* n_windows (owned), NULL when absent */
    /* [0] within, [1] across: the largest r of the windows before the last
     * third, and the mean r over the last third (NaN when none defined). */
    double early_peak[2];
    double late[2];
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

typedef struct {
    size_t n_inst, n_epochs;    /* instances 0..n_inst−1, epochs 0..n_epochs−1 */
    size_t first_epoch;         /* of the first window (1) */
    size_t width, n_windows;    /* epochs per window, windows */
    size_t first_late;          /* index of the first window of the last third */
    HebbffReadoutResult readout[HEBBFF_MODULARITY_READOUTS];
    CohortModeRule rule;
    HebbffInstanceMode *modes;  /* n_inst (owned) */
    size_t mode_count[3];       /* by CohortMode, of the classified instances */
    size_t classified;          /* instances classified */
    size_t reached90;           /* classified instances whose best accuracy is at least 0.9 */
    size_t negative_eta;        /* classified instances whose final eta is below 0 */
} HebbffModularityReport;

/* Compute the report from a summary table (columns instance, seed, epoch,
 * test_acc required; the readouts' and eta optional). window: epochs per
 * window, 0 for (n_epochs − 1)/10; raised to HEBBFF_MODULARITY_MIN_WINDOW and
 * capped at n_epochs − 1. out is caller-owned (hebbff_modularity_done).
 * Errors: ST_EFORMAT for a missing required column, no rows, or an instance
 * or epoch that is not a whole number (instance < 100000, epoch ≤ 1000000);
 * ST_EINVAL for fewer than 3 trained epochs; ST_ENOMEM. Time O(readouts ·
 * n_inst · n_epochs). */
Status hebbff_modularity_compute(const SummaryTable *t, size_t window, HebbffModularityReport *out,
                                 char *msg);

/* Write DIR/hebbff-modularity.csv (one row per readout present and window)
 * and DIR/hebbff-modes.csv (one row per classified instance), atomically;
 * empty cell for NaN. */
Status hebbff_modularity_write(const HebbffModularityReport *r, const char *dir, char *msg);

/* Read DIR/summary.csv, compute the report and write both tables into DIR.
 * Errors as summary_table_read, hebbff_modularity_compute and the writes. */
Status hebbff_modularity_run(const char *dir, size_t window, HebbffModularityReport *out, char *msg);

/* Free the report and empty it; hebbff_modularity_done(NULL) is safe. */
void hebbff_modularity_done(HebbffModularityReport *r);

#endif
