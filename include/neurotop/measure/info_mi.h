#ifndef NEUROTOP_MEASURE_INFO_MI_H
#define NEUROTOP_MEASURE_INFO_MI_H

/* Pixel information of labelled images (seed paper 000, Shine et al. 2021,
 * Brain Informatics 8:26, doi:10.1186/s40708-021-00147-z; docs/methods.md
 * §17): per pixel IP = max over θ of MI([x > θ]; class) and ID, the
 * information of the "on" state at the best θ, with the maxima, the means
 * over the live pixels (on in at least one item) and r(IP, ID). One
 * analysis: `analyze mi --images F --labels F` and `:info` (the training
 * images of the run's data set) compute, serialise and show it alike. */

#include <stddef.h>

#include "neurotop/core/json.h"
#include "neurotop/data/dataset.h"
#include "neurotop/measure/jobs.h"

typedef struct {
    size_t n;               /* images */
    size_t rows, cols, n_pixels;
    double *ip, *id;        /* n_pixels values, bits */
    int *theta;             /* the best threshold θ* per pixel */
    unsigned char *live;    /* 1 when the pixel is non-zero in some image */
    size_t n_live;
    double ip_max, id_max;
    size_t ip_argmax, id_argmax; /* pixel index (row-major) */
    double ip_mean_live, id_mean_live;
    double r_ip_id, r_ip_id_live; /* NaN when undefined */
} MiResult;

/* Frees the arrays and zeroes *r; safe on a zeroed result. */
void mi_result_done(MiResult *r);

/* The measures of set (pixels and labels, n >= 1) into *r (zeroed first;
 * release with mi_result_done). ST_EINVAL for an empty set, ST_ENOMEM.
 * O(n·P + P·256·k) for P pixels and k classes. */
Status mi_compute(const ImageSet *set, MiResult *r, char *msg);

/* The JSON object: the context of s (NULL on files), then ip, id, theta,
 * n, rows, cols, n_live, ip_max, ip_argmax, id_max, id_argmax,
 * ip_mean_live, id_mean_live, r_ip_id, r_ip_id_live. */
void mi_json(const MiResult *r, const Snapshot *s, JsonWriter *w);

/* The `:info` overlay: the table of maxima and means, r(IP, ID), and the
 * IP and ID maps. ST_ENOMEM. */
Status mi_view(const MiResult *r, const Snapshot *s, JobResult *out);

/* The JobFn of `mi`: on files (s NULL) the images and labels of
 * args->files[PARAM_IMAGES] / [PARAM_LABELS]; on a snapshot the training
 * images of the run's data set (ST_EINVAL when the session has none). */
Status mi_run(Job *job, const Snapshot *s, const AnalysisArgs *args, JobResult *out, char *msg);

#endif
