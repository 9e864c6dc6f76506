/* Runs recorded by other frameworks (external.h). */
#include "neurotop/run/external.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/json.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/npy.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/model/model.h"
#include "neurotop/run/metrics.h"

typedef struct {
    size_t step;
    size_t n;
    MetricValue v[32];
} StepMetrics;

struct ExternalRun {
    char dir[1024];
    int out_by_in;
    size_t in_rows, in_cols;
    size_t n_steps, cap_steps;
    size_t *steps;
    size_t n_metrics;
    StepMetrics *metrics;
    /* metrics.jsonl as last read: reread only when it changed. */
    off_t metrics_size;
    struct timespec metrics_mtime;
};

const char *external_dir(const ExternalRun *x)
{
    return x->dir;
}

void external_free(ExternalRun *x)
{
    if (!x)
        return;
    free(x->steps);
    free(x->metrics);
    free(x);
}

int external_is_run(const char *dir)
{
    char path[1100], *text = NULL, why[STATUS_MSG_LEN];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/run.json", dir);
    if (file_read_all(path, (size_t)1 << 20, &text, &len, why))
        return 0;
    JsonDoc *doc = NULL;
    int is = 0;
    if (json_parse(text, len, path, NULL, &doc, why) == ST_OK) {
        const JsonValue *root = json_doc_root(doc);
        is = root->type == JSON_OBJECT && json_get(root, "layout") && !json_get(root, "model");
        json_doc_free(doc);
    }
    free(text);
    return is;
}

