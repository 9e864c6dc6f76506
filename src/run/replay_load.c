/* Replay: run.json, snapshot files and recomputed probe activations. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/matrix.h"
#include "neurotop/run/snapshot_io.h"
#include "replay_internal.h"

/* run.json is a few hundred bytes; 1 MiB is generous. */
#define RUN_JSON_MAX_BYTES ((size_t)1 << 20)

/* ---- run.json --------------------------------------------------------------- */

static void field_problem(Replay *r, const JsonValue *v, const char *key, const char *want)
{
    char text[STATUS_MSG_LEN];
    snprintf(text, sizeof text, "run.json line %zu: \"%s\" should be %s, so it was ignored", v->line,
             key, want);
    replay_add_problem(r, REPLAY_PROBLEM_RUN_JSON, REPLAY_NO_EPOCH, v->line, ST_EFORMAT, text);
}

static void get_text(Replay *r, const JsonValue *root, const char *key, char *out, size_t cap)
{
    const JsonValue *v = json_get(root, key);
    if (!v)
        return;
    if (v->type != JSON_STRING) {
        field_problem(r, v, key, "a string");
        return;
    }
    snprintf(out, cap, "%s", v->string);
}

static void get_size(Replay *r, const JsonValue *root, const char *key, size_t *out)
{
    const JsonValue *v = json_get(root, key);
    if (!v)
        return;
    long long x = json_integer(v, -1);
    if (x < 0) {
        field_problem(r, v, key, "a whole number >= 0");
        return;
    }
    *out = (size_t)x;
}

/* "activity": "pre" or "post"; absent (older runs) means post. */
static void get_activity(Replay *r, const JsonValue *root, ReplayInfo *info)
{
    info->activity = MODEL_ACTIVITY_POST;
    const JsonValue *v = json_get(root, "activity");
    if (v && (v->type != JSON_STRING || model_activity_parse(v->string, &info->activity)))
        field_problem(r, v, "activity", "\"pre\" or \"post\"");
}

/* The kind parameters under their run.json keys (NaN when absent). */
static void get_kparams(Replay *r, const JsonValue *root, ReplayInfo *info)
{
    const ModelKind *k = model_kind_find(info->model);
    info->n_kparams = k ? k->n_kparams : 0;
    for (size_t i = 0; i < info->n_kparams; i++) {
        char key[64];
        model_kparam_key(&k->kparams[i], key, sizeof key);
        const JsonValue *v = json_get(root, key);
        info->kparams[i] = NAN;
        if (v && v->type == JSON_NUMBER)
            info->kparams[i] = v->number;
        else if (v)
            field_problem(r, v, key, "a number");
    }
}

/* model, sizes, init, seed, input_shape and the kind parameters make the
 * run's ModelConfig. */
static void get_config(Replay *r, const JsonValue *root, ReplayInfo *info)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    const JsonValue *sizes = json_get(root, "sizes");
    if (sizes && (sizes->type != JSON_ARRAY || sizes->count < 2 || sizes->count > MODEL_MAX_LAYERS)) {
        field_problem(r, sizes, "sizes", "an array of 2 to 8 layer sizes");
        return;
    }
    for (size_t i = 0; sizes && i < sizes->count; i++) {
        long long x = json_integer(json_at(sizes, i), -1);
        if (x < 1) {
            field_problem(r, sizes, "sizes", "an array of whole numbers >= 1");
            return;
        }
        c.sizes[i] = (size_t)x;
    }
    if (!sizes || !info->model[0])
        return;
    c.n_layers = sizes->count;
    snprintf(c.kind, sizeof c.kind, "%s", info->model);
    const char *init = json_as_string(json_get(root, "init"), "uniform");
    if (model_init_parse(init, &c.init))
        return;
    c.seed = info->seed;
    const JsonValue *shape = json_get(root, "input_shape");
    if (shape && shape->type == JSON_ARRAY && shape->count == 2) {
        long long rows = json_integer(json_at(shape, 0), -1), cols = json_integer(json_at(shape, 1), -1);
        if (rows > 0 && cols > 0) {
            c.in_rows = (size_t)rows;
            c.in_cols = (size_t)cols;
        }
    }
    const ModelKind *k = model_kind_find(c.kind);
    c.n_kparams = info->n_kparams;
    for (size_t i = 0; k && i < c.n_kparams; i++)
        c.kparams[i] = isnan(info->kparams[i]) ? k->kparams[i].def : info->kparams[i];
    if (model_config_validate(&c, NULL) == ST_OK) {
        info->config = c;
        info->has_config = 1;
    }
}

