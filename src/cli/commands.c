/* The table of sub-commands that main dispatches through. */
#include "neurotop/cli/commands.h"

#include <string.h>

#include "neurotop/cli/analyze.h"
#include "neurotop/cli/sweep.h"

static int run_tui(int argc, char **argv)
{
    return cli_tui_main(argc, argv, 1);
}

const CliCommand cli_commands[] = {
    {"tui", "train a model live in the terminal (the default)", run_tui},
    {"train", "train headless: one line per epoch, writes a run directory", cli_train_main},
    {"replay", "open a recorded run directory without training", cli_replay_main},
    {"watch", "follow a run recorded by PyTorch, JAX or NumPy (.npz steps)", cli_watch_main},
    {"check", "read every epoch of a run directory and report damage", cli_check_main},
    {"sweep", "train a grid of runs: here, on Slurm or with GNU parallel", cli_sweep_main},
    {"cohort", "compare many runs: bands across runs, correlations, learning modes", cli_cohort_main},
    {"analyze", "run one analysis on files and print JSON (docs/methods.md)", analyze_main},
    {"experiment", "scripted reproduction of a seed paper's result", cli_experiment_main},
    {"metrics", "the keys of metrics.jsonl and what they mean", cli_metrics_main},
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];

const char *const cli_experiment_names[] = {"mlp-phases", "hebbff-modularity", "dbn-degrees",
                                            "mapper-branching", "lenet-localization", NULL};

const CliCommand *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

void cli_print_usage(FILE *f)
{
    fprintf(f, "usage: neurotop [COMMAND] [options]\n\nCommands:\n");
    for (size_t i = 0; i < cli_command_count; i++)
        fprintf(f, "  %-11s %s\n", cli_commands[i].name, cli_commands[i].help);
    fprintf(f, "\n"
               "neurotop COMMAND --help describes each command's options.\n"
               "neurotop --version prints the version and the libraries in use.\n"
               "Defaults for some options can be set in ~/.config/neurotop/config (see neurotop(1)).\n");
}
