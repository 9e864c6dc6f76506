/* Analyses of recorded weight trajectories (info_trajectory.h). */
#include "neurotop/measure/info_trajectory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/analysis/mapper.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/model/model.h"
#include "neurotop/run/trajectory.h"
#include "jobs_source.h"

/* The analyses hold at most this many coordinates (1 GiB of doubles would
 * be 2^27): 8M doubles = 64 MB, about 100 records of a 784-100 layer. */
#define CLOUD_MAX_VALUES ((size_t)8 << 20)
/* eps when not given: the fraction of the run's largest unit norm at which
 * seed 003's output-layer trajectories form trees (3-10%). */
#define EPS_FRACTION 0.05

void trajectory_cloud_free(TrajectoryCloud *c)
{
    free(c->x);
    free(c->time);
    free(c->unit);
    memset(c, 0, sizeof *c);
}

/* The trajectory file of model layer `layer` (the block that ends in it). */
static Status file_of_layer(const Snapshot *s, int layer, size_t *file_layer, size_t *units, size_t *inputs,
                            char *msg)
{
    WeightBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_blocks(&s->config, NULL, b, MODEL_MAX_BLOCKS);
    if (layer < 1)
        return status_fail(msg, ST_EINVAL, "trajectories are of one layer (1 = HL1, ..., %zu = output), not all",
                           s->config.n_layers - 1);
    for (size_t k = 0; k < nb; k++)
        if (b[k].to == (size_t)layer) {
            *file_layer = k + 1;
            *units = b[k].cols;
            *inputs = b[k].rows;
            return ST_OK;
        }
    return status_fail(msg, ST_EINVAL, "layer %d has no incoming weights in this model (1 = HL1, ..., %zu = output)",
                       layer, s->config.n_layers - 1);
}

/* Records of f up to the snapshot's examples. */
static size_t records_until(const TrajectoryFile *f, const Snapshot *s)
{
    size_t k = 0, n = trajectory_records(f);
    while (k < n && trajectory_time(f, k).examples <= s->examples_seen)
        k++;
    return k;
}

/* The trajectory file of a layer of the run, checked against the model,
 * and how many of its records come up to the snapshot (*records). */
static Status open_layer(const char *run_dir, const Snapshot *s, int layer, TrajectoryFile **f, size_t *records,
                         char *msg)
{
    *f = NULL;
    *records = 0;
    if (!run_dir)
        return status_fail(msg, ST_ENOTFOUND, "this run has no folder to hold weight trajectories");
    size_t units = 0, inputs = 0, file_layer = 0;
    Status st = file_of_layer(s, layer, &file_layer, &units, &inputs, msg);
    if (!st)
        st = trajectory_open(run_dir, file_layer, f, msg);
    if (!st && (trajectory_units(*f) != units || trajectory_inputs(*f) != inputs)) {
        st = status_fail(msg, ST_EINVAL, "the recorded trajectories of layer %d hold %zu × %zu weights, the model %zu × %zu",
                         layer, trajectory_units(*f), trajectory_inputs(*f), units, inputs);
        trajectory_close(*f);
        *f = NULL;
    }
    if (!st)
        *records = records_until(*f, s);
    return st;
}

