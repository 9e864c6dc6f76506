#include "neurotop/measure/jobs_localize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/netdist.h"
#include "neurotop/data/stimuli.h"
#include "neurotop/measure/locset.h"

/* The block that computes layer l: a convolution, a pooling or a dense
 * block with to == l (NULL when none). */
static const ParamBlock *block_into(const ParamBlock *b, size_t nb, size_t l)
{
    for (size_t i = 0; i < nb; i++)
        if (b[i].to == l && b[i].from + 1 == l &&
            (b[i].type == BLOCK_CONV || b[i].type == BLOCK_POOL || b[i].type == BLOCK_DENSE))
            return &b[i];
    return NULL;
}

Status localize_layout_of(const ModelConfig *config, NetLayout *out, char *msg)
{
    memset(out, 0, sizeof *out);
    if (config->n_layers < 2 || config->n_layers > NETLAYOUT_MAX_LAYERS)
        return status_fail(msg, ST_EINVAL, "localisation takes networks of 2 to %d layers, not %zu",
                           NETLAYOUT_MAX_LAYERS, config->n_layers);
    ParamBlock blocks[64];
    size_t nb = model_layout(config, blocks, sizeof blocks / sizeof blocks[0]);
    if (nb > sizeof blocks / sizeof blocks[0])
        nb = sizeof blocks / sizeof blocks[0];
    size_t rows, cols;
    model_input_shape(config, &rows, &cols);
    out->n_layers = config->n_layers;
    for (size_t l = 0; l < config->n_layers; l++) {
        NetLayer *c = &out->layers[l];
        const NetLayer *p = l ? &out->layers[l - 1] : NULL;
        const ParamBlock *b = l ? block_into(blocks, nb, l) : NULL;
        if (l == 0) {
            *c = (NetLayer){.kind = LAYER_INPUT, .families = 1, .height = rows, .width = cols};
        } else if (b && b->type == BLOCK_CONV) {
            /* {families, channels, kh, kw}: a square kernel over every map below */
            size_t k = b->dims[2];
            if (b->n_dims < 4 || b->dims[3] != k || k == 0 || k > p->height || k > p->width)
                return status_fail(msg, ST_EINVAL, "layer %zu: only square convolutions that fit "
                                   "the maps below are localised", l);
            *c = (NetLayer){.kind = LAYER_CONV, .families = b->dims[0], .height = p->height - k + 1,
                            .width = p->width - k + 1, .kernel = k};
        } else if (b && b->type == BLOCK_POOL) {
            size_t k = b->dims[0];
            if (b->n_dims < 2 || b->dims[1] != k || k == 0)
                return status_fail(msg, ST_EINVAL, "layer %zu: only square pooling is localised", l);
            *c = (NetLayer){.kind = LAYER_POOL, .families = p->families, .height = p->height / k,
                            .width = p->width / k, .kernel = k};
        } else {
            *c = (NetLayer){.kind = LAYER_DENSE, .families = config->sizes[l], .height = 1, .width = 1};
        }
        model_layer_name(config, l, 0, c->name, sizeof c->name);
        if (c->families * c->height * c->width != config->sizes[l])
            return status_fail(msg, ST_EINVAL, "layer %zu: %zu@%zux%zu maps are not its %zu units", l,
                               c->families, c->height, c->width, config->sizes[l]);
    }
    return netlayout_check(out, msg);
}

struct LocModel {
    Model *model;
    const ModelConfig *config;
    float *acts[MODEL_MAX_LAYERS];
    size_t cap;
};

Status locmodel_open(const ModelConfig *config, const float *params, size_t n_params,
                     LocModel **out, char *msg)
{
    *out = NULL;
    LocModel *lm = calloc(1, sizeof *lm);
    if (!lm)
        return status_fail(msg, ST_ENOMEM, "out of memory for the model");
    Status st = model_new(config, &lm->model, msg);
    if (st == ST_OK)
        st = model_set_params(lm->model, params, n_params, msg);
    if (st != ST_OK) {
        locmodel_free(lm);
        return st;
    }
    lm->config = &lm->model->config;
    *out = lm;
    return ST_OK;
}

void locmodel_free(LocModel *lm)
{
    if (!lm)
        return;
    for (size_t l = 0; l < MODEL_MAX_LAYERS; l++)
        free(lm->acts[l]);
    model_free(lm->model);
    free(lm);
}

