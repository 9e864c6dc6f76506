#ifndef NEUROTOP_MEASURE_METRICS_INFO_H
#define NEUROTOP_MEASURE_METRICS_INFO_H

/* Information measures of seed paper 000 in the live tool (Shine et al.
 * 2021, Brain Informatics 8:26, doi:10.1186/s40708-021-00147-z; docs/methods.md
 * §17):
 *  - a per-epoch hook that computes the hidden-node information IH of every
 *    hidden unit from the snapshot's probe activations (activity > 0.5,
 *    class = probe label) and records the mean per hidden layer
 *    (keys ih_hl1_mean, ih_hl2_mean, ...: one per hidden layer);
 *  - PixelInfo, a cache of the per-pixel measures of a data set's training
 *    images (IP, ID, the mean intensity and which pixels are ever on),
 *    computed once on first use and then shared by the jobs and the
 *    `experiment` command. */

#include <stddef.h>

#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"
#include "neurotop/run/snapshot.h"

/* ---- per-pixel information of a data set, computed once ---- */

typedef struct PixelInfo PixelInfo;

/* The cached values; every array has n_pixels entries and is owned by the
 * cache (valid until pixel_info_free). */
typedef struct {
    size_t n_pixels, rows, cols;
    size_t n_items;      /* training items the values come from */
    const double *ip;    /* IP = max over θ of MI([x > θ]; class), bits */
    const double *id;    /* ID = specific information of "on" at θ*, bits */
    const double *mean;  /* mean intensity x/255 over the training items */
    const unsigned char *live; /* 1 when the pixel is non-zero in at least one item */
    size_t n_live;
} PixelInfoView;

/* data is borrowed and must outlive the cache. Nothing is computed yet.
 * ST_EINVAL for NULL data; ST_ENOMEM. */
Status pixel_info_new(const Dataset *data, PixelInfo **out, char *msg);
/* pixel_info_free(NULL) is safe. */
void pixel_info_free(PixelInfo *pi);

/* The data set the cache describes (borrowed). */
const Dataset *pixel_info_data(const PixelInfo *pi);

/* Fill *view, computing the values on the first call (info_pixel_ip_id on
 * the training images: O(n·P + P·256·k)); later calls return at once.
 * Thread-safe (a mutex; one thread computes, the others wait). A failure is
 * not cached: the next call tries again. ST_EINVAL when the training set is
 * empty, ST_ENOMEM. */
Status pixel_info_get(PixelInfo *pi, PixelInfoView *view, char *msg);

/* ---- per-epoch IH ---- */

typedef struct InfoMetric InfoMetric;

Status info_metric_new(InfoMetric **out, char *msg);
/* info_metric_free(NULL) is safe. */
void info_metric_free(InfoMetric *m);

/* The EpochMetricFn (publisher.h); ctx is an InfoMetric. For each hidden
 * layer h = 1..n_layers−2 (acts[h−1]) it sets "ih_hl<h>_mean", the mean
 * over the layer's units of IH_j = MI([a_j > 0.5]; probe label) in bits.
 * Nothing is set when the snapshot has no probe items. Buffers are reused
 * across epochs. O(n_probe · hidden units). */
Status info_metric_epoch(Snapshot *s, void *ctx, char *msg);

/* IH of every unit of hidden layer h (1-based, 1 <= h <= n_layers − 2) of a
 * snapshot into ih (sizes[h] values, caller-owned), from its probe
 * activations. ST_EINVAL when the layer does not exist or there are no
 * probe items. For jobs and tests. */
Status info_snapshot_ih(const Snapshot *s, size_t h, double *ih, char *msg);

#endif
