#ifndef NEUROTOP_ANALYSIS_COMMUNITY_H
#define NEUROTOP_ANALYSIS_COMMUNITY_H

/* Community detection on a modularity operator (louvain.h) with a choice
 * of optimiser: Louvain (louvain.h, the default, as the seed papers used)
 * or Leiden (leiden.h), each optionally iterated from its own output until
 * Q stops improving (GenLouvain's iterated_genlouvain; Jeub, Bazzi,
 * Jutla, Mucha). Every analysis that partitions goes through here, so
 * `--method` and `--iterate` mean the same everywhere.
 *
 * Determinism: run r of a batch draws only from rng_seed(&rng, seed,
 * stream0 + r), whatever the method, so runs may be split across threads. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"

typedef enum {
    COMMUNITY_LOUVAIN = 0, /* Blondel et al. 2008, as bctpy community_louvain */
    COMMUNITY_LEIDEN       /* Traag, Waltman, van Eck 2019 */
} CommunityMethod;

/* At most this many passes of --iterate (a pass that does not raise Q by
 * more than LOUVAIN_TOL ends it sooner). */
#define COMMUNITY_MAX_PASSES 50

/* The optimiser. Zero-initialised = one Louvain pass. */
typedef struct {
    CommunityMethod method;
    int iterate; /* 1: re-run from the previous partition until Q stops improving */
    int random_moves; /* 1: LOUVAIN_MOVE_RANDOM (GenLouvain's 'moverand') */
} CommunityAlgo;

/* "louvain" or "leiden" ("?" out of range). */
const char *community_method_name(CommunityMethod m);
/* The method spelled `text`: ST_OK, or ST_EINVAL with one sentence naming
 * `what` (*out unchanged). */
Status community_method_parse(const char *text, const char *what, CommunityMethod *out, char *msg);
/* Human name, e.g. "Leiden, iterated" (for result texts). algo NULL = Louvain. */
const char *community_algo_label(const CommunityAlgo *algo);

/* One optimisation of op with algo (NULL = one Louvain pass), from the
 * partition init (n labels of any integer values; NULL = every node alone),
 * drawing from rng. labels (n) receives the canonical partition 1..k, q its
 * modularity recomputed from it (louvain_quality), k (optional) its number
 * of communities and passes (optional) the passes made (1 without iterate).
 * With iterate, each pass starts from the best partition so far and the
 * result is never worse than the first pass. cancel (NULL = never) is
 * polled at least once per sweep. Time: passes × one run of the method. */
Status community_run(const LouvainOp *op, const CommunityAlgo *algo, Rng *rng, const int *init,
                     int *labels, double *q, size_t *k, size_t *passes, const volatile int *cancel,
                     char *msg);

/* Runs r = r0..r1−1 of a batch, as louvain_run_range (same streams, same
 * layout of q and parts), with algo. */
Status community_run_range(const LouvainOp *op, const CommunityAlgo *algo, uint64_t seed,
                           uint64_t stream0, size_t r0, size_t r1, double *q, int *parts,
                           const volatile int *cancel, char *msg);

/* reps runs with streams 0..reps−1, as louvain_run_reps, with algo. */
Status community_run_reps(const LouvainOp *op, const CommunityAlgo *algo, uint64_t seed, size_t reps,
                          int *best_labels, LouvainSummary *sum, double *all_q, int *all_parts,
                          const volatile int *cancel, char *msg);

#endif
