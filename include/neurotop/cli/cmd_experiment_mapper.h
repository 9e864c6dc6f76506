#ifndef NEUROTOP_CLI_CMD_EXPERIMENT_MAPPER_H
#define NEUROTOP_CLI_CMD_EXPERIMENT_MAPPER_H

/* `neurotop experiment mapper-branching` (seed paper 003): trains an MLP
 * headless from a zero (or, --init tiny, a tiny random) start with weight
 * trajectories recorded every 10 mini-batches until --target held-out
 * accuracy, then prints the accuracy jumps, the branches of the output
 * layer and HL1 over time, Mapper of the output layer's trajectories
 * (mapper-output.json and .dot in the run directory) and, for a tiny start,
 * the share of HL1's trajectory variance in two principal components, each
 * beside the paper's statement. argv[1] is "mapper-branching"; returns the
 * exit code (0, 2 bad options, 1 failure, 130 interrupted). */
int cli_experiment_mapper_main(int argc, char **argv);

#endif
