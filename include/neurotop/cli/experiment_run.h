#ifndef NEUROTOP_CLI_EXPERIMENT_RUN_H
#define NEUROTOP_CLI_EXPERIMENT_RUN_H

/* The start every one-run experiment shares (dbn-degrees, mapper-branching,
 * lenet-localization), once it has taken its own options out of argv. */

#include <stdio.h>

#include "neurotop/cli/options.h"
#include "neurotop/cli/session.h"

/* st: how taking the experiment's own options went (its sentence in msg,
 * a STATUS_MSG_LEN buffer used for every message); help: --help was given. Parses the train options in rest[0..n_rest) into o (which holds
 * the experiment's defaults); adjust, when not NULL, then sets the
 * experiment's recipe and checks it; options_finish. Prints usage on
 * --help (exit 0), one sentence for bad options (exit 2), the session's
 * failure (its exit code); otherwise opens s and returns -1. Frees rest. */
int cli_experiment_open(Status st, char *msg, int help, void (*usage)(FILE *f), char **rest, int n_rest,
                        Status (*adjust)(RunOptions *o, char *msg), RunOptions *o, Session *s);

#endif
