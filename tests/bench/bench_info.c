/* Benchmark of the information and comparison analyses (docs/methods.md §17-§22):
 * IP/ID over the bundled 10,000 digits (synthetic images when the data are
 * not found), IH on 2,000 × 100 activations, a 10,000-permutation test on
 * 784 entries, 28×28 EMDs (two digits, and two dense fields) and a
 * 1,000 × 1,000 assignment (matrix and callback). Prints best-of-3 times.
 * Lines starting with "result" are one figure each. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/analysis/assign.h"
#include "neurotop/analysis/emd.h"
#include "neurotop/analysis/info.h"
#include "neurotop/analysis/permtest.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"

#define REPS 3

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_info: %s: %s\n", what, msg);
    exit(1);
}

/* All 10,000 bundled digits (train then test), or synthetic blobs. */
static const char *load_images(uint8_t **px, uint8_t **lab, size_t *n)
{
    char msg[STATUS_MSG_LEN];
    Dataset *ds = NULL;
    if (dataset_open("mnist10k", &ds, msg) == ST_OK && ds->train.rows * ds->train.cols == 784) {
        *n = ds->train.n + ds->test.n;
        *px = malloc(*n * 784);
        *lab = malloc(*n);
        if (!*px || !*lab)
            die("load", "out of memory");
        memcpy(*px, ds->train.pixels, ds->train.n * 784);
        memcpy(*px + ds->train.n * 784, ds->test.pixels, ds->test.n * 784);
        memcpy(*lab, ds->train.labels, ds->train.n);
        memcpy(*lab + ds->train.n, ds->test.labels, ds->test.n);
        dataset_free(ds);
        return "bundled mnist10k";
    }
    Rng r;
    rng_seed(&r, 1, 0);
    *n = 10000;
    *px = calloc(*n, 784);
    *lab = malloc(*n);
    if (!*px || !*lab)
        die("load", "out of memory");
    for (size_t i = 0; i < *n; i++) {
        (*lab)[i] = (uint8_t)rng_below(&r, 10);
        /* A class-dependent 8×8 blob, about 19% of the pixels non-zero. */
        size_t r0 = 4 + (*lab)[i] % 5 * 3, c0 = 4 + (*lab)[i] / 5 * 8;
        for (size_t p = 0; p < 150; p++) {
            size_t rr = r0 + rng_below(&r, 8), cc = c0 + rng_below(&r, 8);
            (*px)[i * 784 + rr * 28 + cc] = (uint8_t)(128 + rng_below(&r, 128));
        }
    }
    return "synthetic blobs (mnist10k not found)";
}

typedef struct {
    const double *x, *y;
    size_t n;
} RowCost;

static double row_cost(void *ctx, size_t i, size_t j)
{
    const RowCost *c = ctx;
    return fabs(c->x[i] - c->y[j]) + 0.1 * (double)((i * 31 + j * 17) % 97);
}

