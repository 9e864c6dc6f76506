#include "neurotop/cli/options.h"

#include <stdio.h>
#include <string.h>

#include "neurotop/core/numparse.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/measure/metrics_activity.h"
#include "neurotop/measure/metrics_modularity.h"

/* The help text: a fixed part plus the kinds' tables. */
#define HELP_CAP 8192
#define HELP_WIDTH 96
#define HELP_INDENT 19

static void apply_kind_defaults(RunOptions *o, const ModelKind *k)
{
    for (size_t i = 0; i < k->n_hidden; i++)
        o->hidden[i] = k->hidden[i];
    o->n_hidden = k->n_hidden;
    o->lr = k->lr;
    o->batch = k->batch;
    o->probe = k->probe;
    o->activity = k->activity;
}

void options_defaults(RunOptions *o, size_t default_epochs)
{
    memset(o, 0, sizeof *o);
    const ModelKind *k = model_kind_at(0);
    snprintf(o->model, sizeof o->model, "%s", k->name);
    apply_kind_defaults(o, k);
    o->data = "mnist10k";
    o->epochs = default_epochs;
    o->init = MODEL_INIT_UNIFORM;
    o->qreps = QREPS_DEFAULT;
    o->flexreps = FLEXREPS_DEFAULT;
    o->fc_windows = FC_WINDOWS_DEFAULT;
    o->live_units = ACTIVITY_LIVE_UNITS;
    o->save_every = 1;
    o->theme = "default";
    o->runs = "runs";
}

/* ---- help ----------------------------------------------------------------- */

/* Append text wrapped at HELP_WIDTH, continuation lines indented; NBSP
 * joins an option to its value so a line never breaks between them. */
#define NBSP '\x1f'

static void wrap(StrBuf *b, size_t col, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t word = sp ? (size_t)(sp - p) : strlen(p);
        if (col > HELP_INDENT && col + 1 + word > HELP_WIDTH) {
            strbuf_printf(b, "\n%*s", HELP_INDENT, "");
            col = HELP_INDENT;
        } else if (col > HELP_INDENT) {
            strbuf_append(b, " ");
            col++;
        }
        for (size_t i = 0; i < word; i++) {
            char ch[2] = {p[i] == NBSP ? ' ' : p[i], '\0'};
            strbuf_append(b, ch);
        }
        col += word;
        p += word;
        while (*p == ' ')
            p++;
    }
    strbuf_append(b, "\n");
}

static void help_kind(StrBuf *b, const ModelKind *k, int is_default)
{
    char text[1024];
    int n = snprintf(text, sizeof text, "%s%s: %s; defaults --hidden%c", k->name,
                     is_default ? " (default)" : "", k->description, NBSP);
    for (size_t i = 0; i < k->n_hidden && n > 0 && (size_t)n < sizeof text; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, i ? ",%zu" : "%zu", k->hidden[i]);
    if (n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, " --lr%c%g --batch%c%zu --probe%c", NBSP,
                      k->lr, NBSP, k->batch, NBSP);
    if (n > 0 && (size_t)n < sizeof text) {
        if (k->probe_kparam >= 0)
            snprintf(text + n, sizeof text - (size_t)n, "as%c--%s", NBSP,
                     k->kparams[k->probe_kparam].option);
        else
            snprintf(text + n, sizeof text - (size_t)n, "%zu", k->probe);
    }
    strbuf_printf(b, "%*s", HELP_INDENT, "");
    wrap(b, HELP_INDENT, text);
}

static void help_kparam(StrBuf *b, const ModelKind *k, const KindParam *p)
{
    char head[64], text[512];
    snprintf(head, sizeof head, "  --%s%s", p->option,
             p->type == KPARAM_FLAG ? "" : p->type == KPARAM_WHOLE ? " N" : " X");
    if (p->type == KPARAM_FLAG)
        snprintf(text, sizeof text, "%s: %s", k->name, p->help);
    else
        snprintf(text, sizeof text, "%s: %s (%g)", k->name, p->help, p->def);
    size_t col = strlen(head);
    strbuf_append(b, head);
    if (col < HELP_INDENT - 1) {
        strbuf_printf(b, "%*s", (int)(HELP_INDENT - col), "");
        col = HELP_INDENT;
    } else {
        strbuf_printf(b, "\n%*s", HELP_INDENT, "");
        col = HELP_INDENT;
    }
    wrap(b, col, text);
}

