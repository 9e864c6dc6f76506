/* :info, :ih, :edges and :corr (jobs_info.h), and the weight-graph helpers
 * they share with `neurotop experiment mlp-phases`. */
#include "neurotop/measure/jobs_info.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/analysis/graph.h"
#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/roles.h"
#include "neurotop/measure/weightgraph.h"
#include "neurotop/measure/weightq.h"

const char *const JOBS_CORR_MAPS[] = {"edges", "ip", "id", "pc", "mz", "mean", NULL};

/* ---- weight-graph helpers ----------------------------------------------- */

Status jobs_weight_q(const Snapshot *s, int hidden, size_t reps, uint64_t seed, double *q, int *labels,
                     size_t *n_nodes, const volatile int *cancel, char *msg)
{
    WeightQ w;
    WeightQOptions o;
    weightq_init(&w);
    weightq_options_default(&o); /* signed asym, gamma 1 */
    o.reps = reps;
    o.seed = seed;
    o.cancel = cancel;
    Status st = weightq_snapshot(&w, s, hidden ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE, &o, msg);
    if (!st) {
        *q = w.sum.q_best;
        if (labels)
            memcpy(labels, w.best, w.n * sizeof *labels);
        if (n_nodes)
            *n_nodes = w.n;
    }
    weightq_done(&w);
    return st;
}

Status jobs_weight_roles(const Snapshot *s, const int *labels, double *pc, double *mz, char *msg)
{
    WeightGraph *g = NULL;
    Status st = snapshot_weight_graph(s, GRAPH_PART_WHOLE, &g, msg);
    if (!st)
        st = roles_compute(g->adj, labels, pc, mz, msg);
    graph_free(g);
    return st;
}

void jobs_edge_change(const float *a, const float *b, size_t rows, size_t cols, double *per_row)
{
    for (size_t i = 0; i < rows; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < cols; j++)
            sum += fabs((double)b[i * cols + j] - (double)a[i * cols + j]);
        per_row[i] = sum;
    }
}

/* ---- small helpers ------------------------------------------------------ */

static size_t total_units(const Snapshot *s)
{
    size_t n = 0;
    for (size_t l = 0; l < s->config.n_layers; l++)
        n += s->config.sizes[l];
    return n;
}

/* Pearson r over the entries with mask != 0 (all when mask is NULL), NaN
 * when it is undefined (fewer than 3 entries, a constant map). */
static double pearson_masked(const double *a, const double *b, const unsigned char *mask, size_t n)
{
    PermTest t;
    char msg[STATUS_MSG_LEN];
    /* One permutation is the cheapest way to reuse the masked r. */
    if (permtest_run(a, b, mask, n, 1, 0, &t, msg))
        return NAN;
    return t.r;
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
        if (!mask || mask[i]) {
            sum += v[i];
            k++;
        }
    return k ? sum / (double)k : NAN;
}

/* "  0.8512" or "     n/a". */
static void fmt_r(char *buf, size_t cap, double r)
{
    if (isfinite(r))
        snprintf(buf, cap, "%8.4f", r);
    else
        snprintf(buf, cap, "%8s", "n/a");
}

/* ---- :info -------------------------------------------------------------- */

