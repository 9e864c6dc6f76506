#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/metrics_info.h"

/* A 3-2-2-2 network with four probe items labelled 0,1,0,1.
 * HL1: unit 0 = 0.9,0.2,0.6,0.4 (docs/methods.md §17: IH = 1 bit), unit 1 = 0.7
 *      always (on for every item: 0 bits).
 * HL2: unit 0 = 0.9,0.9,0.1,0.1 (on for one item of each class: 0 bits),
 *      unit 1 = 0.6,0.1,0.1,0.1 (on only for item 0): MI = 1 − ¾·H₂(⅓)
 *      = 1.5 − ¾·log₂3. */
static Snapshot *probe_snapshot(void)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {3, 2, 2, 2}};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), 4);
    cr_assert_not_null(s);
    const uint8_t labels[4] = {0, 1, 0, 1};
    const float hl1[8] = {0.9f, 0.7f, 0.2f, 0.7f, 0.6f, 0.7f, 0.4f, 0.7f};
    const float hl2[8] = {0.9f, 0.6f, 0.9f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
    memcpy(s->probe_labels, labels, sizeof labels);
    memcpy(s->acts[0], hl1, sizeof hl1);
    memcpy(s->acts[1], hl2, sizeof hl2);
    return s;
}

static const double HL2_UNIT1 = 1.5 - 0.75 * 1.584962500721156; /* 1.5 − ¾·log₂3 */

Test(metrics_info, layer_means_of_ih_match_hand_values)
{
    Snapshot *s = probe_snapshot();
    InfoMetric *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_metric_new(&m, msg), ST_OK);
    for (int pass = 0; pass < 2; pass++) { /* buffers are reused: same answer twice */
        cr_assert_eq(info_metric_epoch(s, m, msg), ST_OK, "%s", msg);
        cr_assert_float_eq(snapshot_metric(s, "ih_hl1_mean"), 0.5, 1e-12);
        cr_assert_float_eq(snapshot_metric(s, "ih_hl2_mean"), HL2_UNIT1 / 2.0, 1e-12);
    }
    cr_assert(isnan(snapshot_metric(s, "ih_hl3_mean")), "the output layer is not a hidden layer");
    double ih[2];
    cr_assert_eq(info_snapshot_ih(s, 1, ih, msg), ST_OK);
    cr_assert_float_eq(ih[0], 1.0, 1e-12);
    cr_assert_float_eq(ih[1], 0.0, 1e-12);
    cr_assert_eq(info_snapshot_ih(s, 2, ih, msg), ST_OK);
    cr_assert_float_eq(ih[0], 0.0, 1e-12);
    cr_assert_float_eq(ih[1], HL2_UNIT1, 1e-12);
    cr_assert_float_eq(ih[1], 0.31127812445913283, 1e-12);
    cr_assert_eq(info_snapshot_ih(s, 0, ih, msg), ST_EINVAL, "layer 0 is the input");
    cr_assert_eq(info_snapshot_ih(s, 3, ih, msg), ST_EINVAL, "layer 3 is the output");
    info_metric_free(m);
    snapshot_release(s);
}

Test(metrics_info, no_probe_items_no_keys_and_nan_is_an_error)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {3, 2, 2}};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), 0);
    InfoMetric *m = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(info_metric_new(&m, msg), ST_OK);
    cr_assert_eq(info_metric_epoch(s, m, msg), ST_OK);
    cr_assert_eq(s->n_metrics, 0, "nothing recorded without probe items");
    snapshot_release(s);

    s = probe_snapshot();
    s->acts[1][3] = NAN;
    cr_assert_eq(info_metric_epoch(s, m, msg), ST_EINVAL, "a NaN activation is never silently off");
    cr_assert(strstr(msg, "not finite") != NULL, "%s", msg);
    snapshot_release(s);
    info_metric_free(m);
    info_metric_free(NULL);
}

/* docs/methods.md §17 example as a data set: eight 1×2 images, labels 0,0,0,0,1,1,1,1. */
static Dataset *methods_dataset(void)
{
    Dataset *d = calloc(1, sizeof *d);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(imageset_alloc(&d->train, 8, 1, 2, msg), ST_OK);
    const uint8_t p0[8] = {0, 0, 10, 200, 150, 200, 220, 255};
    for (size_t i = 0; i < 8; i++) {
        d->train.pixels[2 * i] = p0[i];
        d->train.labels[i] = i < 4 ? 0 : 1;
    }
    d->train.n_classes = 2;
    return d;
}

typedef struct {
    PixelInfo *pi;
    PixelInfoView v;
    Status st;
} GetArgs;

static void *get_thread(void *arg)
{
    GetArgs *g = arg;
    char msg[STATUS_MSG_LEN];
    g->st = pixel_info_get(g->pi, &g->v, msg);
    return NULL;
}

Test(metrics_info, pixel_info_is_computed_once_with_the_methods_values)
{
    Dataset *d = methods_dataset();
    PixelInfo *pi = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pixel_info_new(d, &pi, msg), ST_OK);
    cr_assert_eq(pixel_info_data(pi), d);
    GetArgs g[2] = {{.pi = pi}, {.pi = pi}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, get_thread, &g[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    cr_assert_eq(g[0].st, ST_OK);
    cr_assert_eq(g[1].st, ST_OK);
    cr_assert_eq(g[0].v.ip, g[1].v.ip, "both threads see the one cached computation");
    const PixelInfoView *v = &g[0].v;
    cr_assert_eq(v->n_pixels, 2);
    cr_assert_eq(v->rows, 1);
    cr_assert_eq(v->cols, 2);
    cr_assert_eq(v->n_items, 8);
    cr_assert_float_eq(v->ip[0], 0.5487949406953986, 1e-12);
    cr_assert_float_eq(v->ip[1], 0.0, 1e-15);
    cr_assert_float_eq(v->id[0], 0.27807190511263774, 1e-12);
    cr_assert_float_eq(v->id[1], 0.0, 1e-15);
    cr_assert_float_eq(v->mean[0], (10.0 + 200 + 150 + 200 + 220 + 255) / (255.0 * 8), 1e-12);
    cr_assert_float_eq(v->mean[1], 0.0, 1e-15);
    cr_assert_eq(v->live[0], 1);
    cr_assert_eq(v->live[1], 0, "pixel 1 is never on");
    cr_assert_eq(v->n_live, 1);
    PixelInfoView again;
    cr_assert_eq(pixel_info_get(pi, &again, msg), ST_OK);
    cr_assert_eq(again.id, v->id, "a second call returns the cached arrays");
    pixel_info_free(pi);
    pixel_info_free(NULL);
    cr_assert_eq(pixel_info_new(NULL, &pi, msg), ST_EINVAL);
    dataset_free(d);
}
