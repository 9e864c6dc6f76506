/* The table of `analyze` KINDs: name, allowed options, required options,
 * handler, one-line help. Each handler lives in src/cli/analyze_<group>.c.
 * X(name, allowed, required, handler, help) */
#ifndef NEUROTOP_CLI_ANALYZE_KINDS_H
#define NEUROTOP_CLI_ANALYZE_KINDS_H

#include "neurotop/cli/analyze.h"

#define ANALYZE_KINDS(X) \
    /* end of kinds: insert new X(...) \ lines above this one */

#define ANALYZE_DECLARE(name, allowed, required, handler, help) \
    Status handler(const AnalyzeArgs *args, JsonWriter *w, char *msg);
ANALYZE_KINDS(ANALYZE_DECLARE)
#undef ANALYZE_DECLARE

#endif
