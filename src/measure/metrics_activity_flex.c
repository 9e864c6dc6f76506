/* The multislice network of the live flexibility and of :flex
 * (metrics_activity.h): its slices from windows of the probe items or from
 * given correlation matrices (one per epoch), the Louvain operator on it
 * and what a partition of it gives. */
#include "neurotop/measure/metrics_activity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/matrix.h"

struct ActivityFlex {
    size_t p, t, cap;     /* nodes, slices; cap = p²·t doubles held */
    double *fc;           /* t slices of p × p */
    Matrix *views;        /* t non-owning p × p views into fc */
    const Matrix **layers;
    Multislice *ms;       /* sized (p, t); remade when either changes */
    int built;
};

Status activity_flex_new(ActivityFlex **out, char *msg)
{
    *out = calloc(1, sizeof **out);
    return *out ? ST_OK : status_fail(msg, ST_ENOMEM, "out of memory");
}

void activity_flex_free(ActivityFlex *f)
{
    if (!f)
        return;
    free(f->fc);
    free(f->views);
    free(f->layers);
    multislice_free(f->ms);
    free(f);
}

static Status flex_reserve(ActivityFlex *f, size_t p, size_t t, char *msg)
{
    size_t pp, total;
    if (size_mul(p, p, &pp) || size_mul(pp, t, &total) || total > SIZE_MAX / sizeof(double))
        return status_fail(msg, ST_EINVAL, "%zu windows of %zu units are too many", t, p);
    if (total > f->cap) {
        double *fc = realloc(f->fc, total * sizeof(double));
        if (!fc)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu windows of %zu units", t, p);
        f->fc = fc;
        f->cap = total;
    }
    if (!f->ms || f->p != p || f->t != t) {
        multislice_free(f->ms);
        f->ms = NULL;
        free(f->views);
        free(f->layers);
        f->views = malloc(t * sizeof *f->views);
        f->layers = malloc(t * sizeof *f->layers);
        f->p = f->t = 0;
        if (!f->views || !f->layers)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu windows", t);
        Status st = multislice_new(p, t, &f->ms, msg);
        if (st)
            return st;
        f->p = p;
        f->t = t;
    }
    for (size_t s = 0; s < t; s++) {
        f->views[s] = (Matrix){p, p, f->fc + s * pp};
        f->layers[s] = &f->views[s];
    }
    return ST_OK;
}

Status activity_flex_build(ActivityFlex *f, const float *x, size_t n, size_t p, size_t ldx,
                           size_t windows, size_t len, double omega, double gamma, unsigned fc_flags,
                           char *msg)
{
    f->built = 0;
    if (p == 0 || windows == 0)
        return status_fail(msg, ST_EINVAL, "a multilayer network needs units and windows");
    Status st = flex_reserve(f, p, windows, msg);
    if (!st)
        st = fc_windows_f(x, n, p, ldx, windows, len, fc_flags, f->fc, msg);
    if (!st)
        st = multislice_build(f->ms, f->layers, windows, gamma, omega, MOD_SIGN_SYM, msg);
    f->built = !st;
    return st;
}

Status activity_flex_build_slices(ActivityFlex *f, const double *const *fc, size_t p, size_t t,
                                  double omega, double gamma, char *msg)
{
    f->built = 0;
    if (p == 0 || t == 0)
        return status_fail(msg, ST_EINVAL, "a multilayer network needs units and slices");
    Status st = flex_reserve(f, p, t, msg);
    if (st)
        return st;
    for (size_t s = 0; s < t; s++)
        memcpy(f->fc + s * p * p, fc[s], p * p * sizeof(double));
    st = multislice_build(f->ms, f->layers, t, gamma, omega, MOD_SIGN_SYM, msg);
    f->built = !st;
    return st;
}

size_t activity_flex_nodes(const ActivityFlex *f)
{
    return f->built ? f->p : 0;
}

size_t activity_flex_layers(const ActivityFlex *f)
{
    return f->built ? f->t : 0;
}

const double *activity_flex_window(const ActivityFlex *f, size_t s)
{
    return f->built && s < f->t ? f->fc + s * f->p * f->p : NULL;
}

void activity_flex_op(const ActivityFlex *f, LouvainOp *op)
{
    multislice_op(f->built ? f->ms : NULL, op);
}

Status activity_flex_summarize(const ActivityFlex *f, const int *labels, double *node, FlexSummary *out,
                               char *msg)
{
    if (!f->built)
        return status_fail(msg, ST_EINVAL, "no multilayer network has been built");
    Status st = multislice_quality(f->ms, labels, &out->q, msg);
    if (st)
        return st;
    MultiPartition mp = flexibility_partition_layers(labels, f->p, f->t);
    if ((st = flexibility_compute(&mp, node, &out->system, msg)))
        return st;
    /* Louvain labels are canonical 1..k; count distinct ones for any labels. */
    int *seen = malloc(f->p * f->t * sizeof *seen);
    if (!seen)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    size_t k = 0;
    if ((st = modmat_relabel(labels, f->p * f->t, seen, &k, msg)) == ST_OK)
        out->communities = k;
    free(seen);
    return st;
}


Status activity_flex_system_range(const ActivityFlex *f, const int *parts, size_t reps, double *lo,
                                  double *hi, char *msg)
{
    if (!f->built)
        return status_fail(msg, ST_EINVAL, "no multilayer network has been built");
    if (reps == 0)
        return status_fail(msg, ST_EINVAL, "a range needs at least one partition");
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < reps; r++) {
        MultiPartition mp = flexibility_partition_layers(parts + r * f->p * f->t, f->p, f->t);
        double sys;
        Status st = flexibility_compute(&mp, NULL, &sys, msg);
        if (st)
            return st;
        *lo = sys < *lo ? sys : *lo;
        *hi = sys > *hi ? sys : *hi;
    }
    return ST_OK;
}
