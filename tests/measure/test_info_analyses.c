/* The information analyses as one implementation each: the JSON of a
 * snapshot equals the JSON of the same data given as files (apart from the
 * context keys and the snapshot's own keys), and the result structs hold
 * hand-computed values. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/matrix.h"
#include "neurotop/data/idx.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/info_confusion.h"
#include "neurotop/measure/info_corr.h"
#include "neurotop/measure/info_edges.h"
#include "neurotop/measure/info_mi.h"
#include "neurotop/measure/info_pca.h"
#include "neurotop/measure/info_transport.h"

#include "info_fixture.h"

/* ---- comparing the JSON of two runs -------------------------------------- */

static int same_value(const JsonValue *a, const JsonValue *b)
{
    if (a->type != b->type || a->count != b->count)
        return 0;
    switch (a->type) {
    case JSON_NULL:
        return 1;
    case JSON_BOOL:
        return a->boolean == b->boolean;
    case JSON_NUMBER:
        return a->number == b->number;
    case JSON_STRING:
        return strcmp(a->string, b->string) == 0;
    case JSON_ARRAY:
    case JSON_OBJECT:
        for (size_t i = 0; i < a->count; i++) {
            if (a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0)
                return 0;
            if (!same_value(&a->items[i], &b->items[i]))
                return 0;
        }
        return 1;
    }
    return 0;
}

