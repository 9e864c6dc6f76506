#include "neurotop/cli/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/numparse.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/run/epochs.h"
#include "neurotop/run/replay.h"

static void print_options(FILE *f, const AnalysisSpec *k)
{
    for (int on_snapshot = 0; on_snapshot <= 1; on_snapshot++) {
        unsigned flag = on_snapshot ? ANALYSIS_ON_SNAPSHOT : ANALYSIS_ON_FILES;
        if (!(k->flags & flag))
            continue;
        fprintf(f, on_snapshot ? "\non an epoch of a recorded run:\n  %-24s %s\n  %-24s %s\n"
                               : "\non files:\n",
                "--run DIR", "the run directory (required)", "--epoch E",
                "the epoch (default: the last one with a snapshot)");
        for (size_t i = 0; i < k->n_uses; i++) {
            const ParamUse *u = &k->uses[i];
            if (!param_applies(u, on_snapshot))
                continue;
            const ParamInfo *p = param_info(u->id);
            char opt[48];
            if (p->type == PARAM_TYPE_SWITCH)
                snprintf(opt, sizeof opt, "--%s", p->name);
            else
                snprintf(opt, sizeof opt, "--%s %s", p->name, p->metavar);
            fprintf(f, "  %-24s %s", opt, p->help);
            if (u->required)
                fprintf(f, " (required)");
            else if (u->id == PARAM_SEED && on_snapshot)
                fprintf(f, " (default: the run's seed)");
            else if (u->id == PARAM_SIGNED && on_snapshot)
                fprintf(f, " (default asym)");
            else if ((p->type == PARAM_TYPE_WHOLE || p->type == PARAM_TYPE_REAL) && u->def >= 0 &&
                     u->id != PARAM_EPS) /* eps says its default in its help */
                fprintf(f, " (default %g)", u->def);
            else if (p->type == PARAM_TYPE_SIGN)
                fprintf(f, " (default %s)", modsign_name((ModSign)(int)u->def));
            else if (p->type == PARAM_TYPE_LAYER && u->def == 0)
                fprintf(f, " (default all)");
            else if (p->type == PARAM_TYPE_LAYER)
                fprintf(f, " (default %g)", u->def);
            fputc('\n', f);
        }
    }
}

static void print_help(FILE *f)
{
    fprintf(f, "usage: neurotop analyze KIND [options]          (on files)\n"
               "       neurotop analyze KIND --run DIR [--epoch E] [options]\n\n"
               "Prints one JSON object on stdout; on bad input prints one sentence on stderr\n"
               "and exits 2. Definitions: docs/methods.md. Matrices are CSV or .npy. With --run,\n"
               "the analysis runs on an epoch of a recorded run exactly as the TUI's :command\n"
               "does, and prints the JSON that command saves under the run's analyses/.\n\nKINDs:\n");
    for (size_t i = 0; i < analysis_spec_count; i++) {
        const AnalysisSpec *k = &analysis_specs[i];
        char where[40];
        snprintf(where, sizeof where, "%s%s%s", k->flags & ANALYSIS_ON_FILES ? "files" : "",
                 (k->flags & ANALYSIS_ON_FILES) && (k->flags & ANALYSIS_ON_SNAPSHOT) ? ", " : "",
                 k->flags & ANALYSIS_ON_SNAPSHOT ? "--run" : "");
        fprintf(f, "  %-12s %-13s %s\n", k->name, where, k->help);
    }
    fprintf(f, "\nneurotop analyze KIND --help lists a KIND's options and defaults.\n");
}

/* A recorded run, opened for analyses of its epochs: the replay with its
 * data set attached (probe activations are recomputed), the data's pixel
 * measures and a lookup of other epochs. */
typedef struct {
    Replay *replay;
    Dataset *data;
    PixelInfo *pixels;
    EpochLookup *epochs;
    Snapshot *snap;
} RunInput;

static void run_input_done(RunInput *in)
{
    snapshot_release(in->snap);
    epoch_lookup_free(in->epochs);
    pixel_info_free(in->pixels);
    replay_free(in->replay);
    dataset_free(in->data);
}

/* The last epoch of the run that has a snapshot file. */
static int last_snapshot_epoch(const Replay *r, size_t *epoch)
{
    size_t n = 0;
    const size_t *e = replay_epochs(r, &n);
    for (size_t i = n; i-- > 0;)
        if (replay_has_snapshot(r, e[i])) {
            *epoch = e[i];
            return 1;
        }
    return 0;
}

