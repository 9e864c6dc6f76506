/* TEMPORARY during bring-up: replaced by cmd_tui.c, cmd_train.c, ... */
#include <stdio.h>

#include "neurotop/cli/commands.h"

int cli_experiment_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "neurotop: experiment not built yet\n");
    return 1;
}