static int listed(const char *key, const char *const *keys)
{
    for (size_t i = 0; keys && keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return 1;
    return 0;
}

/* The snapshot's document opens with "epoch": epoch; without it and the
 * keys `own` (the snapshot's own, which must come after the shared ones)
 * it holds exactly the files' keys, in order, with equal values. */
static void expect_same_json(const JobResult *snap, const JobResult *files, size_t epoch, const char *const *own)
{
    char msg[STATUS_MSG_LEN];
    JsonDoc *ds = NULL, *df = NULL;
    const char *ts = strbuf_cstr(&snap->json), *tf = strbuf_cstr(&files->json);
    cr_assert_eq(json_parse(ts, strlen(ts), "snapshot", NULL, &ds, msg), ST_OK, "%s", msg);
    cr_assert_eq(json_parse(tf, strlen(tf), "files", NULL, &df, msg), ST_OK, "%s", msg);
    const JsonValue *s = json_doc_root(ds), *f = json_doc_root(df);
    cr_assert(s->count > 0 && strcmp(s->keys[0], "epoch") == 0, "the context comes first: %s", ts);
    cr_assert_eq(json_integer(&s->items[0], -1), (long long)epoch);
    size_t k = 0, seen_own = 0;
    for (size_t i = 1; i < s->count; i++) {
        if (listed(s->keys[i], own)) {
            seen_own++;
            continue;
        }
        cr_assert_eq(seen_own, 0, "shared key %s after the snapshot's own", s->keys[i]);
        cr_assert_lt(k, f->count, "the snapshot has a key %s the files lack", s->keys[i]);
        cr_assert_str_eq(s->keys[i], f->keys[k]);
        cr_assert(same_value(&s->items[i], &f->items[k]), "key %s differs:\n%s\n%s", s->keys[i], ts, tf);
        k++;
    }
    cr_assert_eq(k, f->count, "every key of the files is in the snapshot's JSON");
    json_doc_free(ds);
    json_doc_free(df);
}

/* The analyze form: `analyze KIND argv...` parsed and run here. */
static JobResult *run_files(const char *kind, int argc, const char *const *argv)
{
    char msg[STATUS_MSG_LEN];
    const AnalysisSpec *spec = analysis_find(kind);
    cr_assert_not_null(spec);
    AnalysisArgs a;
    cr_assert_eq(params_parse_options(spec->uses, spec->n_uses, 0, argc, argv, &a, msg), ST_OK, "%s", msg);
    analysis_args_finish(spec, &a, 0);
    JobResult *r = NULL;
    cr_assert_eq(analysis_run_now(spec, NULL, &a, &r, msg), ST_OK, "%s", msg);
    return r;
}

static JobResult *run_snapshot(const char *kind, const Snapshot *s, const AnalysisArgs *a)
{
    char msg[STATUS_MSG_LEN];
    JobResult *r = NULL;
    cr_assert_eq(analysis_run_now(analysis_find(kind), s, a, &r, msg), ST_OK, "%s", msg);
    return r;
}

static void write_csv(const char *path, const double *v, size_t rows, size_t cols)
{
    char msg[STATUS_MSG_LEN];
    Matrix *m = matrix_new(rows, cols);
    cr_assert_not_null(m);
    memcpy(m->data, v, rows * cols * sizeof *v);
    cr_assert_eq(csv_write_matrix(path, m, msg), ST_OK, "%s", msg);
    matrix_free(m);
}

static void remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---- snapshot = files ---------------------------------------------------- */

Test(info_analyses, mi_of_a_snapshot_is_mi_of_its_training_images)
{
    InfoFixture f;
    info_fixture_init(&f);
    char msg[STATUS_MSG_LEN], dir[] = "/tmp/neurotop-info-mi-XXXXXX", img[64], lab[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(img, sizeof img, "%s/images.idx", dir);
    snprintf(lab, sizeof lab, "%s/labels.idx.gz", dir);
    cr_assert_eq(idx_write_images(img, &f.d->train, msg), ST_OK, "%s", msg);
    cr_assert_eq(idx_write_labels(lab, f.d->train.labels, f.d->train.n, msg), ST_OK, "%s", msg);
    JobResult *snap = run_snapshot("mi", f.snaps[3], &f.a);
    const char *argv[] = {"--images", img, "--labels", lab};
    JobResult *files = run_files("mi", 4, argv);
    expect_same_json(snap, files, 3, NULL);
    cr_assert_eq(snap->n_maps, 2, "the IP and ID maps");
    job_result_free(snap);
    job_result_free(files);
    remove_dir(dir);
    info_fixture_done(&f);
}

Test(info_analyses, corr_of_a_snapshot_is_permtest_of_its_maps)
{
    InfoFixture f;
    info_fixture_init(&f);
    char msg[STATUS_MSG_LEN], dir[] = "/tmp/neurotop-info-corr-XXXXXX", pa[64], pb[64];
    cr_assert_not_null(mkdtemp(dir));
    PixelInfoView v;
    cr_assert_eq(pixel_info_get(f.pi, &v, msg), ST_OK);
    snprintf(pa, sizeof pa, "%s/ip.csv", dir);
    snprintf(pb, sizeof pb, "%s/mean.csv", dir);
    write_csv(pa, v.ip, 3, 3);
    write_csv(pb, v.mean, 3, 3);
    snprintf(f.a.map1, sizeof f.a.map1, "ip");
    snprintf(f.a.map2, sizeof f.a.map2, "mean");
    f.a.perms = 300;
    f.a.seed = 9;
    JobResult *snap = run_snapshot("permtest", f.snaps[3], &f.a);
    const char *argv[] = {"--a", pa, "--b", pb, "--perms", "300", "--seed", "9"};
    JobResult *files = run_files("permtest", 8, argv);
    static const char *const own[] = {"map1", "map2", "live", NULL};
    expect_same_json(snap, files, 3, own);
    cr_assert(strstr(strbuf_cstr(&snap->json), "\"live\":{\"n\":7,") != NULL, "%s", strbuf_cstr(&snap->json));
    job_result_free(snap);
    job_result_free(files);
    remove_dir(dir);
    info_fixture_done(&f);
}

Test(info_analyses, pca_of_a_snapshot_is_pca_of_its_standardised_activity)
{
    InfoFixture f;
    info_fixture_init(&f);
    char dir[] = "/tmp/neurotop-info-pca-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    size_t d;
    float *x = info_activity(&f, f.snaps[3], &d);
    double *xd = malloc(INFO_N_PROBE * d * sizeof *xd);
    for (size_t i = 0; i < INFO_N_PROBE * d; i++)
        xd[i] = x[i];
    snprintf(path, sizeof path, "%s/activity.csv", dir);
    write_csv(path, xd, INFO_N_PROBE, d);
    JobResult *snap = run_snapshot("pca", f.snaps[3], &f.a);
    const char *argv[] = {"--matrix", path, "--standardize"};
    JobResult *files = run_files("pca", 3, argv);
    static const char *const own[] = {"units", "with_input", "over_epochs", "projection", NULL};
    expect_same_json(snap, files, 3, own);
    free(xd);
    free(x);
    job_result_free(snap);
    job_result_free(files);
    remove_dir(dir);
    info_fixture_done(&f);
}

Test(info_analyses, each_analysis_refuses_the_input_it_does_not_take)
{
    InfoFixture f;
    info_fixture_init(&f);
    char msg[STATUS_MSG_LEN];
    static const char *const snapshot_only[] = {"ih", "edges", "distances", "phases", "confusion"};
    for (size_t i = 0; i < 5; i++) {
        JobResult *r = NULL;
        cr_assert_eq(analysis_run_now(analysis_find(snapshot_only[i]), NULL, &f.a, &r, msg), ST_EINVAL,
                     "%s without a snapshot", snapshot_only[i]);
        cr_assert(strstr(msg, "snapshot") != NULL, "%s", msg);
    }
    JobResult *r = NULL;
    cr_assert_eq(analysis_run_now(analysis_find("emd"), f.snaps[3], &f.a, &r, msg), ST_EINVAL);
    cr_assert(strstr(msg, "files only") != NULL, "%s", msg);
    info_fixture_done(&f);
}

/* ---- hand-computed results ----------------------------------------------- */

/* Four images of 1×3 pixels, classes 0, 0, 1, 1: pixel 0 is on exactly
 * for class 1, pixel 1 never, pixel 2 always. */
Test(info_analyses, mi_of_three_pixels_by_hand)
{
    char msg[STATUS_MSG_LEN];
    ImageSet set;
    cr_assert_eq(imageset_alloc(&set, 4, 1, 3, msg), ST_OK);
    const uint8_t px[12] = {0, 0, 90, 0, 0, 90, 200, 0, 90, 200, 0, 90};
    const uint8_t lab[4] = {0, 0, 1, 1};
    memcpy(set.pixels, px, sizeof px);
    memcpy(set.labels, lab, sizeof lab);
    MiResult r;
    cr_assert_eq(mi_compute(&set, &r, msg), ST_OK, "%s", msg);
    /* Pixel 0 tells the class: MI = H(class) = 1 bit; when on, the class
     * is 1 for sure: ID = 1·log2(1/0.5) = 1 bit; it is on from θ = 0. */
    cr_assert_float_eq(r.ip[0], 1.0, 1e-12);
    cr_assert_float_eq(r.id[0], 1.0, 1e-12);
    cr_assert_eq(r.theta[0], 0);
    for (int p = 1; p < 3; p++) {
        cr_assert_float_eq(r.ip[p], 0.0, 1e-12, "pixel %d tells nothing", p);
        cr_assert_float_eq(r.id[p], 0.0, 1e-12);
    }
    cr_assert_eq(r.n, 4);
    cr_assert_eq(r.n_live, 2, "pixel 1 is never on");
    cr_assert_eq(r.live[1], 0);
    cr_assert_eq(r.ip_argmax, 0);
    cr_assert_float_eq(r.ip_mean_live, 0.5, 1e-12, "(1 + 0) / 2 live pixels");
    cr_assert_float_eq(r.r_ip_id, 1.0, 1e-12, "IP and ID are the same map");
    cr_assert(isnan(r.r_ip_id_live), "two live pixels have no r");
    mi_result_done(&r);
    mi_result_done(&r); /* safe on a done result */
    set.n = 0;
    cr_assert_eq(mi_compute(&set, &r, msg), ST_EINVAL);
    imageset_done(&set);
}

Test(info_analyses, corr_by_hand_over_all_and_live_entries)
{
    char msg[STATUS_MSG_LEN];
    double a[5] = {1, 2, 3, 4, 100}, b[5] = {2, 4, 6, 8, -50};
    unsigned char live[5] = {1, 1, 1, 1, 0};
    CorrMaps m = {.n = 5, .a = a, .b = b, .live = live};
    CorrResult r;
    cr_assert_eq(corr_compute(&m, 999, 4, &r, msg), ST_OK, "%s", msg);
    /* Deviations (-21,-20,-19,-18,78) and (8,10,12,14,-44):
     * r = -4280 / sqrt(7610 · 2440). */
    cr_assert_float_eq(r.all.r, -4280.0 / sqrt(7610.0 * 2440.0), 1e-12);
    cr_assert_eq(r.all.n, 5);
    cr_assert_eq(r.all.perms, 999);
    cr_assert_float_eq(r.all.p, (1.0 + (double)r.all.exceed) / 1000.0, 1e-15);
    cr_assert(r.have_live);
    cr_assert_float_eq(r.live.r, 1.0, 1e-12, "b = 2a on the live entries");
    cr_assert_eq(r.live.n, 4);
    /* Of the 24 orders of 4 entries, the identity and its reverse reach
     * |r| = 1: about one permutation in 12. */
    cr_assert(r.live.exceed > 999 / 24 && r.live.exceed < 3 * 999 / 12, "exceed %zu", r.live.exceed);
    unsigned char two[5] = {1, 1, 0, 0, 0};
    m.live = two;
    cr_assert_eq(corr_compute(&m, 10, 4, &r, msg), ST_OK, "a live row of 2 entries is no error");
    cr_assert(!r.have_live);
    cr_assert(r.live_problem[0] != '\0');
    double flat[5] = {1, 1, 1, 1, 1};
    m.b = flat;
    m.live = NULL;
    cr_assert_eq(corr_compute(&m, 10, 4, &r, msg), ST_EINVAL, "a constant map has no r");
}

Test(info_analyses, pca_ratios_by_hand)
{
    char msg[STATUS_MSG_LEN];
    /* Column variances 8/3 and 2/3, uncorrelated: ratios 0.8 and 0.2;
     * standardised both are 1: 0.5 and 0.5. */
    const double x[8] = {2, 0, 0, 1, -2, 0, 0, -1};
    PrincompResult r;
    cr_assert_eq(princomp_compute(x, 4, 2, 0, &r, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(r.ratio[0], 0.8, 1e-12);
    cr_assert_float_eq(r.ratio[1], 0.2, 1e-12);
    cr_assert_eq(r.n80, 1);
    cr_assert_eq(r.d, 2);
    princomp_result_done(&r);
    cr_assert_eq(princomp_compute(x, 4, 2, 1, &r, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(r.ratio[0], 0.5, 1e-12);
    cr_assert_eq(r.n80, 2);
    princomp_result_done(&r);
    cr_assert_eq(princomp_compute(x, 1, 2, 0, &r, msg), ST_EINVAL, "one row has no variance");
}

/* A 3-2-2 network whose weights go from 0 to: α row i = (i+1)/2 in both
 * columns, β = 0.5. */
Test(info_analyses, edges_by_hand)
{
    char msg[STATUS_MSG_LEN];
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {3, 2, 2}};
    size_t n = model_param_count(&c);
    Snapshot *s0 = snapshot_new(&c, NULL, n, 0), *s1 = snapshot_new(&c, NULL, n, 0);
    s1->epoch = 4;
    for (size_t i = 0; i < n; i++) {
        s0->params[i] = 0.0f;
        s1->params[i] = 0.5f;
    }
    WeightBlock b[MODEL_MAX_LAYERS];
    cr_assert_eq(model_blocks(&c, s1->params, b, MODEL_MAX_LAYERS), 2);
    size_t off = (size_t)(b[0].w - s1->params);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++)
            s1->params[off + i * 2 + j] = 0.5f * (float)(i + 1);
    double ip[3] = {0, 1, 2}, mean[3] = {3, 2, 1};
    unsigned char live[3] = {1, 1, 1};
    PixelInfoView v = {.n_pixels = 3, .rows = 1, .cols = 3, .ip = ip, .mean = mean, .live = live, .n_live = 3};
    EdgesResult r;
    cr_assert_eq(edges_compute(s0, s1, &v, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.from, 0);
    cr_assert_eq(r.to, 4);
    cr_assert_eq(r.n_blocks, 2);
    cr_assert_str_eq(r.blocks[0].name, "alpha");
    for (size_t i = 0; i < 3; i++)
        cr_assert_float_eq(r.blocks[0].per_source[i], (double)(i + 1), 1e-6, "2 × (i+1)/2");
    cr_assert_float_eq(r.blocks[0].sum, 6.0, 1e-6);
    cr_assert_float_eq(r.blocks[1].per_source[1], 1.0, 1e-6, "2 × 0.5");
    cr_assert_float_eq(r.blocks[1].sum, 2.0, 1e-6);
    cr_assert_float_eq(r.r_ip, 1.0, 1e-12, "α rises with IP");
    cr_assert_float_eq(r.r_mean, -1.0, 1e-12);
    cr_assert_float_eq(r.r_ip_live, 1.0, 1e-12);
    cr_assert_eq(r.rows, 1);
    edges_result_done(&r);
    cr_assert_eq(edges_compute(s0, s1, NULL, &r, msg), ST_OK);
    cr_assert(isnan(r.r_ip) && !r.have_pixels, "no pixels, no r");
    edges_result_done(&r);
    snapshot_release(s0);
    snapshot_release(s1);
}

Test(info_analyses, confusion_by_hand)
{
    char msg[STATUS_MSG_LEN];
    Snapshot *s = info_tiny_snapshot(3); /* rows 7 0 0 | 0 6 1 | 0 3 3 */
    AnalysisArgs a;
    analysis_args_init("confusion", &a);
    ConfusionResult r;
    cr_assert_eq(confusion_compute(NULL, s, &a, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.k, 3);
    cr_assert_eq(r.counts[7], 3);
    cr_assert(isnan(r.shares[0]) && isnan(r.shares[4]), "the diagonal is blank");
    cr_assert_float_eq(r.shares[5], 1.0 / 7.0, 1e-12);
    cr_assert_eq(r.n_top, 2, "two confusions are not zero");
    cr_assert_eq(r.top_true[0], 2);
    cr_assert_eq(r.top_pred[0], 1);
    cr_assert_float_eq(r.top_share[0], 0.5, 1e-12, "3 of 6");
    cr_assert_eq(r.top_true[1], 1);
    cr_assert_float_eq(r.top_share[1], 1.0 / 7.0, 1e-12);
    cr_assert_eq(r.cls, -1);
    confusion_result_done(&r);
    a.cls = 1;
    cr_assert_eq(confusion_compute(NULL, s, &a, &r, msg), ST_OK, "%s", msg);
    cr_assert_eq(r.n_history, 1, "without a run, the shown epoch alone");
    cr_assert_eq(r.n_taken, 2, "class 1 is taken for 0 and 2");
    cr_assert_eq(r.taken[0], 2);
    confusion_result_done(&r);
    a.cls = 3;
    cr_assert_eq(confusion_compute(NULL, s, &a, &r, msg), ST_EINVAL);
    snapshot_release(s);
}

Test(info_analyses, emd_and_assign_by_hand)
{
    char msg[STATUS_MSG_LEN];
    const double a[4] = {1, 0, 0, 0}, b[4] = {0, 0, 0, 2};
    TransportEmdResult e;
    cr_assert_eq(transport_emd_compute(a, b, 1, 4, &e, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(e.emd, 3.0, 1e-12, "all the mass moves three pixels");
    /* The cheapest of the 6 assignments: 1 + 2 + 2. */
    const double cost[9] = {4, 1, 3, 2, 0, 5, 3, 2, 2};
    TransportAssignResult r;
    cr_assert_eq(transport_assign_compute(cost, 3, &r, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(r.cost, 5.0, 1e-12);
    cr_assert_eq(r.assignment[0], 1);
    cr_assert_eq(r.assignment[1], 0);
    cr_assert_eq(r.assignment[2], 2);
    StrBuf sb;
    strbuf_init(&sb);
    JsonWriter w;
    json_init(&w, &sb);
    transport_assign_json(&r, &w);
    cr_assert_str_eq(strbuf_cstr(&sb), "{\"assignment\":[1,0,2],\"cost\":5}");
    strbuf_done(&sb);
    transport_assign_result_done(&r);
}
