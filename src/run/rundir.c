/* renameat2 (RENAME_NOREPLACE) is a GNU extension. */
#define _GNU_SOURCE
#include "neurotop/run/rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
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
#include "neurotop/run/store.h"

struct RunDir {
    char path[1024];
    int metrics_fd; /* O_APPEND; -1 until opened */
    int log_fd;     /* O_APPEND; -1 when none */
    Store *store;   /* where disk-full news goes (may be NULL) */
    unsigned disk_full; /* FULL_* bits: what last found no room (and is skipped) */
    size_t skipped_lines, skipped_snapshots;
};

const char *rundir_path(const RunDir *rd)
{
    return rd->path;
}

void rundir_set_store(RunDir *rd, Store *store)
{
    rd->store = store;
}

int rundir_disk_full(const RunDir *rd)
{
    return rd->disk_full != 0;
}

enum { FULL_LINES = 1, FULL_SNAPSHOTS = 2 };

static int no_room(int e)
{
    return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

static RunDir *rundir_alloc(void)
{
    RunDir *rd = calloc(1, sizeof *rd);
    if (rd) {
        rd->metrics_fd = -1;
        rd->log_fd = -1;
    }
    return rd;
}

/* A file that does not end with a line break lost its last line to a crash
 * or a full disk: cut it back to the last whole line, so the next line is
 * not glued to the broken one. */
static void drop_partial_line(int fd)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
        return;
    off_t end = sb.st_size;
    char buf[4096];
    while (end > 0) {
        off_t from = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t n = pread(fd, buf, (size_t)(end - from), from);
        if (n != end - from)
            return;
        if (end == sb.st_size && buf[n - 1] == '\n')
            return;
        for (ssize_t i = n; i-- > 0;)
            if (buf[i] == '\n') {
                if (ftruncate(fd, from + i + 1) == 0)
                    fsync(fd);
                return;
            }
        end = from;
    }
    if (ftruncate(fd, 0) == 0)
        fsync(fd);
}

/* O_APPEND: every line is one write() at the end of the file, so runs
 * sharing a log file interleave whole lines and never overwrite each other.
 * own: the file is this run's alone (metrics.jsonl), so a line cut by a
 * crash may be dropped. */
static Status open_append(const char *path, int *fd, int own, char *msg)
{
    *fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0644); /* read: the last byte */
    if (*fd < 0)
        return status_fail(msg, ST_EIO, "cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(*fd);
        *fd = -1;
        return status_fail(msg, ST_EINVAL, "%s is not a regular file", path);
    }
    fcntl(*fd, F_SETFL, O_APPEND);
    if (own) /* a shared log may be in the middle of another run's write */
        drop_partial_line(*fd);
    return ST_OK;
}

static Status open_metrics(RunDir *rd, const char *log_path, char *msg)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/metrics.jsonl", rd->path);
    Status st = open_append(p, &rd->metrics_fd, 1, msg);
    if (!st && log_path && (st = open_append(log_path, &rd->log_fd, 0, msg)))
        st = status_fail(msg, st, "cannot write the log file %s", log_path);
    return st;
}

/* The process id in a name "PREFIX...PID" (digits after the last '.'), 0 if none. */
static long trailing_pid(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || !dot[1])
        return 0;
    char *end;
    long pid = strtol(dot + 1, &end, 10);
    return *end == '\0' && pid > 0 ? pid : 0;
}

/* rm -r of a folder we made (two levels: run folder, snapshots/ or analyses/). */
static void remove_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)) != NULL) {
            if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
                continue;
            char p[1400];
            snprintf(p, sizeof p, "%s/%s", path, ent->d_name);
            if (unlink(p) != 0 && depth > 0)
                remove_tree(p, depth - 1);
        }
        closedir(d);
    }
    rmdir(path);
}

/* Half-made run folders (".new-...PID") of processes that died while
 * making them. */
static void remove_stale_new(const char *root)
{
    DIR *d = opendir(root);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (strncmp(ent->d_name, ".new-", 5) != 0)
            continue;
        long pid = trailing_pid(ent->d_name);
        if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[1400];
        snprintf(p, sizeof p, "%s/%s", root, ent->d_name);
        remove_tree(p, 1);
    }
    closedir(d);
}