const char *options_help(void)
{
    static char text[HELP_CAP];
    if (text[0])
        return text;
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "  --model M        the kind of network:\n");
    for (size_t i = 0; i < model_kind_count(); i++)
        help_kind(&b, model_kind_at(i), i == 0);
    strbuf_append(&b,
                  "  --data D         mnist10k (bundled, default), fashion (Debian dataset-fashion-mnist),\n"
                  "                   or a folder with the four MNIST IDX files (raw or .gz); a kind\n"
                  "                   with a generated task makes its own\n"
                  "  --hidden LIST    hidden layer sizes, comma-separated (default: the kind's)\n"
                  "  --layers LIST    every layer from the input, comma-separated (784,500,500,2000\n"
                  "                   for a dbn; a supervised kind's list ends with its outputs)\n"
                  "  --epochs N       stop after N epochs, 0 = no limit (tui 100, train 20)\n"
                  "  --epoch-size K   an epoch is K training examples (default: one full pass)\n"
                  "  --lr X           learning rate (default: the kind's)\n"
                  "  --batch B        mini-batch size; 1 = pure SGD, the MLP paper's setting\n"
                  "  --seed S         seed for every random choice (default 0)\n"
                  "  --init I         uniform (U(-1,1), default), zero (hidden N(0,1e-8), output 0)\n"
                  "                   or tiny (N(0,1e-6))\n"
                  "  --probe N        held-out items whose activations are recorded\n"
                  "  --activity A     the hidden units' recorded activity: pre (their input a\n"
                  "                   before the sigmoid: hebbff's default, as seed paper 001)\n"
                  "                   or post (sigmoid(a): the mlp's only choice)\n"
                  "  --qreps N        Louvain runs per epoch for the live modularity Q (default 3,\n"
                  "                   0 = off; best run reported with the min-max spread)\n"
                  "  --q-method M     louvain (default, as seed paper 000) or leiden: the optimiser\n"
                  "                   of the live Q\n"
                  "  --flexreps N     Louvain runs per epoch for the live flexibility of the hidden\n"
                  "                   units' correlations over time (default 1, 0 = off)\n"
                  "  --fc-windows L   slices of the live flexibility (default 20): the last L epochs,\n"
                  "                   or L windows of the probe stream of a sequential model (HebbFF)\n"
                  "  --flex-slices S  epochs (default for the MLP) or probe (default for HebbFF):\n"
                  "                   windows of an MLP's probe are subsamples, kept as flex_sub_*\n"
                  "  --live-units N   the live activity measures (FC, entropy, flexibility) use an\n"
                  "                   even sample of N hidden units of wider networks (default 512,\n"
                  "                   0 = all); the : analyses use every unit\n"
                  "  --save-every N   write a snapshot file every N epochs (default 1, 0 = never)\n"
                  "  --record-every K record every unit's incoming weights every K mini-batches\n"
                  "                   into RUN/trajectory (weight trajectories, :mapper, :branches)\n"
                  "  --record-precision P  float (default) or half: binary16 trajectories, half\n"
                  "                   the size (norms stay exact)\n"
                  "  --resume DIR     go on with the run in DIR from its last complete snapshot, with\n"
                  "                   its own settings; --epochs N sets a new limit\n"
                  "  --runs DIR       where run directories are created (default runs)\n"
                  "  --log FILE       also append the metrics lines to FILE (runs may share one)\n"
                  "  --instances K    train: K instances with seeds S, S+1, ... (one run directory each\n"
                  "                   in a batch folder, plus summary.csv)\n"
                  "  --jobs J         train: instances trained at once (default: cores, at most K)\n");
    for (size_t i = 0; i < model_kind_count(); i++) {
        const ModelKind *k = model_kind_at(i);
        for (size_t j = 0; j < k->n_kparams; j++)
            help_kparam(&b, k, &k->kparams[j]);
    }
    if (!strbuf_failed(&b))
        snprintf(text, sizeof text, "%s", strbuf_cstr(&b));
    strbuf_done(&b);
    return text;
}

/* ---- parsing ---------------------------------------------------------------- */

