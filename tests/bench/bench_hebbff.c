/* Accuracy and speed of HebbFF (seed paper 001) on the continual
 * familiarity task, trained the way the trainer will train it: every epoch
 * the plastic state is reset and the whole training stream is fed in order
 * through ops->train in truncation windows of --window steps (one Adam
 * step per window); then the test stream is evaluated from A = 0.
 *
 *   bench_hebbff [--epochs E] [--window W] [--lr X] [--seed S] [--n N]
 *                [--m M] [--r R] [--p P] [--chains] [--fresh]
 *                [--train-t T] [--test-t T] [--every K] [--target A]
 *                [--stop]
 *
 * Defaults: N 100, M 120, R 5, P 0.5, no chains, fixed 2,500-step training
 * stream, separate 2,500-step test stream, window 50, Adam 1e-3, 100
 * epochs, seed 1, a line every 10 epochs. --fresh draws a new training
 * stream every epoch (familiarity_epoch_stream) instead of repeating the
 * fixed one. One BLAS thread. Prints per epoch (every K): test accuracy,
 * TPR, FPR, lambda, eta, mean training loss, seconds of training; then a
 * "result" line with the first epoch at or above --target (default 0.9; -1
 * when never) and the mean seconds per epoch (training only, and training +
 * evaluation), and a "check" line for the requirement (>= 90% test
 * accuracy with a negative learned eta).
 *
 * Measured (seeds 1-5, defaults): 90% after 7-9 epochs, 96.6-97.6% at
 * epoch 50, 96.7-97.3% at 100, then a slow decline as the fixed stream is
 * memorised (91.9% at epoch 1000, seed 1); eta -0.25 at epoch 150. With
 * --fresh --window 100 --lr 3e-3: 98.3-99.2% at 50, 99.9-100% by 1000. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "neurotop/core/linalg.h"
#include "neurotop/data/familiarity.h"
#include "neurotop/model/hebbff.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    size_t epochs, window, n, m, r, train_t, test_t, every;
    double lr, p, target;
    unsigned long long seed;
    int chains, fresh, stop;
} Opts;

static int parse(int argc, char **argv, Opts *o)
{
    *o = (Opts){100, 50, 100, 120, 5, 2500, 2500, 10, 1e-3, 0.5, 0.9, 1, 0, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--chains") == 0) {
            o->chains = 1;
            continue;
        }
        if (strcmp(a, "--fresh") == 0) {
            o->fresh = 1;
            continue;
        }
        if (strcmp(a, "--stop") == 0) {
            o->stop = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "bench_hebbff: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (strcmp(a, "--epochs") == 0)
            o->epochs = strtoul(v, NULL, 10);
        else if (strcmp(a, "--window") == 0)
            o->window = strtoul(v, NULL, 10);
        else if (strcmp(a, "--n") == 0)
            o->n = strtoul(v, NULL, 10);
        else if (strcmp(a, "--m") == 0)
            o->m = strtoul(v, NULL, 10);
        else if (strcmp(a, "--r") == 0)
            o->r = strtoul(v, NULL, 10);
        else if (strcmp(a, "--train-t") == 0)
            o->train_t = strtoul(v, NULL, 10);
        else if (strcmp(a, "--test-t") == 0)
            o->test_t = strtoul(v, NULL, 10);
        else if (strcmp(a, "--every") == 0)
            o->every = strtoul(v, NULL, 10);
        else if (strcmp(a, "--lr") == 0)
            o->lr = strtod(v, NULL);
        else if (strcmp(a, "--p") == 0)
            o->p = strtod(v, NULL);
        else if (strcmp(a, "--target") == 0)
            o->target = strtod(v, NULL);
        else if (strcmp(a, "--seed") == 0)
            o->seed = strtoull(v, NULL, 10);
        else {
            fprintf(stderr, "bench_hebbff: unknown option %s\n", a);
            return -1;
        }
    }
    if (o->every == 0)
        o->every = 1;
    return 0;
}

static int to_floats(const ImageSet *s, float **x, int **y)
{
    const size_t px = s->rows * s->cols;
    *x = malloc(s->n * px * sizeof(float));
    *y = malloc(s->n * sizeof(int));
    if (!*x || !*y)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        imageset_item_float(s, i, *x + i * px);
        (*y)[i] = s->labels[i];
    }
    return 0;
}

int main(int argc, char **argv)
{
    Opts o;
    if (parse(argc, argv, &o) != 0)
        return 2;
    linalg_set_threads(1);
    char msg[STATUS_MSG_LEN];
    Dataset *d = NULL;
    if (familiarity_dataset(&d, o.n, o.r, o.p, o.chains, o.train_t, o.test_t, o.seed, msg)) {
        fprintf(stderr, "bench_hebbff: %s\n", msg);
        return 1;
    }
    ModelConfig c;
    memset(&c, 0, sizeof c);
    strcpy(c.kind, "hebbff");
    c.n_layers = 3;
    c.sizes[0] = o.n;
    c.sizes[1] = o.m;
    c.sizes[2] = 2;
    c.seed = o.seed;
    Model *m = NULL;
    float *tx = NULL, *ex = NULL;
    int *ty = NULL, *ey = NULL;
    if (model_new(&c, &m, msg) || to_floats(&d->train, &tx, &ty) || to_floats(&d->test, &ex, &ey)) {
        fprintf(stderr, "bench_hebbff: %s\n", m ? "out of memory" : msg);
        return 1;
    }
    printf("hebbff N %zu M %zu R %zu P %g chains %d %s training stream of %zu steps, test %zu, "
           "window %zu, Adam lr %g, seed %llu\n",
           o.n, o.m, o.r, o.p, o.chains, o.fresh ? "fresh" : "fixed", o.train_t, o.test_t,
           o.window, o.lr, o.seed);
    printf("%6s %8s %7s %7s %8s %9s %9s %8s\n", "epoch", "test_acc", "tpr", "fpr", "lambda",
           "eta", "loss", "seconds");
    long reached = -1;
    double train_sec = 0.0, total_sec = 0.0, acc = 0.0;
    size_t done = 0;
    uint32_t conf[4];
    for (size_t e = 1; e <= o.epochs; e++) {
        double t0 = now_seconds();
        if (o.fresh && e > 1) {
            ImageSet s;
            if (familiarity_epoch_stream(&s, o.train_t, o.n, o.r, o.p, o.chains, o.seed, e, msg)) {
                fprintf(stderr, "bench_hebbff: %s\n", msg);
                return 1;
            }
            free(tx);
            free(ty);
            int bad = to_floats(&s, &tx, &ty);
            imageset_done(&s);
            if (bad)
                return 1;
        }
        double t1 = now_seconds(), loss = 0.0;
        m->ops->reset_state(m);
        if (m->ops->train(m, tx, ty, o.train_t, o.window, (float)o.lr, &loss, msg)) {
            fprintf(stderr, "bench_hebbff: %s\n", msg);
            return 1;
        }
        double t2 = now_seconds();
        Evaluation ev = {.confusion = conf};
        if (model_evaluate(m, ex, ey, o.test_t, &ev)) {
            fprintf(stderr, "bench_hebbff: evaluation failed\n");
            return 1;
        }
        double t3 = now_seconds();
        train_sec += t2 - t1;
        total_sec += t3 - t0;
        done = e;
        acc = ev.accuracy;
        double tpr = (double)conf[3] / (double)(conf[2] + conf[3]);
        double fpr = (double)conf[1] / (double)(conf[0] + conf[1]);
        if (reached < 0 && acc >= o.target)
            reached = (long)e;
        if (e % o.every == 0 || e == o.epochs || (o.stop && reached > 0))
            printf("%6zu %8.4f %7.4f %7.4f %8.4f %9.5f %9.5f %8.4f\n", e, acc, tpr, fpr,
                   hebbff_lambda(&c, m->params), hebbff_eta(&c, m->params),
                   loss / (double)o.train_t, t2 - t1);
        fflush(stdout);
        if (o.stop && reached > 0)
            break;
    }
    printf("result hebbff epochs_to_target %ld target %.3f final_acc %.4f eta %.5f "
           "train_sec_per_epoch %.4f epoch_sec_with_eval %.4f epochs %zu\n",
           reached, o.target, acc, hebbff_eta(&c, m->params), train_sec / (double)done,
           total_sec / (double)done, done);
    double eta = hebbff_eta(&c, m->params);
    printf("check %.0f%% test accuracy reached (epoch %ld) and eta < 0 (%.4f): %s\n",
           100.0 * o.target, reached, eta, reached > 0 && eta < 0.0 ? "PASS" : "FAIL");
    model_free(m);
    dataset_free(d);
    free(tx);
    free(ty);
    free(ex);
    free(ey);
    return 0;
}
