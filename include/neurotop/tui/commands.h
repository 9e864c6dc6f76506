#ifndef NEUROTOP_TUI_COMMANDS_H
#define NEUROTOP_TUI_COMMANDS_H

/* The table of `:` commands (read-only access for :help, completion and
 * tests). */

#include <stddef.h>

size_t commands_count(void);
/* Name ("step"), usage ("step [N]") and one-line help of command i, or NULL. */
const char *commands_name(size_t i);
const char *commands_usage(size_t i);
const char *commands_help(size_t i);
/* Split a line in place into at most max words (spaces and tabs separate).
 * Returns the number of words, or -1 when there are more than max. */
int commands_split(char *line, char **argv, int max);

#endif
