#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/nts.h"
#include "neurotop/model/model.h"
#include "neurotop/model/model_io.h"

static ModelConfig small_config(void)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 4;
    c.sizes[0] = 20;
    c.sizes[1] = 8;
    c.sizes[2] = 6;
    c.sizes[3] = 3;
    c.init = MODEL_INIT_TINY;
    c.seed = ((uint64_t)1 << 40) + 5; /* exercises the high 32 bits */
    return c;
}

static void temp_path(char *path)
{
    strcpy(path, "/tmp/neurotop-model-io-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
}

Test(model_io, save_load_round_trip_with_meta)
{
    char msg[STATUS_MSG_LEN], path[64];
    temp_path(path);
    ModelConfig c = small_config();
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    m->params[0] = -0.0f;
    m->params[m->n_params - 1] = 1.0e30f;
    const char *meta = "{\"epoch\":7,\"test_acc\":0.925}";
    cr_assert_eq(model_save(&m->config, m->params, meta, path, msg), ST_OK, "%s", msg);

    ModelConfig back;
    float *params = NULL;
    char *meta_back = NULL;
    cr_assert_eq(model_load(path, &back, &params, &meta_back, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(back.kind, "mlp");
    cr_assert_eq(back.n_layers, 4);
    cr_assert_eq(back.sizes[0], 20);
    cr_assert_eq(back.sizes[3], 3);
    cr_assert_eq(back.init, MODEL_INIT_TINY);
    cr_assert_eq(back.seed, ((uint64_t)1 << 40) + 5);
    cr_assert_eq(memcmp(params, m->params, m->n_params * sizeof(float)), 0);
    cr_assert_str_eq(meta_back, meta);
    free(params);
    free(meta_back);

    /* The blocks are ordinary sections, readable by name. */
    NtsFile *f = NULL;
    cr_assert_eq(nts_open(path, &f, msg), ST_OK);
    const NtsSection *beta = nts_find(f, "p.beta");
    cr_assert_not_null(beta);
    cr_assert_eq(beta->dims[0], 8);
    cr_assert_eq(beta->dims[1], 6);
    cr_assert_eq(beta->f32[0], m->params[20 * 8]);
    nts_file_free(f);
    model_free(m);
    unlink(path);
}

Test(model_io, default_mlp_round_trip_without_meta)
{
    char msg[STATUS_MSG_LEN], path[64];
    temp_path(path);
    ModelConfig c = small_config();
    c.sizes[0] = 784;
    c.sizes[1] = 100;
    c.sizes[2] = 100;
    c.sizes[3] = 10;
    c.init = MODEL_INIT_UNIFORM;
    c.seed = 1;
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_save(&c, m->params, NULL, path, msg), ST_OK, "%s", msg);
    ModelConfig back;
    float *params = NULL;
    char untouched[] = "untouched";
    char *meta = untouched;
    cr_assert_eq(model_load(path, &back, &params, &meta, msg), ST_OK, "%s", msg);
    cr_assert_null(meta);
    cr_assert_eq(model_param_count(&back), 89400);
    cr_assert_eq(memcmp(params, m->params, 89400 * sizeof(float)), 0);
    free(params);
    cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_OK, "%s", msg);
    free(params);
    model_free(m);
    unlink(path);
}

Test(model_io, corrupted_block_is_rejected_naming_it)
{
    char msg[STATUS_MSG_LEN], path[64];
    temp_path(path);
    ModelConfig c = small_config();
    Model *m = NULL;
    cr_assert_eq(model_new(&c, &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(model_save(&c, m->params, "{}", path, msg), ST_OK, "%s", msg);
    NtsFile *f = NULL;
    cr_assert_eq(nts_open(path, &f, msg), ST_OK);
    /* Find where "gamma"'s payload sits: it is the last float block. */
    const NtsSection *g = nts_find(f, "p.gamma");
    float want = g->f32[4];
    nts_file_free(f);
    FILE *fp = fopen(path, "r+b");
    cr_assert_not_null(fp);
    unsigned char buf[4096];
    size_t len = fread(buf, 1, sizeof buf, fp);
    unsigned char pattern[4];
    memcpy(pattern, &want, 4);
    size_t at = 0;
    for (size_t i = 0; i + 4 <= len; i++)
        if (memcmp(buf + i, pattern, 4) == 0)
            at = i;
    cr_assert(at > 0);
    buf[at] ^= 0x40;
    fseek(fp, 0, SEEK_SET);
    fwrite(buf, 1, len, fp);
    fclose(fp);
    ModelConfig back;
    float *params = NULL;
    cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "\"p.gamma\"") != NULL, "%s", msg);
    cr_assert(strstr(msg, path) != NULL, "%s", msg);
    cr_assert_null(params);
    model_free(m);
    unlink(path);
}

Test(model_io, missing_or_misshapen_sections)
{
    char msg[STATUS_MSG_LEN], path[64];
    temp_path(path);
    ModelConfig c = small_config();
    float *zeros = calloc(1000, sizeof(float));
    ModelConfig back;
    float *params = NULL;

    /* Not a model snapshot at all. */
    NtsWriter *w = nts_writer_new();
    const size_t d1[1] = {3};
    cr_assert_eq(nts_add_f32(w, "x", zeros, 1, d1, msg), ST_OK);
    cr_assert_eq(nts_writer_save(w, path, msg), ST_OK);
    nts_writer_free(w);
    cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "not a model snapshot") != NULL, "%s", msg);

    /* A block with the wrong shape: the config sections plus a 6×8 beta. */
    w = nts_writer_new();
    cr_assert_eq(model_io_add_sections(w, &c, zeros, msg), ST_OK, "%s", msg);
    NtsFile *f = NULL;
    unsigned char *bytes;
    size_t len;
    cr_assert_eq(nts_writer_encode(w, &bytes, &len, msg), ST_OK);
    nts_writer_free(w);
    cr_assert_eq(nts_parse(bytes, len, "ok.nts", &f, msg), ST_OK);
    cr_assert_eq(model_io_read_sections(f, &back, &params, msg), ST_OK, "%s", msg);
    free(params);
    nts_file_free(f);
    free(bytes);

    w = nts_writer_new();
    const uint32_t cfg[9] = {1, 2, 5, 256, 4, 20, 8, 6, 3};
    const size_t dc[1] = {9};
    cr_assert_eq(nts_add_text(w, "model.kind", "mlp", msg), ST_OK);
    cr_assert_eq(nts_add_u32(w, "model.config", cfg, 1, dc, msg), ST_OK);
    const size_t da[2] = {20, 8}, db[2] = {6, 8};
    cr_assert_eq(nts_add_f32(w, "alpha", zeros, 2, da, msg), ST_OK);
    cr_assert_eq(nts_add_f32(w, "beta", zeros, 2, db, msg), ST_OK);
    cr_assert_eq(nts_writer_encode(w, &bytes, &len, msg), ST_OK);
    nts_writer_free(w);
    cr_assert_eq(nts_parse(bytes, len, "bad.nts", &f, msg), ST_OK);
    params = NULL;
    cr_assert_eq(model_io_read_sections(f, &back, &params, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "bad.nts: section \"beta\" should be 8×6") != NULL, "%s", msg);
    cr_assert_null(params);
    nts_file_free(f);
    free(bytes);

    /* gamma missing. */
    w = nts_writer_new();
    const size_t db2[2] = {8, 6};
    cr_assert_eq(nts_add_text(w, "model.kind", "mlp", msg), ST_OK);
    cr_assert_eq(nts_add_u32(w, "model.config", cfg, 1, dc, msg), ST_OK);
    cr_assert_eq(nts_add_f32(w, "alpha", zeros, 2, da, msg), ST_OK);
    cr_assert_eq(nts_add_f32(w, "beta", zeros, 2, db2, msg), ST_OK);
    cr_assert_eq(nts_writer_save(w, path, msg), ST_OK);
    nts_writer_free(w);
    cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "no section \"gamma\"") != NULL, "%s", msg);

    /* A config that fails validation (a layer of 0 units) or a bad layout. */
    const uint32_t bad_cfg[9] = {1, 0, 5, 0, 4, 20, 0, 6, 3};
    const uint32_t bad_layout[9] = {3, 0, 5, 0, 4, 20, 8, 6, 3};
    for (int k = 0; k < 2; k++) {
        w = nts_writer_new();
        cr_assert_eq(nts_add_text(w, "model.kind", "mlp", msg), ST_OK);
        cr_assert_eq(nts_add_u32(w, "model.config", k ? bad_layout : bad_cfg, 1, dc, msg), ST_OK);
        cr_assert_eq(nts_writer_save(w, path, msg), ST_OK);
        nts_writer_free(w);
        cr_assert_eq(model_load(path, &back, &params, NULL, msg), ST_EFORMAT);
        cr_assert(strstr(msg, "\"model.config\"") != NULL, "%s", msg);
    }

    /* Saving an invalid config is refused before anything is written. */
    c.sizes[2] = 0;
    cr_assert_eq(model_save(&c, zeros, NULL, path, msg), ST_EINVAL);
    free(zeros);
    unlink(path);
}