Status replay_read_info(const char *dir, ReplayInfo *info, Replay *r, char *msg)
{
    memset(info, 0, sizeof *info);
    info->lr = NAN;
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return status_fail(msg, ST_ENOTFOUND, "%s is not a folder", dir);
    char path[1100];
    snprintf(path, sizeof path, "%s/run.json", dir);
    if (stat(path, &sb) != 0)
        return status_fail(msg, ST_ENOTFOUND, "%s is not a run directory: it has no run.json", dir);
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, RUN_JSON_MAX_BYTES, &text, &len, msg);
    if (st)
        return st;
    JsonDoc *doc = NULL;
    st = json_parse(text, len, path, NULL, &doc, msg);
    free(text);
    if (st)
        return st;
    const JsonValue *root = json_doc_root(doc);
    if (root->type != JSON_OBJECT) {
        JsonType type = root->type;
        json_doc_free(doc);
        return status_fail(msg, ST_EFORMAT, "%s holds a JSON %s, not an object", path,
                           json_type_name(type));
    }
    get_text(r, root, "neurotop_version", info->version, sizeof info->version);
    get_text(r, root, "created_utc", info->created_utc, sizeof info->created_utc);
    get_text(r, root, "model", info->model, sizeof info->model);
    get_text(r, root, "data", info->data, sizeof info->data);
    get_text(r, root, "data_source", info->data_source, sizeof info->data_source);
    get_size(r, root, "n_train", &info->n_train);
    get_size(r, root, "n_test", &info->n_test);
    get_size(r, root, "batch", &info->batch);
    get_size(r, root, "epochs", &info->epochs);
    get_size(r, root, "epoch_size", &info->epoch_size);
    get_size(r, root, "probe", &info->probe);
    get_size(r, root, "qreps", &info->qreps);
    get_kparams(r, root, info);
    get_activity(r, root, info);
    const JsonValue *seed = json_get(root, "seed");
    if (seed && seed->type == JSON_NUMBER && seed->is_integer)
        info->seed = (uint64_t)seed->integer; /* the writer prints a uint64 as long long */
    else if (seed)
        field_problem(r, seed, "seed", "a whole number");
    const JsonValue *lr = json_get(root, "lr");
    if (lr && lr->type == JSON_NUMBER)
        info->lr = lr->number;
    else if (lr && lr->type != JSON_NULL)
        field_problem(r, lr, "lr", "a number");
    get_config(r, root, info);
    json_doc_free(doc);
    return ST_OK;
}

/* ---- snapshots ---------------------------------------------------------------- */

