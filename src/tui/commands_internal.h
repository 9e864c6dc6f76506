/* The `:` analysis commands (handlers of the COMMAND_LIST in commands.c),
 * shared parsing helpers. Not a public header. */
#ifndef NEUROTOP_TUI_COMMANDS_INTERNAL_H
#define NEUROTOP_TUI_COMMANDS_INTERNAL_H

#include "app_internal.h"

/* A whole number / a finite real in [lo, hi]; the message names `what`. */
Status cmd_parse_count(const char *s, long lo, long hi, long *out, const char *what, char *msg);
Status cmd_parse_real(const char *s, double lo, double hi, double *out, const char *what, char *msg);

Status cmd_confusion(App *app, int argc, char **argv, char *msg);
Status cmd_consensus(App *app, int argc, char **argv, char *msg);
Status cmd_corr(App *app, int argc, char **argv, char *msg);
Status cmd_degrees(App *app, int argc, char **argv, char *msg);
Status cmd_edges(App *app, int argc, char **argv, char *msg);
Status cmd_fc(App *app, int argc, char **argv, char *msg);
Status cmd_flex(App *app, int argc, char **argv, char *msg);
Status cmd_info_job(App *app, int argc, char **argv, char *msg);
Status cmd_louvain(App *app, int argc, char **argv, char *msg);
Status cmd_modules(App *app, int argc, char **argv, char *msg);
Status cmd_moments(App *app, int argc, char **argv, char *msg);
Status cmd_roles(App *app, int argc, char **argv, char *msg);

#endif
