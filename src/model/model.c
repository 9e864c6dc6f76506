#include "neurotop/model/model.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"
#include "neurotop/model/dbn.h"
#include "neurotop/model/hebbff.h"
#include "neurotop/model/lenet.h"
#include "neurotop/model/mlp.h"
#include "model_internal.h"

/* Examples per predict call in model_evaluate. */
#define EVAL_CHUNK 256

/* The registry: the only list of model kinds. The first is the default. */
static const ModelKind *const KINDS[] = {&mlp_kind, &hebbff_kind, &dbn_kind, &lenet_kind};
#define N_KINDS (sizeof KINDS / sizeof KINDS[0])

size_t model_kind_count(void)
{
    return N_KINDS;
}

const ModelKind *model_kind_at(size_t i)
{
    return i < N_KINDS ? KINDS[i] : NULL;
}

const ModelKind *model_kind_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N_KINDS; i++)
        if (strcmp(KINDS[i]->name, name) == 0)
            return KINDS[i];
    return NULL;
}

const ModelKind *model_kind_of(const ModelConfig *c)
{
    if (!c || !memchr(c->kind, '\0', sizeof c->kind))
        return NULL;
    if (c->table)
        return strcmp(c->table->name, c->kind) == 0 ? c->table : NULL;
    return model_kind_find(c->kind);
}

void model_kind_names(char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_KINDS && used < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", KINDS[i]->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* ---- kind parameters ------------------------------------------------------ */

int model_kparam_index(const ModelKind *kind, const char *option)
{
    for (size_t i = 0; kind && option && i < kind->n_kparams; i++)
        if (strcmp(kind->kparams[i].option, option) == 0)
            return (int)i;
    return -1;
}

void model_kparam_key(const KindParam *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", p->option);
    for (char *q = buf; *q; q++)
        if (*q == '-')
            *q = '_';
}

double model_kparam(const ModelConfig *c, size_t i)
{
    const ModelKind *k = model_kind_of(c);
    if (!k || i >= k->n_kparams)
        return NAN;
    return i < c->n_kparams ? c->kparams[i] : k->kparams[i].def;
}

Status model_kparams_check(const ModelKind *kind, const double *values, size_t n, char *msg)
{
    if (n > kind->n_kparams)
        return status_fail(msg, ST_EINVAL, "%zu kind parameters given; the %s model has %zu", n,
                           kind->name, kind->n_kparams);
    for (size_t i = 0; i < n; i++) {
        const KindParam *p = &kind->kparams[i];
        double v = values[i];
        if (p->type == KPARAM_FLAG && v != 0.0 && v != 1.0)
            return status_fail(msg, ST_EINVAL, "--%s is a flag: 0 or 1, not %g", p->option, v);
        if (!isfinite(v) || v < p->min || v > p->max)
            return status_fail(msg, ST_EINVAL, "--%s must be from %g to %g, not %g", p->option,
                               p->min, p->max, v);
        if (p->type == KPARAM_WHOLE && v != floor(v))
            return status_fail(msg, ST_EINVAL, "--%s must be a whole number, not %g", p->option,
                               v);
    }
    if (!kind->kparams_check)
        return ST_OK;
    double all[MODEL_MAX_KPARAMS];
    for (size_t i = 0; i < kind->n_kparams && i < MODEL_MAX_KPARAMS; i++)
        all[i] = i < n ? values[i] : kind->kparams[i].def;
    return kind->kparams_check(all, msg);
}

/* ---- configs ---------------------------------------------------------------- */

/* Layers, units and init: the structure every layout relies on. */
static Status check_shape(const ModelKind *k, const ModelConfig *c, char *msg)
{
    if (c->n_layers < 2 || c->n_layers > MODEL_MAX_LAYERS)
        return status_fail(msg, ST_EINVAL,
                           "a model needs 2 to %d layers counting input and output, not %zu",
                           MODEL_MAX_LAYERS, c->n_layers);
    size_t units = 0;
    for (size_t l = 0; l < c->n_layers; l++) {
        if (c->sizes[l] == 0)
            return status_fail(msg, ST_EINVAL, "layer %zu of the model has no units", l);
        if (c->sizes[l] > MODEL_MAX_UNITS || (units += c->sizes[l]) > MODEL_MAX_UNITS)
            return status_fail(msg, ST_EINVAL, "the model has more than %zu units",
                               MODEL_MAX_UNITS);
    }
    if (c->init != MODEL_INIT_UNIFORM && c->init != MODEL_INIT_ZERO && c->init != MODEL_INIT_TINY)
        return status_fail(msg, ST_EINVAL, "unknown weight initialisation %d", (int)c->init);
    if (!(k->inits & MODEL_INIT_BIT(c->init))) {
        char allowed[64] = "";
        for (int i = MODEL_INIT_UNIFORM; i <= MODEL_INIT_TINY; i++)
            if (k->inits & MODEL_INIT_BIT(i))
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s\"%s\"",
                         allowed[0] ? " or " : "", model_init_name((ModelInit)i));
        return status_fail(msg, ST_EINVAL,
                           "the %s model has its own initialisation; the init must be %s, not "
                           "\"%s\"",
                           k->name, allowed, model_init_name(c->init));
    }
    if ((c->in_rows || c->in_cols) && c->in_rows * c->in_cols != c->sizes[0])
        return status_fail(msg, ST_EINVAL,
                           "an input image of %zu x %zu pixels does not fit %zu inputs", c->in_rows,
                           c->in_cols, c->sizes[0]);
    return ST_OK;
}

