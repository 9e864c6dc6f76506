#ifndef NEUROTOP_CLI_EXPERIMENT_HEBBFF_H
#define NEUROTOP_CLI_EXPERIMENT_HEBBFF_H

/* `neurotop experiment hebbff-modularity` (seed paper 001, Fig. 4A/C, 5C/D,
 * 6): trains K HebbFF instances through instances_run (instances.h) or reads
 * a batch folder (--from DIR), then prints per window of epochs the within-
 * and across-instance correlations of modularity (functional network raw and
 * mean-regressed, weight graph, multilayer) and flexibility with accuracy
 * (analysis/cohort.h), classifies each run's learning mode, and writes
 * hebbff-modularity.csv and hebbff-modes.csv into the batch folder.
 * argv[1] is "hebbff-modularity"; returns the exit code (0, 2 bad options or
 * input, 1 failure, 130 interrupted). */
int experiment_hebbff_main(int argc, char **argv);

#endif
