/* Writing weight trajectories (trajectory.h): one record per layer every K
 * mini-batches, each appended with a single write(). */
#include "neurotop/run/trajectory.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/bytes.h"
#include "neurotop/core/fileio.h"
#include "trajectory_internal.h"

typedef struct {
    int fd;
    size_t from, units, inputs, ld, offset;
    off_t size;      /* bytes of complete records */
    size_t last_len; /* length of the record appended last */
} LayerOut;

struct TrajectoryWriter {
    int half, active;
    size_t n_layers;
    LayerOut layers[MODEL_MAX_BLOCKS];
    unsigned char *top, *record; /* scratch: one layer's top plane, its record */
    size_t record_cap;
    double *sums; /* one per unit of the widest layer */
    unsigned long long bytes;
};

/* IEEE binary16, round to nearest even; overflow to infinity. Inlined in
 * the record loop; trajectory_half_from_float is its public name. */
static inline uint16_t half_from_float(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u, a = x & 0x7fffffffu;
    if (a >= 0x38800000u && a < 0x47800000u) {
        /* the common case, a normal half: add just under half an ulp (plus
         * the kept bit, for ties to even) and drop 13 bits; a carry runs on
         * into the exponent, up to infinity, as rounding should */
        uint32_t h = (a + 0xfffu + ((a >> 13) & 1u)) >> 13;
        return (uint16_t)(sign | (h - (112u << 10)));
    }
    uint32_t exp = (x >> 23) & 0xffu, mant = x & 0x7fffffu;
    if (exp == 0xff) /* inf, NaN (kept a NaN) */
        return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
    int e = (int)exp - 127 + 15;
    if (e >= 31)
        return (uint16_t)(sign | 0x7c00u);
    if (e <= 0) { /* subnormal half or zero */
        if (e < -10)
            return (uint16_t)sign;
        mant |= 0x800000u;
        unsigned shift = (unsigned)(14 - e);
        uint32_t h = mant >> shift, rest = mant & ((1u << shift) - 1), halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (h & 1u)))
            h++;
        return (uint16_t)(sign | h);
    }
    uint32_t h = ((uint32_t)e << 10) | (mant >> 13), rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
        h++; /* a carry into the exponent is the right rounding, up to infinity */
    return (uint16_t)(sign | h);
}

uint16_t trajectory_half_from_float(float f)
{
    return half_from_float(f);
}

float trajectory_half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
    float f;
    if (exp == 0)
        f = ldexpf((float)mant, -24);
    else if (exp == 31)
        f = mant ? NAN : INFINITY;
    else
        f = ldexpf((float)(mant | 0x400u), (int)exp - 25);
    uint32_t x;
    memcpy(&x, &f, 4);
    x |= sign;
    memcpy(&f, &x, 4);
    return f;
}

void traj_layer_path(const char *run_dir, size_t layer, char *out, size_t cap)
{
    snprintf(out, cap, "%s/" TRAJECTORY_DIR "/layer-%zu.ntj", run_dir, layer);
}

void trajectory_writer_free(TrajectoryWriter *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_layers; i++)
        if (w->layers[i].fd >= 0)
            close(w->layers[i].fd);
    free(w->top);
    free(w->record);
    free(w->sums);
    free(w);
}

Status trajectory_writer_new(const char *run_dir, const ModelConfig *config, int half,
                             TrajectoryWriter **out, char *msg)
{
    *out = NULL;
    WeightBlock blocks[MODEL_MAX_BLOCKS];
    size_t nb = model_blocks(config, NULL, blocks, MODEL_MAX_BLOCKS);
    if (nb == 0)
        return status_fail(msg, ST_EINVAL, "the %s model has no weight layers to record", config->kind);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/" TRAJECTORY_DIR, run_dir);
    Status st = file_make_dirs(dir, msg);
    if (st)
        return st;
    TrajectoryWriter *w = calloc(1, sizeof *w);
    if (!w)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    w->half = half;
    w->active = 1;
    size_t most = 0, widest = 1;
    for (size_t i = 0; i < nb; i++) {
        LayerOut *l = &w->layers[w->n_layers++];
        l->fd = -1;
        l->from = blocks[i].from;
        l->inputs = blocks[i].rows;
        l->units = blocks[i].cols;
        l->ld = blocks[i].ld;
        l->offset = blocks[i].offset;
        if (l->units * l->inputs > most)
            most = l->units * l->inputs;
        widest = l->units > widest ? l->units : widest;
        char path[1200];
        traj_layer_path(run_dir, i + 1, path, sizeof path);
        l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        struct stat sb;
        if (l->fd < 0 || fstat(l->fd, &sb) != 0) {
            st = status_fail(msg, ST_EIO, "cannot write %s: %s", path, strerror(errno));
            trajectory_writer_free(w);
            return st;
        }
        l->size = sb.st_size;
    }
    /* norms, the low planes (at most 3 bytes a value), the coded top plane */
    w->record_cap = TRAJECTORY_HEADER_LEN + 4 * widest + 3 * most + traj_top_bound(most);
    w->top = malloc(most);
    w->record = malloc(w->record_cap);
    w->sums = malloc(widest * sizeof *w->sums);
    if (!w->top || !w->record || !w->sums) {
        trajectory_writer_free(w);
        return status_fail(msg, ST_ENOMEM, "out of memory for the trajectory records");
    }
    *out = w;
    return ST_OK;
}

