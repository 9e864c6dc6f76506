#ifndef NEUROTOP_CORE_UTF8_H
#define NEUROTOP_CORE_UTF8_H

/* UTF-8 decoding, validation and encoding (RFC 3629), shared by the JSON
 * reader, the lesson parser, the canvas and the line editor. */

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Length of the valid UTF-8 sequence at s (left >= 1 bytes available):
 * 1..4, or 0 when the bytes there are not valid UTF-8 (a stray
 * continuation byte, an overlong form, an encoded surrogate, a code point
 * above U+10FFFF or a sequence cut short). O(1). */
size_t utf8_valid_len(const char *s, size_t left);

/* Decode the code point at s (n bytes available, n >= 1). Returns the bytes
 * used (1..4). Invalid, overlong or truncated sequences, surrogates and
 * values above U+10FFFF give *cp = UTF8_REPLACEMENT and use 1 byte. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encode cp into out (4 bytes of room); returns the length 1..4. Invalid
 * code points are encoded as U+FFFD. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* 1 when byte b continues a multi-byte sequence (10xxxxxx). */
static inline int utf8_is_cont(unsigned char b)
{
    return (b & 0xC0u) == 0x80u;
}

#endif
