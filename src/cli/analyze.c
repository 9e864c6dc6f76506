#include "neurotop/cli/analyze.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_kinds.h"

typedef struct {
    const char *name;
    unsigned allowed, required;
    AnalyzeFn fn;
    const char *help;
} AnalyzeKind;

static const AnalyzeKind KINDS[] = {
#define ANALYZE_ENTRY(name, allowed, required, handler, help) {#name, allowed, required, handler, help},
    ANALYZE_KINDS(ANALYZE_ENTRY)
#undef ANALYZE_ENTRY
    {NULL, 0, 0, NULL, NULL}};

typedef struct {
    const char *name;
    unsigned bit;
    int is_flag;
} OptSpec;

static const OptSpec OPTS[] = {
    {"--matrix", AOPT_MATRIX, 0},       {"--partition", AOPT_PARTITION, 0},
    {"--partitions", AOPT_PARTITIONS, 0}, {"--layers", AOPT_LAYERS, 0},
    {"--images", AOPT_IMAGES, 0},       {"--labels", AOPT_LABELS, 0},
    {"--a", AOPT_A, 0},                 {"--b", AOPT_B, 0},
    {"--cost", AOPT_COST, 0},           {"--gamma", AOPT_GAMMA, 0},
    {"--signed", AOPT_SIGNED, 0},       {"--omega", AOPT_OMEGA, 0},
    {"--threshold", AOPT_THRESHOLD, 0}, {"--ridge", AOPT_RIDGE, 0},
    {"--reps", AOPT_REPS, 0},           {"--perms", AOPT_PERMS, 0},
    {"--seed", AOPT_SEED, 0},           {"--consensus", AOPT_CONSENSUS, 1},
    {"--standardize", AOPT_STANDARDIZE, 1},
};

static Status parse_real(const char *opt, const char *v, double *out, char *msg)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE || !isfinite(x) || x < 0)
        return status_fail(msg, ST_EINVAL, "%s needs a finite number >= 0, got '%s'", opt, v);
    *out = x;
    return ST_OK;
}

static Status parse_count(const char *opt, const char *v, long min, unsigned long long *out, char *msg)
{
    char *end;
    errno = 0;
    if (*v == '-' && min >= 0)
        return status_fail(msg, ST_EINVAL, "%s needs an integer >= %ld, got '%s'", opt, min, v);
    unsigned long long x = strtoull(v, &end, 10);
    if (end == v || *end != '\0' || errno == ERANGE || x < (unsigned long long)min)
        return status_fail(msg, ST_EINVAL, "%s needs an integer >= %ld, got '%s'", opt, min, v);
    *out = x;
    return ST_OK;
}

Status analyze_parse_args(int argc, char **argv, unsigned allowed, unsigned required,
                          AnalyzeArgs *a, char *msg)
{
    memset(a, 0, sizeof *a);
    a->gamma = 1.0;
    a->omega = 1.0;
    a->reps = 10;
    a->perms = 10000;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const OptSpec *spec = NULL;
        for (size_t k = 0; k < sizeof OPTS / sizeof OPTS[0]; k++)
            if (strcmp(arg, OPTS[k].name) == 0)
                spec = &OPTS[k];
        if (!spec || !(allowed & spec->bit))
            return status_fail(msg, ST_EINVAL, "unknown option '%s' for this kind", arg);
        a->given |= spec->bit;
        if (spec->is_flag) {
            if (spec->bit == AOPT_CONSENSUS)
                a->consensus = 1;
            else
                a->standardize = 1;
            continue;
        }
        if (i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", arg);
        const char *v = argv[++i];
        unsigned long long n;
        Status st = ST_OK;
        switch (spec->bit) {
        case AOPT_MATRIX: a->matrix = v; break;
        case AOPT_PARTITION: a->partition = v; break;
        case AOPT_PARTITIONS: a->partitions = v; break;
        case AOPT_LAYERS: a->layers = v; break;
        case AOPT_IMAGES: a->images = v; break;
        case AOPT_LABELS: a->labels = v; break;
        case AOPT_A: a->a = v; break;
        case AOPT_B: a->b = v; break;
        case AOPT_COST: a->cost = v; break;
        case AOPT_GAMMA: st = parse_real(arg, v, &a->gamma, msg); break;
        case AOPT_OMEGA: st = parse_real(arg, v, &a->omega, msg); break;
        case AOPT_THRESHOLD: st = parse_real(arg, v, &a->threshold, msg); break;
        case AOPT_RIDGE: st = parse_real(arg, v, &a->ridge, msg); break;
        case AOPT_REPS:
            st = parse_count(arg, v, 1, &n, msg);
            if (!st && n > 1000000)
                st = status_fail(msg, ST_EINVAL, "--reps %s is absurdly large (max 1000000)", v);
            a->reps = (long)n;
            break;
        case AOPT_PERMS:
            st = parse_count(arg, v, 1, &n, msg);
            if (!st && n > 100000000)
                st = status_fail(msg, ST_EINVAL, "--perms %s is absurdly large (max 100000000)", v);
            a->perms = (long)n;
            break;
        case AOPT_SEED: st = parse_count(arg, v, 0, &a->seed, msg); break;
        case AOPT_SIGNED:
            st = modsign_parse(v, "--signed", &a->signed_mode, msg);
            break;
        default: break;
        }
        if (st)
            return st;
    }
    for (size_t k = 0; k < sizeof OPTS / sizeof OPTS[0]; k++)
        if ((required & OPTS[k].bit) && !(a->given & OPTS[k].bit))
            return status_fail(msg, ST_EINVAL, "missing required option %s", OPTS[k].name);
    return ST_OK;
}

static void print_help(FILE *f)
{
    fprintf(f, "usage: neurotop analyze KIND [options]\n\n"
               "Prints one JSON object on stdout; on bad input prints one sentence on stderr\n"
               "and exits 2. Definitions: METHODS.md. Matrices are CSV or .npy.\n\nKINDs:\n");
    for (const AnalyzeKind *k = KINDS; k->name; k++)
        fprintf(f, "  %-12s %s\n", k->name, k->help);
    fprintf(f, "\nDefaults: --gamma 1 --signed none --omega 1 --threshold 0 --ridge 0 "
               "--reps 10 --perms 10000 --seed 0\n");
}

int analyze_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const AnalyzeKind *kind = NULL;
    for (const AnalyzeKind *k = KINDS; k->name; k++)
        if (strcmp(k->name, argv[1]) == 0)
            kind = k;
    if (!kind) {
        fprintf(stderr, "neurotop analyze: unknown KIND '%s' (see neurotop analyze --help).\n", argv[1]);
        return 2;
    }
    char msg[STATUS_MSG_LEN] = "";
    AnalyzeArgs args;
    if (argc == 3 && strcmp(argv[2], "--help") == 0) {
        printf("neurotop analyze %s: %s\n", kind->name, kind->help);
        return 0;
    }
    Status st = analyze_parse_args(argc - 2, argv + 2, kind->allowed, kind->required, &args, msg);
    StrBuf out;
    strbuf_init(&out);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out);
        st = kind->fn(&args, &w, msg);
        if (!st && strbuf_failed(&out))
            st = status_fail(msg, ST_ENOMEM, "out of memory formatting the result");
    }
    if (st) {
        fprintf(stderr, "neurotop analyze %s: %s\n", kind->name, msg[0] ? msg : status_text(st));
        strbuf_done(&out);
        return st == ST_ENOMEM || st == ST_EINTERNAL ? 1 : 2;
    }
    fputs(strbuf_cstr(&out), stdout);
    fputc('\n', stdout);
    strbuf_done(&out);
    return 0;
}
