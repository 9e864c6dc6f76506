/* The fixture of the information analyses' tests (info_fixture.h). */
#include "info_fixture.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/core/rng.h"
#include "neurotop/measure/analyses.h"

/* A 9-4-3-3 network on 3×3 images: 60 seeded training items of three
 * classes (pixels 0 and 8 never on), 20 held-out items (the probe set). */

Dataset *info_tiny_dataset(void)
{
    Dataset *d = calloc(1, sizeof *d);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(imageset_alloc(&d->train, INFO_N_TRAIN, 3, 3, msg), ST_OK);
    cr_assert_eq(imageset_alloc(&d->test, INFO_N_PROBE, 3, 3, msg), ST_OK);
    Rng r;
    rng_seed(&r, 7, 0);
    ImageSet *sets[2] = {&d->train, &d->test};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sets[k]->n; i++) {
            uint8_t c = (uint8_t)(i % 3);
            sets[k]->labels[i] = c;
            for (size_t p = 1; p < 8; p++) {
                /* Pixel p is bright more often for class p % 3. */
                double u = rng_uniform(&r) + (p % 3 == c ? 0.4 : 0.0);
                sets[k]->pixels[i * 9 + p] = (uint8_t)(u > 0.7 ? 40 + (int)(200 * (u - 0.7)) : 0);
            }
        }
    d->train.n_classes = d->test.n_classes = 3;
    return d;
}

/* Weights: W0 + epoch·step pattern, so edge changes are known; probe
 * activations: seeded values in (0, 1); confusion: by hand. */
Snapshot *info_tiny_snapshot(size_t epoch)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {9, 4, 3, 3}};
    size_t n = model_param_count(&c);
    Snapshot *s = snapshot_new(&c, NULL, n, INFO_N_PROBE);
    cr_assert_not_null(s);
    s->epoch = epoch;
    Rng r;
    rng_seed(&r, 3, 0);
    for (size_t i = 0; i < n; i++)
        s->params[i] = (float)(2.0 * rng_uniform(&r) - 1.0) + 0.01f * (float)(epoch * (i % 5));
    Rng ra;
    rng_seed(&ra, 11, epoch);
    for (size_t l = 1; l < 4; l++)
        for (size_t i = 0; i < INFO_N_PROBE * c.sizes[l]; i++)
            s->acts[l - 1][i] = (float)rng_uniform(&ra);
    for (size_t i = 0; i < INFO_N_PROBE; i++)
        s->probe_labels[i] = (uint8_t)(i % 3);
    /* Class 2 is taken for class 1 less often as epochs go by. */
    uint32_t conf[9] = {7, 0, 0, 0, 6, 1, 0, (uint32_t)(6 - epoch), (uint32_t)epoch};
    memcpy(s->eval.confusion, conf, sizeof conf);
    s->eval.accuracy = (7.0 + 6 + (double)epoch) / 20.0;
    return s;
}

JobResult *info_run_job(const char *name, JobFn fn, const AnalysisArgs *a, Snapshot *s, Store *store)
{
    char msg[STATUS_MSG_LEN];
    JobRunner *jr = NULL;
    cr_assert_eq(jobrunner_new(store, &jr, msg), ST_OK);
    cr_assert_eq(jobrunner_submit(jr, name, fn, a, s, msg), ST_OK, "%s", msg);
    JobResult *r = NULL;
    for (int i = 0; i < 20000 && !r; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        r = jobrunner_take_result(jr);
    }
    cr_assert_not_null(r, "the job finished");
    jobrunner_free(jr);
    return r;
}

/* The number after "key": in a JSON text (the first occurrence). */
double info_json_number(const JobResult *r, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *at = strstr(strbuf_cstr(&r->json), pat);
    cr_assert_not_null(at, "key %s in %s", key, strbuf_cstr(&r->json));
    return strtod(at + strlen(pat), NULL);
}

/* n numbers of the JSON array after "key":[ . */
void info_json_numbers(const JobResult *r, const char *key, double *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":[", key);
    const char *p = strstr(strbuf_cstr(&r->json), pat);
    cr_assert_not_null(p, "key %s", key);
    p += strlen(pat);
    for (size_t i = 0; i < n; i++) {
        char *end;
        if (strncmp(p, "null", 4) == 0) { /* NaN is written as null */
            out[i] = NAN;
            p += 5;
            continue;
        }
        out[i] = strtod(p, &end);
        cr_assert(end != p, "number %zu of %s", i, key);
        p = end + 1;
    }
}


/* Epochs 0..3 published to a store (each with Q, accuracy and IH series
 * values), the shown snapshot is epoch 3. */
void info_fixture_init(InfoFixture *f)
{
    char msg[STATUS_MSG_LEN];
    memset(f, 0, sizeof *f);
    f->d = info_tiny_dataset();
    cr_assert_eq(pixel_info_new(f->d, &f->pi, msg), ST_OK);
    f->store = store_new(8, msg);
    for (size_t e = 0; e < 4; e++) {
        Snapshot *s = info_tiny_snapshot(e);
        snapshot_set_metric(s, "test_acc", 0.3 + 0.1 * (double)e);
        snapshot_set_metric(s, "q_whole", 0.1 + 0.01 * (double)e);
        snapshot_set_metric(s, "q_hidden", 0.2 + 0.02 * (double)e);
        snapshot_set_metric(s, "ih_hl1_mean", 0.05 * (double)e);
        snapshot_set_metric(s, "ih_hl2_mean", 0.02 * (double)e);
        cr_assert_eq(store_publish(f->store, s), ST_OK);
        f->snaps[e] = s;
    }
    analysis_args_init("info", &f->a);
    f->a.store = f->store;
    f->a.data = f->d;
    f->a.pixel_info = f->pi;
}

void info_fixture_done(InfoFixture *f)
{
    for (size_t e = 0; e < 4; e++)
        snapshot_release(f->snaps[e]);
    store_free(f->store);
    pixel_info_free(f->pi);
    dataset_free(f->d);
}

/* The activity matrix the PCA jobs should build: input pixels/255, HL1,
 * HL2, output. */
float *info_activity(const InfoFixture *f, const Snapshot *s, size_t *d)
{
    *d = 9 + 4 + 3 + 3;
    float *x = malloc(INFO_N_PROBE * *d * sizeof(float));
    for (size_t i = 0; i < INFO_N_PROBE; i++) {
        float *row = x + i * *d;
        imageset_item_float(&f->d->test, i, row);
        memcpy(row + 9, s->acts[0] + i * 4, 4 * sizeof(float));
        memcpy(row + 13, s->acts[1] + i * 3, 3 * sizeof(float));
        memcpy(row + 16, s->acts[2] + i * 3, 3 * sizeof(float));
    }
    return x;
}

