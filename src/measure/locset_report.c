/* The JSON and the screen picture of a localisation (measure/locset.h). */
#include "neurotop/measure/locset.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The paper's figures are LeNet's: shown only beside LeNet. */
static double paper_for(const NetLayout *layout, const char *name)
{
    NetLayout lenet;
    netlayout_lenet(&lenet);
    int same = layout->n_layers == lenet.n_layers;
    for (size_t l = 0; same && l < lenet.n_layers; l++) {
        const NetLayer *a = &layout->layers[l], *b = &lenet.layers[l];
        same = a->kind == b->kind && a->families == b->families && a->height == b->height &&
               a->width == b->width && a->kernel == b->kernel;
    }
    return same ? locset_paper_error(name) : NAN;
}

static void kv_real_or_null(JsonWriter *w, const char *key, double v)
{
    json_key(w, key);
    if (isfinite(v))
        json_real(w, v);
    else
        json_null(w);
}

void locset_json_fields(const NetLayout *layout, const LocSetResult *r, JsonWriter *w)
{
    const LocalizeResult *x = &r->result;
    json_kv_string(w, "stimulus", r->name);
    json_kv_int(w, "images", (long long)r->images);
    json_kv_real(w, "error", x->mean_err);
    json_kv_real(w, "error_active", x->mean_active);
    json_kv_real(w, "error_silent", x->mean_silent);
    json_kv_real(w, "random", x->mean_baseline);
    json_kv_real(w, "random_within_layer", x->mean_baseline_layer);
    json_kv_real(w, "floor", x->floor);
    kv_real_or_null(w, "paper", paper_for(layout, r->name));
    json_kv_int(w, "test", (long long)x->n_total_test);
    json_kv_int(w, "correct", (long long)x->n_correct);
    json_key(w, "layers");
    json_array_begin(w);
    for (size_t l = 0; l < x->n_layers && l < layout->n_layers; l++) {
        json_object_begin(w);
        json_kv_string(w, "name", layout->layers[l].name);
        json_kv_int(w, "neurons", (long long)netlayout_layer_neurons(layout, l));
        json_kv_int(w, "test", (long long)x->n_test[l]);
        json_kv_int(w, "silent", (long long)x->n_silent[l]);
        json_kv_int(w, "silent_test", (long long)x->n_test_silent[l]);
        json_kv_real(w, "error", x->err[l]);
        json_kv_real(w, "error_active", x->err_active[l]);
        json_kv_real(w, "error_silent", x->err_silent[l]);
        json_kv_real(w, "random", x->baseline[l]);
        json_kv_real(w, "random_within_layer", x->baseline_layer[l]);
        json_object_end(w);
    }
    json_array_end(w);
    if (r->n_random) {
        json_key(w, "random_splits");
        json_object_begin(w);
        json_kv_int(w, "n", (long long)r->n_random);
        kv_real_or_null(w, "mean", r->random_mean);
        kv_real_or_null(w, "sd", r->random_sd);
        json_object_end(w);
    }
    json_key(w, "seconds");
    json_object_begin(w);
    json_kv_real(w, "stimuli", r->t_stimuli);
    json_kv_real(w, "responses", r->t_responses);
    json_kv_real(w, "moments", r->t_moments);
    json_kv_real(w, "correlation", r->t_corr);
    json_kv_real(w, "eigenvectors", r->t_eig);
    json_kv_real(w, "forests", r->t_forests);
    json_kv_real(w, "assignment", r->t_assign);
    json_kv_real(w, "distances", r->t_score);
    json_object_end(w);
}

#define BAR 30

void locset_picture(const NetLayout *layout, const LocSetResult *r, StrBuf *out)
{
    const LocalizeResult *x = &r->result;
    double scale = 0;
    for (size_t l = 0; l < x->n_layers; l++)
        scale = fmax(scale, fmax(x->baseline[l], x->err[l]));
    if (scale <= 0)
        scale = 1;
    strbuf_printf(out, "localisation · %s · %zu images · %zu of %zu neurons placed\n", r->name,
                  r->images, x->n_total_test, netlayout_neurons(layout));
    strbuf_printf(out, "%-11s %-10s %6s %6s  %-*s %6s %6s\n", "layer", "shape", "silent", "test",
                  BAR + 2, "error (# up to | = random)", "error", "random");
    for (size_t l = 0; l < x->n_layers && l < layout->n_layers; l++) {
        const NetLayer *c = &layout->layers[l];
        char shape[32], bar[BAR + 3];
        snprintf(shape, sizeof shape, "%zu@%zux%zu", c->families, c->height, c->width);
        size_t fill = (size_t)lround(x->err[l] / scale * BAR);
        size_t mark = (size_t)lround(x->baseline[l] / scale * BAR);
        bar[0] = '[';
        for (size_t k = 0; k < BAR; k++)
            bar[1 + k] = k < fill ? '#' : '.';
        if (mark >= 1 && mark <= BAR)
            bar[mark] = '|';
        bar[BAR + 1] = ']';
        bar[BAR + 2] = '\0';
        strbuf_printf(out, "%-11s %-10s %6zu %6zu  %s %6.2f %6.2f\n", c->name, shape, x->n_silent[l],
                      x->n_test[l], bar, x->err[l], x->baseline[l]);
    }
    strbuf_printf(out, "error %.2f (active %.2f, silent %.2f) · random %.2f · floor %.2f", x->mean_err,
                  x->mean_active, x->mean_silent, x->mean_baseline, x->floor);
    double paper = paper_for(layout, r->name);
    if (isfinite(paper))
        strbuf_printf(out, " · paper %.1f (random %.1f)", paper, LOCSET_PAPER_RANDOM);
    strbuf_append(out, "\n");
    if (r->n_random)
        strbuf_printf(out, "random splits: %.2f ± %.2f over %zu\n", r->random_mean,
                      isfinite(r->random_sd) ? r->random_sd : 0.0, r->n_random);
}
