#ifndef NEUROTOP_MODEL_MODEL_IO_H
#define NEUROTOP_MODEL_MODEL_IO_H

/* Model weights in nts snapshot files (core/nts.h).
 *
 * Sections written for a model:
 *   "model.kind"    text, the kind ("mlp")
 *   "model.config"  uint32 [5 + n_layers]: layout version (1), init, seed low
 *                   32 bits, seed high 32 bits, n_layers, sizes[0..n_layers-1]
 *   one float32 section per weight block, named after it ("alpha", "beta",
 *   "gamma", ...), dims {rows, cols}, row-major from×to (model.h WeightBlock)
 *   "extra"         float32 [model_extra_count], only for kinds with
 *                   parameters after the blocks (hebbff: b1, b2, λ_raw, η)
 * model_save adds an optional "meta" text section (JSON: epoch, metrics...).
 * Other writers (the trainer's snapshots) add their own sections beside
 * these with model_io_add_sections. */

#include "neurotop/core/nts.h"
#include "neurotop/model/model.h"

/* Add the model sections for (config, params) to w. params holds
 * model_param_count(config) floats (copied). ST_EINVAL for a bad config. */
Status model_io_add_sections(NtsWriter *w, const ModelConfig *config, const float *params,
                             char *msg);

/* Read the model sections of an opened file: the config is validated
 * (model_config_validate) and every block must be present with the dims the
 * config implies. *params is caller-owned (free), model_param_count floats.
 * ST_EFORMAT names the file and the section at fault. */
Status model_io_read_sections(const NtsFile *f, ModelConfig *config, float **params, char *msg);

/* Write a model snapshot atomically: the model sections plus, when meta_json
 * is not NULL, a "meta" text section holding it. */
Status model_save(const ModelConfig *config, const float *params, const char *meta_json,
                  const char *path, char *msg);

/* Read a snapshot written by model_save (or any nts file with the model
 * sections). *params and, when meta_json is not NULL, *meta_json (NULL when
 * the file has no "meta" section) are caller-owned. */
Status model_load(const char *path, ModelConfig *config, float **params, char **meta_json,
                  char *msg);

#endif