Status job_info(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    PixelInfo *own = NULL;
    PixelInfoView v;
    Status st = jobs_pixels(a, &own, &v, msg);
    if (st)
        return st;
    job_set_progress(job, 0.8);
    size_t ip_at, id_at;
    double ip_max, id_max;
    argmax(v.ip, v.n_pixels, &ip_at, &ip_max);
    argmax(v.id, v.n_pixels, &id_at, &id_max);
    double ip_mean = masked_mean(v.ip, v.live, v.n_pixels), id_mean = masked_mean(v.id, v.live, v.n_pixels);
    double r_all = pearson_masked(v.ip, v.id, NULL, v.n_pixels);
    double r_live = pearson_masked(v.ip, v.id, v.live, v.n_pixels);
    char ra[16], rl[16];
    fmt_r(ra, sizeof ra, r_all);
    fmt_r(rl, sizeof rl, r_live);
    strbuf_printf(&out->text, "Pixel information · training set\n");
    strbuf_printf(&out->text, "%zu items, %zu pixels, %zu ever on (live)\n\n", v.n_items, v.n_pixels, v.n_live);
    strbuf_printf(&out->text, "IP = MI(pixel on at its best threshold;\n     class), bits\n");
    strbuf_printf(&out->text, "ID = information of the \"on\" state, bits\n\n");
    strbuf_printf(&out->text, "       max   at (row,col)  mean(live)\n");
    strbuf_printf(&out->text, "IP %8.4f   (%2zu,%2zu)    %8.4f\n", ip_max, ip_at / v.cols, ip_at % v.cols, ip_mean);
    strbuf_printf(&out->text, "ID %8.4f   (%2zu,%2zu)    %8.4f\n\n", id_max, id_at / v.cols, id_at % v.cols, id_mean);
    strbuf_printf(&out->text, "r(IP, ID)  all %s  live %s\n", ra, rl);
    strbuf_printf(&out->text, "(seed paper 000: r = -0.560)\n");
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_kv_int(&w, "n_items", (long long)v.n_items);
    json_kv_int(&w, "rows", (long long)v.rows);
    json_kv_int(&w, "cols", (long long)v.cols);
    json_kv_int(&w, "n_live", (long long)v.n_live);
    json_kv_real(&w, "ip_max", ip_max);
    json_kv_int(&w, "ip_argmax", (long long)ip_at);
    json_kv_real(&w, "id_max", id_max);
    json_kv_int(&w, "id_argmax", (long long)id_at);
    json_kv_real(&w, "ip_mean_live", ip_mean);
    json_kv_real(&w, "id_mean_live", id_mean);
    json_kv_real(&w, "r_ip_id", r_all);
    json_kv_real(&w, "r_ip_id_live", r_live);
    json_key(&w, "ip");
    json_real_array(&w, v.ip, v.n_pixels);
    json_key(&w, "id");
    json_real_array(&w, v.id, v.n_pixels);
    json_object_end(&w);
    char label[48];
    snprintf(label, sizeof label, "IP, bits (max %.3f)", ip_max);
    st = job_result_add_map(out, label, v.ip, v.rows, v.cols, 0);
    snprintf(label, sizeof label, "ID, bits (max %.3f)", id_max);
    if (!st)
        st = job_result_add_map(out, label, v.id, v.rows, v.cols, 0);
    pixel_info_free(own);
    return st ? status_fail(msg, st, "out of memory for the maps") : ST_OK;
}

/* ---- :ih ---------------------------------------------------------------- */

#define IH_TABLE_ROWS 12

