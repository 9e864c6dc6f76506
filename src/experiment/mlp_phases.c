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
#include "neurotop/measure/weightq.h"
#include "neurotop/run/metrics.h"
#include "mlp_phases_internal.h"

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

int mlp_phases_wants(size_t epoch, void *ctx)
{
    const MlpPhases *m = ctx;
    return mlp_phases_scheduled(epoch, m->cfg.last_epoch);
}

Status mlp_phases_new(const MlpPhasesConfig *cfg, MlpPhases **out, char *msg)
{
    *out = NULL;
    if (cfg->reps < 2 || cfg->perms == 0)
        return status_fail(msg, ST_EINVAL,
                           "the experiment needs at least 2 Louvain runs per epoch (for their spread) and one permutation");
    if (cfg->alpha != 0 && !(cfg->alpha > 0 && cfg->alpha < 0.5))
        return status_fail(msg, ST_EINVAL, "the significance level must be between 0 and 0.5, got %g", cfg->alpha);
    if (!cfg->pixels)
        return status_fail(msg, ST_EINVAL, "the experiment needs the pixel information of the data set");
    MlpPhases *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    m->cfg = *cfg;
    if (m->cfg.alpha == 0)
        m->cfg.alpha = 0.01;
    weightq_init(&m->wq);
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
    free(m->maps);
    weightq_done(&m->wq);
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
        double *maps = realloc(m->maps, cap * 2 * m->pix.n_pixels * sizeof *maps);
        if (!maps)
            return status_fail(msg, ST_ENOMEM, "out of memory for the PC and MZ maps of %zu epochs", cap);
        m->maps = maps;
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
    /* Epoch e draws its Louvain orders from streams of its own seed, as the
     * live Q does. The best whole-graph partition gives the roles. */
    WeightQOptions o;
    weightq_options_default(&o); /* signed asym, gamma 1 */
    o.reps = m->cfg.reps;
    o.seed = rng_epoch_seed(m->cfg.seed, s->epoch);
    for (int g = 1; g >= 0; g--) {
        if ((st = weightq_snapshot(&m->wq, s, g ? GRAPH_PART_HIDDEN : GRAPH_PART_WHOLE, &o, msg)))
            return st;
        const LouvainSummary *sum = &m->wq.sum;
        p.q_mean[g] = sum->q_mean;
        p.q_sd[g] = sum->q_sd;
        p.q_min[g] = sum->q_min;
        p.q_max[g] = sum->q_max;
        *(g ? &p.q_hidden : &p.q_whole) = sum->q_best;
    }
    if (m->wq.n != m->n_nodes)
        return status_fail(msg, ST_EINTERNAL, "the whole weight graph has %zu nodes, expected %zu", m->wq.n,
                           m->n_nodes);
    memcpy(m->labels, m->wq.best, m->n_nodes * sizeof *m->labels);
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
    memcpy(m->maps + 2 * P * m->n, m->pc, P * sizeof(double));
    memcpy(m->maps + 2 * P * m->n + P, m->mz, P * sizeof(double));
    m->pts[m->n++] = p;
    metric_put(s, METRIC_Q_WHOLE, NULL, p.q_whole);
    metric_put(s, METRIC_Q_WHOLE_MEAN, NULL, p.q_mean[0]);
    metric_put(s, METRIC_Q_WHOLE_MIN, NULL, p.q_min[0]);
    metric_put(s, METRIC_Q_WHOLE_MAX, NULL, p.q_max[0]);
    metric_put(s, METRIC_Q_HIDDEN, NULL, p.q_hidden);
    metric_put(s, METRIC_Q_HIDDEN_MEAN, NULL, p.q_mean[1]);
    metric_put(s, METRIC_Q_HIDDEN_MIN, NULL, p.q_min[1]);
    metric_put(s, METRIC_Q_HIDDEN_MAX, NULL, p.q_max[1]);
    metric_put(s, METRIC_Q_REPS, NULL, (double)m->cfg.reps);
    metric_put(s, METRIC_R_ID_PC, NULL, p.r_id_pc);
    metric_put(s, METRIC_R_ID_MZ, NULL, p.r_id_mz);
    if (m->cfg.rundir)
        return rundir_save_snapshot(m->cfg.rundir, s, NULL, NULL, 0, msg);
    return ST_OK;
}

