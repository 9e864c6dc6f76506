/* The table of `analyze` KINDs: name, allowed options, required options,
 * handler, one-line help. Each handler lives in src/cli/analyze_<group>.c.
 * X(name, allowed, required, handler, help) */
#ifndef NEUROTOP_CLI_ANALYZE_KINDS_H
#define NEUROTOP_CLI_ANALYZE_KINDS_H

#include "neurotop/cli/analyze.h"

#define ANALYZE_KINDS(X) \
    X(flexibility, AOPT_PARTITIONS, AOPT_PARTITIONS, analyze_flexibility, \
      "flexibility per node and for the system of a multilayer partition (N x T CSV)") \
    X(allegiance, AOPT_PARTITIONS, AOPT_PARTITIONS, analyze_allegiance, \
      "module allegiance matrix of a multilayer partition (N x T CSV)") \
    X(entropy, AOPT_MATRIX | AOPT_RIDGE, AOPT_MATRIX, analyze_entropy, \
      "differential entropy (nats) of the Gaussian fitted to the rows of a matrix") \
    X(moments, AOPT_MATRIX, AOPT_MATRIX, analyze_moments, \
      "mean, std, skewness and excess kurtosis of all entries of a matrix") \
    X(pca, AOPT_MATRIX | AOPT_STANDARDIZE, AOPT_MATRIX, analyze_pca, \
      "explained-variance ratios and n80 of a PCA of the columns of a matrix") \
    X(mi, AOPT_IMAGES | AOPT_LABELS, AOPT_IMAGES | AOPT_LABELS, analyze_mi, \
      "pixel information IP and ID (bits) of IDX images and labels") \
    X(permtest, AOPT_A | AOPT_B | AOPT_PERMS | AOPT_SEED, AOPT_A | AOPT_B, analyze_permtest, \
      "Pearson r of two same-shape matrices with a seeded permutation p-value") \
    X(emd, AOPT_A | AOPT_B, AOPT_A | AOPT_B, analyze_emd, \
      "earth mover's distance between two non-negative images (Euclidean ground distance)") \
    X(assign, AOPT_COST, AOPT_COST, analyze_assign, \
      "minimum-cost assignment (0-based columns) of a square cost matrix") \
    X(quality, AOPT_MATRIX | AOPT_PARTITION | AOPT_GAMMA | AOPT_SIGNED, \
      AOPT_MATRIX | AOPT_PARTITION, analyze_quality, \
      "modularity Q of a given partition (--signed none|sym|asym)") \
    X(louvain, AOPT_MATRIX | AOPT_GAMMA | AOPT_SIGNED | AOPT_REPS | AOPT_SEED | AOPT_CONSENSUS, \
      AOPT_MATRIX, analyze_louvain, \
      "Louvain modularity maximisation, best of --reps runs, optional --consensus") \
    X(roles, AOPT_MATRIX | AOPT_PARTITION, AOPT_MATRIX | AOPT_PARTITION, analyze_roles, \
      "participation coefficient and within-module degree z-score per node") \
    X(degrees, AOPT_MATRIX | AOPT_THRESHOLD, AOPT_MATRIX, analyze_degrees, \
      "degree, positive/negative degree, strength and knn with an |w| > T threshold") \
    X(multislice, AOPT_LAYERS | AOPT_GAMMA | AOPT_OMEGA | AOPT_SIGNED | AOPT_PARTITIONS | \
      AOPT_REPS | AOPT_SEED, AOPT_LAYERS, analyze_multislice, \
      "multilayer modularity (ordinal coupling): Q of given partitions, or Louvain") \
    /* end of kinds: insert new X(...) \ lines above this one */

#define ANALYZE_DECLARE(name, allowed, required, handler, help) \
    Status handler(const AnalyzeArgs *args, JsonWriter *w, char *msg);
ANALYZE_KINDS(ANALYZE_DECLARE)
#undef ANALYZE_DECLARE

#endif
