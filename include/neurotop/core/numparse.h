#ifndef NEUROTOP_CORE_NUMPARSE_H
#define NEUROTOP_CORE_NUMPARSE_H

/* The one grammar for numbers a user types: command-line options, `:`
 * commands, `analyze` options, lessons and sweep files all read numbers
 * here, so they accept the same spellings and word their refusals alike.
 *
 * Whole numbers: optional leading '+', decimal digits only (no sign, no
 * spaces, no "1e3"); reals: anything strtod takes that is finite ("0.3",
 * "1e-3", "+2"), not "nan" or "inf". The whole text must be the number.
 * On a refusal the message names `what` (e.g. "--lr", "R", "the epoch"),
 * the allowed range and the text given, and the output is left unchanged. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

/* A whole number in [lo, hi]. ST_EINVAL otherwise. O(length). */
Status num_parse_u64(const char *text, uint64_t lo, uint64_t hi, const char *what, uint64_t *out,
                     char *msg);
Status num_parse_size(const char *text, size_t lo, size_t hi, const char *what, size_t *out,
                      char *msg);
Status num_parse_long(const char *text, long lo, long hi, const char *what, long *out, char *msg);

/* A finite real in [lo, hi] (hi may be INFINITY: no upper limit), or in
 * (lo, hi] when open_lo is 1 (e.g. a learning rate above 0). ST_EINVAL
 * otherwise. O(length). */
Status num_parse_real(const char *text, double lo, double hi, int open_lo, const char *what,
                      double *out, char *msg);

#endif
