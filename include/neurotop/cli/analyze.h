#ifndef NEUROTOP_CLI_ANALYZE_H
#define NEUROTOP_CLI_ANALYZE_H

/* `neurotop analyze KIND [options]`: one analysis of the table in
 * measure/analyses.h, on files or on an epoch of a recorded run; one JSON
 * object on stdout, or one sentence on stderr and exit 2 on bad input
 * (definitions: docs/methods.md). */

/* Entry point used by main: argv[0] is "analyze". Returns the exit code. */
int analyze_main(int argc, char **argv);

#endif
