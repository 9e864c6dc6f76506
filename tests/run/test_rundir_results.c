/* Where a run's saved analyses go: into a writable run, or the per-user
 * cache for a shipped (read-only) run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/run/rundir.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/nt-rundir-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(rundir_results, results_of_a_writable_run_go_into_it, .init = make_dir, .fini = remove_dir)
{
    RunDir *rd = NULL;
    char msg[STATUS_MSG_LEN], out[1200], want[1200];
    cr_assert_eq(rundir_open(dir, &rd, msg), ST_OK, "%s", msg);
    cr_assert_eq(rundir_is_read_only(rd), 0);
    cr_assert_eq(rundir_output_dir(rd, "analyses", out, sizeof out, msg), ST_OK, "%s", msg);
    snprintf(want, sizeof want, "%s/analyses", dir);
    cr_assert_str_eq(out, want);
    rundir_free(rd);
}

Test(rundir_results, results_of_a_shipped_run_go_to_the_user_cache, .init = make_dir, .fini = remove_dir)
{
    char run[128], mark[160], cache[128], msg[STATUS_MSG_LEN], out[1200], again[1200];
    snprintf(run, sizeof run, "%s/sample", dir);
    snprintf(mark, sizeof mark, "%s/" RUNDIR_READ_ONLY_MARK, run);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    cr_assert_eq(mkdir(run, 0755), 0);
    FILE *f = fopen(mark, "w");
    cr_assert_not_null(f);
    fclose(f);
    setenv("XDG_CACHE_HOME", cache, 1);
    RunDir *rd = NULL;
    cr_assert_eq(rundir_open(run, &rd, msg), ST_OK, "%s", msg);
    cr_assert_eq(rundir_is_read_only(rd), 1);
    cr_assert_eq(rundir_output_dir(rd, "analyses", out, sizeof out, msg), ST_OK, "%s", msg);
    char prefix[200];
    snprintf(prefix, sizeof prefix, "%s/neurotop/analyses/sample-", cache);
    cr_assert(strncmp(out, prefix, strlen(prefix)) == 0, "%s", out);
    cr_assert_eq(strlen(out), strlen(prefix) + 8, "an 8-digit hash of the run's path: %s", out);
    /* The same run gets the same folder; exports a folder of their own. */
    cr_assert_eq(rundir_output_dir(rd, "analyses", again, sizeof again, msg), ST_OK);
    cr_assert_str_eq(out, again);
    cr_assert_eq(rundir_output_dir(rd, "exports", again, sizeof again, msg), ST_OK);
    cr_assert(strstr(again, "/neurotop/exports/sample-") != NULL, "%s", again);
    /* A relative XDG_CACHE_HOME is ignored (XDG rule): ~/.cache then. */
    setenv("XDG_CACHE_HOME", "relative", 1);
    setenv("HOME", dir, 1);
    cr_assert_eq(rundir_output_dir(rd, "analyses", again, sizeof again, msg), ST_OK);
    snprintf(prefix, sizeof prefix, "%s/.cache/neurotop/analyses/sample-", dir);
    cr_assert(strncmp(again, prefix, strlen(prefix)) == 0, "%s", again);
    unsetenv("XDG_CACHE_HOME");
    rundir_free(rd);
}