Status trajectory_cloud_load(const char *run_dir, const Snapshot *s, int layer, size_t max_values,
                             TrajectoryCloud *c, char *msg)
{
    memset(c, 0, sizeof *c);
    TrajectoryFile *f = NULL;
    Status st = open_layer(run_dir, s, layer, &f, &c->available, msg);
    if (st)
        return st;
    c->units = trajectory_units(f);
    c->d = trajectory_inputs(f);
    c->max_norm = trajectory_max_norm(f);
    if (c->available == 0) {
        trajectory_close(f);
        return status_fail(msg, ST_ENOTFOUND, "no weight trajectory was recorded by epoch %zu", s->epoch);
    }
    size_t per_record = c->units * c->d, fit = max_values / per_record;
    if (fit == 0)
        fit = 1;
    c->stride = (c->available + fit - 1) / fit;
    if (c->stride == 0)
        c->stride = 1;
    /* every stride-th record from 0, plus the last one */
    c->records = (c->available - 1) / c->stride + 1 + ((c->available - 1) % c->stride != 0);
    c->n = c->records * c->units;
    c->x = malloc(c->n * c->d * sizeof *c->x);
    c->time = malloc(c->n * sizeof *c->time);
    c->unit = malloc(c->n * sizeof *c->unit);
    float *m = malloc(per_record * sizeof *m);
    if (!c->x || !c->time || !c->unit || !m) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu trajectory points of %zu weights", c->n, c->d);
        goto done;
    }
    for (size_t r = 0, rec = 0; r < c->records; r++, rec += c->stride) {
        if (rec >= c->available)
            rec = c->available - 1;
        if ((st = trajectory_read(f, rec, m, msg)))
            goto done;
        double step = (double)trajectory_time(f, rec).step;
        for (size_t u = 0; u < c->units; u++) {
            size_t row = r * c->units + u;
            for (size_t i = 0; i < c->d; i++)
                c->x[row * c->d + i] = m[u * c->d + i];
            c->time[row] = step;
            c->unit[row] = (int)u;
        }
    }
done:
    free(m);
    trajectory_close(f);
    if (st)
        trajectory_cloud_free(c);
    return st;
}

Status trajectory_count_branches(const double *x, size_t n, size_t d, double eps, size_t *out, char *msg)
{
    /* One cube covering everything: Mapper's clusters are then the
     * single-linkage clusters of the whole set. */
    double *zero = calloc(n ? n : 1, sizeof *zero);
    if (!zero)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    MapperParams p = {.intervals = 1, .overlap = 0.0, .cluster = MAPPER_CLUSTER_SINGLE, .eps = eps, .min_samples = 1};
    MapperGraph *g = NULL;
    Status st = mapper_run(x, n, d, zero, 1, NULL, &p, &g, msg);
    if (!st)
        *out = g->n_vertices;
    mapper_graph_free(g);
    free(zero);
    return st;
}

/* The epoch (with its fraction) of a record: examples over the examples of
 * an epoch of this run, or the finished epochs when that is not known. */
static double record_epoch(const Snapshot *s, TrajectoryTime t)
{
    if (s->epoch == 0 || s->examples_seen == 0)
        return (double)t.epoch;
    return (double)t.examples * (double)s->epoch / (double)s->examples_seen;
}

void branch_curve_free(BranchCurve *c)
{
    free(c->step);
    free(c->epoch);
    free(c->count);
    memset(c, 0, sizeof *c);
}

Status trajectory_branch_curve(const char *run_dir, const Snapshot *s, int layer, double eps, Job *job,
                               BranchCurve *c, char *msg)
{
    memset(c, 0, sizeof *c);
    TrajectoryFile *f = NULL;
    size_t n = 0;
    Status st = open_layer(run_dir, s, layer, &f, &n, msg);
    if (st)
        return st;
    size_t units = trajectory_units(f), d = trajectory_inputs(f), cap = n ? n : 1;
    c->max_norm = trajectory_max_norm(f);
    c->eps = eps > 0 ? eps : c->max_norm > 0.0 ? EPS_FRACTION * c->max_norm : 1.0;
    c->units = units;
    float *m = malloc(units * d * sizeof *m);
    double *x = malloc(units * d * sizeof *x);
    c->step = malloc(cap * sizeof *c->step);
    c->epoch = malloc(cap * sizeof *c->epoch);
    c->count = malloc(cap * sizeof *c->count);
    if (!m || !x || !c->step || !c->epoch || !c->count)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st && n == 0)
        st = status_fail(msg, ST_ENOTFOUND, "no weight trajectory was recorded by epoch %zu", s->epoch);
    for (size_t r = 0; !st && r < n; r++) {
        if (job && jobs_cancelled(job)) {
            st = status_fail(msg, ST_ECANCELED, "cancelled");
            break;
        }
        if ((st = trajectory_read(f, r, m, msg)))
            break;
        for (size_t i = 0; i < units * d; i++)
            x[i] = m[i];
        size_t b = 0;
        st = trajectory_count_branches(x, units, d, c->eps, &b, msg);
        c->count[r] = (double)b;
        c->epoch[r] = record_epoch(s, trajectory_time(f, r));
        c->step[r] = trajectory_time(f, r).step;
        c->n = r + 1;
        if (job)
            job_set_progress(job, (double)(r + 1) / (double)n);
    }
    free(m);
    free(x);
    trajectory_close(f);
    if (st)
        branch_curve_free(c);
    return st;
}

