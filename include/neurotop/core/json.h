#ifndef NEUROTOP_CORE_JSON_H
#define NEUROTOP_CORE_JSON_H

/* Minimal streaming JSON writer into a StrBuf. Commas are inserted
 * automatically. Reals are printed with %.17g; a non-finite real is printed
 * as null (docs/methods.md: NaN and Inf are never printed). */

#include <stddef.h>

#include "neurotop/core/strbuf.h"

#define JSON_MAX_DEPTH 32

typedef struct {
    StrBuf *out;                  /* borrowed */
    int depth;
    int need_comma[JSON_MAX_DEPTH];
    int after_key;
} JsonWriter;

void json_init(JsonWriter *w, StrBuf *out);
void json_object_begin(JsonWriter *w);
void json_object_end(JsonWriter *w);
void json_array_begin(JsonWriter *w);
void json_array_end(JsonWriter *w);
void json_key(JsonWriter *w, const char *key);
void json_real(JsonWriter *w, double v);
void json_int(JsonWriter *w, long long v);
void json_bool(JsonWriter *w, int v);
void json_null(JsonWriter *w);
void json_string(JsonWriter *w, const char *s);
/* Arrays of numbers in one call. */
void json_real_array(JsonWriter *w, const double *v, size_t n);
void json_int_array(JsonWriter *w, const int *v, size_t n);
/* A rows × cols row-major matrix as an array of row arrays. */
void json_real_matrix(JsonWriter *w, const double *v, size_t rows, size_t cols);
void json_int_matrix(JsonWriter *w, const int *v, size_t rows, size_t cols);
/* Convenience: key followed by value. */
void json_kv_real(JsonWriter *w, const char *key, double v);
void json_kv_int(JsonWriter *w, const char *key, long long v);
void json_kv_string(JsonWriter *w, const char *key, const char *s);

#endif