int main(void)
{
    char msg[STATUS_MSG_LEN];
    double t0, best;
    uint8_t *px, *lab;
    size_t n;
    const char *src = load_images(&px, &lab, &n);
    printf("data: %zu images from %s\n", n, src);

    double ip[784], id[784];
    int theta[784];
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (info_pixel_ip_id(px, lab, n, 784, ip, id, theta, msg))
            die("ip", msg);
        best = fmin(best, now_seconds() - t0);
    }
    double ipmax = 0;
    for (int p = 0; p < 784; p++)
        ipmax = fmax(ipmax, ip[p]);
    printf("result ip_id_seconds %.4f  (%zu × 784, max IP %.4f bits)\n", best, n, ipmax);

    Rng r;
    rng_seed(&r, 2, 0);
    enum { HN = 2000, HU = 100 };
    float *act = malloc(sizeof(float) * HN * HU);
    int *hl = malloc(sizeof(int) * HN);
    double ih[HU];
    if (!act || !hl)
        die("ih", "out of memory");
    for (size_t i = 0; i < HN; i++) {
        hl[i] = (int)rng_below(&r, 10);
        for (size_t j = 0; j < HU; j++)
            act[i * HU + j] = (float)rng_uniform(&r) + (j % 10 == (size_t)hl[i] ? 0.3f : 0.0f);
    }
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (info_hidden_ih(act, HN, HU, HU, hl, ih, msg))
            die("ih", msg);
        best = fmin(best, now_seconds() - t0);
    }
    printf("result ih_seconds %.6f  (2000 × 100)\n", best);

    /* Permutation test: IP against mean intensity per pixel. */
    double mean[784];
    for (int p = 0; p < 784; p++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += px[i * 784 + p];
        mean[p] = s / (double)n;
    }
    PermTest pt;
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (permtest_run(ip, mean, NULL, 784, 10000, 0, &pt, msg))
            die("permtest", msg);
        best = fmin(best, now_seconds() - t0);
    }
    printf("result permtest_seconds %.4f  (784 entries, 10000 perms; r(IP, mean) = %.4f, p = %.5f)\n",
           best, pt.r, pt.p);

    /* EMD between two digits (~150 non-zero pixels each) and two dense fields. */
    double a[784], b[784], d = 0;
    size_t pick[2] = {0, 0}, np = 0, nz[2] = {0, 0};
    /* The first two digits with 140..160 non-zero pixels. */
    for (size_t i = 0; i < n && np < 2; i++) {
        size_t c = 0;
        for (int p = 0; p < 784; p++)
            c += px[i * 784 + p] > 0;
        if (c >= 140 && c <= 160) {
            nz[np] = c;
            pick[np++] = i;
        }
    }
    for (int p = 0; p < 784; p++) {
        a[p] = px[pick[0] * 784 + p];
        b[p] = px[pick[1] * 784 + p];
    }
    size_t nza = nz[0], nzb = nz[1];
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (emd_images(a, b, 28, 28, &d, msg))
            die("emd", msg);
        best = fmin(best, now_seconds() - t0);
    }
    printf("result emd_digits_seconds %.5f  (%zu × %zu non-zero pixels, EMD %.4f)\n", best, nza, nzb, d);
    for (int p = 0; p < 784; p++) {
        a[p] = rng_uniform(&r);
        b[p] = pow(rng_uniform(&r), 3.0);
    }
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (emd_images(a, b, 28, 28, &d, msg))
            die("emd dense", msg);
        best = fmin(best, now_seconds() - t0);
    }
    printf("result emd_dense_seconds %.4f  (784 × 784 pixels, EMD %.4f)\n", best, d);

    enum { AN = 1000 };
    double *cost = malloc(sizeof(double) * AN * AN), *x = malloc(sizeof(double) * AN),
           *y = malloc(sizeof(double) * AN);
    size_t *asg = malloc(sizeof(size_t) * AN);
    if (!cost || !x || !y || !asg)
        die("assign", "out of memory");
    for (size_t t = 0; t < (size_t)AN * AN; t++)
        cost[t] = rng_uniform(&r);
    double total = 0;
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (assign_solve(cost, AN, asg, &total, msg))
            die("assign", msg);
        best = fmin(best, now_seconds() - t0);
    }
    printf("result assign_seconds %.4f  (1000 × 1000 uniform costs, optimum %.4f)\n", best, total);
    for (size_t i = 0; i < AN; i++) {
        x[i] = rng_uniform(&r);
        y[i] = rng_uniform(&r);
    }
    RowCost rc = {x, y, AN};
    best = INFINITY;
    for (int k = 0; k < REPS; k++) {
        t0 = now_seconds();
        if (assign_solve_fn(row_cost, &rc, AN, asg, &total, NULL, NULL, msg))
            die("assign_fn", msg);
        best = fmin(best, now_seconds() - t0);
    }
    printf("result assign_callback_seconds %.4f  (1000 × 1000 costs computed on the fly)\n", best);

    free(cost);
    free(x);
    free(y);
    free(asg);
    free(act);
    free(hl);
    free(px);
    free(lab);
    return 0;
}
