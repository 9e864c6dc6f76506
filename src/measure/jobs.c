#include "neurotop/measure/jobs.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/core/fileio.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/weightgraph.h"

struct Job {
    JobRunner *runner;
};

struct JobRunner {
    Store *store;
    pthread_mutex_t mu;
    pthread_t thread;
    int thread_live;
    JobState state;
    volatile int cancel;
    double progress;
    double started;
    char name[JOB_NAME_LEN];
    JobFn fn;
    AnalysisArgs args;
    char *args_json;   /* closes the result's JSON, or NULL */
    char *save_base;   /* where to save, or NULL */
    Snapshot *snap;
    JobResult *result;
    Job job;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void job_json_context(JsonWriter *w, const Snapshot *s, int part, const char *layer_name)
{
    if (!s)
        return;
    json_kv_int(w, "epoch", (long long)s->epoch);
    if (part != JOB_NO_PART)
        json_kv_string(w, "graph", graph_part_name((GraphPart)part));
    if (layer_name)
        json_kv_string(w, "layer", layer_name);
}

void job_result_free(JobResult *r)
{
    if (!r)
        return;
    strbuf_done(&r->text);
    strbuf_done(&r->json);
    for (size_t i = 0; i < r->n_maps; i++)
        free(r->maps[i].v);
    for (size_t i = 0; i < r->n_plots; i++) {
        free(r->plots[i].x);
        free(r->plots[i].y);
        free(r->plots[i].cls);
        free(r->plots[i].z);
    }
    free(r->partition);
    free(r);
}

Status job_result_add_map(JobResult *r, const char *label, const double *v, size_t rows, size_t cols,
                          int diverging)
{
    if (r->n_maps == JOB_MAX_MAPS)
        return ST_OK;
    JobMap *m = &r->maps[r->n_maps];
    m->v = malloc(rows * cols * sizeof(double));
    if (!m->v)
        return ST_ENOMEM;
    memcpy(m->v, v, rows * cols * sizeof(double));
    snprintf(m->label, sizeof m->label, "%s", label);
    m->rows = rows;
    m->cols = cols;
    m->diverging = diverging;
    r->n_maps++;
    return ST_OK;
}

/* A new plot slot with copies of x and the n_series curves, or NULL when full
 * (*st = ST_OK) or out of memory (*st = ST_ENOMEM). */
static JobPlot *plot_new(JobResult *r, const char *label, JobPlotKind kind, const double *x, size_t n,
                         size_t n_series, Status *st)
{
    *st = ST_OK;
    if (r->n_plots == JOB_MAX_PLOTS)
        return NULL;
    JobPlot *p = &r->plots[r->n_plots];
    memset(p, 0, sizeof *p);
    p->x = malloc((n ? n : 1) * sizeof(double));
    p->y = malloc((n && n_series ? n * n_series : 1) * sizeof(double));
    if (!p->x || !p->y) {
        free(p->x);
        free(p->y);
        *st = ST_ENOMEM;
        return NULL;
    }
    if (n)
        memcpy(p->x, x, n * sizeof(double));
    snprintf(p->label, sizeof p->label, "%s", label);
    p->kind = kind;
    p->n = n;
    p->n_series = n_series;
    for (int k = 0; k < 3; k++)
        p->range[k][0] = p->range[k][1] = NAN;
    r->n_plots++;
    return p;
}

Status job_result_add_cloud(JobResult *r, const char *label, const double *x, const double *y,
                            const double *z, const int *cls, size_t n)
{
    size_t before = r->n_plots;
    Status st = job_result_add_scatter(r, label, x, y, cls, n);
    if (st || r->n_plots == before) /* full: ignored like any other plot */
        return st;
    JobPlot *p = &r->plots[r->n_plots - 1];
    p->kind = JOB_PLOT_CLOUD;
    p->z = malloc((n ? n : 1) * sizeof(double));
    if (!p->z)
        return ST_ENOMEM;
    if (n)
        memcpy(p->z, z, n * sizeof(double));
    return ST_OK;
}

Status job_result_add_scatter(JobResult *r, const char *label, const double *x, const double *y,
                              const int *cls, size_t n)
{
    Status st;
    JobPlot *p = plot_new(r, label, JOB_PLOT_SCATTER, x, n, 1, &st);
    if (!p)
        return st;
    if (n)
        memcpy(p->y, y, n * sizeof(double));
    if (cls && n) {
        p->cls = malloc(n * sizeof(int));
        if (!p->cls)
            return ST_ENOMEM;
        memcpy(p->cls, cls, n * sizeof(int));
    }
    return ST_OK;
}

Status job_result_add_lines(JobResult *r, const char *label, const double *x, const double *const *ys,
                            size_t n_series, size_t n)
{
    if (n_series > JOB_PLOT_MAX_SERIES)
        n_series = JOB_PLOT_MAX_SERIES;
    Status st;
    JobPlot *p = plot_new(r, label, JOB_PLOT_LINES, x, n, n_series, &st);
    if (!p)
        return st;
    for (size_t k = 0; k < n_series && n; k++)
        memcpy(p->y + k * n, ys[k], n * sizeof(double));
    return ST_OK;
}

void job_set_progress(Job *job, double frac)
{
    if (!job)
        return;
    JobRunner *jr = job->runner;
    pthread_mutex_lock(&jr->mu);
    jr->progress = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    pthread_mutex_unlock(&jr->mu);
    store_wake(jr->store);
}

const volatile int *job_cancel_flag(Job *job)
{
    return job ? &job->runner->cancel : NULL;
}

Status jobrunner_new(Store *store, JobRunner **out, char *msg)
{
    JobRunner *jr = calloc(1, sizeof *jr);
    if (!jr)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    jr->store = store;
    jr->job.runner = jr;
    pthread_mutex_init(&jr->mu, NULL);
    *out = jr;
    return ST_OK;
}

/* The folder part of a path ("" when none). */
static void parent_dir(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), path);
}

