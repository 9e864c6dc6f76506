#include "neurotop/measure/jobs_dbn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/emd.h"
#include "neurotop/analysis/hclust.h"
#include "neurotop/core/rng.h"
#include "neurotop/model/model.h"
#include "jobs_source.h"

/* Shades from empty to full; two pixel rows per text row. */
static const char RAMP[] = " .:-=+*#%@";

static void draw_images(StrBuf *t, const float *img, size_t n, size_t rows, size_t cols, size_t per_line)
{
    for (size_t i0 = 0; i0 < n; i0 += per_line) {
        size_t m = n - i0 < per_line ? n - i0 : per_line;
        for (size_t r = 0; r < rows; r += 2) {
            for (size_t k = 0; k < m; k++) {
                const float *p = img + (i0 + k) * rows * cols;
                for (size_t c = 0; c < cols; c++) {
                    float v = p[r * cols + c];
                    if (r + 1 < rows)
                        v = 0.5f * (v + p[(r + 1) * cols + c]);
                    int s = (int)lroundf(v * 9.0f);
                    strbuf_printf(t, "%c", RAMP[s < 0 ? 0 : s > 9 ? 9 : s]);
                }
                strbuf_append(t, k + 1 < m ? "  " : "\n");
            }
        }
        strbuf_append(t, "\n");
    }
}

Status job_dream(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    if (!s)
        return status_fail(msg, ST_EINVAL, "dreaming needs a model (a run's snapshot)");
    const size_t n = JOBS_DREAM_SAMPLES, steps = (size_t)a->steps, pixels = s->config.sizes[0];
    float *img = malloc(n * pixels * sizeof *img);
    if (!img)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu dreams", n);
    Rng rng;
    rng_seed(&rng, a->seed, 0);
    job_set_progress(job, 0.1);
    Status st = model_dream(&s->config, s->params, n, steps, &rng, img, msg);
    if (st) {
        free(img);
        return st;
    }
    size_t rows, cols;
    model_input_shape(&s->config, &rows, &cols);
    StrBuf *t = &out->text;
    strbuf_printf(t, "Dreams · epoch %zu\n%zu samples · %zu Gibbs steps · seed %llu\n\n", s->epoch, n, steps,
                  (unsigned long long)a->seed);
    if (rows > 1)
        draw_images(t, img, n, rows, cols, 2);
    double *v = malloc(pixels * sizeof *v);
    for (size_t k = 0; v && k < n && k < JOB_MAX_MAPS && !st; k++) {
        char label[48];
        snprintf(label, sizeof label, "dream %zu", k + 1);
        for (size_t i = 0; i < pixels; i++)
            v[i] = img[k * pixels + i];
        if (job_result_add_map(out, label, v, rows, cols, 0))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
    }
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    job_json_context(&w, s, JOB_NO_PART, NULL);
    json_kv_int(&w, "steps", (long long)steps);
    json_kv_int(&w, "rows", (long long)rows);
    json_kv_int(&w, "cols", (long long)cols);
    json_key(&w, "samples");
    json_array_begin(&w);
    for (size_t k = 0; v && k < n; k++) {
        for (size_t i = 0; i < pixels; i++)
            v[i] = img[k * pixels + i];
        json_real_array(&w, v, pixels);
    }
    json_array_end(&w);
    json_object_end(&w);
    if (!v)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the dreams");
    free(v);
    free(img);
    return st;
}

void jobs_rf_mass(const float *f, size_t n, double *out)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = f[i] > 0 ? (double)f[i] : 0.0;
        any |= f[i] > 0;
    }
    for (size_t i = 0; !any && i < n; i++)
        out[i] = fabs((double)f[i]);
}

/* The mean field of every group; largest groups first in `rank`. */
static void group_means(const float *fields, size_t units, size_t pixels, const int *label, size_t k,
                        double *mean, size_t *count, size_t *rank)
{
    memset(mean, 0, k * pixels * sizeof *mean);
    memset(count, 0, k * sizeof *count);
    for (size_t u = 0; u < units; u++) {
        count[label[u]]++;
        for (size_t i = 0; i < pixels; i++)
            mean[(size_t)label[u] * pixels + i] += fields[u * pixels + i];
    }
    for (size_t g = 0; g < k; g++)
        for (size_t i = 0; i < pixels && count[g]; i++)
            mean[g * pixels + i] /= (double)count[g];
    for (size_t g = 0; g < k; g++)
        rank[g] = g;
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && count[rank[j]] > count[rank[j - 1]]; j--) {
            size_t t = rank[j];
            rank[j] = rank[j - 1];
            rank[j - 1] = t;
        }
}

