#ifndef NEUROTOP_CORE_BYTES_H
#define NEUROTOP_CORE_BYTES_H

/* Little-endian integers in byte buffers, whatever the host's order, and
 * the CRC-32 (zlib's) of a buffer: the binary formats' shared pieces
 * (snapshot files, .npz archives, weight trajectories). */

#include <stddef.h>
#include <stdint.h>

void bytes_put_le32(unsigned char *p, uint32_t v);
void bytes_put_le64(unsigned char *p, uint64_t v);
uint16_t bytes_le16(const unsigned char *p);
uint32_t bytes_le32(const unsigned char *p);
uint64_t bytes_le64(const unsigned char *p);
uint32_t bytes_crc32(const void *p, size_t n);

#endif
