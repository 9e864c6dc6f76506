/* :flex and :allegiance over epochs (func.h): for a kind of independent
 * examples the slices are the whole-probe correlation matrices of the
 * epochs that end at the shown one, read through the run's epochs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/fc.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/func.h"
#include "neurotop/measure/metrics_activity.h"
#include "support/support.h"

#define N_PROBE 80
#define P 6

static const int GROUPS[P] = {0, 0, 1, 0, 1, 1};

/* A 5-3-3-2 MLP (or a 5-6-2 HebbFF) at `epoch` whose hidden units follow
 * latent A or B by GROUPS, except that HL1#1 joins B from epoch `moves`
 * on; noise from `noise_seed`. */
static Snapshot *snap(const char *kind, size_t epoch, size_t moves, uint64_t noise_seed)
{
    int group[P];
    memcpy(group, GROUPS, sizeof group);
    if (epoch >= moves)
        group[0] = 1;
    return support_grouped_snapshot(kind, epoch, N_PROBE, group, 0.2, noise_seed);
}

/* Epochs 0..last published to a store; HL1#1 moves at `moves`, fresh
 * noise every epoch unless `same`. */
static Store *run_of(const char *kind, size_t last, size_t moves, int same)
{
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(16, msg);
    cr_assert_not_null(store, "%s", msg);
    for (size_t e = 0; e <= last; e++) {
        Snapshot *s = snap(kind, e, moves, same ? 9 : 100 + e);
        cr_assert_eq(store_publish(store, s), ST_OK);
        snapshot_release(s);
    }
    return store;
}

static AnalysisArgs flex_args(Store *store)
{
    AnalysisArgs a;
    analysis_args_init("flex", &a);
    a.reps = 10;
    a.seed = 3;
    a.store = store;
    return a;
}

/* Runs :NAME on the store's epoch; the result (status in r->status). */
static JobResult *run(const char *name, Store *store, size_t epoch, const AnalysisArgs *a, char *msg)
{
    Snapshot *s = store_at_epoch(store, epoch);
    cr_assert_not_null(s);
    JobResult *r = NULL;
    Status st = analysis_run_now(analysis_find(name), s, a, &r, msg);
    snapshot_release(s);
    cr_assert((st == ST_OK) == (r != NULL));
    return r;
}

static JsonDoc *parse(const JobResult *r)
{
    JsonDoc *doc = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(json_parse(strbuf_cstr(&r->json), r->json.len, "result", NULL, &doc, msg), ST_OK, "%s", msg);
    return doc;
}