static Status fail_epoch(Replay *r, size_t epoch, Status st, char *msg, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record the problem of an epoch's snapshot and return it. */
static Status fail_epoch(Replay *r, size_t epoch, Status st, char *msg, const char *fmt, ...)
{
    char text[STATUS_MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    replay_add_problem(r, REPLAY_PROBLEM_SNAPSHOT, epoch, 0, st, text);
    return status_fail(msg, st, "%s", text);
}

static int same_config(const ModelConfig *a, const ModelConfig *b)
{
    if (strcmp(a->kind, b->kind) != 0 || a->n_layers != b->n_layers || a->init != b->init ||
        a->seed != b->seed)
        return 0;
    for (size_t i = 0; i < a->n_layers; i++)
        if (a->sizes[i] != b->sizes[i])
            return 0;
    /* Kind parameters may shape a model too. */
    for (size_t i = 0; i < MODEL_MAX_KPARAMS; i++) {
        double x = model_kparam(a, i), y = model_kparam(b, i);
        if (x != y && !(isnan(x) && isnan(y)))
            return 0;
    }
    return 1;
}

/* The kind's state after the whole held-out set (HebbFF's plastic matrix),
 * as the trainer computes it; left out when it cannot be computed. */
static void add_state(Replay *r, Snapshot *s)
{
    if (r->held_x)
        snapshot_record_state(s, r->model, r->held_x, r->n_held);
}

/* A copy of src with probe labels, activations and the kind's state,
 * computed as the trainer does: the snapshot's weights in a model,
 * ops->activations on the probe, model_state on the held-out set. */
static Status with_activations(Replay *r, const Snapshot *src, Snapshot **out, char *msg)
{
    *out = NULL;
    Status st;
    if (!r->model || !same_config(&r->model->config, &src->config)) {
        model_free(r->model);
        r->model = NULL;
        if ((st = model_new(&src->config, &r->model, msg)))
            return st;
    }
    if ((st = model_set_params(r->model, src->params, src->n_params, msg)))
        return st;
    Snapshot *s = snapshot_new(&src->config, src->params, src->n_params, r->n_probe);
    if (!s)
        return status_fail(msg, ST_ENOMEM, "out of memory recomputing the activations of epoch %zu",
                           src->epoch);
    s->epoch = src->epoch;
    s->examples_seen = src->examples_seen;
    s->seconds = src->seconds;
    s->train_loss = src->train_loss;
    s->lr = src->lr;
    s->eval.accuracy = src->eval.accuracy;
    s->eval.loss = src->eval.loss;
    s->eval.recon = src->eval.recon;
    s->eval.n = src->eval.n;
    size_t k = src->eval.n_classes;
    if (k == s->eval.n_classes && src->eval.confusion && s->eval.confusion)
        memcpy(s->eval.confusion, src->eval.confusion, k * k * sizeof(uint32_t));
    s->n_metrics = src->n_metrics;
    memcpy(s->metrics, src->metrics, src->n_metrics * sizeof src->metrics[0]);
    memcpy(s->probe_labels, r->probe_y, r->n_probe);
    if ((st = model_activations(r->model, r->probe_x, r->n_probe, r->info.activity, s->acts, msg))) {
        snapshot_release(s);
        return st;
    }
    add_state(r, s);
    *out = s;
    return ST_OK;
}

Status replay_load_epoch(Replay *r, size_t epoch, Snapshot **out, char *msg)
{
    *out = NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s/snapshots/epoch-%06zu.nts", r->dir, epoch);
    int listed = replay_list_has(&r->snaps, epoch);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!listed && !replay_list_has(&r->epochs, epoch))
            return status_fail(msg, ST_ENOTFOUND, "epoch %zu is not part of the run in %s", epoch, r->dir);
        return fail_epoch(r, epoch, ST_ENOTFOUND, msg, "epoch %zu has no snapshot: %s is missing", epoch,
                          path);
    }
    if (!listed) {
        /* Written since the last scan (a run still training): list it. */
        if (replay_list_insert(&r->snaps, epoch) || replay_rebuild_timeline(r))
            return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    Snapshot *s = NULL;
    char inner[STATUS_MSG_LEN];
    Status st = snapshot_load(path, &s, inner);
    if (st == ST_ENOMEM)
        return status_fail(msg, st, "%s", inner); /* may pass: not recorded */
    if (st)
        return fail_epoch(r, epoch, st == ST_EIO ? ST_EIO : ST_EFORMAT, msg,
                          "epoch %zu cannot be replayed: %s", epoch, inner);
    if (s->epoch != epoch) {
        size_t held = s->epoch;
        snapshot_release(s);
        return fail_epoch(r, epoch, ST_EFORMAT, msg, "epoch %zu cannot be replayed: %s holds epoch %zu",
                          epoch, path, held);
    }
    s->eval.n = r->info.n_test;
    /* The input image shape: the file's, else run.json's, else the data's. */
    ModelConfig *c = &s->config;
    if (!c->in_rows && r->info.has_config && r->info.config.in_rows &&
        r->info.config.in_rows * r->info.config.in_cols == c->sizes[0]) {
        c->in_rows = r->info.config.in_rows;
        c->in_cols = r->info.config.in_cols;
    } else if (!c->in_rows && r->in_rows && r->in_rows * r->in_cols == c->sizes[0]) {
        c->in_rows = r->in_rows;
        c->in_cols = r->in_cols;
    }
    if (r->n_probe) {
        if (s->config.sizes[0] != r->pixels) {
            size_t inputs = s->config.sizes[0];
            snapshot_release(s);
            return status_fail(msg, ST_EINVAL,
                               "epoch %zu: the snapshot's model takes %zu inputs but the attached data has %zu pixels per image",
                               epoch, inputs, r->pixels);
        }
        Snapshot *full = NULL;
        st = with_activations(r, s, &full, msg);
        snapshot_release(s);
        if (st)
            return st;
        s = full;
    }
    *out = s;
    return ST_OK;
}

Status replay_attach_data(Replay *r, const Dataset *d, size_t n_probe, char *msg)
{
    if (!d || d->test.n == 0)
        return status_fail(msg, ST_EINVAL, "the data set has no held-out items to probe the model with");
    if (n_probe == 0)
        return status_fail(msg, ST_EINVAL, "the probe set must have at least one item");
    size_t pixels = d->test.rows * d->test.cols;
    pthread_mutex_lock(r->mu);
    int fits = !r->info.has_config || r->info.config.sizes[0] == pixels;
    size_t inputs = r->info.config.sizes[0];
    pthread_mutex_unlock(r->mu);
    if (!fits)
        return status_fail(msg, ST_EINVAL, "the data set %s has %zu pixels per image but the run's model takes %zu inputs",
                           d->name, pixels, inputs);
    if (n_probe > d->test.n)
        n_probe = d->test.n;
    pthread_mutex_lock(r->mu);
    int with_state = r->info.has_config && model_state_block(&r->info.config, NULL);
    pthread_mutex_unlock(r->mu);
    /* A kind with a state sees the whole held-out set, as in training. */
    size_t n_x = with_state ? d->test.n : n_probe, count;
    if (size_mul(n_x, pixels, &count) || count > SIZE_MAX / sizeof(float))
        return status_fail(msg, ST_EINVAL, "the probe set is too large");
    float *x = malloc(count * sizeof *x);
    uint8_t *y = malloc(n_probe);
    if (!x || !y) {
        free(x);
        free(y);
        return status_fail(msg, ST_ENOMEM, "out of memory copying the probe set");
    }
    for (size_t i = 0; i < n_x; i++)
        imageset_item_float(&d->test, i, x + i * pixels);
    for (size_t i = 0; i < n_probe; i++)
        y[i] = d->test.labels[i];
    pthread_mutex_lock(r->mu);
    free(r->probe_x);
    free(r->probe_y);
    r->probe_x = x;
    r->probe_y = y;
    r->held_x = with_state ? x : NULL;
    r->n_held = with_state ? n_x : 0;
    r->n_probe = n_probe;
    r->pixels = pixels;
    r->in_rows = d->test.rows;
    r->in_cols = d->test.cols;
    /* Cached snapshots have no (or other) activations. */
    replay_cache_clear(r);
    pthread_mutex_unlock(r->mu);
    return ST_OK;
}
