#include "neurotop/cli/session.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/signals.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/json.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/linalg.h"
#include "neurotop/data/registry.h"
#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/snapshot_io.h"

void session_format_run_json(const RunOptions *o, const Dataset *d, const ModelConfig *cfg,
                             StrBuf *out)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    JsonWriter w;
    json_init(&w, out);
    json_object_begin(&w);
    json_kv_string(&w, "neurotop_version", NEUROTOP_VERSION);
    json_kv_string(&w, "created_utc", stamp);
    json_kv_string(&w, "model", cfg->kind);
    json_key(&w, "sizes");
    json_array_begin(&w);
    for (size_t i = 0; i < cfg->n_layers; i++)
        json_int(&w, (long long)cfg->sizes[i]);
    json_array_end(&w);
    json_kv_string(&w, "init", model_init_name(cfg->init));
    if (cfg->in_rows && cfg->in_cols) {
        json_key(&w, "input_shape");
        json_array_begin(&w);
        json_int(&w, (long long)cfg->in_rows);
        json_int(&w, (long long)cfg->in_cols);
        json_array_end(&w);
    }
    json_kv_string(&w, "data", d->name);
    json_kv_string(&w, "data_source", d->source);
    json_kv_int(&w, "n_train", (long long)d->train.n);
    json_kv_int(&w, "n_test", (long long)d->test.n);
    json_kv_int(&w, "seed", (long long)o->seed);
    json_kv_real(&w, "lr", o->lr);
    json_kv_int(&w, "batch", (long long)o->batch);
    json_kv_int(&w, "epochs", (long long)o->epochs);
    json_kv_int(&w, "epoch_size", (long long)(o->epoch_size ? o->epoch_size : d->train.n));
    json_kv_int(&w, "probe", (long long)o->probe);
    json_kv_int(&w, "qreps", (long long)o->qreps);
    if (o->q_method != COMMUNITY_LOUVAIN) /* absent: Louvain, as every run before the option */
        json_kv_string(&w, "q_method", community_method_name((CommunityMethod)o->q_method));
    json_kv_int(&w, "flexreps", (long long)o->flexreps);
    json_kv_int(&w, "fc_windows", (long long)o->fc_windows);
    json_kv_int(&w, "live_units", (long long)o->live_units);
    json_kv_int(&w, "save_every", (long long)o->save_every);
    if (o->record_every) { /* absent: no trajectories, as every run before the option */
        json_kv_int(&w, "record_every", (long long)o->record_every);
        json_kv_string(&w, "record_precision", o->record_half ? "half" : "float");
    }
    json_kv_string(&w, "flex_slices",
                   activity_slices_resolve(cfg, o->flex_slices) == ACTIVITY_SLICES_EPOCHS ? "epochs" : "probe");
    json_kv_string(&w, "activity", model_activity_name(o->activity));
    /* The kind parameters under their keys (task_n, ...): whole numbers
     * and flags as integers, so runs read the same as before the tables. */
    const ModelKind *k = model_kind_of(cfg);
    for (size_t i = 0; k && i < k->n_kparams; i++) {
        char key[64];
        model_kparam_key(&k->kparams[i], key, sizeof key);
        double v = model_kparam(cfg, i);
        if (k->kparams[i].type == KPARAM_REAL)
            json_kv_real(&w, key, v);
        else
            json_kv_int(&w, key, (long long)v);
    }
    json_object_end(&w);
}

/* The data set of a run: the kind's generated task made from its kind
 * parameters, or the --data set. */
static Status open_data(const RunOptions *o, const ModelKind *k, Dataset **out, char *msg)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    snprintf(c.kind, sizeof c.kind, "%s", k->name);
    c.n_kparams = o->n_kparams;
    memcpy(c.kparams, o->kparams, o->n_kparams * sizeof *o->kparams);
    DataParam params[MODEL_MAX_KPARAMS];
    for (size_t i = 0; i < k->n_kparams; i++) {
        model_kparam_key(&k->kparams[i], params[i].key, sizeof params[i].key);
        params[i].value = model_kparam(&c, i);
    }
    return data_open(k->task ? k->task : o->data, params, k->n_kparams, o->seed, out, msg);
}

