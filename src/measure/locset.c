#include "neurotop/measure/locset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

LocSetSpec locset_defaults(void)
{
    LocSetSpec e = {.images = 10000, .chunk = 500};
    e.features = loc_feature_options_default();
    e.localize = localize_options_default();
    return e;
}

void locset_set_done(LocSetResult *r)
{
    if (!r)
        return;
    localize_result_done(&r->result);
    memset(r, 0, sizeof *r);
}

double locset_paper_error(const char *name)
{
    static const struct {
        const char *name;
        double err;
    } paper[] = {{"MNIST", 2.9},   {"trMNIST", 1.7},  {"GAUSSIAN", 1.5},   {"IMPULSE", 0.8},
                 {"MIXED", 0.8},   {"CONCAT", 0.4},   {"CONSTANT", 4.3},   {"offGAUSSIAN", 2.1}};
    for (size_t i = 0; i < sizeof paper / sizeof paper[0]; i++)
        if (strcmp(paper[i].name, name) == 0)
            return paper[i].err;
    return NAN;
}

static void copy_times(LocSetResult *out, const LocFeatures *f)
{
    out->t_moments = f->t_moments;
    out->t_corr = f->t_corr;
    out->t_eig = f->t_eig;
    out->t_forests = out->result.t_forests;
    out->t_assign = out->result.t_assign;
    out->t_score = out->result.t_score;
}

/* The score over e->random_splits random splits of the same features. */
static Status random_splits(const LocSetSpec *e, const LocFeatures *f, LocSetResult *out,
                            char *msg)
{
    double s = 0, s2 = 0;
    for (size_t k = 0; k < e->random_splits; k++) {
        LocalizeOptions o = e->localize;
        o.split = LOC_SPLIT_RANDOM;
        o.seed = e->seed + 1 + k;
        LocalizeResult r;
        Status st = localize_run(e->layout, f, &o, &r, msg);
        if (st != ST_OK)
            return st;
        s += r.mean_err;
        s2 += r.mean_err * r.mean_err;
        localize_result_done(&r);
    }
    size_t n = e->random_splits;
    out->n_random = n;
    out->random_mean = n ? s / (double)n : NAN;
    out->random_sd = n > 1 ? sqrt(fmax(0.0, (s2 - s * s / (double)n) / (double)(n - 1))) : NAN;
    return ST_OK;
}

Status locset_run_set(const LocSetSpec *e, StimulusKind kind, LocSetResult *out,
                         LocFeatures *keep, char *msg)
{
    memset(out, 0, sizeof *out);
    if (keep)
        memset(keep, 0, sizeof *keep);
    if (!e->layout || !e->responses)
        return status_fail(msg, ST_EINVAL, "localisation needs a network layout and its responses");
    const NetLayer *in = &e->layout->layers[0];
    size_t rows = in->height, cols = in->width, px = rows * cols;
    size_t n = netlayout_neurons(e->layout);
    size_t m = stimulus_count(kind, e->images, rows, cols);
    size_t chunk = e->chunk ? e->chunk : 500;
    if (m < 2)
        return status_fail(msg, ST_EINVAL, "localisation needs at least 2 images");
    if (m > SIZE_MAX / sizeof(float) / n)
        return status_fail(msg, ST_EINVAL, "%zu images of %zu neurons are too many", m, n);
    snprintf(out->name, sizeof out->name, "%s", stimulus_name(kind));
    out->images = m;
    float *img = malloc(m * px * sizeof *img);
    float *resp = malloc(m * n * sizeof *resp);
    LocFeatures f = {0};
    Status st = ST_OK;
    if (!img || !resp) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu responses of %zu neurons (%.2f GB)",
                         m, n, 4.0 * (double)m * (double)n / 1e9);
        goto done;
    }
    double t0 = now();
    st = stimulus_make(kind, e->digits, e->images, rows, cols, e->seed, img, msg);
    if (st != ST_OK)
        goto done;
    double t1 = now();
    out->t_stimuli = t1 - t0;
    const LocalizeOptions *lo = &e->localize;
    for (size_t i = 0; i < m; i += chunk) {
        size_t c = m - i < chunk ? m - i : chunk;
        st = e->responses(e->responses_ctx, img + i * px, c, resp + i * n, msg);
        if (st != ST_OK)
            goto done;
        if (lo->progress && lo->progress(lo->progress_ctx, "responses", (double)(i + c) / (double)m)) {
            st = status_fail(msg, ST_ECANCELED, "localisation canceled");
            goto done;
        }
    }
    free(img);
    img = NULL;
    out->t_responses = now() - t1;
    LocFeatureOptions fo = e->features;
    fo.seed = e->seed;
    if (!fo.progress) {
        fo.progress = lo->progress;
        fo.progress_ctx = lo->progress_ctx;
    }
    st = localize_features(resp, m, n, &fo, &f, msg);
    free(resp);
    resp = NULL;
    if (st != ST_OK)
        goto done;
    LocalizeOptions o = *lo;
    o.seed = e->seed;
    st = localize_run(e->layout, &f, &o, &out->result, msg);
    if (st == ST_OK)
        st = random_splits(e, &f, out, msg);
    if (st != ST_OK)
        goto done;
    copy_times(out, &f);
    if (keep) {
        *keep = f;
        memset(&f, 0, sizeof f);
    }
done:
    free(img);
    free(resp);
    loc_features_done(&f);
    if (st != ST_OK)
        locset_set_done(out);
    return st;
}

Status locset_run_concat(const LocSetSpec *e, const LocFeatures *parts,
                            const LocSetResult *part_results, size_t count, LocSetResult *out,
                            char *msg)
{
    memset(out, 0, sizeof *out);
    LocFeatures f;
    Status st = loc_features_concat(parts, count, &f, msg);
    if (st != ST_OK)
        return st;
    snprintf(out->name, sizeof out->name, "CONCAT");
    LocalizeOptions o = e->localize;
    o.seed = e->seed;
    st = localize_run(e->layout, &f, &o, &out->result, msg);
    if (st == ST_OK)
        st = random_splits(e, &f, out, msg);
    if (st == ST_OK) {
        copy_times(out, &f);
        for (size_t p = 0; p < count && part_results; p++) {
            out->images += part_results[p].images;
            out->t_stimuli += part_results[p].t_stimuli;
            out->t_responses += part_results[p].t_responses;
        }
    }
    loc_features_done(&f);
    return st;
}
