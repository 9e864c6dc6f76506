/* libFuzzer target for snapshot files (`make fuzz`): snapshot_load on the
 * input after its CRCs have been made right, so the fuzzer reaches the
 * decoding of the sections (config, kind parameters, typed blocks,
 * evaluation, metrics) instead of stopping at a checksum. The container
 * itself, checksums included, is fuzz_nts's.
 *
 * Contract checked beyond the sanitizers: on failure no snapshot and one
 * sentence naming the file; on success saving the snapshot and loading it
 * again gives the same epoch, configuration size and parameters. */

#include <zlib.h>

#include "fuzz_util.h"
#include "neurotop/run/snapshot_io.h"

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The layout of core/nts.h: a 24-byte head, 96-byte entries (offset at 72,
 * payload length at 80, payload CRC at 88), then the header CRC. */
static void fix_checksums(uint8_t *b, size_t len)
{
    if (len < 24 || memcmp(b, "NTS1", 4) != 0)
        return;
    put_u64(b + 16, len);
    uint32_t n = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
    if (n > 4096 || 24 + 96 * (size_t)n + 4 > len)
        return;
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = b + 24 + 96 * i;
        uint64_t off = get_u64(e + 72), plen = get_u64(e + 80);
        if (off <= len && plen <= len - off)
            put_u32(e + 88, (uint32_t)crc32_z(crc32_z(0L, Z_NULL, 0), b + off, (size_t)plen));
    }
    size_t at = 24 + 96 * (size_t)n;
    put_u32(b + at, (uint32_t)crc32_z(crc32_z(0L, Z_NULL, 0), b, at));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *b = malloc(size ? size : 1);
    if (!b)
        return 0;
    memcpy(b, data, size);
    fix_checksums(b, size);
    char path[128], again[128], msg[STATUS_MSG_LEN] = "";
    fuzz_put_file(path, sizeof path, "epoch-000001.nts", b, size);
    free(b);
    Snapshot *s = NULL;
    Status st = snapshot_load(path, &s, msg);
    if (st != ST_OK) {
        if (s)
            abort();
        fuzz_check_msg(msg);
        return 0;
    }
    if (!s || (s->n_params && !s->params))
        abort();
    snprintf(again, sizeof again, "%s/again.nts", fuzz_dir());
    if (snapshot_save(s, again, msg) != ST_OK)
        abort();
    Snapshot *t = NULL;
    if (snapshot_load(again, &t, msg) != ST_OK)
        abort();
    if (t->epoch != s->epoch || t->n_params != s->n_params ||
        t->config.n_layers != s->config.n_layers ||
        (s->n_params && memcmp(t->params, s->params, s->n_params * sizeof *s->params) != 0))
        abort();
    snapshot_release(t);
    snapshot_release(s);
    return 0;
}
