#include "neurotop/analysis/netdist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNSEEN UINT16_MAX

struct NetDist {
    NetLayout layout;
    size_t n;
    size_t off[NETLAYOUT_MAX_LAYERS + 1];
    size_t *queue;
    /* Per layer, per position (y·W + x): all families there are queued; the
     * convolution group below this position was expanded; the convolution
     * group above it was expanded. Per layer: the whole layer is queued;
     * its dense neighbours below / above were expanded. */
    unsigned char *flags;
    size_t pos_off[NETLAYOUT_MAX_LAYERS + 1];
    unsigned char layer_all[NETLAYOUT_MAX_LAYERS], dense_down[NETLAYOUT_MAX_LAYERS],
        dense_up[NETLAYOUT_MAX_LAYERS];
    uint16_t *dist;
    size_t head, tail;
};

Status netlayout_check(const NetLayout *layout, char *msg)
{
    if (!layout || layout->n_layers < 2 || layout->n_layers > NETLAYOUT_MAX_LAYERS)
        return status_fail(msg, ST_EINVAL, "a network layout needs 2 to %d layers",
                           NETLAYOUT_MAX_LAYERS);
    for (size_t l = 0; l < layout->n_layers; l++) {
        const NetLayer *c = &layout->layers[l];
        if (c->families == 0 || c->height == 0 || c->width == 0)
            return status_fail(msg, ST_EINVAL, "layer %zu (%s) has an empty dimension", l, c->name);
        if ((c->kind == LAYER_INPUT) != (l == 0))
            return status_fail(msg, ST_EINVAL, "layer %zu (%s): the input must be layer 0 and only it",
                               l, c->name);
        if (c->height > 4096 || c->width > 4096 || c->families > 65536)
            return status_fail(msg, ST_EINVAL, "layer %zu (%s) is too large", l, c->name);
        if (l == 0)
            continue;
        const NetLayer *p = &layout->layers[l - 1];
        size_t k = c->kernel;
        if (c->kind == LAYER_CONV) {
            if (k == 0 || p->height + 1 != c->height + k || p->width + 1 != c->width + k)
                return status_fail(msg, ST_EINVAL,
                                   "layer %zu (%s): a %zu×%zu convolution of %zu×%zu does not give %zu×%zu",
                                   l, c->name, k, k, p->height, p->width, c->height, c->width);
        } else if (c->kind == LAYER_POOL) {
            if (k == 0 || c->families != p->families || k * c->height > p->height ||
                k * c->width > p->width || (c->height + 1) * k <= p->height ||
                (c->width + 1) * k <= p->width)
                return status_fail(msg, ST_EINVAL,
                                   "layer %zu (%s): %zu×%zu pooling of %zu@%zu×%zu does not give %zu@%zu×%zu",
                                   l, c->name, k, k, p->families, p->height, p->width, c->families,
                                   c->height, c->width);
        } else if (c->height != 1 || c->width != 1) {
            return status_fail(msg, ST_EINVAL, "layer %zu (%s): a dense layer must be families×1×1",
                               l, c->name);
        }
    }
    if (netlayout_neurons(layout) >= UNSEEN * (size_t)256)
        return status_fail(msg, ST_EINVAL, "the network has too many neurons for distances");
    return ST_OK;
}

NetPos netlayout_pos(const NetLayout *layout, size_t index)
{
    NetPos p = {0, 0, 0, 0};
    size_t l = 0;
    while (l + 1 < layout->n_layers && index >= netlayout_layer_neurons(layout, l)) {
        index -= netlayout_layer_neurons(layout, l);
        l++;
    }
    const NetLayer *c = &layout->layers[l];
    p.layer = l;
    p.x = index % c->width;
    p.y = index / c->width % c->height;
    p.family = index / (c->width * c->height);
    return p;
}

size_t netlayout_index(const NetLayout *layout, NetPos p)
{
    const NetLayer *c = &layout->layers[p.layer];
    return netlayout_offset(layout, p.layer) + (p.family * c->height + p.y) * c->width + p.x;
}

Status netdist_new(const NetLayout *layout, NetDist **out, char *msg)
{
    *out = NULL;
    Status st = netlayout_check(layout, msg);
    if (st != ST_OK)
        return st;
    NetDist *nd = calloc(1, sizeof *nd);
    if (!nd)
        return status_fail(msg, ST_ENOMEM, "out of memory for graph distances");
    nd->layout = *layout;
    nd->n = netlayout_neurons(layout);
    for (size_t l = 0; l <= layout->n_layers; l++) {
        nd->off[l] = netlayout_offset(layout, l);
        nd->pos_off[l] = l == 0 ? 0
                                : nd->pos_off[l - 1] + 3 * layout->layers[l - 1].height *
                                                           layout->layers[l - 1].width;
    }
    nd->queue = malloc(nd->n * sizeof *nd->queue);
    nd->flags = malloc(nd->pos_off[layout->n_layers] + 1);
    if (!nd->queue || !nd->flags) {
        netdist_free(nd);
        return status_fail(msg, ST_ENOMEM, "out of memory for graph distances");
    }
    *out = nd;
    return ST_OK;
}

void netdist_free(NetDist *nd)
{
    if (!nd)
        return;
    free(nd->queue);
    free(nd->flags);
    free(nd);
}

static void visit(NetDist *nd, size_t j, uint16_t d)
{
    if (nd->dist[j] == UNSEEN) {
        nd->dist[j] = d;
        nd->queue[nd->tail++] = j;
    }
}

