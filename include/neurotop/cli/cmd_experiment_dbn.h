#ifndef NEUROTOP_CLI_CMD_EXPERIMENT_DBN_H
#define NEUROTOP_CLI_CMD_EXPERIMENT_DBN_H

/* `neurotop experiment dbn-degrees` (seed paper 002, §4.1–4.3): trains a
 * DBN headless (the train options of --model dbn), measures its weight
 * graph before and after training (experiment/dbn_degrees.h) at --theta
 * (0.1), prints each statistic beside the paper's statement with a verdict,
 * clusters the first hidden layer's receptive fields (:rfclusters,
 * --clusters K, 20) and writes dbn-degrees.json and dbn-clusters.json into
 * the run directory. argv[1] is "dbn-degrees"; returns the exit code (0, 2
 * bad options, 1 failure, 130 interrupted). */
int cli_experiment_dbn_main(int argc, char **argv);

#endif
