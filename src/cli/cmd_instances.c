/* `neurotop train --headless --instances K --jobs J`: K seeds of one model,
 * J sessions at a time in this process, a batch folder with summary.csv. */
#include "neurotop/cli/instances.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/cli/session.h"
#include "neurotop/cli/signals.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/strbuf.h"

static const char *const fixed_keys[] = {INSTANCES_FIXED_KEYS};
static const char *const optional_keys[] = {INSTANCES_OPTIONAL_KEYS};
#define N_FIXED (sizeof fixed_keys / sizeof fixed_keys[0])
#define N_OPTIONAL (sizeof optional_keys / sizeof optional_keys[0])
#define N_KEYS (N_FIXED + N_OPTIONAL)

/* One instance's rows, filled by its publisher thread, read by the main
 * thread only after the trainer has been joined (summaries written while
 * other instances run leave those out). */
typedef struct {
    size_t index;
    uint64_t seed;
    size_t epochs;
    int quiet;
    int done;
    int joined;            /* its trainer has ended: rows may be read */
    double *rows;          /* (epochs + 1) × N_KEYS */
    unsigned char *have;   /* epochs + 1 */
    char dir[1024];
} Record;

typedef struct {
    Session s;
    Record *rec;
    double t0;
    int busy;
} Slot;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double key_value(const Snapshot *s, const char *key)
{
    if (strcmp(key, "test_acc") == 0)
        return s->eval.accuracy;
    if (strcmp(key, "test_loss") == 0)
        return s->eval.loss;
    return snapshot_metric(s, key);
}

static size_t key_index(const char *key)
{
    for (size_t k = 0; k < N_FIXED; k++)
        if (strcmp(fixed_keys[k], key) == 0)
            return k;
    for (size_t k = 0; k < N_OPTIONAL; k++)
        if (strcmp(optional_keys[k], key) == 0)
            return N_FIXED + k;
    return 0;
}

static void on_epoch(const Snapshot *s, void *ctx)
{
    Record *r = ctx;
    if (s->epoch > r->epochs)
        return;
    double *row = r->rows + s->epoch * N_KEYS;
    for (size_t k = 0; k < N_KEYS; k++)
        row[k] = key_value(s, k < N_FIXED ? fixed_keys[k] : optional_keys[k - N_FIXED]);
    r->have[s->epoch] = 1;
    if (r->quiet)
        return;
    /* One printf per line: stdio locks the stream, so lines of parallel
     * instances never interleave. */
    char extra[160] = "";
    double q = row[key_index("fcq")], flex = row[key_index("flex_system")];
    size_t len = 0;
    if (isfinite(q))
        len += (size_t)snprintf(extra + len, sizeof extra - len, "  fcQ %.3f/%.0f reg %.3f/%.0f", q,
                                row[key_index("fcq_modules")], row[key_index("fcq_reg")],
                                row[key_index("fcq_reg_modules")]);
    if (isfinite(flex) && len < sizeof extra)
        snprintf(extra + len, sizeof extra - len, "  flex %.3f", flex);
    printf("i%02zu seed %llu epoch %4zu/%zu  acc %.4f  tpr %.3f fpr %.3f  lambda %.3f eta %+.3f%s\n", r->index,
           (unsigned long long)r->seed, s->epoch, r->epochs, row[0], row[key_index("tpr")],
           row[key_index("fpr")], row[key_index("lambda")], row[key_index("eta")], extra);
    fflush(stdout);
}

static Status make_batch_dir(const RunOptions *o, char *dir, size_t cap, char *msg)
{
    Status st = file_make_dirs(o->runs, msg);
    if (st)
        return st;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int k = 1; k < 1000; k++) {
        int n = k == 1 ? snprintf(dir, cap, "%s/%s-%s-x%zu", o->runs, stamp, o->model, o->instances)
                       : snprintf(dir, cap, "%s/%s-%s-x%zu-%d", o->runs, stamp, o->model, o->instances, k);
        if (n < 0 || (size_t)n >= cap)
            return status_fail(msg, ST_EINVAL, "the --runs path is too long");
        if (mkdir(dir, 0755) == 0)
            return ST_OK;
        if (errno != EEXIST)
            return status_fail(msg, ST_EIO, "cannot create the batch folder %s: %s", dir, strerror(errno));
    }
    return status_fail(msg, ST_EIO, "cannot find a free batch folder name under %s", o->runs);
}

static void append_cell(StrBuf *b, double v)
{
    if (isfinite(v))
        strbuf_printf(b, ",%.10g", v);
    else
        strbuf_append(b, ",");
}

