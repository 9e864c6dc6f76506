#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/json.h"
#include "neurotop/core/jsonread.h"
#include "neurotop/core/rng.h"

static JsonDoc *parse_ok(const char *text)
{
    JsonDoc *d = NULL;
    char msg[STATUS_MSG_LEN] = "";
    Status st = json_parse(text, strlen(text), "t.json", NULL, &d, msg);
    cr_assert_eq(st, ST_OK, "'%s' should parse: %s", text, msg);
    cr_assert_not_null(d);
    return d;
}

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

Test(jsonread, object_with_every_kind_of_value)
{
    JsonDoc *d = parse_ok("{\"name\": \"mlp\", \"sizes\": [784, 100, 10],\n"
                          " \"lr\": 0.3, \"ok\": true, \"bad\": false, \"none\": null,\n"
                          " \"nested\": {\"a\": [], \"b\": {}}, \"neg\": -2.5e-3}");
    const JsonValue *r = json_doc_root(d);
    cr_assert_eq(r->type, JSON_OBJECT);
    cr_assert_eq(r->count, 8);
    cr_assert_str_eq(json_as_string(json_get(r, "name"), NULL), "mlp");
    const JsonValue *sizes = json_get(r, "sizes");
    cr_assert_eq(sizes->type, JSON_ARRAY);
    cr_assert_eq(sizes->count, 3);
    cr_assert_eq(json_integer(json_at(sizes, 0), -1), 784);
    cr_assert_eq(json_integer(json_at(sizes, 2), -1), 10);
    cr_assert_null(json_at(sizes, 3));
    cr_assert_eq(bits(json_number(json_get(r, "lr"), 0)), bits(0.3), "0.3 reads as the double 0.3");
    cr_assert_eq(json_get(r, "ok")->boolean, 1);
    cr_assert_eq(json_get(r, "bad")->type, JSON_BOOL);
    cr_assert_eq(json_get(r, "bad")->boolean, 0);
    cr_assert_eq(json_get(r, "none")->type, JSON_NULL);
    cr_assert(isnan(json_number(json_get(r, "none"), NAN)), "null reads as the default");
    const JsonValue *nested = json_get(r, "nested");
    cr_assert_eq(json_get(nested, "a")->count, 0);
    cr_assert_eq(json_get(nested, "b")->type, JSON_OBJECT);
    cr_assert_eq(json_number(json_get(r, "neg"), 0), -2.5e-3);
    cr_assert_eq(json_get(r, "neg")->is_integer, 0);
    /* Missing keys, wrong types and NULL all give the defaults. */
    cr_assert_null(json_get(r, "missing"));
    cr_assert_null(json_get(sizes, "name"));
    cr_assert_null(json_get(NULL, "name"));
    cr_assert_eq(json_number(json_get(r, "name"), 7.0), 7.0);
    cr_assert_eq(json_integer(json_get(r, "lr"), 9), 9, "0.3 is not an integer");
    cr_assert_str_eq(json_as_string(json_get(r, "lr"), "def"), "def");
    /* Positions: "lr" is on line 2, its value at column 8. */
    cr_assert_eq(json_get(r, "lr")->line, 2);
    cr_assert_eq(json_get(r, "lr")->col, 8);
    cr_assert_eq(r->line, 1);
    cr_assert_eq(r->col, 1);
    json_doc_free(d);
}

Test(jsonread, scalars_at_the_top_level_and_whitespace)
{
    JsonDoc *d = parse_ok(" \t\r\n 42 \n");
    cr_assert_eq(json_integer(json_doc_root(d), 0), 42);
    cr_assert_eq(json_doc_root(d)->line, 2);
    cr_assert_eq(json_doc_root(d)->col, 2);
    json_doc_free(d);
    d = parse_ok("\"x\"");
    cr_assert_str_eq(json_doc_root(d)->string, "x");
    json_doc_free(d);
    d = parse_ok("null");
    cr_assert_eq(json_doc_root(d)->type, JSON_NULL);
    json_doc_free(d);
    /* A UTF-8 byte order mark is skipped. */
    d = parse_ok("\xEF\xBB\xBF[true]");
    cr_assert_eq(json_doc_root(d)->count, 1);
    json_doc_free(d);
}

