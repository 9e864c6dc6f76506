#include "neurotop/train/trainer.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/core/rng.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/run/metrics.h"
#include "neurotop/train/recorder.h"

/* Examples per control check: small enough that a pause lands within a few
 * milliseconds, large enough that the check costs nothing. */
#define CHUNK_EXAMPLES 256
/* Training items a kind's data_metrics compares with the held-out set. */
#define TRAIN_SAMPLE 1000

struct Trainer {
    Model *model;
    const Dataset *data;
    TrainerConfig cfg;
    Control *control;
    Store *store;
    RunDir *rundir;
    Publisher *publisher; /* per-epoch metrics on their own thread */
    Recorder *recorder;   /* weight trajectories (NULL: not recorded) */
    int (*want)(size_t epoch, void *ctx); /* epochs to evaluate and publish (NULL: all) */
    void *want_ctx;

    size_t pixels;
    int supervised;  /* 0: the model trains and is evaluated without labels */
    float *test_x;   /* held-out set as floats, n_test × pixels */
    int *test_y;
    float *batch_x;  /* one chunk of training inputs */
    float *sample_x; /* kinds with data_metrics: the first n_sample training items */
    size_t n_sample;
    int *batch_y;
    size_t *order;   /* shuffled training indices */
    size_t cursor;   /* next position in order */
    size_t shuffles; /* reshuffles of order so far */
    Rng rng;
    size_t epoch;    /* last finished epoch */
    size_t examples_seen;

    int wait_at_limit; /* at the epoch limit: wait for the UI to move it */
    int resumed;       /* the first epoch is a resumed snapshot's, already published */

