/* Benchmark of the default MLP (784-100-100-10): one epoch of 8,000 digits at
 * batch 1 and at batch 32, one BLAS thread. Uses the bundled digits when
 * found (./data or $NEUROTOP_DATA), otherwise synthetic 19%-sparse inputs.
 *
 *   bench_mlp                      time batch 1 and batch 32 (best of --reps)
 *   bench_mlp --accuracy 20        train 20 epochs at lr 0.3 batch 1 and print
 *                                  held-out accuracy per epoch
 * Options: --reps N (default 3), --lr X, --batch B (for --accuracy),
 * --seed S, --init uniform|zero|tiny.
 * Lines starting with "result" are parsed by run_mlp.sh. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/core/linalg.h"
#include "neurotop/core/rng.h"
#include "neurotop/data/dataset.h"
#include "neurotop/model/model.h"

#define N_TRAIN 8000

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    size_t n_train, n_test, pixels, classes;
    float *train_x, *test_x;
    int *train_y, *test_y;
    const char *source;
} Data;

static int load_data(Data *d)
{
    char msg[STATUS_MSG_LEN];
    Dataset *ds = NULL;
    memset(d, 0, sizeof *d);
    if (dataset_open("mnist10k", &ds, msg) == ST_OK) {
        d->pixels = ds->train.rows * ds->train.cols;
        d->n_train = ds->train.n < N_TRAIN ? ds->train.n : N_TRAIN;
        d->n_test = ds->test.n;
        d->classes = 10;
        d->source = "bundled mnist10k";
    } else {
        fprintf(stderr, "bench_mlp: %s; using synthetic 19%%-sparse inputs\n", msg);
        d->pixels = 784;
        d->n_train = N_TRAIN;
        d->n_test = 2000;
        d->classes = 10;
        d->source = "synthetic";
    }
    d->train_x = malloc(d->n_train * d->pixels * sizeof(float));
    d->test_x = malloc(d->n_test * d->pixels * sizeof(float));
    d->train_y = malloc(d->n_train * sizeof(int));
    d->test_y = malloc(d->n_test * sizeof(int));
    if (!d->train_x || !d->test_x || !d->train_y || !d->test_y)
        return -1;
    if (ds) {
        for (size_t i = 0; i < d->n_train; i++) {
            imageset_item_float(&ds->train, i, d->train_x + i * d->pixels);
            d->train_y[i] = ds->train.labels[i];
        }
        for (size_t i = 0; i < d->n_test; i++) {
            imageset_item_float(&ds->test, i, d->test_x + i * d->pixels);
            d->test_y[i] = ds->test.labels[i];
        }
        dataset_free(ds);
        return 0;
    }
    Rng r;
    rng_seed(&r, 7, 0);
    for (size_t i = 0; i < d->n_train + d->n_test; i++) {
        float *x = i < d->n_train ? d->train_x + i * d->pixels
                                  : d->test_x + (i - d->n_train) * d->pixels;
        for (size_t p = 0; p < d->pixels; p++)
            x[p] = rng_uniform(&r) < 0.19 ? (float)rng_uniform(&r) : 0.0f;
        int label = (int)rng_below(&r, d->classes);
        if (i < d->n_train)
            d->train_y[i] = label;
        else
            d->test_y[i - d->n_train] = label;
    }
    return 0;
}

static Model *new_model(const Data *d, uint64_t seed, ModelInit init)
{
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "mlp");
    c.n_layers = 4;
    c.sizes[0] = d->pixels;
    c.sizes[1] = 100;
    c.sizes[2] = 100;
    c.sizes[3] = d->classes;
    c.init = init;
    c.seed = seed;
    char msg[STATUS_MSG_LEN];
    Model *m = NULL;
    if (model_new(&c, &m, msg) != ST_OK) {
        fprintf(stderr, "bench_mlp: %s\n", msg);
        exit(1);
    }
    return m;
}

static double time_epoch(const Data *d, size_t batch, int reps)
{
    double best = INFINITY;
    char msg[STATUS_MSG_LEN];
    for (int r = 0; r < reps; r++) {
        Model *m = new_model(d, 1, MODEL_INIT_UNIFORM);
        double loss = 0.0, t0 = now_seconds();
        if (m->ops->train(m, d->train_x, d->train_y, d->n_train, batch, 0.3f, &loss, msg) != ST_OK) {
            fprintf(stderr, "bench_mlp: %s\n", msg);
            exit(1);
        }
        double dt = now_seconds() - t0;
        if (dt < best)
            best = dt;
        model_free(m);
    }
    return best;
}

static void run_accuracy(const Data *d, int epochs, float lr, size_t batch, uint64_t seed,
                         ModelInit init)
{
    char msg[STATUS_MSG_LEN];
    Model *m = new_model(d, seed, init);
    size_t *order = malloc(d->n_train * sizeof *order);
    float *x = malloc(d->n_train * d->pixels * sizeof(float));
    int *y = malloc(d->n_train * sizeof(int));
    uint32_t confusion[100];
    Evaluation ev = {.confusion = d->classes <= 10 ? confusion : NULL};
    if (!order || !x || !y)
        exit(1);
    Rng r;
    rng_seed(&r, seed, 1);
    rng_permutation(&r, order, d->n_train);
    model_evaluate(m, d->test_x, d->test_y, d->n_test, &ev);
    printf("epoch 0 test_acc %.4f test_loss %.4f\n", ev.accuracy, ev.loss);
    for (int e = 1; e <= epochs; e++) {
        rng_shuffle_size(&r, order, d->n_train);
        for (size_t i = 0; i < d->n_train; i++) {
            memcpy(x + i * d->pixels, d->train_x + order[i] * d->pixels, d->pixels * sizeof(float));
            y[i] = d->train_y[order[i]];
        }
        double loss = 0.0, t0 = now_seconds();
        if (m->ops->train(m, x, y, d->n_train, batch, lr, &loss, msg) != ST_OK) {
            fprintf(stderr, "bench_mlp: %s\n", msg);
            exit(1);
        }
        double dt = now_seconds() - t0;
        model_evaluate(m, d->test_x, d->test_y, d->n_test, &ev);
        printf("epoch %d train_loss %.4f test_acc %.4f test_loss %.4f seconds %.3f\n", e,
               loss / (double)d->n_train, ev.accuracy, ev.loss, dt);
        fflush(stdout);
    }
    free(order);
    free(x);
    free(y);
    model_free(m);
}

int main(int argc, char **argv)
{
    int reps = 3, accuracy_epochs = 0;
    float lr = 0.3f;
    size_t batch = 1;
    uint64_t seed = 1;
    ModelInit init = MODEL_INIT_UNIFORM;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bench_mlp: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--reps") == 0)
            reps = atoi(v);
        else if (strcmp(a, "--accuracy") == 0)
            accuracy_epochs = atoi(v);
        else if (strcmp(a, "--lr") == 0)
            lr = strtof(v, NULL);
        else if (strcmp(a, "--batch") == 0)
            batch = (size_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--init") == 0)
            init = strcmp(v, "zero") == 0   ? MODEL_INIT_ZERO
                   : strcmp(v, "tiny") == 0 ? MODEL_INIT_TINY
                                            : MODEL_INIT_UNIFORM;
        else {
            fprintf(stderr, "bench_mlp: unknown option %s\n", a);
            return 2;
        }
        i++;
    }
    if (reps < 1 || batch < 1) {
        fprintf(stderr, "bench_mlp: --reps and --batch must be at least 1\n");
        return 2;
    }
    linalg_set_threads(1);
    Data d;
    if (load_data(&d) != 0) {
        fprintf(stderr, "bench_mlp: out of memory\n");
        return 1;
    }
    printf("data: %s, %zu training examples\n", d.source, d.n_train);
    if (accuracy_epochs > 0) {
        printf("784-100-100-10, lr %g, batch %zu, init %s, seed %llu\n", (double)lr, batch,
               model_init_name(init), (unsigned long long)seed);
        run_accuracy(&d, accuracy_epochs, lr, batch, seed, init);
    } else {
        const size_t batches[2] = {1, 32};
        for (int k = 0; k < 2; k++) {
            double s = time_epoch(&d, batches[k], reps);
            printf("result neurotop batch %zu seconds %.4f examples_per_sec %.0f\n", batches[k], s,
                   (double)d.n_train / s);
        }
    }
    free(d.train_x);
    free(d.test_x);
    free(d.train_y);
    free(d.test_y);
    return 0;
}
