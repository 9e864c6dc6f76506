#ifndef NEUROTOP_MEASURE_INFO_CONFUSION_H
#define NEUROTOP_MEASURE_INFO_CONFUSION_H

/* The held-out confusion matrix of the shown epoch, its largest
 * confusions, and with a class, how that class's predictions evolved over
 * the recorded epochs. Runs on snapshots only (`:confusion [CLASS]`). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"

/* Confusions listed. */
#define CONFUSION_TOP 5

typedef struct {
    size_t k;               /* classes */
    double accuracy;
    uint32_t *counts;       /* k × k, [true][predicted] */
    double *shares;         /* k × k: counts over the row's total, diagonal NaN */
    size_t n_top;           /* the largest off-diagonal shares, descending */
    size_t top_true[CONFUSION_TOP], top_pred[CONFUSION_TOP];
    double top_share[CONFUSION_TOP];
    /* With a class (cls >= 0): its row over the epochs. */
    int cls;
    size_t n_history;
    double *history_epochs; /* n_history */
    double *history_shares; /* n_history × k, the class's own column NaN */
    size_t n_taken;         /* classes it is most often taken for at the last epoch */
    size_t taken[3];
} ConfusionResult;

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void confusion_result_done(ConfusionResult *r);

/* The matrix of s and, with args->cls >= 0, that class's history over
 * every recorded epoch whose snapshot the run's epoch lookup can read, into *r
 * (zeroed first). ST_EINVAL for a snapshot without a matrix or a class out
 * of range, ST_ENOMEM. */
Status confusion_compute(Job *job, const Snapshot *s, const AnalysisArgs *args, ConfusionResult *r, char *msg);

/* {context of s, accuracy, n_classes, confusion (k × k counts, flat), and
 * with a class: class, history_epochs, history_shares (flat)}. */
void confusion_json(const ConfusionResult *r, const Snapshot *s, JsonWriter *w);

/* The `:confusion` overlay: the table with per-class accuracy, the largest
 * confusions, the map of shares; with a class its history as a table, a
 * map and the curves of its top confusions. ST_ENOMEM. */
Status confusion_view(const ConfusionResult *r, const Snapshot *s, JobResult *out);

/* The JobFn (snapshots only). */
Status confusion_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
