#ifndef NEUROTOP_ANALYSIS_MULTISLICE_H
#define NEUROTOP_ANALYSIS_MULTISLICE_H

/* Multilayer (multislice) modularity with ordinal coupling (docs/methods.md §9):
 * Mucha et al. 2010, doi:10.1126/science.1184819, as GenLouvain `multiord`
 * builds it. T layers of N nodes; node-layer (i, s) has the layer-major index
 * s·N + i. The supra-matrix B/(2μ) has the diagonal blocks
 * (W_s − γ k_s k_sᵀ / 2m_s)/(2μ) (sym: (B⁺_s − B⁻_s)/(2μ)) and ω/(2μ)·I
 * between consecutive layers. Only the T diagonal blocks are stored
 * (T·N² doubles, not (NT)²); Louvain runs on it through multislice_op. */

#include <stddef.h>

#include "neurotop/analysis/louvain.h"
#include "neurotop/analysis/modmatrix.h"
#include "neurotop/core/matrix.h"
#include "neurotop/core/status.h"

typedef struct Multislice Multislice;

/* Storage for T layers of N nodes (N, T ≥ 1), reusable across builds of the
 * same size (a per-epoch caller allocates once). */
Status multislice_new(size_t n, size_t t, Multislice **out, char *msg);
/* multislice_free(NULL) does nothing. */
void multislice_free(Multislice *ms);

/* Fill the blocks from T layers (each N×N, finite; symmetrised as (A+Aᵀ)/2,
 * diagonal kept). mode MOD_SIGN_NONE: every entry ≥ 0 and 2m_s > 0 per layer;
 * MOD_SIGN_SYM: W⁺/W⁻ split per layer, s⁺_s + s⁻_s > 0; MOD_SIGN_ASYM is
 * rejected (docs/methods.md §9 has no asym form). gamma, omega finite and ≥ 0.
 * Errors name the layer (1-based). Time O(T·N²); nothing is allocated. */
Status multislice_build(Multislice *ms, const Matrix *const *layers, size_t t, double gamma,
                        double omega, ModSign mode, char *msg);

/* Sizes and the normaliser 2μ = Σ_s (s⁺_s + s⁻_s) + 2ω·N·(T−1) of the last build. */
size_t multislice_nodes(const Multislice *ms);
size_t multislice_layers(const Multislice *ms);
double multislice_two_mu(const Multislice *ms);

/* The supra-matrix as a Louvain operator of order N·T (borrowing ms, which
 * must outlive op and not be rebuilt while op is in use). Use it with
 * louvain_run / louvain_run_reps; their canonical labels are layer-major. */
void multislice_op(const Multislice *ms, LouvainOp *op);

/* Q of a layer-major partition (N·T labels; the same label in two layers is
 * the same community). Time O(T·N²). */
Status multislice_quality(const Multislice *ms, const int *labels, double *q, char *msg);

#endif
