/* Shared by the trajectory writer and reader: the byte layout's helpers. */
#ifndef NEUROTOP_RUN_TRAJECTORY_INTERNAL_H
#define NEUROTOP_RUN_TRAJECTORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

void traj_put_u32(unsigned char *p, uint32_t v);
void traj_put_u64(unsigned char *p, uint64_t v);
uint32_t traj_get_u32(const unsigned char *p);
uint64_t traj_get_u64(const unsigned char *p);
uint32_t traj_crc(const void *p, size_t n);
void traj_layer_path(const char *run_dir, size_t layer, char *out, size_t cap);

#endif
