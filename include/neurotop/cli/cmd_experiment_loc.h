#ifndef NEUROTOP_CLI_CMD_EXPERIMENT_LOC_H
#define NEUROTOP_CLI_CMD_EXPERIMENT_LOC_H

/* `neurotop experiment lenet-localization` (seed paper 004, §5–6.1): trains
 * a network headless (--model, LeNet by default, and the train options),
 * localises its neurons from their responses to each stimulus set of
 * --sets (measure/locset.h) and prints, per set, the error beside the
 * paper's, the active and silent parts, the silent neurons, the random
 * baseline, the floor and the split of time; writes
 * lenet-localization.json into the run directory. argv[1] is
 * "lenet-localization"; returns the exit code (0, 2 bad options, 1
 * failure, 130 interrupted). */
int cli_experiment_loc_main(int argc, char **argv);

#endif
