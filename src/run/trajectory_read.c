/* Reading weight trajectories (trajectory.h): an index of the records and
 * their norms at open, one matrix at a time on demand. */
#include "neurotop/run/trajectory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "neurotop/core/bytes.h"
#include "neurotop/core/fileio.h"
#include "trajectory_internal.h"

/* More would be a corrupt header: 2^24 units or inputs. */
#define MAX_SIDE (1u << 24)

typedef struct {
    off_t offset; /* of the header */
    uint32_t packed, body_crc;
    int top_coded;   /* TRAJ_FLAG_TOP_CODED, else one zlib stream */
    int input_major; /* TRAJ_FLAG_INPUT_MAJOR */
    TrajectoryTime time;
} RecordIndex;

struct TrajectoryFile {
    int fd;
    char path[1200];
    int half;
    size_t units, inputs;
    size_t n, cap;
    RecordIndex *index;
    float *norms; /* n × units */
    double max_norm;
    unsigned char *packed, *raw; /* scratch for trajectory_read */
};

size_t trajectory_layers(const char *run_dir)
{
    size_t n = 0;
    for (;;) {
        char path[1200];
        traj_layer_path(run_dir, n + 1, path, sizeof path);
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            return n;
        n++;
    }
}

void trajectory_close(TrajectoryFile *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    free(f->index);
    free(f->norms);
    free(f->packed);
    free(f->raw);
    free(f);
}

static int read_at(int fd, void *buf, size_t n, off_t at)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t k = pread(fd, p, n, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
        at += k;
    }
    return 0;
}

/* Parse and check the header at `at`; 0 when it is a whole record of this
 * file's shape that fits in size bytes. */
static int header_parse(TrajectoryFile *f, const unsigned char *h, off_t at, unsigned long long size,
                        RecordIndex *r)
{
    if (memcmp(h, "NTJ1", 4) != 0 || bytes_le32(h + 44) != bytes_crc32(h, 44))
        return -1;
    uint32_t flags = bytes_le32(h + 4), units = bytes_le32(h + 28), inputs = bytes_le32(h + 32);
    if (flags > TRAJ_FLAGS_KNOWN || units == 0 || inputs == 0 || units > MAX_SIDE || inputs > MAX_SIDE)
        return -1;
    int half = (flags & TRAJ_FLAG_HALF) != 0;
    if (f->n == 0) {
        f->half = half;
        f->units = units;
        f->inputs = inputs;
    } else if (half != f->half || units != f->units || inputs != f->inputs) {
        return -1;
    }
    r->top_coded = (flags & TRAJ_FLAG_TOP_CODED) != 0;
    r->input_major = (flags & TRAJ_FLAG_INPUT_MAJOR) != 0;
    r->offset = at;
    r->packed = bytes_le32(h + 36);
    r->body_crc = bytes_le32(h + 40);
    r->time.step = bytes_le64(h + 8);
    r->time.examples = bytes_le64(h + 16);
    r->time.epoch = bytes_le32(h + 24);
    unsigned long long end = (unsigned long long)at + TRAJECTORY_HEADER_LEN + 4ull * units + r->packed;
    /* The packed bytes must be able to hold units × inputs values (deflate
     * shrinks at most 1032:1), so a damaged header cannot make a reader
     * allocate far more than the file's size. */
    unsigned long long values = (unsigned long long)units * inputs, width = half ? 2 : 4;
    int room = r->top_coded ? r->packed >= (width - 1) * values + TRAJ_TOP_HEAD
                            : 1032ull * r->packed + 64 >= width * values;
    return end <= size && room ? 0 : -1;
}

static Status check_body(TrajectoryFile *f, const RecordIndex *r, char *msg)
{
    size_t len = 4 * f->units + r->packed;
    unsigned char *body = malloc(len);
    if (!body)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", f->path);
    int bad = read_at(f->fd, body, len, r->offset + TRAJECTORY_HEADER_LEN) != 0 || bytes_crc32(body, len) != r->body_crc;
    free(body);
    return bad ? ST_EFORMAT : ST_OK;
}

