#include "neurotop/analysis/multislice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct Multislice {
    size_t n, t;
    double two_mu;
    double coupling; /* ω / 2μ */
    int built;
    double *blocks;  /* t blocks of n×n, layer-major */
};

Status multislice_new(size_t n, size_t t, Multislice **out, char *msg)
{
    if (!out)
        return status_fail(msg, ST_EINVAL, "multislice_new needs an output");
    *out = NULL;
    size_t nn, total, nt;
    if (n == 0 || t == 0)
        return status_fail(msg, ST_EINVAL, "a multilayer network needs at least one node and one layer");
    if (size_mul(n, n, &nn) || size_mul(nn, t, &total) || total > SIZE_MAX / sizeof(double) ||
        size_mul(n, t, &nt) || nt > (size_t)INT32_MAX)
        return status_fail(msg, ST_EINVAL, "%zu layers of %zu nodes are too many", t, n);
    Multislice *ms = calloc(1, sizeof *ms);
    if (ms)
        ms->blocks = malloc(total * sizeof *ms->blocks);
    if (!ms || !ms->blocks) {
        multislice_free(ms);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu layers of %zu nodes", t, n);
    }
    ms->n = n;
    ms->t = t;
    *out = ms;
    return ST_OK;
}

void multislice_free(Multislice *ms)
{
    if (!ms)
        return;
    free(ms->blocks);
    free(ms);
}

Status multislice_build(Multislice *ms, const Matrix *const *layers, size_t t, double gamma,
                        double omega, ModSign mode, char *msg)
{
    if (!ms || !layers)
        return status_fail(msg, ST_EINVAL, "multislice_build needs storage and layers");
    if (t != ms->t)
        return status_fail(msg, ST_EINVAL, "%zu layers given, but the storage holds %zu", t, ms->t);
    if (mode == MOD_SIGN_ASYM)
        return status_fail(msg, ST_EINVAL, "multislice modularity has no asym form; use none or sym");
    if (!isfinite(omega) || omega < 0)
        return status_fail(msg, ST_EINVAL, "omega must be finite and >= 0, got %g", omega);
    ms->built = 0;
    size_t n = ms->n;
    double sum = 0;
    for (size_t s = 0; s < t; s++) {
        const Matrix *l = layers[s];
        if (!l || l->rows != n || l->cols != n)
            return status_fail(msg, ST_EINVAL, "layer %zu is %zu×%zu, but %zu×%zu is needed", s + 1,
                               l ? l->rows : 0, l ? l->cols : 0, n, n);
        Matrix block = {n, n, ms->blocks + s * n * n};
        ModTotals tot;
        char inner[STATUS_MSG_LEN] = "";
        Status st = modmat_build(l, gamma, mode, &block, &tot, inner);
        if (st)
            return status_fail(msg, st, "layer %zu: %s", s + 1, inner);
        /* modmat_build divides by the layer's own total; undo that now and
         * divide by the shared 2μ once it is known */
        double layer_total = tot.s_pos + tot.s_neg;
        for (size_t i = 0; i < n * n; i++)
            block.data[i] *= layer_total;
        sum += layer_total;
    }
    double two_mu = sum + 2.0 * omega * (double)n * (double)(t - 1);
    if (!isfinite(two_mu) || !(two_mu > 0))
        return status_fail(msg, ST_EINVAL, "the multilayer normaliser 2mu is not a positive number");
    double inv = 1.0 / two_mu;
    for (size_t i = 0; i < t * n * n; i++)
        ms->blocks[i] *= inv;
    ms->two_mu = two_mu;
    ms->coupling = omega * inv;
    ms->built = 1;
    return ST_OK;
}

size_t multislice_nodes(const Multislice *ms)
{
    return ms ? ms->n : 0;
}

size_t multislice_layers(const Multislice *ms)
{
    return ms ? ms->t : 0;
}

double multislice_two_mu(const Multislice *ms)
{
    return ms ? ms->two_mu : 0;
}

/* Row (i, s): the layer's block row plus ω/2μ to (i, s−1) and (i, s+1). */
static void supra_row(const void *ctx, size_t u, LouvainRow *out)
{
    const Multislice *ms = ctx;
    size_t n = ms->n, s = u / n, i = u % n;
    out->vals = ms->blocks + s * n * n + i * n;
    out->diag = out->vals[i];
    out->len = n;
    out->cols = NULL;
    out->start = s * n;
    out->n_extra = 0;
    if (ms->coupling == 0)
        return;
    if (s > 0) {
        out->extra_col[out->n_extra] = u - n;
        out->extra_val[out->n_extra++] = ms->coupling;
    }
    if (s + 1 < ms->t) {
        out->extra_col[out->n_extra] = u + n;
        out->extra_val[out->n_extra++] = ms->coupling;
    }
}

void multislice_op(const Multislice *ms, LouvainOp *op)
{
    *op = (LouvainOp){.n = ms && ms->built ? ms->n * ms->t : 0, .ctx = ms, .row = supra_row};
}

Status multislice_quality(const Multislice *ms, const int *labels, double *q, char *msg)
{
    if (!ms || !ms->built)
        return status_fail(msg, ST_EINVAL, "the multilayer network has not been built");
    LouvainOp op;
    multislice_op(ms, &op);
    return louvain_quality(&op, labels, q, msg);
}
