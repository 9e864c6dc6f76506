/* `neurotop --version`: the version and the libraries it runs with, for
 * bug reports (the BLAS core type and threads change speed, not results). */
#include <curses.h>
#include <stdio.h>
#include <zlib.h>

#include "neurotop/cli/commands.h"
#include "neurotop/core/datadir.h"
#include "neurotop/core/linalg.h"

int cli_version_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char blas[512];
    linalg_library_info(blas, sizeof blas);
    printf("neurotop %s\n", NEUROTOP_VERSION);
    printf("  ncurses:  %s\n", curses_version());
    printf("  BLAS:     %s\n", blas);
    printf("  zlib:     %s\n", zlibVersion());
    printf("  data:     %s (compiled in; see neurotop(1), FILES)\n", datadir_compiled());
    return 0;
}