static Status index_push(TrajectoryFile *f, const RecordIndex *r, char *msg)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 256;
        RecordIndex *ix = realloc(f->index, cap * sizeof *ix);
        float *norms = ix ? realloc(f->norms, cap * f->units * sizeof *norms) : NULL;
        if (ix)
            f->index = ix;
        if (!ix || !norms)
            return status_fail(msg, ST_ENOMEM, "out of memory indexing %s", f->path);
        f->norms = norms;
        f->cap = cap;
    }
    float *dst = f->norms + f->n * f->units;
    if (read_at(f->fd, dst, 4 * f->units, r->offset + TRAJECTORY_HEADER_LEN) != 0)
        return status_fail(msg, ST_EIO, "cannot read %s", f->path);
    for (size_t u = 0; u < f->units; u++) {
        uint32_t bits = bytes_le32((const unsigned char *)(dst + u));
        memcpy(dst + u, &bits, 4);
        if (!(dst[u] >= 0.0f) || dst[u] > 3.4e38f)
            return status_fail(msg, ST_EFORMAT, "%s holds a weight norm that is not a finite number", f->path);
        if (dst[u] > f->max_norm)
            f->max_norm = dst[u];
    }
    f->index[f->n++] = *r;
    return ST_OK;
}

Status trajectory_open(const char *run_dir, size_t layer, TrajectoryFile **out, char *msg)
{
    *out = NULL;
    TrajectoryFile *f = calloc(1, sizeof *f);
    if (!f)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    traj_layer_path(run_dir, layer, f->path, sizeof f->path);
    unsigned long long size = 0;
    Status st = file_open_regular(f->path, &f->fd, &size, msg);
    if (st) {
        f->fd = -1;
        trajectory_close(f);
        if (st == ST_ENOTFOUND || st == ST_EIO)
            return status_fail(msg, ST_ENOTFOUND, "the run recorded no weight trajectories of layer %zu "
                               "(train with --record-every K)", layer);
        return st;
    }
    off_t at = 0;
    unsigned char h[TRAJECTORY_HEADER_LEN];
    while ((unsigned long long)at + TRAJECTORY_HEADER_LEN <= size) {
        RecordIndex r;
        if (read_at(f->fd, h, sizeof h, at) != 0 || header_parse(f, h, at, size, &r) != 0)
            break; /* a record cut short ends the usable part */
        if ((st = index_push(f, &r, msg))) {
            trajectory_close(f);
            return st;
        }
        at += TRAJECTORY_HEADER_LEN + 4 * (off_t)f->units + r.packed;
    }
    /* A torn write can only be the last record: check its body too. */
    if (f->n > 0 && check_body(f, &f->index[f->n - 1], msg) != ST_OK)
        f->n--;
    if (f->n == 0) {
        status_fail(msg, ST_EFORMAT, "%s holds no complete trajectory record", f->path);
        trajectory_close(f);
        return ST_EFORMAT;
    }
    size_t width = f->half ? 2 : 4;
    f->raw = malloc(f->units * f->inputs * width);
    if (!f->raw) {
        trajectory_close(f);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu × %zu trajectory records", f->units, f->inputs);
    }
    *out = f;
    return ST_OK;
}

size_t trajectory_records(const TrajectoryFile *f)
{
    return f->n;
}

size_t trajectory_units(const TrajectoryFile *f)
{
    return f->units;
}

size_t trajectory_inputs(const TrajectoryFile *f)
{
    return f->inputs;
}

int trajectory_is_half(const TrajectoryFile *f)
{
    return f->half;
}

TrajectoryTime trajectory_time(const TrajectoryFile *f, size_t record)
{
    return f->index[record].time;
}

const float *trajectory_norms(const TrajectoryFile *f, size_t record)
{
    return f->norms + record * f->units;
}

