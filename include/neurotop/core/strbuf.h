#ifndef NEUROTOP_CORE_STRBUF_H
#define NEUROTOP_CORE_STRBUF_H

/* Growable NUL-terminated string. Embeddable: strbuf_init / strbuf_done.
 * Out-of-memory is sticky: appends after a failure are ignored and
 * strbuf_failed() reports it once at the end. */

#include <stddef.h>

typedef struct {
    char *data; /* always NUL-terminated when len > 0 or after init */
    size_t len;
    size_t cap;
    int failed;
} StrBuf;

void strbuf_init(StrBuf *b);
void strbuf_done(StrBuf *b);
void strbuf_clear(StrBuf *b);
void strbuf_append(StrBuf *b, const char *s);
void strbuf_append_n(StrBuf *b, const char *s, size_t n);
void strbuf_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_failed(const StrBuf *b);
/* Borrowed pointer to the text ("" when empty). */
const char *strbuf_cstr(const StrBuf *b);

#endif
