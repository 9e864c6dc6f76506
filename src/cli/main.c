/* neurotop: watch a neural network learn, the way a network neuroscientist
 * watches a brain. Dispatches sub-commands; only cli/ picks exit codes. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/cli/commands.h"

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) a write then fails with EFBIG, which
     * the run directory treats as a full disk, instead of killing us. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        cli_print_usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0)
        return cli_version_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "--complete") == 0)
        return cli_complete_main(argc - 1, argv + 1);
    if (argc < 2 || argv[1][0] == '-')
        return cli_tui_main(argc, argv, 0);
    const CliCommand *c = cli_command_find(argv[1]);
    if (c)
        return c->run(argc - 1, argv + 1);
    fprintf(stderr, "neurotop: unknown command '%s' (see neurotop --help).\n", argv[1]);
    return 2;
}
