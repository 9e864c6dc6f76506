#include "neurotop/model/model_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/strbuf.h"

#define CONFIG_FIXED 5 /* layout, init, seed low, seed high, n_layers */
#define BLOCK_PREFIX "p."

static const char *const TYPE_NAMES[] = {"dense", "conv", "pool", "bias", "scalar", "state"};

/* "model.blocks": one line per block of the layout, so a file says what
 * its parameters are and a reader can tell a layout it does not know. */
static void format_layout(const ParamBlock *b, size_t nb, StrBuf *out)
{
    for (size_t i = 0; i < nb; i++) {
        strbuf_printf(out, "%s %s %zu %zu ", b[i].name, TYPE_NAMES[b[i].type], b[i].from, b[i].to);
        for (size_t d = 0; d < b[i].n_dims; d++)
            strbuf_printf(out, d ? "x%zu" : "%zu", b[i].dims[d]);
        strbuf_printf(out, " %zu %zu %s\n", b[i].offset, b[i].count, b[i].edge ? "edge" : "-");
    }
}

static void format_kparams(const ModelKind *k, const ModelConfig *c, StrBuf *out)
{
    for (size_t i = 0; i < k->n_kparams; i++)
        strbuf_printf(out, "%s=%.17g\n", k->kparams[i].option, model_kparam(c, i));
}