Status model_config_validate(const ModelConfig *c, char *msg)
{
    if (!c)
        return status_fail(msg, ST_EINVAL, "no model configuration was given");
    const ModelKind *k = model_kind_of(c);
    if (!k) {
        char names[128];
        model_kind_names(names, sizeof names);
        size_t n = strnlen(c->kind, sizeof c->kind);
        return status_fail(msg, ST_EINVAL, "unknown model kind \"%.*s\" (known: %s)", (int)n,
                           c->kind, names);
    }
    Status st = check_shape(k, c, msg);
    if (st)
        return st;
    if ((st = model_kparams_check(k, c->kparams, c->n_kparams, msg)))
        return st;
    if (k->check && (st = k->check(c, msg)))
        return st;
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t total = 0;
    size_t nb = model_layout_checked(k, c, b, &total);
    if (nb == 0)
        return status_fail(msg, ST_EINTERNAL, "the layout of the %s model is inconsistent", k->name);
    if (total == 0)
        return status_fail(msg, ST_EINVAL, "the model would have more than %zu parameters",
                           MODEL_MAX_PARAMS);
    return ST_OK;
}

void model_config_shape(ModelConfig *config)
{
    const ModelKind *k = model_kind_of(config);
    if (k && k->shape)
        k->shape(config);
}

/* ---- models --------------------------------------------------------------- */

Status model_new_kind(const ModelKind *kind, const ModelConfig *config, Model **out, char *msg)
{
    *out = NULL;
    if (!kind || !config || strcmp(kind->name, config->kind) != 0)
        return status_fail(msg, ST_EINVAL, "the configuration is not of the %s kind",
                           kind ? kind->name : "given");
    if (!kind->ops.create || !kind->ops.train || !kind->ops.activations ||
        (kind->supervised && !kind->ops.predict && !kind->ops.evaluate) ||
        (!kind->supervised && !kind->ops.evaluate))
        return status_fail(msg, ST_EINVAL, "the table of the %s kind lacks a required operation",
                           kind->name);
    ModelConfig c = *config;
    c.table = kind;
    Status st = model_config_validate(&c, msg);
    if (st != ST_OK)
        return st;
    Model *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory creating the model");
    m->config = c;
    m->kind = kind;
    m->ops = &kind->ops;
    m->n_params = model_param_count(&c);
    m->params = calloc(m->n_params, sizeof(float));
    if (!m->params) {
        size_t n = m->n_params;
        free(m);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu model parameters", n);
    }
    st = kind->ops.create(m, msg);
    if (st != ST_OK) {
        model_free(m);
        return st;
    }
    *out = m;
    return ST_OK;
}

Status model_new(const ModelConfig *config, Model **out, char *msg)
{
    *out = NULL;
    Status st = model_config_validate(config, msg);
    if (st != ST_OK)
        return st;
    return model_new_kind(model_kind_of(config), config, out, msg);
}

