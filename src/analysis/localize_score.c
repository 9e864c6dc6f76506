#include "neurotop/analysis/localize.h"

#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/netdist.h"

Status localize_score(const NetLayout *layout, const size_t *test, const size_t *assigned,
                      size_t n_test, const unsigned char *silent, LocalizeResult *r,
                      LocalizeProgressFn progress, void *ctx, char *msg)
{
    NetDist *nd = NULL;
    Status st = netdist_new(layout, &nd, msg);
    if (st != ST_OK)
        return st;
    size_t n = netlayout_neurons(layout), L = layout->n_layers;
    uint16_t *dist = malloc(n * sizeof *dist);
    size_t *layer_of = malloc(n_test * sizeof *layer_of);
    if (!dist || !layer_of) {
        st = status_fail(msg, ST_ENOMEM, "out of memory scoring %zu neurons", n_test);
        goto done;
    }
    r->n_layers = L;
    r->n_total_test = n_test;
    r->n_correct = 0;
    double se[NETLAYOUT_MAX_LAYERS] = {0}, sa[NETLAYOUT_MAX_LAYERS] = {0},
           ss[NETLAYOUT_MAX_LAYERS] = {0}, sb[NETLAYOUT_MAX_LAYERS] = {0},
           sg[NETLAYOUT_MAX_LAYERS] = {0};
    for (size_t l = 0; l < L; l++) {
        r->n_test[l] = r->n_test_silent[l] = r->n_silent[l] = 0;
        for (size_t j = netlayout_offset(layout, l); j < netlayout_offset(layout, l + 1); j++)
            r->n_silent[l] += silent[j] != 0;
    }
    for (size_t i = 0; i < n_test; i++) {
        if (test[i] >= n || assigned[i] >= n) {
            st = status_fail(msg, ST_EINVAL, "test neuron %zu or its location is out of range", i);
            goto done;
        }
        layer_of[i] = netlayout_pos(layout, test[i]).layer;
        r->n_test[layer_of[i]]++;
        r->n_test_silent[layer_of[i]] += silent[test[i]] != 0;
    }
    for (size_t i = 0; i < n_test; i++) {
        netdist_from(nd, test[i], dist);
        size_t l = layer_of[i];
        double e = dist[assigned[i]];
        se[l] += e * e;
        (silent[test[i]] ? ss : sa)[l] += e * e;
        r->n_correct += assigned[i] == test[i];
        /* Under a uniformly random one-to-one assignment σ(i) is uniform
         * over the test locations (of the layer, for the layer baseline),
         * so E[d²] is the mean squared distance to them. */
        double b = 0, g = 0;
        for (size_t j = 0; j < n_test; j++) {
            double dd = (double)dist[test[j]] * dist[test[j]];
            g += dd;
            if (layer_of[j] == l)
                b += dd;
        }
        sb[l] += b / (double)r->n_test[l];
        sg[l] += g / (double)n_test;
        if (progress && (i % 256 == 255 || i + 1 == n_test) &&
            progress(ctx, "distances", (double)(i + 1) / (double)n_test)) {
            st = status_fail(msg, ST_ECANCELED, "localisation canceled");
            goto done;
        }
    }
    size_t counted = 0;
    double me = 0, ma = 0, ms = 0, mb = 0, mg = 0, fl = 0;
    for (size_t l = 0; l < L; l++) {
        double k = (double)r->n_test[l];
        if (k == 0) {
            r->err[l] = r->err_active[l] = r->err_silent[l] = 0;
            r->baseline[l] = r->baseline_layer[l] = 0;
            continue;
        }
        r->err[l] = sqrt(se[l] / k);
        r->err_active[l] = sqrt(sa[l] / k);
        r->err_silent[l] = sqrt(ss[l] / k);
        r->baseline_layer[l] = sqrt(sb[l] / k);
        r->baseline[l] = sqrt(sg[l] / k);
        counted++;
        me += r->err[l];
        ma += r->err_active[l];
        ms += r->err_silent[l];
        mb += r->baseline_layer[l];
        mg += r->baseline[l];
        const NetLayer *c = &layout->layers[l];
        if (c->kind == LAYER_DENSE && c->families > 1)
            fl += r->baseline_layer[l];
    }
    double q = counted ? (double)counted : 1.0;
    r->mean_err = me / q;
    r->mean_active = ma / q;
    r->mean_silent = ms / q;
    r->mean_baseline = mg / q;
    r->mean_baseline_layer = mb / q;
    r->floor = fl / q;
done:
    free(dist);
    free(layer_of);
    netdist_free(nd);
    return st;
}
