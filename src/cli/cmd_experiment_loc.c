#include "neurotop/cli/cmd_experiment_loc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/experiment_run.h"
#include "neurotop/cli/options.h"
#include "neurotop/cli/session.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/numparse.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/measure/jobs_localize.h"
#include "neurotop/measure/locset.h"
#include "neurotop/run/rundir.h"

#define MAX_SETS 9

static void usage(FILE *f)
{
    fprintf(f, "usage: neurotop experiment lenet-localization [options]\n\n"
               "Seed paper 004 (Dyer & Griffin 2022): trains LeNet headless, then puts every neuron\n"
               "back in its layer and place from its responses to each stimulus set, half of the\n"
               "places given (checkerboard split), and prints each set's error beside the paper's\n"
               "(mean over layers of the RMS graph distance; random assignment about 4.6), the\n"
               "floor that dense layers impose, the silent neurons and the split of time. Options:\n"
               "  --sets LIST     stimulus sets in order (MNIST,trMNIST,GAUSSIAN,IMPULSE,CONCAT);\n"
               "                  also IMPULSE*, CONSTANT, offGAUSSIAN, MIXED; CONCAT is the\n"
               "                  features of the sets before it side by side\n"
               "  --images N      images per set (10000; IMPULSE has 2 per pixel)\n"
               "  --splits R      also R random splits per set: mean and sd (0)\n"
               "  --threads T     BLAS threads for the analysis (2)\n"
               "  --model M       the network (lenet); any kind, the paper's figures only for LeNet\n"
               "  --epochs N      training epochs (3)\n"
               "  and the train options (--lr, --batch, --seed, --data, --runs, ...)\n");
}

typedef struct {
    char names[MAX_SETS][16];
    size_t n;
    size_t images, splits;
    int threads, help;
} LocOptions;

static Status parse_sets(const char *text, LocOptions *lo, char *msg)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    lo->n = 0;
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        StimulusKind k;
        const char *name = "CONCAT";
        if (lo->n == MAX_SETS)
            return status_fail(msg, ST_EINVAL, "--sets takes at most %d sets", MAX_SETS);
        if (strcmp(w, "CONCAT") == 0) {
            if (lo->n == 0 || strcmp(lo->names[lo->n - 1], "CONCAT") == 0)
                return status_fail(msg, ST_EINVAL, "--sets: CONCAT needs sets before it");
        } else {
            Status st = stimulus_parse(w, &k, msg);
            if (st != ST_OK)
                return st;
            name = stimulus_name(k);
        }
        snprintf(lo->names[lo->n++], sizeof lo->names[0], "%s", name);
    }
    if (lo->n == 0)
        return status_fail(msg, ST_EINVAL, "--sets names no set");
    return ST_OK;
}

/* argv without our options into rest. */
static Status split_args(int argc, char **argv, char **rest, int *n_rest, LocOptions *lo,
                         char *msg)
{
    *n_rest = 0;
    rest[(*n_rest)++] = argv[0];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            lo->help = 1;
            continue;
        }
        int ours = strcmp(a, "--sets") == 0 || strcmp(a, "--images") == 0 ||
                   strcmp(a, "--splits") == 0 || strcmp(a, "--threads") == 0;
        if (!ours) {
            if (strcmp(a, "--headless") == 0 || strcmp(a, "--resume") == 0 ||
                strcmp(a, "--instances") == 0)
                return status_fail(msg, ST_EINVAL, "experiment lenet-localization trains one new "
                                   "network: leave %s out", a);
            rest[(*n_rest)++] = argv[i];
            continue;
        }
        if (i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        const char *v = argv[++i];
        Status st = ST_OK;
        size_t t = 0;
        if (strcmp(a, "--sets") == 0)
            st = parse_sets(v, lo, msg);
        else if (strcmp(a, "--images") == 0)
            st = num_parse_size(v, 2, 100000, a, &lo->images, msg);
        else if (strcmp(a, "--splits") == 0)
            st = num_parse_size(v, 0, 100, a, &lo->splits, msg);
        else if ((st = num_parse_size(v, 1, 64, a, &t, msg)) == ST_OK)
            lo->threads = (int)t;
        if (st)
            return st;
    }
    return ST_OK;
}

