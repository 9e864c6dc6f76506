#include "neurotop/cli/analyze.h"

#include <stdio.h>
#include <string.h>

#include "neurotop/measure/analyses.h"

static void print_options(FILE *f, const AnalysisSpec *k)
{
    for (size_t i = 0; i < k->n_uses; i++) {
        const ParamInfo *p = param_info(k->uses[i].id);
        char opt[48];
        if (p->type == PARAM_TYPE_SWITCH)
            snprintf(opt, sizeof opt, "--%s", p->name);
        else
            snprintf(opt, sizeof opt, "--%s %s", p->name, p->metavar);
        fprintf(f, "  %-24s %s", opt, p->help);
        if (k->uses[i].required)
            fprintf(f, " (required)");
        else if (p->type == PARAM_TYPE_WHOLE || p->type == PARAM_TYPE_REAL)
            fprintf(f, " (default %g)", k->uses[i].def);
        else if (p->type == PARAM_TYPE_SIGN)
            fprintf(f, " (default %s)", modsign_name((ModSign)(int)k->uses[i].def));
        fputc('\n', f);
    }
}

static void print_help(FILE *f)
{
    fprintf(f, "usage: neurotop analyze KIND [options]\n\n"
               "Prints one JSON object on stdout; on bad input prints one sentence on stderr\n"
               "and exits 2. Definitions: docs/methods.md. Matrices are CSV or .npy.\n\nKINDs:\n");
    for (size_t i = 0; i < analysis_spec_count; i++)
        if (analysis_specs[i].flags & ANALYSIS_ON_FILES)
            fprintf(f, "  %-12s %s\n", analysis_specs[i].name, analysis_specs[i].help);
    fprintf(f, "\nneurotop analyze KIND --help lists a KIND's options and defaults.\n");
}

int analyze_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const AnalysisSpec *kind = analysis_find(argv[1]);
    if (!kind || !(kind->flags & ANALYSIS_ON_FILES)) {
        fprintf(stderr, "neurotop analyze: unknown KIND '%s' (see neurotop analyze --help).\n", argv[1]);
        return 2;
    }
    if (argc == 3 && strcmp(argv[2], "--help") == 0) {
        printf("neurotop analyze %s: %s\n\noptions:\n", kind->name, kind->help);
        print_options(stdout, kind);
        return 0;
    }
    char msg[STATUS_MSG_LEN] = "";
    AnalysisArgs args;
    JobResult *r = NULL;
    Status st = params_parse_options(kind->uses, kind->n_uses, argc - 2, (const char *const *)(argv + 2), &args, msg);
    if (!st) {
        analysis_args_finish(kind, &args, 0);
        st = analysis_run_now(kind, NULL, &args, &r, msg);
    }
    if (st) {
        fprintf(stderr, "neurotop analyze %s: %s\n", kind->name, msg[0] ? msg : status_text(st));
        return st == ST_ENOMEM || st == ST_EINTERNAL ? 1 : 2;
    }
    fputs(strbuf_cstr(&r->json), stdout);
    fputc('\n', stdout);
    job_result_free(r);
    return 0;
}