Status job_ih(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    size_t L = s->config.n_layers;
    if (L < 3)
        return status_fail(msg, ST_EINVAL, "the model has no hidden layer");
    size_t n_hidden = L - 2 < JOB_PLOT_MAX_SERIES ? L - 2 : JOB_PLOT_MAX_SERIES;
    SeriesTable t;
    Status st = jobs_series(a, s, &t, msg);
    if (st)
        return st;
    const double *col[JOB_PLOT_MAX_SERIES] = {0};
    size_t have = 0;
    for (size_t h = 0; h < n_hidden; h++) {
        char key[METRIC_KEY_LEN];
        snprintf(key, sizeof key, "ih_hl%zu_mean", h + 1);
        col[h] = series_get(&t, key);
        have += col[h] != NULL;
    }
    strbuf_printf(&out->text, "Hidden-node information IH · epoch %zu\n", s->epoch);
    strbuf_printf(&out->text, "IH = MI(unit active > 0.5; class), bits,\nmean per layer over the probe items\n\n");
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_key(&w, "epochs");
    json_real_array(&w, t.epoch, have ? t.n : 0);
    if (have && t.n) {
        strbuf_printf(&out->text, " epoch");
        for (size_t h = 0; h < n_hidden; h++)
            strbuf_printf(&out->text, "     HL%zu", h + 1);
        strbuf_append(&out->text, "\n");
        size_t idx[IH_TABLE_ROWS];
        size_t k = jobs_pick_indices(t.n, IH_TABLE_ROWS, idx);
        for (size_t r = 0; r < k; r++) {
            strbuf_printf(&out->text, "%6.0f", t.epoch[idx[r]]);
            for (size_t h = 0; h < n_hidden; h++)
                strbuf_printf(&out->text, "  %6.4f", col[h] ? col[h][idx[r]] : NAN);
            strbuf_append(&out->text, "\n");
        }
        strbuf_printf(&out->text, "change");
        for (size_t h = 0; h < n_hidden; h++)
            strbuf_printf(&out->text, " %+7.4f", col[h] ? col[h][t.n - 1] - col[h][0] : NAN);
        strbuf_append(&out->text, "\n\n");
        const double *ys[JOB_PLOT_MAX_SERIES];
        double *nan_col = malloc(t.n * sizeof(double)); /* a layer without a series draws nothing */
        for (size_t i = 0; nan_col && i < t.n; i++)
            nan_col[i] = NAN;
        for (size_t h = 0; h < n_hidden; h++) {
            char key[METRIC_KEY_LEN];
            snprintf(key, sizeof key, "ih_hl%zu_mean", h + 1);
            json_key(&w, key);
            json_real_array(&w, col[h] ? col[h] : nan_col, nan_col || col[h] ? t.n : 0);
            ys[h] = col[h] ? col[h] : nan_col;
        }
        if (!nan_col || job_result_add_lines(out, "mean IH per layer (bits)", t.epoch, ys, n_hidden, t.n))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plot");
        free(nan_col);
    } else {
        strbuf_printf(&out->text, "(no ih_hl*_mean series recorded in this run)\n\n");
    }
    strbuf_printf(&out->text, "Seed paper 000: both layers gain IH early;\nlate, HL1 falls while HL2 keeps rising.\n");
    job_set_progress(job, 0.5);
    if (!st && s->n_probe) {
        json_key(&w, "units");
        json_array_begin(&w);
        for (size_t h = 0; h < n_hidden && !st; h++) {
            size_t units = s->config.sizes[h + 1];
            double *ih = malloc(units * sizeof(double));
            if (!ih) {
                st = status_fail(msg, ST_ENOMEM, "out of memory");
                break;
            }
            st = info_snapshot_ih(s, h + 1, ih, msg);
            if (!st) {
                json_real_array(&w, ih, units);
                char label[48];
                snprintf(label, sizeof label, "IH per HL%zu unit, epoch %zu", h + 1, s->epoch);
                if (jobs_add_unit_map(out, label, ih, units, 0, 0, 0))
                    st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
            }
            free(ih);
        }
        json_array_end(&w);
    }
    json_object_end(&w);
    series_done(&t);
    if (!st && !have && !s->n_probe)
        st = status_fail(msg, ST_EINVAL, "this run records neither IH series nor probe activations");
    return st;
}

/* ---- :edges ------------------------------------------------------------- */

/* The two snapshots of an edge comparison (retained). */
static Status edge_pair(const Snapshot *s, const AnalysisArgs *a, Snapshot **s0, Snapshot **s1, size_t *from,
                        size_t *to, char *msg)
{
    *from = a->epoch_from < 0 ? 0 : (size_t)a->epoch_from;
    *to = a->epoch_to < 0 ? s->epoch : (size_t)a->epoch_to;
    if (*from == *to)
        return status_fail(msg, ST_EINVAL, "edge change needs two different epochs (both are %zu)", *from);
    EpochSource src;
    epoch_source_init(&src, s, a);
    Status st = epoch_source_get(&src, *from, 0, s0, msg);
    if (!st)
        st = epoch_source_get(&src, *to, 0, s1, msg);
    epoch_source_done(&src);
    if (!st && ((*s0)->n_params != (*s1)->n_params || (*s0)->config.n_layers != (*s1)->config.n_layers))
        st = status_fail(msg, ST_EINVAL, "epochs %zu and %zu hold different models", *from, *to);
    return st;
}

