#ifndef NEUROTOP_CORE_SANITIZE_H
#define NEUROTOP_CORE_SANITIZE_H

/* Text from files (run folders, CSV cells, lesson and theme lines, snapshot
 * section names) may hold terminal escape sequences; printed raw they would
 * move the cursor, recolour or retitle the user's terminal. Everything shown
 * from a file goes through text_sanitize first: status_fail applies it to
 * every message, the TUI to its message line. */

#include <stddef.h>

/* Copy the NUL-terminated text in into out (cap >= 1 bytes, always
 * terminated), writing every control character (U+0000..U+001F, U+007F,
 * U+0080..U+009F) and every byte that is not valid UTF-8 as a visible
 * escape "\xHH" (one per byte); valid printable UTF-8 is kept. Never cuts an
 * escape or a UTF-8 sequence in half when out is too small. Returns the
 * length written. in and out must not overlap. O(strlen(in)). */
size_t text_sanitize(const char *in, char *out, size_t cap);

/* 1 when text_sanitize would keep s unchanged. */
int text_is_clean(const char *s);

#endif