/* The per-epoch measures a kind asks for by name. */
static Status enable_measure(Session *s, const char *name, char *msg)
{
    if (strcmp(name, "fcq") == 0) {
        /* The whole probe's functional modularity (seed paper 001's readout). */
        Status st = fcq_metric_new(s->opts.seed, FCQ_REPS_DEFAULT, 1, &s->fcq, msg);
        if (st)
            return st;
        if (trainer_add_metric(s->trainer, fcq_metric_epoch, s->fcq))
            return status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
        return ST_OK;
    }
    return status_fail(msg, ST_EINTERNAL, "the model asks for an unknown measure \"%s\"", name);
}

/* The trainer and the per-epoch metrics of a session whose data, model
 * (taken over on success), store, control and run directory exist. */
static Status session_attach(Session *s, Model *model, const ModelKind *kind, char *msg)
{
    const RunOptions *o = &s->opts;
    rundir_set_store(s->rundir, s->store); /* a full disk is said on the status line */
    TrainerConfig tc = {
        .epochs = o->epochs,
        .epoch_size = o->epoch_size,
        .batch = o->batch,
        .lr = (float)o->lr,
        .seed = o->seed,
        .n_probe = o->probe,
        .save_every = o->save_every,
        .record_every = o->record_every,
        .record_half = o->record_half,
        .activity = o->activity,
    };
    Status st = trainer_new(model, s->data, &tc, &s->control, s->store, s->rundir, &s->trainer, msg);
    if (st) {
        model_free(model);
        return st;
    }
    if ((st = metrics_epoch_register(s->trainer, msg)))
        return st;
    atomic_init(&s->modularity_settings.qreps, (int)o->qreps);
    if ((st = modularity_metric_new(&s->modularity_settings, o->seed, &s->modularity, msg)))
        return st;
    modularity_metric_set_method(s->modularity, (CommunityMethod)o->q_method);
    if (trainer_add_metric(s->trainer, modularity_metric_epoch, s->modularity))
        return status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
    if ((st = info_metric_new(&s->info, msg)) || (st = pixel_info_new(s->data, &s->pixel_info, msg)))
        return st;
    if (trainer_add_metric(s->trainer, info_metric_epoch, s->info))
        return status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
    activity_settings_init(&s->activity_settings, (int)o->flexreps, (int)o->fc_windows);
    atomic_store(&s->activity_settings.units, (int)o->live_units);
    atomic_store(&s->activity_settings.slices, o->flex_slices);
    if ((st = activity_metric_new(&s->activity_settings, o->seed, &s->activity, msg)))
        return st;
    if (trainer_add_metric(s->trainer, activity_metric_epoch, s->activity))
        return status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
    for (size_t i = 0; kind->measures && kind->measures[i]; i++)
        if ((st = enable_measure(s, kind->measures[i], msg)))
            return st;
    return ST_OK;
}

/* Snapshots the live store keeps: 64, fewer when they are large (LeNet's,
 * with its probe activations and Adam's moments, are ~16 MB each; a
 * 784-1000-1000-10 MLP's ~15 MB), so the ring stays within about 128 MiB;
 * older epochs are read back from the run directory. */
static size_t ring_capacity(const Model *m, size_t probe)
{
    size_t units = 0;
    for (size_t l = 1; l < m->config.n_layers; l++)
        units += m->config.sizes[l];
    double bytes = 4.0 * ((double)m->n_params + (double)probe * (double)units) +
                   8.0 * (double)model_opt_size(m) + 4096.0;
    double fit = (double)((size_t)128 << 20) / bytes;
    return fit >= 64 ? 64 : fit < 4 ? 4 : (size_t)fit;
}

static Status session_resume(Session *s, const RunOptions *o, char *msg);

