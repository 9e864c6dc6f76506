/* Benchmark of one RBM epoch: a 784-500 DBN layer trained by CD-1 over
 * 8,000 digits in mini-batches of 100 at lr 0.1 (the recipe of seed paper
 * 002), one BLAS thread. About 10·n·V·H = 31.4 GFLOP per epoch. Uses the
 * bundled digits when found (./data or $NEUROTOP_DATA), otherwise
 * synthetic 19%-sparse inputs.
 *
 *   bench_dbn [--reps N] [--hidden H] [--cd K]
 * Lines starting with "result" are parsed by run_dbn.sh. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"

#include "bench_digits.h"

int main(int argc, char **argv)
{
    size_t reps = 3, hidden = 500, cd = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--reps") == 0)
            reps = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--hidden") == 0)
            hidden = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--cd") == 0)
            cd = (size_t)strtoul(argv[i + 1], NULL, 10);
    }
    if (reps < 1 || hidden < 1 || cd < 1) {
        fprintf(stderr, "bench_dbn: --reps, --hidden and --cd must be at least 1\n");
        return 2;
    }
    linalg_set_threads(1);
    size_t n = 0;
    const char *source = "";
    float *x = bench_digits(&n, NULL, &source);
    if (!x) {
        fprintf(stderr, "bench_dbn: out of memory\n");
        return 1;
    }
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "dbn");
    c.n_layers = 2;
    c.sizes[0] = 784;
    c.sizes[1] = hidden;
    c.n_kparams = 1;
    c.kparams[0] = (double)cd;
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    if (model_new(&c, &m, msg)) {
        fprintf(stderr, "bench_dbn: %s\n", msg);
        free(x);
        return 1;
    }
    double best = 1e300, recon = 0.0;
    for (size_t r = 0; r < reps; r++) {
        m->ops->set_epoch(m, r);
        double loss = 0.0, t0 = bench_now();
        if (m->ops->train(m, x, NULL, n, 100, 0.1f, &loss, msg)) {
            fprintf(stderr, "bench_dbn: %s\n", msg);
            break;
        }
        double dt = bench_now() - t0;
        best = dt < best ? dt : best;
        recon = loss / (double)n;
    }
    /* up 2nVH, each Gibbs step down and up 4nVH, the two statistics 4nVH */
    double gflop = (6.0 + 4.0 * (double)cd) * (double)n * 784.0 * (double)hidden / 1e9;
    printf("bench_dbn: 784-%zu RBM, CD-%zu, %zu examples (%s), batch 100, 1 BLAS thread\n", hidden, cd, n,
           source);
    printf("result dbn_epoch_s %.4f\n", best);
    printf("result dbn_gflops %.1f\n", gflop / best);
    printf("last epoch's training reconstruction error %.3f per image\n", recon);
    model_free(m);
    free(x);
    return 0;
}