    pthread_t thread;
    int started;
    Status result;
    char result_msg[STATUS_MSG_LEN];
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The metrics thread's barrier: an epoch's line and snapshot wait for its
 * trajectory records, so the trainer goes on at once. */
static void records_written_through(const Snapshot *s, void *recorder)
{
    recorder_wait_through(recorder, s->examples_seen);
}

Status trainer_new(Model *model, const Dataset *data, const TrainerConfig *cfg, Control *control,
                   Store *store, RunDir *rundir, Trainer **out, char *msg)
{
    *out = NULL;
    if (cfg->batch < 1)
        return status_fail(msg, ST_EINVAL, "the batch size must be at least 1");
    size_t pixels = data->train.rows * data->train.cols;
    if (pixels != model->config.sizes[0])
        return status_fail(msg, ST_EINVAL, "the data has %zu pixels per image but the model expects %zu inputs",
                           pixels, model->config.sizes[0]);
    /* A supervised kind's outputs, or the classes of a read-out (DBN). */
    size_t n_out = model_label_classes(&model->config);
    int supervised = n_out > 0;
    if (supervised && (data->train.n_classes > n_out || data->test.n_classes > n_out))
        return status_fail(msg, ST_EINVAL, "the data has %zu classes but the model has %zu outputs",
                           data->train.n_classes > data->test.n_classes ? data->train.n_classes
                                                                        : data->test.n_classes,
                           n_out);
    if (data->train.n == 0 || data->test.n == 0)
        return status_fail(msg, ST_EINVAL, "the data set has no training or no held-out items");
    Status st = model_activity_check(model->kind, cfg->activity, msg);
    if (st)
        return st;
    Trainer *t = calloc(1, sizeof *t);
    if (!t)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    t->model = model;
    t->data = data;
    t->cfg = *cfg;
    if (t->cfg.epoch_size == 0)
        t->cfg.epoch_size = data->train.n;
    if (t->cfg.n_probe > data->test.n)
        t->cfg.n_probe = data->test.n;
    t->control = control;
    control_set_epochs(control, cfg->epochs);
    t->store = store;
    t->rundir = rundir;
    t->pixels = pixels;
    size_t chunk = ((CHUNK_EXAMPLES + cfg->batch - 1) / cfg->batch) * cfg->batch;
    t->test_x = malloc(data->test.n * pixels * sizeof(float));
    t->test_y = malloc(data->test.n * sizeof(int));
    t->batch_x = malloc(chunk * pixels * sizeof(float));
    t->batch_y = malloc(chunk * sizeof(int));
    t->supervised = supervised;
    t->order = malloc(data->train.n * sizeof(size_t));
    if (!t->test_x || !t->test_y || !t->batch_x || !t->batch_y || !t->order) {
        t->model = NULL; /* on failure the caller keeps the model */
        trainer_free(t);
        return status_fail(msg, ST_ENOMEM, "out of memory preparing the training data");
    }
    for (size_t i = 0; i < data->test.n; i++) {
        imageset_item_float(&data->test, i, t->test_x + i * pixels);
        t->test_y[i] = data->test.labels[i];
    }
    if (model->ops->data_metrics) {
        /* A fixed training sample as large as the held-out set (at most
         * TRAIN_SAMPLE), for measures that compare the two. */
        size_t n = data->train.n < data->test.n ? data->train.n : data->test.n;
        t->n_sample = n < TRAIN_SAMPLE ? n : TRAIN_SAMPLE;
        t->sample_x = malloc(t->n_sample * pixels * sizeof(float));
        if (!t->sample_x) {
            t->model = NULL;
            trainer_free(t);
            return status_fail(msg, ST_ENOMEM, "out of memory preparing the training data");
        }
        for (size_t i = 0; i < t->n_sample; i++)
            imageset_item_float(&data->train, i, t->sample_x + i * pixels);
    }
    if (publisher_new(store, rundir, cfg->save_every, &t->publisher, msg)) {
        t->model = NULL;
        trainer_free(t);
        return ST_ENOMEM;
    }
    if (cfg->record_every && rundir) {
        Status rst = recorder_new(rundir_path(rundir), &model->config, cfg->record_every, cfg->record_half,
                                  cfg->batch, &t->recorder, msg);
        if (rst) {
            t->model = NULL;
            trainer_free(t);
            return rst;
        }
        publisher_before_write(t->publisher, records_written_through, t->recorder);
    }
    rng_seed(&t->rng, cfg->seed, 1);
    /* A stream (HebbFF) is fed in its stored order; independent examples
     * in a fresh random order every pass. */
    if (model->ops->sequential)
        for (size_t i = 0; i < data->train.n; i++)
            t->order[i] = i;
    else
        rng_permutation(&t->rng, t->order, data->train.n);
    *out = t;
    return ST_OK;
}

void trainer_free(Trainer *t)
{
    if (!t)
        return;
    publisher_free(t->publisher);
    recorder_free(t->recorder);
    model_free(t->model);
    free(t->test_x);
    free(t->test_y);
    free(t->batch_x);
    free(t->sample_x);
    free(t->batch_y);
    free(t->order);
    free(t);
}

Status trainer_add_metric(Trainer *t, EpochMetricFn fn, void *ctx)
{
    return publisher_add_metric(t->publisher, fn, ctx);
}

void trainer_on_epoch(Trainer *t, EpochCallback cb, void *ctx)
{
    publisher_on_epoch(t->publisher, cb, ctx);
}

void trainer_set_epoch_filter(Trainer *t, int (*want)(size_t epoch, void *ctx), void *ctx)
{
    t->want = want;
    t->want_ctx = ctx;
}

static int wanted(const Trainer *t)
{
    return !t->want || t->want(t->epoch, t->want_ctx);
}

static void post_progress(Trainer *t, TrainState state, size_t done, double rate, double lr)
{
    TrainProgress p = {
        .state = state,
        .epoch = t->epoch + 1,
        .epochs_total = control_get_epochs(t->control),
        .done_in_epoch = done,
        .epoch_size = t->cfg.epoch_size,
        .examples_per_sec = rate,
        .lr = lr,
    };
    store_set_progress(t->store, &p);
}

static uint32_t order_hash(const size_t *order, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a over the indices as 32-bit words */
    for (size_t i = 0; i < n; i++) {
        uint32_t v = (uint32_t)order[i];
        for (int b = 0; b < 4; b++) {
            h ^= (v >> (8 * b)) & 0xffu;
            h *= 16777619u;
        }
    }
    return h;
}

/* Where training stands after this epoch, so it can be resumed exactly. */
static Status record_resume(const Trainer *t, Snapshot *s, char *msg)
{
    ResumeState *r = &s->resume;
    memcpy(r->rng, t->rng.s, sizeof r->rng);
    r->rng_has_spare = t->rng.has_spare;
    r->rng_spare = t->rng.spare;
    r->cursor = t->cursor;
    r->shuffles = t->shuffles;
    r->order_hash = order_hash(t->order, t->data->train.n);
    r->n_opt = model_opt_size(t->model);
    if (r->n_opt) {
        r->opt = malloc(r->n_opt * sizeof *r->opt);
        if (!r->opt)
            return status_fail(msg, ST_ENOMEM, "out of memory keeping the optimiser state");
        model_opt_get(t->model, r->opt);
    }
    r->valid = 1;
    return ST_OK;
}

/* A snapshot of the model now: held-out evaluation, the kind's state and
 * the probe activations. */
static Status build_snapshot(Trainer *t, Snapshot **out, char *msg)
{
    const Model *m = t->model;
    Snapshot *s = snapshot_new(&m->config, m->params, m->n_params, t->cfg.n_probe);
    *out = NULL;
    if (!s)
        return status_fail(msg, ST_ENOMEM, "out of memory building the snapshot");
    s->epoch = t->epoch;
    s->examples_seen = t->examples_seen;
    Status st = model_evaluate(m, t->test_x, t->supervised ? t->test_y : NULL, t->data->test.n,
                               &s->eval);
    if (st) {
        snapshot_release(s);
        return status_fail(msg, st, "cannot evaluate the model on the held-out set");
    }
    /* The kind's state after the held-out set (HebbFF's plastic matrix),
     * shown beside the weights; left out when it cannot be computed. */
    snapshot_record_state(s, m, t->test_x, t->data->test.n);
    if (m->ops->data_metrics) {
        ModelMetric km[SNAPSHOT_MAX_METRICS];
        size_t n_test = t->data->test.n < TRAIN_SAMPLE ? t->data->test.n : TRAIN_SAMPLE;
        size_t nk = m->ops->data_metrics(m, t->sample_x, t->n_sample, t->test_x, n_test, km,
                                         SNAPSHOT_MAX_METRICS);
        for (size_t i = 0; i < nk; i++)
            snapshot_set_metric(s, km[i].key, km[i].value);
    }
    for (size_t i = 0; i < t->cfg.n_probe; i++)
        s->probe_labels[i] = (uint8_t)t->test_y[i];
    if (t->cfg.n_probe)
        (void)model_activations(m, t->test_x, t->cfg.n_probe, t->cfg.activity, s->acts, NULL); /* checked in trainer_new */
    if ((st = record_resume(t, s, msg))) {
        snapshot_release(s);
        return st;
    }
    *out = s;
    return ST_OK;
}

/* Evaluate and record activations, then hand the snapshot to the publisher
 * (metrics, run directory, store). */
static Status finish_epoch(Trainer *t, double seconds, double loss_sum, size_t count, double lr,
                           char *msg)
{
    Snapshot *s = NULL;
    Status st = build_snapshot(t, &s, msg);
    if (st)
        return st;
    s->seconds = seconds;
    s->lr = lr;
    s->train_loss = count ? loss_sum / (double)count : NAN;

    /* An unsupervised kind has no accuracy (null in the metrics line) and
     * reports its reconstruction error instead (a DBN with a read-out: both,
     * the accuracy from the read-out's first epoch). */
    metric_put(s, METRIC_TEST_ACC, NULL, s->eval.accuracy);
    metric_put(s, METRIC_TEST_LOSS, NULL, s->eval.loss);
    if (isfinite(s->eval.recon))
        metric_put(s, METRIC_TEST_RECON, NULL, s->eval.recon);
    metric_put(s, METRIC_TRAIN_LOSS, NULL, s->train_loss);
    metric_put(s, METRIC_SECONDS, NULL, seconds);
    metric_put(s, METRIC_EXAMPLES_PER_SEC, NULL, seconds > 0 ? (double)count / seconds : NAN);
    metric_put(s, METRIC_LR, NULL, lr);
    return publisher_submit(t->publisher, s, msg);
}

static void handle_save(Trainer *t)
{
    char name[512], written[1400], msg[STATUS_MSG_LEN];
    if (!control_take_save(t->control, name, sizeof name))
        return;
    if (!t->rundir) {
        store_post_message(t->store, "nothing saved: this run has no run directory");
        return;
    }
    Snapshot *s = store_latest(t->store);
    if (!s)
        return;
    Status st = rundir_save_snapshot(t->rundir, s, name[0] ? name : NULL, written, sizeof written, msg);
    if (st)
        store_post_message(t->store, "save failed: %s", msg);
    else
        store_post_message(t->store, "saved epoch %zu to %s", s->epoch, written);
    snapshot_release(s);
}

/* Wait while paused (serving save requests). Returns 1 when asked to stop. */
static int wait_runnable(Trainer *t)
{
    for (;;) {
        handle_save(t);
        if (control_wait_runnable(t->control))
            return 1;
        if (!control_is_paused(t->control))
            return 0;
    }
}

/* At the epoch limit with the UI open: wait until it moves the limit (n,
 * Space, :epochs), serving saves. Returns 1 when asked to stop. */
static int wait_at_limit(Trainer *t)
{
    post_progress(t, TRAIN_STATE_DONE, 0, 0.0, control_get_lr(t->control));
    store_post_message(t->store, "epoch limit %zu reached: n, :step N or Space train on, :epochs N sets a new limit",
                       t->epoch);
    for (;;) {
        handle_save(t);
        if (control_wait_more(t->control, t->epoch))
            return 1;
        size_t limit = control_get_epochs(t->control);
        if (!limit || limit > t->epoch)
            return 0;
    }
}

/* A failed trajectory write is said on the status line; training goes on. */
static void record_status(Trainer *t, Status st, const char *why)
{
    if (st)
        store_post_message(t->store, "%s", why);
}

static Status run_loop(Trainer *t, char *msg)
{
    const ImageSet *train = &t->data->train;
    /* A resumed run's first snapshot is already in the run and the store. */
    Status st = t->resumed || !wanted(t) ? ST_OK : finish_epoch(t, 0.0, 0.0, 0, control_get_lr(t->control), msg);
    size_t chunk_cap = ((CHUNK_EXAMPLES + t->cfg.batch - 1) / t->cfg.batch) * t->cfg.batch;
    char why[STATUS_MSG_LEN];
    if (t->recorder) {
        /* Every epoch has ceil(epoch_size / batch) mini-batches: chunks are
         * whole batches but the last. */
        uint64_t per_epoch = (t->cfg.epoch_size + t->cfg.batch - 1) / t->cfg.batch;
        record_status(t, recorder_begin(t->recorder, t->model->params, (uint64_t)t->epoch * per_epoch,
                                        t->examples_seen, (uint32_t)t->epoch, t->resumed, why), why);
    }
    while (!st) {
        size_t limit = control_get_epochs(t->control);
        if (limit && t->epoch >= limit) {
            if (!t->wait_at_limit)
                break;
            if (wait_at_limit(t))
                return ST_OK;
            continue;
        }
        post_progress(t, control_is_paused(t->control) ? TRAIN_STATE_PAUSED : TRAIN_STATE_RUNNING,
                      0, 0.0, control_get_lr(t->control));
        double seconds = 0.0, loss_sum = 0.0, rate = 0.0;
        size_t done = 0;
        double lr = control_get_lr(t->control);
        /* A stream model starts every epoch at the start of its stream with
         * a cleared memory (the paper's fixed training stream). */
        if (t->model->ops->sequential) {
            t->cursor = 0;
            if (t->model->ops->reset_state)
                t->model->ops->reset_state(t->model);
        }
        if (t->model->ops->set_epoch)
            t->model->ops->set_epoch(t->model, t->epoch);
        while (done < t->cfg.epoch_size) {
            if (control_is_paused(t->control))
                post_progress(t, TRAIN_STATE_PAUSED, done, rate, lr);
            if (wait_runnable(t)) {
                post_progress(t, TRAIN_STATE_DONE, done, rate, lr);
                return ST_OK;
            }
            lr = control_get_lr(t->control);
            size_t n = t->cfg.epoch_size - done;
            if (n > chunk_cap)
                n = chunk_cap;
            if (t->recorder && n > recorder_room(t->recorder))
                n = recorder_room(t->recorder);
            for (size_t i = 0; i < n; i++) {
                if (t->cursor == train->n) {
                    if (!t->model->ops->sequential) {
                        rng_shuffle_size(&t->rng, t->order, train->n);
                        t->shuffles++;
                    }
                    t->cursor = 0;
                }
                size_t item = t->order[t->cursor++];
                imageset_item_float(train, item, t->batch_x + i * t->pixels);
                t->batch_y[i] = train->labels[item];
            }
            double t0 = now_seconds();
            st = t->model->ops->train(t->model, t->batch_x, t->supervised ? t->batch_y : NULL, n,
                                      t->cfg.batch, (float)lr, &loss_sum, msg);
            double dt = now_seconds() - t0;
            if (!st)
                st = publisher_status(t->publisher, msg);
            if (st)
                break;
            seconds += dt;
            done += n;
            t->examples_seen += n;
            if (t->recorder)
                record_status(t, recorder_advance(t->recorder, t->model->params, n, t->examples_seen,
                                                  (uint32_t)t->epoch, why), why);
            rate = seconds > 0 ? (double)done / seconds : 0.0;
            post_progress(t, TRAIN_STATE_RUNNING, done, rate, lr);
        }
        if (st)
            break;
        if (!isfinite(loss_sum)) {
            st = status_fail(msg, ST_ENUMERIC, "training diverged at epoch %zu (loss is not finite): try a smaller --lr",
                             t->epoch + 1);
            break;
        }
        t->epoch++;
        if (wanted(t))
            st = finish_epoch(t, seconds, loss_sum, done, lr, msg);
        control_epoch_done(t->control);
    }
    if (t->recorder) /* the last records' errors are said before DONE */
        record_status(t, recorder_flush(t->recorder, why), why);
    post_progress(t, st ? TRAIN_STATE_FAILED : TRAIN_STATE_DONE, 0, 0.0, control_get_lr(t->control));
    return st;
}

/* On a stop in the middle of an epoch the weights trained so far are kept
 * as snapshots/interrupted.nts, so nothing trained is lost. */
static void save_interrupted(Trainer *t)
{
    if (!t->rundir)
        return;
    Snapshot *last = store_latest(t->store);
    int moved = !last || last->examples_seen != t->examples_seen;
    snapshot_release(last);
    if (!moved)
        return;
    char msg[STATUS_MSG_LEN];
    Snapshot *s = snapshot_new(&t->model->config, t->model->params, t->model->n_params, 0);
    if (!s)
        return;
    s->epoch = t->epoch;
    s->examples_seen = t->examples_seen;
    metric_put(s, METRIC_INTERRUPTED, NULL, 1.0);
    if (rundir_save_snapshot(t->rundir, s, "interrupted.nts", NULL, 0, msg))
        store_post_message(t->store, "%s", msg);
    snapshot_release(s);
}

void trainer_wait_at_limit(Trainer *t, int on)
{
    t->wait_at_limit = on;
}

/* The data order after `shuffles` reshuffles, rebuilt from the seed as the
 * run made it. */
static void rebuild_order(Trainer *t, size_t shuffles)
{
    size_t n = t->data->train.n;
    rng_seed(&t->rng, t->cfg.seed, 1);
    if (t->model->ops->sequential) {
        for (size_t i = 0; i < n; i++)
            t->order[i] = i;
    } else {
        rng_permutation(&t->rng, t->order, n);
        for (size_t k = 0; k < shuffles; k++)
            rng_shuffle_size(&t->rng, t->order, n);
    }
    t->shuffles = shuffles;
}

Status trainer_resume(Trainer *t, const Snapshot *s, char *msg)
{
    const ResumeState *r = &s->resume;
    if (!r->valid)
        return status_fail(msg, ST_EINVAL,
                           "the snapshot of epoch %zu holds no training state (it was written before runs could "
                           "be resumed)",
                           s->epoch);
    if (s->n_params != t->model->n_params || strcmp(s->config.kind, t->model->config.kind) != 0)
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu is of another model than the run's",
                           s->epoch);
    if (r->cursor > t->data->train.n || (r->shuffles && t->model->ops->sequential))
        return status_fail(msg, ST_EINVAL, "the snapshot of epoch %zu places training outside the data set",
                           s->epoch);
    rebuild_order(t, r->shuffles);
    if (memcmp(t->rng.s, r->rng, sizeof r->rng) != 0 || order_hash(t->order, t->data->train.n) != r->order_hash)
        return status_fail(msg, ST_EINVAL,
                           "the data order of epoch %zu does not rebuild from the seed: the data set is not the "
                           "one the run trained on",
                           s->epoch);
    t->rng.has_spare = r->rng_has_spare;
    t->rng.spare = r->rng_spare;
    t->cursor = r->cursor;
    memcpy(t->model->params, s->params, s->n_params * sizeof *s->params);
    /* The optimiser state is that of the epoch the snapshot finished. */
    if (t->model->ops->set_epoch)
        t->model->ops->set_epoch(t->model, s->epoch ? s->epoch - 1 : 0);
    Status st = model_opt_set(t->model, r->opt, r->n_opt, msg);
    if (st)
        return st;
    t->epoch = s->epoch;
    t->examples_seen = s->examples_seen;
    control_set_lr(t->control, s->lr);
    /* The store shows the resumed epoch as the run recorded it. */
    Snapshot *now = NULL;
    if ((st = build_snapshot(t, &now, msg)))
        return st;
    now->seconds = s->seconds;
    now->lr = s->lr;
    now->train_loss = s->train_loss;
    for (size_t i = 0; i < s->n_metrics; i++)
        snapshot_set_metric(now, s->metrics[i].key, s->metrics[i].value);
    st = store_publish(t->store, now);
    snapshot_release(now);
    if (!st)
        t->resumed = 1;
    return st;
}