/* One value's bytes into the planes at `at` (plane k at planes + k·n; the
 * top one, signs and exponents, into top). */
static inline void split_value(float v, int half, unsigned char *planes, size_t n, unsigned char *top,
                               size_t at)
{
    if (half) {
        uint16_t h = half_from_float(v);
        planes[at] = (unsigned char)h;
        top[at] = (unsigned char)(h >> 8);
    } else {
        uint32_t x;
        memcpy(&x, &v, 4);
        planes[at] = (unsigned char)x;
        planes[n + at] = (unsigned char)(x >> 8);
        planes[2 * n + at] = (unsigned char)(x >> 16);
        top[at] = (unsigned char)(x >> 24);
    }
}

/* One layer's record into w->record; returns its length. The matrix's
 * bytes go plane by plane (all first bytes, then all second bytes, ...).
 * Measured on 784-100 and 100-10 layers from zero, tiny and uniform
 * starts, only the top plane (signs and exponents) shrinks when deflated;
 * the mantissa planes are noise and pack to 98-101%. So those are stored
 * as they are and only the top plane is coded (traj_top_pack). */
static size_t build_record(TrajectoryWriter *w, const LayerOut *l, const float *params, uint64_t step,
                           uint64_t examples, uint32_t epoch)
{
    size_t n = l->units * l->inputs, width = w->half ? 2 : 4;
    int half = w->half;
    unsigned char *rec = w->record, *norms = rec + TRAJECTORY_HEADER_LEN, *body = norms + 4 * l->units;
    /* Input-major, as the weights lie (row i = input i's weights to every
     * unit): one pass in memory order, no transposition (readers turn it
     * round). Each unit's sum runs over its inputs in order. */
    double *sum = w->sums;
    for (size_t u = 0; u < l->units; u++)
        sum[u] = 0.0;
    for (size_t i = 0; i < l->inputs; i++) {
        const float *row = params + l->offset + i * l->ld;
        size_t at = i * l->units;
        for (size_t u = 0; u < l->units; u++) {
            float v = row[u];
            split_value(v, half, body, n, w->top, at + u);
            sum[u] += (double)v * v;
        }
    }
    for (size_t u = 0; u < l->units; u++) {
        float norm = (float)sqrt(sum[u]);
        memcpy(norms + 4 * u, &norm, 4);
    }
    size_t packed = (width - 1) * n + traj_top_pack(w->top, n, body + (width - 1) * n);
    memcpy(rec, "NTJ1", 4);
    bytes_put_le32(rec + 4, (half ? TRAJ_FLAG_HALF : 0u) | TRAJ_FLAG_TOP_CODED | TRAJ_FLAG_INPUT_MAJOR);
    bytes_put_le64(rec + 8, step);
    bytes_put_le64(rec + 16, examples);
    bytes_put_le32(rec + 24, epoch);
    bytes_put_le32(rec + 28, (uint32_t)l->units);
    bytes_put_le32(rec + 32, (uint32_t)l->inputs);
    bytes_put_le32(rec + 36, (uint32_t)packed);
    bytes_put_le32(rec + 40, bytes_crc32(norms, 4 * l->units + packed));
    bytes_put_le32(rec + 44, bytes_crc32(rec, 44));
    return TRAJECTORY_HEADER_LEN + 4 * l->units + packed;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

Status trajectory_writer_record(TrajectoryWriter *w, const float *params, uint64_t step,
                                uint64_t examples, uint32_t epoch, char *msg)
{
    if (!w->active)
        return ST_OK;
    for (size_t i = 0; i < w->n_layers; i++) {
        LayerOut *l = &w->layers[i];
        size_t len = build_record(w, l, params, step, examples, epoch);
        if (write_all(l->fd, w->record, len) != 0) {
            int err = errno;
            /* Back to whole records of the steps before in every file: a
             * step is in all layers or in none. */
            for (size_t j = 0; j < w->n_layers; j++) {
                LayerOut *o = &w->layers[j];
                if (j < i)
                    o->size -= (off_t)o->last_len;
                if (j <= i && ftruncate(o->fd, o->size) != 0)
                    break;
            }
            w->active = 0;
            return status_fail(msg, ST_EIO, "weight trajectories stopped at mini-batch %llu: %s",
                               (unsigned long long)step, strerror(err));
        }
        l->size += (off_t)len;
        l->last_len = len;
        w->bytes += len;
    }
    return ST_OK;
}

int trajectory_writer_active(const TrajectoryWriter *w)
{
    return w && w->active;
}

unsigned long long trajectory_writer_bytes(const TrajectoryWriter *w)
{
    return w ? w->bytes : 0;
}
