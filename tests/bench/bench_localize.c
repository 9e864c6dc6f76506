/* Benchmark of the localisation analysis (analysis/localize.h) at the size
 * issue 16 budgets: LeNet's 19,694 neurons and one stimulus set of 10,000
 * images, localised in under 1 minute on 2 cores with under 2.5 GB resident.
 *
 * The responses come from a stand-in: LeNet with random weights (He-scaled
 * normal, small biases), run forward naively on GAUSSIAN images, so the
 * features, forests and assignment see the structure a real network gives.
 * Its forward pass is timed apart and left out of the analysis time; the
 * trained model's own forward is benchmarked with the model.
 *
 * Options: --images N (default 10000), --threads T (BLAS threads, default 2).
 * Lines starting with "result" are the figures, "ratio" the budgets (< 1 is
 * within). Peak RSS is the process's (getrusage), what /usr/bin/time -v
 * reports as "Maximum resident set size". */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "neurotop/analysis/localize.h"
#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/stimuli.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    float w1[20][25], b1[20], w2[50][20][25], b2[50], w3[500][800], b3[500], w4[10][500];
} StandIn;

static void standin_init(StandIn *n, Rng *g)
{
    for (int f = 0; f < 20; f++) {
        n->b1[f] = (float)(0.05 * rng_normal(g));
        for (int i = 0; i < 25; i++)
            n->w1[f][i] = (float)(rng_normal(g) * sqrt(2.0 / 25));
    }
    for (int f = 0; f < 50; f++) {
        n->b2[f] = (float)(0.05 * rng_normal(g));
        for (int c = 0; c < 20; c++)
            for (int i = 0; i < 25; i++)
                n->w2[f][c][i] = (float)(rng_normal(g) * sqrt(2.0 / 500));
    }
    for (int k = 0; k < 500; k++) {
        n->b3[k] = (float)(0.05 * rng_normal(g));
        for (int i = 0; i < 800; i++)
            n->w3[k][i] = (float)(rng_normal(g) * sqrt(2.0 / 800));
    }
    for (int k = 0; k < 10; k++)
        for (int i = 0; i < 500; i++)
            n->w4[k][i] = (float)(rng_normal(g) * sqrt(2.0 / 500));
}

static void pool(const float *in, int fam, int side, float *out)
{
    int h = side / 2;
    for (int f = 0; f < fam; f++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < h; x++) {
                float a = 0;
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) {
                        float v = in[(f * side + 2 * y + i) * side + 2 * x + j];
                        a = v > a ? v : a;
                    }
                out[(f * h + y) * h + x] = a;
            }
}

/* All 19,694 values for one 28×28 image, in NetLayout order. */
static void standin_forward(const StandIn *n, const float *img, float *o)
{
    float *c1 = o + 784, *p1 = c1 + 11520, *c2 = p1 + 2880, *p2 = c2 + 3200, *d = p2 + 800,
          *out = d + 500;
    memcpy(o, img, 784 * sizeof *o);
    for (int f = 0; f < 20; f++)
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 24; x++) {
                float a = n->b1[f];
                for (int i = 0; i < 5; i++)
                    for (int j = 0; j < 5; j++)
                        a += n->w1[f][i * 5 + j] * img[(y + i) * 28 + x + j];
                c1[(f * 24 + y) * 24 + x] = a > 0 ? a : 0;
            }
    pool(c1, 20, 24, p1);
    for (int f = 0; f < 50; f++)
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) {
                float a = n->b2[f];
                for (int c = 0; c < 20; c++)
                    for (int i = 0; i < 5; i++)
                        for (int j = 0; j < 5; j++)
                            a += n->w2[f][c][i * 5 + j] * p1[(c * 12 + y + i) * 12 + x + j];
                c2[(f * 8 + y) * 8 + x] = a > 0 ? a : 0;
            }
    pool(c2, 50, 8, p2);
    for (int k = 0; k < 500; k++) {
        float a = n->b3[k];
        for (int i = 0; i < 800; i++)
            a += n->w3[k][i] * p2[i];
        d[k] = a > 0 ? a : 0;
    }
    float mx = -INFINITY, z = 0;
    for (int k = 0; k < 10; k++) {
        float a = 0;
        for (int i = 0; i < 500; i++)
            a += n->w4[k][i] * d[i];
        out[k] = a;
        mx = a > mx ? a : mx;
    }
    for (int k = 0; k < 10; k++) {
        out[k] = expf(out[k] - mx);
        z += out[k];
    }
    for (int k = 0; k < 10; k++)
        out[k] /= z;
}

int main(int argc, char **argv)
{
    size_t m = 10000;
    int threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--images") == 0)
            m = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
    }
    if (m < 2 || threads < 1) {
        fprintf(stderr, "bench_localize: --images must be >= 2 and --threads >= 1\n");
        return 2;
    }
    linalg_set_threads(threads);
    NetLayout lay;
    netlayout_lenet(&lay);
    size_t n = netlayout_neurons(&lay);
    char msg[STATUS_MSG_LEN];
    StandIn *net = malloc(sizeof *net);
    float *img = malloc(m * 784 * sizeof *img), *resp = malloc(m * n * sizeof *resp);
    if (!net || !img || !resp) {
        fprintf(stderr, "bench_localize: out of memory\n");
        return 1;
    }
    Rng g;
    rng_seed(&g, 1, 0);
    standin_init(net, &g);
    if (stimulus_make(STIM_GAUSSIAN, NULL, m, 28, 28, 0, img, msg) != ST_OK) {
        fprintf(stderr, "bench_localize: %s\n", msg);
        return 1;
    }
    double t0 = now();
    for (size_t i = 0; i < m; i++)
        standin_forward(net, img + i * 784, resp + i * n);
    double t_fwd = now() - t0;
    free(img);
    free(net);
    double t1 = now();
    LocFeatures f;
    if (localize_features(resp, m, n, NULL, &f, msg) != ST_OK) {
        fprintf(stderr, "bench_localize: %s\n", msg);
        return 1;
    }
    free(resp);
    LocalizeResult r;
    if (localize_run(&lay, &f, NULL, &r, msg) != ST_OK) {
        fprintf(stderr, "bench_localize: %s\n", msg);
        return 1;
    }
    double total = now() - t1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double gb = (double)ru.ru_maxrss * 1024.0 / 1e9;
    printf("localisation of LeNet (19,694 neurons), %zu GAUSSIAN images, %d BLAS thread%s; "
           "stand-in responses of a random-weight LeNet (forward %.1f s, not counted)\n",
           m, threads, threads == 1 ? "" : "s", t_fwd);
    printf("result localize_moments      %7.2f s\n", f.t_moments);
    printf("result localize_correlation  %7.2f s\n", f.t_corr);
    printf("result localize_eigenvectors %7.2f s (%zu iterations)\n", f.t_eig, f.eig_iters);
    printf("result localize_forests      %7.2f s (%zu forests)\n", r.t_forests, r.n_classifiers);
    printf("result localize_assignment   %7.2f s (%zu neurons)\n", r.t_assign, r.n_total_test);
    printf("result localize_distances    %7.2f s\n", r.t_score);
    printf("result localize_total        %7.2f s\n", total);
    printf("result localize_peak_rss     %7.2f GB\n", gb);
    printf("result localize_error        %7.3f (random %.3f, floor %.3f)\n", r.mean_err,
           r.mean_baseline, r.floor);
    printf("ratio localize_total/60s     %7.2f\n", total / 60.0);
    printf("ratio localize_rss/2.5GB     %7.2f\n", gb / 2.5);
    localize_result_done(&r);
    loc_features_done(&f);
    return 0;
}
