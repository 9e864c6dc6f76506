#include "neurotop/analysis/community.h"

#include <stdlib.h>
#include <string.h>

#include "louvain_internal.h"
#include "neurotop/analysis/leiden.h"

const char *community_method_name(CommunityMethod m)
{
    switch (m) {
    case COMMUNITY_LOUVAIN: return "louvain";
    case COMMUNITY_LEIDEN: return "leiden";
    }
    return "?";
}

Status community_method_parse(const char *text, const char *what, CommunityMethod *out, char *msg)
{
    if (text && strcmp(text, "louvain") == 0)
        *out = COMMUNITY_LOUVAIN;
    else if (text && strcmp(text, "leiden") == 0)
        *out = COMMUNITY_LEIDEN;
    else
        return status_fail(msg, ST_EINVAL, "%s must be louvain or leiden, not '%s'", what, text ? text : "");
    return ST_OK;
}

const char *community_algo_label(const CommunityAlgo *algo)
{
    int leiden = algo && algo->method == COMMUNITY_LEIDEN, it = algo && algo->iterate;
    int rnd = algo && algo->random_moves;
    static const char *const LABELS[2][4] = {
        {"Louvain", "Louvain, iterated", "Louvain, random moves", "Louvain, iterated, random moves"},
        {"Leiden", "Leiden, iterated", "Leiden, random moves", "Leiden, iterated, random moves"}};
    return LABELS[leiden][it + 2 * rnd];
}

static Status run_once(const LouvainOp *op, const CommunityAlgo *a, Rng *rng, const int *init, int *labels,
                       double *q, size_t *k, const volatile int *cancel, char *msg)
{
    unsigned flags = a->random_moves ? LOUVAIN_MOVE_RANDOM : 0;
    if (a->method == COMMUNITY_LEIDEN)
        return leiden_run(op, rng, init, flags, labels, q, k, cancel, msg);
    return louvain_run_from(op, rng, init, flags, labels, q, k, cancel, msg);
}

Status community_run(const LouvainOp *op, const CommunityAlgo *algo, Rng *rng, const int *init,
                     int *labels, double *q, size_t *k, size_t *passes, const volatile int *cancel,
                     char *msg)
{
    CommunityAlgo a = algo ? *algo : (CommunityAlgo){0};
    if (a.method != COMMUNITY_LOUVAIN && a.method != COMMUNITY_LEIDEN)
        return status_fail(msg, ST_EINVAL, "unknown community detection method %d", (int)a.method);
    Status st = run_once(op, &a, rng, init, labels, q, k, cancel, msg);
    size_t done = 1;
    if (!st && a.iterate) {
        /* GenLouvain's iterated scheme: start again from the best partition
         * until a pass no longer raises Q */
        size_t n = op->n, kk = 0;
        int *next = malloc(n * sizeof *next);
        if (!next)
            return status_fail(msg, ST_ENOMEM, "out of memory for %zu labels", n);
        while (done < COMMUNITY_MAX_PASSES) {
            double qn;
            if ((st = run_once(op, &a, rng, labels, next, &qn, &kk, cancel, msg)))
                break;
            done++;
            if (!(qn > *q + LOUVAIN_TOL))
                break;
            *q = qn;
            memcpy(labels, next, n * sizeof *labels);
            if (k)
                *k = kk;
        }
        free(next);
    }
    if (!st && passes)
        *passes = done;
    return st;
}

Status community_run_range(const LouvainOp *op, const CommunityAlgo *algo, uint64_t seed,
                           uint64_t stream0, size_t r0, size_t r1, double *q, int *parts,
                           const volatile int *cancel, char *msg)
{
    Status st = louvain_i_check_op(op, msg);
    if (st)
        return st;
    size_t total;
    if (!q || !parts || r0 > r1 || size_mul(r1, op->n, &total))
        return status_fail(msg, ST_EINVAL, "louvain_run_range needs outputs and r0 <= r1");
    for (size_t r = r0; r < r1; r++) {
        Rng rng;
        rng_seed(&rng, seed, stream0 + r);
        if ((st = community_run(op, algo, &rng, NULL, parts + r * op->n, &q[r], NULL, NULL, cancel, msg)))
            return st;
    }
    return ST_OK;
}

Status community_run_reps(const LouvainOp *op, const CommunityAlgo *algo, uint64_t seed, size_t reps,
                          int *best_labels, LouvainSummary *sum, double *all_q, int *all_parts,
                          const volatile int *cancel, char *msg)
{
    Status st = louvain_i_check_op(op, msg);
    if (st)
        return st;
    size_t n = op->n, total;
    if (!best_labels || !sum || reps == 0 || size_mul(reps, n, &total) ||
        total > SIZE_MAX / sizeof(int))
        return status_fail(msg, ST_EINVAL, "louvain_run_reps needs reps >= 1 and outputs");
    double *q = all_q ? all_q : malloc(reps * sizeof *q);
    int *scratch = all_parts ? NULL : malloc(n * sizeof *scratch);
    if (!q || (!all_parts && !scratch)) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu Louvain runs", reps);
        goto done;
    }
    if (all_parts) {
        if ((st = community_run_range(op, algo, seed, 0, 0, reps, q, all_parts, cancel, msg)))
            goto done;
    } else {
        /* keep only the best partition so far: same choice as the summary's */
        double best = 0;
        for (size_t r = 0; r < reps; r++) {
            Rng rng;
            rng_seed(&rng, seed, r);
            if ((st = community_run(op, algo, &rng, NULL, scratch, &q[r], NULL, NULL, cancel, msg)))
                goto done;
            if (r == 0 || q[r] > best + LOUVAIN_BEAT) {
                best = q[r];
                memcpy(best_labels, scratch, n * sizeof *scratch);
            }
        }
    }
    if ((st = louvain_summarize(q, reps, sum, msg)))
        goto done;
    if (all_parts)
        memcpy(best_labels, all_parts + sum->best * n, n * sizeof *best_labels);
done:
    if (!all_q)
        free(q);
    free(scratch);
    return st;
}
