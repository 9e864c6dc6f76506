#include "neurotop/measure/metrics_info.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "neurotop/analysis/info.h"
#include "neurotop/core/matrix.h"
#include "neurotop/run/metrics.h"

/* ---- PixelInfo ---------------------------------------------------------- */

struct PixelInfo {
    const Dataset *data;
    pthread_mutex_t mu;
    int ready;
    size_t n_pixels, n_live;
    double *ip, *id, *mean;
    unsigned char *live;
};

Status pixel_info_new(const Dataset *data, PixelInfo **out, char *msg)
{
    *out = NULL;
    if (!data)
        return status_fail(msg, ST_EINVAL, "pixel information needs a data set");
    PixelInfo *pi = calloc(1, sizeof *pi);
    if (!pi)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    pi->data = data;
    pthread_mutex_init(&pi->mu, NULL);
    *out = pi;
    return ST_OK;
}

void pixel_info_free(PixelInfo *pi)
{
    if (!pi)
        return;
    free(pi->ip);
    free(pi->id);
    free(pi->mean);
    free(pi->live);
    pthread_mutex_destroy(&pi->mu);
    free(pi);
}

const Dataset *pixel_info_data(const PixelInfo *pi)
{
    return pi->data;
}

static Status compute(PixelInfo *pi, char *msg)
{
    const ImageSet *t = &pi->data->train;
    size_t p = t->rows * t->cols;
    if (t->n == 0 || p == 0)
        return status_fail(msg, ST_EINVAL, "the training set has no images to measure");
    double *ip = malloc(p * sizeof *ip), *id = malloc(p * sizeof *id), *mean = calloc(p, sizeof *mean);
    unsigned char *live = calloc(p, 1);
    Status st = ST_OK;
    if (!ip || !id || !mean || !live)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the pixel information of %zu pixels", p);
    if (!st)
        st = info_pixel_ip_id(t->pixels, t->labels, t->n, p, ip, id, NULL, msg);
    if (st) {
        free(ip);
        free(id);
        free(mean);
        free(live);
        return st;
    }
    for (size_t i = 0; i < t->n; i++) {
        const uint8_t *row = t->pixels + i * p;
        for (size_t j = 0; j < p; j++) {
            mean[j] += row[j];
            live[j] |= row[j] != 0;
        }
    }
    size_t n_live = 0;
    for (size_t j = 0; j < p; j++) {
        mean[j] /= 255.0 * (double)t->n;
        n_live += live[j];
    }
    pi->ip = ip;
    pi->id = id;
    pi->mean = mean;
    pi->live = live;
    pi->n_pixels = p;
    pi->n_live = n_live;
    pi->ready = 1;
    return ST_OK;
}

Status pixel_info_get(PixelInfo *pi, PixelInfoView *view, char *msg)
{
    pthread_mutex_lock(&pi->mu);
    Status st = pi->ready ? ST_OK : compute(pi, msg);
    pthread_mutex_unlock(&pi->mu);
    if (st)
        return st;
    /* Once ready the arrays never change, so they are read without the lock. */
    view->n_pixels = pi->n_pixels;
    view->rows = pi->data->train.rows;
    view->cols = pi->data->train.cols;
    view->n_items = pi->data->train.n;
    view->ip = pi->ip;
    view->id = pi->id;
    view->mean = pi->mean;
    view->live = pi->live;
    view->n_live = pi->n_live;
    return ST_OK;
}

/* ---- per-epoch IH ------------------------------------------------------- */

struct InfoMetric {
    int *labels;
    size_t labels_cap;
    double *ih;
    size_t ih_cap;
};

Status info_metric_new(InfoMetric **out, char *msg)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    return ST_OK;
}

void info_metric_free(InfoMetric *m)
{
    if (!m)
        return;
    free(m->labels);
    free(m->ih);
    free(m);
}

/* A buffer of at least n elements, kept across epochs: the same pointer when
 * it is large enough, a reallocated one otherwise, NULL when out of memory
 * (the old buffer is then left to the caller). */
static void *reserve(void *buf, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return buf;
    size_t bytes;
    if (size_mul(n, elem, &bytes))
        return NULL;
    void *p = realloc(buf, bytes);
    if (p)
        *cap = n;
    return p;
}

static Status layer_ih(const Snapshot *s, size_t h, int **labels, size_t *labels_cap, double *ih, char *msg)
{
    if (h < 1 || h + 1 >= s->config.n_layers)
        return status_fail(msg, ST_EINVAL, "the model has no hidden layer %zu", h);
    if (s->n_probe == 0 || !s->acts[h - 1])
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu holds no probe activations", s->epoch);
    int *grown = reserve(*labels, labels_cap, s->n_probe, sizeof(int));
    if (!grown)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu probe labels", s->n_probe);
    *labels = grown;
    for (size_t i = 0; i < s->n_probe; i++)
        (*labels)[i] = s->probe_labels[i];
    size_t units = s->config.sizes[h];
    return info_hidden_ih(s->acts[h - 1], s->n_probe, units, units, *labels, ih, msg);
}

Status info_snapshot_ih(const Snapshot *s, size_t h, double *ih, char *msg)
{
    int *labels = NULL;
    size_t cap = 0;
    Status st = layer_ih(s, h, &labels, &cap, ih, msg);
    free(labels);
    return st;
}

Status info_metric_epoch(Snapshot *s, void *ctx, char *msg)
{
    InfoMetric *m = ctx;
    if (s->n_probe == 0)
        return ST_OK;
    for (size_t h = 1; h + 1 < s->config.n_layers; h++) {
        size_t units = s->config.sizes[h];
        double *grown = reserve(m->ih, &m->ih_cap, units, sizeof(double));
        if (!grown)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu units", units);
        m->ih = grown;
        Status st = layer_ih(s, h, &m->labels, &m->labels_cap, m->ih, msg);
        if (st)
            return st;
        double sum = 0.0;
        for (size_t j = 0; j < units; j++)
            sum += m->ih[j];
        char part[16];
        metric_put(s, METRIC_IH_MEAN, metric_layer(h, part, sizeof part), sum / (double)units);
    }
    return ST_OK;
}