/* Prints each step of a set once, when it starts, so a long set shows
 * where it is. */
typedef struct {
    char seen[8][16];
    size_t n;
} Steps;

static int note_step(void *ctx, const char *stage, double frac)
{
    Steps *s = ctx;
    (void)frac;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->seen[i], stage) == 0)
            return 0;
    if (s->n < 8)
        snprintf(s->seen[s->n++], sizeof s->seen[0], "%s", stage);
    printf("  %s...\n", stage);
    fflush(stdout);
    return 0;
}

static void print_table(const NetLayout *lay, const LocSetResult *r, size_t n, int lenet)
{
    printf("\n%-12s %7s %6s %6s %6s %7s %6s %6s %6s\n", "set", "images", "error", "active",
           "silent", "silentN", "random", "floor", "paper");
    for (size_t i = 0; i < n; i++) {
        const LocalizeResult *x = &r[i].result;
        size_t silent = 0;
        for (size_t l = 0; l < x->n_layers; l++)
            silent += x->n_silent[l];
        double paper = lenet ? locset_paper_error(r[i].name) : NAN;
        char p[16] = "-";
        if (isfinite(paper))
            snprintf(p, sizeof p, "%.1f", paper);
        printf("%-12s %7zu %6.2f %6.2f %6.2f %7zu %6.2f %6.2f %6s\n", r[i].name, r[i].images,
               x->mean_err, x->mean_active, x->mean_silent, silent, x->mean_baseline, x->floor, p);
        if (r[i].n_random)
            printf("%-12s %7s %6.2f ± %.2f over %zu random splits\n", "", "", r[i].random_mean,
                   isfinite(r[i].random_sd) ? r[i].random_sd : 0.0, r[i].n_random);
    }
    if (lenet)
        printf("%-12s %7s %6s %6s %6s %7s %6.1f\n", "paper", "", "", "", "", "", LOCSET_PAPER_RANDOM);
    printf("\nseconds      %9s %8s %8s %8s %8s %8s %8s\n", "responses", "moments", "corr", "eigvec",
           "forests", "assign", "distance");
    for (size_t i = 0; i < n; i++)
        printf("%-12s %9.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f\n", r[i].name, r[i].t_responses,
               r[i].t_moments, r[i].t_corr, r[i].t_eig, r[i].t_forests, r[i].t_assign, r[i].t_score);
    (void)lay;
}

static int is_lenet(const NetLayout *l)
{
    NetLayout ref;
    netlayout_lenet(&ref);
    if (l->n_layers != ref.n_layers)
        return 0;
    for (size_t k = 0; k < ref.n_layers; k++)
        if (l->layers[k].kind != ref.layers[k].kind || l->layers[k].families != ref.layers[k].families ||
            l->layers[k].height != ref.layers[k].height || l->layers[k].width != ref.layers[k].width)
            return 0;
    return 1;
}

