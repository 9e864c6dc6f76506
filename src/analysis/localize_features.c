#include "neurotop/analysis/localize.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/abscorr.h"
#include "neurotop/analysis/eigsub.h"

LocFeatureOptions loc_feature_options_default(void)
{
    return (LocFeatureOptions){.n_eig = 16};
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    const LocFeatureOptions *opt;
    const char *stage;
} StageCtx;

static int stage_progress(void *ctx, double frac)
{
    const StageCtx *s = ctx;
    return s->opt->progress ? s->opt->progress(s->opt->progress_ctx, s->stage, frac) : 0;
}

void loc_features_done(LocFeatures *f)
{
    if (!f)
        return;
    free(f->x);
    free(f->silent);
    memset(f, 0, sizeof *f);
}

Status localize_features(float *resp, size_t m, size_t n, const LocFeatureOptions *opt,
                         LocFeatures *out, char *msg)
{
    memset(out, 0, sizeof *out);
    LocFeatureOptions o = opt ? *opt : loc_feature_options_default();
    if (m < 2 || n < 2 || o.n_eig == 0 || o.n_eig > n)
        return status_fail(msg, ST_EINVAL,
                           "localisation features need >= 2 images, >= 2 neurons and 1..%zu "
                           "eigenvectors (got %zu images, %zu neurons, %zu eigenvectors)",
                           n, m, n, o.n_eig);
    size_t d = 2 + o.n_eig;
    double *mean = malloc(n * sizeof *mean), *sd = malloc(n * sizeof *sd);
    double *vals = malloc(o.n_eig * sizeof *vals);
    float *vecs = malloc(n * o.n_eig * sizeof *vecs), *c = NULL;
    out->x = malloc(n * d * sizeof *out->x);
    out->silent = malloc(n);
    Status st = ST_OK;
    if (!mean || !sd || !vals || !vecs || !out->x || !out->silent) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for the features of %zu neurons", n);
        goto done;
    }
    out->n = n;
    out->d = d;
    double t0 = now();
    st = abscorr_moments(resp, m, n, mean, sd, out->silent, msg);
    if (st == ST_OK)
        st = abscorr_standardise(resp, m, n, mean, sd, out->silent, msg);
    if (st != ST_OK)
        goto done;
    double t1 = now();
    out->t_moments = t1 - t0;
    c = malloc(n * n * sizeof *c);
    if (!c) {
        st = status_fail(msg, ST_ENOMEM,
                         "out of memory for the %zu×%zu correlation matrix (%.2f GB)", n, n,
                         4.0 * (double)n * (double)n / 1e9);
        goto done;
    }
    StageCtx sc = {&o, "correlation"};
    st = abscorr_matrix(resp, m, n, o.corr_block, c, stage_progress, &sc, msg);
    if (st != ST_OK)
        goto done;
    double t2 = now();
    out->t_corr = t2 - t1;
    StageCtx se = {&o, "eigenvectors"};
    /* 40 iterations bound the worst case (LeNet: 0.6 s each); the
     * features need no more than rough vectors when the gap is small. */
    EigSubOptions eo = {.block = o.eig_block, .seed = o.seed, .max_iter = 40,
                        .progress = stage_progress, .progress_ctx = &se};
    st = eigsub_top(c, n, o.n_eig, &eo, vals, vecs, &out->eig_iters, msg);
    if (st != ST_OK)
        goto done;
    out->t_eig = now() - t2;
    for (size_t j = 0; j < n; j++) {
        float *row = out->x + j * d;
        row[0] = (float)mean[j];
        row[1] = (float)sd[j];
        memcpy(row + 2, vecs + j * o.n_eig, o.n_eig * sizeof *row);
    }
done:
    free(mean);
    free(sd);
    free(vals);
    free(vecs);
    free(c);
    if (st != ST_OK)
        loc_features_done(out);
    return st;
}

Status loc_features_concat(const LocFeatures *parts, size_t count, LocFeatures *out, char *msg)
{
    memset(out, 0, sizeof *out);
    if (count == 0)
        return status_fail(msg, ST_EINVAL, "nothing to concatenate");
    size_t n = parts[0].n, d = 0;
    for (size_t p = 0; p < count; p++) {
        if (parts[p].n != n)
            return status_fail(msg, ST_EINVAL, "feature set %zu has %zu neurons, set 0 has %zu", p,
                               parts[p].n, n);
        d += parts[p].d;
    }
    out->x = malloc(n * d * sizeof *out->x);
    out->silent = malloc(n);
    if (!out->x || !out->silent) {
        loc_features_done(out);
        return status_fail(msg, ST_ENOMEM, "out of memory concatenating features");
    }
    out->n = n;
    out->d = d;
    for (size_t j = 0; j < n; j++) {
        size_t at = 0;
        out->silent[j] = 1;
        for (size_t p = 0; p < count; p++) {
            memcpy(out->x + j * d + at, parts[p].x + j * parts[p].d, parts[p].d * sizeof *out->x);
            at += parts[p].d;
            out->silent[j] &= parts[p].silent[j];
        }
    }
    for (size_t p = 0; p < count; p++) {
        out->t_moments += parts[p].t_moments;
        out->t_corr += parts[p].t_corr;
        out->t_eig += parts[p].t_eig;
        out->eig_iters += parts[p].eig_iters;
    }
    return ST_OK;
}
