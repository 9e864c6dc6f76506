#ifndef NEUROTOP_CLI_COHORT_VIEW_H
#define NEUROTOP_CLI_COHORT_VIEW_H

/* Between `neurotop cohort` (cmd_cohort.c) and its terminal view
 * (cohort_view.c): the options and the runs grouped by one option. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/run/cohort_runs.h"

#define COHORT_MAX_DIRS 256
#define COHORT_MAX_GROUPS 64
#define COHORT_GROUP_NAME 64

typedef struct {
    const char *dirs[COHORT_MAX_DIRS];
    size_t n_dirs;
    int headless;
    const char *out, *group, *against;
    size_t window, boot;
    uint64_t boot_seed;
} CohortArgs;

/* The runs by the value of one run.json key (one group "" without a key). */
typedef struct {
    size_t n;
    char name[COHORT_MAX_GROUPS][COHORT_GROUP_NAME];
    size_t first[COHORT_MAX_GROUPS], count[COHORT_MAX_GROUPS]; /* members[first..first+count) */
    size_t *of_run;  /* group of each run */
    size_t *members; /* runs, group by group, each in path order */
} CohortGroups;

/* Group the runs by key (NULL: one group). ST_EINVAL when no run has the
 * key or it makes more than COHORT_MAX_GROUPS groups. */
Status cohort_groups_make(const CohortRuns *c, const char *key, CohortGroups *g, char *msg);
void cohort_groups_done(CohortGroups *g);

/* The terminal view; returns the exit code. */
int cohort_view_main(const CohortArgs *a, CohortRuns *c);

#endif
