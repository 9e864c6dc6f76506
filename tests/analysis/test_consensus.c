#include <criterion/criterion.h>
#include <math.h>

#include "neurotop/analysis/consensus.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/fileio.h"
#include "support/support.h"

Test(consensus, agreement_matrix_by_hand)
{
    int parts[6] = {1, 1, 2, /* second */ 7, 9, 9};
    Matrix *d = matrix_new(3, 3);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(consensus_agreement(parts, 2, 3, d, msg), ST_OK, "%s", msg);
    double exp[9] = {0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0};
    for (int i = 0; i < 9; i++)
        cr_assert_eq(d->data[i], exp[i], "entry %d", i);
    Matrix *bad = matrix_new(2, 2);
    cr_assert_eq(consensus_agreement(parts, 2, 3, bad, msg), ST_EINVAL);
    matrix_free(bad);
    matrix_free(d);
}

Test(consensus, identical_partitions_give_that_partition)
{
    Matrix *b = support_karate_modularity(1.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    char msg[STATUS_MSG_LEN];
    ConsensusOptions o;
    consensus_options_default(&o);
    /* relabelled copies of one partition, including a singleton module */
    int p[34];
    memcpy(p, SUPPORT_KARATE_OPT, sizeof p);
    p[11] = 9; /* node 11 alone */
    int parts[10 * 34];
    for (int r = 0; r < 10; r++)
        for (int i = 0; i < 34; i++)
            parts[r * 34 + i] = p[i] * 10 + r; /* different names, same partition */
    int out[34], canon[34];
    size_t k, rounds;
    cr_assert_eq(consensus_run(&op, parts, 10, &o, out, &k, &rounds, msg), ST_OK, "%s", msg);
    cr_assert_eq(modmat_relabel(p, 34, canon, NULL, msg), ST_OK);
    cr_assert_arr_eq(out, canon, sizeof out);
    cr_assert_eq(k, 5);
    cr_assert_eq(rounds, 1);
    matrix_free(b);
}

Test(consensus, all_singletons_stay_singletons)
{
    Matrix *b = support_karate_modularity(1.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    int parts[3 * 34];
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < 34; i++)
            parts[r * 34 + i] = i;
    ConsensusOptions o;
    consensus_options_default(&o);
    int out[34];
    size_t k;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(consensus_run(&op, parts, 3, &o, out, &k, NULL, msg), ST_OK);
    cr_assert_eq(k, 34);
    for (int i = 0; i < 34; i++)
        cr_assert_eq(out[i], i + 1);
    matrix_free(b);
}

static void on_progress(void *user, double frac)
{
    double *last = user;
    cr_assert_geq(frac, *last);
    cr_assert_leq(frac, 1.0);
    *last = frac;
}

/* A batch runner that splits the range in two, as a worker pool would. */
static Status split_batch(void *user, const LouvainOp *op, const CommunityAlgo *algo, uint64_t seed,
                          uint64_t stream0, size_t reps, double *q, int *parts, const volatile int *cancel,
                          char *msg)
{
    int *calls = user;
    (*calls)++;
    size_t half = reps / 2;
    Status st = community_run_range(op, algo, seed, stream0, half, reps, q, parts, cancel, msg);
    return st ? st : community_run_range(op, algo, seed, stream0, 0, half, q, parts, cancel, msg);
}

Test(consensus, karate_consensus_of_50_runs)
{
    Matrix *b = support_karate_modularity(1.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    char msg[STATUS_MSG_LEN];
    size_t reps = 50;
    int *parts = malloc(reps * 34 * sizeof *parts);
    double q[50];
    cr_assert_eq(louvain_run_range(&op, 0, 0, 0, reps, q, parts, NULL, msg), ST_OK);
    ConsensusOptions o;
    consensus_options_default(&o);
    o.reps = reps;
    double last = 0;
    o.progress = on_progress;
    o.progress_user = &last;
    int out[34], out2[34];
    size_t k, rounds;
    cr_assert_eq(consensus_run(&op, parts, reps, &o, out, &k, &rounds, msg), ST_OK, "%s", msg);
    double qc;
    cr_assert_eq(modmat_quality(b, out, &qc, msg), ST_OK);
    cr_assert_geq(qc, 0.38, "consensus Q %g", qc);
    cr_assert_eq(out[0], 1);
    cr_assert_eq(last, 1.0);
    cr_assert_leq(rounds, 20);
    /* a split batch runner gives the same consensus */
    int calls = 0;
    o.batch = split_batch;
    o.batch_user = &calls;
    o.progress = NULL;
    cr_assert_eq(consensus_run(&op, parts, reps, &o, out2, NULL, NULL, msg), ST_OK);
    cr_assert_arr_eq(out, out2, sizeof out);
    cr_assert_eq((size_t)calls, rounds);
    free(parts);
    matrix_free(b);
}

Test(consensus, cancel_and_bad_options)
{
    Matrix *b = support_karate_modularity(1.0);
    LouvainOp op;
    louvain_op_dense(&op, b);
    int parts[34] = {0};
    int out[34];
    char msg[STATUS_MSG_LEN];
    ConsensusOptions o;
    consensus_options_default(&o);
    volatile int cancel = 1;
    o.cancel = &cancel;
    cr_assert_eq(consensus_run(&op, parts, 1, &o, out, NULL, NULL, msg), ST_ECANCELED);
    o.cancel = NULL;
    o.tau = 0;
    cr_assert_eq(consensus_run(&op, parts, 1, &o, out, NULL, NULL, msg), ST_EINVAL);
    o.tau = 0.5;
    o.reps = 0;
    cr_assert_eq(consensus_run(&op, parts, 1, &o, out, NULL, NULL, msg), ST_EINVAL);
    o.reps = 10;
    cr_assert_eq(consensus_run(&op, parts, 0, &o, out, NULL, NULL, msg), ST_EINVAL);
    matrix_free(b);
}
