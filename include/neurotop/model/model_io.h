#ifndef NEUROTOP_MODEL_MODEL_IO_H
#define NEUROTOP_MODEL_MODEL_IO_H

/* Model weights in nts snapshot files (core/nts.h).
 *
 * Sections written for a model (layout 2):
 *   "model.kind"    text, the kind ("mlp")
 *   "model.config"  uint32 [5 + n_layers + 2]: layout version (2), init, seed
 *                   low 32 bits, seed high 32 bits, n_layers,
 *                   sizes[0..n_layers-1], input rows, input cols (0 0 when
 *                   not known)
 *   "model.kparams" text, one "option=value" line per kind parameter (%.17g),
 *                   only for kinds that have them
 *   "model.blocks"  text, one line per typed block of the layout:
 *                   "name type from to d0xd1.. offset count edge|-"
 *   "p.NAME"        float32, one per block holding parameters, dims as the
 *                   block's (dense: {rows, cols} row-major from×to)
 * Layout 1 (every file written before typed blocks; still read): a config
 * of 5 + n_layers words, the edge blocks as float32 sections under their
 * bare names ("alpha", "beta", ...) and the other parameter blocks back to
 * back in float32 "extra" (hebbff: b1, b2, λ_raw, η); kind parameters take
 * their defaults.
 * model_save adds an optional "meta" text section (JSON: epoch, metrics...).
 * Other writers (the trainer's snapshots) add their own sections beside
 * these with model_io_add_sections. */

#include "neurotop/core/nts.h"
#include "neurotop/model/model.h"

/* The layout version model_io_add_sections writes. */
#define MODEL_IO_LAYOUT 2

/* Add the model sections for (config, params) to w. params holds
 * model_param_count(config) floats (copied). ST_EINVAL for a bad config. */
Status model_io_add_sections(NtsWriter *w, const ModelConfig *config, const float *params,
                             char *msg);

/* Read the model sections of an opened file, layout 1 or 2: the config is
 * validated (model_config_validate), a layout-2 "model.blocks" must match
 * the layout computed for it, and every block must be present with the
 * dims the config implies. *params is caller-owned (free),
 * model_param_count floats. ST_EFORMAT names the file and the section at
 * fault. */
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