Status trainer_run(Trainer *t, char *msg)
{
    char local[STATUS_MSG_LEN] = "";
    Status st = publisher_start(t->publisher, local);
    if (!st)
        st = run_loop(t, local);
    Status pst = publisher_finish(t->publisher, st ? NULL : local);
    if (!st)
        st = pst;
    if (!st)
        save_interrupted(t);
    if (st) {
        store_post_message(t->store, "training stopped: %s", local);
        if (msg)
            memcpy(msg, local, sizeof local);
    }
    return st;
}

static void *thread_main(void *arg)
{
    Trainer *t = arg;
    t->result = trainer_run(t, t->result_msg);
    store_wake(t->store);
    return NULL;
}

Status trainer_start(Trainer *t, char *msg)
{
    /* Signals belong to the main thread, which turns them into a clean stop. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&t->thread, NULL, thread_main, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return status_fail(msg, ST_EINTERNAL, "cannot start the trainer thread");
    t->started = 1;
    return ST_OK;
}

Status trainer_join(Trainer *t, char *msg)
{
    if (!t->started)
        return ST_OK;
    pthread_join(t->thread, NULL);
    t->started = 0;
    if (t->result && msg)
        memcpy(msg, t->result_msg, STATUS_MSG_LEN);
    return t->result;
}
