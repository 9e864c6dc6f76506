/* Benchmark of replay and export at the default MLP sizes (784-100-100-10):
 *   - a synthetic run directory of --epochs snapshot files (weights of a
 *     freshly initialised MLP, perturbed per epoch) and metrics lines with
 *     30 keys, written with the trainer's own writers;
 *   - replay_open (run.json, metrics.jsonl, listing snapshots/);
 *   - replay_snapshot: a cold load from disk, a cache hit, and a load with
 *     activations recomputed for 1,000 probe items (bundled digits, or
 *     synthetic images when the data are missing);
 *   - export_series_csv of the whole series;
 *   - disk use: bytes per snapshot and the projection for 200 epochs.
 * Options: --epochs N (default 40). Lines starting with "result" are the figures. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/linalg.h"
#include "neurotop/data/dataset.h"
#include "neurotop/run/export.h"
#include "neurotop/run/replay.h"
#include "neurotop/run/rundir.h"
#include "neurotop/run/snapshot_io.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_replay: %s: %s\n", what, msg);
    exit(1);
}

int main(int argc, char **argv)
{
    size_t epochs = 40;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--epochs") == 0)
            epochs = (size_t)atol(argv[++i]);
    if (epochs < 2)
        epochs = 2;
    linalg_set_threads(1);
    char msg[STATUS_MSG_LEN], root[64];
    snprintf(root, sizeof root, "/tmp/neurotop-bench-replay-XXXXXX");
    if (!mkdtemp(root))
        die("mkdtemp", "cannot create a temporary folder");

    ModelConfig cfg = {.kind = "mlp", .n_layers = 4, .sizes = {784, 100, 100, 10}, .seed = 1};
    Model *m = NULL;
    if (model_new(&cfg, &m, msg))
        die("model", msg);
    const char *run_json = "{\"model\":\"mlp\",\"sizes\":[784,100,100,10],\"init\":\"uniform\",\"seed\":1,"
                           "\"data\":\"mnist10k\",\"n_test\":2000,\"lr\":0.3,\"batch\":1,\"probe\":1000}";
    RunDir *rd = NULL;
    if (rundir_create(root, "mlp", run_json, NULL, &rd, msg))
        die("rundir", msg);
    double t0 = now();
    for (size_t e = 0; e <= epochs; e++) {
        Snapshot *s = snapshot_new(&cfg, m->params, m->n_params, 0);
        if (!s)
            die("snapshot", "out of memory");
        s->epoch = e;
        s->examples_seen = 8000 * e;
        s->params[e % s->n_params] += 0.5f;
        for (int k = 0; k < 30; k++) {
            char key[32];
            snprintf(key, sizeof key, "metric_%02d", k);
            snapshot_set_metric(s, key, sin((double)(e * 31 + (size_t)k)));
        }
        StrBuf line;
        strbuf_init(&line);
        metrics_format_line(s, &line);
        if (rundir_append_metrics(rd, strbuf_cstr(&line), msg) ||
            rundir_save_snapshot(rd, s, NULL, NULL, 0, msg))
            die("writing the run", msg);
        strbuf_done(&line);
        snapshot_release(s);
    }
    double t_write = (now() - t0) / (double)(epochs + 1);
    char dir[1100], path[1300];
    snprintf(dir, sizeof dir, "%s", rundir_path(rd));
    rundir_free(rd);
    snprintf(path, sizeof path, "%s/snapshots/epoch-000001.nts", dir);
    struct stat sb;
    stat(path, &sb);
    double snap_bytes = (double)sb.st_size;
    snprintf(path, sizeof path, "%s/metrics.jsonl", dir);
    stat(path, &sb);
    double line_bytes = (double)sb.st_size / (double)(epochs + 1);

    t0 = now();
    Replay *r = NULL;
    if (replay_open(dir, &r, msg))
        die("replay_open", msg);
    double t_open = now() - t0;

    t0 = now();
    for (size_t e = 0; e <= epochs; e++) {
        Snapshot *s = NULL;
        if (replay_snapshot(r, e, &s, msg))
            die("replay_snapshot", msg);
        snapshot_release(s);
    }
    double t_cold = (now() - t0) / (double)(epochs + 1);
    t0 = now();
    for (int i = 0; i < 1000; i++) {
        Snapshot *s = NULL;
        replay_snapshot(r, epochs, &s, msg);
        snapshot_release(s);
    }
    double t_hit = (now() - t0) / 1000.0;

    Dataset *d = NULL;
    Dataset synth;
    const Dataset *data = NULL;
    if (dataset_open("mnist10k", &d, msg) == ST_OK) {
        data = d;
    } else {
        memset(&synth, 0, sizeof synth);
        if (imageset_alloc(&synth.test, 1000, 28, 28, msg))
            die("synthetic data", msg);
        for (size_t i = 0; i < synth.test.n * 784; i++)
            synth.test.pixels[i] = (uint8_t)((i * 2654435761u) >> 24);
        data = &synth;
    }
    if (replay_attach_data(r, data, 1000, msg))
        die("replay_attach_data", msg);
    t0 = now();
    for (size_t e = 0; e <= epochs; e++) {
        Snapshot *s = NULL;
        if (replay_snapshot(r, e, &s, msg))
            die("replay_snapshot with data", msg);
        snapshot_release(s);
    }
    double t_acts = (now() - t0) / (double)(epochs + 1);

    snprintf(path, sizeof path, "%s/analyses/series.csv", dir);
    t0 = now();
    if (export_series_csv(replay_series(r), path, msg))
        die("export_series_csv", msg);
    double t_csv = now() - t0;

    printf("result epochs %zu (%s probe data)\n", epochs, d ? "bundled" : "synthetic");
    printf("result write_snapshot_ms %.2f  (save + metrics line, fsync'ed)\n", 1e3 * t_write);
    printf("result replay_open_ms %.2f  (%.1f us per metrics line of %.0f bytes)\n", 1e3 * t_open,
           1e6 * t_open / (double)(epochs + 1), line_bytes);
    printf("result snapshot_cold_ms %.3f\n", 1e3 * t_cold);
    printf("result snapshot_hit_us %.3f\n", 1e6 * t_hit);
    printf("result snapshot_with_activations_ms %.3f  (1000 probe items)\n", 1e3 * t_acts);
    printf("result export_series_csv_ms %.3f  (%zu epochs x 32 columns)\n", 1e3 * t_csv, epochs + 1);
    printf("result snapshot_bytes %.0f  projected_200_epochs_MB %.1f (budget 200)\n", snap_bytes,
           (201.0 * (snap_bytes + line_bytes)) / 1e6);

    replay_free(r);
    dataset_free(d);
    if (!d)
        imageset_done(&synth.test);
    model_free(m);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_replay: could not remove %s\n", root);
    return 0;
}
