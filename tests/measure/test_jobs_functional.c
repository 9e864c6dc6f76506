#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/analysis/flexibility.h"
#include "neurotop/analysis/moments.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/rng.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/func.h"
#include "neurotop/measure/metrics_activity.h"

#define N_PROBE 80
#define P 6

static const int GROUP[P] = {0, 0, 1, 0, 1, 1}; /* HL1#1..3, HL2#1..3 */

/* A 5-3-3-2 network: the hidden units follow latent signal A or B by
 * GROUP, plus `common` times a signal shared by all six (the common mode of
 * HebbFF while its plasticity rate grows), plus small noise. The output is a two-class softmax
 * (its columns sum to 1, so their covariance is singular). */
static Snapshot *grouped_snapshot(double common)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {5, 3, 3, 2}};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), N_PROBE);
    cr_assert_not_null(s);
    s->epoch = 4;
    Rng r;
    rng_seed(&r, 21, 0);
    for (size_t i = 0; i < N_PROBE; i++) {
        double latent[2] = {rng_normal(&r), rng_normal(&r)}, shared = rng_normal(&r);
        for (size_t j = 0; j < P; j++) {
            float v = (float)(0.5 + 0.2 * latent[GROUP[j]] + 0.2 * common * shared + 0.03 * rng_normal(&r));
            if (j < 3)
                s->acts[0][i * 3 + j] = v;
            else
                s->acts[1][i * 3 + j - 3] = v;
        }
        s->acts[2][i * 2] = (float)rng_uniform(&r);
        s->acts[2][i * 2 + 1] = 1.0f - s->acts[2][i * 2];
    }
    return s;
}

static void hidden_matrix(const Snapshot *s, float *x)
{
    for (size_t i = 0; i < N_PROBE; i++)
        for (size_t j = 0; j < P; j++)
            x[i * P + j] = j < 3 ? s->acts[0][i * 3 + j] : s->acts[1][i * 3 + j - 3];
}

static JobResult *run_job(const char *name, JobFn fn, const AnalysisArgs *a, Snapshot *s)
{
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(2, msg);
    JobRunner *jr = NULL;
    cr_assert_eq(jobrunner_new(store, &jr, msg), ST_OK);
    cr_assert_eq(jobrunner_submit(jr, name, fn, a, s, msg), ST_OK, "%s", msg);
    JobResult *r = NULL;
    for (int i = 0; i < 20000 && !r; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        r = jobrunner_take_result(jr);
    }
    cr_assert_not_null(r, "the job finished");
    jobrunner_free(jr);
    store_free(store);
    return r;
}

static JsonDoc *parse(const JobResult *r)
{
    JsonDoc *doc = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(json_parse(strbuf_cstr(&r->json), r->json.len, "result", NULL, &doc, msg), ST_OK, "%s", msg);
    return doc;
}

/* Two JSON values written alike: same type, numbers bit for bit, members
 * in the same order. */
static int json_same(const JsonValue *a, const JsonValue *b)
{
    if (!a || !b || a->type != b->type)
        return 0;
    switch (a->type) {
    case JSON_NULL:
        return 1;
    case JSON_BOOL:
        return a->boolean == b->boolean;
    case JSON_NUMBER:
        return a->is_integer == b->is_integer && memcmp(&a->number, &b->number, sizeof a->number) == 0;
    case JSON_STRING:
        return a->string_len == b->string_len && memcmp(a->string, b->string, a->string_len) == 0;
    case JSON_ARRAY:
    case JSON_OBJECT:
        if (a->count != b->count)
            return 0;
        for (size_t i = 0; i < a->count; i++)
            if ((a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0) ||
                !json_same(&a->items[i], &b->items[i]))
                return 0;
        return 1;
    }
    return 0;
}

