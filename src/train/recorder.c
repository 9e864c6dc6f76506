/* Mini-batch bookkeeping for the weight trajectories (recorder.h), and the
 * thread that packs and writes the records: the trainer only copies the
 * parameters into a free slot, so recording costs a memcpy per record
 * unless the writer falls every slot behind. The writer runs at a lower
 * priority than training and the live metrics, in the time they leave,
 * with up to MAX_SLOTS records (SLOT_BYTES at most) to catch up on. */
#include "neurotop/train/recorder.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/fileio.h"
#include "neurotop/run/trajectory.h"

#define MAX_SLOTS 16
#define SLOT_BYTES ((size_t)32 << 20)
/* The writer's nice value above the process's. */
#define WRITER_NICE 10

typedef struct {
    float *params;
    uint64_t step, examples;
    uint32_t epoch;
} Slot;

struct Recorder {
    TrajectoryWriter *writer; /* opened by recorder_begin */
    ModelConfig config;
    int half;
    char run_dir[1024];
    size_t every, batch, n_params;
    uint64_t batches, next, count;

    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t work, room; /* a slot was filled / emptied */
    Slot slot[MAX_SLOTS];
    size_t n_slots;
    size_t head, queued;       /* slots head.. (mod n_slots) wait to be written */
    int stop;
    Status error;              /* the writer's first failure, said once */
    int error_said;
    char error_msg[STATUS_MSG_LEN];
};

Status recorder_new(const char *run_dir, const ModelConfig *config, size_t every, int half, size_t batch,
                    Recorder **out, char *msg)
{
    *out = NULL;
    if (every == 0 || batch == 0)
        return status_fail(msg, ST_EINVAL, "trajectories need a step of at least one mini-batch");
    Recorder *r = calloc(1, sizeof *r);
    if (!r)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    r->every = every;
    r->batch = batch;
    r->n_params = model_param_count(config);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->work, NULL);
    pthread_cond_init(&r->room, NULL);
    size_t bytes = (r->n_params ? r->n_params : 1) * sizeof(float);
    r->n_slots = SLOT_BYTES / bytes < 2 ? 2 : SLOT_BYTES / bytes > MAX_SLOTS ? MAX_SLOTS : SLOT_BYTES / bytes;
    for (size_t i = 0; i < r->n_slots; i++)
        if (!(r->slot[i].params = malloc(bytes))) {
            recorder_free(r);
            return status_fail(msg, ST_ENOMEM, "out of memory for the trajectory queue");
        }
    /* The folder exists from the start, so a viewer knows the run records. */
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/" TRAJECTORY_DIR, run_dir);
    Status st = file_make_dirs(dir, msg);
    if (st) {
        recorder_free(r);
        return st;
    }
    r->config = *config;
    r->half = half;
    snprintf(r->run_dir, sizeof r->run_dir, "%s", run_dir);
    *out = r;
    return ST_OK;
}

static void *writer_main(void *arg)
{
    Recorder *r = arg;
#ifdef SYS_gettid
    /* Linux gives each thread its own nice value. */
    id_t self = (id_t)syscall(SYS_gettid);
    setpriority(PRIO_PROCESS, self, getpriority(PRIO_PROCESS, self) + WRITER_NICE);
#endif
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->queued == 0 && !r->stop)
            pthread_cond_wait(&r->work, &r->mu);
        if (r->queued == 0)
            break;
        Slot *s = &r->slot[r->head];
        pthread_mutex_unlock(&r->mu);
        char msg[STATUS_MSG_LEN];
        Status st = trajectory_writer_record(r->writer, s->params, s->step, s->examples, s->epoch, msg);
        pthread_mutex_lock(&r->mu);
        if (st && !r->error) {
            r->error = st;
            memcpy(r->error_msg, msg, sizeof msg);
        }
        r->head = (r->head + 1) % r->n_slots;
        r->queued--;
        pthread_cond_broadcast(&r->room);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Hand one record to the writer (waits while every slot is taken). */
