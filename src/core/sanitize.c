#include "neurotop/core/sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/core/utf8.h"

/* Bytes of the clean sequence at s (1..4), or 0 when it must be escaped. */
static size_t clean_len(const char *s, size_t left)
{
    unsigned char b = (unsigned char)s[0];
    if (b < 0x20 || b == 0x7F)
        return 0;
    if (b < 0x80)
        return 1;
    size_t n = utf8_valid_len(s, left);
    if (n == 0)
        return 0;
    uint32_t cp;
    utf8_decode(s, n, &cp);
    return cp >= 0x80 && cp < 0xA0 ? 0 : n; /* C1 controls (CSI is U+009B) */
}

size_t text_sanitize(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in), o = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        size_t k = clean_len(in + i, n - i);
        if (k) {
            if (o + k >= cap)
                break;
            memcpy(out + o, in + i, k);
            o += k;
            i += k;
        } else {
            if (o + 4 >= cap)
                break;
            snprintf(out + o, 5, "\\x%02x", (unsigned char)in[i]);
            o += 4;
            i++;
        }
    }
    out[o] = '\0';
    return o;
}

int text_is_clean(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = clean_len(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}
