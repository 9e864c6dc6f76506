/* Shared by the trajectory writer and reader: the byte layout's helpers. */
#ifndef NEUROTOP_RUN_TRAJECTORY_INTERNAL_H
#define NEUROTOP_RUN_TRAJECTORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

void traj_layer_path(const char *run_dir, size_t layer, char *out, size_t cap);

/* Record flags: bit 0 binary16; bit 1 the matrix's planes are stored as
 * they are and the top plane coded by traj_top_pack (else, in records of
 * earlier versions, all planes are one zlib stream); bit 2 the values are
 * input-major (inputs × units, as the weights lie; else units × inputs). */
#define TRAJ_FLAG_HALF 1u
#define TRAJ_FLAG_TOP_CODED 2u
#define TRAJ_FLAG_INPUT_MAJOR 4u
#define TRAJ_FLAGS_KNOWN 7u

/* The top plane's code: bits per value (0..7, or 8 for the plane as it
 * is), dictionary entries d, escapes e (LE32); then the dictionary, the
 * codes LSB first (code d = the next escaped byte), the escaped bytes. */
#define TRAJ_TOP_HEAD 6
/* Most bytes traj_top_pack writes for n values. */
size_t traj_top_bound(size_t n);
/* Code the n bytes of top into out (traj_top_bound(n) bytes); returns the
 * length written. */
size_t traj_top_pack(const unsigned char *top, size_t n, unsigned char *out);
/* Decode exactly len bytes of in into n values; -1 when they are not a
 * whole code of n values. */
int traj_top_unpack(const unsigned char *in, size_t len, size_t n, unsigned char *top);

#endif