/* The α edge-change map (per input unit) between the epochs of edge_pair. */
static Status alpha_change(const Snapshot *s0, const Snapshot *s1, double **map, size_t *n, char *msg)
{
    WeightBlock b0[MODEL_MAX_LAYERS], b1[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(&s0->config, s0->params, b0, MODEL_MAX_LAYERS);
    if (nb == 0 || model_blocks(&s1->config, s1->params, b1, MODEL_MAX_LAYERS) != nb)
        return status_fail(msg, ST_EINVAL, "the snapshots hold no comparable weight blocks");
    *map = malloc(b0[0].rows * sizeof(double));
    if (!*map)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    jobs_edge_change(b0[0].w, b1[0].w, b0[0].rows, b0[0].cols, *map);
    *n = b0[0].rows;
    return ST_OK;
}

Status job_edges(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    Snapshot *s0 = NULL, *s1 = NULL;
    size_t from, to;
    Status st = edge_pair(s, a, &s0, &s1, &from, &to, msg);
    if (st)
        goto done;
    job_set_progress(job, 0.5);
    WeightBlock b0[MODEL_MAX_LAYERS], b1[MODEL_MAX_LAYERS];
    size_t nb = model_blocks(&s0->config, s0->params, b0, MODEL_MAX_LAYERS);
    model_blocks(&s1->config, s1->params, b1, MODEL_MAX_LAYERS);
    PixelInfo *own = NULL;
    PixelInfoView v;
    int have_pix = jobs_data(a) && jobs_pixels(a, &own, &v, msg) == ST_OK && v.n_pixels == b0[0].rows;
    strbuf_printf(&out->text, "Edge change Σ|ΔW| per source unit\nepochs %zu → %zu\n\n", from, to);
    strbuf_printf(&out->text, "block    edges     Σ|Δw|  mean|Δw|\n");
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    json_kv_int(&w, "epoch", (long long)s->epoch);
    json_kv_int(&w, "from", (long long)from);
    json_kv_int(&w, "to", (long long)to);
    json_key(&w, "blocks");
    json_array_begin(&w);
    double r_ip = NAN, r_ip_live = NAN, r_mean = NAN, r_mean_live = NAN;
    for (size_t b = 0; b < nb && !st; b++) {
        double *per = malloc(b0[b].rows * sizeof(double));
        if (!per) {
            st = status_fail(msg, ST_ENOMEM, "out of memory");
            break;
        }
        jobs_edge_change(b0[b].w, b1[b].w, b0[b].rows, b0[b].cols, per);
        double total = 0.0;
        for (size_t i = 0; i < b0[b].rows; i++)
            total += per[i];
        size_t edges = b0[b].rows * b0[b].cols;
        strbuf_printf(&out->text, "%-7s %6zu %9.2f  %8.5f\n", b0[b].name, edges, total, total / (double)edges);
        json_object_begin(&w);
        json_kv_string(&w, "name", b0[b].name);
        json_kv_int(&w, "edges", (long long)edges);
        json_kv_real(&w, "sum_abs_change", total);
        json_key(&w, "per_source");
        json_real_array(&w, per, b0[b].rows);
        json_object_end(&w);
        char from_name[16], label[48];
        model_layer_name(&s0->config, b0[b].from, 0, from_name, sizeof from_name);
        if (b == 0 && have_pix) {
            r_ip = pearson_masked(per, v.ip, NULL, v.n_pixels);
            r_ip_live = pearson_masked(per, v.ip, v.live, v.n_pixels);
            r_mean = pearson_masked(per, v.mean, NULL, v.n_pixels);
            r_mean_live = pearson_masked(per, v.mean, v.live, v.n_pixels);
        }
        snprintf(label, sizeof label, "Σ|Δ%s| per %s unit", b0[b].name, from_name);
        if (jobs_add_unit_map(out, label, per, b0[b].rows, b == 0 && have_pix ? v.rows : 0,
                              b == 0 && have_pix ? v.cols : 0, 0))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
        free(per);
    }
    json_array_end(&w);
    json_kv_real(&w, "r_alpha_ip", r_ip);
    json_kv_real(&w, "r_alpha_ip_live", r_ip_live);
    json_kv_real(&w, "r_alpha_mean", r_mean);
    json_kv_real(&w, "r_alpha_mean_live", r_mean_live);
    json_object_end(&w);
    if (have_pix) {
        char r1[16], r2[16], r3[16], r4[16];
        fmt_r(r1, sizeof r1, r_ip);
        fmt_r(r2, sizeof r2, r_ip_live);
        fmt_r(r3, sizeof r3, r_mean);
        fmt_r(r4, sizeof r4, r_mean_live);
        strbuf_printf(&out->text, "\nα map vs        all pixels  live pixels\n");
        strbuf_printf(&out->text, "IP               %s     %s\n", r1, r2);
        strbuf_printf(&out->text, "mean intensity   %s     %s\n", r3, r4);
        strbuf_printf(&out->text, "(paper: r(early change, IP) = 0.965;\n :corr gives permutation p-values)\n");
    }
    pixel_info_free(own);
done:
    snapshot_release(s0);
    snapshot_release(s1);
    return st;
}

/* ---- :corr -------------------------------------------------------------- */

static int map_index(const char *name)
{
    for (int i = 0; JOBS_CORR_MAPS[i]; i++)
        if (strcmp(JOBS_CORR_MAPS[i], name) == 0)
            return i;
    return -1;
}

/* PC and MZ of the input units (first n_in nodes of the whole graph). */
static Status input_roles(Job *job, const Snapshot *s, const AnalysisArgs *a, double *pc, double *mz,
                          const char **source, char *msg)
{
    size_t n = total_units(s);
    int *labels = malloc(n * sizeof(int));
    double *all_pc = malloc(n * sizeof(double)), *all_mz = malloc(n * sizeof(double));
    Status st = ST_OK;
    if (!labels || !all_pc || !all_mz)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the roles of %zu nodes", n);
    if (!st && a->partition && a->n_nodes == n) {
        memcpy(labels, a->partition, n * sizeof(int));
        *source = "the latest :louvain/:consensus partition";
    } else if (!st) {
        double q;
        st = jobs_weight_q(s, 0, 10, a->seed, &q, labels, NULL, job_cancel_flag(job), msg);
        *source = "the best of 10 Louvain runs";
    }
    if (!st)
        st = jobs_weight_roles(s, labels, all_pc, all_mz, msg);
    if (!st) {
        memcpy(pc, all_pc, s->config.sizes[0] * sizeof(double));
        memcpy(mz, all_mz, s->config.sizes[0] * sizeof(double));
    }
    free(labels);
    free(all_pc);
    free(all_mz);
    return st;
}

static void corr_row(StrBuf *text, JsonWriter *w, const char *name, const PermTest *t)
{
    strbuf_printf(text, "%-5s %5zu  %8.4f  %8.2g\n", name, t->n, t->r, t->p);
    json_key(w, name);
    json_object_begin(w);
    json_kv_int(w, "n", (long long)t->n);
    json_kv_real(w, "r", t->r);
    json_kv_real(w, "p", t->p);
    json_kv_int(w, "exceed", (long long)t->exceed);
    json_object_end(w);
}

Status job_corr(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    int k1 = map_index(a->map1), k2 = map_index(a->map2);
    if (k1 < 0 || k2 < 0)
        return status_fail(msg, ST_EINVAL, "unknown map '%s' (maps: edges ip id pc mz mean)",
                           k1 < 0 ? a->map1 : a->map2);
    if (a->perms < 1)
        return status_fail(msg, ST_EINVAL, "the number of permutations must be at least 1");
    size_t n = s->config.sizes[0];
    double *maps[2] = {malloc(n * sizeof(double)), malloc(n * sizeof(double))};
    double *pc = malloc(n * sizeof(double)), *mz = malloc(n * sizeof(double));
    PixelInfo *own = NULL;
    PixelInfoView v;
    Snapshot *s0 = NULL, *s1 = NULL;
    int have_pix = 0, have_roles = 0;
    const char *roles_from = "";
    char notes[2][64] = {"", ""};
    Status st = ST_OK;
    if (!maps[0] || !maps[1] || !pc || !mz)
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (!st && jobs_data(a)) {
        st = jobs_pixels(a, &own, &v, msg);
        have_pix = !st && v.n_pixels == n;
        if (!st && !have_pix)
            st = status_fail(msg, ST_EINVAL, "the data has %zu pixels but the input layer %zu units", v.n_pixels, n);
    }
    for (int m = 0; m < 2 && !st; m++) {
        const char *name = m ? a->map2 : a->map1;
        double *dst = maps[m];
        if (strcmp(name, "edges") == 0) {
            size_t from, to, got;
            double *map = NULL;
            AnalysisArgs ea = *a;
            ea.epoch_to = -1;
            if (!s0)
                st = edge_pair(s, &ea, &s0, &s1, &from, &to, msg);
            if (!st)
                st = alpha_change(s0, s1, &map, &got, msg);
            if (!st)
                memcpy(dst, map, n * sizeof(double));
            free(map);
            snprintf(notes[m], sizeof notes[m], "Σ|ΔW1|, epochs %zu→%zu",
                     a->epoch_from < 0 ? (size_t)0 : (size_t)a->epoch_from, s->epoch);
        } else if (strcmp(name, "pc") == 0 || strcmp(name, "mz") == 0) {
            if (!have_roles)
                st = input_roles(job, s, a, pc, mz, &roles_from, msg);
            have_roles = !st;
            if (!st)
                memcpy(dst, name[0] == 'p' ? pc : mz, n * sizeof(double));
            snprintf(notes[m], sizeof notes[m], "%s, epoch %zu", name[0] == 'p' ? "PC" : "MZ", s->epoch);
        } else if (!have_pix) {
            st = status_fail(msg, ST_EINVAL, "the map '%s' needs the run's data set, which this session has not loaded",
                             name);
        } else {
            const double *src = strcmp(name, "ip") == 0 ? v.ip : strcmp(name, "id") == 0 ? v.id : v.mean;
            memcpy(dst, src, n * sizeof(double));
            snprintf(notes[m], sizeof notes[m], "%s, training set",
                     strcmp(name, "mean") == 0 ? "mean intensity" : name[1] == 'p' ? "IP" : "ID");
        }
    }
    job_set_progress(job, 0.4);
    PermTest all = {0}, live = {0};
    if (!st)
        st = permtest_run(maps[0], maps[1], NULL, n, (size_t)a->perms, a->seed, &all, msg);
    job_set_progress(job, 0.7);
    Status live_st = ST_ENOTFOUND;
    char live_msg[STATUS_MSG_LEN] = "no data set to tell live pixels";
    if (!st && have_pix)
        live_st = permtest_run(maps[0], maps[1], v.live, n, (size_t)a->perms, a->seed, &live, live_msg);
    if (!st) {
        strbuf_printf(&out->text, "r(%s, %s) · epoch %zu\n", a->map1, a->map2, s->epoch);
        strbuf_printf(&out->text, "%s: %s\n%s: %s\n", a->map1, notes[0], a->map2, notes[1]);
        if (have_roles)
            strbuf_printf(&out->text, "roles from %s\n", roles_from);
        strbuf_printf(&out->text, "%ld permutations, seed %llu\n\n", a->perms, (unsigned long long)a->seed);
        strbuf_printf(&out->text, "pixels    n         r         p\n");
        JsonWriter w;
        json_init(&w, &out->json);
        json_object_begin(&w);
        json_kv_int(&w, "epoch", (long long)s->epoch);
        json_kv_string(&w, "map1", a->map1);
        json_kv_string(&w, "map2", a->map2);
        json_kv_int(&w, "perms", a->perms);
        json_kv_int(&w, "seed", (long long)a->seed);
        corr_row(&out->text, &w, "all", &all);
        if (!live_st) {
            corr_row(&out->text, &w, "live", &live);
            strbuf_printf(&out->text, "\nDead pixels (never on) can inflate r;\nthe live row leaves them out (FINDINGS).\n");
        } else {
            strbuf_printf(&out->text, "live  (%s)\n", live_msg);
        }
        json_object_end(&w);
        size_t rows = have_pix ? v.rows : 0, cols = have_pix ? v.cols : 0;
        if (jobs_add_unit_map(out, a->map1, maps[0], n, rows, cols, strcmp(a->map1, "mz") == 0) ||
            jobs_add_unit_map(out, a->map2, maps[1], n, rows, cols, strcmp(a->map2, "mz") == 0))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
        /* The scatter shows the pixels the live r is about. */
        double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));
        size_t k = 0;
        for (size_t i = 0; x && y && i < n; i++)
            if (!have_pix || v.live[i]) {
                x[k] = maps[0][i];
                y[k++] = maps[1][i];
            }
        char label[64];
        snprintf(label, sizeof label, "%.15s (x) vs %.15s (y)%s", a->map1, a->map2, have_pix ? ", live" : "");
        if (!st && (!x || !y || job_result_add_scatter(out, label, x, y, NULL, k)))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the plot");
        free(x);
        free(y);
    }
    free(maps[0]);
    free(maps[1]);
    free(pc);
    free(mz);
    pixel_info_free(own);
    snapshot_release(s0);
    snapshot_release(s1);
    return st;
}