void model_free(Model *m)
{
    if (!m)
        return;
    if (m->impl && m->ops && m->ops->free)
        m->ops->free(m);
    free(m->params);
    free(m);
}

/* Classification through predict: accuracy, cross-entropy, confusion. */
static Status evaluate_classes(const Model *m, const float *x, const int *y, size_t n,
                               Evaluation *ev)
{
    const ModelConfig *c = &m->config;
    const size_t n_in = c->sizes[0], n_out = c->sizes[c->n_layers - 1];
    if (!y || !m->ops->predict)
        return ST_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0 || (size_t)y[i] >= n_out)
            return ST_EINVAL;
    /* A sequential model must see the whole stream in one call, or its
     * state would restart at every chunk. */
    size_t chunk = m->ops->sequential ? n : n < EVAL_CHUNK ? n : EVAL_CHUNK;
    size_t bytes;
    if (size_mul(chunk, n_out * sizeof(float), &bytes) != 0)
        return ST_ENOMEM;
    float *probs = malloc(bytes);
    if (!probs)
        return ST_ENOMEM;
    size_t correct = 0;
    double loss = 0.0;
    for (size_t i = 0; i < n; i += chunk) {
        size_t rows = n - i < chunk ? n - i : chunk;
        m->ops->predict(m, x + i * n_in, rows, probs);
        for (size_t r = 0; r < rows; r++) {
            const float *p = probs + r * n_out;
            size_t best = 0;
            for (size_t k = 1; k < n_out; k++)
                if (p[k] > p[best])
                    best = k;
            size_t truth = (size_t)y[i + r];
            correct += best == truth;
            float py = p[truth] > FLT_MIN ? p[truth] : FLT_MIN;
            loss -= log((double)py);
            if (ev->confusion)
                ev->confusion[truth * n_out + best]++;
        }
    }
    free(probs);
    ev->accuracy = (double)correct / (double)n;
    ev->loss = loss / (double)n;
    return ST_OK;
}

size_t model_label_classes(const ModelConfig *c)
{
    const ModelKind *k = model_kind_of(c);
    if (!k)
        return 0;
    if (k->supervised)
        return c->sizes[c->n_layers - 1];
    return k->label_classes ? k->label_classes(c) : 0;
}

int model_kind_shows_pane(const char *kind, const char *pane)
{
    const ModelKind *k = kind ? model_kind_find(kind) : NULL;
    for (size_t i = 0; k && k->panes && k->panes[i]; i++)
        if (strcmp(k->panes[i], pane) == 0)
            return 1;
    return 0;
}

Status model_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev)
{
    const ModelConfig *c = &m->config;
    const size_t n_out = c->sizes[c->n_layers - 1];
    ev->n = n;
    ev->n_classes = n_out;
    ev->accuracy = NAN;
    ev->loss = NAN;
    ev->recon = NAN;
    if (ev->confusion)
        memset(ev->confusion, 0, n_out * n_out * sizeof *ev->confusion);
    if (n == 0)
        return ST_EINVAL;
    if (m->ops->evaluate)
        return m->ops->evaluate(m, x, y, n, ev);
    return evaluate_classes(m, x, y, n, ev);
}

Status model_state(const Model *m, const float *x, size_t n, float *out, char *msg)
{
    if (!m->ops->state || !model_state_block(&m->config, NULL))
        return status_fail(msg, ST_EINVAL, "the %s model has no state to show", m->config.kind);
    return m->ops->state(m, x, n, out, msg);
}

Status model_activity_check(const ModelKind *kind, ModelActivity activity, char *msg)
{
    if (activity == MODEL_ACTIVITY_PRE && !kind->ops.pre_activations)
        return status_fail(msg, ST_EINVAL,
                           "the %s model records its hidden activity after the nonlinearity only "
                           "(--activity post)",
                           kind->name);
    return ST_OK;
}

Status model_activations(const Model *m, const float *x, size_t n, ModelActivity activity,
                         float *const *acts, char *msg)
{
    Status st = model_activity_check(m->kind, activity, msg);
    if (st)
        return st;
    if (activity == MODEL_ACTIVITY_PRE)
        m->ops->pre_activations(m, x, n, acts);
    else
        m->ops->activations(m, x, n, acts);
    return ST_OK;
}

