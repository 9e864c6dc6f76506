#ifndef NEUROTOP_DATA_REGISTRY_H
#define NEUROTOP_DATA_REGISTRY_H

/* Data sets by name, the one way a run or a replay gets its data: image
 * sets on disk (dataset_open: "mnist10k", "fashion", a folder) and sets
 * generated from parameters and a seed ("familiarity": the continual
 * familiarity task of data/familiarity.h). A generated set takes its
 * parameters by their run.json keys, so a replay regenerates it from the
 * run's run.json exactly as the run drew it. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"

/* One named parameter of a generated set. */
typedef struct {
    char key[32]; /* "task_n" */
    double value;
} DataParam;

/* 1 when name is a generated set, 0 for anything else. */
int data_is_generated(const char *name);

/* Open the data set `name`. A generated set is made from params (n of
 * them, found by key; each of its keys must be there, with a whole value
 * where it counts something) and seed; "familiarity" needs task_n,
 * task_r, task_p, task_chains, task_train and task_test
 * (familiarity_dataset). Any other name goes to dataset_open and params
 * are not used. *out is caller-owned (dataset_free), NULL on failure;
 * errors as dataset_open / familiarity_dataset, plus ST_EINVAL for a
 * missing or malformed parameter (one sentence naming it). */
Status data_open(const char *name, const DataParam *params, size_t n, uint64_t seed, Dataset **out,
                 char *msg);

#endif
