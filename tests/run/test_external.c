/* Runs recorded by other frameworks (run/external.h): the weights of a
 * network neurotop trained, written out as another framework would
 * (out-by-in, float32, one .npz per step), read back give the same weights,
 * Q, weight moments and receptive fields; broken steps are refused by name. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/metrics_epoch.h"
#include "neurotop/measure/metrics_modularity.h"
#include "neurotop/model/model.h"
#include "neurotop/run/external.h"
#include "support/support.h"

TestSuite(external, .init = support_tmp_init, .fini = support_tmp_fini);

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    support_write_file(path, text, strlen(text));
}

/* The snapshot's dense blocks as W0, W1, ... (out-by-in when out_by_in),
 * its probe activations as act0, act1, ..., into dir/step-NNNNNN.npz. */
static void write_step(const char *dir, size_t step, const Snapshot *s, int out_by_in, int with_acts)
{
    const ModelConfig *c = &s->config;
    ParamBlock blocks[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(c, blocks, MODEL_MAX_BLOCKS), l = 0, nm = 0;
    SupportNpzMember m[8];
    char names[8][32], shapes[8][64];
    float *bufs[8] = {0};
    for (size_t b = 0; b < nb; b++) {
        if (blocks[b].type != BLOCK_DENSE)
            continue;
        size_t rows = c->sizes[l], cols = c->sizes[l + 1];
        float *w = malloc(rows * cols * sizeof *w);
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                w[out_by_in ? j * rows + i : i * cols + j] = s->params[blocks[b].offset + i * cols + j];
        snprintf(names[nm], sizeof names[nm], "W%zu.npy", l);
        snprintf(shapes[nm], sizeof shapes[nm], "(%zu, %zu)", out_by_in ? cols : rows, out_by_in ? rows : cols);
        m[nm] = (SupportNpzMember){.name = names[nm], .deflate = (int)(l % 2)};
        strbuf_init(&m[nm].content);
        support_npy(&m[nm].content, "<f4", 0, shapes[nm], w, rows * cols * sizeof *w);
        bufs[nm++] = w;
        l++;
    }
    for (size_t a = 0; with_acts && a + 1 < c->n_layers; a++) {
        snprintf(names[nm], sizeof names[nm], "act%zu.npy", a);
        snprintf(shapes[nm], sizeof shapes[nm], "(%zu, %zu)", s->n_probe, c->sizes[a + 1]);
        m[nm] = (SupportNpzMember){.name = names[nm], .zip64 = 1};
        strbuf_init(&m[nm].content);
        support_npy(&m[nm].content, "<f4", 0, shapes[nm], s->acts[a], s->n_probe * c->sizes[a + 1] * sizeof(float));
        nm++;
    }
    StrBuf z;
    strbuf_init(&z);
    support_zip(&z, m, nm);
    char path[1200];
    snprintf(path, sizeof path, "%s/step-%06zu.npz", dir, step);
    support_write_file(path, z.data, z.len);
    strbuf_done(&z);
    for (size_t i = 0; i < nm; i++) {
        strbuf_done(&m[i].content);
        free(bufs[i]);
    }
}

/* The weight metrics neurotop records, computed on s with seed 0. */
static void measure(Snapshot *s)
{
    char msg[STATUS_MSG_LEN];
    ModularitySettings set;
    atomic_init(&set.qreps, 5);
    ModularityMetric *mm = NULL;
    cr_assert_eq(modularity_metric_new(&set, 0, &mm, msg), ST_OK, "%s", msg);
    cr_assert_eq(metrics_epoch_weights(s, NULL, msg), ST_OK, "%s", msg);
    cr_assert_eq(modularity_metric_epoch(s, mm, msg), ST_OK, "%s", msg);
    modularity_metric_free(mm);
}

Test(external, same_weights_q_moments_and_fields_as_inside)
{
    Snapshot *native = support_snapshot_of_kind("mlp", NULL);
    const ModelConfig *c = &native->config;
    char dir[1024];
    support_tmpdir_make("ext", dir, sizeof dir);
    char json[128];
    snprintf(json, sizeof json, "{\"layout\": \"out_by_in\", \"input_shape\": [%zu, %zu]}\n", c->in_rows, c->in_cols);
    write_text(dir, "run.json", json);
    write_text(dir, "metrics.jsonl", "{\"step\": 7, \"accuracy\": 0.75, \"loss\": 0.5, \"grad_norm\": 3}\n{\"step\": 7");
    write_step(dir, 7, native, 1, 1);
    write_text(dir, "step-000009.npz.tmp", "being written");
    ExternalRun *x = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(external_open(dir, &x, msg), ST_OK, "%s", msg);
    size_t n = 0;
    cr_assert_eq(external_scan(x, &n, msg), ST_OK, "%s", msg);
    cr_assert_eq(n, 1, "a temporary name is not a step");
    cr_assert_eq(external_step(x, 0), 7);
    Snapshot *e = NULL;
    cr_assert_eq(external_load(x, 7, &e, msg), ST_OK, "%s", msg);
    cr_assert_eq(e->epoch, 7);
    cr_assert_eq(e->config.n_layers, c->n_layers);
    for (size_t l = 0; l < c->n_layers; l++)
        cr_assert_eq(e->config.sizes[l], c->sizes[l]);
    cr_assert_eq(e->n_params, native->n_params);
    cr_assert_eq(memcmp(e->params, native->params, e->n_params * sizeof(float)), 0, "the same weights, bit for bit");
    cr_assert_eq(e->n_probe, native->n_probe);
    cr_assert_eq(memcmp(e->acts[0], native->acts[0], e->n_probe * c->sizes[1] * sizeof(float)), 0);
    cr_assert_float_eq(e->eval.accuracy, 0.75, 0);
    cr_assert_float_eq(snapshot_metric(e, "grad_norm"), 3, 0, "other numbers are kept");
    /* The same measures on both, to 1e-6. */
    Snapshot *inside = snapshot_new(c, native->params, native->n_params, 0);
    inside->epoch = 7;
    measure(inside);
    measure(e);
    const char *keys[] = {"w_alpha_mean", "w_alpha_std", "w_alpha_skew", "w_beta_mean", "q_whole", "q_hidden"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        double a = snapshot_metric(inside, keys[k]), b = snapshot_metric(e, keys[k]);
        cr_assert(isfinite(a), "%s measured", keys[k]);
        cr_assert_float_eq(a, b, 1e-6, "%s: inside %.9g, recorded outside %.9g", keys[k], a, b);
    }
    for (size_t layer = 1; layer < c->n_layers; layer++) {
        size_t len = c->sizes[layer] * c->sizes[0];
        float *fa = malloc(len * sizeof *fa), *fb = malloc(len * sizeof *fb);
        cr_assert_eq(model_receptive_fields(c, native->params, layer, fa, msg), ST_OK, "%s", msg);
        cr_assert_eq(model_receptive_fields(&e->config, e->params, layer, fb, msg), ST_OK, "%s", msg);
        for (size_t i = 0; i < len; i++)
            cr_assert_float_eq(fa[i], fb[i], 1e-6, "layer %zu field value %zu", layer, i);
        free(fa);
        free(fb);
    }
    snapshot_release(inside);
    snapshot_release(e);
    snapshot_release(native);
    external_free(x);
    support_tmpdir_remove(dir);
}

/* The in-by-out layout reads the same network; broken steps are refused
 * with the file and the array named. */
Test(external, layouts_and_broken_steps)
{
    Snapshot *native = support_snapshot_of_kind("mlp", NULL);
    char dir[1024];
    support_tmpdir_make("ext2", dir, sizeof dir);
    write_text(dir, "run.json", "{\"layout\": \"in_by_out\"}");
    write_step(dir, 0, native, 0, 0);
    write_step(dir, 1, native, 1, 0); /* written out-by-in: the chain does not join */
    write_text(dir, "step-000002.npz", "not an archive");
    ExternalRun *x = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(external_open(dir, &x, msg), ST_OK, "%s", msg);
    size_t n = 0;
    cr_assert_eq(external_scan(x, &n, msg), ST_OK, "%s", msg);
    cr_assert_eq(n, 3);
    Snapshot *e = NULL;
    cr_assert_eq(external_load(x, 0, &e, msg), ST_OK, "%s", msg);
    cr_assert_eq(memcmp(e->params, native->params, e->n_params * sizeof(float)), 0);
    cr_assert_eq(e->n_probe, 0, "no activations given");
    snapshot_release(e);
    cr_assert_eq(external_load(x, 1, &e, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "step-000001.npz") && strstr(msg, "W1 takes"), "%s", msg);
    cr_assert_null(e);
    cr_assert_eq(external_load(x, 2, &e, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "step-000002.npz"), "%s", msg);
    external_free(x);
    external_free(NULL);
    /* run.json without a layout. */
    write_text(dir, "run.json", "{\"input_shape\": [8, 8]}");
    cr_assert_eq(external_open(dir, &x, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "\"layout\" must be"), "%s", msg);
    snapshot_release(native);
    support_tmpdir_remove(dir);
}

/* A convolutional run as PyTorch writes it: Conv2d kernels (families,
 * channels, k, k), Linear weights out-by-in, biases b0..b3, one member in
 * float64. neurotop reads it as its lenet kind with the same parameters,
 * block by block. */
static void add_member(SupportNpzMember *m, char *name, const char *member, const char *descr, const char *shape,
                       const void *data, size_t bytes)
{
    snprintf(name, 32, "%s", member);
    *m = (SupportNpzMember){.name = name};
    strbuf_init(&m->content);
    support_npy(&m->content, descr, 0, shape, data, bytes);
}

Test(external, convolutional_run_reads_as_lenet)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "lenet");
    c.n_layers = 2;
    c.sizes[0] = 256;
    c.sizes[1] = 3;
    c.in_rows = c.in_cols = 16;
    c.seed = 4;
    c.n_kparams = 4;
    c.kparams[0] = 2; /* conv1 families */
    c.kparams[1] = 3; /* conv2 families */
    c.kparams[2] = 4; /* dense units */
    c.kparams[3] = 5; /* kernel */
    model_config_shape(&c);
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    for (size_t i = 0; i < m->n_params; i++) /* biases too, not only the random weights */
        m->params[i] += 0.001f * (float)(i % 13);
    ParamBlock b[MODEL_MAX_BLOCKS];
    size_t nb = model_layout(&c, b, MODEL_MAX_BLOCKS);
    cr_assert_eq(nb, 10);
    SupportNpzMember mem[8];
    char names[8][32];
    size_t nm = 0, wl = 0;
    double *wide = NULL;
    float *bufs[8] = {0};
    for (size_t k = 0; k < nb; k++) {
        const ParamBlock *p = &b[k];
        const float *src = m->params + p->offset;
        char shape[64], member[32];
        if (p->type == BLOCK_CONV) {
            snprintf(member, sizeof member, "W%zu.npy", wl);
            snprintf(shape, sizeof shape, "(%zu, %zu, %zu, %zu)", p->dims[0], p->dims[1], p->dims[2], p->dims[3]);
            if (wl == 0) { /* float64, as a NumPy default would be */
                wide = malloc(p->count * sizeof *wide);
                for (size_t i = 0; i < p->count; i++)
                    wide[i] = src[i];
                add_member(&mem[nm], names[nm], member, "<f8", shape, wide, p->count * sizeof *wide);
            } else {
                add_member(&mem[nm], names[nm], member, "<f4", shape, src, p->count * sizeof *src);
            }
            nm++;
            wl++;
        } else if (p->type == BLOCK_DENSE) {
            size_t rows = p->dims[0], cols = p->dims[1];
            float *t = bufs[nm] = malloc(rows * cols * sizeof *t);
            for (size_t i = 0; i < rows; i++)
                for (size_t j = 0; j < cols; j++)
                    t[j * rows + i] = src[i * cols + j];
            snprintf(member, sizeof member, "W%zu.npy", wl);
            snprintf(shape, sizeof shape, "(%zu, %zu)", cols, rows);
            add_member(&mem[nm], names[nm], member, "<f4", shape, t, rows * cols * sizeof *t);
            nm++;
            wl++;
        } else if (p->type == BLOCK_BIAS) {
            snprintf(member, sizeof member, "b%zu.npy", wl - 1);
            snprintf(shape, sizeof shape, "(%zu,)", p->count);
            add_member(&mem[nm], names[nm], member, "<f4", shape, src, p->count * sizeof *src);
            nm++;
        }
    }
    cr_assert_eq(nm, 8);
    char dir[1024], path[1200];
    support_tmpdir_make("extconv", dir, sizeof dir);
    write_text(dir, "run.json", "{\"layout\": \"out_by_in\", \"input_shape\": [16, 16]}");
    StrBuf z;
    strbuf_init(&z);
    support_zip(&z, mem, nm);
    snprintf(path, sizeof path, "%s/step-000007.npz", dir);
    support_write_file(path, z.data, z.len);
    strbuf_done(&z);
    for (size_t i = 0; i < nm; i++) {
        strbuf_done(&mem[i].content);
        free(bufs[i]);
    }
    free(wide);
    ExternalRun *x = NULL;
    cr_assert_eq(external_open(dir, &x, msg), ST_OK, "%s", msg);
    size_t n = 0;
    cr_assert_eq(external_scan(x, &n, msg), ST_OK, "%s", msg);
    Snapshot *e = NULL;
    cr_assert_eq(external_load(x, 7, &e, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(e->config.kind, "lenet");
    cr_assert_eq(e->config.n_layers, c.n_layers);
    for (size_t l = 0; l < c.n_layers; l++)
        cr_assert_eq(e->config.sizes[l], c.sizes[l], "layer %zu", l);
    cr_assert_eq(e->n_params, m->n_params);
    cr_assert_eq(memcmp(e->params, m->params, m->n_params * sizeof(float)), 0, "the same parameters");
    char json[2048];
    external_run_json(x, e, json, sizeof json);
    cr_assert(strstr(json, "\"conv1\":2") && strstr(json, "\"kernel\":5"), "%s", json);
    snapshot_release(e);
    external_free(x);
    /* Without input_shape the kernels cannot be placed. */
    write_text(dir, "run.json", "{\"layout\": \"out_by_in\"}");
    cr_assert_eq(external_open(dir, &x, msg), ST_OK, "%s", msg);
    cr_assert_eq(external_scan(x, &n, msg), ST_OK, "%s", msg);
    cr_assert_eq(external_load(x, 7, &e, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "input_shape"), "%s", msg);
    external_free(x);
    model_free(m);
    support_tmpdir_remove(dir);
}