Status session_open(Session *s, const RunOptions *o, char *msg)
{
    if (o->resume)
        return session_resume(s, o, msg);
    memset(s, 0, sizeof *s);
    s->opts = *o;
    /* Task-level parallelism: one BLAS thread, so the trainer and the
     * analysis workers never oversubscribe a 2-core machine. */
    linalg_set_threads(1);
    const ModelKind *kind = model_kind_find(o->model);
    Status st = kind ? open_data(o, kind, &s->data, msg)
                     : status_fail(msg, ST_EINVAL, "unknown model '%s'", o->model);
    if (st)
        goto fail;
    ModelConfig cfg;
    size_t n_out = s->data->train.n_classes > s->data->test.n_classes ? s->data->train.n_classes
                                                                       : s->data->test.n_classes;
    if ((st = options_check_layers(&s->opts, s->data->train.rows * s->data->train.cols, n_out, msg)))
        goto fail;
    options_model_config(o, s->data->train.rows * s->data->train.cols, n_out, &cfg);
    cfg.in_rows = s->data->train.rows;
    cfg.in_cols = s->data->train.cols;
    model_config_shape(&cfg); /* now that the image shape is known */
    if (kind->shape) { /* the status line and run.json name the shaped layers */
        s->opts.n_hidden = cfg.n_layers - 2;
        for (size_t l = 0; l < s->opts.n_hidden; l++)
            s->opts.hidden[l] = cfg.sizes[l + 1];
    }
    Model *model = NULL;
    if ((st = model_new(&cfg, &model, msg)))
        goto fail;
    s->store = store_new(ring_capacity(model, o->probe), msg);
    if (!s->store) {
        model_free(model);
        st = ST_ENOMEM;
        goto fail;
    }
    control_init(&s->control, o->paused, o->lr);
    s->control_ready = 1;
    StrBuf json;
    strbuf_init(&json);
    session_format_run_json(o, s->data, &cfg, &json);
    char run_name[64];
    snprintf(run_name, sizeof run_name, "%s%s", cfg.kind, o->run_tag ? o->run_tag : "");
    st = rundir_create(o->runs, run_name, strbuf_cstr(&json), o->log, &s->rundir, msg);
    strbuf_done(&json);
    if (st) {
        model_free(model);
        goto fail;
    }
    if ((st = session_attach(s, model, kind, msg)))
        goto fail;
    return ST_OK;
fail:
    session_close(s);
    return st;
}

/* ---- --resume ------------------------------------------------------------------ */

/* run.json's keys that ReplayInfo leaves out: flexreps, fc_windows, live_units, q_method,
 * save_every (1, the default, in runs written before it was recorded) and
 * flex_slices (by the kind when absent). */
static void read_run_extras(const char *dir, RunOptions *o)
{
    char path[1100], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/run.json", dir);
    char *text = NULL;
    size_t len = 0;
    JsonDoc *doc = NULL;
    o->save_every = 1;
    if (file_read_all(path, (size_t)1 << 20, &text, &len, msg) || json_parse(text, len, path, NULL, &doc, msg)) {
        free(text);
        return;
    }
    const JsonValue *root = json_doc_root(doc);
    const char *keys[] = {"flexreps", "fc_windows", "save_every", "record_every", "live_units"};
    for (int k = 0; k < 5; k++) {
        const JsonValue *v = json_get(root, keys[k]);
        if (!v || v->type != JSON_NUMBER || !v->is_integer || v->integer < 0 || v->integer > 1000000)
            continue;
        if (k == 0)
            o->flexreps = (size_t)v->integer;
        else if (k == 1)
            o->fc_windows = (size_t)v->integer;
        else if (k == 2)
            o->save_every = (int)v->integer;
        else if (k == 3)
            o->record_every = (size_t)v->integer;
        else if (v->integer <= ACTIVITY_MAX_UNITS)
            o->live_units = (size_t)v->integer;
    }
    const JsonValue *rp = json_get(root, "record_precision");
    o->record_half = rp && rp->type == JSON_STRING && strcmp(rp->string, "half") == 0;
    const JsonValue *qm = json_get(root, "q_method");
    CommunityMethod method;
    if (qm && qm->type == JSON_STRING && community_method_parse(qm->string, "q_method", &method, NULL) == ST_OK)
        o->q_method = (int)method;
    const JsonValue *sl = json_get(root, "flex_slices");
    ActivitySlices slices;
    char m2[STATUS_MSG_LEN];
    if (sl && sl->type == JSON_STRING && activity_slices_parse(sl->string, "flex_slices", &slices, m2) == ST_OK)
        o->flex_slices = (int)slices;
    json_doc_free(doc);
    free(text);
}

/* The optimiser state of epoch e from snapshots/optimiser.nts into s, when
 * s lacks it and the file is of that epoch (else s stays without). */
