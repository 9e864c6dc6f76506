#ifndef NEUROTOP_ANALYSIS_EIGSUB_H
#define NEUROTOP_ANALYSIS_EIGSUB_H

/* The k algebraically largest eigenpairs of a large symmetric float matrix
 * held in memory, by block subspace iteration with Rayleigh–Ritz
 * projection (Saad, "Numerical Methods for Large Eigenvalue Problems", 2nd
 * ed., SIAM 2011, §5.2, doi:10.1137/1.9781611970739): Q ← orth(A·U) where U
 * are the Ritz vectors of the previous block. One symmetric n×n × n×p
 * product (ssymm) per iteration, O(n²p); the block p > k keeps the
 * convergence ratio at |λ_{p+1}/λ_k| and room for negative eigenvalues of
 * large magnitude. No full decomposition is ever made. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

typedef int (*EigSubProgressFn)(void *ctx, double frac);

typedef struct {
    size_t block;    /* p, subspace size; 0 = 2k */
    size_t max_iter; /* 0 = 100 */
    double tol;      /* stop when every wanted ‖Au − θu‖ <= tol·|θ_1|; 0 = 1e-4 */
    uint64_t seed;   /* start block */
    EigSubProgressFn progress; /* may be NULL; called once per iteration (fraction of max_iter) */
    void *progress_ctx;
} EigSubOptions;

/* a: n×n row-major, only the upper triangle is read. vals: k eigenvalues,
 * descending. vecs: n×k row-major (vecs[i·k + j] = entry i of eigenvector
 * j), unit length, each with its largest-magnitude entry positive. iters
 * (may be NULL) = iterations used. 1 <= k, k <= p <= n. Reaching max_iter
 * without meeting tol still returns the current Ritz pairs (ST_OK); a
 * cancelled progress gives ST_ECANCELED. */
Status eigsub_top(const float *a, size_t n, size_t k, const EigSubOptions *opt, double *vals,
                  float *vecs, size_t *iters, char *msg);

#endif
