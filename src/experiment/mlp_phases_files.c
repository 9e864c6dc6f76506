/* The files of `experiment mlp-phases`: the series, the pixel maps and the
 * summary (mlp_phases.h). */
#include "neurotop/experiment/mlp_phases.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mlp_phases_internal.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/json.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/measure/info_phases.h"

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

static void json_test(JsonWriter *w, const char *key, const MlpPhasesTest *t)
{
    json_key(w, key);
    if (!t->ok) {
        json_null(w);
        return;
    }
    json_object_begin(w);
    json_kv_real(w, "r", t->t.r);
    json_kv_real(w, "p", t->t.p);
    json_kv_int(w, "n", (long long)t->t.n);
    json_object_end(w);
}

static void json_point_r(JsonWriter *w, const char *key, const MlpPhases *m, long at, int pc, int live,
                         double p_search)
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
    json_kv_real(w, "p_this_epoch",
                 pc ? (live ? p->p_id_pc_live : p->p_id_pc) : (live ? p->p_id_mz_live : p->p_id_mz));
    json_kv_real(w, "p_search", p_search);
    json_object_end(w);
}

static void json_readout(JsonWriter *w, const MlpPhases *m, const MlpPhasesReport *r, int k)
{
    json_object_begin(w);
    if (!r->phase_ok[k]) {
        json_kv_string(w, "problem", r->phase_problem[k]);
        json_object_end(w);
        return;
    }
    for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++) {
        json_key(w, phases_name((Phase)ph));
        if (r->span[k][ph][0] < 0) {
            json_null(w);
            continue;
        }
        json_array_begin(w);
        json_int(w, r->span[k][ph][0]);
        json_int(w, r->span[k][ph][1]);
        json_array_end(w);
    }
    const PhaseResult *res = &r->phase[k];
    json_kv_int(w, "peak_epoch", (long long)m->pts[res->peak].epoch);
    phases_json_welch(w, "rise", &res->rise);
    phases_json_welch(w, "fall", &res->fall);
    json_kv_real(w, "alpha_search", res->alpha_search);
    phases_json_trend(w, "trend_climb", &res->trend[PHASE_EARLY]);
    phases_json_trend(w, "trend_middle", &res->trend[PHASE_MIDDLE]);
    phases_json_trend(w, "trend_after_peak", &res->trend[PHASE_LATE]);
    json_kv_real(w, "climb_share", res->climb_share);
    json_kv_real(w, "r_q_acc_middle_raw", res->r_middle);
    json_kv_int(w, "n_middle", (long long)res->n_middle);
    json_test(w, "r_q_acc_middle_diff", &r->q_acc_diff[k]);
    json_key(w, "sensitivity");
    json_array_begin(w);
    for (int s = 0; s < PHASES_N_SENSITIVITY; s++) {
        json_object_begin(w);
        json_kv_real(w, "alpha", phases_sensitivity_alphas[s]);
        for (int ph = PHASE_EARLY; ph <= PHASE_LATE; ph++)
            json_kv_int(w, phases_name((Phase)ph), r->sens[k][s][ph]);
        json_object_end(w);
    }
    json_array_end(w);
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
    json_kv_real(&w, "alpha", r->alpha);
    json_kv_int(&w, "perms", (long long)m->cfg.perms);
    json_kv_int(&w, "seed", (long long)m->cfg.seed);
    for (int k = 0; k < 2; k++) {
        char key[32];
        snprintf(key, sizeof key, "phases_%s", readout[k]);
        json_key(&w, key);
        json_readout(&w, m, r, k);
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
        json_test(&w, "r_ip_all", &r->edge_ip[k][0]);
        json_test(&w, "r_ip_live", &r->edge_ip[k][1]);
        json_test(&w, "partial_r_ip_given_intensity_all", &r->edge_ip_partial[k][0]);
        json_test(&w, "partial_r_ip_given_intensity_live", &r->edge_ip_partial[k][1]);
        json_kv_real(&w, "r_mean_intensity_all", r->edge_mean_r[k][0]);
        json_kv_real(&w, "r_mean_intensity_live", r->edge_mean_r[k][1]);
        json_object_end(&w);
    }
    json_point_r(&w, "max_r_id_pc", m, r->pc_max_at, 1, 0, r->p_search[0]);
    json_point_r(&w, "max_r_id_pc_live", m, r->pc_max_live_at, 1, 1, r->p_search[1]);
    json_point_r(&w, "min_r_id_mz", m, r->mz_min_at, 0, 0, r->p_search[2]);
    json_point_r(&w, "min_r_id_mz_live", m, r->mz_min_live_at, 0, 1, r->p_search[3]);
    json_key(&w, "ih_late");
    json_object_begin(&w);
    json_kv_string(&w, "window_source", r->ih_source);
    json_kv_int(&w, "from_epoch", r->ih_window[0]);
    json_kv_int(&w, "to_epoch", r->ih_window[1]);
    for (int h = 0; h < 2; h++) {
        json_key(&w, h ? "hl2" : "hl1");
        json_object_begin(&w);
        json_kv_real(&w, "start", r->ih_start[h]);
        json_kv_real(&w, "end", r->ih_end[h]);
        json_kv_real(&w, "slope", r->ih_trend[h] ? r->ih_fit[h].slope : NAN);
        json_kv_real(&w, "lo", r->ih_trend[h] ? r->ih_fit[h].lo : NAN);
        json_kv_real(&w, "hi", r->ih_trend[h] ? r->ih_fit[h].hi : NAN);
        json_kv_string(&w, "trend", mlp_phases_trend_name(r->ih_trend[h]));
        json_object_end(&w);
    }
    json_object_end(&w);
    json_object_end(&w);
}

Status mlp_phases_write(const MlpPhases *m, const MlpPhasesReport *r, const char *dir, char *msg)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "epoch,examples,test_acc,q_whole,q_hidden,r_id_pc,p_id_pc,r_id_mz,p_id_mz,"
                      "r_id_pc_live,p_id_pc_live,r_id_mz_live,p_id_mz_live,ih_hl1_mean,ih_hl2_mean,"
                      "q_whole_mean,q_whole_sd,q_whole_min,q_whole_max,"
                      "q_hidden_mean,q_hidden_sd,q_hidden_min,q_hidden_max\n");
    for (size_t i = 0; i < m->n; i++) {
        const MlpPhasesPoint *p = &m->pts[i];
        strbuf_printf(&b, "%zu,%zu,", p->epoch, p->examples);
        const double v[] = {p->acc,          p->q_whole,      p->q_hidden,     p->r_id_pc,       p->p_id_pc,
                            p->r_id_mz,      p->p_id_mz,      p->r_id_pc_live, p->p_id_pc_live,  p->r_id_mz_live,
                            p->p_id_mz_live, p->ih[0],        p->ih[1],        p->q_mean[0],     p->q_sd[0],
                            p->q_min[0],     p->q_max[0],     p->q_mean[1],    p->q_sd[1],       p->q_min[1],
                            p->q_max[1]};
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