static int listed(const char *key, const char *const *keys)
{
    for (size_t i = 0; keys && keys[i]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

/* The snapshot's object holds every key of the files documents with the
 * same value, and otherwise only the keys listed in own (NULL-ended). */
static void assert_files_keys_in(const JsonValue *snap, const JsonValue *const *files, size_t n_files,
                                 const char *const *own)
{
    cr_assert_eq(snap->type, JSON_OBJECT);
    for (size_t d = 0; d < n_files; d++)
        for (size_t i = 0; i < files[d]->count; i++) {
            const char *k = files[d]->keys[i];
            cr_assert(json_same(json_get(snap, k), &files[d]->items[i]), "key %s: the snapshot's value differs", k);
            cr_assert(!listed(k, own), "key %s is shared, not the snapshot's own", k);
        }
    for (size_t i = 0; i < snap->count; i++) {
        int shared = 0;
        for (size_t d = 0; d < n_files; d++)
            shared |= json_get(files[d], snap->keys[i]) != NULL;
        cr_assert(shared || listed(snap->keys[i], own), "unexpected key %s", snap->keys[i]);
    }
}

/* Run an analysis here and now, on s or (s NULL) on files. */
static JsonDoc *run_now(const char *name, const Snapshot *s, const AnalysisArgs *a)
{
    const AnalysisSpec *spec = analysis_find(name);
    cr_assert_not_null(spec);
    JobResult *r = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(analysis_run_now(spec, s, a, &r, msg), ST_OK, "%s: %s", name, msg);
    JsonDoc *doc = parse(r);
    job_result_free(r);
    return doc;
}

/* The arguments of `analyze NAME --OPTION path` (no other option). */
static AnalysisArgs files_args(const char *name, ParamId option, const char *path)
{
    const AnalysisSpec *spec = analysis_find(name);
    AnalysisArgs a;
    params_defaults(spec->uses, spec->n_uses, &a);
    a.files[option] = path;
    analysis_args_finish(spec, &a, 0);
    return a;
}

static void write_csv(const char *path, double *v, size_t rows, size_t cols)
{
    char msg[STATUS_MSG_LEN];
    Matrix m = {rows, cols, v};
    cr_assert_eq(csv_write_matrix(path, &m, msg), ST_OK, "%s", msg);
}

static AnalysisArgs flex_args(void)
{
    AnalysisArgs a;
    analysis_args_init("flex", &a);
    a.reps = 5;
    a.windows = 4;
    a.seed = 3;
    /* Windows of the probe (on this MLP: subsamples); epochs as slices are
     * tested in test_flex_epochs.c. */
    snprintf(a.slices, sizeof a.slices, "probe");
    return a;
}

Test(jobs_functional, flex_finds_the_two_groups_and_reports_its_own_partition)
{
    Snapshot *s = grouped_snapshot(0.0);
    AnalysisArgs a = flex_args();
    JobResult *r = run_job("flex", job_flex, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    const char *text = strbuf_cstr(&r->text);
    cr_assert(strstr(text, "HL1+HL2 (6 units)") != NULL, "%s", text);
    cr_assert(strstr(text, "4 windows of 20") != NULL, "%s", text);
    cr_assert(strstr(text, "2 communities") != NULL, "%s", text);
    cr_assert(strstr(text, "system flexibility 0.0000") != NULL, "%s", text);
    cr_assert(strstr(text, "collapsed") == NULL, "two modules are no collapse");

    JsonDoc *doc = parse(r);
    const JsonValue *root = json_doc_root(doc), *parts = json_get(root, "partitions");
    cr_assert_eq(parts->count, 4);
    int labels[4 * P];
    for (size_t l = 0; l < 4; l++)
        for (size_t i = 0; i < P; i++)
            labels[l * P + i] = (int)json_integer(json_at(json_at(parts, l), i), -1);
    /* Independent Q: the reported partition on a multislice built here. */
    float x[N_PROBE * P];
    hidden_matrix(s, x);
    double win[4 * P * P];
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_windows_f(x, N_PROBE, P, P, 4, 20, 0, win, msg), ST_OK);
    Matrix views[4];
    const Matrix *layers[4];
    for (size_t l = 0; l < 4; l++) {
        views[l] = (Matrix){P, P, win + l * P * P};
        layers[l] = &views[l];
    }
    Multislice *ms = NULL;
    cr_assert_eq(multislice_new(P, 4, &ms, msg), ST_OK);
    cr_assert_eq(multislice_build(ms, layers, 4, 1.0, 1.0, MOD_SIGN_SYM, msg), ST_OK);
    double q;
    cr_assert_eq(multislice_quality(ms, labels, &q, msg), ST_OK);
    cr_assert_float_eq(json_number(json_get(root, "Q"), NAN), q, 1e-12);
    cr_assert(q > 0.2, "two clean modules in every window give a clear Q (%g)", q);
    cr_assert_eq(json_integer(json_get(root, "n_communities"), -1), 2);
    cr_assert_float_eq(json_number(json_get(root, "system"), NAN), 0.0, 0);
    const JsonValue *node = json_get(root, "node");
    cr_assert_eq(node->count, P);
    for (size_t i = 0; i < P; i++)
        cr_assert_float_eq(json_number(json_at(node, i), NAN), 0.0, 0, "no unit changes community");
    for (size_t l = 0; l < 4; l++)
        for (size_t i = 0; i < P; i++)
            for (size_t j = 0; j < P; j++)
                cr_assert_eq(labels[l * P + i] == labels[l * P + j], GROUP[i] == GROUP[j]);
    /* Maps: allegiance by module (6×6 blocks of 1 and 0), communities per
     * window (6 units × 4 windows), flexibility per unit. */
    cr_assert_eq(r->n_maps, 3);
    const JsonValue *order = json_get(root, "module_order");
    cr_assert_eq(order->count, P);
    const JobMap *al = &r->maps[0];
    cr_assert(al->rows == P && al->cols == P);
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j < P; j++) {
            size_t u = (size_t)json_integer(json_at(order, i), -1), v = (size_t)json_integer(json_at(order, j), -1);
            cr_assert_float_eq(al->v[i * P + j], GROUP[u] == GROUP[v] ? 1.0 : 0.0, 0);
            cr_assert_eq(GROUP[u] == GROUP[v], (i < 3) == (j < 3), "ordered by module: two 3×3 blocks");
        }
    cr_assert(r->maps[1].rows == P && r->maps[1].cols == 4);
    cr_assert_eq(r->n_plots, 1, "communities per window");
    cr_assert_float_eq(r->plots[0].y[0], 2.0, 0);
    json_doc_free(doc);
    multislice_free(ms);
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_functional, allegiance_matrix_is_that_of_the_partition)
{
    Snapshot *s = grouped_snapshot(0.0);
    AnalysisArgs a = flex_args();
    JobResult *r = run_job("allegiance", job_allegiance, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert(strstr(strbuf_cstr(&r->text), "within modules 1.000, between modules 0.000") != NULL, "%s",
              strbuf_cstr(&r->text));
    JsonDoc *doc = parse(r);
    const JsonValue *m = json_get(json_doc_root(doc), "matrix");
    cr_assert_eq(m->count, P);
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j < P; j++) {
            double v = json_number(json_at(json_at(m, i), j), NAN);
            cr_assert_float_eq(v, json_number(json_at(json_at(m, j), i), NAN), 0, "symmetric");
            cr_assert_float_eq(v, i == j || GROUP[i] == GROUP[j] ? 1.0 : 0.0, 0);
        }
    const JsonValue *b = json_get(json_doc_root(doc), "module_bounds");
    cr_assert_eq(b->count, 3);
    cr_assert_eq(json_integer(json_at(b, 1), -1), 3);
    cr_assert_eq(r->n_maps, 1);
    /* Same arguments, same seed: the partition of :flex, hence its Q. */
    JobResult *f = run_job("flex", job_flex, &a, s);
    cr_assert_eq(f->status, ST_OK, "%s", f->message);
    JsonDoc *fdoc = parse(f);
    double qa = json_number(json_get(json_doc_root(doc), "Q"), NAN);
    double qf = json_number(json_get(json_doc_root(fdoc), "Q"), 1.0);
    cr_assert(memcmp(&qa, &qf, sizeof qa) == 0, ":allegiance %.17g, :flex %.17g", qa, qf);
    cr_assert(json_same(json_get(json_doc_root(doc), "partitions"), json_get(json_doc_root(fdoc), "partitions")),
              "the partition of :flex");
    json_doc_free(fdoc);
    job_result_free(f);
    json_doc_free(doc);
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_functional, fc_matrix_histogram_and_the_mean_regressed_variant)
{
    /* A strong common mode: every r positive, as in HebbFF while eta grows. */
    Snapshot *s = grouped_snapshot(2.0);
    AnalysisArgs a;
    analysis_args_init("fc", &a);
    JobResult *r = run_job("fc", job_fc, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    float x[N_PROBE * P];
    hidden_matrix(s, x);
    double c[P * P], mean, mabs;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(fc_correlation_f(x, N_PROBE, P, P, FC_ZERO_DIAGONAL, c, NULL, msg), ST_OK);
    cr_assert_eq(fc_summary(c, P, &mean, &mabs, msg), ST_OK);
    cr_assert(mean > 0.5, "the common mode makes r positive (%g)", mean);
    cr_assert_eq(r->n_maps, 2);
    cr_assert(r->maps[1].rows == P && r->maps[1].cols == P);
    JsonDoc *doc = parse(r);
    const JsonValue *root = json_doc_root(doc);
    /* The maps show r clipped at twice the mean |r| (at most 1). */
    double scale = json_number(json_get(root, "map_scale"), NAN);
    cr_assert_float_eq(scale, fmin(1.0, 2.0 * mabs), 1e-15);
    for (size_t i = 0; i < P * P; i++)
        cr_assert_float_eq(r->maps[1].v[i], fmin(scale, fmax(-scale, c[i])), 0,
                           "the unit-order map is the (clipped) correlation matrix");
    cr_assert_float_eq(json_number(json_get(root, "mean"), NAN), mean, 1e-15);
    cr_assert_float_eq(json_number(json_get(root, "mean_abs"), NAN), mabs, 1e-15);
    const JsonValue *h = json_get(root, "histogram");
    long long total = 0;
    for (size_t b = 0; b < h->count; b++)
        total += json_integer(json_at(h, b), 0);
    cr_assert_eq(total, 15, "6 units: 15 pairs");
    cr_assert(strstr(strbuf_cstr(&r->text), "try :fc --regress-mean") != NULL);
    json_doc_free(doc);
    job_result_free(r);

    a.regress_mean = 1;
    r = run_job("fc", job_fc, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert_eq(fc_correlation_f(x, N_PROBE, P, P, FC_ZERO_DIAGONAL | FC_REGRESS_MEAN, c, NULL, msg), ST_OK);
    doc = parse(r);
    root = json_doc_root(doc);
    scale = json_number(json_get(root, "map_scale"), NAN);
    for (size_t i = 0; i < P * P; i++)
        cr_assert_float_eq(r->maps[1].v[i], fmin(scale, fmax(-scale, c[i])), 0);
    /* The module-order map is the same matrix permuted into two 3×3 blocks
     * of one group each: positive within, negative between (zero diagonal). */
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j < P; j++) {
            double v = r->maps[0].v[i * P + j];
            if (i != j && (i < 3) == (j < 3))
                cr_assert(v > 0.5 * scale, "within block %zu,%zu: %g", i, j, v);
            else
                cr_assert(v <= 0.0, "between blocks %zu,%zu: %g", i, j, v);
        }
    double reg = json_number(json_get(root, "mean"), NAN);
    cr_assert(reg < 0.0, "without the common mode, the two groups anti-correlate on average (%g)", reg);
    const JsonValue *mod = json_get(root, "modules");
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j < P; j++)
            cr_assert_eq(json_integer(json_at(mod, i), 0) == json_integer(json_at(mod, j), 0), GROUP[i] == GROUP[j],
                         "the regressed network shows the two groups");
    json_doc_free(doc);
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_functional, flex_says_when_the_network_collapsed)
{
    Snapshot *s = grouped_snapshot(4.0);
    AnalysisArgs a = flex_args();
    JobResult *r = run_job("flex", job_flex, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert(strstr(strbuf_cstr(&r->text), "collapsed") != NULL, "%s", strbuf_cstr(&r->text));
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_functional, moments_per_layer_match_direct_calls)
{
    Snapshot *s = grouped_snapshot(0.5);
    AnalysisArgs a;
    analysis_args_init("moments", &a);
    JobResult *r = run_job("moments", job_moments, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    JsonDoc *doc = parse(r);
    const JsonValue *rows = json_get(json_doc_root(doc), "layers");
    cr_assert_eq(rows->count, 4, "HL1, HL2, all hidden, output");
    static const char *const names[] = {"HL1", "HL2", "all hidden", "output"};
    float x[N_PROBE * P];
    hidden_matrix(s, x);
    const float *vals[] = {s->acts[0], s->acts[1], x, s->acts[2]};
    const size_t n[] = {N_PROBE * 3, N_PROBE * 3, N_PROBE * P, N_PROBE * 2};
    char msg[STATUS_MSG_LEN];
    for (size_t k = 0; k < 4; k++) {
        const JsonValue *row = json_at(rows, k);
        cr_assert_str_eq(json_as_string(json_get(row, "layer"), ""), names[k]);
        Moments m;
        cr_assert_eq(moments_compute_f(vals[k], n[k], 1, &m, msg), ST_OK);
        cr_assert_float_eq(json_number(json_get(row, "mean"), NAN), m.mean, 1e-15);
        cr_assert_float_eq(json_number(json_get(row, "std"), NAN), m.std, 1e-15);
        cr_assert_float_eq(json_number(json_get(row, "skewness"), NAN), m.skewness, 1e-12);
        cr_assert_float_eq(json_number(json_get(row, "kurtosis"), NAN), m.kurtosis, 1e-12);
    }
    /* The two softmax outputs sum to 1: singular without the ridge. */
    cr_assert_eq(json_get(json_at(rows, 3), "ridge_needed")->boolean, 1);
    cr_assert_eq(json_get(json_at(rows, 0), "ridge_needed")->boolean, 0);
    cr_assert(strstr(strbuf_cstr(&r->text), " ridge\n") != NULL, "%s", strbuf_cstr(&r->text));
    cr_assert_eq(r->n_plots, 1);
    cr_assert_eq(r->plots[0].n_series, 2, "one activation histogram per hidden layer");
    json_doc_free(doc);
    job_result_free(r);
    snapshot_release(s);
}

Test(jobs_functional, bad_layers_and_short_probes_are_one_sentence)
{
    Snapshot *s = grouped_snapshot(0.0);
    AnalysisArgs a = flex_args();
    a.layer = 3;
    JobResult *r = run_job("flex", job_flex, &a, s);
    cr_assert_eq(r->status, ST_EINVAL);
    cr_assert(strstr(r->message, "no hidden layer 3") != NULL, "%s", r->message);
    job_result_free(r);
    a.layer = 2;
    r = run_job("fc", job_fc, &a, s);
    cr_assert_eq(r->status, ST_OK, "%s", r->message);
    cr_assert(strstr(strbuf_cstr(&r->text), "HL2 (3 units)") != NULL, "%s", strbuf_cstr(&r->text));
    job_result_free(r);
    a.layer = 0;
    s->n_probe = 15;
    r = run_job("flex", job_flex, &a, s);
    cr_assert_eq(r->status, ST_EINVAL);
    cr_assert(strstr(r->message, "do not make 2 windows") != NULL, "%s", r->message);
    job_result_free(r);
    snapshot_release(s);
}

/* The keys :flex and :allegiance add to those of the files form. */
static const char *const FIT_KEYS[] = {"epoch", "layer", "units", "slices", "time", "windows", "window_len",
                                       "epochs", "probe_items", "omega", "gamma",
                                       "signed", "regress_mean", "reps", "seed", "Q", "q_mean", "q_sd",
                                       "q_min", "q_max", "n_communities", "fc_mean", "fc_mean_abs",
                                       "module_order", "module_bounds", "partitions", NULL};

Test(jobs_functional, flex_and_allegiance_of_a_snapshot_equal_those_of_its_partition_on_files)
{
    Snapshot *s = grouped_snapshot(0.3);
    AnalysisArgs a = flex_args();
    a.windows = 5;
    char dir[] = "/tmp/neurotop-functional-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/partitions.csv", dir);
    static const char *const names[] = {"flexibility", "allegiance"};
    for (size_t k = 0; k < 2; k++) {
        JsonDoc *snap = run_now(names[k], s, &a);
        const JsonValue *root = json_doc_root(snap), *parts = json_get(root, "partitions");
        cr_assert_str_eq(json_as_string(json_get(root, "layer"), ""), "HL1+HL2");
        cr_assert_eq(json_integer(json_get(root, "epoch"), -1), 4);
        /* The N × T node-major CSV of the snapshot's multilayer partition. */
        double g[P * 5];
        cr_assert_eq(parts->count, 5);
        for (size_t l = 0; l < 5; l++)
            for (size_t i = 0; i < P; i++)
                g[i * 5 + l] = (double)json_integer(json_at(json_at(parts, l), i), -1);
        write_csv(path, g, P, 5);
        AnalysisArgs fa = files_args(names[k], PARAM_PARTITIONS, path);
        JsonDoc *files = run_now(names[k], NULL, &fa);
        const JsonValue *froot = json_doc_root(files);
        cr_assert_eq(froot->count, k == 0 ? 2 : 1, "files: node and system, or the matrix");
        assert_files_keys_in(root, &froot, 1, FIT_KEYS);
        json_doc_free(files);
        json_doc_free(snap);
    }
    remove(path);
    remove(dir);
    snapshot_release(s);
}

/* The keys a :moments row adds to those of moments and entropy on files. */
static const char *const ROW_KEYS[] = {"layer", "units", NULL};

Test(jobs_functional, moments_rows_equal_moments_and_entropy_of_the_layers_on_files)
{
    Snapshot *s = grouped_snapshot(0.5);
    AnalysisArgs a;
    analysis_args_init("moments", &a);
    JsonDoc *snap = run_now("moments", s, &a);
    const JsonValue *root = json_doc_root(snap), *rows = json_get(root, "layers");
    static const char *const top[] = {"epoch", "samples", "ridge", "layers", NULL};
    for (size_t i = 0; i < root->count; i++)
        cr_assert(listed(root->keys[i], top), "unexpected key %s", root->keys[i]);
    cr_assert_float_eq(json_number(json_get(root, "ridge"), NAN), ACTIVITY_RIDGE, 0);
    cr_assert_eq(rows->count, 4);
    float all[N_PROBE * P];
    hidden_matrix(s, all);
    const float *vals[] = {s->acts[0], s->acts[1], all, s->acts[2]};
    const size_t cols[] = {3, 3, P, 2};
    char dir[] = "/tmp/neurotop-functional-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/layer.csv", dir);
    double x[N_PROBE * P];
    for (size_t k = 0; k < 4; k++) {
        for (size_t i = 0; i < N_PROBE * cols[k]; i++)
            x[i] = (double)vals[k][i];
        write_csv(path, x, N_PROBE, cols[k]);
        AnalysisArgs ma = files_args("moments", PARAM_MATRIX, path);
        AnalysisArgs ea = files_args("entropy", PARAM_MATRIX, path);
        ea.ridge = ACTIVITY_RIDGE;
        JsonDoc *m = run_now("moments", NULL, &ma), *e = run_now("entropy", NULL, &ea);
        const JsonValue *files[2] = {json_doc_root(m), json_doc_root(e)};
        const JsonValue *row = json_at(rows, k);
        assert_files_keys_in(row, files, 2, ROW_KEYS);
        cr_assert_eq(json_integer(json_get(row, "units"), -1), (long long)cols[k]);
        cr_assert_eq(json_integer(json_get(row, "n"), -1), (long long)(N_PROBE * cols[k]));
        json_doc_free(m);
        json_doc_free(e);
    }
    remove(path);
    remove(dir);
    json_doc_free(snap);
    snapshot_release(s);
}
