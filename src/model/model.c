#include "neurotop/model/model.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/matrix.h"
#include "neurotop/model/hebbff.h"
#include "neurotop/model/mlp.h"

/* Examples per predict call in model_evaluate. */
#define EVAL_CHUNK 256

/* The registry: one line per model kind. Every kind stores a chain of
 * dense weight blocks (model_blocks); `extra` counts the parameters stored
 * after them and `check` adds the kind's own shape rules (both optional). */
typedef struct {
    const char *kind;
    Status (*create)(Model *m, char *msg);
    size_t (*extra)(const ModelConfig *c);
    Status (*check)(const ModelConfig *c, char *msg);
} ModelKind;

static const ModelKind KINDS[] = {
    {"mlp", mlp_create, NULL, NULL},
    {"hebbff", hebbff_create, hebbff_extra_count, hebbff_check_config},
};

static const char *BLOCK_NAMES[MODEL_MAX_LAYERS - 1] = {"alpha",   "beta", "gamma", "delta",
                                                        "epsilon", "zeta", "eta"};

static const ModelKind *find_kind(const ModelConfig *c)
{
    if (!memchr(c->kind, '\0', sizeof c->kind))
        return NULL;
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(KINDS[i].kind, c->kind) == 0)
            return &KINDS[i];
    return NULL;
}

/* Parameters of a dense chain, or 0 when the shape is invalid or too big. */
static size_t chain_param_count(const ModelConfig *c)
{
    if (c->n_layers < 2 || c->n_layers > MODEL_MAX_LAYERS)
        return 0;
    size_t total = 0, units = 0;
    for (size_t l = 0; l < c->n_layers; l++) {
        if (c->sizes[l] == 0 || c->sizes[l] > MODEL_MAX_UNITS)
            return 0;
        units += c->sizes[l];
        if (l == 0)
            continue;
        /* Both factors are at most 2^20, so the product cannot overflow. */
        total += c->sizes[l - 1] * c->sizes[l];
        if (total > MODEL_MAX_PARAMS)
            return 0;
    }
    return units > MODEL_MAX_UNITS ? 0 : total;
}

Status model_config_validate(const ModelConfig *c, char *msg)
{
    if (!c)
        return status_fail(msg, ST_EINVAL, "no model configuration was given");
    if (!find_kind(c)) {
        size_t n = strnlen(c->kind, sizeof c->kind);
        return status_fail(msg, ST_EINVAL, "unknown model kind \"%.*s\" (known: mlp, hebbff)",
                           (int)n, c->kind);
    }
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
    if (chain_param_count(c) == 0 || model_param_count(c) == 0)
        return status_fail(msg, ST_EINVAL, "the model would have more than %zu parameters",
                           MODEL_MAX_PARAMS);
    if (c->init != MODEL_INIT_UNIFORM && c->init != MODEL_INIT_ZERO && c->init != MODEL_INIT_TINY)
        return status_fail(msg, ST_EINVAL, "unknown weight initialisation %d", (int)c->init);
    const ModelKind *k = find_kind(c);
    if (k->check)
        return k->check(c, msg);
    return ST_OK;
}

size_t model_extra_count(const ModelConfig *config)
{
    if (!config)
        return 0;
    const ModelKind *k = find_kind(config);
    if (!k || chain_param_count(config) == 0)
        return 0;
    return k->extra ? k->extra(config) : 0;
}

size_t model_param_count(const ModelConfig *config)
{
    if (!config || !find_kind(config))
        return 0;
    size_t chain = chain_param_count(config);
    if (chain == 0)
        return 0;
    /* Extras are O(units) <= 2^20 + small, so the sum cannot overflow. */
    size_t total = chain + model_extra_count(config);
    return total > MODEL_MAX_PARAMS ? 0 : total;
}

size_t model_blocks(const ModelConfig *config, const float *params, WeightBlock *out, size_t max)
{
    if (model_param_count(config) == 0)
        return 0;
    size_t n = 0, off = 0;
    for (size_t l = 1; l < config->n_layers && n < max; l++, n++) {
        WeightBlock *b = &out[n];
        memset(b, 0, sizeof *b);
        b->from = l - 1;
        b->to = l;
        b->rows = config->sizes[l - 1];
        b->cols = config->sizes[l];
        b->offset = off;
        b->w = params ? params + off : NULL;
        strcpy(b->name, BLOCK_NAMES[l - 1]);
        off += b->rows * b->cols;
    }
    return n;
}

Status model_new(const ModelConfig *config, Model **out, char *msg)
{
    *out = NULL;
    Status st = model_config_validate(config, msg);
    if (st != ST_OK)
        return st;
    Model *m = calloc(1, sizeof *m);
    if (!m)
        return status_fail(msg, ST_ENOMEM, "out of memory creating the model");
    m->config = *config;
    m->n_params = model_param_count(config);
    m->params = calloc(m->n_params, sizeof(float));
    if (!m->params) {
        size_t n = m->n_params;
        free(m);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu model parameters", n);
    }
    st = find_kind(config)->create(m, msg);
    if (st != ST_OK) {
        model_free(m);
        return st;
    }
    *out = m;
    return ST_OK;
}

void model_free(Model *m)
{
    if (!m)
        return;
    if (m->ops && m->ops->free)
        m->ops->free(m);
    free(m->params);
    free(m);
}

Status model_evaluate(const Model *m, const float *x, const int *y, size_t n, Evaluation *ev)
{
    const ModelConfig *c = &m->config;
    const size_t n_in = c->sizes[0], n_out = c->sizes[c->n_layers - 1];
    ev->n = n;
    ev->n_classes = n_out;
    ev->accuracy = NAN;
    ev->loss = NAN;
    if (ev->confusion)
        memset(ev->confusion, 0, n_out * n_out * sizeof *ev->confusion);
    if (n == 0)
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

void model_layer_name(const ModelConfig *config, size_t l, int short_form, char *buf, size_t cap)
{
    if (!config || l >= config->n_layers)
        snprintf(buf, cap, "?");
    else if (l == 0)
        snprintf(buf, cap, "%s", short_form ? "in" : "input");
    else if (l + 1 == config->n_layers)
        snprintf(buf, cap, "%s", short_form ? "out" : "output");
    else
        snprintf(buf, cap, "HL%zu", l);
}
