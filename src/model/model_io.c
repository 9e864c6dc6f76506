#include "neurotop/model/model_io.h"

#include <stdlib.h>
#include <string.h>

#define CONFIG_LAYOUT 1
#define CONFIG_FIXED 5 /* layout, init, seed low, seed high, n_layers */

Status model_io_add_sections(NtsWriter *w, const ModelConfig *config, const float *params,
                             char *msg)
{
    Status st = model_config_validate(config, msg);
    if (st != ST_OK)
        return st;
    uint32_t cfg[CONFIG_FIXED + MODEL_MAX_LAYERS];
    cfg[0] = CONFIG_LAYOUT;
    cfg[1] = (uint32_t)config->init;
    cfg[2] = (uint32_t)(config->seed & 0xFFFFFFFFu);
    cfg[3] = (uint32_t)(config->seed >> 32);
    cfg[4] = (uint32_t)config->n_layers;
    /* Validated sizes are at most MODEL_MAX_UNITS, so they fit 32 bits. */
    for (size_t l = 0; l < config->n_layers; l++)
        cfg[CONFIG_FIXED + l] = (uint32_t)config->sizes[l];
    const size_t dims[1] = {CONFIG_FIXED + config->n_layers};
    if ((st = nts_add_text(w, "model.kind", config->kind, msg)) != ST_OK ||
        (st = nts_add_u32(w, "model.config", cfg, 1, dims, msg)) != ST_OK)
        return st;
    WeightBlock b[MODEL_MAX_LAYERS];
    size_t n = model_blocks(config, params, b, MODEL_MAX_LAYERS);
    for (size_t i = 0; i < n; i++) {
        const size_t bd[2] = {b[i].rows, b[i].cols};
        if ((st = nts_add_f32(w, b[i].name, b[i].w, 2, bd, msg)) != ST_OK)
            return st;
    }
    const size_t extra = model_extra_count(config);
    if (extra > 0) {
        const size_t ed[1] = {extra};
        st = nts_add_f32(w, "extra", params + model_param_count(config) - extra, 1, ed, msg);
    }
    return st;
}

static Status read_config(const NtsFile *f, ModelConfig *c, char *msg)
{
    const char *fname = nts_file_name(f);
    const NtsSection *k = nts_find(f, "model.kind");
    const NtsSection *s = nts_find(f, "model.config");
    if (!k || !s)
        return status_fail(msg, ST_EFORMAT, "%s has no section \"%s\": it is not a model snapshot",
                           fname, !k ? "model.kind" : "model.config");
    if (k->type != NTS_TEXT || k->count == 0 || k->count >= sizeof c->kind)
        return status_fail(msg, ST_EFORMAT, "%s: section \"model.kind\" is not a model kind",
                           fname);
    if (s->type != NTS_U32 || s->n_dims != 1 || s->count < CONFIG_FIXED)
        return status_fail(msg, ST_EFORMAT, "%s: section \"model.config\" is malformed", fname);
    const uint32_t *v = s->u32;
    if (v[0] != CONFIG_LAYOUT)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"model.config\" has layout %u; this build reads layout %d",
                           fname, (unsigned)v[0], CONFIG_LAYOUT);
    if (v[4] < 2 || v[4] > MODEL_MAX_LAYERS || s->count != CONFIG_FIXED + (size_t)v[4])
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"model.config\" has a bad layer count (%u)", fname,
                           (unsigned)v[4]);
    if (v[1] > MODEL_INIT_TINY)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"model.config\" has an unknown initialisation (%u)", fname,
                           (unsigned)v[1]);
    memset(c, 0, sizeof *c);
    memcpy(c->kind, k->text, k->count);
    c->init = (ModelInit)v[1];
    c->seed = (uint64_t)v[2] | ((uint64_t)v[3] << 32);
    c->n_layers = v[4];
    for (size_t l = 0; l < c->n_layers; l++)
        c->sizes[l] = v[CONFIG_FIXED + l];
    char why[STATUS_MSG_LEN];
    if (model_config_validate(c, why) != ST_OK)
        return status_fail(msg, ST_EFORMAT, "%s: section \"model.config\" is invalid: %s", fname,
                           why);
    return ST_OK;
}

