#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/measure/info_trajectory.h"

/* Points on a line at the given positions (d = 2, y = 0). */
static void line_points(const double *pos, size_t n, double *x)
{
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = pos[i];
        x[2 * i + 1] = 0.0;
    }
}

Test(info_trajectory, branches_are_the_single_linkage_clusters_at_eps)
{
    char msg[STATUS_MSG_LEN];
    /* Gaps 1, 1, 3, 0.5, 4: at eps 1 the chains {0,1,2}, {5,5.5}, {9.5} */
    const double pos[] = {0, 1, 2, 5, 5.5, 9.5};
    double x[12];
    line_points(pos, 6, x);
    size_t b = 0;
    cr_assert_eq(trajectory_count_branches(x, 6, 2, 1.0, &b, msg), ST_OK, "%s", msg);
    cr_assert_eq(b, 3);
    cr_assert_eq(trajectory_count_branches(x, 6, 2, 0.4, &b, msg), ST_OK);
    cr_assert_eq(b, 6);
    cr_assert_eq(trajectory_count_branches(x, 6, 2, 4.0, &b, msg), ST_OK);
    cr_assert_eq(b, 1);
    /* identical points (a zero start) are one branch at any eps */
    double same[8] = {0.25, -1, 0.25, -1, 0.25, -1, 0.25, -1};
    cr_assert_eq(trajectory_count_branches(same, 4, 2, 1e-9, &b, msg), ST_OK);
    cr_assert_eq(b, 1);
}

Test(info_trajectory, branches_refuse_a_bad_eps)
{
    char msg[STATUS_MSG_LEN];
    double x[2] = {0, 0};
    size_t b = 0;
    cr_assert_eq(trajectory_count_branches(x, 1, 2, 0.0, &b, msg), ST_EINVAL);
    cr_assert_eq(trajectory_count_branches(x, 1, 2, NAN, &b, msg), ST_EINVAL);
}
