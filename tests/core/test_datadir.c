#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/datadir.h"

Test(datadir, the_variable_replaces_the_search)
{
    setenv("NEUROTOP_DATADIR", "/opt/nt", 1);
    char dirs[DATADIR_MAX][DATADIR_PATH_LEN];
    size_t n = datadir_candidates("themes", dirs, DATADIR_MAX);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(dirs[0], "/opt/nt/themes");
}

/* The test binary is build/test/neurotop-tests, run from the repository:
 * its grandparent's themes/ is the source tree's, and the compiled-in
 * folder comes last. */
Test(datadir, finds_the_source_tree_and_ends_with_the_prefix)
{
    unsetenv("NEUROTOP_DATADIR");
    char dirs[DATADIR_MAX][DATADIR_PATH_LEN];
    size_t n = datadir_candidates("themes", dirs, DATADIR_MAX);
    cr_assert_geq(n, 2);
    char want[DATADIR_PATH_LEN];
    snprintf(want, sizeof want, "%s/themes", datadir_compiled());
    cr_assert_str_eq(dirs[n - 1], want);
    char here[PATH_MAX], found[PATH_MAX];
    cr_assert_not_null(realpath("themes", here));
    int seen = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (realpath(dirs[i], found) && strcmp(found, here) == 0)
            seen = 1;
    cr_assert(seen, "the source tree's themes/ is not among the %zu candidates", n);
    /* Folders that do not exist are left out (but the compiled-in one). */
    n = datadir_candidates("no-such-folder", dirs, DATADIR_MAX);
    cr_assert_eq(n, 1);
    snprintf(want, sizeof want, "%s/no-such-folder", datadir_compiled());
    cr_assert_str_eq(dirs[0], want);
}
