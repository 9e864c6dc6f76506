#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/measure/info_mapper.h"
#include "neurotop/measure/jobs.h"
#include "neurotop/measure/params.h"

/* The Y of tests/fixtures/mapper_y.csv without its time column: a stem and
 * two arms; 3 intervals, overlap 0.5, eps 1.5 make vertices {0,1,2}
 * {2,3,5} {3,4} {5,6} (see tests/cli/t_analyze_mapper.sh). */
static const double Y[] = {0, 0, 0, 1, 0, 2, -1, 3, -2, 4, 1, 3, 2, 4};

static void y_args(AnalysisArgs *a)
{
    params_defaults(NULL, 0, a);
    a->intervals = 3;
    a->overlap = 0.5;
    a->eps = 1.5;
    a->given |= (uint64_t)1 << PARAM_EPS;
}

Test(info_mapper, y_is_drawn_as_a_branching_tree)
{
    AnalysisArgs a;
    y_args(&a);
    MapperResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_result_compute(Y, 7, 2, &a, &r, msg), ST_OK, "%s", msg);
    StrBuf t;
    strbuf_init(&t);
    cr_assert_eq(mapper_result_view(&r, "Y", NULL, NULL, &t, msg), ST_OK);
    const char *s = strbuf_cstr(&t);
    cr_assert(strstr(s, "4 vertices · 3 edges · 1 component · 0 cycles\n"), "%s", s);
    cr_assert(strstr(s, "a tree: 3 leaves · 1 branching vertices\n"), "%s", s);
    cr_assert(strstr(s, "v0(3) ─ v1(3)\n├─ v2(2)\n└─ v3(2)\n"), "%s", s);
    cr_assert_null(strchr(s, JOB_TEXT_MARK));
    /* coloured: the leaves in the colours of classes 4 and 7, the stem plain */
    strbuf_clear(&t);
    const char mark[4] = {0, 'a', '4', '7'};
    cr_assert_eq(mapper_result_view(&r, "Y", mark, "colour: class", &t, msg), ST_OK);
    s = strbuf_cstr(&t);
    cr_assert(strstr(s, "rising left to right; colour: class:\n"), "%s", s);
    cr_assert(strstr(s, "v0(3) ─ \001av1(3)\001.\n├─ \0014v2(2)\001.\n└─ \0017v3(2)\001.\n"), "%s", s);
    strbuf_done(&t);
    StrBuf dot;
    strbuf_init(&dot);
    mapper_result_dot(&r, &dot);
    cr_assert(strstr(strbuf_cstr(&dot), "  v1 -- v2 [label=\"1\", weight=1];\n"));
    strbuf_done(&dot);
    mapper_result_done(&r);
}

Test(info_mapper, default_eps_and_bad_options)
{
    AnalysisArgs a;
    y_args(&a);
    a.given = 0; /* eps not given: 5% of the largest norm, sqrt(20) */
    MapperResult r;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(mapper_result_compute(Y, 7, 2, &a, &r, msg), ST_OK, "%s", msg);
    cr_assert_float_eq(r.params.eps, 0.05 * sqrt(20.0), 1e-12);
    mapper_result_done(&r);
    snprintf(a.filter, sizeof a.filter, "pca3");
    cr_assert_eq(mapper_result_compute(Y, 7, 2, &a, &r, msg), ST_EINVAL);
    snprintf(a.filter, sizeof a.filter, "norm");
    a.time_column = 2;
    cr_assert_eq(mapper_result_compute(Y, 7, 2, &a, &r, msg), ST_EINVAL);
    a.time_column = -1;
    a.overlap = 1.0;
    cr_assert_eq(mapper_result_compute(Y, 7, 2, &a, &r, msg), ST_EINVAL);
    cr_assert_null(r.graph);
}
