/* libFuzzer target for the JSON reader (`make fuzz`).
 *
 * Beyond "no crash, no leak, no sanitizer report" it checks the reader's
 * contract: on failure no document and a message naming a line and column;
 * on success a consistent tree (counts, keys, terminated strings, depth
 * within the limit), and writing the tree again with the JSON writer gives
 * a document that reads back equal (numbers compared as doubles). */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/json.h"
#include "neurotop/core/jsonread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DEPTH 40

/* Checks the tree; returns its depth and clears *writable when the writer
 * cannot reproduce it (strings with NUL bytes, deeper than it nests). */
static size_t check_tree(const JsonValue *v, size_t depth, int *writable)
{
    if (depth > FUZZ_DEPTH)
        abort();
    if (v->line == 0 || v->col == 0)
        abort();
    size_t deepest = depth;
    switch (v->type) {
    case JSON_NULL:
    case JSON_BOOL:
        if (v->boolean != 0 && v->boolean != 1)
            abort();
        break;
    case JSON_NUMBER:
        if (v->number != v->number || v->number - v->number != 0)
            abort(); /* never NaN or infinite */
        if (v->is_integer && (double)v->integer != v->number)
            abort();
        break;
    case JSON_STRING:
        if (!v->string || v->string[v->string_len] != '\0')
            abort();
        if (strlen(v->string) != v->string_len)
            *writable = 0;
        break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        if (v->count && !v->items)
            abort();
        for (size_t i = 0; i < v->count; i++) {
            if (v->type == JSON_OBJECT) {
                if (!v->keys[i])
                    abort();
                if (json_get(v, v->keys[i]) == NULL)
                    abort();
            }
            size_t d = check_tree(&v->items[i], depth + 1, writable);
            if (d > deepest)
                deepest = d;
        }
        break;
    default:
        abort();
    }
    return deepest;
}

static void write_tree(JsonWriter *w, const JsonValue *v)
{
    switch (v->type) {
    case JSON_NULL: json_null(w); break;
    case JSON_BOOL: json_bool(w, v->boolean); break;
    case JSON_NUMBER: json_real(w, v->number); break;
    case JSON_STRING: json_string(w, v->string); break;
    case JSON_ARRAY:
        json_array_begin(w);
        for (size_t i = 0; i < v->count; i++)
            write_tree(w, &v->items[i]);
        json_array_end(w);
        break;
    case JSON_OBJECT:
        json_object_begin(w);
        for (size_t i = 0; i < v->count; i++) {
            json_key(w, v->keys[i]);
            write_tree(w, &v->items[i]);
        }
        json_object_end(w);
        break;
    }
}

static void check_same(const JsonValue *a, const JsonValue *b)
{
    if (a->type != b->type || a->count != b->count)
        abort();
    if (a->type == JSON_BOOL && a->boolean != b->boolean)
        abort();
    if (a->type == JSON_NUMBER && a->number != b->number)
        abort();
    if (a->type == JSON_STRING && strcmp(a->string, b->string) != 0)
        abort();
    for (size_t i = 0; i < a->count; i++) {
        if (a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0)
            abort();
        check_same(&a->items[i], &b->items[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[STATUS_MSG_LEN];
    msg[0] = '\0';
    JsonDoc *doc = NULL;
    JsonLimits lim = {.max_depth = FUZZ_DEPTH, .max_bytes = 1 << 16, .max_values = 1 << 14};
    Status st = json_parse((const char *)data, size, "fuzz.json", &lim, &doc, msg);
    if (st != ST_OK) {
        if (doc || msg[0] == '\0')
            abort();
        if (st == ST_EFORMAT && (!strstr(msg, "line ") || !strstr(msg, "column ")))
            abort();
        return 0;
    }
    int writable = 1;
    size_t depth = check_tree(json_doc_root(doc), 0, &writable);
    if (writable && depth + 1 < JSON_MAX_DEPTH) {
        StrBuf b;
        strbuf_init(&b);
        JsonWriter w;
        json_init(&w, &b);
        write_tree(&w, json_doc_root(doc));
        if (strbuf_failed(&b))
            abort();
        JsonDoc *again = NULL;
        if (json_parse(strbuf_cstr(&b), b.len, "again.json", NULL, &again, msg) != ST_OK)
            abort();
        check_same(json_doc_root(doc), json_doc_root(again));
        json_doc_free(again);
        strbuf_done(&b);
    }
    json_doc_free(doc);
    return 0;
}
