#ifndef NEUROTOP_TUI_UTF8_H
#define NEUROTOP_TUI_UTF8_H

/* Minimal UTF-8 decoding and encoding for the canvas and the line editor. */

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

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