static void format_dims(const size_t *dims, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t d = 0; d < n && used < cap; d++) {
        int w = snprintf(buf + used, cap - used, d ? "×%zu" : "%zu", dims[d]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

Status model_io_add_sections(NtsWriter *w, const ModelConfig *config, const float *params,
                             char *msg)
{
    Status st = model_config_validate(config, msg);
    if (st != ST_OK)
        return st;
    const ModelKind *k = model_kind_of(config);
    uint32_t cfg[CONFIG_FIXED + MODEL_MAX_LAYERS + 2];
    cfg[0] = MODEL_IO_LAYOUT;
    cfg[1] = (uint32_t)config->init;
    cfg[2] = (uint32_t)(config->seed & 0xFFFFFFFFu);
    cfg[3] = (uint32_t)(config->seed >> 32);
    cfg[4] = (uint32_t)config->n_layers;
    /* Validated sizes are at most MODEL_MAX_UNITS, so they fit 32 bits. */
    for (size_t l = 0; l < config->n_layers; l++)
        cfg[CONFIG_FIXED + l] = (uint32_t)config->sizes[l];
    cfg[CONFIG_FIXED + config->n_layers] = (uint32_t)config->in_rows;
    cfg[CONFIG_FIXED + config->n_layers + 1] = (uint32_t)config->in_cols;
    const size_t dims[1] = {CONFIG_FIXED + config->n_layers + 2};
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(config, b, MODEL_MAX_BLOCKS);
    StrBuf layout, kp;
    strbuf_init(&layout);
    strbuf_init(&kp);
    format_layout(b, nb, &layout);
    format_kparams(k, config, &kp);
    if (strbuf_failed(&layout) || strbuf_failed(&kp))
        st = status_fail(msg, ST_ENOMEM, "out of memory describing the model");
    if (!st)
        st = nts_add_text(w, "model.kind", config->kind, msg);
    if (!st)
        st = nts_add_u32(w, "model.config", cfg, 1, dims, msg);
    if (!st && k->n_kparams)
        st = nts_add_text(w, "model.kparams", strbuf_cstr(&kp), msg);
    if (!st)
        st = nts_add_text(w, "model.blocks", strbuf_cstr(&layout), msg);
    for (size_t i = 0; i < nb && !st; i++) {
        if (b[i].count == 0)
            continue;
        char name[NTS_NAME_LEN];
        snprintf(name, sizeof name, BLOCK_PREFIX "%s", b[i].name);
        st = nts_add_f32(w, name, params + b[i].offset, b[i].n_dims, b[i].dims, msg);
    }
    strbuf_done(&layout);
    strbuf_done(&kp);
    return st;
}

/* "option=value" lines into c->kparams (all of the kind's, defaults for
 * the lines missing). */
static Status read_kparams(const NtsFile *f, const ModelKind *k, ModelConfig *c, char *msg)
{
    const char *fname = nts_file_name(f);
    for (size_t i = 0; i < k->n_kparams; i++)
        c->kparams[i] = k->kparams[i].def;
    c->n_kparams = k->n_kparams;
    const NtsSection *s = nts_find(f, "model.kparams");
    if (!s)
        return ST_OK;
    if (s->type != NTS_TEXT)
        return status_fail(msg, ST_EFORMAT, "%s: section \"model.kparams\" is not text", fname);
    const char *p = s->text, *end = s->text + s->count;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *eq = memchr(p, '=', (size_t)(eol - p));
        char name[64], value[64];
        if (!eq || eq - p >= (long)sizeof name || eol - eq - 1 >= (long)sizeof value)
            return status_fail(msg, ST_EFORMAT,
                               "%s: section \"model.kparams\" has a line that is not option=value",
                               fname);
        snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
        snprintf(value, sizeof value, "%.*s", (int)(eol - eq - 1), eq + 1);
        int idx = model_kparam_index(k, name);
        char *stop;
        errno = 0;
        double v = strtod(value, &stop);
        if (idx < 0)
            return status_fail(msg, ST_EFORMAT,
                               "%s: section \"model.kparams\" names \"%s\", which is not a "
                               "parameter of the %s model",
                               fname, name, k->name);
        if (!value[0] || *stop || errno || !isfinite(v))
            return status_fail(msg, ST_EFORMAT,
                               "%s: section \"model.kparams\" gives %s a value that is not a number",
                               fname, name);
        c->kparams[idx] = v;
        p = eol + 1;
    }
    return ST_OK;
}

static Status read_config(const NtsFile *f, ModelConfig *c, unsigned *layout, char *msg)
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
    if (v[0] != 1 && v[0] != MODEL_IO_LAYOUT)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"model.config\" has layout %u; this build reads layouts "
                           "1 to %d",
                           fname, (unsigned)v[0], MODEL_IO_LAYOUT);
    const size_t tail = v[0] == 1 ? 0 : 2; /* layout 2 adds the input shape */
    if (v[4] < 2 || v[4] > MODEL_MAX_LAYERS || s->count != CONFIG_FIXED + (size_t)v[4] + tail)
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
    if (tail) {
        c->in_rows = v[CONFIG_FIXED + c->n_layers];
        c->in_cols = v[CONFIG_FIXED + c->n_layers + 1];
    }
    const ModelKind *kind = model_kind_of(c);
    Status st;
    if (kind && (st = read_kparams(f, kind, c, msg)))
        return st;
    char why[STATUS_MSG_LEN];
    if (model_config_validate(c, why) != ST_OK)
        return status_fail(msg, ST_EFORMAT, "%s: section \"model.config\" is invalid: %s", fname,
                           why);
    *layout = v[0];
    return ST_OK;
}

/* The section named `name` must hold n_dims × dims float32 values. */
static Status need_block(const NtsFile *f, const char *name, size_t n_dims, const size_t *dims,
                         const NtsSection **out, char *msg)
{
    const char *fname = nts_file_name(f);
    const NtsSection *s = nts_find(f, name);
    if (!s)
        return status_fail(msg, ST_EFORMAT, "%s has no section \"%s\" for its weights", fname, name);
    int ok = s->type == NTS_F32 && s->n_dims == n_dims;
    for (size_t d = 0; ok && d < n_dims; d++)
        ok = s->dims[d] == dims[d];
    if (!ok) {
        char shape[96];
        format_dims(dims, n_dims, shape, sizeof shape);
        return status_fail(msg, ST_EFORMAT, "%s: section \"%s\" should be %s float32 weights",
                           fname, name, shape);
    }
    *out = s;
    return ST_OK;
}

