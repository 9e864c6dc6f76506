/* Shared by the trajectory writer and reader: the byte layout's helpers. */
#ifndef NEUROTOP_RUN_TRAJECTORY_INTERNAL_H
#define NEUROTOP_RUN_TRAJECTORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

void traj_layer_path(const char *run_dir, size_t layer, char *out, size_t cap);

#endif
