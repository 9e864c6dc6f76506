#ifndef NEUROTOP_DATA_FAMILIARITY_H
#define NEUROTOP_DATA_FAMILIARITY_H

/* The continual familiarity task of HebbFF (Tyulmankov, Yang &
 * Abbott 2022, "Meta-learning synaptic plasticity and memory addressing for
 * continual familiarity detection", Neuron 110:544, doi:10.1016/
 * j.neuron.2021.11.009; used by the modularity/flexibility study of seed
 * 001): a stream of random ±1 vectors x(t) of length N in which, with
 * probability P, a stimulus repeats the one shown R steps earlier; the label
 * says whether x(t) is such a repeat.
 *
 * Encoding as an ImageSet (so the generic trainer can use it): one item per
 * time step in stream order, rows = 1, cols = N, pixel 255 for +1 and 0 for
 * -1 (imageset_item_float gives 1.0 / 0.0; the model maps v to 2v - 1),
 * label 1 = repeat ("familiar"), 0 = novel, n_classes = 2.
 *
 * Generator rule (as the original HebbFF code of Tyulmankov et al.): for
 * t >= R one uniform number u(t) is drawn; x(t) = x(t-R) when u(t) < P and
 * either chains are allowed or x(t-R) was itself novel. Without chains the
 * repeat fraction tends to P/(1+P) (1/3 at P = 0.5: answering "novel"
 * always scores 67%); with chains it tends to P. Every novel vector differs
 * from every earlier vector of the stream (redrawn on a collision). */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/rng.h"
#include "neurotop/core/status.h"
#include "neurotop/data/dataset.h"

/* Rng streams (with the run's seed) of familiarity_dataset: the training
 * stream, the test stream, and fresh training streams per epoch
 * (FAMILIARITY_STREAM_EPOCH + epoch, for familiarity_epoch_stream). */
#define FAMILIARITY_STREAM_TRAIN 3000u
#define FAMILIARITY_STREAM_TEST 3001u
#define FAMILIARITY_STREAM_EPOCH ((uint64_t)1 << 32)

/* Generate a stream of T steps of N-bit vectors into *out (caller-owned,
 * release with imageset_done; zeroed on failure) with repeat interval R,
 * repeat probability P in [0, 1] and repeat chains allowed when chains != 0.
 * Draws from rng, in order for t = 0..T-1: u(t) when t >= R, then for a novel
 * step ceil(N/64) words per candidate vector (bit k of word w is element
 * 64w + k; 1 = +1), so a given Rng state always gives the same stream.
 * ST_EINVAL for T, N or R of 0, P outside [0, 1] or NaN, T·N above
 * IMAGESET_MAX_BYTES, or N < 63 with 2^N < 2T (too few distinct vectors for
 * the redraw to stay cheap); ST_ENOMEM. Expected O(T·N) time, O(T·N/8)
 * extra memory (a hash set of the novel vectors). */
Status familiarity_stream(ImageSet *out, size_t T, size_t N, size_t R, double P, int chains,
                          Rng *rng, char *msg);

/* A Dataset named "familiarity" (source describes N, R, P, chains and
 * seed) whose train set is familiarity_stream(train_T, ...) drawn from Rng
 * (seed, FAMILIARITY_STREAM_TRAIN) and whose test set is an independent
 * stream of test_T steps from (seed, FAMILIARITY_STREAM_TEST). The paper
 * uses N 100, R 5, P 0.5, no chains, train_T = test_T = 2500. *out is
 * caller-owned (dataset_free) and NULL on failure. Errors as
 * familiarity_stream. */
Status familiarity_dataset(Dataset **out, size_t N, size_t R, double P, int chains,
                           size_t train_T, size_t test_T, uint64_t seed, char *msg);

/* A fresh training stream for epoch `epoch` (for a trainer that draws a new
 * stream every epoch instead of repeating the fixed one): T steps drawn from
 * Rng (seed, FAMILIARITY_STREAM_EPOCH + epoch), independent of the fixed
 * train and test streams. Errors as familiarity_stream. */
Status familiarity_epoch_stream(ImageSet *out, size_t T, size_t N, size_t R, double P,
                                int chains, uint64_t seed, uint64_t epoch, char *msg);

#endif