double trajectory_max_norm(const TrajectoryFile *f)
{
    return f->max_norm;
}

Status trajectory_read(TrajectoryFile *f, size_t record, float *out, char *msg)
{
    if (record >= f->n)
        return status_fail(msg, ST_EINVAL, "trajectory record %zu of %zu", record, f->n);
    const RecordIndex *r = &f->index[record];
    size_t nrm = 4 * f->units, len = nrm + r->packed, n = f->units * f->inputs, width = f->half ? 2 : 4;
    unsigned char *body = realloc(f->packed, len);
    if (!body)
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", f->path);
    f->packed = body;
    if (read_at(f->fd, body, len, r->offset + TRAJECTORY_HEADER_LEN) != 0)
        return status_fail(msg, ST_EIO, "cannot read %s", f->path);
    if (bytes_crc32(body, len) != r->body_crc)
        return status_fail(msg, ST_EFORMAT, "%s: record %zu is damaged (checksum)", f->path, record);
    /* planes[k]: the n k-th bytes of the values */
    const unsigned char *planes[4];
    if (r->top_coded) {
        size_t low = (width - 1) * n;
        if (r->packed < low || traj_top_unpack(body + nrm + low, r->packed - low, n, f->raw) != 0)
            return status_fail(msg, ST_EFORMAT, "%s: record %zu does not decode to %zu × %zu values", f->path,
                               record, f->units, f->inputs);
        for (size_t b = 0; b + 1 < width; b++)
            planes[b] = body + nrm + b * n;
        planes[width - 1] = f->raw;
    } else {
        uLongf got = (uLongf)(n * width);
        if (uncompress(f->raw, &got, body + nrm, r->packed) != Z_OK || got != n * width)
            return status_fail(msg, ST_EFORMAT, "%s: record %zu does not inflate to %zu × %zu values", f->path,
                               record, f->units, f->inputs);
        for (size_t b = 0; b < width; b++)
            planes[b] = f->raw + b * n;
    }
    /* out is units × inputs; value k of the record is (u, i) or, input-major, (i, u) */
    for (size_t u = 0; u < f->units; u++)
        for (size_t i = 0; i < f->inputs; i++) {
            size_t k = r->input_major ? i * f->units + u : u * f->inputs + i;
            float *o = &out[u * f->inputs + i];
            if (width == 2) {
                *o = trajectory_half_to_float((uint16_t)(planes[0][k] | planes[1][k] << 8));
            } else {
                uint32_t bits = (uint32_t)planes[0][k] | (uint32_t)planes[1][k] << 8 |
                                (uint32_t)planes[2][k] << 16 | (uint32_t)planes[3][k] << 24;
                memcpy(o, &bits, 4);
            }
        }
    return ST_OK;
}

Status trajectory_truncate_after(const char *run_dir, uint64_t max_step, char *msg)
{
    size_t layers = trajectory_layers(run_dir);
    for (size_t l = 1; l <= layers; l++) {
        TrajectoryFile *f = NULL;
        char path[1200];
        traj_layer_path(run_dir, l, path, sizeof path);
        off_t keep = 0;
        Status st = trajectory_open(run_dir, l, &f, msg);
        if (st == ST_OK) {
            size_t k = 0;
            while (k < f->n && f->index[k].time.step <= max_step)
                k++;
            if (k < f->n)
                keep = f->index[k].offset;
            else
                keep = f->index[f->n - 1].offset + TRAJECTORY_HEADER_LEN + 4 * (off_t)f->units + f->index[f->n - 1].packed;
            trajectory_close(f);
        } else if (st != ST_EFORMAT) {
            return st;
        }
        if (truncate(path, keep) != 0)
            return status_fail(msg, ST_EIO, "cannot cut %s back to mini-batch %llu: %s", path,
                               (unsigned long long)max_step, strerror(errno));
    }
    return ST_OK;
}