static Status write_summary(const char *dir, const Record *recs, size_t n, char *msg)
{
    int present[N_OPTIONAL] = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t e = 0; e <= recs[i].epochs && recs[i].joined; e++)
            for (size_t k = 0; k < N_OPTIONAL && recs[i].have[e]; k++)
                present[k] |= isfinite(recs[i].rows[e * N_KEYS + N_FIXED + k]) != 0;
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "instance,seed,epoch");
    for (size_t k = 0; k < N_FIXED; k++)
        strbuf_printf(&b, ",%s", fixed_keys[k]);
    for (size_t k = 0; k < N_OPTIONAL; k++)
        if (present[k])
            strbuf_printf(&b, ",%s", optional_keys[k]);
    strbuf_append(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t e = 0; e <= recs[i].epochs && recs[i].joined; e++) {
            if (!recs[i].have[e])
                continue;
            const double *row = recs[i].rows + e * N_KEYS;
            strbuf_printf(&b, "%zu,%llu,%zu", recs[i].index, (unsigned long long)recs[i].seed, e);
            for (size_t k = 0; k < N_FIXED; k++)
                append_cell(&b, row[k]);
            for (size_t k = 0; k < N_OPTIONAL; k++)
                if (present[k])
                    append_cell(&b, row[N_FIXED + k]);
            strbuf_append(&b, "\n");
        }
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, INSTANCES_SUMMARY);
    Status st = !strbuf_failed(&b) ? file_write_atomic(path, b.data, b.len, msg)
                              : status_fail(msg, ST_ENOMEM, "out of memory for the summary table");
    strbuf_done(&b);
    return st;
}

static Status start_instance(const RunOptions *base, const char *batch, Slot *slot, Record *rec, char *msg)
{
    RunOptions o = *base;
    char tag[24];
    snprintf(tag, sizeof tag, "-i%0*zu", base->instances > 100 ? (base->instances > 1000 ? 4 : 3) : 2,
             rec->index);
    o.seed = rec->seed;
    o.run_tag = tag;
    o.runs = batch;
    o.log = NULL;
    Status st = session_open(&slot->s, &o, msg);
    if (st)
        return st;
    trainer_on_epoch(slot->s.trainer, on_epoch, rec);
    snprintf(rec->dir, sizeof rec->dir, "%s", rundir_path(slot->s.rundir));
    if ((st = trainer_start(slot->s.trainer, msg)))
        goto fail;
    slot->rec = rec;
    slot->busy = 1;
    slot->t0 = now_seconds();
    return ST_OK;
fail:
    session_close(&slot->s);
    return st;
}

static void report_instance(const Record *r, double seconds)
{
    size_t last = 0, best = 0;
    for (size_t e = 0; e <= r->epochs; e++)
        if (r->have[e]) {
            last = e;
            if (r->rows[e * N_KEYS] > r->rows[best * N_KEYS])
                best = e;
        }
    const double *row = r->rows + last * N_KEYS;
    printf("i%02zu seed %llu %s: %zu epochs, acc %.4f (best %.4f at epoch %zu), lambda %.3f eta %+.3f, %.1f s  %s\n",
           r->index, (unsigned long long)r->seed, r->done ? "done" : "stopped", last, row[0],
           r->rows[best * N_KEYS], best, row[key_index("lambda")], row[key_index("eta")], seconds, r->dir);
    fflush(stdout);
}

/* Join a finished (or stopped) slot; the first error wins. */
static Status finish_slot(Slot *slot, Status first, char *msg)
{
    char m2[STATUS_MSG_LEN] = "";
    Status st = trainer_join(slot->s.trainer, m2);
    Record *r = slot->rec;
    r->joined = 1;
    r->done = !st && r->have[r->epochs];
    if (!st)
        report_instance(r, now_seconds() - slot->t0);
    session_close(&slot->s);
    slot->busy = 0;
    if (st && !first) {
        snprintf(msg, STATUS_MSG_LEN, "instance %zu (seed %llu): %.400s", r->index, (unsigned long long)r->seed, m2);
        return st;
    }
    return first;
}