/* The first registered kind parameter named option, or NULL. */
static const KindParam *find_kparam(const char *option, const ModelKind **owner)
{
    for (size_t i = 0; i < model_kind_count(); i++) {
        const ModelKind *k = model_kind_at(i);
        int idx = model_kparam_index(k, option);
        if (idx >= 0) {
            if (owner)
                *owner = k;
            return &k->kparams[idx];
        }
    }
    return NULL;
}

static Status add_karg(RunOptions *o, const KindParam *p, double value, char *msg)
{
    for (size_t i = 0; i < o->n_kargs; i++)
        if (strcmp(o->kargs[i].param->option, p->option) == 0) {
            o->kargs[i].value = value;
            return ST_OK;
        }
    if (o->n_kargs == OPTIONS_MAX_KIND_ARGS)
        return status_fail(msg, ST_EINVAL, "too many model options");
    o->kargs[o->n_kargs++] = (KindArg){.param = p, .value = value};
    return ST_OK;
}

static Status parse_karg(const char *opt, const KindParam *p, const char *v, RunOptions *o,
                         char *msg)
{
    double x;
    Status st;
    if (p->type == KPARAM_REAL) {
        st = num_parse_real(v, p->min, p->max, 0, opt, &x, msg);
    } else {
        uint64_t u;
        st = num_parse_u64(v, (uint64_t)p->min, (uint64_t)p->max, opt, &u, msg);
        x = (double)u;
    }
    return st ? st : add_karg(o, p, x, msg);
}

/* "A,B,C": at most max sizes from 1 to 100000 into sizes[*n]; the
 * messages name the option and what it lists. */
static Status parse_sizes(const char *v, const char *option, const char *what, size_t max, size_t *sizes,
                          size_t *n, char *msg)
{
    *n = 0;
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char piece[32];
        size_t x = 0;
        if (len >= sizeof piece)
            len = sizeof piece - 1;
        memcpy(piece, p, len);
        piece[len] = '\0';
        if (num_parse_size(piece, 1, 100000, option, &x, NULL))
            return status_fail(msg, ST_EINVAL, "%s needs %s from 1 to 100000 separated by commas, got '%s'", option,
                               what, v);
        if (*n == max)
            return status_fail(msg, ST_EINVAL, "%s allows at most %zu %s", option, max,
                               strcmp(option, "--hidden") == 0 ? "hidden layers" : "layers");
        sizes[(*n)++] = x;
        if (!comma)
            return ST_OK;
        p = comma + 1;
    }
}

static Status parse_hidden(const char *v, RunOptions *o, char *msg)
{
    return parse_sizes(v, "--hidden", "sizes", MODEL_MAX_LAYERS - 2, o->hidden, &o->n_hidden, msg);
}

/* --layers L0,L1,...: every layer from the input (and, for a supervised
 * kind, to the output); the sizes between are the hidden layers. The ends
 * are checked against the data in options_check_layers. */
static Status parse_layers(const char *v, RunOptions *o, char *msg)
{
    size_t sizes[MODEL_MAX_LAYERS], n = 0;
    Status st = parse_sizes(v, "--layers", "layer sizes", MODEL_MAX_LAYERS, sizes, &n, msg);
    if (st)
        return st;
    if (n < 2)
        return status_fail(msg, ST_EINVAL, "--layers needs at least two layers (the input first), got '%s'", v);
    o->n_layers = n;
    memcpy(o->layers, sizes, n * sizeof *sizes);
    return ST_OK;
}

Status options_check_layers(RunOptions *o, size_t n_in, size_t n_out, char *msg)
{
    if (!o->n_layers)
        return ST_OK;
    const ModelKind *k = model_kind_find(o->model);
    int with_out = !k || k->supervised;
    if (o->layers[0] != n_in)
        return status_fail(msg, ST_EINVAL, "--layers starts with %zu inputs but the data has %zu pixels per image",
                           o->layers[0], n_in);
    if (with_out && o->layers[o->n_layers - 1] != n_out)
        return status_fail(msg, ST_EINVAL, "--layers ends with %zu outputs but the data has %zu classes",
                           o->layers[o->n_layers - 1], n_out);
    return ST_OK;
}

static const char *const WITH_VALUE[] = {
    "--model", "--data",     "--epochs",   "--lr",         "--batch", "--seed",
    "--hidden", "--init",    "--epoch-size", "--probe",    "--qreps", "--q-method", "--flexreps",
    "--fc-windows", "--live-units", "--save-every", "--record-every", "--record-precision", "--theme", "--log",    "--runs",  "--instances",
    "--jobs", "--resume", "--flex-slices", "--activity", "--layers"};

