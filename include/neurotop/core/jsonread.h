#ifndef NEUROTOP_CORE_JSONREAD_H
#define NEUROTOP_CORE_JSONREAD_H

/* A small, strict JSON reader (RFC 8259) that builds a tree.
 *
 * Accepted: one JSON value (object, array, string, number, true, false,
 * null; a scalar at the top level is fine) surrounded by optional
 * whitespace (space, tab, LF, CR); a leading UTF-8 byte order mark is
 * skipped (RFC 8259 §8.1 allows that). Rejected with ST_EFORMAT and one
 * sentence naming the document, the line and the column (1-based, counted
 * in characters): truncated input, trailing garbage, invalid UTF-8, raw
 * control characters in strings, unknown or bad escapes, lone UTF-16
 * surrogates, leading zeros, "+1", ".5", "1.", NaN/Infinity, numbers whose
 * magnitude overflows a double, trailing commas, comments, and documents
 * deeper, larger or with more values than the limits.
 *
 * Numbers are converted with strtod in the "C" locale (whatever the
 * process locale), so a value written with %.17g reads back bit-identical.
 * Escapes \uXXXX (with surrogate pairs) become UTF-8; "\u0000" gives a NUL
 * byte inside the string (string_len counts it).
 *
 * Memory: a JsonDoc owns every value, key and string of the document (one
 * arena of a few blocks); every pointer handed out is borrowed from the
 * document and valid until json_doc_free. Parsing is O(length); lookups
 * by key are O(members). Duplicate keys are kept; json_get finds the first. */

#include <stddef.h>

#include "neurotop/core/status.h"

typedef enum {
    JSON_NULL = 0,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} JsonType;

typedef struct JsonValue JsonValue;
struct JsonValue {
    JsonType type;
    int boolean;         /* JSON_BOOL: 0 or 1 */
    int is_integer;      /* JSON_NUMBER written without fraction or exponent and
                            within the range of long long: `integer` is exact */
    long long integer;
    double number;       /* JSON_NUMBER (also set for integers) */
    const char *string;  /* JSON_STRING: NUL-terminated UTF-8, NULL otherwise */
    size_t string_len;   /* bytes of string, not counting the final NUL */
    size_t count;        /* JSON_ARRAY items or JSON_OBJECT members */
    const JsonValue *items; /* count children (array items, member values) */
    const char *const *keys; /* JSON_OBJECT: count member names */
    size_t line, col;    /* where the value starts in the text (1-based) */
};

typedef struct JsonDoc JsonDoc;

/* Limits against hostile or broken input; a zero field means its default. */
typedef struct {
    size_t max_depth;  /* nesting of arrays and objects (default 64) */
    size_t max_bytes;  /* length of the text (default 16 MiB) */
    size_t max_values; /* values in the whole document (default 2^20) */
} JsonLimits;

#define JSON_READ_DEFAULT_DEPTH 64
#define JSON_READ_DEFAULT_BYTES ((size_t)16 << 20)
#define JSON_READ_DEFAULT_VALUES ((size_t)1 << 20)

/* Parse len bytes of text (no NUL needed; embedded NULs are an error).
 * name (e.g. "run.json" or "metrics.jsonl line 7") starts every message;
 * limits may be NULL for the defaults. *out is caller-owned
 * (json_doc_free) and NULL on failure. ST_EFORMAT for malformed input,
 * ST_EINVAL when the text exceeds max_bytes, ST_ENOMEM. O(len). */
Status json_parse(const char *text, size_t len, const char *name, const JsonLimits *limits,
                  JsonDoc **out, char *msg);

/* The top-level value (borrowed from doc). */
const JsonValue *json_doc_root(const JsonDoc *doc);

/* json_doc_free(NULL) is safe. */
void json_doc_free(JsonDoc *doc);

/* Member `key` of an object, or NULL when obj is NULL, not an object, or
 * has no such member (the first one when repeated). O(members). */
const JsonValue *json_get(const JsonValue *obj, const char *key);

/* Item i of an array, or NULL when out of range or not an array. O(1). */
const JsonValue *json_at(const JsonValue *arr, size_t i);

/* The number, or def when v is NULL or not a number (null included, so
 * json_number(v, NAN) reads a metric printed as null as NaN). */
double json_number(const JsonValue *v, double def);

/* The exact integer, or def when v is not a number written as an integer
 * that fits a long long. */
long long json_integer(const JsonValue *v, long long def);

/* The string (borrowed), or def when v is NULL or not a string.
 * (json_string is the writer's function in core/json.h.) */
const char *json_as_string(const JsonValue *v, const char *def);

/* "null", "boolean", "number", "string", "array", "object". */
const char *json_type_name(JsonType t);

#endif
