#include "neurotop/cli/session.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "neurotop/cli/commands.h"
#include "neurotop/cli/signals.h"
#include "neurotop/core/json.h"
#include "neurotop/core/linalg.h"
#include "neurotop/data/registry.h"
#include "neurotop/measure/metrics_epoch.h"

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
    json_kv_int(&w, "flexreps", (long long)o->flexreps);
    json_kv_int(&w, "fc_windows", (long long)o->fc_windows);
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

Status session_open(Session *s, const RunOptions *o, char *msg)
{
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
    options_model_config(o, s->data->train.rows * s->data->train.cols, n_out, &cfg);
    cfg.in_rows = s->data->train.rows;
    cfg.in_cols = s->data->train.cols;
    Model *model = NULL;
    if ((st = model_new(&cfg, &model, msg)))
        goto fail;
    s->store = store_new(64, msg);
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
    TrainerConfig tc = {
        .epochs = o->epochs,
        .epoch_size = o->epoch_size,
        .batch = o->batch,
        .lr = (float)o->lr,
        .seed = o->seed,
        .n_probe = o->probe,
        .save_every = o->save_every,
        .activity = o->activity,
    };
    if ((st = trainer_new(model, s->data, &tc, &s->control, s->store, s->rundir, &s->trainer, msg))) {
        model_free(model);
        goto fail;
    }
    if ((st = metrics_epoch_register(s->trainer, msg)))
        goto fail;
    atomic_init(&s->modularity_settings.qreps, (int)o->qreps);
    if ((st = modularity_metric_new(&s->modularity_settings, o->seed, &s->modularity, msg)))
        goto fail;
    if (trainer_add_metric(s->trainer, modularity_metric_epoch, s->modularity)) {
        st = status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
        goto fail;
    }
    if ((st = info_metric_new(&s->info, msg)) || (st = pixel_info_new(s->data, &s->pixel_info, msg)))
        goto fail;
    if (trainer_add_metric(s->trainer, info_metric_epoch, s->info)) {
        st = status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
        goto fail;
    }
    activity_settings_init(&s->activity_settings, (int)o->flexreps, (int)o->fc_windows);
    if ((st = activity_metric_new(&s->activity_settings, o->seed, &s->activity, msg)))
        goto fail;
    if (trainer_add_metric(s->trainer, activity_metric_epoch, s->activity)) {
        st = status_fail(msg, ST_EINTERNAL, "too many per-epoch metrics");
        goto fail;
    }
    for (size_t i = 0; kind->measures && kind->measures[i]; i++)
        if ((st = enable_measure(s, kind->measures[i], msg)))
            goto fail;
    return ST_OK;
fail:
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
    while (!st) {
        struct pollfd p = {.fd = store_wake_fd(s->store), .events = POLLIN};
        poll(&p, 1, 200);
        store_drain_wake(s->store);
        if (signals_pending() && !*stopped) {
            *stopped = 1;
            control_stop(&s->control);
        }
        TrainState state = store_get_progress(s->store).state;
        if (state == TRAIN_STATE_DONE || state == TRAIN_STATE_FAILED)
            break;
    }
    if (!st)
        st = trainer_join(s->trainer, msg);
    return st;
}
