#include "neurotop/data/registry.h"

#include <math.h>
#include <string.h>

#include "neurotop/data/familiarity.h"

/* A generated set: its name, the keys it needs (in the order make takes
 * them) and whether each must be a whole number. */
typedef struct {
    const char *name;
    size_t n_keys;
    const char *keys[8];
    int whole[8];
    Status (*make)(const double *v, uint64_t seed, Dataset **out, char *msg);
} Generated;

static Status make_familiarity(const double *v, uint64_t seed, Dataset **out, char *msg)
{
    return familiarity_dataset(out, (size_t)v[0], (size_t)v[1], v[2], v[3] != 0.0, (size_t)v[4],
                               (size_t)v[5], seed, msg);
}

static const Generated GENERATED[] = {
    {"familiarity",
     6,
     {"task_n", "task_r", "task_p", "task_chains", "task_train", "task_test"},
     {1, 1, 0, 1, 1, 1},
     make_familiarity},
};

static const Generated *find_generated(const char *name)
{
    for (size_t i = 0; name && i < sizeof GENERATED / sizeof GENERATED[0]; i++)
        if (strcmp(GENERATED[i].name, name) == 0)
            return &GENERATED[i];
    return NULL;
}

int data_is_generated(const char *name)
{
    return find_generated(name) != NULL;
}

Status data_open(const char *name, const DataParam *params, size_t n, uint64_t seed, Dataset **out,
                 char *msg)
{
    *out = NULL;
    const Generated *g = find_generated(name);
    if (!g)
        return dataset_open(name, out, msg);
    double v[8];
    for (size_t k = 0; k < g->n_keys; k++) {
        size_t i = 0;
        while (i < n && strcmp(params[i].key, g->keys[k]) != 0)
            i++;
        if (i == n)
            return status_fail(msg, ST_EINVAL, "the %s task needs %s, which was not given", g->name,
                               g->keys[k]);
        v[k] = params[i].value;
        /* 1e15 keeps the conversion to size_t exact. */
        if (!isfinite(v[k]) || (g->whole[k] && (v[k] < 0 || v[k] > 1e15 || v[k] != floor(v[k]))))
            return status_fail(msg, ST_EINVAL, "the %s task's %s must be %s, not %g", g->name,
                               g->keys[k], g->whole[k] ? "a whole number" : "a finite number", v[k]);
    }
    return g->make(v, seed, out, msg);
}
