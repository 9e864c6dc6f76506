#ifndef NEUROTOP_CORE_NTS_H
#define NEUROTOP_CORE_NTS_H

/* The "nts" snapshot container (docs/architecture.md "Run directory"): a small
 * binary file of named, typed, CRC-protected sections.
 *
 * Layout (all integers little-endian):
 *   header   "NTS1"  u32 version (1)  u32 n_sections  u32 flags (0)  u64 file_len
 *   table    n_sections entries of 96 bytes:
 *              char name[32] (UTF-8, NUL-padded, at least one NUL)
 *              u32 type  u32 n_dims  u64 dims[4] (unused dims 0)
 *              u64 offset  u64 payload_len  u32 payload_crc32  u32 reserved (0)
 *   u32 header_crc32 (over every byte before it)  u32 padding (0)
 *   payloads, each starting at a multiple of 8 bytes, zero padding between.
 * A float32 or uint32 section holds prod(dims) values; a text section holds
 * dims[0] bytes of text (UTF-8 by convention; the reader rejects NUL bytes),
 * n_dims = 1. CRCs are zlib's crc32.
 *
 * Writing builds the file in memory and writes it atomically (temporary file,
 * fsync, rename). Reading checks every claim (magic, version, table size,
 * file_len, offsets and lengths against the real file length, dims against
 * payload lengths with overflow checks, CRCs) before trusting it, and names
 * the file and the section in its message. */

#include <stddef.h>
#include <stdint.h>

#include "neurotop/core/status.h"

#define NTS_VERSION 1
#define NTS_NAME_LEN 32
#define NTS_MAX_DIMS 4
#define NTS_MAX_SECTIONS 4096
/* Largest file nts_open reads (2 GiB). */
#define NTS_MAX_FILE_BYTES ((size_t)1 << 31)

typedef enum { NTS_F32 = 1, NTS_U32 = 2, NTS_TEXT = 3 } NtsType;

/* A read-only view of one section of an NtsFile (borrowed from it). For
 * NTS_TEXT, `text` is a NUL-terminated copy of the bytes and `count` their
 * number; for numeric types `f32`/`u32` point at `count` values in host order. */
typedef struct {
    char name[NTS_NAME_LEN];
    NtsType type;
    size_t n_dims;
    size_t dims[NTS_MAX_DIMS];
    size_t count; /* values (numeric) or bytes (text) */
    const float *f32;
    const uint32_t *u32;
    const char *text;
} NtsSection;

typedef struct NtsWriter NtsWriter;
typedef struct NtsFile NtsFile;

/* An empty writer, or NULL when out of memory. nts_writer_free(NULL) is safe. */
NtsWriter *nts_writer_new(void);
void nts_writer_free(NtsWriter *w);

/* Add a section, copying the data (the caller keeps ownership of its arrays).
 * name: 1..31 bytes, unique within the writer. dims: 1..NTS_MAX_DIMS sizes
 * whose product is the number of values in data. O(values). */
Status nts_add_f32(NtsWriter *w, const char *name, const float *data, size_t n_dims,
                   const size_t *dims, char *msg);
Status nts_add_u32(NtsWriter *w, const char *name, const uint32_t *data, size_t n_dims,
                   const size_t *dims, char *msg);
/* A text section holding strlen(text) bytes of text (JSON, for example). */
Status nts_add_text(NtsWriter *w, const char *name, const char *text, char *msg);

/* Serialise into a new heap buffer (*out, caller frees; *len bytes). */
Status nts_writer_encode(const NtsWriter *w, unsigned char **out, size_t *len, char *msg);
/* Encode and write to path atomically (file_write_atomic). */
Status nts_writer_save(const NtsWriter *w, const char *path, char *msg);

/* Read and validate a whole file (at most NTS_MAX_FILE_BYTES). Corrupted,
 * truncated or malformed files give ST_EFORMAT, unreadable ones ST_EIO.
 * *out is owned by the caller (nts_file_free). O(file length). */
Status nts_open(const char *path, NtsFile **out, char *msg);
/* The same on bytes already in memory (copied); `name` is used in messages. */
Status nts_parse(const void *data, size_t len, const char *name, NtsFile **out, char *msg);
/* nts_file_free(NULL) is safe. */
void nts_file_free(NtsFile *f);

/* The path (or name) the file was read from, for messages. Borrowed. */
const char *nts_file_name(const NtsFile *f);
size_t nts_section_count(const NtsFile *f);
/* Section i (0 <= i < count), borrowed from f. */
const NtsSection *nts_section_at(const NtsFile *f, size_t i);
/* Section by name, or NULL when absent. Borrowed from f. */
const NtsSection *nts_find(const NtsFile *f, const char *name);

#endif
