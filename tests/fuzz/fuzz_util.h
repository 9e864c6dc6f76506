/* Shared by the libFuzzer targets: a private temporary folder, files
 * written into it, and the contract every reader keeps (an error is one
 * non-empty sentence without a line break; no output on failure). */
#ifndef NEUROTOP_FUZZ_UTIL_H
#define NEUROTOP_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir_path[64];

static void fuzz_remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir_path);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", fuzz_dir_path);
}

/* The target's own folder under $TMPDIR (/tmp by default; a tmpfs keeps
 * a long campaign off the disk), made once and removed at exit. */
static inline const char *fuzz_dir(void)
{
    if (!fuzz_dir_path[0]) {
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !tmp[0] || strlen(tmp) > 32)
            tmp = "/tmp";
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/neurotop-fuzz-XXXXXX", tmp);
        if (!mkdtemp(fuzz_dir_path))
            abort();
        atexit(fuzz_remove_dir);
    }
    return fuzz_dir_path;
}

/* path = fuzz_dir()/name; the file holds exactly data[0..size). */
static inline void fuzz_put_file(char *path, size_t cap, const char *name, const void *data, size_t size)
{
    snprintf(path, cap, "%s/%s", fuzz_dir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

/* A failure message is one non-empty line. */
static inline void fuzz_check_msg(const char *msg)
{
    if (!msg[0] || strchr(msg, '\n'))
        abort();
}

/* data split at the first occurrence of sep (not included in either part);
 * *b_len is 0 and b points past the end when there is none. */
static inline void fuzz_split(const uint8_t *data, size_t size, const char *sep, const uint8_t **b,
                       size_t *a_len, size_t *b_len)
{
    size_t sl = strlen(sep);
    for (size_t i = 0; i + sl <= size; i++)
        if (memcmp(data + i, sep, sl) == 0) {
            *a_len = i;
            *b = data + i + sl;
            *b_len = size - i - sl;
            return;
        }
    *a_len = size;
    *b = data + size;
    *b_len = 0;
}

#endif
