#include "neurotop/run/rundir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/json.h"
#include "neurotop/run/metrics.h"
#include "neurotop/run/snapshot_io.h"

struct RunDir {
    char path[1024];
    FILE *metrics;
    FILE *log;
};

const char *rundir_path(const RunDir *rd)
{
    return rd->path;
}

static Status open_metrics(RunDir *rd, const char *log_path, char *msg)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/metrics.jsonl", rd->path);
    rd->metrics = fopen(p, "a");
    if (!rd->metrics)
        return status_fail(msg, ST_EIO, "cannot open %s: %s", p, strerror(errno));
    if (log_path) {
        rd->log = fopen(log_path, "w");
        if (!rd->log)
            return status_fail(msg, ST_EIO, "cannot write the log file %s: %s", log_path,
                               strerror(errno));
    }
    return ST_OK;
}

Status rundir_create(const char *root, const char *model, const char *run_json,
                     const char *log_path, RunDir **out, char *msg)
{
    *out = NULL;
    Status st = file_make_dirs(root, msg);
    if (st)
        return st;
    RunDir *rd = calloc(1, sizeof *rd);
    if (!rd)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int k = 1; k < 1000; k++) {
        if (k == 1)
            snprintf(rd->path, sizeof rd->path, "%s/%s-%s", root, stamp, model);
        else
            snprintf(rd->path, sizeof rd->path, "%s/%s-%s-%d", root, stamp, model, k);
        if (mkdir(rd->path, 0755) == 0)
            break;
        if (errno != EEXIST) {
            st = status_fail(msg, ST_EIO, "cannot create the run folder %s: %s", rd->path,
                             strerror(errno));
            goto fail;
        }
    }
    char p[1100];
    snprintf(p, sizeof p, "%s/snapshots", rd->path);
    if ((st = file_make_dirs(p, msg)))
        goto fail;
    snprintf(p, sizeof p, "%s/analyses", rd->path);
    if ((st = file_make_dirs(p, msg)))
        goto fail;
    snprintf(p, sizeof p, "%s/run.json", rd->path);
    if ((st = file_write_atomic(p, run_json, strlen(run_json), msg)))
        goto fail;
    if ((st = open_metrics(rd, log_path, msg)))
        goto fail;
    *out = rd;
    return ST_OK;
fail:
    rundir_free(rd);
    return st;
}

Status rundir_open(const char *path, RunDir **out, char *msg)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return status_fail(msg, ST_ENOTFOUND, "%s is not a run directory", path);
    RunDir *rd = calloc(1, sizeof *rd);
    if (!rd)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    snprintf(rd->path, sizeof rd->path, "%s", path);
    *out = rd;
    return ST_OK;
}

/* The epoch of a metrics line ({"epoch":N,...}), or -1. */
static long long line_epoch(const char *line, size_t n)
{
    const char key[] = "{\"epoch\":";
    if (n < sizeof key || memcmp(line, key, sizeof key - 1) != 0)
        return -1;
    long long e = 0;
    size_t i = sizeof key - 1, digits = 0;
    for (; i < n && line[i] >= '0' && line[i] <= '9' && digits < 15; i++, digits++)
        e = 10 * e + (line[i] - '0');
    return digits ? e : -1;
}

/* metrics.jsonl without the lines of epochs after `epoch` (and without a
 * last line cut short by a crash), rewritten atomically. */
static Status cut_metrics(const char *dir, size_t epoch, char *msg)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/metrics.jsonl", dir);
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(p, (size_t)1 << 30, &text, &len, msg);
    if (st)
        return st;
    size_t keep = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            break; /* no line end: the line was being written */
        size_t n = (size_t)(nl - (text + i));
        long long e = line_epoch(text + i, n);
        if (e >= 0 && (size_t)e > epoch)
            break;
        i += n + 1;
        keep = i;
    }
    if (keep < len)
        st = file_write_atomic(p, text, keep, msg);
    free(text);
    return st;
}

/* Snapshot files of epochs after `epoch`, and an interrupted epoch's: the
 * resumed run writes them again. */
static void drop_later_snapshots(const char *dir, size_t epoch)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/snapshots/interrupted.nts", dir);
    unlink(p);
    DIR *d;
    snprintf(p, sizeof p, "%s/snapshots", dir);
    if (!(d = opendir(p)))
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t e = 0;
        char tail[8] = "";
        if (sscanf(ent->d_name, "epoch-%zu%7s", &e, tail) == 2 && strcmp(tail, ".nts") == 0 && e > epoch) {
            snprintf(p, sizeof p, "%s/snapshots/%s", dir, ent->d_name);
            unlink(p);
        }
    }
    closedir(d);
}