/* Images above RF_POOL_ABOVE pixels with even sides are summed over 2 × 2
 * blocks before the EMD (distances scaled back to pixels): a 28 × 28 field
 * has ~400 positive pixels and its exact transport problem ~160,000 cells,
 * the pooled one ~10,000, so 100 fields take seconds instead of a minute. */
#define RF_POOL_ABOVE 400

/* The EMD of every pair of the units' mass images into d (units²). */
static Status all_pairs(Job *job, const double *mass_in, size_t units, size_t rows, size_t cols, double *d,
                        char *msg)
{
    double scale = 1.0;
    double *pooled = NULL;
    const double *mass = mass_in;
    if (rows * cols > RF_POOL_ABOVE && rows % 2 == 0 && cols % 2 == 0) {
        size_t pr = rows / 2, pc = cols / 2;
        pooled = calloc(units * pr * pc, sizeof *pooled);
        if (!pooled)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu fields", units);
        for (size_t u = 0; u < units; u++)
            for (size_t r = 0; r < rows; r++)
                for (size_t c = 0; c < cols; c++)
                    pooled[u * pr * pc + (r / 2) * pc + c / 2] += mass_in[u * rows * cols + r * cols + c];
        mass = pooled;
        rows = pr;
        cols = pc;
        scale = 2.0;
    }
    size_t pixels = rows * cols, pairs = units * (units - 1) / 2, done = 0;
    for (size_t i = 0; i < units; i++) {
        d[i * units + i] = 0.0;
        if (jobs_cancelled(job)) {
            free(pooled);
            return status_fail(msg, ST_ECANCELED, "cancelled");
        }
        for (size_t j = i + 1; j < units; j++) {
            double e;
            Status st = emd_images(mass + i * pixels, mass + j * pixels, rows, cols, &e, msg);
            if (st) {
                free(pooled);
                return st;
            }
            d[i * units + j] = d[j * units + i] = scale * e;
        }
        done += units - 1 - i;
        job_set_progress(job, 0.05 + 0.9 * (double)done / (double)(pairs ? pairs : 1));
    }
    free(pooled);
    return ST_OK;
}

static void rf_json(JsonWriter *w, const Snapshot *s, size_t layer, size_t units, size_t k, const int *label,
                    const HclustMerge *merges, const double *within)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_int(w, "layer", (long long)layer);
    json_kv_int(w, "units", (long long)units);
    json_kv_int(w, "clusters", (long long)k);
    json_key(w, "label");
    json_int_array(w, label, units);
    json_key(w, "merges");
    json_array_begin(w);
    for (size_t j = 0; j + 1 < units; j++) {
        double v[3] = {(double)merges[j].a, (double)merges[j].b, merges[j].height};
        json_real_array(w, v, 3);
    }
    json_array_end(w);
    json_key(w, "mean_emd_within");
    json_real_array(w, within, k);
    json_object_end(w);
}

/* The groups as a partition of the whole weight graph, so that :degrees,
 * :modules and :roles can use them as the latest partition: the layer's
 * units get their group (1..k), every other layer one label of its own
 * (k + 1, k + 2, ... in layer order). */
static Status set_partition(JobResult *out, const Snapshot *s, size_t layer, const int *label, size_t k, char *msg)
{
    size_t sizes[MODEL_MAX_LAYERS], nl = model_graph_sizes(&s->config, sizes), n = 0;
    if (nl != s->config.n_layers)
        return ST_OK; /* a graph that merges nodes: no partition */
    for (size_t l = 0; l < nl; l++)
        n += sizes[l];
    out->partition = malloc(n * sizeof *out->partition);
    if (!out->partition)
        return status_fail(msg, ST_ENOMEM, "out of memory for the partition");
    size_t at = 0;
    int other = (int)k + 1;
    for (size_t l = 0; l < nl; l++) {
        for (size_t u = 0; u < sizes[l]; u++)
            out->partition[at++] = l == layer ? label[u] + 1 : other;
        other += l != layer;
    }
    out->n_nodes = n;
    strbuf_printf(&out->text, "\nThe groups are now the latest partition: :degrees gives their\n"
                              "means, :modules and :roles use them.\n");
    return ST_OK;
}

/* 2,000 fields are two million distances. */
#define RFCLUSTERS_MAX_UNITS 2000

