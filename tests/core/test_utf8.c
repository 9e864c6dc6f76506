#include <criterion/criterion.h>

#include "neurotop/core/utf8.h"

Test(utf8, round_trip)
{
    const uint32_t cps[] = {'A', 0xE9, 0x2800 + 0xFF, 0x1F600, 0x10FFFF};
    const size_t lens[] = {1, 2, 3, 4, 4};
    for (size_t i = 0; i < 5; i++) {
        char enc[4];
        size_t n = utf8_encode(cps[i], enc);
        cr_assert_eq(n, lens[i]);
        cr_assert_eq(utf8_valid_len(enc, n), n);
        uint32_t back;
        cr_assert_eq(utf8_decode(enc, n, &back), n);
        cr_assert_eq(back, cps[i]);
    }
}

Test(utf8, invalid_sequences_decode_to_the_replacement)
{
    uint32_t cp;
    /* An overlong '/', a lone surrogate, a truncated box-drawing character,
     * a stray continuation byte and a code point above U+10FFFF. */
    const char *bad[] = {"\xc0\xaf", "\xed\xa0\x80", "\xe2\x94", "\x80", "\xf4\x90\x80\x80"};
    const size_t n[] = {2, 3, 2, 1, 4};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(utf8_valid_len(bad[i], n[i]), 0, "case %zu", i);
        cr_assert_eq(utf8_decode(bad[i], n[i], &cp), 1, "case %zu", i);
        cr_assert_eq(cp, UTF8_REPLACEMENT, "case %zu", i);
    }
    /* The first valid three-byte form and the last one before the surrogates. */
    cr_assert_eq(utf8_valid_len("\xe0\xa0\x80", 3), 3);
    cr_assert_eq(utf8_valid_len("\xed\x9f\xbf", 3), 3);
}

Test(utf8, surrogates_encode_as_the_replacement)
{
    char enc[4];
    uint32_t cp;
    size_t n = utf8_encode(0xD800, enc);
    cr_assert_eq(utf8_decode(enc, n, &cp), 3);
    cr_assert_eq(cp, UTF8_REPLACEMENT);
}
