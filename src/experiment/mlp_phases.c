#include "neurotop/experiment/mlp_phases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/json.h"
#include "neurotop/core/rng.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/run/metrics.h"

struct MlpPhases {
    MlpPhasesConfig cfg;
    PixelInfoView pix;
    int have_pix;
    MlpPhasesPoint *pts;
    size_t n, cap;
    float *prev_alpha; /* α block of the previous recorded epoch */
    size_t alpha_len;
    int *labels;
    double *pc, *mz;
    size_t n_nodes;
};

int mlp_phases_scheduled(size_t epoch, size_t last_epoch)
{
    if (epoch == last_epoch && last_epoch > 0)
        return 1;
    if (epoch <= 30)
        return 1;
    if (epoch <= 100)
        return epoch % 5 == 0;
    if (epoch <= 500)
        return epoch % 25 == 0;
    if (epoch <= 2000)
        return epoch % 100 == 0;
    return epoch % 250 == 0;
}

Status mlp_phases_new(const MlpPhasesConfig *cfg, MlpPhases **out, char *msg)
{
    *out = NULL;
    if (cfg->reps == 0 || cfg->perms == 0)
        return status_fail(msg, ST_EINVAL, "the experiment needs at least one Louvain run and one permutation");
    if (!cfg->pixels)
        return status_fail(msg, ST_EINVAL, "the experiment needs the pixel information of the data set");
    MlpPhases *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    m->cfg = *cfg;
    *out = m;
    return ST_OK;
}

void mlp_phases_free(MlpPhases *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->pts[i].edge);
    free(m->pts);
    free(m->prev_alpha);
    free(m->labels);
    free(m->pc);
    free(m->mz);
    free(m);
}

size_t mlp_phases_count(const MlpPhases *m)
{
    return m->n;
}

const MlpPhasesPoint *mlp_phases_point(const MlpPhases *m, size_t i)
{
    return i < m->n ? &m->pts[i] : NULL;
}

/* r and p of a permutation test, NaN when it is undefined (a constant map). */
static void test_pair(const double *a, const double *b, const unsigned char *mask, size_t n, size_t perms,
                      uint64_t seed, double *r, double *p)
{
    PermTest t;
    char msg[STATUS_MSG_LEN];
    if (permtest_run(a, b, mask, n, perms, seed, &t, msg)) {
        *r = *p = NAN;
        return;
    }
    *r = t.r;
    *p = t.p;
}

static Status buffers(MlpPhases *m, const Snapshot *s, char *msg)
{
    size_t n = 0;
    for (size_t l = 0; l < s->config.n_layers; l++)
        n += s->config.sizes[l];
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        MlpPhasesPoint *p = realloc(m->pts, cap * sizeof *p);
        if (!p)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu recorded epochs", cap);
        m->pts = p;
        m->cap = cap;
    }
    if (n != m->n_nodes) {
        free(m->labels);
        free(m->pc);
        free(m->mz);
        m->labels = malloc(n * sizeof(int));
        m->pc = malloc(n * sizeof(double));
        m->mz = malloc(n * sizeof(double));
        m->n_nodes = n;
        if (!m->labels || !m->pc || !m->mz) {
            m->n_nodes = 0;
            return status_fail(msg, ST_ENOMEM, "out of memory for the roles of %zu nodes", n);
        }
    }
    return ST_OK;
}

