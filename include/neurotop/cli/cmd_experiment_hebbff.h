#ifndef NEUROTOP_CLI_CMD_EXPERIMENT_HEBBFF_H
#define NEUROTOP_CLI_CMD_EXPERIMENT_HEBBFF_H

/* `neurotop experiment hebbff-modularity` (seed paper 001, Fig. 4A/C, 5C/D,
 * 6): parses its options, trains K HebbFF instances through instances_run
 * (instances.h) or takes a batch folder (--from DIR), has
 * experiment/hebbff_modularity.h compute the cohort report (with bootstrap
 * intervals over instances, --boot, --boot-seed) and write
 * hebbff-modularity.csv, hebbff-across-epochs.csv and hebbff-modes.csv into
 * the batch folder, and prints the report with a verdict beside each of the
 * paper's statements. argv[1] is "hebbff-modularity"; returns the exit code
 * (0, 2 bad options or input, 1 failure, 130 interrupted). */
int cli_experiment_hebbff_main(int argc, char **argv);

#endif