Status rundir_resume(const char *path, size_t epoch, const char *log_path, RunDir **out, char *msg)
{
    *out = NULL;
    Status st = rundir_open(path, out, msg);
    if (st)
        return st;
    if (rundir_is_read_only(*out)) {
        rundir_free(*out);
        *out = NULL;
        return status_fail(msg, ST_EINVAL, "%s is read-only (a shipped run): copy it to resume it", path);
    }
    if ((st = cut_metrics(path, epoch, msg)) || (st = open_metrics(*out, log_path, msg))) {
        rundir_free(*out);
        *out = NULL;
        return st;
    }
    drop_later_snapshots(path, epoch);
    return ST_OK;
}

void rundir_free(RunDir *rd)
{
    if (!rd)
        return;
    if (rd->metrics)
        fclose(rd->metrics);
    if (rd->log)
        fclose(rd->log);
    free(rd);
}

static Status append_line(FILE *f, const char *line, const char *what, char *msg)
{
    if (fputs(line, f) == EOF || fputc('\n', f) == EOF || fflush(f) != 0)
        return status_fail(msg, ST_EIO, "cannot append to %s: %s", what, strerror(errno));
    /* The line must survive a dropped connection or a crash. */
    fsync(fileno(f));
    return ST_OK;
}

Status rundir_append_metrics(RunDir *rd, const char *line, char *msg)
{
    if (!rd->metrics) {
        Status st = open_metrics(rd, NULL, msg);
        if (st)
            return st;
    }
    Status st = append_line(rd->metrics, line, "metrics.jsonl", msg);
    if (!st && rd->log)
        st = append_line(rd->log, line, "the log file", msg);
    return st;
}

Status rundir_save_snapshot(RunDir *rd, const Snapshot *s, const char *name, char *written,
                            size_t cap, char *msg)
{
    char p[1400];
    if (name && strchr(name, '/'))
        snprintf(p, sizeof p, "%s", name);
    else if (name && *name)
        snprintf(p, sizeof p, "%s/snapshots/%s", rd->path, name);
    else
        snprintf(p, sizeof p, "%s/snapshots/epoch-%06zu.nts", rd->path, s->epoch);
    /* An epoch's file leaves out the optimiser state, which only the latest
     * epoch needs (to resume): it goes to snapshots/optimiser.nts after the
     * epoch's file, so it is never newer than a complete snapshot. A named
     * save keeps everything in its one file. */
    int per_epoch = !name || !*name;
    Status st = snapshot_save_parts(s, p, !per_epoch, msg);
    if (!st && per_epoch && s->resume.valid && s->resume.n_opt) {
        char o[1200];
        snprintf(o, sizeof o, "%s/snapshots/" RUNDIR_OPT_FILE, rd->path);
        st = snapshot_save_opt(s, o, msg);
    }
    if (!st && written)
        snprintf(written, cap, "%s", p);
    return st;
}

int rundir_is_read_only(const RunDir *rd)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/%s", rd->path, RUNDIR_READ_ONLY_MARK);
    return access(p, F_OK) == 0 || access(rd->path, W_OK) != 0;
}

static uint32_t fnv1a(const char *text)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

Status rundir_output_dir(const RunDir *rd, const char *kind, char *out, size_t cap, char *msg)
{
    if (!rundir_is_read_only(rd)) {
        snprintf(out, cap, "%s/%s", rd->path, kind);
        /* A folder the user cannot write into counts as read-only too. */
        if (access(out, F_OK) != 0 || access(out, W_OK) == 0)
            return ST_OK;
    }
    char base[PATH_MAX];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/') /* the XDG rule: a relative value is ignored */
        snprintf(base, sizeof base, "%s/neurotop", xdg);
    else if (home && home[0])
        snprintf(base, sizeof base, "%s/.cache/neurotop", home);
    else
        return status_fail(msg, ST_EIO,
                           "%s is read-only and neither XDG_CACHE_HOME nor HOME names a cache folder for its %s",
                           rd->path, kind);
    /* The run's real path tells two runs of the same name apart. */
    char real[PATH_MAX];
    if (!realpath(rd->path, real))
        snprintf(real, sizeof real, "%s", rd->path);
    size_t len = strlen(real);
    while (len > 1 && real[len - 1] == '/')
        real[--len] = '\0';
    const char *name = strrchr(real, '/');
    name = name && name[1] ? name + 1 : real;
    snprintf(out, cap, "%s/%s/%s-%08x", base, kind, name, (unsigned)fnv1a(real));
    return ST_OK;
}

void metrics_format_line(const Snapshot *s, StrBuf *out)
{
    JsonWriter w;
    json_init(&w, out);
    json_object_begin(&w);
    json_kv_int(&w, metric_info(METRIC_EPOCH)->key, (long long)s->epoch);
    json_kv_int(&w, metric_info(METRIC_EXAMPLES)->key, (long long)s->examples_seen);
    for (size_t i = 0; i < s->n_metrics; i++)
        json_kv_real(&w, s->metrics[i].key, s->metrics[i].value);
    json_object_end(&w);
}