Status mlp_phases_epoch(Snapshot *s, void *ctx, char *msg)
{
    MlpPhases *m = ctx;
    if (!mlp_phases_scheduled(s->epoch, m->cfg.last_epoch))
        return ST_OK;
    if (!m->have_pix) {
        Status st = pixel_info_get(m->cfg.pixels, &m->pix, msg);
        if (st)
            return st;
        m->have_pix = 1;
    }
    size_t P = m->pix.n_pixels;
    if (s->config.n_layers < 3 || s->config.sizes[0] != P)
        return status_fail(msg, ST_EINVAL, "the experiment needs a hidden layer and %zu inputs (one per pixel)", P);
    Status st = buffers(m, s, msg);
    if (st)
        return st;
    MlpPhasesPoint p = {.epoch = s->epoch, .examples = s->examples_seen, .acc = s->eval.accuracy};
    /* Epoch e draws its Louvain orders from streams of its own seed, as the live Q does. */
    uint64_t seed = rng_epoch_seed(m->cfg.seed, s->epoch);
    st = jobs_weight_q(s, 0, m->cfg.reps, seed, &p.q_whole, m->labels, NULL, NULL, msg);
    if (!st)
        st = jobs_weight_q(s, 1, m->cfg.reps, seed, &p.q_hidden, NULL, NULL, NULL, msg);
    if (!st)
        st = jobs_weight_roles(s, m->labels, m->pc, m->mz, msg);
    if (st)
        return st;
    /* Node order puts the input units first, so pc[0..P) are the pixels. */
    const double *id = m->pix.id;
    const unsigned char *live = m->pix.live;
    size_t perms = m->cfg.perms;
    test_pair(id, m->pc, NULL, P, perms, m->cfg.seed, &p.r_id_pc, &p.p_id_pc);
    test_pair(id, m->mz, NULL, P, perms, m->cfg.seed, &p.r_id_mz, &p.p_id_mz);
    test_pair(id, m->pc, live, P, perms, m->cfg.seed, &p.r_id_pc_live, &p.p_id_pc_live);
    test_pair(id, m->mz, live, P, perms, m->cfg.seed, &p.r_id_mz_live, &p.p_id_mz_live);
    p.ih[0] = snapshot_metric(s, "ih_hl1_mean");
    p.ih[1] = snapshot_metric(s, "ih_hl2_mean");
    WeightBlock wb[MODEL_MAX_LAYERS];
    model_blocks(&s->config, s->params, wb, MODEL_MAX_LAYERS);
    size_t len = wb[0].rows * wb[0].cols;
    if (m->prev_alpha && m->alpha_len == len) {
        p.edge = malloc(P * sizeof(double));
        if (!p.edge)
            return status_fail(msg, ST_ENOMEM, "out of memory");
        jobs_edge_change(m->prev_alpha, wb[0].w, wb[0].rows, wb[0].cols, wb[0].cols, p.edge);
    } else {
        free(m->prev_alpha);
        m->prev_alpha = malloc(len * sizeof(float));
        m->alpha_len = len;
        if (!m->prev_alpha)
            return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    memcpy(m->prev_alpha, wb[0].w, len * sizeof(float));
    m->pts[m->n++] = p;
    metric_put(s, METRIC_Q_WHOLE, NULL, p.q_whole);
    metric_put(s, METRIC_Q_HIDDEN, NULL, p.q_hidden);
    metric_put(s, METRIC_R_ID_PC, NULL, p.r_id_pc);
    metric_put(s, METRIC_R_ID_MZ, NULL, p.r_id_mz);
    if (m->cfg.rundir)
        return rundir_save_snapshot(m->cfg.rundir, s, NULL, NULL, 0, msg);
    return ST_OK;
}

/* ---- report ------------------------------------------------------------- */

void mlp_phases_report_done(MlpPhasesReport *r)
{
    for (int w = 0; w < 3; w++)
        free(r->edge_map[w]);
    memset(r, 0, sizeof *r);
}

/* First and last index labelled p, or 0 when none. */
static int label_span(const Phase *lab, size_t n, Phase p, size_t *a, size_t *b)
{
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (lab[i] == p) {
            if (!found)
                *a = i;
            *b = i;
            found = 1;
        }
    return found;
}

/* The edge map over points a..b: the pairs (i−1, i) for i in a+1..b. */
static Status window_map(const MlpPhases *m, size_t a, size_t b, double **out, char *msg)
{
    size_t P = m->pix.n_pixels;
    double *map = calloc(P, sizeof *map);
    if (!map)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    for (size_t i = a + 1; i <= b; i++)
        for (size_t k = 0; m->pts[i].edge && k < P; k++)
            map[k] += m->pts[i].edge[k];
    *out = map;
    return ST_OK;
}

static void edge_windows(const MlpPhases *m, const Phase *lab[2], const int ok[2], MlpPhasesReport *r,
                         char *msg)
{
    static const char *const names[3] = {"early", "middle", "late"};
    size_t P = m->pix.n_pixels;
    for (int w = 0; w < 3; w++) {
        Phase ph = (Phase)(PHASE_EARLY + w);
        size_t a = 0, b = 0;
        int found = 0;
        for (int k = 0; k < 2 && !found; k++)
            if (ok[k] && label_span(lab[k], m->n, ph, &a, &b)) {
                found = 1;
                snprintf(r->edge_source[w], sizeof r->edge_source[w], "detected %s phase (%s)", names[w],
                         k ? "hidden subgraph" : "whole graph");
            }
        if (!found && ph == PHASE_EARLY && m->n >= 2) {
            /* The paper's early window was its first 10 epochs. */
            a = 0;
            b = m->n < 11 ? m->n - 1 : 10;
            found = 1;
            snprintf(r->edge_source[w], sizeof r->edge_source[w],
                     "first %zu recorded epochs (no early phase detected)", b + 1);
        }
        if (!found || b == a) {
            r->edge_window[w][0] = r->edge_window[w][1] = -1;
            snprintf(r->edge_source[w], sizeof r->edge_source[w],
                     found ? "the %s phase has one recorded epoch" : "no %s phase", names[w]);
            continue;
        }
        r->edge_window[w][0] = (long)m->pts[a].epoch;
        r->edge_window[w][1] = (long)m->pts[b].epoch;
        if (window_map(m, a, b, &r->edge_map[w], msg))
            continue;
        PermTest t;
        char why[STATUS_MSG_LEN];
        r->edge_ok[w] = permtest_run(r->edge_map[w], m->pix.ip, NULL, P, m->cfg.perms, m->cfg.seed,
                                     &r->edge_ip[w][0], why) == ST_OK &&
                        permtest_run(r->edge_map[w], m->pix.ip, m->pix.live, P, m->cfg.perms, m->cfg.seed,
                                     &r->edge_ip[w][1], why) == ST_OK;
        if (w == 0) {
            r->edge_mean_r[0] = permtest_run(r->edge_map[w], m->pix.mean, NULL, P, 1, 0, &t, why) ? NAN : t.r;
            r->edge_mean_r[1] =
                permtest_run(r->edge_map[w], m->pix.mean, m->pix.live, P, 1, 0, &t, why) ? NAN : t.r;
        }
    }
}

static void extremes(const MlpPhases *m, MlpPhasesReport *r)
{
    r->pc_max_at = r->mz_min_at = r->pc_max_live_at = r->mz_min_live_at = -1;
    for (size_t i = 0; i < m->n; i++) {
        const MlpPhasesPoint *p = &m->pts[i];
        if (isfinite(p->r_id_pc) && (r->pc_max_at < 0 || p->r_id_pc > m->pts[r->pc_max_at].r_id_pc))
            r->pc_max_at = (long)i;
        if (isfinite(p->r_id_mz) && (r->mz_min_at < 0 || p->r_id_mz < m->pts[r->mz_min_at].r_id_mz))
            r->mz_min_at = (long)i;
        if (isfinite(p->r_id_pc_live) &&
            (r->pc_max_live_at < 0 || p->r_id_pc_live > m->pts[r->pc_max_live_at].r_id_pc_live))
            r->pc_max_live_at = (long)i;
        if (isfinite(p->r_id_mz_live) &&
            (r->mz_min_live_at < 0 || p->r_id_mz_live < m->pts[r->mz_min_live_at].r_id_mz_live))
            r->mz_min_live_at = (long)i;
    }
}

/* The late window for IH: the late phase (whole graph, else hidden
 * subgraph), else the last third of the trained epochs. The change is read
 * off a least-squares line through the window's points, so one noisy
 * epoch at either end does not decide the direction. */
static void ih_window(const MlpPhases *m, const Phase *lab[2], const int ok[2], MlpPhasesReport *r)
{
    size_t a = 0, b = 0;
    int found = 0;
    for (int k = 0; k < 2 && !found; k++)
        if (ok[k] && label_span(lab[k], m->n, PHASE_LATE, &a, &b) && b > a) {
            found = 1;
            snprintf(r->ih_source, sizeof r->ih_source, "late phase (%s)", k ? "hidden subgraph" : "whole graph");
        }
    if (!found && m->n >= 2) {
        size_t first = m->pts[0].epoch, last = m->pts[m->n - 1].epoch;
        size_t from = last - (last - first) / 3;
        a = 0;
        while (a + 2 < m->n && m->pts[a].epoch < from)
            a++;
        b = m->n - 1;
        found = 1;
        snprintf(r->ih_source, sizeof r->ih_source, "last third of training (no late phase detected)");
    }
    r->ih_window[0] = r->ih_window[1] = -1;
    for (int h = 0; h < 2; h++)
        r->ih_start[h] = r->ih_end[h] = NAN;
    if (!found)
        return;
    r->ih_window[0] = (long)m->pts[a].epoch;
    r->ih_window[1] = (long)m->pts[b].epoch;
    double x0 = (double)m->pts[a].epoch, x1 = (double)m->pts[b].epoch;
    for (int h = 0; h < 2; h++) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
        for (size_t i = a; i <= b; i++) {
            double x = (double)m->pts[i].epoch - x0, y = m->pts[i].ih[h];
            if (!isfinite(y))
                continue;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        double den = n * sxx - sx * sx;
        if (n < 2 || den <= 0)
            continue;
        double slope = (n * sxy - sx * sy) / den, icept = (sy - slope * sx) / n;
        r->ih_start[h] = icept;
        r->ih_end[h] = icept + slope * (x1 - x0);
        double d = r->ih_end[h] - r->ih_start[h];
        r->ih_trend[h] = d > MLP_PHASES_IH_FLAT    ? MLP_PHASES_TREND_RISES
                         : d < -MLP_PHASES_IH_FLAT ? MLP_PHASES_TREND_FALLS
                                                   : MLP_PHASES_TREND_FLAT;
    }
}

const char *mlp_phases_trend_name(MlpPhasesTrend t)
{
    switch (t) {
    case MLP_PHASES_TREND_FLAT:
        return "flat";
    case MLP_PHASES_TREND_RISES:
        return "rises";
    case MLP_PHASES_TREND_FALLS:
        return "falls";
    default:
        return "n/a";
    }
}

Status mlp_phases_report(const MlpPhases *m, MlpPhasesReport *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->n_points = m->n;
    r->n_pixels = m->pix.n_pixels;
    size_t n = m->n;
    double *q[2] = {malloc((n + 1) * sizeof(double)), malloc((n + 1) * sizeof(double))};
    double *acc = malloc((n + 1) * sizeof(double));
    double *qm = malloc((n + 1) * sizeof(double)), *am = malloc((n + 1) * sizeof(double));
    long *ep = malloc((n + 1) * sizeof(long));
    Phase *lab[2] = {malloc((n + 1) * sizeof(Phase)), malloc((n + 1) * sizeof(Phase))};
    Status st = ST_OK;
    if (!q[0] || !q[1] || !acc || !qm || !am || !ep || !lab[0] || !lab[1])
        st = status_fail(msg, ST_ENOMEM, "out of memory for the report");
    for (size_t i = 0; !st && i < n; i++) {
        q[0][i] = m->pts[i].q_whole;
        q[1][i] = m->pts[i].q_hidden;
        acc[i] = m->pts[i].acc;
        ep[i] = (long)m->pts[i].epoch;
    }
    for (int k = 0; k < 2 && !st; k++) {
        for (int ph = 0; ph < 4; ph++)
            r->span[k][ph][0] = r->span[k][ph][1] = -1;
        if (n < 3) {
            snprintf(r->phase_problem[k], sizeof r->phase_problem[k], "%zu recorded epochs: phases need 3", n);
            continue;
        }
        if (phases_detect(q[k], acc, ep, n, NULL, lab[k], &r->phase[k], r->phase_problem[k]))
            continue;
        r->phase_ok[k] = 1;
        for (Phase ph = PHASE_EARLY; ph <= PHASE_LATE; ph++) {
            size_t a = 0, b = 0;
            if (label_span(lab[k], n, ph, &a, &b)) {
                r->span[k][ph][0] = ep[a];
                r->span[k][ph][1] = ep[b];
            }
        }
        size_t nm = 0;
        for (size_t i = 0; i < n; i++)
            if (lab[k][i] == PHASE_MIDDLE) {
                qm[nm] = q[k][i];
                am[nm++] = acc[i];
            }
        char why[STATUS_MSG_LEN];
        r->q_acc_ok[k] = nm >= 3 && permtest_run(qm, am, NULL, nm, m->cfg.perms, m->cfg.seed, &r->q_acc[k], why) == ST_OK;
    }
    if (!st && m->have_pix) {
        const Phase *labs[2] = {lab[0], lab[1]};
        edge_windows(m, labs, r->phase_ok, r, msg);
        extremes(m, r);
        ih_window(m, labs, r->phase_ok, r);
    }
    free(q[0]);
    free(q[1]);
    free(acc);
    free(qm);
    free(am);
    free(ep);
    free(lab[0]);
    free(lab[1]);
    return st;
}

/* ---- files -------------------------------------------------------------- */

static void csv_num(StrBuf *b, double v, int last)
{
    if (isfinite(v))
        strbuf_printf(b, "%.17g", v);
    strbuf_append(b, last ? "\n" : ",");
}

static Status write_file(const char *dir, const char *name, StrBuf *b, char *msg)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (strbuf_failed(b))
        return status_fail(msg, ST_ENOMEM, "out of memory writing %s", path);
    return file_write_atomic(path, strbuf_cstr(b), b->len, msg);
}