/* What --resume may be given with: the rest is the run's own (run.json). */
static int resume_allows(const char *option)
{
    static const char *const OK[] = {"--epochs", "--paused", "--theme", "--log", "--headless",
                                     "--help", "-h", "--resume"};
    for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++)
        if (strcmp(option, OK[i]) == 0)
            return 1;
    return 0;
}

/* One option that takes a value: a = option, v = its value. */
static Status parse_valued(const char *a, const char *v, RunOptions *o, int allow_headless,
                           char *msg)
{
    Status st = ST_OK;
    uint64_t u = 0;
    if (strcmp(a, "--model") == 0) {
        if (!model_kind_find(v)) {
            char names[128];
            model_kind_names(names, sizeof names);
            return status_fail(msg, ST_EINVAL, "unknown model '%s' (available: %s)", v, names);
        }
        snprintf(o->model, sizeof o->model, "%s", v);
    } else if (strcmp(a, "--data") == 0) {
        o->data = v;
        o->given |= OPT_GIVEN_DATA;
    } else if (strcmp(a, "--epochs") == 0) {
        st = num_parse_size(v, 0, 1000000, a, &o->epochs, msg);
        o->given |= OPT_GIVEN_EPOCHS;
    } else if (strcmp(a, "--resume") == 0) {
        o->resume = v;
    } else if (strcmp(a, "--lr") == 0) {
        st = num_parse_real(v, 0, 100, 1, a, &o->lr, msg);
        o->given |= OPT_GIVEN_LR;
    } else if (strcmp(a, "--batch") == 0) {
        st = num_parse_size(v, 1, 65536, a, &o->batch, msg);
        o->given |= OPT_GIVEN_BATCH;
    } else if (strcmp(a, "--seed") == 0) {
        st = num_parse_u64(v, 0, UINT64_MAX / 2, a, &o->seed, msg);
    } else if (strcmp(a, "--hidden") == 0) {
        st = parse_hidden(v, o, msg);
        o->given |= OPT_GIVEN_HIDDEN;
    } else if (strcmp(a, "--layers") == 0) {
        st = parse_layers(v, o, msg);
        o->given |= OPT_GIVEN_LAYERS;
    } else if (strcmp(a, "--init") == 0) {
        if (model_init_parse(v, &o->init))
            return status_fail(msg, ST_EINVAL, "--init must be uniform, zero or tiny, got '%s'", v);
    } else if (strcmp(a, "--epoch-size") == 0) {
        st = num_parse_size(v, 1, 1000000000, a, &o->epoch_size, msg);
        o->given |= OPT_GIVEN_EPOCH_SIZE;
    } else if (strcmp(a, "--probe") == 0) {
        st = num_parse_size(v, 0, 100000, a, &o->probe, msg);
        o->given |= OPT_GIVEN_PROBE;
    } else if (strcmp(a, "--qreps") == 0) {
        st = num_parse_size(v, 0, QREPS_MAX, a, &o->qreps, msg);
    } else if (strcmp(a, "--q-method") == 0) {
        CommunityMethod m;
        st = community_method_parse(v, a, &m, msg);
        o->q_method = st ? o->q_method : (int)m;
    } else if (strcmp(a, "--flexreps") == 0) {
        st = num_parse_size(v, 0, FLEXREPS_MAX, a, &o->flexreps, msg);
    } else if (strcmp(a, "--fc-windows") == 0) {
        st = num_parse_size(v, 2, FC_WINDOWS_MAX, a, &o->fc_windows, msg);
    } else if (strcmp(a, "--live-units") == 0) {
        st = num_parse_size(v, 0, ACTIVITY_MAX_UNITS, a, &o->live_units, msg);
    } else if (strcmp(a, "--flex-slices") == 0) {
        ActivitySlices sl;
        st = activity_slices_parse(v, a, &sl, msg);
        o->flex_slices = st ? o->flex_slices : (int)sl;
    } else if (strcmp(a, "--save-every") == 0) {
        st = num_parse_u64(v, 0, 1000000, a, &u, msg);
        o->save_every = (int)u;
    } else if (strcmp(a, "--record-every") == 0) {
        st = num_parse_size(v, 0, 100000000, a, &o->record_every, msg);
    } else if (strcmp(a, "--record-precision") == 0) {
        if (strcmp(v, "float") != 0 && strcmp(v, "half") != 0)
            return status_fail(msg, ST_EINVAL, "--record-precision must be float or half, got '%s'", v);
        o->record_half = v[0] == 'h';
    } else if (strcmp(a, "--activity") == 0) {
        if (model_activity_parse(v, &o->activity))
            return status_fail(msg, ST_EINVAL, "--activity must be pre or post, got '%s'", v);
        o->given |= OPT_GIVEN_ACTIVITY;
    } else if (strcmp(a, "--theme") == 0) {
        o->theme = v;
    } else if (strcmp(a, "--log") == 0) {
        o->log = v;
    } else if (strcmp(a, "--runs") == 0) {
        o->runs = v;
    } else if (strcmp(a, "--instances") == 0 || strcmp(a, "--jobs") == 0) {
        if (!allow_headless)
            return status_fail(msg, ST_EINVAL, "%s belongs to `neurotop train --headless`", a);
        st = num_parse_size(v, 1, 10000, a, a[2] == 'i' ? &o->instances : &o->jobs, msg);
    }
    return st;
}