Status external_open(const char *dir, ExternalRun **out, char *msg)
{
    *out = NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s/run.json", dir);
    char *text = NULL;
    size_t len = 0;
    Status st = file_read_all(path, (size_t)1 << 20, &text, &len, msg);
    if (st)
        return st == ST_EIO || st == ST_ENOTFOUND
                   ? status_fail(msg, ST_ENOTFOUND, "%s is not an external run: it has no readable run.json", dir)
                   : st;
    JsonDoc *doc = NULL;
    st = json_parse(text, len, path, NULL, &doc, msg);
    free(text);
    if (st)
        return st;
    const JsonValue *root = json_doc_root(doc);
    const char *layout = json_as_string(json_get(root, "layout"), NULL);
    ExternalRun *x = calloc(1, sizeof *x);
    if (!x) {
        json_doc_free(doc);
        return status_fail(msg, ST_ENOMEM, "out of memory");
    }
    snprintf(x->dir, sizeof x->dir, "%s", dir);
    x->metrics_size = -1;
    if (root->type != JSON_OBJECT || !layout || (strcmp(layout, "in_by_out") != 0 && strcmp(layout, "out_by_in") != 0))
        st = status_fail(msg, ST_EFORMAT, "%s: \"layout\" must be \"in_by_out\" or \"out_by_in\"", path);
    else
        x->out_by_in = layout[0] == 'o';
    const JsonValue *shape = json_get(root, "input_shape");
    if (!st && shape) {
        long long r = json_integer(json_at(shape, 0), -1), c = json_integer(json_at(shape, 1), -1);
        if (shape->type != JSON_ARRAY || shape->count != 2 || r < 1 || c < 1 || r > 65536 || c > 65536)
            st = status_fail(msg, ST_EFORMAT, "%s: \"input_shape\" must be [rows, cols] of whole numbers", path);
        x->in_rows = (size_t)r;
        x->in_cols = (size_t)c;
    }
    json_doc_free(doc);
    if (st) {
        external_free(x);
        return st;
    }
    *out = x;
    return ST_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* "step-DIGITS.npz" → 1 and the number. */
static int step_name(const char *name, size_t *step)
{
    if (strncmp(name, "step-", 5) != 0)
        return 0;
    const char *p = name + 5;
    size_t v = 0, digits = 0;
    for (; isdigit((unsigned char)*p) && digits < 12; p++, digits++)
        v = v * 10 + (size_t)(*p - '0');
    if (!digits || strcmp(p, ".npz") != 0)
        return 0;
    *step = v;
    return 1;
}

static void read_metrics(ExternalRun *x)
{
    char path[1100], *text = NULL, why[STATUS_MSG_LEN];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/metrics.jsonl", x->dir);
    struct stat sb;
    int found = stat(path, &sb) == 0;
    if (found && sb.st_size == x->metrics_size && sb.st_mtim.tv_sec == x->metrics_mtime.tv_sec &&
        sb.st_mtim.tv_nsec == x->metrics_mtime.tv_nsec)
        return;
    x->n_metrics = 0;
    x->metrics_size = found ? sb.st_size : -1;
    if (found)
        x->metrics_mtime = sb.st_mtim;
    if (file_read_all(path, (size_t)256 << 20, &text, &len, why))
        return;
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    free(x->metrics);
    x->metrics = calloc(lines ? lines : 1, sizeof *x->metrics);
    for (char *p = text, *end = text + len; x->metrics && p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break; /* a line still being written */
        JsonDoc *doc = NULL;
        if (json_parse(p, (size_t)(nl - p), path, NULL, &doc, why) == ST_OK) {
            const JsonValue *root = json_doc_root(doc);
            long long step = json_integer(json_get(root, "step"), -1);
            if (root->type == JSON_OBJECT && step >= 0) {
                StepMetrics *m = &x->metrics[x->n_metrics++];
                m->step = (size_t)step;
                for (size_t k = 0; k < root->count && m->n < 32; k++)
                    if (root->items[k].type == JSON_NUMBER && strcmp(root->keys[k], "step") != 0 &&
                        strlen(root->keys[k]) < METRIC_KEY_LEN) {
                        snprintf(m->v[m->n].key, METRIC_KEY_LEN, "%s", root->keys[k]);
                        m->v[m->n++].value = root->items[k].number;
                    }
            }
            json_doc_free(doc);
        }
        p = nl + 1;
    }
    free(text);
}

Status external_scan(ExternalRun *x, size_t *n_steps, char *msg)
{
    DIR *d = opendir(x->dir);
    if (!d)
        return status_fail(msg, ST_EIO, "cannot read the folder %s", x->dir);
    x->n_steps = 0;
    struct dirent *e;
    Status st = ST_OK;
    while (!st && (e = readdir(d))) {
        size_t step;
        if (!step_name(e->d_name, &step))
            continue;
        if (x->n_steps == EXTERNAL_MAX_STEPS)
            break;
        if (x->n_steps == x->cap_steps) {
            size_t cap = x->cap_steps ? 2 * x->cap_steps : 64;
            size_t *g = realloc(x->steps, cap * sizeof *g);
            if (!g)
                st = status_fail(msg, ST_ENOMEM, "out of memory listing %s", x->dir);
            else {
                x->steps = g;
                x->cap_steps = cap;
            }
        }
        if (!st)
            x->steps[x->n_steps++] = step;
    }
    closedir(d);
    if (st)
        return st;
    if (x->n_steps > 1)
        qsort(x->steps, x->n_steps, sizeof *x->steps, cmp_size);
    read_metrics(x);
    *n_steps = x->n_steps;
    return ST_OK;
}

size_t external_step(const ExternalRun *x, size_t i)
{
    return x->steps[i];
}

/* A LeNet-shaped archive (W0 4-D): W0 (f1, 1, k, k) and W1 (f2, f1, k, k)
 * convolution kernels as PyTorch's Conv2d.weight, each followed by a 2 × 2
 * max-pool, then the dense W2 and W3 in the run's layout; the config of
 * neurotop's lenet kind with those sizes. */
static Status read_conv(const ExternalRun *x, const Npz *z, const char *path, ModelConfig *c, NpyArray *w,
                        size_t *n_w, char *msg)
{
    memset(c, 0, sizeof *c);
    snprintf(c->kind, sizeof c->kind, "lenet");
    for (size_t l = 0; l < 4; l++) {
        char name[32];
        snprintf(name, sizeof name, "W%zu", l);
        long i = npz_find(z, name);
        if (i < 0)
            return status_fail(msg, ST_EFORMAT, "%s: a convolutional run needs W0 to W3 (conv, conv, dense, "
                               "dense) and has no %s", path, name);
        Status st = npz_read(z, (size_t)i, &w[l], msg);
        if (st)
            return st;
        *n_w = l + 1;
        if (w[l].ndim != (l < 2 ? 4u : 2u) || !w[l].count)
            return status_fail(msg, ST_EFORMAT, "%s: %s must be %s", path, name,
                               l < 2 ? "4-D convolution kernels (families, channels, rows, columns)" : "a 2-D matrix");
        for (size_t k = 0; k < w[l].count; k++)
            if (!isfinite(w[l].data[k]))
                return status_fail(msg, ST_EFORMAT, "%s: %s holds NaN or infinite values", path, name);
    }
    if (npz_find(z, "W4") >= 0)
        return status_fail(msg, ST_EFORMAT, "%s: a convolutional run has exactly W0 to W3 (conv, conv, dense, dense)",
                           path);
    const size_t *a = w[0].shape, *b = w[1].shape, k = a[2];
    if (a[1] != 1 || a[3] != k || b[1] != a[0] || b[2] != k || b[3] != k)
        return status_fail(msg, ST_EFORMAT, "%s: W0 must be (families, 1, k, k) and W1 (families, W0's families, "
                           "k, k) with one square k", path);
    if (!x->in_rows || !x->in_cols)
        return status_fail(msg, ST_EFORMAT, "%s/run.json: a convolutional run needs \"input_shape\"", x->dir);
    size_t dense = x->out_by_in ? w[2].shape[0] : w[2].shape[1];
    size_t classes = x->out_by_in ? w[3].shape[0] : w[3].shape[1];
    c->n_kparams = 4;
    c->kparams[0] = (double)a[0];
    c->kparams[1] = (double)b[0];
    c->kparams[2] = (double)dense;
    c->kparams[3] = (double)k;
    c->in_rows = x->in_rows;
    c->in_cols = x->in_cols;
    c->sizes[0] = x->in_rows * x->in_cols;
    c->sizes[1] = classes;
    c->n_layers = 2;
    model_config_shape(c);
    Status st = model_config_validate(c, msg);
    if (st)
        return st;
    size_t in2 = x->out_by_in ? w[2].shape[1] : w[2].shape[0], in3 = x->out_by_in ? w[3].shape[1] : w[3].shape[0];
    if (in2 != c->sizes[4] || in3 != dense)
        return status_fail(msg, ST_EFORMAT, "%s: W2 must take the %zu pooled outputs of W1 and W3 the %zu units of W2 "
                           "(layout %s)", path, c->sizes[4], dense, x->out_by_in ? "out_by_in" : "in_by_out");
    return ST_OK;
}

/* The dense chain of W0, W1, ... of an archive: sizes and the weights in
 * neurotop's order (w[i·cols + j] from unit i to unit j). */
static Status read_chain(const ExternalRun *x, const Npz *z, const char *path, ModelConfig *c, NpyArray *w,
                         size_t *n_w, char *msg)
{
    *n_w = 0;
    long first = npz_find(z, "W0");
    if (first >= 0) {
        NpyArray probe;
        Status st = npz_read(z, (size_t)first, &probe, msg);
        if (st)
            return st;
        int conv = probe.ndim == 4;
        npy_array_done(&probe);
        if (conv)
            return read_conv(x, z, path, c, w, n_w, msg);
    }
    memset(c, 0, sizeof *c);
    snprintf(c->kind, sizeof c->kind, "mlp");
    for (size_t l = 0; l + 1 < MODEL_MAX_LAYERS; l++) {
        char name[32];
        snprintf(name, sizeof name, "W%zu", l);
        long i = npz_find(z, name);
        if (i < 0)
            break;
        Status st = npz_read(z, (size_t)i, &w[l], msg);
        if (st)
            return st;
        *n_w = l + 1;
        if (w[l].ndim != 2 || !w[l].count)
            return status_fail(msg, ST_EFORMAT, "%s: %s must be a 2-D matrix", path, name);
        size_t in = x->out_by_in ? w[l].shape[1] : w[l].shape[0], outn = x->out_by_in ? w[l].shape[0] : w[l].shape[1];
        if (l == 0)
            c->sizes[0] = in;
        else if (c->sizes[l] != in)
            return status_fail(msg, ST_EFORMAT, "%s: %s takes %zu inputs but W%zu gives %zu units (layout %s)", path,
                               name, in, l - 1, c->sizes[l], x->out_by_in ? "out_by_in" : "in_by_out");
        c->sizes[l + 1] = outn;
        c->n_layers = l + 2;
        for (size_t k = 0; k < w[l].count; k++)
            if (!isfinite(w[l].data[k]))
                return status_fail(msg, ST_EFORMAT, "%s: %s holds NaN or infinite values", path, name);
    }
    if (!*n_w)
        return status_fail(msg, ST_EFORMAT, "%s has no weight matrix W0", path);
    c->in_rows = x->in_rows;
    c->in_cols = x->in_cols;
    return model_config_validate(c, msg);
}

/* b<l>, when the archive has it, into the n biases at dst (else they stay 0). */
static Status read_bias(const Npz *z, const char *path, size_t l, float *dst, size_t n, char *msg)
{
    char name[32];
    snprintf(name, sizeof name, "b%zu", l);
    long i = npz_find(z, name);
    if (i < 0)
        return ST_OK;
    NpyArray a;
    Status st = npz_read(z, (size_t)i, &a, msg);
    if (st)
        return st;
    if (a.count != n)
        st = status_fail(msg, ST_EFORMAT, "%s: %s must hold %zu biases, not %zu", path, name, n, a.count);
    for (size_t k = 0; !st && k < n; k++) {
        if (!isfinite(a.data[k]))
            st = status_fail(msg, ST_EFORMAT, "%s: %s holds NaN or infinite values", path, name);
        else
            dst[k] = (float)a.data[k];
    }
    npy_array_done(&a);
    return st;
}

Status external_load(ExternalRun *x, size_t step, Snapshot **out, char *msg)
{
    *out = NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s/step-%06zu.npz", x->dir, step);
    Npz *z = NULL;
    Status st = npz_open(path, &z, msg);
    if (st)
        return st;
    NpyArray w[MODEL_MAX_LAYERS];
    memset(w, 0, sizeof w);
    size_t n_w = 0;
    ModelConfig c;
    st = read_chain(x, z, path, &c, w, &n_w, msg);
    float *params = NULL;
    size_t n_params = st ? 0 : model_param_count(&c);
    if (!st && !(params = calloc(n_params ? n_params : 1, sizeof *params)))
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
    if (!st) {
        /* W<l> fills the l-th convolution or dense block; b<l> (optional)
         * the bias block after it (LeNet's; a dense chain has none). */
        ParamBlock blocks[MODEL_MAX_BLOCKS];
        size_t nb = model_layout(&c, blocks, MODEL_MAX_BLOCKS), l = 0;
        for (size_t b = 0; b < nb && !st; b++) {
            float *dst = params + blocks[b].offset;
            if (blocks[b].type == BLOCK_BIAS && l > 0)
                st = read_bias(z, path, l - 1, dst, blocks[b].count, msg);
            if ((blocks[b].type != BLOCK_DENSE && blocks[b].type != BLOCK_CONV) || l >= n_w)
                continue;
            if (blocks[b].type == BLOCK_CONV) {
                for (size_t i = 0; i < blocks[b].count; i++)
                    dst[i] = (float)w[l].data[i];
            } else {
                size_t rows = blocks[b].dims[0], cols = blocks[b].dims[1];
                for (size_t i = 0; i < rows; i++)
                    for (size_t j = 0; j < cols; j++)
                        dst[i * cols + j] =
                            (float)(x->out_by_in ? w[l].data[j * rows + i] : w[l].data[i * cols + j]);
            }
            l++;
        }
    }
    /* Probe activations: act0 for layer 1 ... all of them or none. */
    size_t n_probe = 0;
    NpyArray acts[MODEL_MAX_LAYERS];
    memset(acts, 0, sizeof acts);
    int have_acts = !st && npz_find(z, "act0") >= 0;
    for (size_t l = 0; have_acts && !st && l + 1 < c.n_layers; l++) {
        char name[32];
        snprintf(name, sizeof name, "act%zu", l);
        long i = npz_find(z, name);
        if (i < 0) {
            st = status_fail(msg, ST_EFORMAT, "%s has act0 but no %s: give every layer's activations or none", path,
                             name);
            break;
        }
        if ((st = npz_read(z, (size_t)i, &acts[l], msg)))
            break;
        if (l == 0)
            n_probe = acts[0].ndim == 2 ? acts[0].shape[0] : 0;
        if (acts[l].ndim != 2 || acts[l].shape[0] != n_probe || acts[l].shape[1] != c.sizes[l + 1] || !n_probe)
            st = status_fail(msg, ST_EFORMAT, "%s: %s must be %zu probe items x %zu units", path, name,
                             n_probe ? n_probe : (size_t)1, c.sizes[l + 1]);
    }
    Snapshot *s = st ? NULL : snapshot_new(&c, params, n_params, n_probe);
    if (!st && !s)
        st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
    if (!st) {
        s->epoch = step;
        s->lr = NAN;
        s->train_loss = NAN;
        s->seconds = NAN;
        s->eval.accuracy = NAN;
        s->eval.loss = NAN;
        for (size_t l = 0; l + 1 < c.n_layers && n_probe; l++)
            for (size_t k = 0; k < acts[l].count; k++)
                s->acts[l][k] = (float)acts[l].data[k];
        long li = npz_find(z, "labels");
        NpyArray lab;
        if (li >= 0 && n_probe && s->probe_labels && npz_read(z, (size_t)li, &lab, msg) == ST_OK) {
            if (lab.count == n_probe)
                for (size_t k = 0; k < n_probe; k++)
                    s->probe_labels[k] = lab.data[k] >= 0 && lab.data[k] < 256 ? (uint8_t)lab.data[k] : 0;
            npy_array_done(&lab);
        }
        for (size_t m = 0; m < x->n_metrics; m++) {
            if (x->metrics[m].step != step)
                continue;
            for (size_t k = 0; k < x->metrics[m].n; k++) {
                const MetricValue *v = &x->metrics[m].v[k];
                if (strcmp(v->key, "accuracy") == 0 || strcmp(v->key, "test_acc") == 0) {
                    s->eval.accuracy = v->value;
                    metric_put(s, METRIC_TEST_ACC, NULL, v->value);
                } else if (strcmp(v->key, "loss") == 0 || strcmp(v->key, "test_loss") == 0) {
                    s->eval.loss = v->value;
                    metric_put(s, METRIC_TEST_LOSS, NULL, v->value);
                } else if (strcmp(v->key, "train_loss") == 0) {
                    s->train_loss = v->value;
                    metric_put(s, METRIC_TRAIN_LOSS, NULL, v->value);
                } else {
                    snapshot_set_metric(s, v->key, v->value);
                }
            }
        }
    }
    for (size_t l = 0; l < MODEL_MAX_LAYERS; l++) {
        npy_array_done(&w[l]);
        npy_array_done(&acts[l]);
    }
    free(params);
    npz_free(z);
    if (st) {
        snapshot_release(s);
        return st;
    }
    *out = s;
    return ST_OK;
}

void external_run_json(const ExternalRun *x, const Snapshot *s, char *buf, size_t cap)
{
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    json_object_begin(&w);
    json_kv_string(&w, "model", s->config.kind);
    /* Not a data set neurotop can load: the status line says where the run
     * came from, and the analyses that need images say they have none. */
    json_kv_string(&w, "data", "external");
    json_key(&w, "sizes");
    json_array_begin(&w);
    for (size_t i = 0; i < s->config.n_layers; i++)
        json_int(&w, (long long)s->config.sizes[i]);
    json_array_end(&w);
    if (s->config.in_rows) {
        json_key(&w, "input_shape");
        json_array_begin(&w);
        json_int(&w, (long long)s->config.in_rows);
        json_int(&w, (long long)s->config.in_cols);
        json_array_end(&w);
    }
    /* The kind's own parameters (a convolutional run's conv1, conv2, dense,
     * kernel), under the keys a native run uses. */
    const ModelKind *k = model_kind_of(&s->config);
    for (size_t i = 0; k && i < k->n_kparams; i++) {
        char key[64];
        model_kparam_key(&k->kparams[i], key, sizeof key);
        double v = model_kparam(&s->config, i);
        if (k->kparams[i].type == KPARAM_REAL)
            json_kv_real(&w, key, v);
        else
            json_kv_int(&w, key, (long long)v);
    }
    json_kv_string(&w, "external", x->dir);
    json_kv_string(&w, "layout", x->out_by_in ? "out_by_in" : "in_by_out");
    json_kv_int(&w, "probe", (long long)s->n_probe);
    json_kv_int(&w, "save_every", 1);
    json_object_end(&w);
    snprintf(buf, cap, "%s", b.data ? b.data : "{}");
    strbuf_done(&b);
}
