#include "neurotop/analysis/localize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/assign.h"
#include "neurotop/analysis/netdist.h"
#include "neurotop/core/rng.h"

enum { Q_LAYER, Q_FAMILY, Q_X, Q_Y };

typedef struct {
    int what;
    size_t layer, k;
    Forest *forest;
} Classifier;

/* Log-confidence tables: per test neuron T floats, laid out as the layer
 * term (n_layers values), then per layer its family, column and row terms. */
typedef struct {
    size_t T, fam_off[NETLAYOUT_MAX_LAYERS], x_off[NETLAYOUT_MAX_LAYERS],
        y_off[NETLAYOUT_MAX_LAYERS];
    float *tab;
    size_t *rowperm, *colperm;
    NetPos *loc; /* per test location */
    const LocalizeOptions *opt;
} CostCtx;

LocalizeOptions localize_options_default(void)
{
    LocalizeOptions o = {.split = LOC_SPLIT_CHECKERBOARD, .smoothing = 0.01};
    o.forest = forest_options_default();
    return o;
}

void localize_result_done(LocalizeResult *r)
{
    if (!r)
        return;
    free(r->test);
    free(r->assigned);
    memset(r, 0, sizeof *r);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* train[j] for every neuron j of the layout. */
static void make_split(const NetLayout *layout, const LocalizeOptions *o, unsigned char *train,
                       size_t *scratch)
{
    Rng rng;
    rng_seed(&rng, o->seed, 1);
    for (size_t l = 0; l < layout->n_layers; l++) {
        size_t off = netlayout_offset(layout, l), cnt = netlayout_layer_neurons(layout, l);
        const NetLayer *c = &layout->layers[l];
        if (o->split == LOC_SPLIT_RANDOM) {
            rng_permutation(&rng, scratch, cnt);
            for (size_t i = 0; i < cnt; i++)
                train[off + scratch[i]] = i < cnt / 2;
            continue;
        }
        for (size_t i = 0; i < cnt; i++) {
            size_t x = i % c->width, y = i / c->width % c->height, f = i / (c->width * c->height);
            train[off + i] = c->height * c->width > 1 ? (x + y) % 2 == 0 : f % 2 == 0;
        }
    }
}

static size_t list_classifiers(const NetLayout *layout, Classifier *q)
{
    size_t nq = 0;
    q[nq++] = (Classifier){Q_LAYER, 0, layout->n_layers, NULL};
    for (size_t l = 0; l < layout->n_layers; l++) {
        const NetLayer *c = &layout->layers[l];
        int spatial = c->height * c->width > 1;
        if (c->families > 1 && spatial)
            q[nq++] = (Classifier){Q_FAMILY, l, c->families, NULL};
        if (c->width > 1)
            q[nq++] = (Classifier){Q_X, l, c->width, NULL};
        if (c->height > 1)
            q[nq++] = (Classifier){Q_Y, l, c->height, NULL};
    }
    return nq;
}

static int label_of(const Classifier *q, NetPos p)
{
    switch (q->what) {
    case Q_LAYER:
        return (int)p.layer;
    case Q_FAMILY:
        return (int)p.family;
    case Q_X:
        return (int)p.x;
    default:
        return (int)p.y;
    }
}

static Status train_one(const NetLayout *layout, const LocFeatures *f, const unsigned char *train,
                        const LocalizeOptions *o, Classifier *q, size_t index, float *xs, int *ys,
                        char *msg)
{
    size_t m = 0;
    for (size_t j = 0; j < f->n; j++) {
        if (!train[j])
            continue;
        NetPos p = netlayout_pos(layout, j);
        if (q->what != Q_LAYER && p.layer != q->layer)
            continue;
        memcpy(xs + m * f->d, f->x + j * f->d, f->d * sizeof *xs);
        ys[m++] = label_of(q, p);
    }
    if (m == 0) /* nothing to learn from: the table falls back to uniform */
        return ST_OK;
    ForestOptions fo = o->forest;
    fo.seed = o->seed * 1000003u + index;
    /* Layers differ wildly in size (LeNet: 11,520 against 10), so the layer
     * question is trained on a layer-balanced set (seed 004 §5.1). */
    fo.balance = q->what == Q_LAYER;
    if (fo.max_features > f->d)
        fo.max_features = 0;
    return forest_train(xs, m, f->d, ys, q->k, &fo, &q->forest, msg);
}

static void fill_logs(float *dst, const double *p, size_t k, double s)
{
    for (size_t c = 0; c < k; c++)
        dst[c] = (float)log((1.0 - s) * p[c] + s / (double)k);
}

static void fill_table(const NetLayout *layout, const LocFeatures *f, const Classifier *q,
                       size_t nq, const LocalizeOptions *o, CostCtx *cc, const size_t *test,
                       size_t n_test, double *p)
{
    size_t L = layout->n_layers;
    for (size_t i = 0; i < n_test; i++) {
        float *t = cc->tab + i * cc->T;
        const float *x = f->x + test[i] * f->d;
        /* Trivial questions first: one family or one row/column is certain;
         * dense families carry no signal, so every family is equally likely. */
        for (size_t l = 0; l < L; l++) {
            const NetLayer *c = &layout->layers[l];
            float uf = (float)-log((double)c->families);
            for (size_t k = 0; k < c->families; k++)
                t[cc->fam_off[l] + k] = uf;
            for (size_t k = 0; k < c->width; k++)
                t[cc->x_off[l] + k] = (float)-log((double)c->width);
            for (size_t k = 0; k < c->height; k++)
                t[cc->y_off[l] + k] = (float)-log((double)c->height);
        }
        for (size_t l = 0; l < L; l++)
            t[l] = (float)-log((double)L);
        for (size_t c = 0; c < nq; c++) {
            if (!q[c].forest)
                continue;
            forest_predict(q[c].forest, x, p);
            size_t l = q[c].layer;
            float *dst = q[c].what == Q_LAYER    ? t
                         : q[c].what == Q_FAMILY ? t + cc->fam_off[l]
                         : q[c].what == Q_X      ? t + cc->x_off[l]
                                                 : t + cc->y_off[l];
            fill_logs(dst, p, q[c].k, o->smoothing);
        }
    }
}

/* Cost of giving shuffled row r (a test neuron) shuffled column c (a test
 * location): minus its summed log-confidence, seed 004 eq. (1). */
static double cost_at(void *ctx, size_t r, size_t c)
{
    const CostCtx *cc = ctx;
    const float *t = cc->tab + cc->rowperm[r] * cc->T;
    NetPos p = cc->loc[cc->colperm[c]];
    return -((double)t[p.layer] + t[cc->fam_off[p.layer] + p.family] + t[cc->x_off[p.layer] + p.x] +
             t[cc->y_off[p.layer] + p.y]);
}

static int assign_progress(void *ctx, size_t done, size_t n)
{
    const CostCtx *cc = ctx;
    if (!cc->opt->progress)
        return 0;
    return cc->opt->progress(cc->opt->progress_ctx, "assignment", (double)done / (double)n);
}

Status localize_run(const NetLayout *layout, const LocFeatures *f, const LocalizeOptions *opt,
                    LocalizeResult *out, char *msg)
{
    memset(out, 0, sizeof *out);
    LocalizeOptions o = opt ? *opt : localize_options_default();
    Status st = netlayout_check(layout, msg);
    if (st != ST_OK)
        return st;
    size_t n = netlayout_neurons(layout), L = layout->n_layers;
    if (f->n != n)
        return status_fail(msg, ST_EINVAL, "features describe %zu neurons, the network has %zu", f->n,
                           n);
    if (o.smoothing <= 0 || o.smoothing >= 1)
        return status_fail(msg, ST_EINVAL, "smoothing must lie in (0, 1)");
    Classifier q[1 + 3 * NETLAYOUT_MAX_LAYERS];
    size_t nq = list_classifiers(layout, q);
    CostCtx cc = {.opt = &o};
    size_t T = L;
    for (size_t l = 0; l < L; l++) {
        const NetLayer *c = &layout->layers[l];
        cc.fam_off[l] = T;
        cc.x_off[l] = T + c->families;
        cc.y_off[l] = T + c->families + c->width;
        T += c->families + c->width + c->height;
    }
    cc.T = T;
    unsigned char *train = malloc(n);
    size_t *scratch = malloc(n * sizeof *scratch), *assign = NULL;
    float *xs = malloc(n * f->d * sizeof *xs);
    int *ys = malloc(n * sizeof *ys);
    double *p = malloc(n * sizeof *p);
    if (!train || !scratch || !xs || !ys || !p) {
        st = status_fail(msg, ST_ENOMEM, "out of memory localising %zu neurons", n);
        goto done;
    }
    make_split(layout, &o, train, scratch);
    size_t nt = 0;
    for (size_t j = 0; j < n; j++)
        nt += !train[j];
    if (nt == 0) {
        st = status_fail(msg, ST_EINVAL, "the split leaves no neuron to localise");
        goto done;
    }
    out->test = malloc(nt * sizeof *out->test);
    out->assigned = malloc(nt * sizeof *out->assigned);
    cc.tab = malloc(nt * T * sizeof *cc.tab);
    cc.rowperm = malloc(nt * sizeof *cc.rowperm);
    cc.colperm = malloc(nt * sizeof *cc.colperm);
    cc.loc = malloc(nt * sizeof *cc.loc);
    assign = malloc(nt * sizeof *assign);
    if (!out->test || !out->assigned || !cc.tab || !cc.rowperm || !cc.colperm || !cc.loc ||
        !assign) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for the confidences of %zu neurons", nt);
        goto done;
    }
    nt = 0;
    for (size_t j = 0; j < n; j++)
        if (!train[j]) {
            cc.loc[nt] = netlayout_pos(layout, j);
            out->test[nt++] = j;
        }
    out->n_total_test = nt;
    out->n_classifiers = nq;
    double t0 = now();
    for (size_t c = 0; c < nq; c++) {
        st = train_one(layout, f, train, &o, &q[c], c, xs, ys, msg);
        if (st != ST_OK)
            goto done;
        if (o.progress && o.progress(o.progress_ctx, "forests", (double)(c + 1) / (double)nq)) {
            st = status_fail(msg, ST_ECANCELED, "localisation canceled");
            goto done;
        }
    }
    fill_table(layout, f, q, nq, &o, &cc, out->test, nt, p);
    double t1 = now();
    out->t_forests = t1 - t0;
    /* Shuffled rows and columns: among equally good assignments the solver
     * picks by position, and position must say nothing about the answer. */
    Rng rng;
    rng_seed(&rng, o.seed, 2);
    rng_permutation(&rng, cc.rowperm, nt);
    rng_permutation(&rng, cc.colperm, nt);
    double total = 0;
    st = assign_solve_fn(cost_at, &cc, nt, assign, &total, assign_progress, &cc, msg);
    if (st != ST_OK)
        goto done;
    for (size_t r = 0; r < nt; r++)
        out->assigned[cc.rowperm[r]] = out->test[cc.colperm[assign[r]]];
    double t2 = now();
    out->t_assign = t2 - t1;
    st = localize_score(layout, out->test, out->assigned, nt, f->silent, out, o.progress,
                        o.progress_ctx, msg);
    out->t_score = now() - t2;
done:
    for (size_t c = 0; c < nq; c++)
        forest_free(q[c].forest);
    free(train);
    free(scratch);
    free(xs);
    free(ys);
    free(p);
    free(cc.tab);
    free(cc.rowperm);
    free(cc.colperm);
    free(cc.loc);
    free(assign);
    if (st != ST_OK)
        localize_result_done(out);
    return st;
}