Status options_parse(int argc, char **argv, int first, RunOptions *o, int allow_headless, char *msg)
{
    const char *not_with_resume = NULL;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!not_with_resume && !resume_allows(a) && strncmp(a, "--", 2) == 0)
            not_with_resume = a;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = 1;
            continue;
        }
        if (strcmp(a, "--paused") == 0) {
            o->paused = 1;
            continue;
        }
        if (strcmp(a, "--headless") == 0) {
            if (!allow_headless)
                return status_fail(msg, ST_EINVAL, "--headless belongs to `neurotop train`");
            o->headless = 1;
            continue;
        }
        /* The options of every run first; then the kinds' parameters. */
        int known = 0;
        for (size_t k = 0; k < sizeof WITH_VALUE / sizeof WITH_VALUE[0]; k++)
            known |= strcmp(a, WITH_VALUE[k]) == 0;
        const KindParam *kp = !known && strncmp(a, "--", 2) == 0 ? find_kparam(a + 2, NULL) : NULL;
        if (kp && kp->type == KPARAM_FLAG) {
            Status st = add_karg(o, kp, 1.0, msg);
            if (st)
                return st;
            continue;
        }
        known |= kp != NULL;
        if (!known)
            return status_fail(msg, ST_EINVAL, "unknown option '%s' (see --help)", a);
        if (i + 1 >= argc)
            return status_fail(msg, ST_EINVAL, "option %s needs a value", a);
        const char *v = argv[++i];
        Status st = kp ? parse_karg(a, kp, v, o, msg) : parse_valued(a, v, o, allow_headless, msg);
        if (st)
            return st;
    }
    if (o->resume && not_with_resume)
        return status_fail(msg, ST_EINVAL,
                           "%s cannot change a resumed run, which keeps its own settings (with --resume only "
                           "--epochs, --paused, --theme and --log may be given)",
                           not_with_resume);
    return ST_OK;
}

/* ---- the chosen kind ---------------------------------------------------------- */

