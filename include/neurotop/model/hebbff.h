#ifndef NEUROTOP_MODEL_HEBBFF_H
#define NEUROTOP_MODEL_HEBBFF_H

/* HebbFF (Tyulmankov, Yang & Abbott 2022, "Meta-learning synaptic
 * plasticity and memory addressing for continual familiarity detection",
 * Neuron 110:544, doi:10.1016/j.neuron.2021.11.009), the plastic network
 * whose learning seed paper 001 (Gu, Mattar, Tang & Pan 2024, Science
 * Advances 10:eadm8430, doi:10.1126/sciadv.adm8430) watches, on the
 * continual familiarity task
 * (data/familiarity.h). Kind "hebbff", layer sizes {N, M, 2}.
 *
 * At each time step t, with x(t) = 2v - 1 for the model input v in [0, 1]
 * (the task's pixels/255, so x is ±1):
 *   a = W1ᵀx + b1 + Aᵀx,  h = σ(a),  z = w2·h + b2,  p = σ(z) = P(repeat),
 *   then A ← λA + η x hᵀ (after the read-out, with h(t), x(t)),
 * λ = σ(λ_raw) in (0, 1), η free (anti-Hebbian when negative). Loss: binary
 * cross-entropy on p (with logits). predict gives [1 - p, p]; activations
 * give h (n × M) and [1 - p, p] (n × 2).
 *
 * The plastic matrix A is stored like W1, N × M with A[i*M + j] the plastic
 * weight from input i to hidden unit j (the paper's M × N matrix transposed).
 *
 * Parameters (flat float array; typed blocks of the kind's layout, whose
 * offsets HebbffLayout repeats):
 *   W1  N × M, dense edge block "alpha" (input i -> hidden j at i*M + j)
 *   w2  M × 2, dense edge block "beta": column 1 (w2[2j+1]) is the read-out
 *       weight of hidden unit j; column 0 holds its negation (the logit of
 *       "novel", since 1 - p = σ(-z)). The block is marked mirrored, so the
 *       weight graph, histograms and moments see w2 as what it is: M edges
 *       into one read-out node (model_blocks, model_graph_sizes). Only
 *       column 1 enters the forward pass; column 0's gradient is 0 and
 *       training rewrites it.
 *   then (model_extra_count = M + 3): bias block "b1" (M), scalar blocks
 *   "b2", "lambda_raw", "eta"; and the state block "A" (N × M, no
 *   parameters: model_state gives it after a stream).
 * Kind parameters (the familiarity task, run.json keys task_n, ...):
 * task-n, task-r, task-p, task-chains, task-train (the epoch), task-test
 * (the default probe). Per-epoch numbers: "lambda", "eta"; measure "fcq".
 * Initialisation (Tyulmankov et al. 2022; config->init must be "uniform"): W1
 * Xavier-uniform U(±√(6/(N+M))) from Rng (seed, 1100); w2 U(±√(6/(M+1)))
 * from (seed, 1101); b1 U(±√(6/M)) from (seed, 1102); b2 = 0;
 * λ_raw = ln 9 (λ0 = 0.9); η0 = -5/N.
 *
 * Training (ops->train with n steps of a stream, window length `batch`):
 * truncated back-propagation through time. The n steps are cut into windows
 * of `batch` steps (the last may be shorter); each window starts from the
 * carried plastic matrix A (detached: no gradient crosses a window or call
 * boundary), is run forward, back-propagated exactly (the
 * recursion through A of hebbff.c, A_t recomputed from checkpoints every 32 steps,
 * never by dividing by λ), and ends with one Adam step (β1 0.9, β2 0.999,
 * ε 1e-8, step size lr) on the mean loss of the window. A carries on to the
 * next window and the next call; ops->reset_state clears it (epoch start).
 * All arithmetic is in double; parameters are stored as float.
 * Cost per step: one fused pass over the N × M plastic matrix forward, two
 * backward (recompute A_t; update G fused with G x and ⟨G, A⟩), plus the
 * window's W1 products as two dgemm calls; memory O(window·(N + M) +
 * (window/32 + 32)·N·M) doubles. Measured at N 100, M 120 (one core):
 * 0.065 s to train on 2,500 steps, 0.03 s to predict 2,500 steps.
 *
 * ops->predict and ops->activations run their n inputs as one stream from
 * A = 0 (a scratch separate from the training state); ops->pre_activations
 * gives a(t) in place of h(t) (the kind's default --activity, as seed paper
 * 001 builds its activity matrix before the sigmoid). ops->gradient is the
 * mean loss gradient over its n steps as a single window from A = 0. */

#include "neurotop/model/model.h"

/* Offsets of the parameter groups in the flat array (see above). */
typedef struct {
    size_t n, m;         /* inputs N, hidden units M */
    size_t w1;           /* N × M */
    size_t w2;           /* M × 2 */
    size_t b1;           /* M */
    size_t b2, lambda_raw, eta;
    size_t total;        /* = model_param_count: N·M + 3M + 3 */
} HebbffLayout;

/* The kind "hebbff" (for the registry in model.c and the tests). */
extern const ModelKind hebbff_kind;

/* Fill *out for a valid hebbff config; returns 0, or -1 (out untouched)
 * when c is not a valid hebbff config. O(1). */
int hebbff_layout(const ModelConfig *c, HebbffLayout *out);

/* The decay λ = σ(λ_raw) and the plasticity rate η stored in params (a
 * model's or a snapshot's array, borrowed), for the per-epoch metrics
 * "lambda" and "eta". NAN when c is not a valid hebbff config or params is
 * NULL. O(1). */
double hebbff_lambda(const ModelConfig *c, const float *params);
double hebbff_eta(const ModelConfig *c, const float *params);

/* Run the network with parameters params (borrowed; e.g. a snapshot's) on
 * the stream x (n × N model inputs in [0, 1], as predict takes them) from
 * A = 0, without a Model. Optional outputs (NULL = not wanted, all
 * caller-allocated): A_out (N × M, the plastic matrix after the last step,
 * the TUI's "current A"), h_out (n × M hidden activations), p_out (n
 * probabilities of "repeat"). ST_EINVAL for an invalid config, ST_ENOMEM.
 * O(n·N·M). */
Status hebbff_run_stream(const ModelConfig *c, const float *params, const float *x, size_t n,
                         float *A_out, float *h_out, float *p_out, char *msg);

/* Copy the training state of a hebbff model (the plastic matrix carried
 * between train() calls, N × M) into out as floats; does nothing for a
 * model of another kind. O(N·M). */
void hebbff_copy_state(const Model *m, float *out);

/* The exact computation behind train and gradient, in double precision for
 * checks: the mean binary cross-entropy over n >= 1 steps of the stream x
 * (n × N values used as given, normally ±1) with labels y (0 or 1), as one
 * window from A = 0, into *loss, and, when grad is not NULL, its gradient
 * with respect to params (both model_param_count(c) doubles, same layout as
 * the float array). ST_EINVAL for a bad config, n = 0 or a label other than
 * 0/1; ST_ENOMEM. O(n·N·M) time, O(n·(N + M) + (n/32 + 32)·N·M) memory. */
Status hebbff_loss_grad(const ModelConfig *c, const double *params, const double *x,
                        const int *y, size_t n, double *loss, double *grad, char *msg);

#endif
