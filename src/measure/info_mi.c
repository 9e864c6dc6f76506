/* Pixel information IP and ID of labelled images (info_mi.h). */
#include "neurotop/measure/info_mi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/info.h"
#include "neurotop/data/idx.h"

void mi_result_done(MiResult *r)
{
    free(r->ip);
    free(r->id);
    free(r->theta);
    free(r->live);
    memset(r, 0, sizeof *r);
}

static void argmax(const double *v, size_t n, size_t *at, double *max)
{
    *at = 0;
    *max = n ? v[0] : NAN;
    for (size_t i = 1; i < n; i++)
        if (v[i] > *max) {
            *max = v[i];
            *at = i;
        }
}

static double masked_mean(const double *v, const unsigned char *mask, size_t n)
{
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (mask[i]) {
            sum += v[i];
            k++;
        }
    return k ? sum / (double)k : NAN;
}

/* Maxima, means over the live pixels and r(IP, ID) of the measured maps. */
static void summarise(MiResult *r)
{
    argmax(r->ip, r->n_pixels, &r->ip_argmax, &r->ip_max);
    argmax(r->id, r->n_pixels, &r->id_argmax, &r->id_max);
    r->ip_mean_live = masked_mean(r->ip, r->live, r->n_pixels);
    r->id_mean_live = masked_mean(r->id, r->live, r->n_pixels);
    r->r_ip_id = jobs_pearson(r->ip, r->id, NULL, r->n_pixels);
    r->r_ip_id_live = jobs_pearson(r->ip, r->id, r->live, r->n_pixels);
}

Status mi_compute(const ImageSet *set, MiResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    size_t p = set->rows * set->cols; /* the readers bound n·rows·cols */
    if (set->n == 0 || p == 0 || !set->pixels || !set->labels)
        return status_fail(msg, ST_EINVAL, "pixel information needs at least one labelled image");
    r->n = set->n;
    r->rows = set->rows;
    r->cols = set->cols;
    r->n_pixels = p;
    r->ip = malloc(p * sizeof *r->ip);
    r->id = malloc(p * sizeof *r->id);
    r->theta = malloc(p * sizeof *r->theta);
    r->live = calloc(p, 1);
    Status st = ST_OK;
    if (!r->ip || !r->id || !r->theta || !r->live)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the information of %zu pixels", p);
    if (!st)
        st = info_pixel_ip_id(set->pixels, set->labels, set->n, p, r->ip, r->id, r->theta, msg);
    if (st) {
        mi_result_done(r);
        return st;
    }
    for (size_t i = 0; i < set->n; i++)
        for (size_t j = 0; j < p; j++)
            r->live[j] |= set->pixels[i * p + j] != 0;
    for (size_t j = 0; j < p; j++)
        r->n_live += r->live[j];
    summarise(r);
    return ST_OK;
}

void mi_json(const MiResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_key(w, "ip");
    json_real_array(w, r->ip, r->n_pixels);
    json_key(w, "id");
    json_real_array(w, r->id, r->n_pixels);
    json_key(w, "theta");
    json_int_array(w, r->theta, r->n_pixels);
    json_kv_int(w, "n", (long long)r->n);
    json_kv_int(w, "rows", (long long)r->rows);
    json_kv_int(w, "cols", (long long)r->cols);
    json_kv_int(w, "n_live", (long long)r->n_live);
    json_kv_real(w, "ip_max", r->ip_max);
    json_kv_int(w, "ip_argmax", (long long)r->ip_argmax);
    json_kv_real(w, "id_max", r->id_max);
    json_kv_int(w, "id_argmax", (long long)r->id_argmax);
    json_kv_real(w, "ip_mean_live", r->ip_mean_live);
    json_kv_real(w, "id_mean_live", r->id_mean_live);
    json_kv_real(w, "r_ip_id", r->r_ip_id);
    json_kv_real(w, "r_ip_id_live", r->r_ip_id_live);
    json_object_end(w);
}

Status mi_view(const MiResult *r, const Snapshot *s, JobResult *out)
{
    StrBuf *t = &out->text;
    char ra[16], rl[16];
    jobs_format_r(ra, sizeof ra, r->r_ip_id);
    jobs_format_r(rl, sizeof rl, r->r_ip_id_live);
    size_t c = r->cols;
    strbuf_printf(t, "Pixel information · %s\n", s ? "training set" : "the given images");
    strbuf_printf(t, "%zu items, %zu pixels, %zu ever on (live)\n\n", r->n, r->n_pixels, r->n_live);
    strbuf_printf(t, "IP = MI(pixel on at its best threshold;\n     class), bits\n");
    strbuf_printf(t, "ID = information of the \"on\" state, bits\n\n");
    strbuf_printf(t, "       max   at (row,col)  mean(live)\n");
    strbuf_printf(t, "IP %8.4f   (%2zu,%2zu)    %8.4f\n", r->ip_max, r->ip_argmax / c, r->ip_argmax % c,
                  r->ip_mean_live);
    strbuf_printf(t, "ID %8.4f   (%2zu,%2zu)    %8.4f\n\n", r->id_max, r->id_argmax / c, r->id_argmax % c,
                  r->id_mean_live);
    strbuf_printf(t, "r(IP, ID)  all %s  live %s\n", ra, rl);
    strbuf_printf(t, "(seed paper 000: r = -0.560)\n");
    char label[48];
    snprintf(label, sizeof label, "IP, bits (max %.3f)", r->ip_max);
    Status st = job_result_add_map(out, label, r->ip, r->rows, r->cols, 0);
    snprintf(label, sizeof label, "ID, bits (max %.3f)", r->id_max);
    if (!st)
        st = job_result_add_map(out, label, r->id, r->rows, r->cols, 0);
    return st;
}

/* 1 when the run's model learns images (its kind has no generated task):
 * the kind says so, its name is never compared. */
static int sees_images(const Snapshot *s)
{
    const ModelKind *k = s ? model_kind_of(&s->config) : NULL;
    return !k || !k->task;
}

/* The images of --images with the labels of --labels. */
static Status read_images(const AnalysisArgs *a, ImageSet *set, char *msg)
{
    Status st = idx_read_pair(a->files[PARAM_IMAGES], a->files[PARAM_LABELS], set, msg);
    if (!st && set->n == 0)
        st = status_fail(msg, ST_EFORMAT, "the image and label files must hold at least one item");
    return st;
}

Status mi_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    ImageSet own = {0};
    const ImageSet *set = &own;
    Status st;
    if (s && !sees_images(s))
        return status_fail(msg, ST_EINVAL,
                           "pixel information (IP, ID) is about images and their classes; this %s run learns "
                           "the generated %s task, whose labels depend on the order of the items, not on any input",
                           s->config.kind, model_kind_of(&s->config)->task);
    if (s) {
        const Dataset *data = jobs_data(a);
        if (!data)
            return status_fail(msg, ST_EINVAL,
                               "pixel information needs the run's data set, which this session has not loaded");
        set = &data->train;
    } else if ((st = read_images(a, &own, msg))) {
        imageset_done(&own);
        return st;
    }
    MiResult r;
    st = mi_compute(set, &r, msg);
    imageset_done(&own);
    if (st)
        return st;
    job_set_progress(job, 0.8);
    JsonWriter w;
    json_init(&w, &out->json);
    mi_json(&r, s, &w);
    if (mi_view(&r, s, out))
        st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
    mi_result_done(&r);
    return st;
}
