#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/measure/analyses.h"
#include "neurotop/measure/jobs.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/nt-saved-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static void args_text(const char *cmd, int argc, const char *const *argv, char *buf, size_t cap)
{
    const AnalysisSpec *spec = analysis_find_command(cmd);
    AnalysisArgs a;
    params_defaults(spec->uses, spec->n_uses, &a);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(params_parse_words(cmd, spec->uses, spec->n_uses, argc, argv, &a, msg), ST_OK, "%s", msg);
    a.run_seed = 7;
    analysis_args_finish(spec, &a, 1);
    StrBuf b;
    strbuf_init(&b);
    analysis_args_json(spec, &a, &b);
    snprintf(buf, cap, "%s", strbuf_cstr(&b));
    strbuf_done(&b);
}

Test(jobs_saved, every_setting_has_its_own_arguments_and_name)
{
    char a[256], b[256], c[256], d[256];
    const char *cons[] = {"consensus"}, *cons_h[] = {"consensus", "hidden"}, *cons_500[] = {"consensus", "500"};
    args_text("consensus", 1, cons, a, sizeof a);
    args_text("consensus", 2, cons_h, b, sizeof b);
    args_text("consensus", 2, cons_500, c, sizeof c);
    cr_assert_str_eq(a, "{\"reps\":500,\"hidden\":false,\"gamma\":1,\"signed\":\"asym\",\"seed\":7}");
    cr_assert_str_eq(b, "{\"reps\":500,\"hidden\":true,\"gamma\":1,\"signed\":\"asym\",\"seed\":7}");
    cr_assert_str_eq(c, a, "the default written out is the same setting");
    const char *deg[] = {"degrees"}, *deg5[] = {"degrees", "0.5"};
    args_text("degrees", 1, deg, c, sizeof c);
    args_text("degrees", 2, deg5, d, sizeof d);
    cr_assert_str_eq(c, "{\"threshold\":0}");
    cr_assert_str_eq(d, "{\"threshold\":0.5}");
    char na[200], nb[200];
    job_saved_base("D", 20, "consensus", a, na, sizeof na);
    job_saved_base("D", 20, "consensus", b, nb, sizeof nb);
    cr_assert(strncmp(na, "D/epoch-000020-consensus-", 25) == 0 && strlen(na) == 33, "%s", na);
    cr_assert_str_neq(na, nb, "two settings, two files");
    /* FNV-1a of "a" (a published test vector). */
    cr_assert_eq(job_key_hash("a"), 0xe40c292cu);
}

Test(jobs_saved, args_close_the_json_object)
{
    StrBuf j;
    strbuf_init(&j);
    strbuf_append(&j, "{\"epoch\":3,\"Q\":0.5}");
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(analysis_json_append_args(&j, "{\"reps\":4}", msg), ST_OK);
    cr_assert_str_eq(strbuf_cstr(&j), "{\"epoch\":3,\"Q\":0.5,\"args\":{\"reps\":4}}");
    strbuf_clear(&j);
    strbuf_append(&j, "[1]");
    cr_assert_eq(analysis_json_append_args(&j, "{}", msg), ST_EINVAL);
    strbuf_done(&j);
}

Test(jobs_saved, a_saved_result_reads_back_as_it_was_shown, .init = make_dir, .fini = remove_dir)
{
    JobResult *r = calloc(1, sizeof *r);
    strbuf_init(&r->text);
    strbuf_init(&r->json);
    snprintf(r->name, sizeof r->name, "roles");
    r->epoch = 40;
    strbuf_append(&r->text, "Node roles · epoch 40\nlayer  mean PC\n");
    strbuf_append(&r->json, "{\"epoch\":40}");
    double v[6] = {0.25, -1, 2, NAN, 0.5, 3};
    cr_assert_eq(job_result_add_map(r, "PC over the input pixels", v, 2, 3, 1), ST_OK);
    double x[3] = {0, 1, 2}, y1[3] = {1, 2, 3}, y2[3] = {3, 2, 1};
    const double *ys[2] = {y1, y2};
    cr_assert_eq(job_result_add_lines(r, "Q and acc", x, ys, 2, 3), ST_OK);
    r->plots[0].range[1][0] = 0.5;
    r->plots[0].range[1][1] = 1.5;
    int cls[3] = {4, 0, 9};
    cr_assert_eq(job_result_add_scatter(r, "pca", x, y1, cls, 3), ST_OK);
    int part[5] = {1, 2, 2, 1, 3};
    r->partition = malloc(sizeof part);
    memcpy(r->partition, part, sizeof part);
    r->n_nodes = 5;
    char base[128], path[160], msg[STATUS_MSG_LEN];
    snprintf(base, sizeof base, "%s/epoch-000040-roles-00000001", dir);
    snprintf(path, sizeof path, "%s.view", base);
    cr_assert_eq(job_result_save_view(r, path, msg), ST_OK, "%s", msg);
    JobResult *back = NULL;
    cr_assert_eq(job_result_load_saved(base, &back, msg), ST_ENOTFOUND, "no JSON, no saved result");
    snprintf(path, sizeof path, "%s.json", base);
    FILE *f = fopen(path, "w");
    fputs(strbuf_cstr(&r->json), f);
    fclose(f);
    cr_assert_eq(job_result_load_saved(base, &back, msg), ST_OK, "%s", msg);
    cr_assert_eq(back->reused, 1);
    cr_assert_str_eq(back->name, "roles");
    cr_assert_eq(back->epoch, 40);
    cr_assert_str_eq(strbuf_cstr(&back->text), strbuf_cstr(&r->text));
    cr_assert_str_eq(strbuf_cstr(&back->json), "{\"epoch\":40}");
    cr_assert_str_eq(back->saved, path);
    cr_assert_eq(back->n_maps, 1);
    cr_assert_str_eq(back->maps[0].label, "PC over the input pixels");
    cr_assert_eq(back->maps[0].rows, 2);
    cr_assert_eq(back->maps[0].cols, 3);
    cr_assert_eq(back->maps[0].diverging, 1);
    cr_assert_float_eq(back->maps[0].v[0], 0.25, 0);
    cr_assert(isnan(back->maps[0].v[3]));
    cr_assert_eq(back->n_plots, 2);
    cr_assert_eq(back->plots[0].kind, JOB_PLOT_LINES);
    cr_assert_eq(back->plots[0].n_series, 2);
    cr_assert_float_eq(back->plots[0].y[3], 3.0, 0, "the second curve");
    cr_assert_float_eq(back->plots[0].range[1][1], 1.5, 0);
    cr_assert(isnan(back->plots[0].range[0][0]));
    cr_assert_eq(back->plots[1].kind, JOB_PLOT_SCATTER);
    cr_assert_eq(back->plots[1].cls[2], 9);
    cr_assert_eq(back->n_nodes, 5);
    cr_assert_eq(back->partition[4], 3);
    job_result_free(back);
    /* A damaged view is not shown: the command computes again. */
    snprintf(path, sizeof path, "%s.view", base);
    f = fopen(path, "r+");
    fseek(f, 150, SEEK_SET);
    fputs("XXXX", f);
    fclose(f);
    cr_assert_neq(job_result_load_saved(base, &back, msg), ST_OK);
    cr_assert_null(back);
    job_result_free(r);
}