static void add_saved_opt(const Replay *r, Snapshot *s)
{
    if (s->resume.n_opt)
        return;
    char path[1200], m[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s/snapshots/" RUNDIR_OPT_FILE, replay_dir(r));
    size_t epoch = 0, n = 0;
    double *opt = NULL;
    if (snapshot_load_opt(path, &epoch, &opt, &n, m) == ST_OK && epoch == s->epoch) {
        s->resume.opt = opt;
        s->resume.n_opt = n;
        return;
    }
    free(opt);
}

/* The last snapshot file of the run that holds the training state (with
 * its optimiser state when the kind has one: n_opt > 0); why none does
 * otherwise. */
static Status last_resumable(Replay *r, size_t n_opt, Snapshot **out, char *msg)
{
    *out = NULL;
    size_t n = 0;
    const size_t *epochs = replay_epochs(r, &n);
    char why[STATUS_MSG_LEN] = "";
    int any_file = 0;
    for (size_t i = n; i-- > 0;) {
        if (!replay_has_snapshot(r, epochs[i]))
            continue;
        any_file = 1;
        char path[1200], m[STATUS_MSG_LEN];
        snprintf(path, sizeof path, "%s/snapshots/epoch-%06zu.nts", replay_dir(r), epochs[i]);
        Snapshot *s = NULL;
        if (snapshot_load(path, &s, m) != ST_OK) {
            if (!why[0])
                snprintf(why, sizeof why, "%s", m);
            continue; /* a damaged last file: the one before */
        }
        if (s->resume.valid && n_opt)
            add_saved_opt(r, s);
        if (s->resume.valid && s->resume.n_opt == n_opt) {
            *out = s;
            return ST_OK;
        }
        snapshot_release(s);
        if (!why[0])
            snprintf(why, sizeof why, "epoch %zu", epochs[i]);
    }
    if (!any_file)
        return status_fail(msg, ST_EINVAL, "%s has no snapshot file to resume from", replay_dir(r));
    return status_fail(msg, ST_EINVAL,
                       "%s cannot be resumed: none of its snapshot files holds the training state (files "
                       "written before resume existed, such as the sample runs', load but cannot be resumed)",
                       replay_dir(r));
}

/* The flexibility over epochs holds the last L epochs' correlations: they
 * are computed again from the run's files (the probe activations of each
 * epoch's weights), the resumed epoch's last, so the epochs after a resume
 * see what an uninterrupted run saw (a missing file breaks the chain as a
 * gap would). */
static Status prime_activity(Session *s, Replay *r, const Snapshot *resumed, char *msg)
{
    size_t L = s->opts.fc_windows;
    if (L < 2 || s->opts.probe == 0)
        return ST_OK;
    Status st = replay_attach_data(r, s->data, s->opts.probe, msg);
    if (st)
        return st;
    replay_set_cache(r, 1);
    for (size_t e = resumed->epoch + 1 > L ? resumed->epoch + 1 - L : 0; e <= resumed->epoch && !st; e++) {
        char m[STATUS_MSG_LEN];
        Snapshot *past = NULL;
        if (replay_snapshot(r, e, &past, m) != ST_OK)
            continue;
        st = activity_metric_prime(s->activity, past, msg);
        snapshot_release(past);
    }
    return st;
}

static Status session_resume(Session *s, const RunOptions *o, char *msg)
{
    memset(s, 0, sizeof *s);
    linalg_set_threads(1);
    Replay *r = NULL;
    Snapshot *snap = NULL;
    Model *model = NULL;
    Status st = replay_open(o->resume, &r, msg);
    if (st)
        goto fail;
    const ReplayInfo *info = replay_info(r);
    const ModelKind *kind = model_kind_find(info->model);
    if (!kind || !info->has_config) {
        st = status_fail(msg, ST_EINVAL, "%s/run.json names no model this build knows", o->resume);
        goto fail;
    }
    /* The run's own settings; --epochs may set a new limit. */
    RunOptions ro;
    options_defaults(&ro, info->epochs);
    snprintf(ro.model, sizeof ro.model, "%s", info->model);
    ro.data = NULL; /* the data set comes from run.json (replay_open_data) */
    ro.seed = info->seed;
    ro.lr = info->lr;
    ro.batch = info->batch ? info->batch : 1;
    ro.epochs = (o->given & OPT_GIVEN_EPOCHS) ? o->epochs : info->epochs;
    ro.epoch_size = info->epoch_size;
    ro.probe = info->probe;
    ro.qreps = info->qreps;
    ro.activity = info->activity;
    ro.paused = o->paused;
    ro.headless = o->headless;
    ro.theme = o->theme;
    ro.log = o->log;
    ro.resume = o->resume;
    read_run_extras(o->resume, &ro);
    s->opts = ro;
    /* Does the kind keep an optimiser state? A fresh model of the run says. */
    size_t n_opt = 0;
    if ((st = model_new(&info->config, &model, msg)))
        goto fail;
    n_opt = model_opt_size(model);
    model_free(model);
    model = NULL;
    if ((st = last_resumable(r, n_opt, &snap, msg)))
        goto fail;
    /* A kind without labels has no output layer: every layer after the
     * input is hidden. */
    const ModelKind *sk = model_kind_of(&snap->config);
    s->opts.n_hidden = snap->config.n_layers - (sk && !sk->supervised ? 1 : 2);
    for (size_t l = 0; l < s->opts.n_hidden; l++)
        s->opts.hidden[l] = snap->config.sizes[l + 1];
    s->opts.init = snap->config.init;
    if ((o->given & OPT_GIVEN_EPOCHS) && ro.epochs && ro.epochs < snap->epoch) {
        st = status_fail(msg, ST_EINVAL, "the run is at epoch %zu, past --epochs %zu: give a larger limit (or 0)",
                         snap->epoch, ro.epochs);
        goto fail;
    }
    /* A run trained past the limit it started with (n or :epochs in the
     * live view) stands at its limit. */
    if (ro.epochs && ro.epochs < snap->epoch)
        s->opts.epochs = snap->epoch;
    if ((st = replay_open_data(r, &s->data, msg)) || (st = model_new(&snap->config, &model, msg)))
        goto fail;
    s->store = store_new(ring_capacity(model, s->opts.probe), msg);
    if (!s->store) {
        st = ST_ENOMEM;
        goto fail;
    }
    control_init(&s->control, ro.paused, snap->lr);
    s->control_ready = 1;
    /* The plots start with the epochs before the resumed one. */
    SeriesTable series;
    if (replay_copy_series(r, &series) == ST_OK) {
        size_t keep = 0;
        while (keep < series.n && series.epoch[keep] < (double)snap->epoch)
            keep++;
        series.n = keep;
        store_preload_series(s->store, &series);
        series_done(&series);
    }
    if ((st = rundir_resume(o->resume, snap->epoch, ro.log, &s->rundir, msg)))
        goto fail;
    st = session_attach(s, model, kind, msg);
    model = NULL; /* the trainer's now, or freed */
    if (!st)
        st = prime_activity(s, r, snap, msg);
    if (!st)
        st = trainer_resume(s->trainer, snap, msg);
    if (st)
        goto fail;
    snapshot_release(snap);
    replay_free(r);
    return ST_OK;
fail:
    model_free(model);
    snapshot_release(snap);
    replay_free(r);
    session_close(s);
    return st;
}

void session_close(Session *s)
{
    trainer_free(s->trainer);
    modularity_metric_free(s->modularity);
    info_metric_free(s->info);
    activity_metric_free(s->activity);
    fcq_metric_free(s->fcq);
    pixel_info_free(s->pixel_info);
    rundir_free(s->rundir);
    store_free(s->store);
    if (s->control_ready)
        control_done(&s->control);
    dataset_free(s->data);
    memset(s, 0, sizeof *s);
}

Status session_run_headless(Session *s, int *stopped, char *msg)
{
    *stopped = 0;
    signals_install();
    Status st = trainer_start(s->trainer, msg);
    char news[256];
    unsigned long seen = store_last_message(s->store, news, sizeof news);
    while (!st) {
        struct pollfd p = {.fd = store_wake_fd(s->store), .events = POLLIN};
        poll(&p, 1, 200);
        store_drain_wake(s->store);
        if (signals_pending() && !*stopped) {
            *stopped = 1;
            control_stop(&s->control);
        }
        /* Headless, the status line's news (a full disk) goes to stderr. */
        unsigned long serial = store_last_message(s->store, news, sizeof news);
        if (serial != seen) {
            seen = serial;
            fprintf(stderr, "neurotop train: %s\n", news);
        }
        TrainState state = store_get_progress(s->store).state;
        if (state == TRAIN_STATE_DONE || state == TRAIN_STATE_FAILED)
            break;
    }
    if (!st)
        st = trainer_join(s->trainer, msg);
    return st;
}