static Status run_input_open(const char *dir, const char *epoch_text, RunInput *in, AnalysisArgs *a,
                             char *msg)
{
    memset(in, 0, sizeof *in);
    Status st = replay_open(dir, &in->replay, msg);
    if (st)
        return st;
    const ReplayInfo *info = replay_info(in->replay);
    char why[STATUS_MSG_LEN];
    /* Without its data the weight analyses still run; the others say so. */
    if (replay_open_data(in->replay, &in->data, why) == ST_OK &&
        (replay_attach_data(in->replay, in->data, info->probe, why) || pixel_info_new(in->data, &in->pixels, why)))
        in->pixels = NULL;
    size_t epoch = 0;
    if (epoch_text) {
        if ((st = num_parse_size(epoch_text, 0, (size_t)100000000, "--epoch", &epoch, msg)))
            return st;
    } else if (!last_snapshot_epoch(in->replay, &epoch)) {
        return status_fail(msg, ST_ENOTFOUND, "%s has no snapshot files to analyse", dir);
    }
    if ((st = replay_snapshot(in->replay, epoch, &in->snap, msg)))
        return st;
    if ((st = epoch_lookup_new(NULL, in->replay, NULL, in->data, info->probe, &in->epochs, msg)))
        return st;
    a->run_seed = info->seed;
    a->replay = in->replay;
    a->epochs = in->epochs;
    a->run_dir = replay_dir(in->replay);
    a->data = in->data;
    a->pixel_info = in->pixels;
    return ST_OK;
}

/* Splits --run DIR and --epoch E off the options. */
static Status take_run(int *argc, char **argv, const char **run, const char **epoch, char *msg)
{
    int n = 0;
    for (int i = 0; i < *argc; i++) {
        int is_run = strcmp(argv[i], "--run") == 0, is_epoch = strcmp(argv[i], "--epoch") == 0;
        if (!is_run && !is_epoch) {
            argv[n++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", argv[i]);
        *(is_run ? run : epoch) = argv[++i];
    }
    *argc = n;
    if (*epoch && !*run)
        return status_fail(msg, ST_EINVAL, "--epoch goes with --run DIR");
    return ST_OK;
}

int analyze_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const AnalysisSpec *kind = analysis_find(argv[1]);
    if (!kind) {
        fprintf(stderr, "neurotop analyze: unknown KIND '%s' (see neurotop analyze --help).\n", argv[1]);
        return 2;
    }
    if (argc == 3 && strcmp(argv[2], "--help") == 0) {
        printf("neurotop analyze %s: %s\n", kind->name, kind->help);
        print_options(stdout, kind);
        return 0;
    }
    char msg[STATUS_MSG_LEN] = "";
    const char *run = NULL, *epoch = NULL;
    int n_opts = argc - 2;
    char **opts = argv + 2;
    AnalysisArgs args;
    RunInput in;
    memset(&in, 0, sizeof in);
    JobResult *r = NULL;
    Status st = take_run(&n_opts, opts, &run, &epoch, msg);
    if (!st && run && !(kind->flags & ANALYSIS_ON_SNAPSHOT))
        st = status_fail(msg, ST_EINVAL, "%s runs on files, not on a run (see --help)", kind->name);
    if (!st && !run && !(kind->flags & ANALYSIS_ON_FILES))
        st = status_fail(msg, ST_EINVAL, "%s runs on an epoch of a run: give --run DIR", kind->name);
    if (!st)
        st = params_parse_options(kind->uses, kind->n_uses, run != NULL, n_opts, (const char *const *)opts,
                                  &args, msg);
    if (!st && run)
        st = run_input_open(run, epoch, &in, &args, msg);
    if (!st) {
        analysis_args_finish(kind, &args, run != NULL);
        st = analysis_run_now(kind, in.snap, &args, &r, msg);
    }
    /* On a run, the arguments close the document, as :KIND saves it. */
    if (!st && run) {
        StrBuf args_json;
        strbuf_init(&args_json);
        analysis_args_json(kind, &args, &args_json);
        st = strbuf_failed(&args_json) ? status_fail(msg, ST_ENOMEM, "out of memory")
                                       : analysis_json_append_args(&r->json, strbuf_cstr(&args_json), msg);
        strbuf_done(&args_json);
    }
    run_input_done(&in);
    if (st) {
        fprintf(stderr, "neurotop analyze %s: %s\n", kind->name, msg[0] ? msg : status_text(st));
        return st == ST_ENOMEM || st == ST_EINTERNAL ? 1 : 2;
    }
    fputs(strbuf_cstr(&r->json), stdout);
    fputc('\n', stdout);
    job_result_free(r);
    return 0;
}
