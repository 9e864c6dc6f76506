/* Mini-batch bookkeeping for the weight trajectories (recorder.h). */
#include "neurotop/train/recorder.h"

#include <stdio.h>
#include <stdlib.h>

#include "neurotop/core/fileio.h"
#include "neurotop/run/trajectory.h"

struct Recorder {
    TrajectoryWriter *writer; /* opened by recorder_begin */
    ModelConfig config;
    int half;
    char run_dir[1024];
    size_t every, batch;
    uint64_t batches, next, count;
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
    /* The folder exists from the start, so a viewer knows the run records. */
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/" TRAJECTORY_DIR, run_dir);
    Status st = file_make_dirs(dir, msg);
    if (st) {
        free(r);
        return st;
    }
    r->config = *config;
    r->half = half;
    snprintf(r->run_dir, sizeof r->run_dir, "%s", run_dir);
    *out = r;
    return ST_OK;
}

void recorder_free(Recorder *r)
{
    if (!r)
        return;
    trajectory_writer_free(r->writer);
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
    if (st || resumed || batches % r->every)
        return st;
    r->count++;
    return trajectory_writer_record(r->writer, params, batches, examples, epoch, msg);
}

size_t recorder_room(const Recorder *r)
{
    return (size_t)(r->next - r->batches) * r->batch;
}

Status recorder_advance(Recorder *r, const float *params, size_t n, uint64_t examples, uint32_t epoch, char *msg)
{
    r->batches += (n + r->batch - 1) / r->batch;
    if (r->batches < r->next)
        return ST_OK;
    r->next = (r->batches / r->every + 1) * r->every;
    if (!trajectory_writer_active(r->writer)) /* NULL too: begin failed */
        return ST_OK;
    r->count++;
    return trajectory_writer_record(r->writer, params, r->batches, examples, epoch, msg);
}

uint64_t recorder_count(const Recorder *r)
{
    return r ? r->count : 0;
}

unsigned long long recorder_bytes(const Recorder *r)
{
    return r ? trajectory_writer_bytes(r->writer) : 0;
}