/* One row per image: its pixels, then every further layer's activations. */
Status locmodel_responses(void *vctx, const float *images, size_t count, float *out, char *msg)
{
    LocModel *c = vctx;
    const ModelConfig *cf = c->config;
    if (count > c->cap) {
        for (size_t l = 1; l < cf->n_layers; l++) {
            free(c->acts[l - 1]);
            c->acts[l - 1] = malloc(count * cf->sizes[l] * sizeof(float));
            if (!c->acts[l - 1])
                return status_fail(msg, ST_ENOMEM, "out of memory for activations");
        }
        c->cap = count;
    }
    Status st = model_activations(c->model, images, count, MODEL_ACTIVITY_POST, c->acts, msg);
    if (st != ST_OK)
        return st;
    size_t n = 0;
    for (size_t l = 0; l < cf->n_layers; l++)
        n += cf->sizes[l];
    for (size_t i = 0; i < count; i++) {
        float *row = out + i * n;
        memcpy(row, images + i * cf->sizes[0], cf->sizes[0] * sizeof *row);
        row += cf->sizes[0];
        for (size_t l = 1; l < cf->n_layers; l++) {
            memcpy(row, c->acts[l - 1] + i * cf->sizes[l], cf->sizes[l] * sizeof *row);
            row += cf->sizes[l];
        }
    }
    return ST_OK;
}

/* Share of the whole job each step takes (measured on LeNet, 10,000
 * images: the correlation product dominates). */
static int progress(void *vctx, const char *stage, double frac)
{
    static const struct {
        const char *stage;
        double start, width;
    } steps[] = {{"responses", 0.00, 0.15},    {"correlation", 0.15, 0.45},
                 {"eigenvectors", 0.60, 0.10}, {"forests", 0.70, 0.15},
                 {"assignment", 0.85, 0.10},   {"distances", 0.95, 0.05}};
    Job *job = vctx;
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
        if (strcmp(stage, steps[k].stage) == 0)
            job_set_progress(job, steps[k].start + steps[k].width * frac);
    const volatile int *cancel = job_cancel_flag(job);
    return cancel && *cancel;
}

/* The run's digits, held-out first, as one set. */
Status localize_digits(const Dataset *d, ImageSet *out, char *msg)
{
    memset(out, 0, sizeof *out);
    if (!d || d->test.n + d->train.n == 0)
        return status_fail(msg, ST_EINVAL, "this stimulus set needs the run's digits, which are not loaded");
    const ImageSet *a = &d->test, *b = &d->train;
    size_t px = a->rows * a->cols;
    if (b->n && (b->rows != a->rows || b->cols != a->cols))
        b = NULL;
    Status st = imageset_alloc(out, a->n + (b ? b->n : 0), a->rows, a->cols, msg);
    if (st != ST_OK)
        return st;
    memcpy(out->pixels, a->pixels, a->n * px);
    if (b && b->n)
        memcpy(out->pixels + a->n * px, b->pixels, b->n * px);
    return ST_OK;
}

Status job_localize(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    if (!s)
        return status_fail(msg, ST_EINVAL, "localize runs on an epoch of a run");
    NetLayout lay;
    StimulusKind kind;
    Status st = localize_layout_of(&s->config, &lay, msg);
    if (st == ST_OK)
        st = stimulus_parse(a->stimulus, &kind, msg);
    if (st != ST_OK)
        return st;
    LocModel *lm = NULL;
    ImageSet digits = {0};
    LocSetResult r = {0};
    if (stimulus_needs_digits(kind) && (st = localize_digits(a->data, &digits, msg)) != ST_OK)
        return st;
    if ((st = locmodel_open(&s->config, s->params, s->n_params, &lm, msg)) != ST_OK)
        goto done;
    LocSetSpec e = locset_defaults();
    e.layout = &lay;
    e.responses = locmodel_responses;
    e.responses_ctx = lm;
    e.digits = digits.n ? &digits : NULL;
    e.images = (size_t)a->n_images;
    e.seed = a->seed;
    e.localize.progress = progress;
    e.localize.progress_ctx = job;
    st = locset_run_set(&e, kind, &r, NULL, msg);
    if (st != ST_OK)
        goto done;
    JsonWriter w;
    json_init(&w, &out->json);
    json_object_begin(&w);
    job_json_context(&w, s, JOB_NO_PART, NULL);
    locset_json_fields(&lay, &r, &w);
    json_object_end(&w);
    strbuf_printf(&out->text, "epoch %zu · ", s->epoch);
    locset_picture(&lay, &r, &out->text);
    if (strbuf_failed(&out->text) || strbuf_failed(&out->json))
        st = status_fail(msg, ST_ENOMEM, "out of memory formatting the localisation");
done:
    locset_set_done(&r);
    imageset_done(&digits);
    locmodel_free(lm);
    return st;
}