Status instances_run(const RunOptions *o, const InstancesConfig *c, InstancesOutcome *out, char *msg)
{
    memset(out, 0, sizeof *out);
    size_t k = o->instances, jobs = o->jobs;
    if (k == 0 || o->epochs == 0)
        return status_fail(msg, ST_EINVAL, "instances need --instances K >= 1 and --epochs N >= 1");
    if (jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores > 0 ? (size_t)cores : 1;
    }
    if (jobs > k)
        jobs = k;
    size_t rows;
    if (size_mul(o->epochs + 1, N_KEYS, &rows) || rows > ((size_t)-1) / sizeof(double) / k)
        return status_fail(msg, ST_EINVAL, "%zu instances of %zu epochs are too many to summarise", k, o->epochs);
    Record *recs = calloc(k, sizeof *recs);
    Slot *slots = calloc(jobs, sizeof *slots);
    Status st = ST_OK;
    if (!recs || !slots) {
        st = status_fail(msg, ST_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        recs[i] = (Record){.index = i, .seed = o->seed + i, .epochs = o->epochs, .quiet = c->quiet};
        recs[i].rows = malloc(rows * sizeof(double));
        recs[i].have = calloc(o->epochs + 1, 1);
        if (!recs[i].rows || !recs[i].have) {
            st = status_fail(msg, ST_ENOMEM, "out of memory for the summary of %zu instances", k);
            goto done;
        }
        for (size_t j = 0; j < rows; j++)
            recs[i].rows[j] = NAN;
    }
    if ((st = make_batch_dir(o, out->dir, sizeof out->dir, msg)))
        goto done;
    printf("batch folder: %s  (%zu instances, seeds %llu-%llu, %zu at a time, %zu epochs each)\n", out->dir, k,
           (unsigned long long)o->seed, (unsigned long long)(o->seed + k - 1), jobs, o->epochs);
    fflush(stdout);
    signals_install();
    size_t next = 0, running = 0;
    int stopping = 0;
    for (;;) {
        if (signals_pending() && !stopping) {
            stopping = 1;
            out->interrupted = 1;
        }
        if (stopping)
            for (size_t j = 0; j < jobs; j++)
                if (slots[j].busy)
                    control_stop(&slots[j].s.control);
        for (size_t j = 0; j < jobs && !stopping && next < k; j++) {
            if (slots[j].busy)
                continue;
            if ((st = start_instance(o, out->dir, &slots[j], &recs[next], msg))) {
                stopping = 1;
                break;
            }
            next++;
            running++;
        }
        if (running == 0)
            break;
        struct pollfd p[64];
        size_t np = 0;
        for (size_t j = 0; j < jobs && np < 64; j++)
            if (slots[j].busy)
                p[np++] = (struct pollfd){.fd = store_wake_fd(slots[j].s.store), .events = POLLIN};
        poll(p, np, 200);
        for (size_t j = 0; j < jobs; j++) {
            if (!slots[j].busy)
                continue;
            store_drain_wake(slots[j].s.store);
            TrainState state = store_get_progress(slots[j].s.store).state;
            if (state != TRAIN_STATE_DONE && state != TRAIN_STATE_FAILED)
                continue;
            Status fs = finish_slot(&slots[j], st, msg);
            running--;
            if (fs && !st) {
                st = fs;
                stopping = 1;
            }
            char m2[STATUS_MSG_LEN];
            if (!st && (fs = write_summary(out->dir, recs, k, m2))) {
                st = fs;
                snprintf(msg, STATUS_MSG_LEN, "%s", m2);
                stopping = 1;
            }
        }
    }
    for (size_t i = 0; i < k; i++)
        out->finished += recs[i].done;
    if (!st)
        st = write_summary(out->dir, recs, k, msg);
done:
    if (recs)
        for (size_t i = 0; i < k; i++) {
            free(recs[i].rows);
            free(recs[i].have);
        }
    free(recs);
    free(slots);
    return st;
}

int instances_main(const RunOptions *o)
{
    if (o->instances == 0) {
        fprintf(stderr, "neurotop train: --jobs needs --instances K.\n");
        return 2;
    }
    if (o->log) {
        fprintf(stderr, "neurotop train: --log is for one run; a batch of instances writes summary.csv.\n");
        return 2;
    }
    char msg[STATUS_MSG_LEN] = "";
    InstancesConfig c = {0};
    InstancesOutcome out;
    double t0 = now_seconds();
    Status st = instances_run(o, &c, &out, msg);
    if (st) {
        fprintf(stderr, "neurotop train: %s\n", msg);
        return status_exit_code(st);
    }
    printf("%zu of %zu instances finished in %.1f s; summary: %s/%s\n", out.finished, o->instances,
           now_seconds() - t0, out.dir, INSTANCES_SUMMARY);
    if (out.interrupted) {
        fprintf(stderr, "neurotop train: stopped by a signal; summary.csv holds every finished epoch.\n");
        return 130;
    }
    return 0;
}
