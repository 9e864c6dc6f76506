#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/netdist.h"

static void layer(NetLayout *l, size_t i, LayerKind kind, size_t f, size_t h, size_t w, size_t k)
{
    l->layers[i] = (NetLayer){.kind = kind, .families = f, .height = h, .width = w, .kernel = k};
    l->n_layers = i + 1;
}

/* input 1×3×3, conv 2@2×2 (k 2), pool 2@1×1 (k 2), dense 3, dense 2. */
static NetLayout tiny(void)
{
    NetLayout l = {0};
    layer(&l, 0, LAYER_INPUT, 1, 3, 3, 0);
    layer(&l, 1, LAYER_CONV, 2, 2, 2, 2);
    layer(&l, 2, LAYER_POOL, 2, 1, 1, 2);
    layer(&l, 3, LAYER_DENSE, 3, 1, 1, 0);
    layer(&l, 4, LAYER_DENSE, 2, 1, 1, 0);
    return l;
}

Test(netdist, tiny_by_hand)
{
    NetLayout l = tiny();
    char msg[512];
    cr_assert_eq(netlayout_check(&l, msg), ST_OK, "%s", msg);
    NetDist *nd = NULL;
    cr_assert_eq(netdist_new(&l, &nd, msg), ST_OK);
    size_t n = netlayout_neurons(&l);
    cr_assert_eq(n, 9 + 8 + 2 + 3 + 2);
    uint16_t d[24];
    netdist_from(nd, 0, d); /* input pixel (0,0) */
    /* pixels: (0,0) 0; the rest of conv (0,0)'s window 2; others reached
     * through conv (y,x) ≠ (0,0) at 3, so 4 */
    uint16_t want_in[9] = {0, 2, 4, 2, 2, 4, 4, 4, 4};
    for (size_t i = 0; i < 9; i++)
        cr_assert_eq(d[i], want_in[i], "pixel %zu: %u", i, d[i]);
    /* conv: position (0,0) of both families 1, the rest 3 (via pixels or pool) */
    for (size_t f = 0; f < 2; f++)
        for (size_t p = 0; p < 4; p++)
            cr_assert_eq(d[9 + f * 4 + p], p == 0 ? 1 : 3);
    cr_assert_eq(d[17], 2);
    cr_assert_eq(d[18], 2);
    for (size_t i = 19; i < 22; i++)
        cr_assert_eq(d[i], 3);
    cr_assert_eq(d[22], 4);
    cr_assert_eq(d[23], 4);
    /* from pool family 1: its conv family 1 at 1, conv family 0 at 3 (pixel in between) */
    netdist_from(nd, 18, d);
    cr_assert_eq(d[9 + 4], 1);
    cr_assert_eq(d[9], 3);
    cr_assert_eq(d[17], 2); /* the other pool neuron through a dense neuron */
    cr_assert_eq(d[4], 2);  /* centre pixel is in every window */
    netdist_free(nd);
}

/* Plain BFS over an explicit adjacency list, built from the definition. */
static void brute(const NetLayout *l, size_t src, uint16_t *out)
{
    size_t n = netlayout_neurons(l);
    unsigned char *adj = calloc(n * n, 1);
    for (size_t i = 0; i < n; i++) {
        NetPos p = netlayout_pos(l, i);
        if (p.layer == 0)
            continue;
        const NetLayer *c = &l->layers[p.layer], *b = &l->layers[p.layer - 1];
        for (size_t j = netlayout_offset(l, p.layer - 1); j < netlayout_offset(l, p.layer); j++) {
            NetPos q = netlayout_pos(l, j);
            int e = 0;
            if (c->kind == LAYER_DENSE)
                e = 1;
            else if (c->kind == LAYER_CONV)
                e = q.y >= p.y && q.y < p.y + c->kernel && q.x >= p.x && q.x < p.x + c->kernel;
            else
                e = q.family == p.family && q.y / c->kernel == p.y && q.x / c->kernel == p.x &&
                    q.y < c->kernel * c->height && q.x < c->kernel * c->width;
            (void)b;
            if (e)
                adj[i * n + j] = adj[j * n + i] = 1;
        }
    }
    size_t *queue = malloc(n * sizeof *queue), h = 0, t = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = UINT16_MAX;
    out[src] = 0;
    queue[t++] = src;
    while (h < t) {
        size_t i = queue[h++];
        for (size_t j = 0; j < n; j++)
            if (adj[i * n + j] && out[j] == UINT16_MAX) {
                out[j] = (uint16_t)(out[i] + 1);
                queue[t++] = j;
            }
    }
    free(queue);
    free(adj);
}

