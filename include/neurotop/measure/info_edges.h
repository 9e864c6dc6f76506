#ifndef NEUROTOP_MEASURE_INFO_EDGES_H
#define NEUROTOP_MEASURE_INFO_EDGES_H

/* Edge change between two epochs (seed paper 000, Shine et al. 2021,
 * doi:10.1186/s40708-021-00147-z): for every weight block, Σ over the
 * target units of |ΔW| per source unit. The first block's map (α, over
 * the input pixels) is related to the pixel information IP and the mean
 * intensity of the training images (paper: r(early change, IP) = 0.965).
 * Runs on snapshots only (`:edges [FROM] [TO]`). */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/measure/jobs.h"
#include "neurotop/measure/metrics_info.h"

typedef struct {
    char name[8];        /* "alpha", "beta", ... */
    char source[16];     /* the source layer's name */
    size_t rows, cols;   /* source × target units */
    double sum;          /* Σ |Δw| over the block */
    double *per_source;  /* rows values, owned */
} EdgesBlock;

typedef struct {
    size_t from, to;     /* the epochs compared */
    size_t n_blocks;
    EdgesBlock blocks[MODEL_MAX_LAYERS];
    int have_pixels;     /* the α map has the image's shape and was related to it */
    size_t rows, cols;   /* that shape (0 without pixels) */
    double r_ip, r_ip_live, r_mean, r_mean_live; /* NaN when undefined */
} EdgesResult;

/* Frees the maps; safe on a zeroed result. */
void edges_result_done(EdgesResult *r);

/* The change from s0 (epoch `from`) to s1 (epoch `to`), which must hold the
 * same model; pix (may be NULL) relates the α map to the pixels when it
 * has one value per input unit. *r is zeroed first. ST_EINVAL for
 * different models, ST_ENOMEM. O(weights). */
Status edges_compute(const Snapshot *s0, const Snapshot *s1, const PixelInfoView *pix, EdgesResult *r,
                     char *msg);

/* {context of s, "from", "to", "blocks": [{name, edges, sum_abs_change,
 * per_source}], r_alpha_ip, r_alpha_ip_live, r_alpha_mean,
 * r_alpha_mean_live}. */
void edges_json(const EdgesResult *r, const Snapshot *s, JsonWriter *w);

/* The `:edges` overlay: a table per block, one map per block, the r with
 * the pixel maps. ST_ENOMEM. */
Status edges_view(const EdgesResult *r, JobResult *out);

/* The JobFn: epochs args->epoch_from (default 0) and args->epoch_to
 * (default the shown one), read through the run's epoch lookup. */
Status edges_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

/* The α map alone (Σ|ΔW| of the first block per source unit) from epoch
 * args->epoch_from (default 0) to the shown epoch s, into map (n values,
 * caller-owned; ST_EINVAL when the block has another number of source
 * units); *from receives that epoch. For :corr. */
Status edges_input_change(const Snapshot *s, const AnalysisArgs *args, double *map, size_t n, size_t *from,
                          char *msg);

#endif