Status job_rfclusters(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    if (!s)
        return status_fail(msg, ST_EINVAL, "receptive fields need a model (a run's snapshot)");
    size_t layer = a->layer > 0 ? (size_t)a->layer : 1;
    if (layer + 1 > s->config.n_layers || layer < 1)
        return status_fail(msg, ST_EINVAL, "the model has no hidden layer %zu", layer);
    size_t units = s->config.sizes[layer], pixels = s->config.sizes[0], rows, cols;
    /* Every pair of fields gets an earth mover's distance. */
    if (units > RFCLUSTERS_MAX_UNITS)
        return status_fail(msg, ST_EINVAL,
                           "receptive fields are clustered for at most %d units (every pair is compared), "
                           "and layer %zu has %zu: pick a smaller layer",
                           RFCLUSTERS_MAX_UNITS, layer, units);
    model_input_shape(&s->config, &rows, &cols);
    size_t k = (size_t)a->clusters < units ? (size_t)a->clusters : units;
    float *fields = malloc(units * pixels * sizeof *fields);
    double *mass = malloc(units * pixels * sizeof *mass), *d = malloc(units * units * sizeof *d);
    double *mean = malloc(k * pixels * sizeof *mean), *within = calloc(k, sizeof *within);
    HclustMerge *merges = malloc((units > 1 ? units - 1 : 1) * sizeof *merges);
    int *label = malloc(units * sizeof *label);
    size_t *count = malloc(k * sizeof *count), *rank = malloc(k * sizeof *rank), *pairs = calloc(k, sizeof *pairs);
    Status st = fields && mass && d && mean && within && merges && label && count && rank && pairs
                    ? ST_OK
                    : status_fail(msg, ST_ENOMEM, "out of memory for %zu receptive fields", units);
    if (!st)
        st = model_receptive_fields(&s->config, s->params, layer, fields, msg);
    for (size_t u = 0; !st && u < units; u++) {
        jobs_rf_mass(fields + u * pixels, pixels, mass + u * pixels);
        double total = 0.0;
        for (size_t i = 0; i < pixels; i++)
            total += mass[u * pixels + i];
        for (size_t i = 0; !(total > 0) && i < pixels; i++)
            mass[u * pixels + i] = 1.0;
    }
    if (!st)
        st = all_pairs(job, mass, units, rows, cols, d, msg);
    if (!st)
        st = hclust_average(d, units, merges, msg);
    if (!st) {
        hclust_cut(merges, units, k, label);
        for (size_t i = 0; i < units; i++)
            for (size_t j = i + 1; j < units; j++)
                if (label[i] == label[j]) {
                    within[label[i]] += d[i * units + j];
                    pairs[label[i]]++;
                }
        for (size_t g = 0; g < k; g++)
            within[g] = pairs[g] ? within[g] / (double)pairs[g] : 0.0;
        group_means(fields, units, pixels, label, k, mean, count, rank);
        char name[16];
        model_layer_name(&s->config, layer, 0, name, sizeof name);
        StrBuf *t = &out->text;
        strbuf_printf(t, "Receptive-field clusters · %s · epoch %zu\n", name, s->epoch);
        strbuf_printf(t, "%zu fields · EMD of max(0, w)\naverage linkage · %zu groups\n\n", units, k);
        hclust_dendrogram(merges, units, k, label, 26, t);
        strbuf_printf(t, "\ngroup  size  EMD within  units\n");
        for (size_t r = 0; r < k; r++) {
            size_t g = rank[r], shown = 0;
            strbuf_printf(t, "G%-4zu %5zu  %10.3f  ", g + 1, count[g], within[g]);
            for (size_t u = 0; u < units && shown < 6; u++)
                if ((size_t)label[u] == g)
                    strbuf_printf(t, "%s#%zu", shown++ ? " " : "", u);
            strbuf_append(t, count[g] > 6 ? " ...\n" : "\n");
        }
        for (size_t r = 0; r < k && r < JOB_MAX_MAPS && !st; r++) {
            char label_text[48];
            snprintf(label_text, sizeof label_text, "G%zu: mean of %zu fields", rank[r] + 1, count[rank[r]]);
            if (job_result_add_map(out, label_text, mean + rank[r] * pixels, rows, cols, 1))
                st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
        }
        JsonWriter w;
        json_init(&w, &out->json);
        rf_json(&w, s, layer, units, k, label, merges, within);
        if (!st)
            st = set_partition(out, s, layer, label, k, msg);
    }
    free(fields);
    free(mass);
    free(d);
    free(mean);
    free(within);
    free(merges);
    free(label);
    free(count);
    free(rank);
    free(pairs);
    return st;
}
