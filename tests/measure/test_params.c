#include <criterion/criterion.h>
#include <string.h>

#include "neurotop/measure/analyses.h"
#include "neurotop/measure/params.h"

static const ParamUse USES[] = {
    {.id = PARAM_REPS, .def = 10, .pos = 1},
    {.id = PARAM_GAMMA, .def = 1, .pos = 2},
    {.id = PARAM_SIGNED, .def = MOD_SIGN_NONE, .pos = 3},
    {.id = PARAM_HIDDEN},
    {.id = PARAM_SEED},
    {.id = PARAM_MATRIX, .required = 1},
};
#define N_USES (sizeof USES / sizeof USES[0])

Test(params, options_of_analyze)
{
    char msg[STATUS_MSG_LEN];
    AnalysisArgs a;
    const char *ok[] = {"--matrix", "w.csv", "--reps", "20", "--signed", "asym", "--hidden", "--seed", "7"};
    cr_assert_eq(params_parse_options(USES, N_USES, 0, 9, ok, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.reps, 20);
    cr_assert_float_eq(a.gamma, 1.0, 0, "a default");
    cr_assert_eq(a.sign, MOD_SIGN_ASYM);
    cr_assert_eq(a.hidden, 1);
    cr_assert_eq(a.seed, 7u);
    cr_assert_str_eq(a.files[PARAM_MATRIX], "w.csv");
    cr_assert(a.given & ((uint64_t)1 << PARAM_REPS));
    cr_assert_not(a.given & ((uint64_t)1 << PARAM_GAMMA));

    const char *missing[] = {"--reps", "20"};
    cr_assert_eq(params_parse_options(USES, N_USES, 0, 2, missing, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "missing required option --matrix");
    const char *unknown[] = {"--matrix", "w.csv", "--omega", "2"};
    cr_assert_eq(params_parse_options(USES, N_USES, 0, 4, unknown, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "unknown option '--omega' for this kind");
    const char *range[] = {"--matrix", "w.csv", "--reps", "0"};
    cr_assert_eq(params_parse_options(USES, N_USES, 0, 4, range, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--reps must be a whole number from 1 to 1000000, not '0'");
    const char *novalue[] = {"--matrix"};
    cr_assert_eq(params_parse_options(USES, N_USES, 0, 1, novalue, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "option --matrix needs a value");
}

Test(params, words_of_a_command)
{
    char msg[STATUS_MSG_LEN];
    AnalysisArgs a;
    params_defaults(USES, N_USES, &a);
    const char *w[] = {"louvain", "hidden", "30", "--seed", "4", "0.5", "sym"};
    cr_assert_eq(params_parse_words("louvain", USES, N_USES, 7, w, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.reps, 30);
    cr_assert_float_eq(a.gamma, 0.5, 0);
    cr_assert_eq(a.sign, MOD_SIGN_SYM);
    cr_assert_eq(a.hidden, 1);
    cr_assert_eq(a.seed, 4u);
    const char *extra[] = {"louvain", "1", "1", "sym", "9"};
    cr_assert_eq(params_parse_words("louvain", USES, N_USES, 5, extra, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "too many words: usage :louvain [R] [GAMMA] [asym|sym|none] [hidden]");
    const char *bad[] = {"louvain", "-3"};
    cr_assert_eq(params_parse_words("louvain", USES, N_USES, 2, bad, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "R (Louvain runs, the best reported) must be a whole number from 1 to 1000000, not '-3'");
}

Test(params, usage_line_from_the_table)
{
    char u[128];
    params_usage("louvain", USES, N_USES, u, sizeof u);
    cr_assert_str_eq(u, "louvain [R] [GAMMA] [asym|sym|none] [hidden]");
}

Test(params, layer_and_word_values)
{
    char msg[STATUS_MSG_LEN];
    const AnalysisSpec *flex = analysis_find_command("flex");
    cr_assert_not_null(flex);
    AnalysisArgs a;
    params_defaults(flex->uses, flex->n_uses, &a);
    const char *w[] = {"flex", "2", "10", "--regress-mean"};
    cr_assert_eq(params_parse_words("flex", flex->uses, flex->n_uses, 4, w, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.layer, 2);
    cr_assert_eq(a.windows, 10);
    cr_assert_eq(a.regress_mean, 1);
    const char *all[] = {"flex", "all"};
    cr_assert_eq(params_parse_words("flex", flex->uses, flex->n_uses, 2, all, &a, msg), ST_OK);
    cr_assert_eq(a.layer, 0);
    const AnalysisSpec *corr = analysis_find_command("corr");
    params_defaults(corr->uses, corr->n_uses, &a);
    const char *maps[] = {"corr", "ip", "pc", "200"};
    cr_assert_eq(params_parse_words("corr", corr->uses, corr->n_uses, 4, maps, &a, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(a.map1, "ip");
    cr_assert_str_eq(a.map2, "pc");
    cr_assert_eq(a.perms, 200);
}

Test(params, rules_that_follow_from_the_input)
{
    const AnalysisSpec *louvain = analysis_find("louvain");
    AnalysisArgs a;
    params_defaults(louvain->uses, louvain->n_uses, &a);
    a.run_seed = 42;
    analysis_args_finish(louvain, &a, 0);
    cr_assert_eq(a.sign, MOD_SIGN_NONE, "files: the plain modularity");
    cr_assert_eq(a.seed, 42u);
    cr_assert_eq(a.reps, 10);
    params_defaults(louvain->uses, louvain->n_uses, &a);
    a.consensus = 1;
    analysis_args_finish(louvain, &a, 1);
    cr_assert_eq(a.sign, MOD_SIGN_ASYM, "a snapshot's weight graph is signed");
    cr_assert_eq(a.reps, 500, "a consensus takes 500 runs unless told");
    AnalysisArgs c;
    analysis_args_init("consensus", &c);
    cr_assert_eq(c.consensus, 1);
    cr_assert_eq(c.reps, 500);
}

Test(analyses, the_table_is_consistent)
{
    for (size_t i = 0; i < analysis_spec_count; i++) {
        const AnalysisSpec *s = &analysis_specs[i];
        cr_assert_not_null(s->run, "%s", s->name);
        cr_assert_eq(analysis_find(s->name), s, "%s: names are unique", s->name);
        if (s->command)
            cr_assert_eq(analysis_find_command(s->command), s, "%s: commands are unique", s->command);
        cr_assert(s->command || !(s->flags & ANALYSIS_ON_SNAPSHOT), "%s: a snapshot analysis has a command", s->name);
        /* Positions run 1, 2, ... without gaps, and each parameter appears once. */
        int seen = 0;
        for (int pos = 1; pos <= (int)s->n_uses; pos++)
            for (size_t k = 0; k < s->n_uses; k++)
                seen += s->uses[k].pos == pos;
        int max = 0;
        for (size_t k = 0; k < s->n_uses; k++) {
            max = s->uses[k].pos > max ? s->uses[k].pos : max;
            for (size_t j = k + 1; j < s->n_uses; j++)
                cr_assert_neq(s->uses[k].id, s->uses[j].id, "%s lists a parameter twice", s->name);
        }
        cr_assert_eq(seen, max, "%s: positions without gaps", s->name);
    }
}

Test(params, method_and_iterate_from_analyze_and_words)
{
    char msg[STATUS_MSG_LEN];
    const AnalysisSpec *spec = analysis_find("louvain");
    cr_assert_not_null(spec);
    AnalysisArgs a;
    const char *opts[] = {"--matrix", "w.csv", "--method", "leiden", "--iterate"};
    cr_assert_eq(params_parse_options(spec->uses, spec->n_uses, 0, 5, opts, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.method, COMMUNITY_LEIDEN);
    cr_assert_eq(a.iterate, 1);
    CommunityAlgo algo = params_algo(&a);
    cr_assert_eq(algo.method, COMMUNITY_LEIDEN);
    const char *bad[] = {"--matrix", "w.csv", "--method", "Leiden"};
    cr_assert_eq(params_parse_options(spec->uses, spec->n_uses, 0, 4, bad, &a, msg), ST_EINVAL);
    cr_assert_str_eq(msg, "--method must be one of louvain, leiden, not 'Leiden'");
    /* `:consensus 200 leiden iterate`: the method and the switch by bare name */
    const AnalysisSpec *cons = analysis_find_command("consensus");
    params_defaults(cons->uses, cons->n_uses, &a);
    const char *words[] = {"consensus", "200", "leiden", "iterate", "random-moves"};
    cr_assert_eq(params_parse_words("consensus", cons->uses, cons->n_uses, 5, words, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(params_algo(&a).random_moves, 1);
    cr_assert_eq(a.reps, 200);
    cr_assert_eq(a.method, COMMUNITY_LEIDEN);
    cr_assert_eq(a.iterate, 1);
    /* the args JSON names them only when they are not the defaults */
    StrBuf j;
    strbuf_init(&j);
    analysis_args_json(cons, &a, &j);
    cr_assert(strstr(strbuf_cstr(&j), "\"method\":\"leiden\",\"iterate\":true,\"random-moves\":true"), "%s",
              strbuf_cstr(&j));
    params_defaults(cons->uses, cons->n_uses, &a);
    strbuf_clear(&j);
    analysis_args_json(cons, &a, &j);
    cr_assert_null(strstr(strbuf_cstr(&j), "method"), "%s", strbuf_cstr(&j));
    strbuf_done(&j);
    /* :flex takes them on a snapshot */
    const AnalysisSpec *flex = analysis_find_command("flex");
    params_defaults(flex->uses, flex->n_uses, &a);
    const char *fw[] = {"flex", "--method", "leiden"};
    cr_assert_eq(params_parse_words("flex", flex->uses, flex->n_uses, 3, fw, &a, msg), ST_OK, "%s", msg);
    cr_assert_eq(a.method, COMMUNITY_LEIDEN);
}