Test(flex_epochs, a_unit_that_moves_between_epochs_is_the_flexible_one)
{
    Store *store = run_of("mlp", 3, 2, 0);
    AnalysisArgs a = flex_args(store);
    a.windows = 4;
    a.given |= (uint64_t)1 << PARAM_WINDOWS;
    char msg[STATUS_MSG_LEN];
    JobResult *r = run("flexibility", store, 3, &a, msg);
    cr_assert_not_null(r, "%s", msg);
    const char *text = strbuf_cstr(&r->text);
    cr_assert(strstr(text, "epochs 0–3, 80 items each") != NULL, "%s", text);
    cr_assert(strstr(text, "communities per epoch") != NULL, "%s", text);
    JsonDoc *doc = parse(r);
    const JsonValue *root = json_doc_root(doc);
    cr_assert_str_eq(json_as_string(json_get(root, "slices"), ""), "epochs");
    cr_assert(json_get(root, "windows") == NULL, "no windows when the slices are epochs");
    const JsonValue *ep = json_get(root, "epochs"), *node = json_get(root, "node");
    cr_assert_eq(ep->count, 4);
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(json_integer(json_at(ep, k), -1), (long long)k);
    cr_assert_eq(json_integer(json_get(root, "probe_items"), -1), N_PROBE);
    /* HL1#1 changes community once in 3 transitions; nobody else moves. */
    cr_assert_float_eq(json_number(json_at(node, 0), NAN), 1.0 / 3.0, 1e-15);
    for (size_t i = 1; i < P; i++)
        cr_assert_eq(json_number(json_at(node, i), NAN), 0.0, "unit %zu", i);
    cr_assert_float_eq(json_number(json_get(root, "system"), NAN), 1.0 / 18.0, 1e-15);
    json_doc_free(doc);
    job_result_free(r);

    /* The same slices by hand: the epochs' whole-probe correlations. */
    double fc[4 * P * P];
    const double *slices[4];
    for (size_t e = 0; e < 4; e++) {
        Snapshot *s = store_at_epoch(store, e);
        float x[N_PROBE * P];
        cr_assert_eq(activity_gather(s, ACTIVITY_ALL_HIDDEN, x, msg), ST_OK);
        cr_assert_eq(fc_correlation_f(x, N_PROBE, P, P, FC_ZERO_DIAGONAL, fc + e * P * P, NULL, msg), ST_OK);
        slices[e] = fc + e * P * P;
        snapshot_release(s);
    }
    FlexFit fit;
    const size_t epochs[4] = {0, 1, 2, 3};
    cr_assert_eq(flex_fit_compute_slices(NULL, slices, epochs, 4, N_PROBE, P, &a, &fit, msg), ST_OK, "%s", msg);
    cr_assert_eq(fit.communities, 2);
    cr_assert(fit.over_epochs && fit.time);
    r = run("allegiance", store, 3, &a, msg);
    cr_assert_not_null(r, "%s", msg);
    doc = parse(r);
    root = json_doc_root(doc);
    cr_assert_eq(json_number(json_get(root, "Q"), NAN), fit.sum.q_best, "the same network, seed and runs");
    /* HL1#1 shares a community with HL1#2 in epochs 0, 1 and with HL1#3 in 2, 3. */
    const JsonValue *m = json_get(root, "matrix");
    cr_assert_float_eq(json_number(json_at(json_at(m, 0), 1), NAN), 0.5, 1e-15);
    cr_assert_float_eq(json_number(json_at(json_at(m, 0), 2), NAN), 0.5, 1e-15);
    cr_assert(strstr(strbuf_cstr(&r->text), "fraction of epochs") != NULL, "%s", strbuf_cstr(&r->text));
    json_doc_free(doc);
    job_result_free(r);
    flex_fit_done(&fit);
    store_free(store);
}

Test(flex_epochs, identical_epochs_give_zero_and_the_default_l_fits_the_run)
{
    Store *store = run_of("mlp", 2, 99, 1);
    AnalysisArgs a = flex_args(store);
    char msg[STATUS_MSG_LEN];
    /* L not given (20): the three epochs there are. */
    JobResult *r = run("flexibility", store, 2, &a, msg);
    cr_assert_not_null(r, "%s", msg);
    JsonDoc *doc = parse(r);
    const JsonValue *root = json_doc_root(doc);
    cr_assert_eq(json_get(root, "epochs")->count, 3);
    cr_assert_eq(json_number(json_get(root, "system"), NAN), 0.0, "the same matrix three times");
    json_doc_free(doc);
    job_result_free(r);

    /* L given: more epochs than the run has is one sentence. */
    a.windows = 5;
    a.given |= (uint64_t)1 << PARAM_WINDOWS;
    cr_assert_null(run("flexibility", store, 2, &a, msg));
    cr_assert_str_eq(msg, "only 3 epochs up to 2 have a snapshot with probe activations, too few for 5 slices");
    /* Epoch 0 has no earlier epoch. */
    a.given = 0;
    a.windows = 20;
    cr_assert_null(run("flexibility", store, 0, &a, msg));
    cr_assert(strstr(msg, "--slices probe") != NULL, "%s", msg);
    store_free(store);
}

