#include "neurotop/analysis/consensus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/modmatrix.h"

void consensus_options_default(ConsensusOptions *o)
{
    memset(o, 0, sizeof *o);
    o->tau = 0.5;
    o->reps = 10;
    o->max_rounds = 20;
}

Status consensus_agreement(const int *parts, size_t reps, size_t n, Matrix *d, char *msg)
{
    size_t total;
    if (!parts || reps == 0 || n == 0 || size_mul(reps, n, &total))
        return status_fail(msg, ST_EINVAL, "the agreement matrix needs at least one partition");
    if (!d || !d->data || d->rows != n || d->cols != n)
        return status_fail(msg, ST_EINVAL, "the agreement buffer must be %zu×%zu", n, n);
    int *lab = malloc(n * sizeof *lab);
    size_t *start = malloc((n + 1) * sizeof *start), *member = malloc(n * sizeof *member);
    if (!lab || !start || !member) {
        free(lab);
        free(start);
        free(member);
        return status_fail(msg, ST_ENOMEM, "out of memory for the agreement of %zu nodes", n);
    }
    memset(d->data, 0, n * n * sizeof *d->data);
    Status st = ST_OK;
    for (size_t r = 0; r < reps; r++) {
        size_t k;
        if ((st = modmat_relabel(parts + r * n, n, lab, &k, msg)))
            break;
        /* members grouped by module: the cost is Σ|c|², not n² */
        memset(start, 0, (k + 1) * sizeof *start);
        for (size_t i = 0; i < n; i++)
            start[lab[i]]++;
        for (size_t c = 1; c <= k; c++)
            start[c] += start[c - 1];
        for (size_t i = n; i-- > 0;)
            member[--start[lab[i]]] = i;
        /* module c (1..k) now spans member[start[c] .. end(c)) */
        for (size_t c = 1; c <= k; c++) {
            size_t end = c < k ? start[c + 1] : n;
            for (size_t p = start[c]; p < end; p++) {
                double *row = &MAT_AT(d, member[p], 0);
                for (size_t q = start[c]; q < end; q++)
                    row[member[q]] += 1.0;
            }
        }
    }
    if (!st)
        for (size_t i = 0; i < n; i++) {
            double *row = &MAT_AT(d, i, 0);
            for (size_t j = 0; j < n; j++)
                row[j] /= (double)reps;
            row[i] = 0.0;
        }
    free(lab);
    free(start);
    free(member);
    return st;
}

static Status run_batch(const ConsensusOptions *o, const LouvainOp *op, uint64_t stream0,
                        double *q, int *parts, char *msg)
{
    if (o->batch)
        return o->batch(o->batch_user, op, &o->algo, o->seed, stream0, o->reps, q, parts, o->cancel, msg);
    return community_run_range(op, &o->algo, o->seed, stream0, 0, o->reps, q, parts, o->cancel, msg);
}

static void report(const ConsensusOptions *o, double frac)
{
    if (o->progress)
        o->progress(o->progress_user, frac);
}

Status consensus_run(const LouvainOp *orig, const int *parts, size_t reps,
                     const ConsensusOptions *opt, int *out, size_t *k, size_t *rounds,
                     char *msg)
{
    if (!orig || !orig->row || orig->n == 0 || !parts || reps == 0 || !opt || !out)
        return status_fail(msg, ST_EINVAL, "consensus needs an operator, partitions and an output");
    if (!(opt->tau > 0 && opt->tau <= 1) || opt->reps == 0 || opt->max_rounds == 0)
        return status_fail(msg, ST_EINVAL,
                           "consensus needs 0 < tau <= 1, reps >= 1 and max_rounds >= 1");
    size_t n = orig->n, total;
    if (size_mul(opt->reps, n, &total) || total > SIZE_MAX / sizeof(int) ||
        opt->max_rounds > UINT64_MAX / opt->reps / 2)
        return status_fail(msg, ST_EINVAL, "%zu consensus runs of %zu nodes are too many", opt->reps, n);
    Matrix *d = matrix_new(n, n);
    ModSparse sp;
    modsparse_init(&sp);
    int *cur = malloc(total * sizeof *cur);
    double *q = malloc(opt->reps * sizeof *q);
    Status st = ST_OK;
    if (!d || !cur || !q) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for the consensus of %zu nodes", n);
        goto done;
    }
    const int *prev = parts;
    size_t prev_reps = reps, round = 0;
    int agreed = 0;
    while (round < opt->max_rounds && !agreed) {
        if (opt->cancel && *opt->cancel) {
            st = status_fail(msg, ST_ECANCELED, "consensus was cancelled");
            goto done;
        }
        round++;
        if ((st = consensus_agreement(prev, prev_reps, n, d, msg)))
            goto done;
        int any = 0;
        for (size_t i = 0; i < n * n; i++) {
            if (d->data[i] < opt->tau)
                d->data[i] = 0.0;
            any |= d->data[i] != 0.0;
        }
        if (!any) {
            /* nothing agrees often enough: every node alone */
            for (size_t i = 0; i < n; i++)
                out[i] = (int)i + 1;
            agreed = 1;
            break;
        }
        /* D is non-negative with a positive total, so 'none' cannot fail;
         * thresholded D is sparse, so its B is kept factored */
        if ((st = modmat_build_sparse(d, 1.0, MOD_SIGN_NONE, &sp, NULL, msg)))
            goto done;
        LouvainOp dop;
        louvain_op_sparse(&dop, &sp);
        if ((st = run_batch(opt, &dop, (uint64_t)round * opt->reps, q, cur, msg)))
            goto done;
        agreed = 1;
        for (size_t r = 1; r < opt->reps && agreed; r++)
            agreed = memcmp(cur, cur + r * n, n * sizeof *cur) == 0;
        if (agreed)
            memcpy(out, cur, n * sizeof *out);
        prev = cur;
        prev_reps = opt->reps;
        report(opt, (double)round / (double)opt->max_rounds);
    }
    if (!agreed) {
        /* the last round's partition with the highest Q on the original B */
        double best = -INFINITY;
        size_t pick = 0;
        for (size_t r = 0; r < opt->reps; r++) {
            double qr;
            if ((st = louvain_quality(orig, cur + r * n, &qr, msg)))
                goto done;
            if (qr > best) {
                best = qr;
                pick = r;
            }
        }
        memcpy(out, cur + pick * n, n * sizeof *out);
    }
    if ((st = modmat_relabel(out, n, out, k, msg)))
        goto done;
    if (rounds)
        *rounds = round;
    report(opt, 1.0);
done:
    modsparse_done(&sp);
    matrix_free(d);
    free(cur);
    free(q);
    return st;
}
