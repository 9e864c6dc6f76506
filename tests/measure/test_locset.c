#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/locset.h"
#include "support/tinynet.h"

static Status tiny_responses(void *ctx, const float *images, size_t count, float *out, char *msg)
{
    (void)msg;
    for (size_t i = 0; i < count; i++)
        tinynet_forward(ctx, images + i * 144, out + i * TINYNET_NEURONS);
    return ST_OK;
}

typedef struct {
    int calls;
    char last[32];
} Seen;

static int note_stage(void *ctx, const char *stage, double frac)
{
    Seen *s = ctx;
    (void)frac;
    s->calls++;
    snprintf(s->last, sizeof s->last, "%s", stage);
    return 0;
}

static int cancel_in_correlation(void *ctx, const char *stage, double frac)
{
    (void)ctx;
    (void)frac;
    return strcmp(stage, "correlation") == 0;
}

Test(locset, sets_and_concat_on_a_tiny_network)
{
    NetLayout l = tinynet_layout();
    TinyNet t;
    tinynet_init(&t, 1);
    LocSetSpec e = locset_defaults();
    e.layout = &l;
    e.responses = tiny_responses;
    e.responses_ctx = &t;
    e.images = 2000;
    e.chunk = 333;
    e.localize.forest.n_trees = 50;
    Seen seen = {0};
    e.localize.progress = note_stage;
    e.localize.progress_ctx = &seen;
    LocSetResult g, imp, cat;
    LocFeatures fg, fi;
    char msg[512];
    cr_assert_eq(locset_run_set(&e, STIM_GAUSSIAN, &g, &fg, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(g.name, "GAUSSIAN");
    cr_assert_eq(g.images, 2000);
    cr_assert_eq(fg.d, 18);
    cr_assert(seen.calls > 10);
    cr_assert_str_eq(seen.last, "distances");
    cr_assert(g.result.mean_err < 0.7 * g.result.mean_baseline);
    /* IMPULSE: 2 images per pixel; ±1e9 drives even the −1e6-biased family */
    cr_assert_eq(locset_run_set(&e, STIM_IMPULSE, &imp, &fi, msg), ST_OK, "%s", msg);
    cr_assert_eq(imp.images, 288);
    size_t silent_g = 0, silent_i = 0;
    for (size_t k = 0; k < 5; k++) {
        silent_g += g.result.n_silent[k];
        silent_i += imp.result.n_silent[k];
    }
    cr_assert(silent_g >= 80);
    cr_assert(silent_i < silent_g, "%zu vs %zu", silent_i, silent_g);
    LocFeatures parts[2] = {fg, fi};
    LocSetResult pr[2] = {g, imp};
    cr_assert_eq(locset_run_concat(&e, parts, pr, 2, &cat, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(cat.name, "CONCAT");
    cr_assert_eq(cat.images, 2288);
    cr_assert(cat.result.mean_err < 0.7 * cat.result.mean_baseline);
    cr_assert_eq(g.n_random, 0);
    /* the same inputs give the same answer; random splits scatter around it */
    LocSetResult again;
    e.random_splits = 3;
    cr_assert_eq(locset_run_set(&e, STIM_GAUSSIAN, &again, NULL, msg), ST_OK);
    cr_assert_eq(again.result.mean_err, g.result.mean_err);
    cr_assert_eq(again.n_random, 3);
    cr_assert(again.random_sd > 0 && again.random_sd < 0.5, "sd %f", again.random_sd);
    cr_assert(again.random_mean < 0.75 * g.result.mean_baseline, "mean %f", again.random_mean);
    locset_set_done(&again);
    locset_set_done(&g);
    locset_set_done(&imp);
    locset_set_done(&cat);
    loc_features_done(&fg);
    loc_features_done(&fi);
}

Test(locset, cancel_and_bad_input)
{
    NetLayout l = tinynet_layout();
    TinyNet t;
    tinynet_init(&t, 1);
    LocSetSpec e = locset_defaults();
    e.layout = &l;
    e.responses = tiny_responses;
    e.responses_ctx = &t;
    e.images = 300;
    e.localize.progress = cancel_in_correlation;
    LocSetResult r;
    char msg[512];
    cr_assert_eq(locset_run_set(&e, STIM_GAUSSIAN, &r, NULL, msg), ST_ECANCELED);
    e.localize.progress = NULL;
    /* MNIST needs digits */
    cr_assert_eq(locset_run_set(&e, STIM_MNIST, &r, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "digit") != NULL, "%s", msg);
    cr_assert_float_eq(locset_paper_error("IMPULSE"), 0.8, 1e-12);
    cr_assert(isnan(locset_paper_error("IMPULSE*")));
}

Test(locset, json_and_picture)
{
    NetLayout l = tinynet_layout();
    LocSetResult r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "IMPULSE");
    r.images = 288;
    LocalizeResult *x = &r.result;
    x->n_layers = 5;
    x->n_total_test = 240;
    for (size_t k = 0; k < 5; k++) {
        x->n_test[k] = 10 + k;
        x->err[k] = 0.5 * (double)k;
        x->baseline[k] = 2.0;
    }
    x->mean_err = 1.0;
    x->mean_baseline = 2.0;
    x->floor = 0.65;
    StrBuf pic, js;
    strbuf_init(&pic);
    strbuf_init(&js);
    locset_picture(&l, &r, &pic);
    const char *p = strbuf_cstr(&pic);
    /* title, header, 5 layers, score line */
    size_t lines = 0;
    for (const char *c = p; *c; c++)
        lines += *c == '\n';
    cr_assert_eq(lines, 8, "%s", p);
    /* scale 2.0 over 30 columns: CONV's 0.5 fills 8, the random 2.0 marks the end */
    cr_assert(strstr(p, "CONV        4@8x8           0     11  [########.....................|]   0.50") != NULL, "%s", p);
    cr_assert(strstr(p, "paper") == NULL, "not LeNet: %s", p);
    JsonWriter w;
    json_init(&w, &js);
    json_object_begin(&w);
    locset_json_fields(&l, &r, &w);
    json_object_end(&w);
    const char *j = strbuf_cstr(&js);
    cr_assert(strstr(j, "\"stimulus\":\"IMPULSE\"") != NULL, "%s", j);
    cr_assert(strstr(j, "\"paper\":null") != NULL, "%s", j);
    cr_assert(strstr(j, "\"name\":\"POOL\"") != NULL, "%s", j);
    cr_assert(strstr(j, "random_splits") == NULL);
    /* beside LeNet, the paper's figure */
    NetLayout lenet;
    netlayout_lenet(&lenet);
    x->n_layers = 7;
    strbuf_clear(&pic);
    strbuf_clear(&js);
    locset_picture(&lenet, &r, &pic);
    cr_assert(strstr(strbuf_cstr(&pic), "paper 0.8 (random 4.6)") != NULL, "%s", strbuf_cstr(&pic));
    json_init(&w, &js);
    json_object_begin(&w);
    locset_json_fields(&lenet, &r, &w);
    json_object_end(&w);
    cr_assert(strstr(strbuf_cstr(&js), "\"paper\":0.8") != NULL, "%s", strbuf_cstr(&js));
    strbuf_done(&pic);
    strbuf_done(&js);
}