Status model_io_read_sections(const NtsFile *f, ModelConfig *config, float **params, char *msg)
{
    *params = NULL;
    const char *fname = nts_file_name(f);
    ModelConfig c;
    Status st = read_config(f, &c, msg);
    if (st != ST_OK)
        return st;
    size_t n_params = model_param_count(&c);
    WeightBlock b[MODEL_MAX_LAYERS];
    size_t n = model_blocks(&c, NULL, b, MODEL_MAX_LAYERS);
    /* Check every block before allocating. */
    for (size_t i = 0; i < n; i++) {
        const NtsSection *s = nts_find(f, b[i].name);
        if (!s)
            return status_fail(msg, ST_EFORMAT, "%s has no section \"%s\" for its weights", fname,
                               b[i].name);
        if (s->type != NTS_F32 || s->n_dims != 2 || s->dims[0] != b[i].rows ||
            s->dims[1] != b[i].cols)
            return status_fail(msg, ST_EFORMAT,
                               "%s: section \"%s\" should be %zu×%zu float32 weights", fname,
                               b[i].name, b[i].rows, b[i].cols);
    }
    const size_t extra = model_extra_count(&c);
    const NtsSection *es = extra > 0 ? nts_find(f, "extra") : NULL;
    if (extra > 0 && (!es || es->type != NTS_F32 || es->n_dims != 1 || es->dims[0] != extra))
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"extra\" should hold the model's %zu extra float32 "
                           "parameters",
                           fname, extra);
    float *p = malloc(n_params * sizeof(float));
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu parameters from %s", n_params,
                           fname);
    for (size_t i = 0; i < n; i++)
        memcpy(p + b[i].offset, nts_find(f, b[i].name)->f32, b[i].rows * b[i].cols * sizeof(float));
    if (extra > 0)
        memcpy(p + n_params - extra, es->f32, extra * sizeof(float));
    *config = c;
    *params = p;
    return ST_OK;
}

Status model_save(const ModelConfig *config, const float *params, const char *meta_json,
                  const char *path, char *msg)
{
    NtsWriter *w = nts_writer_new();
    if (!w)
        return status_fail(msg, ST_ENOMEM, "out of memory writing %s", path);
    Status st = model_io_add_sections(w, config, params, msg);
    if (st == ST_OK && meta_json)
        st = nts_add_text(w, "meta", meta_json, msg);
    if (st == ST_OK)
        st = nts_writer_save(w, path, msg);
    nts_writer_free(w);
    return st;
}

Status model_load(const char *path, ModelConfig *config, float **params, char **meta_json,
                  char *msg)
{
    *params = NULL;
    if (meta_json)
        *meta_json = NULL;
    NtsFile *f = NULL;
    Status st = nts_open(path, &f, msg);
    if (st != ST_OK)
        return st;
    ModelConfig c;
    float *p = NULL;
    st = model_io_read_sections(f, &c, &p, msg);
    const NtsSection *meta = nts_find(f, "meta");
    if (st == ST_OK && meta && meta->type != NTS_TEXT)
        st = status_fail(msg, ST_EFORMAT, "%s: section \"meta\" is not text", path);
    char *text = NULL;
    if (st == ST_OK && meta && meta_json) {
        text = malloc(meta->count + 1);
        if (!text)
            st = status_fail(msg, ST_ENOMEM, "out of memory reading %s", path);
        else
            memcpy(text, meta->text, meta->count + 1);
    }
    nts_file_free(f);
    if (st != ST_OK) {
        free(p);
        return st;
    }
    *config = c;
    *params = p;
    if (meta_json)
        *meta_json = text;
    return ST_OK;
}