Status trajectory_branches_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg)
{
    BranchCurve c;
    double eps = (args->given & ((uint64_t)1 << PARAM_EPS)) ? args->eps : 0.0;
    Status st = trajectory_branch_curve(args->run_dir, s, args->layer, eps, job, &c, msg);
    if (st)
        return st;
    size_t n = c.n;
    char layer[32];
    model_layer_name(&s->config, (size_t)args->layer, 0, layer, sizeof layer);
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    job_json_context(&w, s, JOB_NO_PART, layer);
    json_kv_real(&w, "eps", c.eps);
    json_kv_real(&w, "max_norm", c.max_norm);
    json_kv_int(&w, "units", (long long)c.units);
    json_key(&w, "steps");
    json_array_begin(&w);
    for (size_t r = 0; r < n; r++)
        json_int(&w, (long long)c.step[r]);
    json_array_end(&w);
    json_key(&w, "epochs");
    json_real_array(&w, c.epoch, n);
    json_key(&w, "branches");
    json_real_array(&w, c.count, n);
    json_object_end(&w);
    size_t lo = 0, hi = 0;
    for (size_t r = 1; r < n; r++) {
        lo = c.count[r] < c.count[lo] ? r : lo;
        hi = c.count[r] > c.count[hi] ? r : hi;
    }
    strbuf_printf(&out->text, "Branches of %s's weight trajectories · up to epoch %zu\n", layer, s->epoch);
    strbuf_printf(&out->text, "single-linkage clusters of the %zu units' incoming weight vectors at eps %.4g\n",
                  c.units, c.eps);
    strbuf_printf(&out->text, "(%.0f%% of the run's largest unit norm %.4g, absolute for every step)\n\n",
                  100.0 * c.eps / (c.max_norm > 0 ? c.max_norm : 1.0), c.max_norm);
    strbuf_printf(&out->text, "%zu records: %.0f at the start, %.0f now; fewest %.0f (epoch %.2f), most %.0f (epoch %.2f)\n",
                  n, c.count[0], c.count[n - 1], c.count[lo], c.epoch[lo], c.count[hi], c.epoch[hi]);
    strbuf_printf(&out->text, "\nwhere the count changed:\n");
    size_t shown = 0;
    for (size_t r = 1; r < n && shown < 40; r++)
        if (c.count[r] != c.count[r - 1]) {
            strbuf_printf(&out->text, "  epoch %7.2f  step %8llu  %3.0f -> %.0f\n", c.epoch[r],
                          (unsigned long long)c.step[r], c.count[r - 1], c.count[r]);
            shown++;
        }
    if (shown == 0)
        strbuf_printf(&out->text, "  never\n");
    const double *ys[1] = {c.count};
    st = job_result_add_lines(out, "branches over epochs", c.epoch, ys, 1, n);
    branch_curve_free(&c);
    return st;
}