const char *model_activity_name(ModelActivity activity)
{
    switch (activity) {
    case MODEL_ACTIVITY_POST:
        return "post";
    case MODEL_ACTIVITY_PRE:
        return "pre";
    }
    return "?";
}

int model_activity_parse(const char *name, ModelActivity *out)
{
    for (int i = MODEL_ACTIVITY_POST; i <= MODEL_ACTIVITY_PRE; i++)
        if (name && strcmp(name, model_activity_name((ModelActivity)i)) == 0) {
            *out = (ModelActivity)i;
            return 0;
        }
    return -1;
}

Status model_set_params(Model *m, const float *params, size_t n, char *msg)
{
    if (n != m->n_params)
        return status_fail(msg, ST_EINVAL, "%zu parameters given, the model has %zu", n,
                           m->n_params);
    memcpy(m->params, params, n * sizeof(float));
    return ST_OK;
}

Status model_clone_params(const Model *m, float **out, char *msg)
{
    *out = malloc((m->n_params ? m->n_params : 1) * sizeof(float));
    if (!*out)
        return status_fail(msg, ST_ENOMEM, "out of memory copying %zu parameters", m->n_params);
    memcpy(*out, m->params, m->n_params * sizeof(float));
    return ST_OK;
}

const char *model_init_name(ModelInit init)
{
    switch (init) {
    case MODEL_INIT_UNIFORM:
        return "uniform";
    case MODEL_INIT_ZERO:
        return "zero";
    case MODEL_INIT_TINY:
        return "tiny";
    }
    return "?";
}

int model_init_parse(const char *name, ModelInit *out)
{
    for (int i = MODEL_INIT_UNIFORM; i <= MODEL_INIT_TINY; i++)
        if (name && strcmp(name, model_init_name((ModelInit)i)) == 0) {
            *out = (ModelInit)i;
            return 0;
        }
    return -1;
}

void model_layer_name(const ModelConfig *config, size_t l, int short_form, char *buf, size_t cap)
{
    if (!config || l >= config->n_layers)
        snprintf(buf, cap, "?");
    else if (l == 0)
        snprintf(buf, cap, "%s", short_form ? "in" : "input");
    else if (l + 1 == config->n_layers && !(model_kind_of(config) && !model_kind_of(config)->supervised))
        snprintf(buf, cap, "%s", short_form ? "out" : "output"); /* a kind without labels has none */
    else
        snprintf(buf, cap, "HL%zu", l);
}

size_t model_opt_size(const Model *m)
{
    return m->ops->opt_size ? m->ops->opt_size(m) : 0;
}

void model_opt_get(const Model *m, double *out)
{
    if (m->ops->opt_get && model_opt_size(m))
        m->ops->opt_get(m, out);
}

Status model_opt_set(Model *m, const double *in, size_t n, char *msg)
{
    if (!m->ops->opt_set)
        return n == 0 ? ST_OK
                      : status_fail(msg, ST_EINVAL, "the %s model keeps no optimiser state, but %zu values were given",
                                    m->kind->name, n);
    return m->ops->opt_set(m, in, n, msg);
}

int model_phase(const ModelConfig *config, size_t epoch, char *buf, size_t cap)
{
    const ModelKind *k = model_kind_of(config);
    if (cap)
        buf[0] = '\0';
    if (!k || !k->phase || !cap || model_config_validate(config, NULL))
        return 0;
    k->phase(config, epoch, buf, cap);
    return buf[0] != '\0';
}

Status model_dream(const ModelConfig *config, const float *params, size_t n, size_t steps, Rng *rng,
                   float *out, char *msg)
{
    const ModelKind *k = model_kind_of(config);
    if (!k)
        return status_fail(msg, ST_EINVAL, "no model to dream with");
    if (!k->dream)
        return status_fail(msg, ST_EINVAL, "the %s model is not generative: only a dbn can dream", k->name);
    Status st = model_config_validate(config, msg);
    return st ? st : k->dream(config, params, n, steps, rng, out, msg);
}
