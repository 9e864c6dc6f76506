#include "neurotop/core/json.h"

#include <math.h>
#include <stdio.h>

void json_init(JsonWriter *w, StrBuf *out)
{
    w->out = out;
    w->depth = 0;
    w->need_comma[0] = 0;
    w->after_key = 0;
}

/* Every value or key calls this first: it writes the separating comma. */
static void before_value(JsonWriter *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->need_comma[w->depth])
        strbuf_append(w->out, ",");
    w->need_comma[w->depth] = 1;
}

static void open(JsonWriter *w, const char *c)
{
    before_value(w);
    strbuf_append(w->out, c);
    if (w->depth + 1 < JSON_MAX_DEPTH)
        w->depth++;
    w->need_comma[w->depth] = 0;
}

static void close_(JsonWriter *w, const char *c)
{
    strbuf_append(w->out, c);
    if (w->depth > 0)
        w->depth--;
}

void json_object_begin(JsonWriter *w) { open(w, "{"); }
void json_object_end(JsonWriter *w) { close_(w, "}"); }
void json_array_begin(JsonWriter *w) { open(w, "["); }
void json_array_end(JsonWriter *w) { close_(w, "]"); }

static void write_string(StrBuf *out, const char *s)
{
    strbuf_append(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': strbuf_append(out, "\\\""); break;
        case '\\': strbuf_append(out, "\\\\"); break;
        case '\n': strbuf_append(out, "\\n"); break;
        case '\r': strbuf_append(out, "\\r"); break;
        case '\t': strbuf_append(out, "\\t"); break;
        default:
            if (*p < 0x20)
                strbuf_printf(out, "\\u%04x", *p);
            else
                strbuf_append_n(out, (const char *)p, 1);
        }
    }
    strbuf_append(out, "\"");
}

void json_key(JsonWriter *w, const char *key)
{
    before_value(w);
    write_string(w->out, key);
    strbuf_append(w->out, ":");
    w->after_key = 1;
}

void json_real(JsonWriter *w, double v)
{
    before_value(w);
    if (!isfinite(v))
        strbuf_append(w->out, "null");
    else if (v == 0.0)
        strbuf_append(w->out, "0"); /* avoids "-0" */
    else
        strbuf_printf(w->out, "%.17g", v);
}

void json_int(JsonWriter *w, long long v)
{
    before_value(w);
    strbuf_printf(w->out, "%lld", v);
}

void json_bool(JsonWriter *w, int v)
{
    before_value(w);
    strbuf_append(w->out, v ? "true" : "false");
}

void json_null(JsonWriter *w)
{
    before_value(w);
    strbuf_append(w->out, "null");
}

void json_string(JsonWriter *w, const char *s)
{
    before_value(w);
    write_string(w->out, s);
}

void json_real_array(JsonWriter *w, const double *v, size_t n)
{
    json_array_begin(w);
    for (size_t i = 0; i < n; i++)
        json_real(w, v[i]);
    json_array_end(w);
}

void json_int_array(JsonWriter *w, const int *v, size_t n)
{
    json_array_begin(w);
    for (size_t i = 0; i < n; i++)
        json_int(w, v[i]);
    json_array_end(w);
}

void json_kv_real(JsonWriter *w, const char *key, double v)
{
    json_key(w, key);
    json_real(w, v);
}

void json_kv_int(JsonWriter *w, const char *key, long long v)
{
    json_key(w, key);
    json_int(w, v);
}

void json_kv_string(JsonWriter *w, const char *key, const char *s)
{
    json_key(w, key);
    json_string(w, s);
}

void json_real_matrix(JsonWriter *w, const double *v, size_t rows, size_t cols)
{
    json_array_begin(w);
    for (size_t i = 0; i < rows; i++)
        json_real_array(w, v + i * cols, cols);
    json_array_end(w);
}

void json_int_matrix(JsonWriter *w, const int *v, size_t rows, size_t cols)
{
    json_array_begin(w);
    for (size_t i = 0; i < rows; i++)
        json_int_array(w, v + i * cols, cols);
    json_array_end(w);
}
