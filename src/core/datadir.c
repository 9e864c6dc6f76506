#include "neurotop/core/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by the Makefile from PREFIX; the fallback keeps a hand build working. */
#ifndef NEUROTOP_DATADIR
#define NEUROTOP_DATADIR "/usr/local/share/neurotop"
#endif

const char *datadir_compiled(void)
{
    return NEUROTOP_DATADIR;
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Append base + "/" + sub when it fits, is new and (if must_exist) exists. */
static void add(char dirs[][DATADIR_PATH_LEN], size_t *n, size_t max, const char *base,
                const char *sub, int must_exist)
{
    if (*n >= max)
        return;
    char path[DATADIR_PATH_LEN];
    int w = snprintf(path, sizeof path, "%s/%s", base, sub);
    if (w < 0 || (size_t)w >= sizeof path)
        return;
    if (must_exist && !is_dir(path))
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(dirs[i], path) == 0)
            return;
    memcpy(dirs[(*n)++], path, (size_t)w + 1);
}

/* Cut the last path component off in place; 0 when there is none left. */
static int cut_last(char *path)
{
    char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    return 1;
}

size_t datadir_candidates(const char *sub, char dirs[][DATADIR_PATH_LEN], size_t max)
{
    size_t n = 0;
    const char *env = getenv("NEUROTOP_DATADIR");
    if (env && *env) {
        add(dirs, &n, max, env, sub, 0);
        return n;
    }
    char exe[DATADIR_PATH_LEN];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        if (cut_last(exe)) {
            /* exe is now the binary's folder, e.g. /usr/bin or build/test. */
            char prefix[DATADIR_PATH_LEN];
            memcpy(prefix, exe, (size_t)len + 1);
            if (cut_last(prefix)) {
                char share[DATADIR_PATH_LEN];
                int w = snprintf(share, sizeof share, "%s/share/neurotop", prefix);
                if (w > 0 && (size_t)w < sizeof share)
                    add(dirs, &n, max, share, sub, 1);
            }
            for (int up = 0; up < 3; up++) {
                add(dirs, &n, max, exe[0] ? exe : "", sub, 1);
                if (!exe[0] || !cut_last(exe))
                    break;
            }
        }
    }
    add(dirs, &n, max, NEUROTOP_DATADIR, sub, 0);
    return n;
}
