#ifndef NEUROTOP_CLI_INSTANCES_H
#define NEUROTOP_CLI_INSTANCES_H

/* Many instances of one model, as seed paper 001 trained 120 HebbFF
 * "subjects": `neurotop train --headless --instances K --jobs J` trains K
 * runs with seeds S, S+1, …, S+K−1 (S = --seed), J at a time, each a thread
 * group of its own Session (trainer + publisher; one BLAS thread each) in
 * this process. Everything lands in one batch folder:
 *
 *   <runs>/<UTC time>-<model>-x<K>/
 *       <UTC time>-<model>-i00/   an ordinary run directory (run.json, …)
 *       <UTC time>-<model>-i01/   …
 *       summary.csv               one row per instance and epoch
 *
 * summary.csv: a header line, then rows sorted by instance and epoch; the
 * columns are INSTANCES_COLUMNS below in that order, the optional ones only
 * when some run has them (e.g. flex_* when the activity hook ran); an
 * undefined value is an empty cell. It is rewritten (atomically) each time
 * an instance finishes, so an interrupted batch keeps what was done.
 * Each instance is deterministic: its rows depend only on its seed and the
 * options, not on J or on the other instances. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/cli/options.h"
#include "neurotop/core/status.h"
#include "neurotop/experiment/summary_table.h"

#define INSTANCES_SUMMARY SUMMARY_TABLE_NAME /* read back by experiment/summary_table.h */

/* Always present: instance, seed, epoch (written by the runner) then these
 * snapshot keys. */
#define INSTANCES_FIXED_KEYS "test_acc", "test_loss", "tpr", "fpr", "lambda", "eta", "q_whole", "q_hidden"
/* Functional-network keys (metrics_fcq.h, registered by the session for
 * hebbff, and the activity hook), written when some row has them. */
#define INSTANCES_OPTIONAL_KEYS                                                                    \
    "fcq", "fcq_modules", "fcq_mean_r", "fcq_reg", "fcq_reg_modules", "fcq_reg_mean_r", "fc_mean", \
        "fc_mean_abs", "flex_system", "flex_q", "flex_communities", "entropy_nats", "act_mean"

typedef struct {
    int quiet;          /* no line per instance-epoch, only one per finished instance */
} InstancesConfig;

typedef struct {
    char dir[1024];     /* the batch folder */
    size_t finished;    /* instances that ran every epoch */
    int interrupted;    /* a signal stopped the batch */
} InstancesOutcome;

/* Train o->instances instances (o->jobs at a time, 0 = online cores) of the
 * options o (already through options_finish; o->epochs ≥ 1), writing the
 * batch folder and summary.csv as above and printing progress on stdout.
 * SIGINT/SIGTERM/SIGHUP (signals.h, installed here) stop every running
 * instance after its current epoch; no new one starts; summary.csv keeps
 * every finished epoch and out->interrupted is set (ST_OK). Errors: the first
 * failing instance's Status and message (the others are stopped). */
Status instances_run(const RunOptions *o, const InstancesConfig *c, InstancesOutcome *out, char *msg);

/* `neurotop train --headless --instances K ...`: returns the exit code
 * (0, 2 bad options, 1 failure, 130 interrupted). o is from options_finish. */
int instances_main(const RunOptions *o);

#endif