static void json_test(JsonWriter *w, const char *key, const PermTest *t, int ok)
{
    json_key(w, key);
    if (!ok) {
        json_null(w);
        return;
    }
    json_object_begin(w);
    json_kv_real(w, "r", t->r);
    json_kv_real(w, "p", t->p);
    json_kv_int(w, "n", (long long)t->n);
    json_object_end(w);
}

static void json_point_r(JsonWriter *w, const char *key, const MlpPhases *m, long at, int pc, int live)
{
    json_key(w, key);
    if (at < 0) {
        json_null(w);
        return;
    }
    const MlpPhasesPoint *p = &m->pts[at];
    json_object_begin(w);
    json_kv_int(w, "epoch", (long long)p->epoch);
    json_kv_real(w, "r", pc ? (live ? p->r_id_pc_live : p->r_id_pc) : (live ? p->r_id_mz_live : p->r_id_mz));
    json_kv_real(w, "p", pc ? (live ? p->p_id_pc_live : p->p_id_pc) : (live ? p->p_id_mz_live : p->p_id_mz));
    json_object_end(w);
}

static void summary_json(const MlpPhases *m, const MlpPhasesReport *r, StrBuf *b)
{
    static const char *const readout[2] = {"whole", "hidden"};
    static const char *const window[3] = {"early", "middle", "late"};
    JsonWriter w;
    json_init(&w, b);
    json_object_begin(&w);
    json_kv_int(&w, "recorded_epochs", (long long)r->n_points);
    json_kv_int(&w, "louvain_runs", (long long)m->cfg.reps);
    json_kv_int(&w, "perms", (long long)m->cfg.perms);
    json_kv_int(&w, "seed", (long long)m->cfg.seed);
    for (int k = 0; k < 2; k++) {
        char key[32];
        snprintf(key, sizeof key, "phases_%s", readout[k]);
        json_key(&w, key);
        json_object_begin(&w);
        if (!r->phase_ok[k])
            json_kv_string(&w, "problem", r->phase_problem[k]);
        for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++) {
            json_key(&w, phases_name((Phase)ph));
            if (r->span[k][ph][0] < 0) {
                json_null(&w);
                continue;
            }
            json_array_begin(&w);
            json_int(&w, r->span[k][ph][0]);
            json_int(&w, r->span[k][ph][1]);
            json_array_end(&w);
        }
        if (r->phase_ok[k])
            json_kv_int(&w, "peak_epoch", (long long)m->pts[r->phase[k].peak].epoch);
        json_test(&w, "r_q_acc_middle", &r->q_acc[k], r->q_acc_ok[k]);
        json_object_end(&w);
    }
    for (int k = 0; k < 3; k++) {
        char key[32];
        snprintf(key, sizeof key, "edge_%s", window[k]);
        json_key(&w, key);
        json_object_begin(&w);
        json_kv_string(&w, "window_source", r->edge_source[k]);
        json_key(&w, "window");
        if (r->edge_window[k][0] < 0) {
            json_null(&w);
        } else {
            json_array_begin(&w);
            json_int(&w, r->edge_window[k][0]);
            json_int(&w, r->edge_window[k][1]);
            json_array_end(&w);
        }
        json_test(&w, "r_ip_all", &r->edge_ip[k][0], r->edge_ok[k]);
        json_test(&w, "r_ip_live", &r->edge_ip[k][1], r->edge_ok[k]);
        if (k == 0) {
            json_kv_real(&w, "r_mean_intensity_all", r->edge_mean_r[0]);
            json_kv_real(&w, "r_mean_intensity_live", r->edge_mean_r[1]);
        }
        json_object_end(&w);
    }
    json_point_r(&w, "max_r_id_pc", m, r->pc_max_at, 1, 0);
    json_point_r(&w, "min_r_id_mz", m, r->mz_min_at, 0, 0);
    json_point_r(&w, "max_r_id_pc_live", m, r->pc_max_live_at, 1, 1);
    json_point_r(&w, "min_r_id_mz_live", m, r->mz_min_live_at, 0, 1);
    json_key(&w, "ih_late");
    json_object_begin(&w);
    json_kv_string(&w, "window_source", r->ih_source);
    json_kv_int(&w, "from_epoch", r->ih_window[0]);
    json_kv_int(&w, "to_epoch", r->ih_window[1]);
    json_key(&w, "hl1");
    json_real_array(&w, (const double[2]){r->ih_start[0], r->ih_end[0]}, 2);
    json_key(&w, "hl2");
    json_real_array(&w, (const double[2]){r->ih_start[1], r->ih_end[1]}, 2);
    json_kv_string(&w, "hl1_trend", mlp_phases_trend_name(r->ih_trend[0]));
    json_kv_string(&w, "hl2_trend", mlp_phases_trend_name(r->ih_trend[1]));
    json_object_end(&w);
    json_object_end(&w);
}

