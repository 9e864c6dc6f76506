#ifndef NEUROTOP_MEASURE_MOD_QUALITY_H
#define NEUROTOP_MEASURE_MOD_QUALITY_H

/* The quality analysis (docs/methods.md §4): modularity Q of a given
 * partition of a matrix, with the resolution gamma and a sign mode
 * (`analyze quality --matrix W --partition P`; files only). */

#include "neurotop/measure/jobs.h"

typedef struct {
    double q;
} QualityResult;

/* Q of labels (adj->rows integers of any values) on adj:
 * modmat_quality_direct, whose rules and errors apply. */
Status quality_result_compute(const Matrix *adj, const int *labels, double gamma, ModSign sign,
                              QualityResult *r, char *msg);
/* {"Q": q} */
void quality_result_json(const QualityResult *r, JsonWriter *w);
void quality_result_view(const QualityResult *r, JobResult *out);

Status job_quality(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
