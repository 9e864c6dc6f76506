#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/experiment/summary_table.h"

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/neurotop-summary-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

Test(summary_table, reads_cells_and_empty_ones)
{
    char *p = write_tmp("instance,seed,epoch,test_acc,fcq\r\n0,5,0,0.5,\r\n0,5,1,0.75,0.0125\n1,6,0,1e-3,-2\n\n");
    SummaryTable t;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(summary_table_read(p, &t, msg), ST_OK, "%s", msg);
    unlink(p);
    cr_assert_eq(t.rows, 3);
    cr_assert_eq(t.cols, 5);
    cr_assert_str_eq(t.names[4], "fcq");
    cr_assert_eq(summary_table_column(&t, "test_acc"), 3);
    cr_assert_eq(summary_table_column(&t, "nope"), -1);
    cr_assert(isnan(t.v[0 * 5 + 4]));
    cr_assert_float_eq(t.v[1 * 5 + 3], 0.75, 0);
    cr_assert_float_eq(t.v[1 * 5 + 4], 0.0125, 0);
    cr_assert_float_eq(t.v[2 * 5 + 1], 6.0, 0);
    cr_assert_float_eq(t.v[2 * 5 + 3], 1e-3, 0);
    cr_assert_float_eq(t.v[2 * 5 + 4], -2.0, 0);
    summary_table_done(&t);
    summary_table_done(&t); /* twice is safe */
}

Test(summary_table, malformed_files)
{
    static const char *const bad[] = {
        "a,b\n1,2,3\n",     /* too many cells */
        "a,b\n1\n",         /* too few */
        "a,b\n1,x\n",       /* not a number */
        "a,,b\n1,2,3\n",    /* empty column name */
        "",                 /* no header */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *p = write_tmp(bad[i]);
        SummaryTable t;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(summary_table_read(p, &t, msg), ST_EFORMAT, "case %zu", i);
        cr_assert(strlen(msg) > 0);
        cr_assert_eq(t.rows, 0);
        cr_assert_null(t.v);
        unlink(p);
    }
    SummaryTable t;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(summary_table_read("/nonexistent/summary.csv", &t, msg), ST_ENOTFOUND);
}