Status mlp_phases_write(const MlpPhases *m, const MlpPhasesReport *r, const char *dir, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "epoch,examples,test_acc,q_whole,q_hidden,r_id_pc,p_id_pc,r_id_mz,p_id_mz,"
                      "r_id_pc_live,p_id_pc_live,r_id_mz_live,p_id_mz_live,ih_hl1_mean,ih_hl2_mean\n");
    for (size_t i = 0; i < m->n; i++) {
        const MlpPhasesPoint *p = &m->pts[i];
        strbuf_printf(&b, "%zu,%zu,", p->epoch, p->examples);
        const double v[] = {p->acc, p->q_whole, p->q_hidden, p->r_id_pc, p->p_id_pc, p->r_id_mz, p->p_id_mz,
                            p->r_id_pc_live, p->p_id_pc_live, p->r_id_mz_live, p->p_id_mz_live, p->ih[0],
                            p->ih[1]};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            csv_num(&b, v[k], k + 1 == sizeof v / sizeof v[0]);
    }
    Status st = write_file(dir, "mlp-phases-series.csv", &b, msg);
    strbuf_done(&b);
    if (st || !m->have_pix)
        return st;
    strbuf_init(&b);
    strbuf_append(&b, "pixel,row,col,live,ip,id,mean,edge_early,edge_middle,edge_late\n");
    for (size_t k = 0; k < m->pix.n_pixels; k++) {
        strbuf_printf(&b, "%zu,%zu,%zu,%d,", k, k / m->pix.cols, k % m->pix.cols, m->pix.live[k]);
        csv_num(&b, m->pix.ip[k], 0);
        csv_num(&b, m->pix.id[k], 0);
        csv_num(&b, m->pix.mean[k], 0);
        for (int w = 0; w < 3; w++)
            csv_num(&b, r->edge_map[w] ? r->edge_map[w][k] : NAN, w == 2);
    }
    st = write_file(dir, "mlp-phases-pixels.csv", &b, msg);
    strbuf_done(&b);
    if (st)
        return st;
    strbuf_init(&b);
    summary_json(m, r, &b);
    strbuf_append(&b, "\n");
    st = write_file(dir, "mlp-phases-summary.json", &b, msg);
    strbuf_done(&b);
    return st;
}
