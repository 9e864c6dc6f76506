/* neurotop: watch a neural network learn, the way a network neuroscientist
 * watches a brain. Dispatches sub-commands; only cli/ picks exit codes. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/cli/analyze.h"
#include "neurotop/cli/commands.h"

static void print_usage(FILE *f)
{
    fprintf(f,
            "usage: neurotop [COMMAND] [options]\n"
            "\n"
            "Commands:\n"
            "  tui         train a model live in the terminal (the default)\n"
            "  train       train headless: one line per epoch, writes a run directory\n"
            "  replay      open a recorded run directory without training\n"
            "  check       read every epoch of a run directory and report damage\n"
            "  analyze     run one analysis on files and print JSON (docs/methods.md)\n"
            "  experiment  scripted reproduction of a seed paper's result\n"
            "  metrics     the keys of metrics.jsonl and what they mean\n"
            "\n"
            "neurotop COMMAND --help describes each command's options.\n"
            "neurotop --version prints the version.\n");
}

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) a write then fails with EFBIG, which
     * the run directory treats as a full disk, instead of killing us. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        print_usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("neurotop %s\n", NEUROTOP_VERSION);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return cli_tui_main(argc, argv, 0);
    const char *cmd = argv[1];
    if (strcmp(cmd, "analyze") == 0)
        return analyze_main(argc - 1, argv + 1);
    if (strcmp(cmd, "tui") == 0)
        return cli_tui_main(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "train") == 0)
        return cli_train_main(argc - 1, argv + 1);
    if (strcmp(cmd, "replay") == 0)
        return cli_replay_main(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cli_check_main(argc - 1, argv + 1);
    if (strcmp(cmd, "experiment") == 0)
        return cli_experiment_main(argc - 1, argv + 1);
    if (strcmp(cmd, "metrics") == 0)
        return cli_metrics_main(argc - 1, argv + 1);
    fprintf(stderr, "neurotop: unknown command '%s' (see neurotop --help).\n", cmd);
    return 2;
}
