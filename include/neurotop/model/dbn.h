#ifndef NEUROTOP_MODEL_DBN_H
#define NEUROTOP_MODEL_DBN_H

/* A deep belief network: a stack of restricted Boltzmann machines with
 * binary stochastic hidden units, trained greedily one RBM after the other
 * by contrastive divergence, without labels (seed paper 002: Testolin,
 * Piccolini and Suweis, "Deep learning systems as complex networks",
 * J. Complex Networks 8 (2020), doi:10.1093/comnet/cnz018; the training
 * recipe of Hinton & Salakhutdinov 2006, doi:10.1126/science.1127647).
 *
 * Layers {V, H1, H2, ...}: RBM r joins layer r (visible) to layer r+1
 * (hidden). The layout is the dense chain alpha, beta, ... (W_r, V_r × H_r,
 * w[i*H + j]: the weight graph, weight histograms and receptive fields
 * read them as they read the MLP's) followed by each RBM's visible bias
 * "bv<r+1>" and hidden bias "bh<r+1>". The top layer is the last hidden
 * layer: there is no output layer. With --readout the layout ends with a
 * softmax read-out of the top layer ("wr", top × K, and "br", K; outside
 * the weight graph), trained on the labels by plain SGD at the run's
 * learning rate in the epochs after every RBM's turn, the RBMs then fixed;
 * the held-out accuracy is its (NaN before it trains).
 *
 * Training (ModelOps.train): epoch e trains RBM min(e / E, R-1) where E is
 * --epochs-per-layer and R the number of RBMs (after the last RBM's turn the
 * top RBM keeps training); its input is the data propagated up through the
 * RBMs below as probabilities. CD-k (--cd K): positive statistics v0ᵀp(h|v0),
 * hidden states sampled from p, mean-field visible reconstructions, negative
 * statistics v_kᵀp(h|v_k); velocity Δ ← m·Δ + lr·(gradient − wd·W) with
 * momentum m 0.5 for the first 5 epochs of an RBM and 0.9 after, weight
 * decay wd 0.0004 on the weights only; weights N(0, 0.01²), biases 0. Every
 * product is one sgemm (core/linalg.c); one epoch of a V×H RBM over n
 * examples costs about 10·n·V·H flops at CD-1. The hidden samples draw from
 * an Rng stream reseeded from (seed, epoch) at every epoch, so a resumed run
 * trains exactly as an uninterrupted one. */

#include <stddef.h>

#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"
#include "neurotop/model/model.h"

/* The kind "dbn": image data from --data, 1 to 6 hidden layers (default
 * 200,200), lr 0.1, batch 100, probe 500; kind parameters --cd (1) and
 * --epochs-per-layer (10). */
extern const ModelKind dbn_kind;

/* Floats of scratch dbn_rbm_cd needs for a batch of b examples of a v × h
 * RBM. */
size_t dbn_rbm_scratch(size_t b, size_t v, size_t h);

/* One CD-k step's statistics on the batch v0 (b × v, values in [0, 1]) of
 * the RBM (w: v × h, bv: v, bh: h) without changing it: the gradient
 * estimates gw = (v0ᵀp0 − v_kᵀp_k)/b, gbv = mean(v0 − v_k), gbh =
 * mean(p0 − p_k), where p = σ(vW + bh), hidden states are 1 where
 * u < p (u: k × b × h uniforms in [0, 1), step s using u + s·b·h) and v_s =
 * σ(h Wᵀ + bv). *recon (when not NULL) gets the summed squared error
 * Σ (v0 − v_1)² of the first reconstruction over the batch. scratch holds
 * dbn_rbm_scratch(b, v, h) floats. O(k·b·v·h). */
void dbn_rbm_cd(size_t v, size_t h, const float *w, const float *bv, const float *bh,
                const float *v0, size_t b, size_t k, const float *u, float *gw, float *gbv,
                float *gbh, double *recon, float *scratch);

/* Free energy of each of the n visible vectors x (n × v) under the RBM:
 * F(x) = −Σ_i bv_i x_i − Σ_j log(1 + exp(bh_j + Σ_i x_i w_ij)) into f (n
 * doubles). O(n·v·h). Returns ST_ENOMEM when its scratch cannot be made. */
Status dbn_free_energy(size_t v, size_t h, const float *w, const float *bv, const float *bh,
                       const float *x, size_t n, double *f);

/* The read-out (--readout): softmax(f·Wr + br) over K classes on the top
 * layer's probabilities f. Summed cross-entropy of the b examples feat (b ×
 * h) with labels y in [0, K) is returned; gw (h × K) and gb (K) get the
 * gradient of the mean cross-entropy; scratch holds b × K floats. O(b·h·K). */
double dbn_readout_grad(size_t h, size_t k, const float *wr, const float *br, const float *feat,
                        const int *y, size_t b, float *gw, float *gb, float *scratch);

/* Classes of the read-out of config c (0: none). */
size_t dbn_readout_classes(const ModelConfig *c);
/* 1 when epoch `epoch` (0-based) trains the read-out: c has one and every
 * RBM has had its epochs_per_layer epochs. */
int dbn_readout_trains(const ModelConfig *c, size_t epoch);

/* The RBM that trains in epoch `epoch` (0-based) of config c: min(epoch /
 * epochs_per_layer, RBMs − 1). */
size_t dbn_rbm_of_epoch(const ModelConfig *c, size_t epoch);

/* Generate n samples from the DBN (config c, params): start each top-layer
 * pair from random visible states of the top RBM, run `steps` rounds of
 * alternating Gibbs sampling in the top RBM, then propagate down through
 * the lower RBMs as probabilities, into out (n × sizes[0] values in [0, 1]).
 * Deterministic for an Rng state. ST_EINVAL for n or steps 0 or steps >
 * 100000, ST_ENOMEM. O(steps·n·V·H of the top RBM + n·Σ V·H below). */
Status dbn_dream(const ModelConfig *c, const float *params, size_t n, size_t steps, Rng *rng,
                 float *out, char *msg);

#endif