Test(netdist, matches_brute_force_on_a_small_net)
{
    /* input 7×7, conv 2@5×5 (k 3), pool 2@2×2 (k 2, the fifth row and
     * column left out), conv 3@1×1 (k 2), dense 4, dense 2 */
    NetLayout l = {0};
    layer(&l, 0, LAYER_INPUT, 1, 7, 7, 0);
    layer(&l, 1, LAYER_CONV, 2, 5, 5, 3);
    layer(&l, 2, LAYER_POOL, 2, 2, 2, 2);
    layer(&l, 3, LAYER_CONV, 3, 1, 1, 2);
    layer(&l, 4, LAYER_DENSE, 4, 1, 1, 0);
    layer(&l, 5, LAYER_DENSE, 2, 1, 1, 0);
    char msg[512];
    cr_assert_eq(netlayout_check(&l, msg), ST_OK, "%s", msg);
    size_t n = netlayout_neurons(&l);
    NetDist *nd = NULL;
    cr_assert_eq(netdist_new(&l, &nd, msg), ST_OK);
    uint16_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    double s1 = 0, s2 = 0;
    unsigned mx = 0;
    for (size_t src = 0; src < n; src++) {
        netdist_from(nd, src, a);
        brute(&l, src, b);
        for (size_t j = 0; j < n; j++) {
            cr_assert_eq(a[j], b[j], "from %zu to %zu: %u vs %u", src, j, a[j], b[j]);
            s1 += b[j];
            s2 += (double)b[j] * b[j];
            mx = b[j] > mx ? b[j] : mx;
        }
    }
    double mean, rms;
    unsigned dmax;
    cr_assert_eq(netdist_pair_stats(&l, &mean, &rms, &dmax, msg), ST_OK);
    double pairs = (double)n * (double)(n - 1);
    cr_assert_float_eq(mean, s1 / pairs, 1e-12);
    cr_assert_float_eq(rms, sqrt(s2 / pairs), 1e-12);
    cr_assert_eq(dmax, mx);
    free(a);
    free(b);
    netdist_free(nd);
}

Test(netdist, lenet_diameter_and_mean)
{
    NetLayout l;
    netlayout_lenet(&l);
    double mean, rms;
    unsigned mx;
    char msg[512];
    cr_assert_eq(netdist_pair_stats(&l, &mean, &rms, &mx, msg), ST_OK, "%s", msg);
    /* LeNet's known figures: all-pairs mean distance 4.59 (seed 004's
     * random-assignment error, 4.6) and diameter 10; the RMS, 4.8947, is
     * pinned so a change in the search shows */
    cr_assert_eq(mx, 10);
    cr_assert(fabs(mean - 4.59) < 0.005, "mean %f", mean);
    cr_assert(fabs(rms - 4.8947) < 0.0005, "rms %f", rms);
}

Test(netdist, positions_round_trip)
{
    NetLayout l;
    netlayout_lenet(&l);
    for (size_t i = 0; i < netlayout_neurons(&l); i += 7) {
        NetPos p = netlayout_pos(&l, i);
        cr_assert_eq(netlayout_index(&l, p), i);
    }
    NetPos p = netlayout_pos(&l, 784 + 11520 + 2880 + 3 * 64 + 5 * 8 + 6);
    cr_assert_eq(p.layer, 3);
    cr_assert_eq(p.family, 3);
    cr_assert_eq(p.y, 5);
    cr_assert_eq(p.x, 6);
}

Test(netdist, misfit_layers_are_rejected)
{
    NetLayout l = tiny();
    char msg[512];
    l.layers[1].height = 3;
    cr_assert_eq(netlayout_check(&l, msg), ST_EINVAL);
    cr_assert(strstr(msg, "convolution") != NULL, "%s", msg);
    l = tiny();
    l.layers[2].families = 3;
    cr_assert_eq(netlayout_check(&l, msg), ST_EINVAL);
    l = tiny();
    l.layers[3].height = 2;
    cr_assert_eq(netlayout_check(&l, msg), ST_EINVAL);
    l = tiny();
    l.layers[2].kind = LAYER_INPUT;
    cr_assert_eq(netlayout_check(&l, msg), ST_EINVAL);
    NetDist *nd = (NetDist *)1;
    cr_assert_eq(netdist_new(&l, &nd, msg), ST_EINVAL);
    cr_assert_null(nd);
}
