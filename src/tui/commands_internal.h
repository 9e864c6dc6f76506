/* The `:` analysis commands (commands_analysis.c), started from the
 * command line of commands.c. Not a public header. */
#ifndef NEUROTOP_TUI_COMMANDS_INTERNAL_H
#define NEUROTOP_TUI_COMMANDS_INTERNAL_H

#include "app_internal.h"
#include "neurotop/measure/analyses.h"

/* Parse the words of `:COMMAND ...` for the analysis spec and start it on
 * the shown snapshot. */
Status cmd_analysis(App *app, const AnalysisSpec *spec, int argc, char **argv, char *msg);

#endif