/* Move the finished folder tmp to its name; never onto an existing one. */
static int rename_noreplace(const char *tmp, const char *dst)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    struct stat sb;
    if (lstat(dst, &sb) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, dst);
}

Status rundir_create(const char *root, const char *model, const char *run_json,
                     const char *log_path, RunDir **out, char *msg)
{
    *out = NULL;
    Status st = file_make_dirs(root, msg);
    if (st)
        return st;
    remove_stale_new(root);
    RunDir *rd = rundir_alloc();
    if (!rd)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    /* The folder is made under a hidden name (".new-MODEL.N.PID") and
     * renamed once run.json is in it, so no run folder ever lacks run.json (a full disk or a kill
     * leaves at most a hidden ".new-" folder, removed by the next run). */
    char tmp[1100], p[1200];
    static atomic_uint made; /* threads of one process make distinct folders */
    snprintf(tmp, sizeof tmp, "%s/.new-%s.%u.%ld", root, model, atomic_fetch_add(&made, 1), (long)getpid());
    remove_tree(tmp, 1);
    if (mkdir(tmp, 0755) != 0) {
        st = status_fail(msg, ST_EIO, "cannot create a run folder in %s: %s", root, strerror(errno));
        goto fail;
    }
    snprintf(p, sizeof p, "%s/snapshots", tmp);
    if ((st = file_make_dirs(p, msg)))
        goto fail;
    snprintf(p, sizeof p, "%s/analyses", tmp);
    if ((st = file_make_dirs(p, msg)))
        goto fail;
    snprintf(p, sizeof p, "%s/run.json", tmp);
    if ((st = file_write_atomic(p, run_json, strlen(run_json), msg)))
        goto fail;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    int placed = 0;
    for (int k = 1; k < 1000 && !placed; k++) {
        if (k == 1)
            snprintf(rd->path, sizeof rd->path, "%s/%s-%s", root, stamp, model);
        else
            snprintf(rd->path, sizeof rd->path, "%s/%s-%s-%d", root, stamp, model, k);
        if (rename_noreplace(tmp, rd->path) == 0)
            placed = 1;
        else if (errno != EEXIST && errno != ENOTEMPTY) {
            st = status_fail(msg, ST_EIO, "cannot create the run folder %s: %s", rd->path, strerror(errno));
            goto fail;
        }
    }
    if (!placed) {
        st = status_fail(msg, ST_EIO, "cannot create a run folder in %s: 999 names taken", root);
        goto fail;
    }
    if ((st = open_metrics(rd, log_path, msg)))
        goto fail_placed;
    *out = rd;
    return ST_OK;
fail:
    remove_tree(tmp, 1);
    rundir_free(rd);
    return st;
fail_placed:
    rundir_free(rd);
    return st;
}

Status rundir_open(const char *path, RunDir **out, char *msg)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return status_fail(msg, ST_ENOTFOUND, "%s is not a run directory", path);
    RunDir *rd = rundir_alloc();
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
    if (rd->metrics_fd >= 0)
        close(rd->metrics_fd);
    if (rd->log_fd >= 0)
        close(rd->log_fd);
    free(rd);
}

/* Append text (a whole line) with one write; a short or failed write is
 * rolled back to the size before it, so the file never keeps half a line.
 * errno is kept for the caller. */
static int append_whole(int fd, const char *text, size_t len)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            if (ftruncate(fd, sb.st_size) != 0) {
                /* The line stays cut; replay reports an unfinished last line. */
            }
            errno = e;
            return -1;
        }
        done += (size_t)w;
    }
    /* The line must survive a dropped connection or a crash. */
    fsync(fd);
    return 0;
}

/* Out of room: say it once on the status line, then go on in memory. */
static void note_disk_full(RunDir *rd, unsigned what, int e)
{
    if (!rd->disk_full && rd->store)
        store_post_message(rd->store,
                           "disk full (%s): the run folder stops at this epoch; training goes on in "
                           "memory and writing resumes when there is room",
                           strerror(e));
    rd->disk_full |= what;
    if (what == FULL_LINES)
        rd->skipped_lines++;
    else
        rd->skipped_snapshots++;
}