void trajectory_bands_free(TrajectoryBands *b)
{
    free(b->epoch);
    free(b->lo);
    free(b->q25);
    free(b->median);
    free(b->q75);
    free(b->hi);
    memset(b, 0, sizeof *b);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of n sorted values, linear between neighbours. */
static double quantile_sorted(const float *v, size_t n, double q)
{
    double at = q * (double)(n - 1);
    size_t i = (size_t)at;
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (at - (double)i) * (v[i + 1] - v[i]);
}

Status trajectory_bands_load(const char *run_dir, const Snapshot *s, int layer, TrajectoryBands *b, char *msg)
{
    memset(b, 0, sizeof *b);
    TrajectoryFile *f = NULL;
    size_t n = 0;
    Status st = open_layer(run_dir, s, layer, &f, &n, msg);
    if (st)
        return st;
    size_t units = trajectory_units(f), cap = n ? n : 1;
    double **cols[6] = {&b->epoch, &b->lo, &b->q25, &b->median, &b->q75, &b->hi};
    for (int k = 0; k < 6; k++)
        *cols[k] = malloc(cap * sizeof **cols[k]);
    float *sorted = malloc(units * sizeof *sorted);
    if (!b->epoch || !b->lo || !b->q25 || !b->median || !b->q75 || !b->hi || !sorted) {
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    } else {
        for (size_t r = 0; r < n; r++) {
            memcpy(sorted, trajectory_norms(f, r), units * sizeof *sorted);
            qsort(sorted, units, sizeof *sorted, cmp_float);
            b->epoch[r] = record_epoch(s, trajectory_time(f, r));
            b->lo[r] = sorted[0];
            b->q25[r] = quantile_sorted(sorted, units, 0.25);
            b->median[r] = quantile_sorted(sorted, units, 0.5);
            b->q75[r] = quantile_sorted(sorted, units, 0.75);
            b->hi[r] = sorted[units - 1];
        }
        b->n = n;
        b->units = units;
    }
    free(sorted);
    trajectory_close(f);
    if (st)
        trajectory_bands_free(b);
    return st;
}

void trajectory_projection_free(TrajectoryProjection *p)
{
    free(p->x);
    free(p->y);
    free(p->tenth);
    memset(p, 0, sizeof *p);
}

Status trajectory_project(const char *run_dir, const Snapshot *s, int layer, size_t max_values,
                          TrajectoryProjection *p, char *msg)
{
    memset(p, 0, sizeof *p);
    TrajectoryCloud c;
    Status st = trajectory_cloud_load(run_dir, s, layer, max_values, &c, msg);
    if (st)
        return st;
    PcaFit *fit = NULL;
    size_t k = c.d < 2 ? c.d : 2;
    double *scores = malloc(c.n * 2 * sizeof *scores);
    p->x = malloc(c.n * sizeof *p->x);
    p->y = malloc(c.n * sizeof *p->y);
    p->tenth = malloc(c.n * sizeof *p->tenth);
    if (!scores || !p->x || !p->y || !p->tenth)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    else if (c.n < 2)
        st = status_fail(msg, ST_EINVAL, "one point is no trajectory: record more steps first");
    if (!st)
        st = pca_fit(c.x, c.n, c.d, c.d, 0, k, &fit, msg);
    if (!st)
        st = pca_transform(fit, c.x, c.n, c.d, scores, msg);
    if (!st) {
        double t_end = c.time[c.n - 1] > 0 ? c.time[c.n - 1] : 1.0;
        for (size_t i = 0; i < c.n; i++) {
            p->x[i] = scores[i * k];
            p->y[i] = k > 1 ? scores[i * k + 1] : 0.0;
            int t = (int)(10.0 * c.time[i] / t_end);
            p->tenth[i] = t > 9 ? 9 : t;
        }
        p->ratio[0] = fit->ratio[0];
        p->ratio[1] = k > 1 ? fit->ratio[1] : 0.0;
        p->n = c.n;
        p->units = c.units;
        p->records = c.records;
        p->available = c.available;
        p->stride = c.stride;
    }
    pca_fit_free(fit);
    free(scores);
    trajectory_cloud_free(&c);
    if (st)
        trajectory_projection_free(p);
    return st;
}

Status trajectory_unit_surface(const char *run_dir, const Snapshot *s, int layer, double from, double to,
                               size_t max_records, double *mean, double *min, size_t *used, char *msg)
{
    TrajectoryFile *f = NULL;
    size_t n = 0;
    Status st = open_layer(run_dir, s, layer, &f, &n, msg);
    if (st)
        return st;
    size_t units = trajectory_units(f), d = trajectory_inputs(f), first = n, last = 0;
    for (size_t r = 0; r < n; r++) {
        double e = record_epoch(s, trajectory_time(f, r));
        if (e >= from && e <= to) {
            first = r < first ? r : first;
            last = r;
        }
    }
    size_t span = first < n ? last - first + 1 : 0, stride = max_records ? (span + max_records - 1) / max_records : 1;
    size_t t = stride ? (span + stride - 1) / stride : 0;
    if (t < 3) {
        trajectory_close(f);
        return status_fail(msg, ST_EINVAL, "fewer than 3 records between epochs %.2f and %.2f", from, to);
    }
    float *all = malloc(t * units * d * sizeof *all);
    double *path = malloc(t * d * sizeof *path), *ratio = malloc((d > t ? d : t) * sizeof *ratio);
    if (!all || !path || !ratio)
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu records of %zu × %zu weights", t, units, d);
    for (size_t k = 0; !st && k < t; k++)
        st = trajectory_read(f, first + k * stride, all + k * units * d, msg);
    double sum = 0.0, lo = 1.0;
    for (size_t u = 0; !st && u < units; u++) {
        for (size_t k = 0; k < t; k++)
            for (size_t i = 0; i < d; i++)
                path[k * d + i] = all[(k * units + u) * d + i];
        if ((st = pca_explained(path, t, d, d, 0, ratio, NULL, msg))) {
            if (st != ST_EINVAL)
                break;
            st = ST_OK; /* a unit that never moved: a point, flat in any sense */
            ratio[0] = 1.0;
            ratio[1] = 0.0;
        }
        double share = ratio[0] + (d > 1 ? ratio[1] : 0.0);
        sum += share;
        lo = share < lo ? share : lo;
    }
    if (!st) {
        *mean = sum / (double)units;
        *min = lo;
        *used = t;
    }
    free(all);
    free(path);
    free(ratio);
    trajectory_close(f);
    return st;
}

int trajectory_recorded(const char *run_dir)
{
    if (!run_dir)
        return 0;
    char path[1100];
    snprintf(path, sizeof path, "%s/" TRAJECTORY_DIR, run_dir);
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

Status trajectory_pca_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg)
{
    job_set_progress(job, 0.1);
    TrajectoryProjection p;
    Status st = trajectory_project(args->run_dir, s, args->layer, CLOUD_MAX_VALUES, &p, msg);
    if (st)
        return st;
    char layer[32];
    model_layer_name(&s->config, (size_t)args->layer, 0, layer, sizeof layer);
    double share = p.ratio[0] + p.ratio[1];
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    job_json_context(&w, s, JOB_NO_PART, layer);
    json_kv_int(&w, "units", (long long)p.units);
    json_kv_int(&w, "records", (long long)p.records);
    json_kv_int(&w, "records_available", (long long)p.available);
    json_kv_int(&w, "stride", (long long)p.stride);
    json_key(&w, "ratio");
    json_real_array(&w, p.ratio, 2);
    json_kv_real(&w, "share_2pc", share);
    json_object_end(&w);
    strbuf_printf(&out->text, "Weight trajectories of %s on their first two principal components · up to epoch %zu\n",
                  layer, s->epoch);
    strbuf_printf(&out->text, "%zu units × %zu records (every %zu%s of %zu) = %zu points\n\n", p.units, p.records,
                  p.stride, p.stride == 1 ? "st" : "th", p.available, p.n);
    strbuf_printf(&out->text, "PC1 %.1f%%  PC2 %.1f%%  together %.1f%% of the trajectory variance\n",
                  100.0 * p.ratio[0], 100.0 * p.ratio[1], 100.0 * share);
    strbuf_printf(&out->text, "(seed 003: from a tiny random start the first layer moves on a surface of\n"
                              " about 2 components; colours are tenths of the training time, 0 = first)\n");
    st = job_result_add_scatter(out, "PC1 × PC2, colour = tenth of the time", p.x, p.y, p.tenth, p.n);
    trajectory_projection_free(&p);
    return st;
}
