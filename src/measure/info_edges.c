/* Edge change per source unit between two epochs (info_edges.h). */
#include "neurotop/measure/info_edges.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/measure/jobs_info.h"

void edges_result_done(EdgesResult *r)
{
    for (size_t b = 0; b < r->n_blocks; b++)
        free(r->blocks[b].per_source);
    memset(r, 0, sizeof *r);
}

/* The correlations of the α map with the pixel maps. */
static void relate_to_pixels(EdgesResult *r, const PixelInfoView *v)
{
    const double *alpha = r->blocks[0].per_source;
    r->have_pixels = 1;
    r->rows = v->rows;
    r->cols = v->cols;
    r->r_ip = jobs_pearson(alpha, v->ip, NULL, v->n_pixels);
    r->r_ip_live = jobs_pearson(alpha, v->ip, v->live, v->n_pixels);
    r->r_mean = jobs_pearson(alpha, v->mean, NULL, v->n_pixels);
    r->r_mean_live = jobs_pearson(alpha, v->mean, v->live, v->n_pixels);
}

Status edges_compute(const Snapshot *s0, const Snapshot *s1, const PixelInfoView *pix, EdgesResult *r,
                     char *msg)
{
    memset(r, 0, sizeof *r);
    r->from = s0->epoch;
    r->to = s1->epoch;
    r->r_ip = r->r_ip_live = r->r_mean = r->r_mean_live = NAN;
    WeightBlock b0[MODEL_MAX_LAYERS], b1[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(&s0->config, s0->params, b0, MODEL_MAX_LAYERS);
    if (s0->n_params != s1->n_params || s0->config.n_layers != s1->config.n_layers ||
        model_blocks(&s1->config, s1->params, b1, MODEL_MAX_LAYERS) != nb)
        return status_fail(msg, ST_EINVAL, "epochs %zu and %zu hold different models", s0->epoch, s1->epoch);
    if (nb == 0)
        return status_fail(msg, ST_EINVAL, "the snapshots hold no weight blocks to compare");
    for (size_t b = 0; b < nb; b++) {
        EdgesBlock *e = &r->blocks[b];
        e->per_source = malloc(b0[b].rows * sizeof *e->per_source);
        if (!e->per_source) {
            edges_result_done(r);
            return status_fail(msg, ST_ENOMEM, "out of memory for the edge change of %s", b0[b].name);
        }
        r->n_blocks = b + 1;
        snprintf(e->name, sizeof e->name, "%s", b0[b].name);
        model_layer_name(&s0->config, b0[b].from, 0, e->source, sizeof e->source);
        e->rows = b0[b].rows;
        e->cols = b0[b].cols;
        jobs_edge_change(b0[b].w, b1[b].w, e->rows, e->cols, b0[b].ld, e->per_source);
        for (size_t i = 0; i < e->rows; i++)
            e->sum += e->per_source[i];
    }
    if (pix && pix->n_pixels == r->blocks[0].rows)
        relate_to_pixels(r, pix);
    return ST_OK;
}

void edges_json(const EdgesResult *r, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_int(w, "from", (long long)r->from);
    json_kv_int(w, "to", (long long)r->to);
    json_key(w, "blocks");
    json_array_begin(w);
    for (size_t b = 0; b < r->n_blocks; b++) {
        const EdgesBlock *e = &r->blocks[b];
        json_object_begin(w);
        json_kv_string(w, "name", e->name);
        json_kv_int(w, "edges", (long long)(e->rows * e->cols));
        json_kv_real(w, "sum_abs_change", e->sum);
        json_key(w, "per_source");
        json_real_array(w, e->per_source, e->rows);
        json_object_end(w);
    }
    json_array_end(w);
    json_kv_real(w, "r_alpha_ip", r->r_ip);
    json_kv_real(w, "r_alpha_ip_live", r->r_ip_live);
    json_kv_real(w, "r_alpha_mean", r->r_mean);
    json_kv_real(w, "r_alpha_mean_live", r->r_mean_live);
    json_object_end(w);
}

Status edges_view(const EdgesResult *r, JobResult *out)
{
    StrBuf *t = &out->text;
    strbuf_printf(t, "Edge change Σ|ΔW| per source unit\nepochs %zu → %zu\n\n", r->from, r->to);
    strbuf_printf(t, "block    edges     Σ|Δw|  mean|Δw|\n");
    Status st = ST_OK;
    for (size_t b = 0; b < r->n_blocks && !st; b++) {
        const EdgesBlock *e = &r->blocks[b];
        size_t edges = e->rows * e->cols;
        strbuf_printf(t, "%-7s %6zu %9.2f  %8.5f\n", e->name, edges, e->sum, e->sum / (double)edges);
        char label[48];
        snprintf(label, sizeof label, "Σ|Δ%s| per %s unit", e->name, e->source);
        int shaped = b == 0 && r->have_pixels;
        st = jobs_add_unit_map(out, label, e->per_source, e->rows, shaped ? r->rows : 0, shaped ? r->cols : 0, 0);
    }
    if (r->have_pixels) {
        char r1[16], r2[16], r3[16], r4[16];
        jobs_format_r(r1, sizeof r1, r->r_ip);
        jobs_format_r(r2, sizeof r2, r->r_ip_live);
        jobs_format_r(r3, sizeof r3, r->r_mean);
        jobs_format_r(r4, sizeof r4, r->r_mean_live);
        strbuf_printf(t, "\nα map vs        all pixels  live pixels\n");
        strbuf_printf(t, "IP               %s     %s\n", r1, r2);
        strbuf_printf(t, "mean intensity   %s     %s\n", r3, r4);
        strbuf_printf(t, "(paper: r(early change, IP) = 0.965;\n :corr gives permutation p-values)\n");
    }
    return st;
}

/* The snapshots of epochs from and to (retained; the caller releases). */
static Status edge_pair(const Snapshot *s, const AnalysisArgs *a, size_t from, size_t to, Snapshot **s0,
                        Snapshot **s1, char *msg)
{
    *s0 = *s1 = NULL;
    if (from == to)
        return status_fail(msg, ST_EINVAL, "edge change needs two different epochs (both are %zu)", from);
    EpochSource src;
    epoch_source_init(&src, s, a);
    Status st = epoch_source_get(&src, from, 0, s0, msg);
    if (!st)
        st = epoch_source_get(&src, to, 0, s1, msg);
    epoch_source_done(&src);
    return st;
}

static size_t epoch_from(const AnalysisArgs *a)
{
    return a->epoch_from < 0 ? 0 : (size_t)a->epoch_from;
}

Status edges_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Status st = jobs_need_snapshot(s, "edges", msg);
    if (st)
        return st;
    Snapshot *s0 = NULL, *s1 = NULL;
    size_t to = a->epoch_to < 0 ? s->epoch : (size_t)a->epoch_to;
    st = edge_pair(s, a, epoch_from(a), to, &s0, &s1, msg);
    job_set_progress(job, 0.5);
    PixelInfo *own = NULL;
    PixelInfoView v;
    char why[STATUS_MSG_LEN];
    int have_pix = !st && jobs_data(a) && jobs_pixels(a, &own, &v, why) == ST_OK;
    EdgesResult r;
    if (!st)
        st = edges_compute(s0, s1, have_pix ? &v : NULL, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        edges_json(&r, s, &w);
        if (edges_view(&r, out))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
        edges_result_done(&r);
    }
    pixel_info_free(own);
    snapshot_release(s0);
    snapshot_release(s1);
    return st;
}

Status edges_input_change(const Snapshot *s, const AnalysisArgs *a, double *map, size_t n, size_t *from,
                          char *msg)
{
    *from = epoch_from(a);
    Snapshot *s0 = NULL, *s1 = NULL;
    Status st = edge_pair(s, a, *from, s->epoch, &s0, &s1, msg);
    EdgesResult r = {0};
    if (!st)
        st = edges_compute(s0, s1, NULL, &r, msg);
    if (!st && r.blocks[0].rows != n)
        st = status_fail(msg, ST_EINVAL, "the first weight block has %zu source units, not %zu", r.blocks[0].rows, n);
    if (!st)
        memcpy(map, r.blocks[0].per_source, n * sizeof *map);
    edges_result_done(&r);
    snapshot_release(s0);
    snapshot_release(s1);
    return st;
}