static void save_result(JobRunner *jr, JobResult *r)
{
    if (r->status || r->json.len == 0)
        return;
    char msg[STATUS_MSG_LEN];
    if (jr->args_json && analysis_json_append_args(&r->json, jr->args_json, msg)) {
        r->status = status_fail(r->message, ST_ENOMEM, "%s", msg);
        return;
    }
    if (!jr->save_base)
        return;
    char dir[1100], path[1200];
    parent_dir(jr->save_base, dir, sizeof dir);
    /* A replayed run from a fresh clone has no analyses/ folder yet. */
    if (dir[0] && file_make_dirs(dir, msg) != ST_OK)
        return;
    /* The view first: a JSON without its view is computed again, never
     * shown half. */
    snprintf(path, sizeof path, "%s.view", jr->save_base);
    if (job_result_save_view(r, path, msg) != ST_OK)
        return;
    snprintf(path, sizeof path, "%s.json", jr->save_base);
    if (file_write_atomic(path, strbuf_cstr(&r->json), r->json.len, msg) == ST_OK)
        snprintf(r->saved, sizeof r->saved, "%s", path);
}

static void *thread_main(void *arg)
{
    JobRunner *jr = arg;
    JobResult *r = calloc(1, sizeof *r);
    if (r) {
        strbuf_init(&r->text);
        strbuf_init(&r->json);
        snprintf(r->name, sizeof r->name, "%s", jr->name);
        r->epoch = jr->snap->epoch;
        r->status = jr->fn(&jr->job, jr->snap, &jr->args, r, r->message);
        if (!r->status && (strbuf_failed(&r->text) || strbuf_failed(&r->json)))
            r->status = status_fail(r->message, ST_ENOMEM, "out of memory formatting the result");
        save_result(jr, r);
    }
    pthread_mutex_lock(&jr->mu);
    job_result_free(jr->result);
    jr->result = r;
    jr->state = JOB_FINISHED;
    jr->progress = 1.0;
    pthread_mutex_unlock(&jr->mu);
    store_wake(jr->store);
    return NULL;
}

static void join_thread(JobRunner *jr)
{
    if (jr->thread_live) {
        pthread_join(jr->thread, NULL);
        jr->thread_live = 0;
        snapshot_release(jr->snap);
        jr->snap = NULL;
    }
}

Status jobrunner_submit(JobRunner *jr, const char *name, JobFn fn, const AnalysisArgs *args, Snapshot *s,
                        char *msg)
{
    return jobrunner_submit_saved(jr, name, fn, args, s, NULL, NULL, msg);
}

Status jobrunner_submit_saved(JobRunner *jr, const char *name, JobFn fn, const AnalysisArgs *args, Snapshot *s,
                              const char *args_json, const char *save_base, char *msg)
{
    pthread_mutex_lock(&jr->mu);
    JobState state = jr->state;
    pthread_mutex_unlock(&jr->mu);
    if (state == JOB_RUNNING)
        return status_fail(msg, ST_EINVAL, "'%s' is still running (Esc cancels it)", jr->name);
    if (!s)
        return status_fail(msg, ST_EINVAL, "there is no snapshot to analyse yet");
    join_thread(jr);
    free(jr->args_json);
    free(jr->save_base);
    jr->args_json = args_json ? strdup(args_json) : NULL;
    jr->save_base = save_base ? strdup(save_base) : NULL;
    if ((args_json && !jr->args_json) || (save_base && !jr->save_base))
        return status_fail(msg, ST_ENOMEM, "out of memory");
    snprintf(jr->name, sizeof jr->name, "%s", name);
    jr->fn = fn;
    jr->args = *args;
    jr->snap = snapshot_retain(s);
    jr->cancel = 0;
    jr->progress = 0.0;
    jr->started = now_seconds();
    jr->state = JOB_RUNNING;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&jr->thread, NULL, thread_main, jr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        jr->state = JOB_IDLE;
        snapshot_release(jr->snap);
        jr->snap = NULL;
        return status_fail(msg, ST_EINTERNAL, "cannot start the analysis thread");
    }
    jr->thread_live = 1;
    return ST_OK;
}

void jobrunner_cancel(JobRunner *jr)
{
    jr->cancel = 1;
}

JobState jobrunner_state(JobRunner *jr, double *progress, double *elapsed, char *name, size_t cap)
{
    pthread_mutex_lock(&jr->mu);
    JobState st = jr->state;
    if (progress)
        *progress = jr->progress;
    if (elapsed)
        *elapsed = now_seconds() - jr->started;
    if (name)
        snprintf(name, cap, "%s", jr->name);
    pthread_mutex_unlock(&jr->mu);
    return st;
}

JobResult *jobrunner_take_result(JobRunner *jr)
{
    pthread_mutex_lock(&jr->mu);
    JobResult *r = jr->result;
    jr->result = NULL;
    if (jr->state == JOB_FINISHED)
        jr->state = JOB_IDLE;
    pthread_mutex_unlock(&jr->mu);
    if (r)
        join_thread(jr);
    return r;
}

void jobrunner_free(JobRunner *jr)
{
    if (!jr)
        return;
    jr->cancel = 1;
    join_thread(jr);
    job_result_free(jr->result);
    free(jr->args_json);
    free(jr->save_base);
    pthread_mutex_destroy(&jr->mu);
    free(jr);
}
