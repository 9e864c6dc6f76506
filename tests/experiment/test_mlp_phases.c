#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/trend.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/weightq.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/experiment/mlp_phases.h"

Test(mlp_phases, schedule_is_dense_early_and_sparse_late)
{
    for (size_t e = 0; e <= 30; e++)
        cr_assert(mlp_phases_scheduled(e, 8000), "epoch %zu", e);
    const size_t yes[] = {35, 100, 125, 500, 600, 2000, 2250, 8000};
    const size_t no[] = {31, 34, 101, 130, 510, 2050, 2100, 7999};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_assert(mlp_phases_scheduled(yes[i], 8000), "epoch %zu", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_assert(!mlp_phases_scheduled(no[i], 8000), "epoch %zu", no[i]);
    cr_assert(mlp_phases_scheduled(7999, 7999), "the last epoch is always measured");
}

/* 3×3 images of three classes (pixels 0 and 8 never on). */
static Dataset *tiny_dataset(void)
{
    Dataset *d = calloc(1, sizeof *d);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(imageset_alloc(&d->train, 60, 3, 3, msg), ST_OK);
    Rng r;
    rng_seed(&r, 7, 0);
    for (size_t i = 0; i < 60; i++) {
        uint8_t c = (uint8_t)(i % 3);
        d->train.labels[i] = c;
        for (size_t p = 1; p < 8; p++) {
            double u = rng_uniform(&r) + (p % 3 == c ? 0.4 : 0.0);
            d->train.pixels[i * 9 + p] = (uint8_t)(u > 0.7 ? 40 + (int)(200 * (u - 0.7)) : 0);
        }
    }
    d->train.n_classes = 3;
    return d;
}

/* A 9-4-3-3 network whose weights drift with the epoch. */
static Snapshot *snap(size_t epoch)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {9, 4, 3, 3}};
    size_t n = model_param_count(&c);
    Snapshot *s = snapshot_new(&c, NULL, n, 0);
    Rng r;
    rng_seed(&r, 3, 0);
    for (size_t i = 0; i < n; i++)
        s->params[i] = (float)(2.0 * rng_uniform(&r) - 1.0) + 0.05f * (float)(epoch * epoch * (i % 7));
    s->epoch = epoch;
    s->examples_seen = 100 * epoch;
    s->eval.accuracy = 0.2 + 0.1 * (double)epoch;
    snapshot_set_metric(s, "ih_hl1_mean", 0.1 * (double)epoch);
    snapshot_set_metric(s, "ih_hl2_mean", 0.3 - 0.05 * (double)epoch);
    return s;
}

