/* libFuzzer target for the IDX reader (`make fuzz`).
 *
 * Each input is written to a temporary file and read as images and as
 * labels; then it is wrapped in a valid gzip stream and read again, so the
 * gzip path sees arbitrary IDX content, not only broken gzip headers.
 * Beyond "no crash, no leak, no sanitizer report" it checks the reader's
 * contract: on success the sizes match the data exactly, on failure the
 * outputs are empty and a message was written. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "neurotop/data/dataset.h"
#include "neurotop/data/idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char raw_path[64];
static char gz_path[64];

static void make_temp(char *path, size_t cap)
{
    snprintf(path, cap, "/tmp/neurotop-fuzz-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
}

static void remove_temps(void)
{
    unlink(raw_path);
    unlink(gz_path);
}

static void put_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

/* Checks one file; payload is the IDX byte count (-1 when unknown). */
static void check(const char *path, long payload)
{
    char msg[STATUS_MSG_LEN];
    ImageSet s;
    msg[0] = '\0';
    Status st = idx_read_images(path, &s, msg);
    if (st == ST_OK) {
        if (!s.pixels || s.labels || s.n == 0 || s.rows == 0 || s.cols == 0)
            abort();
        if (payload >= 0 && (long)(16 + s.n * s.rows * s.cols) != payload)
            abort();
        imageset_done(&s);
    } else if (s.pixels || s.n != 0 || msg[0] == '\0') {
        abort();
    }
    uint8_t *lab;
    size_t n;
    msg[0] = '\0';
    st = idx_read_labels(path, &lab, &n, msg);
    if (st == ST_OK) {
        if (!lab || n == 0 || (payload >= 0 && (long)(8 + n) != payload))
            abort();
        free(lab);
    } else if (lab || n != 0 || msg[0] == '\0') {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!raw_path[0]) {
        make_temp(raw_path, sizeof raw_path);
        make_temp(gz_path, sizeof gz_path);
        atexit(remove_temps);
    }
    put_file(raw_path, data, size);
    int gz_input = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    check(raw_path, gz_input ? -1 : (long)size);

    /* The same bytes inside a well-formed gzip stream. */
    gzFile g = gzopen(gz_path, "wb");
    if (!g)
        abort();
    if (size > 0 && gzwrite(g, data, (unsigned)size) != (int)size)
        abort();
    if (gzclose(g) != Z_OK)
        abort();
    check(gz_path, gz_input ? -1 : (long)size);
    return 0;
}