/* What had found no room was written: when nothing is left waiting, say so. */
static void note_written(RunDir *rd, unsigned what)
{
    if (!(rd->disk_full & what))
        return;
    rd->disk_full &= ~what;
    if (rd->disk_full)
        return;
    if (rd->store)
        store_post_message(rd->store,
                           "the disk has room again: the run folder lacks %zu metrics line%s and %zu "
                           "snapshot%s of the full spell",
                           rd->skipped_lines, rd->skipped_lines == 1 ? "" : "s", rd->skipped_snapshots,
                           rd->skipped_snapshots == 1 ? "" : "s");
    rd->skipped_lines = rd->skipped_snapshots = 0;
}

Status rundir_append_metrics(RunDir *rd, const char *line, char *msg)
{
    if (rd->metrics_fd < 0) {
        Status st = open_metrics(rd, NULL, msg);
        if (st)
            return st;
    }
    size_t n = strlen(line);
    char *text = malloc(n + 2);
    if (!text)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    memcpy(text, line, n);
    text[n] = '\n';
    text[n + 1] = '\0';
    Status st = ST_OK;
    if (append_whole(rd->metrics_fd, text, n + 1) != 0) {
        int e = errno;
        if (no_room(e))
            note_disk_full(rd, FULL_LINES, e);
        else
            st = status_fail(msg, ST_EIO, "cannot append to %s/metrics.jsonl: %s", rd->path, strerror(e));
    } else {
        note_written(rd, FULL_LINES);
        /* The log is a copy: a full disk there costs only the copy. */
        if (rd->log_fd >= 0 && append_whole(rd->log_fd, text, n + 1) != 0 && !no_room(errno))
            st = status_fail(msg, ST_EIO, "cannot append to the log file: %s", strerror(errno));
    }
    free(text);
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
    errno = 0;
    Status st = snapshot_save_parts(s, p, !per_epoch, msg);
    if (!st && per_epoch && s->resume.valid && s->resume.n_opt) {
        char o[1200];
        snprintf(o, sizeof o, "%s/snapshots/" RUNDIR_OPT_FILE, rd->path);
        st = snapshot_save_opt(s, o, msg);
    }
    if (st == ST_EIO && no_room(errno) && per_epoch) {
        /* An epoch's snapshot on a full disk: skipped, like its metrics line
         * (a snapshot asked for by name still reports the failure). */
        note_disk_full(rd, FULL_SNAPSHOTS, errno);
        return ST_OK;
    }
    if (!st && per_epoch)
        note_written(rd, FULL_SNAPSHOTS);
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

int rundir_cache_path(const char *kind, const char *path, char *out, size_t cap)
{
    char base[PATH_MAX];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/') /* the XDG rule: a relative value is ignored */
        snprintf(base, sizeof base, "%s/neurotop", xdg);
    else if (home && home[0])
        snprintf(base, sizeof base, "%s/.cache/neurotop", home);
    else
        return -1;
    /* The real path tells two folders of the same name apart. */
    char real[PATH_MAX];
    if (!realpath(path, real))
        snprintf(real, sizeof real, "%s", path);
    size_t len = strlen(real);
    while (len > 1 && real[len - 1] == '/')
        real[--len] = '\0';
    const char *name = strrchr(real, '/');
    name = name && name[1] ? name + 1 : real;
    snprintf(out, cap, "%s/%s/%s-%08x", base, kind, name, (unsigned)fnv1a(real));
    return 0;
}

Status rundir_output_dir(const RunDir *rd, const char *kind, char *out, size_t cap, char *msg)
{
    if (!rundir_is_read_only(rd)) {
        snprintf(out, cap, "%s/%s", rd->path, kind);
        /* A folder the user cannot write into counts as read-only too. */
        if (access(out, F_OK) != 0 || access(out, W_OK) == 0)
            return ST_OK;
    }
    if (rundir_cache_path(kind, rd->path, out, cap) != 0)
        return status_fail(msg, ST_EIO,
                           "%s is read-only and neither XDG_CACHE_HOME nor HOME names a cache folder for its %s",
                           rd->path, kind);
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
