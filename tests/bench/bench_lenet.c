/* Benchmark of one LeNet epoch (seed paper 004's network: 20@5x5, pool,
 * 50@5x5, pool, 500, 10) over 8,000 digits in mini-batches of 32 with Adam
 * at lr 0.001, one BLAS thread. Uses the bundled digits when found (./data
 * or $NEUROTOP_DATA), otherwise synthetic 19%-sparse inputs and random
 * labels.
 *
 *   bench_lenet [--reps N] [--batch B]
 * Lines starting with "result" are parsed by run_lenet.sh. */

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
    size_t reps = 3, batch = 32;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--reps") == 0)
            reps = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--batch") == 0)
            batch = (size_t)strtoul(argv[i + 1], NULL, 10);
    }
    if (reps < 1 || batch < 1) {
        fprintf(stderr, "bench_lenet: --reps and --batch must be at least 1\n");
        return 2;
    }
    linalg_set_threads(1);
    size_t n = 0;
    const char *source = "";
    int *y = malloc(BENCH_DIGITS * sizeof *y);
    float *x = y ? bench_digits(&n, y, &source) : NULL;
    if (!x) {
        fprintf(stderr, "bench_lenet: out of memory\n");
        free(y);
        return 1;
    }
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "lenet");
    c.n_layers = 2;
    c.sizes[0] = 784;
    c.sizes[1] = 10;
    c.in_rows = c.in_cols = 28;
    c.seed = 1;
    model_config_shape(&c);
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    if (model_new(&c, &m, msg)) {
        fprintf(stderr, "bench_lenet: %s\n", msg);
        free(x);
        free(y);
        return 1;
    }
    double best = 1e300, loss_mean = 0.0;
    for (size_t r = 0; r < reps; r++) {
        double loss = 0.0, t0 = bench_now();
        if (m->ops->train(m, x, y, n, batch, 0.001f, &loss, msg)) {
            fprintf(stderr, "bench_lenet: %s\n", msg);
            break;
        }
        double dt = bench_now() - t0;
        best = dt < best ? dt : best;
        loss_mean = loss / (double)n;
    }
    printf("bench_lenet: LeNet 20@5x5-pool-50@5x5-pool-500-10, Adam, %zu examples (%s), batch %zu, 1 BLAS "
           "thread\n",
           n, source, batch);
    printf("result lenet_epoch_s %.4f\n", best);
    printf("last epoch's mean training loss %.4f\n", loss_mean);
    model_free(m);
    free(x);
    free(y);
    return 0;
}