static void queue_layer(NetDist *nd, size_t l, uint16_t d)
{
    if (nd->layer_all[l])
        return;
    nd->layer_all[l] = 1;
    for (size_t j = nd->off[l]; j < nd->off[l + 1]; j++)
        visit(nd, j, d);
}

/* Flag bank b (0: all families queued, 1: conv group below done, 2: conv
 * group above done) of position pos in layer l. */
static unsigned char *flag(NetDist *nd, size_t l, int b, size_t pos)
{
    const NetLayer *c = &nd->layout.layers[l];
    return &nd->flags[nd->pos_off[l] + (size_t)b * c->height * c->width + pos];
}

static void queue_position(NetDist *nd, size_t l, size_t pos, uint16_t d)
{
    unsigned char *f = flag(nd, l, 0, pos);
    if (nd->layer_all[l] || *f)
        return;
    *f = 1;
    const NetLayer *c = &nd->layout.layers[l];
    size_t hw = c->height * c->width;
    for (size_t fam = 0; fam < c->families; fam++)
        visit(nd, nd->off[l] + fam * hw + pos, d);
}

static void expand_down(NetDist *nd, NetPos p, uint16_t d)
{
    size_t l = p.layer;
    const NetLayer *c = &nd->layout.layers[l], *b = &nd->layout.layers[l - 1];
    size_t k = c->kernel;
    if (c->kind == LAYER_CONV) {
        unsigned char *f = flag(nd, l, 1, p.y * c->width + p.x);
        if (*f)
            return;
        *f = 1;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                queue_position(nd, l - 1, (p.y + i) * b->width + p.x + j, d);
    } else if (c->kind == LAYER_POOL) {
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                visit(nd, nd->off[l - 1] + (p.family * b->height + k * p.y + i) * b->width + k * p.x + j,
                      d);
    } else if (!nd->dense_down[l]) {
        nd->dense_down[l] = 1;
        queue_layer(nd, l - 1, d);
    }
}

static void expand_up(NetDist *nd, NetPos p, uint16_t d)
{
    size_t l = p.layer;
    const NetLayer *c = &nd->layout.layers[l], *a = &nd->layout.layers[l + 1];
    size_t k = a->kernel;
    if (a->kind == LAYER_CONV) {
        unsigned char *f = flag(nd, l, 2, p.y * c->width + p.x);
        if (*f)
            return;
        *f = 1;
        for (size_t i = 0; i < k && i <= p.y; i++) {
            if (p.y - i >= a->height)
                continue;
            for (size_t j = 0; j < k && j <= p.x; j++)
                if (p.x - j < a->width)
                    queue_position(nd, l + 1, (p.y - i) * a->width + p.x - j, d);
        }
    } else if (a->kind == LAYER_POOL) {
        size_t yy = p.y / k, xx = p.x / k;
        if (yy < a->height && xx < a->width)
            visit(nd, nd->off[l + 1] + (p.family * a->height + yy) * a->width + xx, d);
    } else if (!nd->dense_up[l]) {
        nd->dense_up[l] = 1;
        queue_layer(nd, l + 1, d);
    }
}

void netdist_from(NetDist *nd, size_t src, uint16_t *dist)
{
    size_t L = nd->layout.n_layers;
    nd->dist = dist;
    for (size_t j = 0; j < nd->n; j++)
        dist[j] = UNSEEN;
    memset(nd->flags, 0, nd->pos_off[L]);
    memset(nd->layer_all, 0, sizeof nd->layer_all);
    memset(nd->dense_down, 0, sizeof nd->dense_down);
    memset(nd->dense_up, 0, sizeof nd->dense_up);
    nd->head = nd->tail = 0;
    visit(nd, src, 0);
    size_t l = 0;
    while (nd->head < nd->tail) {
        size_t i = nd->queue[nd->head++];
        uint16_t d = (uint16_t)(dist[i] + 1);
        /* Decode the position without a search from layer 0 each time. */
        l = 0;
        while (i >= nd->off[l + 1])
            l++;
        const NetLayer *c = &nd->layout.layers[l];
        size_t r = i - nd->off[l];
        NetPos p = {l, r / (c->height * c->width), r / c->width % c->height, r % c->width};
        if (l > 0)
            expand_down(nd, p, d);
        if (l + 1 < L)
            expand_up(nd, p, d);
    }
}

Status netdist_pair_stats(const NetLayout *layout, double *mean, double *rms, unsigned *max,
                          char *msg)
{
    NetDist *nd = NULL;
    Status st = netdist_new(layout, &nd, msg);
    if (st != ST_OK)
        return st;
    uint16_t *dist = malloc(nd->n * sizeof *dist);
    if (!dist) {
        netdist_free(nd);
        return status_fail(msg, ST_ENOMEM, "out of memory for graph distances");
    }
    double s1 = 0, s2 = 0;
    unsigned mx = 0;
    for (size_t l = 0; l < layout->n_layers; l++) {
        const NetLayer *c = &layout->layers[l];
        for (size_t pos = 0; pos < c->height * c->width; pos++) {
            netdist_from(nd, nd->off[l] + pos, dist);
            double a = 0, b = 0;
            for (size_t j = 0; j < nd->n; j++) {
                a += dist[j];
                b += (double)dist[j] * dist[j];
                if (dist[j] > mx)
                    mx = dist[j];
            }
            s1 += a * (double)c->families;
            s2 += b * (double)c->families;
        }
    }
    double pairs = (double)nd->n * (double)(nd->n - 1);
    *mean = pairs > 0 ? s1 / pairs : 0;
    *rms = pairs > 0 ? sqrt(s2 / pairs) : 0;
    *max = mx;
    free(dist);
    netdist_free(nd);
    return ST_OK;
}