Test(mlp_phases, measures_each_scheduled_epoch_like_direct_calls)
{
    Dataset *d = tiny_dataset();
    PixelInfo *pi = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pixel_info_new(d, &pi, msg), ST_OK);
    MlpPhasesConfig c = {.reps = 4, .perms = 20000, .seed = 9, .last_epoch = 40, .pixels = pi};
    MlpPhases *m = NULL;
    cr_assert_eq(mlp_phases_new(&c, &m, msg), ST_OK);
    Snapshot *s[5];
    const size_t epochs[5] = {0, 1, 2, 3, 31};
    for (int i = 0; i < 5; i++) {
        s[i] = snap(epochs[i]);
        cr_assert_eq(mlp_phases_epoch(s[i], m, msg), ST_OK, "%s", msg);
    }
    cr_assert_eq(mlp_phases_count(m), 4, "epoch 31 is not on the schedule");
    cr_assert(isnan(snapshot_metric(s[4], "q_whole")), "an unscheduled epoch gets no Q");
    PixelInfoView v;
    cr_assert_eq(pixel_info_get(pi, &v, msg), ST_OK);
    cr_assert(mlp_phases_wants(3, m) && !mlp_phases_wants(31, m) && mlp_phases_wants(40, m));
    double pc_maps[4][19];
    for (size_t i = 0; i < 4; i++) {
        const MlpPhasesPoint *p = mlp_phases_point(m, i);
        cr_assert_eq(p->epoch, i);
        cr_assert_eq(p->examples, 100 * i);
        double q;
        int labels[19];
        cr_assert_eq(jobs_weight_q(s[i], 0, 4, rng_epoch_seed(9, i), &q, labels, NULL, NULL, msg), ST_OK);
        cr_assert_float_eq(p->q_whole, q, 1e-12, "epoch %zu", i);
        cr_assert_float_eq(snapshot_metric(s[i], "q_whole"), q, 1e-12, "the key reaches metrics.jsonl");
        cr_assert_eq(jobs_weight_q(s[i], 1, 4, rng_epoch_seed(9, i), &q, NULL, NULL, NULL, msg), ST_OK);
        cr_assert_float_eq(p->q_hidden, q, 1e-12);
        /* The spread of the runs: the same runs, summarised. */
        WeightQ w;
        WeightQOptions o;
        weightq_init(&w);
        weightq_options_default(&o);
        o.reps = 4;
        o.seed = rng_epoch_seed(9, i);
        cr_assert_eq(weightq_snapshot(&w, s[i], GRAPH_PART_WHOLE, &o, msg), ST_OK);
        double mean = (w.q[0] + w.q[1] + w.q[2] + w.q[3]) / 4, ss = 0;
        for (int k = 0; k < 4; k++)
            ss += (w.q[k] - mean) * (w.q[k] - mean);
        cr_assert_float_eq(p->q_mean[0], mean, 1e-12);
        cr_assert_float_eq(p->q_sd[0], sqrt(ss / 3), 1e-12);
        cr_assert_float_eq(snapshot_metric(s[i], "q_whole_mean"), mean, 1e-12);
        cr_assert_eq(snapshot_metric(s[i], "q_reps"), 4.0);
        weightq_done(&w);
        double pc[19], mz[19];
        cr_assert_eq(jobs_weight_roles(s[i], labels, pc, mz, msg), ST_OK);
        memcpy(pc_maps[i], pc, sizeof pc);
        PermTest t;
        cr_assert_eq(permtest_run(v.id, pc, NULL, 9, 20000, 9, &t, msg), ST_OK);
        cr_assert_float_eq(p->r_id_pc, t.r, 1e-12);
        cr_assert_float_eq(p->p_id_pc, t.p, 1e-12);
        if (permtest_run(v.id, mz, v.live, 9, 20000, 9, &t, msg) == ST_OK)
            cr_assert_float_eq(p->r_id_mz_live, t.r, 1e-12);
        else
            cr_assert(isnan(p->r_id_mz_live), "an undefined r is NaN, not a number");
        cr_assert_float_eq(p->ih[0], 0.1 * (double)i, 1e-12);
        if (i == 0) {
            cr_assert_null(p->edge, "no edge change before the first measured epoch");
            continue;
        }
        WeightBlock a[4], b[4];
        model_blocks(&s[i - 1]->config, s[i - 1]->params, a, 4);
        model_blocks(&s[i]->config, s[i]->params, b, 4);
        for (size_t px = 0; px < 9; px++) {
            double want = 0.0;
            for (size_t j = 0; j < 4; j++)
                want += fabs((double)b[0].w[px * 4 + j] - (double)a[0].w[px * 4 + j]);
            cr_assert_float_eq(p->edge[px], want, 1e-9, "epoch %zu pixel %zu", i, px);
        }
    }

    MlpPhasesReport r;
    cr_assert_eq(mlp_phases_report(m, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_points, 4);
    /* Phases from the same rule on the recorded distributions. */
    double q[4], sd[4], acc[4];
    size_t runs[4] = {4, 4, 4, 4};
    long ep[4];
    for (size_t i = 0; i < 4; i++) {
        q[i] = mlp_phases_point(m, i)->q_mean[0];
        sd[i] = mlp_phases_point(m, i)->q_sd[0];
        acc[i] = mlp_phases_point(m, i)->acc;
        ep[i] = (long)i;
    }
    Phase lab[4];
    PhaseResult want;
    cr_assert_eq(phases_detect(q, sd, runs, acc, ep, 4, NULL, lab, &want, msg), ST_OK);
    cr_assert(r.phase_ok[0]);
    cr_assert_eq(r.phase[0].peak, want.peak);
    cr_assert_float_eq(r.alpha, 0.01, 1e-15, "alpha 0 in the config means the default");
    cr_assert_eq(r.span[0][PHASE_MIDDLE][0], want.start_epoch[PHASE_MIDDLE]);
    cr_assert_eq(r.sens[0][2][PHASE_MIDDLE], want.start_epoch[PHASE_MIDDLE], "alpha 0.01 is in the table");
    /* The search over epochs: the exact p of max_e r(ID, PC_e) over all 9
     * pixels by enumerating every order of ID's entries. */
    cr_assert_geq(r.pc_max_at, 0);
    {
        enum { K = 9 };
        size_t keep[K];
        for (size_t k = 0; k < K; k++)
            keep[k] = k;
        double obs = mlp_phases_point(m, (size_t)r.pc_max_at)->r_id_pc;
        double idk[K], pck[K];
        size_t perm[K], cnt[K] = {0}, total = 0, hit = 0;
        for (size_t k = 0; k < K; k++)
            perm[k] = k;
        for (int go = 1; go;) {
            /* Heap's algorithm visits all 9! orders. */
            for (size_t k = 0; k < K; k++)
                idk[k] = v.id[keep[perm[k]]];
            double best = -INFINITY;
            for (size_t e = 0; e < 4; e++) {
                for (size_t k = 0; k < K; k++)
                    pck[k] = pc_maps[e][keep[k]];
                double rv;
                if (permtest_pearson(idk, pck, K, &rv, msg) == ST_OK)
                    best = fmax(best, rv);
            }
            total++;
            hit += best >= obs - 1e-12;
            size_t i = 1;
            while (i < K && cnt[i] >= i)
                cnt[i++] = 0;
            if (i == K) {
                go = 0;
                continue;
            }
            size_t j = i % 2 ? cnt[i] : 0, tmp = perm[j];
            perm[j] = perm[i];
            perm[i] = tmp;
            cnt[i]++;
        }
        cr_assert_eq(total, 362880);
        double exact = (double)hit / (double)total;
        cr_assert_float_eq(r.p_search[0], exact, 0.015, "search p %g, exact %g", r.p_search[0], exact);
    }
    /* The early window's map sums the pairs inside it. */
    cr_assert_geq(r.edge_window[0][0], 0, "an early window is always chosen (%s)", r.edge_source[0]);
    size_t a = (size_t)r.edge_window[0][0], b = (size_t)r.edge_window[0][1];
    for (size_t px = 0; px < 9; px++) {
        double sum = 0.0;
        for (size_t i = a + 1; i <= b; i++)
            sum += mlp_phases_point(m, i)->edge[px];
        cr_assert_float_eq(r.edge_map[0][px], sum, 1e-9);
    }
    if (r.edge_ip[0][1].ok) {
        PermTest t;
        cr_assert_eq(permtest_run(r.edge_map[0], v.ip, v.live, 9, 20000, 9, &t, msg), ST_OK);
        cr_assert_float_eq(r.edge_ip[0][1].t.r, t.r, 1e-12, "live-pixel r of the early map");
        /* The partial r given intensity is the r of the two residual maps. */
        double ra[9], rb[9], want_r;
        cr_assert_eq(trend_residuals(r.edge_map[0], v.mean, v.live, 9, ra, msg), ST_OK);
        cr_assert_eq(trend_residuals(v.ip, v.mean, v.live, 9, rb, msg), ST_OK);
        cr_assert_eq(permtest_run(ra, rb, v.live, 9, 1, 0, &t, msg), ST_OK);
        want_r = t.r;
        cr_assert(r.edge_ip_partial[0][1].ok);
        cr_assert_float_eq(r.edge_ip_partial[0][1].t.r, want_r, 1e-12);
    }
    /* IH: the window's ends. */
    cr_assert_geq(r.ih_window[0], 0);
    cr_assert_float_eq(r.ih_end[1], 0.3 - 0.05 * (double)r.ih_window[1], 1e-12);
    cr_assert_lt(r.ih_end[1], r.ih_start[1], "HL2's IH falls in this synthetic run");
    /* IH is exactly linear here (HL1 +0.1 per epoch, HL2 −0.05): the line
     * has no residuals, so its interval is the slope itself. */
    cr_assert_gt(r.ih_window[1], r.ih_window[0]);
    cr_assert_float_eq(r.ih_fit[0].slope, 0.1, 1e-12);
    cr_assert_float_eq(r.ih_fit[1].hi, -0.05, 1e-12);
    cr_assert_eq(r.ih_trend[0], MLP_PHASES_TREND_RISES);
    cr_assert_eq(r.ih_trend[1], MLP_PHASES_TREND_FALLS);
    cr_assert_str_eq(mlp_phases_trend_name(r.ih_trend[1]), "falls");

    char dir[] = "/tmp/neurotop-mlp-phases-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(mlp_phases_write(m, &r, dir, msg), ST_OK, "%s", msg);
    char path[128], line[512];
    snprintf(path, sizeof path, "%s/mlp-phases-series.csv", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    int rows = 0;
    while (fgets(line, sizeof line, f))
        rows++;
    fclose(f);
    cr_assert_eq(rows, 5, "a header and four measured epochs");
    snprintf(path, sizeof path, "rm -rf %s", dir);
    cr_assert_eq(system(path), 0);

    mlp_phases_report_done(&r);
    for (int i = 0; i < 5; i++)
        snapshot_release(s[i]);
    mlp_phases_free(m);
    pixel_info_free(pi);
    dataset_free(d);
}

Test(mlp_phases, refuses_bad_settings_and_mismatched_models)
{
    Dataset *d = tiny_dataset();
    PixelInfo *pi = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pixel_info_new(d, &pi, msg), ST_OK);
    MlpPhases *m = NULL;
    MlpPhasesConfig c = {.reps = 1, .perms = 10, .pixels = pi};
    cr_assert_eq(mlp_phases_new(&c, &m, msg), ST_EINVAL, "one run has no spread");
    c.reps = 2;
    c.alpha = 0.7;
    cr_assert_eq(mlp_phases_new(&c, &m, msg), ST_EINVAL);
    c.alpha = 0;
    c.pixels = NULL;
    cr_assert_eq(mlp_phases_new(&c, &m, msg), ST_EINVAL);
    c.pixels = pi;
    cr_assert_eq(mlp_phases_new(&c, &m, msg), ST_OK);
    ModelConfig mc = {.kind = "mlp", .n_layers = 3, .sizes = {5, 4, 3}};
    Snapshot *s = snapshot_new(&mc, NULL, model_param_count(&mc), 0);
    cr_assert_eq(mlp_phases_epoch(s, m, msg), ST_EINVAL, "5 inputs for 9 pixels");
    cr_assert(strstr(msg, "9 inputs") != NULL, "%s", msg);
    snapshot_release(s);
    MlpPhasesReport r;
    cr_assert_eq(mlp_phases_report(m, &r, msg), ST_OK, "an empty run still reports");
    cr_assert(!r.phase_ok[0]);
    cr_assert_eq(r.ih_trend[0], MLP_PHASES_TREND_NONE);
    cr_assert_str_eq(mlp_phases_trend_name(r.ih_trend[0]), "n/a");
    cr_assert(strstr(r.phase_problem[0], "need 3") != NULL, "%s", r.phase_problem[0]);
    mlp_phases_report_done(&r);
    mlp_phases_free(m);
    mlp_phases_free(NULL);
    pixel_info_free(pi);
    dataset_free(d);
}