/* Snapshots saved every other epoch: the slices are the recorded epochs. */
Test(flex_epochs, sparse_snapshots_give_the_recorded_epochs)
{
    char msg[STATUS_MSG_LEN];
    Store *store = store_new(16, msg);
    for (size_t e = 0; e <= 6; e += 2) {
        Snapshot *s = snap("mlp", e, 4, 100 + e);
        cr_assert_eq(store_publish(store, s), ST_OK);
        snapshot_release(s);
    }
    AnalysisArgs a = flex_args(store);
    JobResult *r = run("flexibility", store, 6, &a, msg);
    cr_assert_not_null(r, "%s", msg);
    cr_assert(strstr(strbuf_cstr(&r->text), "4 recorded epochs 0–6") != NULL, "%s", strbuf_cstr(&r->text));
    JsonDoc *doc = parse(r);
    const JsonValue *root = json_doc_root(doc), *ep = json_get(root, "epochs");
    cr_assert_eq(ep->count, 4);
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(json_integer(json_at(ep, k), -1), (long long)(2 * k));
    /* HL1#1 moves at epoch 4: once in 3 transitions. */
    cr_assert_float_eq(json_number(json_at(json_get(root, "node"), 0), NAN), 1.0 / 3.0, 1e-15);
    json_doc_free(doc);
    job_result_free(r);
    a.windows = 5;
    a.given |= (uint64_t)1 << PARAM_WINDOWS;
    cr_assert_null(run("flexibility", store, 6, &a, msg));
    cr_assert_str_eq(msg, "only 4 epochs up to 6 have a snapshot with probe activations, too few for 5 slices");
    store_free(store);

    /* Only the shown epoch: one sentence. */
    store = store_new(4, msg);
    Snapshot *s = snap("mlp", 5, 99, 1);
    cr_assert_eq(store_publish(store, s), ST_OK);
    snapshot_release(s);
    a = flex_args(store);
    cr_assert_null(run("flexibility", store, 5, &a, msg));
    cr_assert_str_eq(msg, "no epoch before 5 has a snapshot with probe activations");
    store_free(store);
}

Test(flex_epochs, hebbff_keeps_stream_windows_and_probe_windows_say_what_they_are)
{
    Store *store = run_of("hebbff", 1, 99, 0);
    AnalysisArgs a = flex_args(store);
    a.windows = 4;
    char msg[STATUS_MSG_LEN];
    JobResult *r = run("flexibility", store, 1, &a, msg);
    cr_assert_not_null(r, "%s", msg);
    JsonDoc *doc = parse(r);
    const JsonValue *root = json_doc_root(doc);
    cr_assert_str_eq(json_as_string(json_get(root, "slices"), ""), "probe");
    cr_assert(json_get(root, "time")->type == JSON_BOOL && json_get(root, "time")->boolean,
              "a stream's windows are time");
    cr_assert_eq(json_integer(json_get(root, "windows"), -1), 4);
    cr_assert(strstr(strbuf_cstr(&r->text), "subsamples") == NULL);
    json_doc_free(doc);
    job_result_free(r);
    store_free(store);

    store = run_of("mlp", 1, 99, 0);
    a = flex_args(store);
    a.windows = 4;
    snprintf(a.slices, sizeof a.slices, "probe");
    r = run("flexibility", store, 1, &a, msg);
    cr_assert_not_null(r, "%s", msg);
    doc = parse(r);
    root = json_doc_root(doc);
    cr_assert_str_eq(json_as_string(json_get(root, "slices"), ""), "probe");
    cr_assert(json_get(root, "time")->type == JSON_BOOL && !json_get(root, "time")->boolean,
              "an MLP's probe windows are subsamples");
    cr_assert(strstr(strbuf_cstr(&r->text), "subsamples") != NULL, "%s", strbuf_cstr(&r->text));
    json_doc_free(doc);
    job_result_free(r);

    /* --slices takes epochs or probe, from the `:` line as from analyze. */
    const AnalysisSpec *spec = analysis_find("flexibility");
    const char *const words[] = {"flex", "--slices", "time"};
    AnalysisArgs b;
    params_defaults(spec->uses, spec->n_uses, &b);
    cr_assert_eq(params_parse_words("flex", spec->uses, spec->n_uses, 3, words, &b, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--slices must be one of epochs, probe, not 'time'");
    store_free(store);
}
