#include "neurotop/experiment/dbn_degrees.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Mean, population standard deviation and Fisher–Pearson skewness of n
 * values in two passes. */
static void moments(const float *w, size_t rows, size_t cols, size_t ld, double *mean, double *sd, double *skew)
{
    double n = (double)(rows * cols), s = 0.0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            s += w[i * ld + j];
    double m = s / n, m2 = 0.0, m3 = 0.0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            double d = w[i * ld + j] - m;
            m2 += d * d;
            m3 += d * d * d;
        }
    m2 /= n;
    m3 /= n;
    *mean = m;
    *sd = sqrt(m2);
    *skew = m2 > 0 ? m3 / pow(m2, 1.5) : NAN;
}

Status dbn_degrees_measure(const ModelConfig *c, const float *params, size_t epoch, double theta,
                           DbnDegreesStats *out, char *msg)
{
    memset(out, 0, sizeof *out);
    if (!isfinite(theta) || theta < 0)
        return status_fail(msg, ST_EINVAL, "the threshold must be a finite number >= 0, not %g", theta);
    WeightBlock b[MODEL_MAX_BLOCKS];
    float *owned = NULL;
    size_t nb = model_graph_blocks(c, params, b, MODEL_MAX_BLOCKS, &owned);
    if (owned) { /* the DBN's graph is its weights as they are */
        free(owned);
        return status_fail(msg, ST_EINVAL, "the degrees are measured on a DBN's own weights");
    }
    if (nb == 0 || nb + 1 > MODEL_MAX_LAYERS)
        return status_fail(msg, ST_EINVAL, "the model has no weight graph to measure");
    for (size_t k = 0; k < nb; k++)
        if (b[k].from != k || b[k].to != k + 1 || !b[k].w)
            return status_fail(msg, ST_EINVAL, "the weight graph is not a chain of layers");
    out->epoch = epoch;
    out->theta = theta;
    out->n_blocks = nb;
    out->n_layers = nb + 1;
    double sum = 0.0, total = 0.0;
    size_t kept = 0;
    for (size_t k = 0; k < nb; k++) {
        const WeightBlock *w = &b[k];
        moments(w->w, w->rows, w->cols, w->ld, &out->mean[k], &out->std[k], &out->skew[k]);
        for (size_t i = 0; i < w->rows; i++)
            for (size_t j = 0; j < w->cols; j++) {
                double v = w->w[i * w->ld + j];
                sum += v;
                total += 1.0;
                kept += fabs(v) > theta;
                out->pos += v > theta;
                out->neg += v < -theta;
            }
    }
    out->all_mean = sum / total;
    double m2 = 0.0, m3 = 0.0;
    for (size_t k = 0; k < nb; k++)
        for (size_t i = 0; i < b[k].rows; i++)
            for (size_t j = 0; j < b[k].cols; j++) {
                double d = b[k].w[i * b[k].ld + j] - out->all_mean;
                m2 += d * d;
                m3 += d * d * d;
            }
    m2 /= total;
    m3 /= total;
    out->all_std = sqrt(m2);
    out->all_skew = m2 > 0 ? m3 / pow(m2, 1.5) : NAN;
    out->kept = (double)kept / total;
    /* Strengths in the symmetric graph: a node's weights to the layer
     * below (its column of block l − 1) plus those to the layer above
     * (its row of block l). */
    for (size_t l = 0; l < out->n_layers; l++) {
        size_t units = l < nb ? b[l].rows : b[l - 1].cols, negative = 0;
        double s_sum = 0.0;
        for (size_t u = 0; u < units; u++) {
            double s = 0.0;
            if (l > 0)
                for (size_t i = 0; i < b[l - 1].rows; i++)
                    s += b[l - 1].w[i * b[l - 1].ld + u];
            if (l < nb)
                for (size_t j = 0; j < b[l].cols; j++)
                    s += b[l].w[u * b[l].ld + j];
            s_sum += s;
            negative += s < 0;
        }
        out->strength_mean[l] = s_sum / (double)units;
        out->strength_neg[l] = (double)negative / (double)units;
    }
    return ST_OK;
}

void dbn_degrees_json(const DbnDegreesStats *s, JsonWriter *w)
{
    json_object_begin(w);
    json_kv_int(w, "epoch", (long long)s->epoch);
    json_kv_real(w, "theta", s->theta);
    json_key(w, "w_mean");
    json_real_array(w, s->mean, s->n_blocks);
    json_key(w, "w_std");
    json_real_array(w, s->std, s->n_blocks);
    json_key(w, "w_skew");
    json_real_array(w, s->skew, s->n_blocks);
    json_kv_real(w, "all_mean", s->all_mean);
    json_kv_real(w, "all_std", s->all_std);
    json_kv_real(w, "all_skew", s->all_skew);
    json_key(w, "strength_mean");
    json_real_array(w, s->strength_mean, s->n_layers);
    json_key(w, "strength_neg");
    json_real_array(w, s->strength_neg, s->n_layers);
    json_kv_real(w, "kept", s->kept);
    json_kv_int(w, "pos", (long long)s->pos);
    json_kv_int(w, "neg", (long long)s->neg);
    json_object_end(w);
}
