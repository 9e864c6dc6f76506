#ifndef NEUROTOP_MEASURE_INFO_TRAJECTORY_H
#define NEUROTOP_MEASURE_INFO_TRAJECTORY_H

/* Analyses of a run's recorded weight trajectories (run/trajectory.h, seed
 * paper 003): the trajectory cloud of one layer up to the shown epoch,
 * the number of branches over time, and its principal-component picture.
 * Mapper of the cloud is `mapper` (info_mapper.h), which takes its points
 * from here when the run recorded them. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/measure/jobs.h"
#include "neurotop/run/snapshot.h"

/* The points of a layer's trajectories: one per unit and record, rows
 * record-major (record r, unit u at row r·units + u), d = the unit's
 * inputs. */
typedef struct {
    double *x;        /* n × d */
    double *time;     /* n: the record's mini-batch step */
    int *unit;        /* n: the unit */
    size_t n, d, units;
    size_t records;   /* records taken (every stride-th up to the epoch, and the last) */
    size_t available; /* records up to the shown epoch */
    size_t stride;
    double max_norm;  /* the largest unit norm of the whole recorded run */
} TrajectoryCloud;

void trajectory_cloud_free(TrajectoryCloud *c);

/* The cloud of layer (1 = HL1, ..., the last = the output layer) of the run
 * in run_dir up to snapshot s's examples, every stride-th record with the
 * stride the smallest that keeps n·d <= max_values (the last record always
 * kept). ST_ENOTFOUND when the run recorded no trajectories (the message
 * says how to), ST_EINVAL for a layer the model lacks or a file that does
 * not match it. */
Status trajectory_cloud_load(const char *run_dir, const Snapshot *s, int layer, size_t max_values,
                             TrajectoryCloud *c, char *msg);

/* The number of branches of a layer at every record up to snapshot s:
 * single-linkage clusters of its units' incoming vectors at eps (<= 0: 5%
 * of the whole run's largest unit norm). Arrays owned (free each). job may
 * be NULL (no progress, no cancel). */
typedef struct {
    size_t n, units;
    double eps, max_norm;
    uint64_t *step;
    double *epoch, *count;
} BranchCurve;

Status trajectory_branch_curve(const char *run_dir, const Snapshot *s, int layer, double eps, Job *job,
                               BranchCurve *out, char *msg);
void branch_curve_free(BranchCurve *c);

/* The quantiles of a layer's unit norms at every record up to snapshot s
 * (seed 003, Fig. 8: the norms of the incoming vectors over training):
 * x = the record's epoch (with its fraction), and per record the smallest,
 * 25%, median, 75% and largest norm. Read from the records' headers, no
 * matrix is inflated. Arrays owned (trajectory_bands_free). */
typedef struct {
    size_t n, units;
    double *epoch, *lo, *q25, *median, *q75, *hi;
} TrajectoryBands;

Status trajectory_bands_load(const char *run_dir, const Snapshot *s, int layer, TrajectoryBands *b, char *msg);
void trajectory_bands_free(TrajectoryBands *b);

/* The cloud (at most max_values coordinates) on its first two principal
 * components: x, y per point, the tenth of the time (0..9) it was recorded
 * in, and the two components' shares of the variance. */
typedef struct {
    size_t n, units, records, available, stride;
    double *x, *y;
    int *tenth;
    double ratio[2];
} TrajectoryProjection;

Status trajectory_project(const char *run_dir, const Snapshot *s, int layer, size_t max_values,
                          TrajectoryProjection *p, char *msg);
void trajectory_projection_free(TrajectoryProjection *p);

/* How flat each unit's own path through weight space is: for every unit
 * of the layer, the PCA of its incoming vectors at the records whose epoch
 * (with fraction) lies in [from, to] (at most max_records of them, evenly
 * thinned), and the share of that path's variance in its first two
 * components; *mean and *min over the units (seed 003's 2-D learning
 * surface from a tiny start). *used = records taken. */
Status trajectory_unit_surface(const char *run_dir, const Snapshot *s, int layer, double from, double to,
                               size_t max_records, double *mean, double *min, size_t *used, char *msg);

/* 1 when the run in run_dir records weight trajectories (its trajectory
 * folder exists, from the start of training on). */
int trajectory_recorded(const char *run_dir);

/* JobFns: `:branches [LAYER]` (single-linkage clusters of the layer's unit
 * vectors at eps, record by record, as a curve over epochs) and
 * `:trajectories [LAYER]` (the cloud on its first two principal
 * components, coloured by time). */
Status trajectory_branches_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out,
                               char *msg);
Status trajectory_pca_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* Branches (single-linkage clusters at eps) of n points of d coordinates:
 * the components of the graph joining points at distance <= eps. */
Status trajectory_count_branches(const double *x, size_t n, size_t d, double eps, size_t *out, char *msg);

#endif