/* Layout 1: the edge blocks under their bare names, every other parameter
 * block back to back in "extra". */
static Status read_blocks_v1(const NtsFile *f, const ParamBlock *b, size_t nb,
                             const NtsSection **src, const NtsSection **extra, size_t n_extra,
                             char *msg)
{
    Status st;
    for (size_t i = 0; i < nb; i++)
        if (b[i].edge && (st = need_block(f, b[i].name, b[i].n_dims, b[i].dims, &src[i], msg)))
            return st;
    *extra = n_extra ? nts_find(f, "extra") : NULL;
    const NtsSection *es = *extra;
    if (n_extra > 0 && (!es || es->type != NTS_F32 || es->n_dims != 1 || es->dims[0] != n_extra))
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"extra\" should hold the model's %zu extra float32 "
                           "parameters",
                           nts_file_name(f), n_extra);
    return ST_OK;
}

/* Layout 2: "model.blocks" must describe the layout this build computes
 * for the config, and each parameter block is its own section. */
static Status read_blocks_v2(const NtsFile *f, const char *kind, const ParamBlock *b, size_t nb,
                             const NtsSection **src, char *msg)
{
    const char *fname = nts_file_name(f);
    const NtsSection *desc = nts_find(f, "model.blocks");
    if (!desc || desc->type != NTS_TEXT)
        return status_fail(msg, ST_EFORMAT, "%s has no text section \"model.blocks\"", fname);
    StrBuf want;
    strbuf_init(&want);
    format_layout(b, nb, &want);
    if (strbuf_failed(&want)) {
        strbuf_done(&want);
        return status_fail(msg, ST_ENOMEM, "out of memory reading %s", fname);
    }
    int same = strcmp(strbuf_cstr(&want), desc->text) == 0;
    strbuf_done(&want);
    if (!same)
        return status_fail(msg, ST_EFORMAT,
                           "%s: section \"model.blocks\" does not describe the %s layout this "
                           "build computes for the file's configuration",
                           fname, kind);
    Status st;
    for (size_t i = 0; i < nb; i++) {
        if (b[i].count == 0)
            continue;
        char name[NTS_NAME_LEN];
        snprintf(name, sizeof name, BLOCK_PREFIX "%s", b[i].name);
        if ((st = need_block(f, name, b[i].n_dims, b[i].dims, &src[i], msg)))
            return st;
    }
    return ST_OK;
}

Status model_io_read_sections(const NtsFile *f, ModelConfig *config, float **params, char *msg)
{
    *params = NULL;
    const char *fname = nts_file_name(f);
    ModelConfig c;
    unsigned layout = 0;
    Status st = read_config(f, &c, &layout, msg);
    if (st != ST_OK)
        return st;
    size_t n_params = model_param_count(&c);
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(&c, b, MODEL_MAX_BLOCKS);
    const NtsSection *src[MODEL_MAX_BLOCKS] = {0}, *extra = NULL;
    const size_t n_extra = model_extra_count(&c);
    /* Check every block before allocating. */
    st = layout == 1 ? read_blocks_v1(f, b, nb, src, &extra, n_extra, msg)
                     : read_blocks_v2(f, c.kind, b, nb, src, msg);
    if (st)
        return st;
    float *p = malloc((n_params ? n_params : 1) * sizeof(float));
    if (!p)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu parameters from %s", n_params,
                           fname);
    size_t from_extra = 0;
    for (size_t i = 0; i < nb; i++) {
        if (b[i].count == 0)
            continue;
        if (src[i]) {
            memcpy(p + b[i].offset, src[i]->f32, b[i].count * sizeof(float));
        } else {
            memcpy(p + b[i].offset, extra->f32 + from_extra, b[i].count * sizeof(float));
            from_extra += b[i].count;
        }
    }
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
