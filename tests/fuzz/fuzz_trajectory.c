/* libFuzzer target for weight-trajectory files (run/trajectory.h): the input
 * is a layer's .ntj file, its header and body CRCs made right first so the
 * fuzzer reaches the record walk, the top-plane code and the legacy zlib
 * bodies instead of stopping at a checksum.
 *
 * Contract checked beyond the sanitizers: on failure one sentence; on
 * success every record either reads or fails with one sentence, and every
 * norm the index holds is finite and not negative. */

#include <sys/stat.h>
#include <zlib.h>

#include "fuzz_util.h"
#include "neurotop/run/trajectory.h"

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t crc(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32_z(crc32_z(0L, Z_NULL, 0), p, n);
}

/* Each record: 48-byte header (units at 28, packed length at 36, body CRC
 * at 40, header CRC at 44), units norms, packed bytes. */
static void fix_checksums(uint8_t *b, size_t len)
{
    size_t at = 0;
    while (at + TRAJECTORY_HEADER_LEN <= len && memcmp(b + at, "NTJ1", 4) == 0) {
        uint8_t *h = b + at;
        uint64_t body = 4ull * get_u32(h + 28) + get_u32(h + 36);
        if (body > len - at - TRAJECTORY_HEADER_LEN)
            break;
        put_u32(h + 40, crc(h + TRAJECTORY_HEADER_LEN, (size_t)body));
        put_u32(h + 44, crc(h, 44));
        at += TRAJECTORY_HEADER_LEN + (size_t)body;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *b = malloc(size ? size : 1);
    if (!b)
        return 0;
    memcpy(b, data, size);
    fix_checksums(b, size);
    char path[128], dir[128], msg[STATUS_MSG_LEN] = "";
    static int made;
    if (!made) {
        snprintf(dir, sizeof dir, "%s/run", fuzz_dir());
        if (mkdir(dir, 0755) != 0)
            abort();
        snprintf(dir, sizeof dir, "%s/run/" TRAJECTORY_DIR, fuzz_dir());
        if (mkdir(dir, 0755) != 0)
            abort();
        made = 1;
    }
    fuzz_put_file(path, sizeof path, "run/" TRAJECTORY_DIR "/layer-1.ntj", b, size);
    free(b);
    snprintf(dir, sizeof dir, "%s/run", fuzz_dir());
    TrajectoryFile *f = NULL;
    Status st = trajectory_open(dir, 1, &f, msg);
    if (st != ST_OK) {
        if (f)
            abort();
        fuzz_check_msg(msg);
        return 0;
    }
    size_t units = trajectory_units(f), n = units * trajectory_inputs(f);
    float *m = malloc(n * sizeof *m);
    if (!m)
        abort();
    for (size_t r = 0; r < trajectory_records(f); r++) {
        const float *norms = trajectory_norms(f, r);
        for (size_t u = 0; u < units; u++)
            if (!(norms[u] >= 0.0f) || norms[u] > 3.4e38f)
                abort();
        msg[0] = 0;
        if (trajectory_read(f, r, m, msg) != ST_OK)
            fuzz_check_msg(msg);
    }
    free(m);
    trajectory_close(f);
    return 0;
}