static Status localise(Session *s, const LocOptions *lo, char *msg)
{
    Snapshot *last = store_latest(s->store);
    if (!last)
        return status_fail(msg, ST_EINTERNAL, "no trained snapshot to localise");
    NetLayout lay;
    LocModel *lm = NULL;
    ImageSet digits = {0};
    LocSetResult res[MAX_SETS];
    LocFeatures feats[MAX_SETS];
    memset(res, 0, sizeof res);
    memset(feats, 0, sizeof feats);
    size_t done = 0;
    Status st = localize_layout_of(&last->config, &lay, msg);
    if (st == ST_OK)
        st = locmodel_open(&last->config, last->params, last->n_params, &lm, msg);
    int need_digits = 0;
    for (size_t i = 0; i < lo->n; i++) {
        StimulusKind k;
        if (strcmp(lo->names[i], "CONCAT") != 0 && stimulus_parse(lo->names[i], &k, NULL) == ST_OK)
            need_digits |= stimulus_needs_digits(k);
    }
    if (st == ST_OK && need_digits)
        st = localize_digits(s->data, &digits, msg);
    linalg_set_threads(lo->threads);
    Steps steps = {.n = 0};
    LocSetSpec e = locset_defaults();
    e.layout = &lay;
    e.responses = locmodel_responses;
    e.responses_ctx = lm;
    e.digits = digits.n ? &digits : NULL;
    e.images = lo->images;
    e.seed = s->opts.seed;
    e.random_splits = lo->splits;
    e.localize.progress = note_step;
    e.localize.progress_ctx = &steps;
    size_t first_of_concat = 0;
    for (size_t i = 0; st == ST_OK && i < lo->n; i++) {
        printf("\n%s\n", lo->names[i]);
        fflush(stdout);
        steps.n = 0;
        if (strcmp(lo->names[i], "CONCAT") == 0) {
            st = locset_run_concat(&e, feats + first_of_concat, res + first_of_concat,
                                   i - first_of_concat, &res[i], msg);
            first_of_concat = i + 1;
        } else {
            StimulusKind k;
            st = stimulus_parse(lo->names[i], &k, msg);
            if (st == ST_OK)
                st = locset_run_set(&e, k, &res[i], &feats[i], msg);
        }
        if (st != ST_OK)
            break;
        done = i + 1;
        StrBuf pic;
        strbuf_init(&pic);
        locset_picture(&lay, &res[i], &pic);
        printf("%s", strbuf_cstr(&pic));
        strbuf_done(&pic);
    }
    if (st == ST_OK) {
        print_table(&lay, res, done, is_lenet(&lay));
        StrBuf b;
        strbuf_init(&b);
        JsonWriter w;
        json_init(&w, &b);
        json_object_begin(&w);
        json_kv_int(&w, "epoch", (long long)last->epoch);
        json_kv_real(&w, "accuracy", last->eval.accuracy);
        json_key(&w, "sets");
        json_array_begin(&w);
        for (size_t i = 0; i < done; i++) {
            json_object_begin(&w);
            locset_json_fields(&lay, &res[i], &w);
            json_object_end(&w);
        }
        json_array_end(&w);
        json_object_end(&w);
        char path[1200];
        snprintf(path, sizeof path, "%s/lenet-localization.json", rundir_path(s->rundir));
        st = strbuf_failed(&b) ? status_fail(msg, ST_ENOMEM, "out of memory")
                               : file_write_atomic(path, strbuf_cstr(&b), b.len, msg);
        strbuf_done(&b);
        if (st == ST_OK)
            printf("\nResults: %s\n", path);
    }
    for (size_t i = 0; i < MAX_SETS; i++) {
        locset_set_done(&res[i]);
        loc_features_done(&feats[i]);
    }
    imageset_done(&digits);
    locmodel_free(lm);
    snapshot_release(last);
    return st;
}

int cli_experiment_loc_main(int argc, char **argv)
{
    char msg[STATUS_MSG_LEN] = "";
    char **rest = malloc((size_t)(argc + 1) * sizeof *rest);
    if (!rest)
        return 1;
    int n_rest = 0;
    LocOptions lo = {.images = 10000, .threads = 2};
    Status st = parse_sets("MNIST,trMNIST,GAUSSIAN,IMPULSE,CONCAT", &lo, msg);
    RunOptions o;
    options_defaults(&o, 3);
    snprintf(o.model, sizeof o.model, "lenet");
    o.qreps = 0; /* the experiment's own measures, not the live ones */
    o.flexreps = 0;
    o.save_every = 0;
    if (!st)
        st = split_args(argc, argv, rest, &n_rest, &lo, msg);
    Session s;
    int opened = cli_experiment_open(st, msg, lo.help, usage, rest, n_rest, NULL, &o, &s);
    if (opened >= 0)
        return opened;
    printf("neurotop experiment lenet-localization · seed paper 004 (Dyer & Griffin 2022, Neural "
           "Networks)\n%s, %zu epochs, seed %llu, %zu images per set\nrun directory: %s\n\n", o.model,
           o.epochs, (unsigned long long)o.seed, lo.images, rundir_path(s.rundir));
    fflush(stdout);
    int stopping = 0, code = 0;
    st = session_run_headless(&s, &stopping, msg);
    if (!st && !stopping)
        st = localise(&s, &lo, msg);
    if (st) {
        fprintf(stderr, "neurotop experiment: %s\n", msg);
        code = status_exit_code(st);
    } else if (stopping) {
        code = 130;
    }
    session_close(&s);
    return code;
}