static void enqueue(Recorder *r, const float *params, uint64_t step, uint64_t examples, uint32_t epoch)
{
    pthread_mutex_lock(&r->mu);
    while (r->queued == r->n_slots)
        pthread_cond_wait(&r->room, &r->mu);
    Slot *s = &r->slot[(r->head + r->queued) % r->n_slots];
    memcpy(s->params, params, r->n_params * sizeof *params);
    s->step = step;
    s->examples = examples;
    s->epoch = epoch;
    r->queued++;
    r->count++;
    pthread_cond_signal(&r->work);
    pthread_mutex_unlock(&r->mu);
}

/* The writer's failure, once. */
static Status take_error(Recorder *r, char *msg)
{
    pthread_mutex_lock(&r->mu);
    Status st = r->error_said ? ST_OK : r->error;
    if (st) {
        r->error_said = 1;
        memcpy(msg, r->error_msg, sizeof r->error_msg);
    }
    pthread_mutex_unlock(&r->mu);
    return st;
}

void recorder_free(Recorder *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->stop = 1;
        pthread_cond_signal(&r->work);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL); /* the queued records are written first */
    }
    trajectory_writer_free(r->writer);
    for (size_t i = 0; i < MAX_SLOTS; i++)
        free(r->slot[i].params);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->work);
    pthread_cond_destroy(&r->room);
    free(r);
}

Status recorder_begin(Recorder *r, const float *params, uint64_t batches, uint64_t examples, uint32_t epoch,
                      int resumed, char *msg)
{
    r->batches = batches;
    r->next = (batches / r->every + 1) * r->every;
    /* Cut back before opening: the writer rolls a failed write back to the
     * sizes it found. */
    Status st = resumed ? trajectory_truncate_after(r->run_dir, batches, msg) : ST_OK;
    if (!st)
        st = trajectory_writer_new(r->run_dir, &r->config, r->half, &r->writer, msg);
    if (!st && !r->started) {
        if (pthread_create(&r->thread, NULL, writer_main, r) != 0)
            return status_fail(msg, ST_EINTERNAL, "cannot start the trajectory writer");
        r->started = 1;
    }
    if (st || resumed || batches % r->every)
        return st;
    enqueue(r, params, batches, examples, epoch);
    return ST_OK;
}

size_t recorder_room(const Recorder *r)
{
    return (size_t)(r->next - r->batches) * r->batch;
}

Status recorder_advance(Recorder *r, const float *params, size_t n, uint64_t examples, uint32_t epoch, char *msg)
{
    r->batches += (n + r->batch - 1) / r->batch;
    if (r->batches >= r->next) {
        r->next = (r->batches / r->every + 1) * r->every;
        if (trajectory_writer_active(r->writer) && r->started)
            enqueue(r, params, r->batches, examples, epoch);
    }
    return r->started ? take_error(r, msg) : ST_OK;
}

Status recorder_flush(Recorder *r, char *msg)
{
    if (!r->started)
        return ST_OK;
    pthread_mutex_lock(&r->mu);
    while (r->queued > 0)
        pthread_cond_wait(&r->room, &r->mu);
    pthread_mutex_unlock(&r->mu);
    return take_error(r, msg);
}

void recorder_wait_through(Recorder *r, uint64_t examples)
{
    if (!r || !r->started)
        return;
    pthread_mutex_lock(&r->mu);
    /* Records leave in order: the oldest queued one decides. */
    while (r->queued > 0 && r->slot[r->head].examples <= examples)
        pthread_cond_wait(&r->room, &r->mu);
    pthread_mutex_unlock(&r->mu);
}

uint64_t recorder_count(const Recorder *r)
{
    return r ? r->count : 0;
}

unsigned long long recorder_bytes(const Recorder *r)
{
    return r ? trajectory_writer_bytes(r->writer) : 0;
}