Status options_finish(RunOptions *o, char *msg)
{
    const ModelKind *k = model_kind_find(o->model);
    if (!k) {
        char names[128];
        model_kind_names(names, sizeof names);
        return status_fail(msg, ST_EINVAL, "unknown model '%s' (available: %s)", o->model, names);
    }
    double values[MODEL_MAX_KPARAMS];
    for (size_t i = 0; i < k->n_kparams; i++)
        values[i] = k->kparams[i].def;
    for (size_t i = 0; i < o->n_kargs; i++) {
        int idx = model_kparam_index(k, o->kargs[i].param->option);
        if (idx < 0) {
            const ModelKind *owner = NULL;
            find_kparam(o->kargs[i].param->option, &owner);
            return status_fail(msg, ST_EINVAL, "the --%s option belongs to --model %s",
                               o->kargs[i].param->option, owner->name);
        }
        values[idx] = o->kargs[i].value;
    }
    Status st = model_kparams_check(k, values, k->n_kparams, msg);
    if (st)
        return st;
    if (k->task) {
        if (o->given & OPT_GIVEN_DATA)
            return status_fail(msg, ST_EINVAL,
                               "--model %s learns the %s task: set it with its own options (see "
                               "--help), not --data",
                               k->name, k->task);
        o->data = k->task;
    }
    if (k->epoch_kparam >= 0 && (o->given & OPT_GIVEN_EPOCH_SIZE))
        return status_fail(msg, ST_EINVAL, "--model %s trains on its whole stream each epoch: use --%s",
                           k->name, k->kparams[k->epoch_kparam].option);
    if (o->given & OPT_GIVEN_LAYERS) {
        if (o->given & OPT_GIVEN_HIDDEN)
            return status_fail(msg, ST_EINVAL, "give --layers or --hidden, not both");
        size_t first = 1, last = k->supervised ? o->n_layers - 1 : o->n_layers;
        if (last < first + (k->supervised ? 0 : 1))
            return status_fail(msg, ST_EINVAL, "--model %s needs at least %s in --layers", k->name,
                               k->supervised ? "an input and an output" : "an input and one hidden layer");
        o->n_hidden = last - first;
        for (size_t i = first; i < last; i++)
            o->hidden[i - first] = o->layers[i];
        o->given |= OPT_GIVEN_HIDDEN;
    }
    if (k->shape && (o->given & OPT_GIVEN_HIDDEN)) {
        char opts[128] = "";
        for (size_t i = 0; i < k->n_kparams; i++)
            snprintf(opts + strlen(opts), sizeof opts - strlen(opts), "%s--%s", i ? ", " : "",
                     k->kparams[i].option);
        return status_fail(msg, ST_EINVAL, "--model %s sets its layers with %s, not --hidden or --layers",
                           k->name, opts);
    }
    if (!(o->given & OPT_GIVEN_HIDDEN)) {
        for (size_t i = 0; i < k->n_hidden; i++)
            o->hidden[i] = k->hidden[i];
        o->n_hidden = k->n_hidden;
    } else if (o->n_hidden < k->min_hidden || o->n_hidden > k->max_hidden) {
        if (k->min_hidden == 1 && k->max_hidden == 1)
            return status_fail(msg, ST_EINVAL, "--model %s has one hidden layer: give --hidden M", k->name);
        return status_fail(msg, ST_EINVAL, "--model %s takes %zu to %zu hidden layers, not %zu", k->name,
                           k->min_hidden, k->max_hidden, o->n_hidden);
    }
    if (!(k->inits & MODEL_INIT_BIT(o->init)))
        return status_fail(msg, ST_EINVAL, "--model %s has its own initialisation: leave --init out",
                           k->name);
    if (!(o->given & OPT_GIVEN_LR))
        o->lr = k->lr;
    if (!(o->given & OPT_GIVEN_BATCH))
        o->batch = k->batch;
    if (!(o->given & OPT_GIVEN_PROBE))
        o->probe = k->probe_kparam >= 0 ? (size_t)values[k->probe_kparam] : k->probe;
    if (!(o->given & OPT_GIVEN_ACTIVITY))
        o->activity = k->activity;
    else if ((st = model_activity_check(k, o->activity, msg)))
        return st;
    o->n_kparams = k->n_kparams;
    memcpy(o->kparams, values, k->n_kparams * sizeof *values);
    return ST_OK;
}

void options_model_config(const RunOptions *o, size_t n_in, size_t n_out, ModelConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->kind, sizeof cfg->kind, "%s", o->model);
    cfg->sizes[0] = n_in;
    for (size_t i = 0; i < o->n_hidden; i++)
        cfg->sizes[1 + i] = o->hidden[i];
    /* A kind that learns without labels has no output layer: its top
     * layer is the last hidden one. */
    const ModelKind *k = model_kind_find(o->model);
    if (k && !k->supervised) {
        cfg->n_layers = o->n_hidden + 1;
    } else {
        cfg->sizes[1 + o->n_hidden] = n_out;
        cfg->n_layers = o->n_hidden + 2;
    }
    cfg->init = o->init;
    cfg->seed = o->seed;
    cfg->n_kparams = o->n_kparams;
    memcpy(cfg->kparams, o->kparams, o->n_kparams * sizeof *o->kparams);
    if (k && k->fit_classes)
        k->fit_classes(cfg, n_out);
    model_config_shape(cfg);
}
