/* The information analyses run as `:` jobs on a small run (info_fixture.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/info.h"
#include "neurotop/analysis/pca.h"
#include "neurotop/analysis/permtest.h"
#include "neurotop/analysis/phases.h"
#include "neurotop/analysis/trend.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/info_confusion.h"
#include "neurotop/measure/info_corr.h"
#include "neurotop/measure/info_distances.h"
#include "neurotop/measure/info_edges.h"
#include "neurotop/measure/info_ih.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/measure/info_mi.h"
#include "neurotop/measure/info_pca.h"
#include "neurotop/measure/info_phases.h"

#include "info_fixture.h"

Test(jobs_info, info_reports_ip_and_id_of_the_training_images)
{
    InfoFixture f;
    info_fixture_init(&f);
    JobResult *r = info_run_job("info", mi_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    double ip[9], id[9], got[9];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_pixel_ip_id(f.d->train.pixels, f.d->train.labels, INFO_N_TRAIN, 9, ip, id, NULL, msg), ST_OK);
    info_json_numbers(r, "ip", got, 9);
    for (size_t p = 0; p < 9; p++)
        cr_assert_float_eq(got[p], ip[p], 1e-12, "IP of pixel %zu", p);
    info_json_numbers(r, "id", got, 9);
    for (size_t p = 0; p < 9; p++)
        cr_assert_float_eq(got[p], id[p], 1e-12, "ID of pixel %zu", p);
    cr_assert_eq(info_json_number(r, "n_live"), 7, "pixels 0 and 8 are never on");
    cr_assert_eq(r->n_maps, 2);
    cr_assert_eq(r->maps[0].rows, 3);
    cr_assert_eq(r->maps[0].cols, 3);
    double rr;
    cr_assert_eq(permtest_pearson(ip, id, 9, &rr, msg), ST_OK);
    cr_assert_float_eq(info_json_number(r, "r_ip_id"), rr, 1e-9);
    job_result_free(r);

    AnalysisArgs none;
    analysis_args_init("info", &none);
    r = info_run_job("info", mi_run, &none, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_EINVAL, "no data set, no pixel information");
    cr_assert(strstr(r->message, "data set") != NULL, "%s", r->message);
    job_result_free(r);
    info_fixture_done(&f);
}

Test(jobs_info, edges_sums_absolute_weight_changes_per_source_unit)
{
    InfoFixture f;
    info_fixture_init(&f);
    f.a.epoch_from = 1;
    JobResult *r = info_run_job("edges", edges_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    WeightBlock b1[4], b3[4];
    size_t nb = model_blocks(&f.snaps[1]->config, f.snaps[1]->params, b1, 4);
    model_blocks(&f.snaps[3]->config, f.snaps[3]->params, b3, 4);
    cr_assert_eq(nb, 3);
    cr_assert_eq(r->n_maps, 3, "alpha, beta, gamma");
    for (size_t b = 0; b < nb; b++)
        for (size_t i = 0; i < b1[b].rows; i++) {
            double want = 0.0;
            for (size_t j = 0; j < b1[b].cols; j++)
                want += fabs((double)b3[b].w[i * b1[b].cols + j] - (double)b1[b].w[i * b1[b].cols + j]);
            cr_assert_float_eq(r->maps[b].v[i], want, 1e-9, "block %zu unit %zu", b, i);
        }
    cr_assert_eq(r->maps[0].rows, 3, "the alpha map has the image's shape");
    cr_assert_eq(info_json_number(r, "from"), 1);
    cr_assert_eq(info_json_number(r, "to"), 3);
    double r_ip, ip[9], id[9];
    char msg[STATUS_MSG_LEN];
    info_pixel_ip_id(f.d->train.pixels, f.d->train.labels, INFO_N_TRAIN, 9, ip, id, NULL, msg);
    cr_assert_eq(permtest_pearson(r->maps[0].v, ip, 9, &r_ip, msg), ST_OK);
    cr_assert_float_eq(info_json_number(r, "r_alpha_ip"), r_ip, 1e-9);
    job_result_free(r);

    f.a.epoch_from = 3;
    r = info_run_job("edges", edges_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_EINVAL, "from = to is refused");
    job_result_free(r);
    f.a.epoch_from = 7;
    r = info_run_job("edges", edges_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_ENOTFOUND);
    cr_assert(strstr(r->message, "epoch 7") != NULL, "%s", r->message);
    job_result_free(r);
    info_fixture_done(&f);
}

Test(jobs_info, corr_matches_a_direct_permutation_test_over_all_and_live_pixels)
{
    InfoFixture f;
    info_fixture_init(&f);
    snprintf(f.a.map1, sizeof f.a.map1, "ip");
    snprintf(f.a.map2, sizeof f.a.map2, "mean");
    f.a.perms = 200;
    f.a.seed = 5;
    JobResult *r = info_run_job("corr", corr_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    PixelInfoView v;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pixel_info_get(f.pi, &v, msg), ST_OK);
    PermTest all, live;
    cr_assert_eq(permtest_run(v.ip, v.mean, NULL, 9, 200, 5, &all, msg), ST_OK);
    cr_assert_eq(permtest_run(v.ip, v.mean, v.live, 9, 200, 5, &live, msg), ST_OK);
    const char *js = strbuf_cstr(&r->json);
    const char *lv = strstr(js, "\"live\":");
    cr_assert(lv, "%s", js);
    cr_assert_float_eq(info_json_number(r, "r"), all.r, 1e-12, "the test over all pixels comes first");
    cr_assert_float_eq(info_json_number(r, "p"), all.p, 1e-12);
    cr_assert_eq(info_json_number(r, "n"), 9);
    cr_assert_float_eq(strtod(strstr(lv, "\"r\":") + 4, NULL), live.r, 1e-12);
    cr_assert_float_eq(strtod(strstr(lv, "\"p\":") + 4, NULL), live.p, 1e-12);
    cr_assert_eq(strtod(strstr(lv, "\"n\":") + 4, NULL), 7, "two dead pixels left out");
    cr_assert_eq(r->n_plots, 1);
    cr_assert_eq(r->plots[0].kind, JOB_PLOT_SCATTER);
    cr_assert_eq(r->plots[0].n, 7, "the scatter shows the live pixels");
    job_result_free(r);

    /* PC and MZ of the input units for a given whole-graph partition. */
    int labels[19];
    for (int i = 0; i < 19; i++)
        labels[i] = 1 + i % 3;
    f.a.partition = labels;
    f.a.n_nodes = 19;
    f.a.partition_epoch = f.snaps[3]->epoch;
    f.a.partition_part = 0;
    snprintf(f.a.partition_source, sizeof f.a.partition_source, ":louvain 7");
    snprintf(f.a.map1, sizeof f.a.map1, "pc");
    snprintf(f.a.map2, sizeof f.a.map2, "mz");
    r = info_run_job("corr", corr_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    double pc[19], mz[19], rr;
    cr_assert_eq(jobs_weight_roles(f.snaps[3], labels, pc, mz, msg), ST_OK);
    cr_assert_eq(permtest_pearson(pc, mz, 9, &rr, msg), ST_OK);
    cr_assert_float_eq(r->maps[0].v[4], pc[4], 1e-12);
    cr_assert_float_eq(strtod(strstr(strbuf_cstr(&r->json), "\"r\":") + 4, NULL), rr, 1e-12);
    cr_assert(strstr(strbuf_cstr(&r->json), "\"source\":\":louvain 7\"") != NULL, "%s", strbuf_cstr(&r->json));
    job_result_free(r);
    /* The same partition said to be of another epoch is not used. */
    f.a.partition_epoch = f.snaps[3]->epoch + 1;
    r = info_run_job("corr", corr_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert(strstr(strbuf_cstr(&r->json), "\"source\":\"best of 10 Louvain runs") != NULL, "%s",
              strbuf_cstr(&r->json));
    cr_assert(strstr(strbuf_cstr(&r->text), "not used") != NULL, "%s", strbuf_cstr(&r->text));
    job_result_free(r);

    snprintf(f.a.map2, sizeof f.a.map2, "nope");
    r = info_run_job("corr", corr_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_EINVAL);
    cr_assert(strstr(r->message, "nope") != NULL, "%s", r->message);
    job_result_free(r);
    info_fixture_done(&f);
}

Test(jobs_info, ih_tabulates_the_series_and_the_units_of_the_shown_epoch)
{
    InfoFixture f;
    info_fixture_init(&f);
    JobResult *r = info_run_job("ih", ih_run, &f.a, f.snaps[2], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    double got[3];
    info_json_numbers(r, "epochs", got, 3);
    cr_assert_eq(got[2], 2, "the series stops at the shown epoch");
    cr_assert(strstr(strbuf_cstr(&r->json), "\"epochs\":[0,1,2]") != NULL, "%s", strbuf_cstr(&r->json));
    info_json_numbers(r, "ih_hl1_mean", got, 3);
    cr_assert_float_eq(got[2], 0.10, 1e-12);
    cr_assert_eq(r->n_plots, 1);
    cr_assert_eq(r->plots[0].n_series, 2);
    cr_assert_float_eq(r->plots[0].y[3 + 1], 0.02, 1e-12, "HL2's curve");
    double ih[4];
    char msg[STATUS_MSG_LEN];
    int lab[INFO_N_PROBE];
    for (int i = 0; i < INFO_N_PROBE; i++)
        lab[i] = i % 3;
    cr_assert_eq(info_hidden_ih(f.snaps[2]->acts[0], INFO_N_PROBE, 4, 4, lab, ih, msg), ST_OK);
    cr_assert_eq(r->n_maps, 2, "one IH map per hidden layer");
    for (int j = 0; j < 4; j++)
        cr_assert_float_eq(r->maps[0].v[j], ih[j], 1e-12);
    job_result_free(r);
    info_fixture_done(&f);
}

Test(jobs_info, pca_and_distances_match_direct_calls)
{
    InfoFixture f;
    info_fixture_init(&f);
    JobResult *r = info_run_job("pca", princomp_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    size_t d;
    float *x = info_activity(&f, f.snaps[3], &d);
    double ratio[19], got[19];
    size_t n80;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pca_explained_f(x, INFO_N_PROBE, d, d, 1, ratio, &n80, msg), ST_OK);
    info_json_numbers(r, "explained_ratio", got, d);
    double sum = 0.0;
    for (size_t i = 0; i < d; i++) {
        cr_assert_float_eq(got[i], ratio[i], 1e-9, "ratio %zu", i);
        sum += got[i];
    }
    cr_assert_float_eq(sum, 1.0, 1e-9, "ratios sum to 1");
    cr_assert_eq(info_json_number(r, "n80"), (double)n80, "n80 of the shown epoch follows its ratios");
    cr_assert(strstr(strbuf_cstr(&r->json), "\"epoch\":0,\"explained_top10\"") != NULL,
              "earlier epochs from the store are visited");
    cr_assert_geq(r->n_plots, 3, "the 3-D cloud and two planes");
    cr_assert_eq(r->plots[0].kind, JOB_PLOT_CLOUD);
    cr_assert_eq(r->plots[0].n, INFO_N_PROBE);
    cr_assert_eq(r->plots[0].cls[4], 1, "coloured by the probe label");
    cr_assert_not_null(r->plots[0].z, "the cloud keeps PC3 for rotation");
    cr_assert_eq(r->plots[1].kind, JOB_PLOT_SCATTER);
    job_result_free(r);

    r = info_run_job("distances", distances_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    PcaFit *fit = NULL;
    cr_assert_eq(pca_fit_f(x, INFO_N_PROBE, d, d, 1, 3, &fit, msg), ST_OK);
    double scores[INFO_N_PROBE * 3], within, between;
    int cls[INFO_N_PROBE];
    for (int i = 0; i < INFO_N_PROBE; i++)
        cls[i] = i % 3;
    cr_assert_eq(pca_transform_f(fit, x, INFO_N_PROBE, d, scores, msg), ST_OK);
    cr_assert_eq(pca_category_distances(scores, INFO_N_PROBE, 3, cls, &within, &between, msg), ST_OK);
    double w4[4], b4[4];
    info_json_numbers(r, "within", w4, 4);
    info_json_numbers(r, "between", b4, 4);
    cr_assert_float_eq(w4[3], within, 1e-9, "the shown epoch is the last entry");
    cr_assert_float_eq(b4[3], between, 1e-9);
    /* Epoch 0 projected into epoch 3's space. */
    float *x0 = info_activity(&f, f.snaps[0], &d);
    cr_assert_eq(pca_transform_f(fit, x0, INFO_N_PROBE, d, scores, msg), ST_OK);
    cr_assert_eq(pca_category_distances(scores, INFO_N_PROBE, 3, cls, &within, &between, msg), ST_OK);
    cr_assert_float_eq(w4[0], within, 1e-9);
    free(x0);
    pca_fit_free(fit);
    free(x);
    job_result_free(r);
    info_fixture_done(&f);
}

Test(jobs_info, phases_applies_the_rule_to_the_series)
{
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(4, msg);
    /* Q flat for 5 epochs while accuracy rises, then rising with it for 6,
     * then falling for 5 (a synthetic run with all three phases). */
    const double q[16] = {0.10, 0.101, 0.099, 0.10, 0.101, 0.12, 0.14, 0.16, 0.18, 0.20, 0.21,
                          0.19, 0.17, 0.16, 0.15, 0.15};
    double acc[16];
    for (int e = 0; e < 16; e++) {
        acc[e] = 0.1 + 0.05 * e;
        Snapshot *s = info_tiny_snapshot(e % 4);
        s->epoch = (size_t)e;
        /* Five Louvain runs per epoch spread over ±0.003 around the mean. */
        snapshot_set_metric(s, "q_whole", q[e] + 0.003);
        snapshot_set_metric(s, "q_whole_mean", q[e]);
        snapshot_set_metric(s, "q_whole_min", q[e] - 0.003);
        snapshot_set_metric(s, "q_whole_max", q[e] + 0.003);
        snapshot_set_metric(s, "q_hidden_mean", q[e] * 2);
        snapshot_set_metric(s, "q_hidden_min", q[e] * 2 - 0.003);
        snapshot_set_metric(s, "q_hidden_max", q[e] * 2 + 0.003);
        snapshot_set_metric(s, "q_reps", 5);
        snapshot_set_metric(s, "test_acc", acc[e]);
        cr_assert_eq(store_publish(store, s), ST_OK);
        snapshot_release(s);
    }
    Snapshot *shown = store_latest(store);
    AnalysisArgs a;
    analysis_args_init("phases", &a);
    a.store = store;
    JobResult *r = info_run_job("phases", qphases_run, &a, shown, store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    Phase lab[16];
    PhaseResult want;
    long ep[16];
    double sd[16];
    size_t runs[16];
    for (int e = 0; e < 16; e++) {
        ep[e] = e;
        sd[e] = 0.006 / trend_range_d2(5); /* the SD of the runs from their range */
        runs[e] = 5;
    }
    cr_assert_eq(phases_detect(q, sd, runs, acc, ep, 16, NULL, lab, &want, msg), ST_OK);
    cr_assert_eq(want.start[PHASE_MIDDLE], 5);
    cr_assert_neq(want.start[PHASE_LATE], -1, "the synthetic run has a late phase");
    const char *js = strbuf_cstr(&r->json);
    const char *whole = strstr(js, "\"whole\":");
    cr_assert_not_null(whole, "%s", js);
    cr_assert_float_eq(strtod(strstr(whole, "\"r_middle\":") + 11, NULL), want.r_middle, 1e-12);
    cr_assert_eq(strtod(strstr(whole, "\"peak_epoch\":") + 13, NULL), (double)want.peak);
    char span[32];
    snprintf(span, sizeof span, "\"late\":[%ld,15]", want.start_epoch[PHASE_LATE]);
    cr_assert(strstr(whole, span) != NULL, "%s in %s", span, whole);
    cr_assert_eq(r->n_plots, 3, "Q whole, Q hidden, accuracy");
    cr_assert_float_eq(r->plots[0].range[PHASE_LATE - 1][0], (double)want.start_epoch[PHASE_LATE], 1e-12,
                       "the late phase is shaded from its start");
    cr_assert(strstr(strbuf_cstr(&r->text), "Rule:") != NULL, "the rule is stated");
    cr_assert(strstr(js, "\"source\":\"recorded runs\"") != NULL, "%s", js);
    cr_assert(strstr(whole, "\"sensitivity\":[{\"alpha\":0.001") != NULL, "%s", whole);
    job_result_free(r);
    /* With R given, R new Louvain runs on each snapshot the store holds. */
    a.reps = 3;
    a.given |= (uint64_t)1 << PARAM_REPS;
    r = info_run_job("phases", qphases_run, &a, shown, store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    js = strbuf_cstr(&r->json);
    cr_assert(strstr(js, "\"source\":\"louvain runs on the saved snapshots\",\"reps\":3") != NULL, "%s", js);
    /* The store keeps the last 4 epochs (12-15): the peak is one of them. */
    whole = strstr(js, "\"whole\":");
    cr_assert_not_null(whole);
    double peak = strtod(strstr(whole, "\"peak_epoch\":") + 13, NULL);
    cr_assert(peak >= 12 && peak <= 15, "peak %g", peak);
    job_result_free(r);
    a.reps = 1;
    r = info_run_job("phases", qphases_run, &a, shown, store);
    cr_assert_eq(r->status, ST_EINVAL, "one run has no spread");
    job_result_free(r);
    snapshot_release(shown);
    store_free(store);
}

Test(jobs_info, confusion_shows_the_matrix_and_a_class_history)
{
    InfoFixture f;
    info_fixture_init(&f);
    f.a.cls = 2;
    JobResult *r = info_run_job("confusion", confusion_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert(strstr(strbuf_cstr(&r->json), "\"confusion\":[7,0,0,0,6,1,0,3,3]") != NULL, "%s",
              strbuf_cstr(&r->json));
    cr_assert_eq(r->maps[0].rows, 3);
    cr_assert(isnan(r->maps[0].v[4]), "the diagonal is left blank");
    cr_assert_float_eq(r->maps[0].v[5], 1.0 / 7.0, 1e-12, "class 1 taken for 2 once in 7");
    /* Class 2 over epochs 0..3: share predicted as 1 is (6 − e)/6. */
    double shares[12];
    info_json_numbers(r, "history_shares", shares, 12);
    for (int e = 0; e < 4; e++)
        cr_assert_float_eq(shares[e * 3 + 1], (6.0 - e) / 6.0, 1e-12, "epoch %d", e);
    job_result_free(r);
    f.a.cls = 3;
    r = info_run_job("confusion", confusion_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_EINVAL, "class 3 does not exist");
    job_result_free(r);
    info_fixture_done(&f);
}

Test(jobs_info, epochs_that_left_the_store_are_read_from_the_run_directory)
{
    InfoFixture f;
    info_fixture_init(&f);
    char msg[STATUS_MSG_LEN], root[] = "/tmp/neurotop-jobs-info-XXXXXX";
    cr_assert_not_null(mkdtemp(root));
    RunDir *rd = NULL;
    cr_assert_eq(rundir_create(root, "mlp", "{\"model\":\"mlp\"}", NULL, &rd, msg), ST_OK, "%s", msg);
    Snapshot *old = info_tiny_snapshot(1);
    old->epoch = 41; /* never published to the store */
    cr_assert_eq(rundir_save_snapshot(rd, old, NULL, NULL, 0, msg), ST_OK, "%s", msg);
    f.a.run_dir = rundir_path(rd);
    f.a.epoch_from = 41;
    JobResult *r = info_run_job("edges", edges_run, &f.a, f.snaps[3], f.store);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    WeightBlock b0[4], b3[4];
    model_blocks(&old->config, old->params, b0, 4);
    model_blocks(&f.snaps[3]->config, f.snaps[3]->params, b3, 4);
    double want = 0.0;
    for (size_t j = 0; j < 4; j++)
        want += fabs((double)b3[0].w[j] - (double)b0[0].w[j]);
    cr_assert_float_eq(r->maps[0].v[0], want, 1e-9, "pixel 0 against the saved epoch 41");
    job_result_free(r);
    snapshot_release(old);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    cr_assert_eq(system(cmd), 0);
    rundir_free(rd);
    info_fixture_done(&f);
}