Test(jsonread, string_escapes_become_utf8)
{
    JsonDoc *d = parse_ok("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\","
                          " \"\\u0000z\", \"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"]");
    const JsonValue *r = json_doc_root(d);
    cr_assert_str_eq(json_at(r, 0)->string, "a\"b\\c/d\b\f\n\r\t");
    cr_assert_str_eq(json_at(r, 1)->string, "\xC3\xA9\xE2\x82\xAC", "U+00E9 and U+20AC");
    cr_assert_str_eq(json_at(r, 2)->string, "\xF0\x9F\x98\x80", "the surrogate pair is U+1F600");
    cr_assert_eq(json_at(r, 3)->string_len, 2, "\\u0000 keeps its NUL byte");
    cr_assert_eq(memcmp(json_at(r, 3)->string, "\0z", 3), 0);
    cr_assert_str_eq(json_at(r, 4)->string, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
    cr_assert_eq(json_at(r, 4)->string_len, 14);
    json_doc_free(d);
}

Test(jsonread, numbers_exact_integers_and_ranges)
{
    JsonDoc *d = parse_ok("[0, -0, 1E2, 1e+2, 5e-1, -9223372036854775808, 9223372036854775808,"
                          " 1e308, 1e-400, 123456789012345678901234567890]");
    const JsonValue *r = json_doc_root(d);
    cr_assert_eq(json_integer(json_at(r, 0), 1), 0);
    cr_assert(signbit(json_number(json_at(r, 1), 0)), "-0 keeps its sign");
    cr_assert_eq(json_number(json_at(r, 2), 0), 100.0);
    cr_assert_eq(json_at(r, 2)->is_integer, 0, "an exponent makes it a real");
    cr_assert_eq(json_number(json_at(r, 3), 0), 100.0);
    cr_assert_eq(json_number(json_at(r, 4), 0), 0.5);
    cr_assert_eq(json_integer(json_at(r, 5), 0), INT64_MIN);
    cr_assert_eq(json_at(r, 6)->is_integer, 0, "2^63 does not fit a long long");
    cr_assert_eq(json_number(json_at(r, 6), 0), 9223372036854775808.0);
    cr_assert_eq(json_number(json_at(r, 7), 0), 1e308);
    cr_assert_eq(json_number(json_at(r, 8), 1), 0.0, "underflow reads as zero");
    cr_assert_eq(json_number(json_at(r, 9), 0), 1.2345678901234568e29);
    json_doc_free(d);
}

Test(jsonread, writer_output_reads_back_bit_identical)
{
    Rng rng;
    rng_seed(&rng, 2024, 0);
    double v[200];
    for (size_t i = 0; i < 200; i++) {
        double m = rng_normal(&rng);
        v[i] = ldexp(m, (int)rng_below(&rng, 200) - 100);
    }
    v[0] = 0.1;
    v[1] = -1.0 / 3.0;
    v[2] = 5e-324;
    v[3] = 1.7976931348623157e308;
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    json_real_array(&w, v, 200);
    JsonDoc *d = parse_ok(strbuf_cstr(&b));
    const JsonValue *r = json_doc_root(d);
    cr_assert_eq(r->count, 200);
    for (size_t i = 0; i < 200; i++)
        cr_assert_eq(bits(json_number(json_at(r, i), 0)), bits(v[i]), "value %zu: %.17g", i, v[i]);
    json_doc_free(d);
    strbuf_done(&b);
}

typedef struct {
    const char *text;
    size_t len; /* 0 = strlen */
    const char *where; /* expected "line L, column C" */
    const char *what;  /* expected fragment of the message */
} Bad;

Test(jsonread, malformed_documents_name_line_and_column)
{
    static const Bad cases[] = {
        {"", 0, "line 1, column 1", "ends where a value was expected"},
        {"  \n ", 0, "line 2, column 2", "ends where a value was expected"},
        {"{\"a\":1", 0, "line 1, column 7", "expected ',' or '}'"},
        {"[1,2", 0, "line 1, column 5", "expected ',' or ']'"},
        {"\"abc", 0, "line 1, column 1", "not terminated"},
        {"\"ab\\", 0, "line 1, column 1", "not terminated"},
        {"{} x", 0, "line 1, column 4", "unexpected 'x' after the end"},
        {"1 2", 0, "line 1, column 3", "unexpected '2'"},
        {"[\"\\x\"]", 0, "line 1, column 3", "unknown escape \\'x'"},
        {"\"\\u12\"", 0, "line 1, column 2", "four hexadecimal digits"},
        {"\"\\ud800\"", 0, "line 1, column 2", "high surrogate not followed"},
        {"\"\\ud800\\u0041\"", 0, "line 1, column 2", "high surrogate not followed"},
        {"\"\\udc00\"", 0, "line 1, column 2", "low surrogate"},
        {"\"a\tb\"", 0, "line 1, column 3", "control character U+0009"},
        {"01", 0, "line 1, column 1", "leading zeros"},
        {"-", 0, "line 1, column 1", "'-' must be followed by a digit"},
        {"1.", 0, "line 1, column 3", "decimal point"},
        {".5", 0, "line 1, column 1", "expected a value"},
        {"+1", 0, "line 1, column 1", "expected a value"},
        {"1e", 0, "line 1, column 3", "exponent"},
        {"NaN", 0, "line 1, column 1", "expected a value"},
        {"[Infinity]", 0, "line 1, column 2", "expected a value"},
        {"[1,]", 0, "line 1, column 4", "expected a value"},
        {"{\"a\":1,}", 0, "line 1, column 8", "member name"},
        {"{a:1}", 0, "line 1, column 2", "member name"},
        {"{\"a\" 1}", 0, "line 1, column 6", "expected ':'"},
        {"// c\n1", 0, "line 1, column 1", "expected a value"},
        {"['x']", 0, "line 1, column 2", "found '''"},
        {"tru", 0, "line 1, column 1", "expected a value"},
        {"\"\xC0\x80\"", 0, "line 1, column 2", "invalid UTF-8 byte 0xC0"},
        {"\"\xED\xA0\x80\"", 0, "line 1, column 2", "invalid UTF-8"},
        {"\"\xF4\x90\x80\x80\"", 0, "line 1, column 2", "invalid UTF-8"},
        {"\"\xE2\x82\"", 0, "line 1, column 2", "invalid UTF-8"},
        {"[1\0]", 4, "line 1, column 3", "byte 0x00"},
        {"1e309", 0, "line 1, column 1", "too large for a double"},
        {"[-1e400]", 0, "line 1, column 2", "too large"},
        {"{\"\xC3\xA9\xC3\xA9\":\n  [1, x]}", 0, "line 2, column 7", "found 'x'"},
        {"[1, 2]\n\n  ]", 0, "line 3, column 3", "unexpected ']'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const Bad *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        JsonDoc *d = (JsonDoc *)1;
        char msg[STATUS_MSG_LEN] = "";
        Status st = json_parse(c->text, len, "t.json", NULL, &d, msg);
        cr_assert_eq(st, ST_EFORMAT, "case %zu should fail: %s", i, c->text);
        cr_assert_null(d);
        cr_assert(strncmp(msg, "t.json ", 7) == 0, "case %zu names the document: %s", i, msg);
        cr_assert(strstr(msg, c->where) != NULL, "case %zu at %s: %s", i, c->where, msg);
        cr_assert(strstr(msg, c->what) != NULL, "case %zu says '%s': %s", i, c->what, msg);
    }
}

static char *nested(size_t depth)
{
    char *s = malloc(2 * depth + 2);
    for (size_t i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + 1 + i] = ']';
    }
    s[depth] = '0';
    s[2 * depth + 1] = '\0';
    return s;
}

Test(jsonread, depth_size_and_value_limits)
{
    char msg[STATUS_MSG_LEN];
    JsonDoc *d = NULL;
    char *ok = nested(JSON_READ_DEFAULT_DEPTH);
    cr_assert_eq(json_parse(ok, strlen(ok), "deep", NULL, &d, msg), ST_OK, "%s", msg);
    const JsonValue *v = json_doc_root(d);
    for (size_t i = 0; i < JSON_READ_DEFAULT_DEPTH; i++)
        v = json_at(v, 0);
    cr_assert_eq(json_integer(v, -1), 0, "the innermost value is reached");
    json_doc_free(d);
    char *bad = nested(JSON_READ_DEFAULT_DEPTH + 1);
    cr_assert_eq(json_parse(bad, strlen(bad), "deep", NULL, &d, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "column 65") && strstr(msg, "deeper than 64"), "%s", msg);
    free(bad);
    char *huge = nested(100000);
    cr_assert_eq(json_parse(huge, strlen(huge), "deep", NULL, &d, msg), ST_EFORMAT,
                 "a very deep document fails without exhausting the stack");
    free(huge);
    free(ok);

    JsonLimits lim = {.max_depth = 2, .max_bytes = 10, .max_values = 3};
    cr_assert_eq(json_parse("[[1]]", 5, "t", &lim, &d, msg), ST_OK, "%s", msg);
    json_doc_free(d);
    cr_assert_eq(json_parse("[[[1]]]", 7, "t", &lim, &d, msg), ST_EFORMAT);
    cr_assert_eq(json_parse("[1,2,3]", 7, "t", &lim, &d, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "more than 3 values"), "%s", msg);
    cr_assert_eq(json_parse("[1, 2    ]", 10, "t", &lim, &d, msg), ST_OK);
    json_doc_free(d);
    cr_assert_eq(json_parse("[1, 2     ]", 11, "t", &lim, &d, msg), ST_EINVAL);
    cr_assert(strstr(msg, "11 bytes"), "%s", msg);
    cr_assert_null(d);
}

Test(jsonread, many_members_and_duplicates)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "{");
    for (int i = 0; i < 3000; i++)
        strbuf_printf(&b, "%s\"k%d\":[%d,\"s%d\"]", i ? "," : "", i, i, i);
    strbuf_append(&b, ",\"k5\":-1}");
    JsonDoc *d = parse_ok(strbuf_cstr(&b));
    const JsonValue *r = json_doc_root(d);
    cr_assert_eq(r->count, 3001);
    cr_assert_eq(json_integer(json_at(json_get(r, "k2999"), 0), -1), 2999);
    cr_assert_str_eq(json_at(json_get(r, "k1234"), 1)->string, "s1234");
    cr_assert_eq(json_integer(json_at(json_get(r, "k5"), 0), 0), 5, "the first of repeated keys");
    cr_assert_eq(json_integer(&r->items[3000], 0), -1, "the repeat is kept");
    cr_assert_str_eq(r->keys[3000], "k5");
    json_doc_free(d);
    strbuf_done(&b);
    json_doc_free(NULL);
}
