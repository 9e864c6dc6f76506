#ifndef NEUROTOP_ANALYSIS_MODMATRIX_H
#define NEUROTOP_ANALYSIS_MODMATRIX_H

/* Modularity matrices B (docs/methods.md §4) and partition helpers.
 *
 * Every function reads its graph as W = (A + Aᵀ)/2 (docs/methods.md §2) and keeps the
 * diagonal as given. B is normalised so that the modularity of a partition is
 * Q = Σ_ij B_ij δ(c_i, c_j), i = j included. */

#include <stddef.h>

#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

/* How negative weights enter B (docs/methods.md §4). */
typedef enum {
    MOD_SIGN_NONE = 0, /* bctpy B='modularity': negative weights are an error */
    MOD_SIGN_SYM,      /* Gómez et al. 2009, doi:10.1103/PhysRevE.80.016114 */
    MOD_SIGN_ASYM      /* Rubinov & Sporns 2011, doi:10.1016/j.neuroimage.2011.03.069 */
} ModSign;

/* "none", "sym", "asym" (the spelling of `--signed` and of the `:louvain`
 * argument; "?" for a value out of range). */
const char *modsign_name(ModSign mode);
/* The mode spelled `text` into *out: ST_OK, or ST_EINVAL with a sentence
 * naming `what` and the three spellings (*out unchanged). */
Status modsign_parse(const char *text, const char *what, ModSign *out, char *msg);

/* Totals of the symmetrised graph: s_pos = Σ W⁺, s_neg = Σ W⁻ (diagonal included). */
typedef struct {
    double s_pos;
    double s_neg;
} ModTotals;

/* Build the modularity matrix of A into b (n×n, caller-owned so it can be
 * reused from call to call: nothing is allocated here). b may be the same
 * Matrix as a (A is then overwritten by B).
 *   none: B_ij = (W_ij − γ k_i k_j / s) / s; every W_ij must be ≥ 0 and s > 0.
 *   sym:  B = (B⁺ − B⁻)/(s⁺ + s⁻);   asym: B = B⁺/s⁺ − B⁻/(s⁺ + s⁻),
 *         B± = W± − γ k± k±ᵀ / s±, a term being 0 when its s± = 0; s⁺ + s⁻ > 0.
 * a: square, finite. gamma: finite, ≥ 0. totals: optional (NULL = not wanted).
 * Errors: ST_EINVAL naming the problem (non-square, non-finite, negative
 * weight with none, no weight at all, size mismatch of b).
 * Time O(n²), memory O(1) beyond b. B is exactly symmetric. */
Status modmat_build(const Matrix *a, double gamma, ModSign mode, Matrix *b, ModTotals *totals,
                    char *msg);

/* B in factored form for sparse graphs: B = R − gp·k⁺k⁺ᵀ + gn·k⁻k⁻ᵀ with R
 * the scaled non-zero weights (ap·W⁺ − an·W⁻) in compressed rows. Embeddable
 * and reusable: modsparse_init once, modmat_build_sparse as often as needed
 * (the arrays grow only when a graph has more edges than any before),
 * modsparse_done at the end. */
typedef struct {
    size_t n, nnz, cap_n, cap_nnz;
    size_t *ptr;     /* n + 1 row starts */
    size_t *col;     /* nnz columns, ascending within a row */
    double *val;     /* nnz values of R */
    double *diag;    /* n: R_ii */
    double *kp, *kn; /* n: k⁺ and k⁻ */
    double gp, gn;
    double *tile;    /* scratch for reading A's columns */
} ModSparse;

void modsparse_init(ModSparse *s);
void modsparse_done(ModSparse *s);

/* The same B as modmat_build (same arguments, rules and errors), factored as
 * above. Time O(n²) to scan A, memory O(n + non-zeros). */
Status modmat_build_sparse(const Matrix *a, double gamma, ModSign mode, ModSparse *s,
                           ModTotals *totals, char *msg);

/* Writes row i of a symmetric W: its non-zero entries (columns ascending,
 * each once) into col and val, and their number into *count. It may write
 * scratch past the entries, but never past max_row slots. May fail with a
 * message (a bad weight). */
typedef Status (*ModRowFn)(void *ctx, size_t i, size_t *col, double *val, size_t *count,
                           char *msg);

/* The same factored B built row by row from W itself, so a sparse graph
 * never needs an n×n matrix: n rows of at most max_row entries each;
 * nnz_hint (0 = none), an upper bound of all rows' entries, reserves the
 * edges once, exactly (plus one row of slack). W must be symmetric (row
 * never sees the other rows). Rules and errors as modmat_build_sparse's.
 * Time O(non-zeros), memory O(n + non-zeros). */
Status modmat_build_sparse_rows(size_t n, size_t max_row, size_t nnz_hint, ModRowFn row, void *ctx,
                                double gamma, ModSign mode, ModSparse *s, ModTotals *totals,
                                char *msg);

/* Q = Σ_ij B_ij δ(c_i, c_j) for a square b (any B, not only modmat_build's)
 * and n = b->rows labels of any integer values (only equality matters).
 * Time O(n²), memory O(n). */
Status modmat_quality(const Matrix *b, const int *labels, double *q, char *msg);

/* The same Q as modmat_build + modmat_quality, computed straight from A with
 * community totals, without an n×n buffer: the docs/methods.md §4 `quality`.
 * Same argument rules and errors as modmat_build. Time O(n²), memory O(n). */
Status modmat_quality_direct(const Matrix *a, const int *labels, double gamma, ModSign mode,
                             double *q, char *msg);

/* Canonical labels (docs/methods.md §2): out[i] in 1..k in order of first appearance,
 * so out[0] = 1. in and out may alias for the int version. k may be NULL.
 * A layer-major multilayer partition (index s·N + i) relabelled as one flat
 * array gets the layer-by-layer canonical order. Time O(n log n), memory O(n). */
Status modmat_relabel(const int *in, size_t n, int *out, size_t *k, char *msg);
Status modmat_relabel_long(const long *in, size_t n, int *out, size_t *k, char *msg);

#endif
