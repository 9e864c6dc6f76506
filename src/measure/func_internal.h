/* Helpers shared by the functional-network analyses (func_flex.c,
 * func_flex_view.c, func_fc.c, func_moments.c; defined in
 * func_common.c). Not a public header. */
#ifndef NEUROTOP_MEASURE_FUNC_INTERNAL_H
#define NEUROTOP_MEASURE_FUNC_INTERNAL_H

#include <stddef.h>

#include "neurotop/measure/jobs.h"

/* "HL1+HL2" for layer 0 (every hidden layer), "HL2" for layer 2. */
void jobs_selection_name(const Snapshot *s, int layer, char *buf, size_t cap);

/* Column c of a selection as "HL2#17" (units counted from 1). */
void jobs_unit_name(const Snapshot *s, int layer, size_t c, char *buf, size_t cap);

/* The selection's probe activations as an n_probe × *p matrix (*x owned by
 * the caller; NULL on failure). ST_EINVAL with a sentence for a missing
 * layer or fewer than 2 probe items; ST_ENOMEM. */
Status jobs_gather_hidden(const Snapshot *s, int layer, float **x, size_t *p, char *msg);

/* fc.h flags for the job's arguments (FC_REGRESS_MEAN when asked). */
unsigned jobs_fc_flags(const AnalysisArgs *a);

#endif
