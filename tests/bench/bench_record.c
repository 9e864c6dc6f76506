/* Benchmark of the trajectory writer (run/trajectory.h): CPU time to pack
 * and write one record of a 784-100-10 MLP (both layers), float32 and
 * binary16, against a uniform-start network whose weights drift a little
 * between records. The writer runs on a thread beside training, so what
 * matters is that a record costs less than the 10 mini-batches between two
 * records (tests/bench/run_record.sh measures that whole). Lines starting
 * with "result" are the figures. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/core/rng.h"
#include "neurotop/run/trajectory.h"

#define RECORDS 200

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int run(int half, const char *dir)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 3;
    c.sizes[0] = 784;
    c.sizes[1] = 100;
    c.sizes[2] = 10;
    size_t n = model_param_count(&c);
    float *p = malloc(n * sizeof *p);
    if (!p)
        return 1;
    Rng r;
    rng_seed(&r, 15, 0);
    for (size_t i = 0; i < n; i++)
        p[i] = (float)(2.0 * rng_uniform(&r) - 1.0);
    char msg[STATUS_MSG_LEN];
    TrajectoryWriter *w = NULL;
    if (trajectory_writer_new(dir, &c, half, &w, msg)) {
        fprintf(stderr, "bench_record: %s\n", msg);
        free(p);
        return 1;
    }
    double total = 0.0;
    for (int k = 0; k < RECORDS; k++) {
        for (size_t i = 0; i < n; i += 7)
            p[i] += (float)(1e-3 * rng_normal(&r));
        double t0 = cpu_seconds();
        Status st = trajectory_writer_record(w, p, (uint64_t)k * 10, (uint64_t)k * 500, 0, msg);
        total += cpu_seconds() - t0;
        if (st) {
            fprintf(stderr, "bench_record: %s\n", msg);
            trajectory_writer_free(w);
            free(p);
            return 1;
        }
    }
    printf("result record_784-100-10_%s_ms %.3f (%.1f MB for %d records)\n", half ? "half" : "float",
           1e3 * total / RECORDS, (double)trajectory_writer_bytes(w) / 1048576.0, RECORDS);
    trajectory_writer_free(w);
    free(p);
    return 0;
}

int main(void)
{
    int rc = 0;
    for (int half = 0; half < 2 && !rc; half++) {
        char dir[] = "/tmp/neurotop-bench-record-XXXXXX", cmd[128];
        if (!mkdtemp(dir)) {
            perror("bench_record");
            return 1;
        }
        rc = run(half, dir);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
