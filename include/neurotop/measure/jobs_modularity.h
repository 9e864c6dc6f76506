#ifndef NEUROTOP_MEASURE_JOBS_MODULARITY_H
#define NEUROTOP_MEASURE_JOBS_MODULARITY_H

/* The weight-graph analyses of seed paper 000 as jobs (jobs.h) on one
 * snapshot: Louvain with R runs, the consensus partition (R = 500 in the
 * paper), node roles (participation coefficient and module-degree z-score,
 * maps over the input pixels), thresholded degree statistics (seed paper 002)
 * and the module composition per layer. Definitions: METHODS.md §1–§4. */

#include "neurotop/measure/jobs.h"

Status job_louvain(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
Status job_consensus(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
/* Uses args->partition when given (from an earlier :louvain/:consensus),
 * otherwise a 10-run Louvain partition of its own. */
Status job_roles(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
Status job_modules(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);
Status job_degrees(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
