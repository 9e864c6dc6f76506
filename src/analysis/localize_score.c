#include "neurotop/analysis/localize.h"

#include <math.h>
#include <stdlib.h>

#include "neurotop/analysis/netdist.h"

/* Swapping family f with family 0 in every layer of a family group (a layer
 * and the pooling layers stacked on it share family numbers) maps the graph
 * onto itself, so the distances from (l, f, y, x) are those from
 * (l, 0, y, x) with the two families' blocks exchanged. */
static void swap_families(const NetLayout *layout, const size_t *group, size_t g, size_t f,
                          uint16_t *dist)
{
    for (size_t l = 0; l < layout->n_layers; l++) {
        if (group[l] != g)
            continue;
        const NetLayer *c = &layout->layers[l];
        size_t hw = c->height * c->width, off = netlayout_offset(layout, l);
        uint16_t *a = dist + off, *b = dist + off + f * hw;
        for (size_t k = 0; k < hw; k++) {
            uint16_t t = a[k];
            a[k] = b[k];
            b[k] = t;
        }
    }
}

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
    size_t *order = malloc(n_test * sizeof *order), *cls = malloc(n_test * sizeof *cls);
    size_t n_cls = 0, cls_off[NETLAYOUT_MAX_LAYERS + 1],
           group[NETLAYOUT_MAX_LAYERS];
    for (size_t l = 0; l < L; l++) {
        cls_off[l] = n_cls;
        n_cls += layout->layers[l].height * layout->layers[l].width;
        group[l] = l > 0 && layout->layers[l].kind == LAYER_POOL ? group[l - 1] : l;
    }
    size_t *start = calloc(n_cls + 1, sizeof *start);
    if (!dist || !layer_of || !order || !cls || !start) {
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
    /* One search per (layer, y, x) with test neurons, in that order. */
    for (size_t i = 0; i < n_test; i++) {
        NetPos p = netlayout_pos(layout, test[i]);
        cls[i] = cls_off[p.layer] + p.y * layout->layers[p.layer].width + p.x;
        start[cls[i] + 1]++;
    }
    for (size_t c = 0; c < n_cls; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < n_test; i++)
        order[start[cls[i]]++] = i;
    size_t searched = SIZE_MAX;
    for (size_t oi = 0; oi < n_test; oi++) {
        size_t i = order[oi];
        NetPos p = netlayout_pos(layout, test[i]);
        size_t fam = p.family;
        if (cls[i] != searched) {
            p.family = 0;
            netdist_from(nd, netlayout_index(layout, p), dist);
            searched = cls[i];
        }
        if (fam != 0)
            swap_families(layout, group, group[p.layer], fam, dist);
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
        if (fam != 0)
            swap_families(layout, group, group[p.layer], fam, dist);
        sb[l] += b / (double)r->n_test[l];
        sg[l] += g / (double)n_test;
        if (progress && (oi % 256 == 255 || oi + 1 == n_test) &&
            progress(ctx, "distances", (double)(oi + 1) / (double)n_test)) {
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
    free(order);
    free(cls);
    free(start);
    netdist_free(nd);
    return st;
}
