/* The recorder's state, shared by the two files of experiment/mlp_phases
 * (recording and report). Not a public header. */
#ifndef NEUROTOP_EXPERIMENT_MLP_PHASES_INTERNAL_H
#define NEUROTOP_EXPERIMENT_MLP_PHASES_INTERNAL_H

#include "neurotop/experiment/mlp_phases.h"
#include "neurotop/measure/weightq.h"

struct MlpPhases {
    MlpPhasesConfig cfg;
    PixelInfoView pix;
    int have_pix;
    MlpPhasesPoint *pts;
    size_t n, cap;
    double *maps;      /* cap × (PC map, MZ map) of the input pixels, n_pixels each */
    float *prev_alpha; /* α block of the previous recorded epoch */
    size_t alpha_len;
    int *labels;
    double *pc, *mz;
    size_t n_nodes;
    WeightQ wq;        /* Louvain buffers reused from epoch to epoch */
};

#endif
