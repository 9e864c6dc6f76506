#include "neurotop/core/jsonread.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/utf8.h"

/* ---- arena --------------------------------------------------------------- */

typedef struct Block {
    struct Block *next;
    size_t used, cap;
    max_align_t data[];
} Block;

struct JsonDoc {
    JsonValue root;
    Block *blocks;
    size_t next_cap; /* blocks double up to 1 MiB so small documents stay small */
};

static void *arena_alloc(JsonDoc *d, size_t n)
{
    size_t a = alignof(max_align_t);
    if (n == 0)
        return NULL;
    if (n > SIZE_MAX - a)
        return NULL;
    n = (n + a - 1) / a * a;
    Block *b = d->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = d->next_cap > n ? d->next_cap : n;
        if (cap > SIZE_MAX - sizeof *b)
            return NULL;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = d->blocks;
        b->used = 0;
        b->cap = cap;
        d->blocks = b;
        if (d->next_cap < ((size_t)1 << 20))
            d->next_cap *= 2;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void json_doc_free(JsonDoc *doc)
{
    if (!doc)
        return;
    Block *b = doc->blocks;
    while (b) {
        Block *next = b->next;
        free(b);
        b = next;
    }
    free(doc);
}

const JsonValue *json_doc_root(const JsonDoc *doc)
{
    return &doc->root;
}

/* ---- parser state -------------------------------------------------------- */

typedef struct {
    const unsigned char *s;
    size_t len, pos;
    const char *name;
    char *msg;
    JsonLimits lim;
    size_t values;
    JsonDoc *doc;
    /* Children of the arrays/objects being parsed, copied into the arena
     * when their container closes. */
    JsonValue *stack;
    size_t sn, scap;
    const char **kstack;
    size_t kn, kcap;
    /* Decoded string or number token being built. */
    char *buf;
    size_t blen, bcap;
    /* Line bookkeeping for value positions: newlines only occur in
     * whitespace, and UTF-8 continuation bytes only inside strings. */
    size_t line, line_start, cont;
} Parser;

/* Line and column (in characters) of byte offset `at`, by scanning: used
 * for error messages only. */
static void position_of(const Parser *p, size_t at, size_t *line, size_t *col)
{
    size_t ln = 1, c = 1;
    for (size_t i = 0; i < at && i < p->len; i++) {
        if (p->s[i] == '\n') {
            ln++;
            c = 1;
        } else if ((p->s[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = ln;
    *col = c;
}

static Status perr(const Parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static Status perr(const Parser *p, size_t at, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    size_t line, col;
    position_of(p, at, &line, &col);
    return status_fail(p->msg, ST_EFORMAT, "%s line %zu, column %zu: %s", p->name, line, col, what);
}

static Status oom(const Parser *p)
{
    return status_fail(p->msg, ST_ENOMEM, "out of memory reading %s", p->name);
}

/* A readable name for the byte at pos, for "found ..." messages. */
static void describe(const Parser *p, size_t pos, char *out, size_t cap)
{
    if (pos >= p->len)
        snprintf(out, cap, "the end of the document");
    else if (p->s[pos] >= 0x21 && p->s[pos] < 0x7F)
        snprintf(out, cap, "'%c'", p->s[pos]);
    else
        snprintf(out, cap, "byte 0x%02X", p->s[pos]);
}

/* "expected <what>, found <the byte at p->pos>". */
static Status expected(const Parser *p, const char *what)
{
    char found[32];
    describe(p, p->pos, found, sizeof found);
    return perr(p, p->pos, "expected %s, found %s", what, found);
}

static int buf_put(Parser *p, const void *data, size_t n)
{
    if (p->blen + n + 1 > p->bcap) {
        size_t cap = p->bcap ? p->bcap : 64;
        while (cap < p->blen + n + 1)
            cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b)
            return -1;
        p->buf = b;
        p->bcap = cap;
    }
    memcpy(p->buf + p->blen, data, n);
    p->blen += n;
    p->buf[p->blen] = '\0';
    return 0;
}

static void skip_ws(Parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c == '\n') {
            p->line++;
            p->line_start = p->pos + 1;
            p->cont = 0;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        p->pos++;
    }
}

/* ---- strings -------------------------------------------------------------- */

static int hex4(const unsigned char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static int put_utf8(Parser *p, unsigned cp)
{
    char u[4];
    return buf_put(p, u, utf8_encode(cp, u));
}

/* Decode the string at p->pos (which is '"') into p->buf. */
static Status parse_string_raw(Parser *p)
{
    size_t start = p->pos;
    p->pos++;
    p->blen = 0;
    if (buf_put(p, "", 0))
        return oom(p);
    for (;;) {
        if (p->pos >= p->len)
            return perr(p, start, "the string starting here is not terminated");
        unsigned char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return ST_OK;
        }
        if (c < 0x20)
            return perr(p, p->pos, "control character U+%04X must be escaped inside a string", c);
        if (c == '\\') {
            size_t esc = p->pos;
            if (p->pos + 1 >= p->len)
                return perr(p, start, "the string starting here is not terminated");
            unsigned char e = p->s[p->pos + 1];
            /* The two-character escapes of RFC 8259 §7 and what they stand for. */
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *hit = e ? strchr(from, e) : NULL;
            if (hit) {
                if (buf_put(p, to + (hit - from), 1))
                    return oom(p);
                p->pos += 2;
                continue;
            }
            if (e != 'u') {
                char found[32];
                describe(p, p->pos + 1, found, sizeof found);
                return perr(p, esc, "unknown escape \\%s in a string (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)",
                            found);
            }
            unsigned cp;
            if (p->len - p->pos < 6 || hex4(p->s + p->pos + 2, &cp))
                return perr(p, esc, "\\u must be followed by four hexadecimal digits");
            p->pos += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return perr(p, esc, "\\u%04X is a low surrogate without a high surrogate before it", cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p->len - p->pos < 6 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
                    hex4(p->s + p->pos + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return perr(p, esc, "\\u%04X is a high surrogate not followed by a low surrogate \\uDC00-\\uDFFF", cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p->pos += 6;
            }
            if (put_utf8(p, cp))
                return oom(p);
            continue;
        }
        if (c < 0x80) {
            if (buf_put(p, &c, 1))
                return oom(p);
            p->pos++;
            continue;
        }
        size_t n = utf8_valid_len((const char *)p->s + p->pos, p->len - p->pos);
        if (!n)
            return perr(p, p->pos, "invalid UTF-8 byte 0x%02X inside a string", c);
        if (buf_put(p, p->s + p->pos, n))
            return oom(p);
        p->pos += n;
        p->cont += n - 1;
    }
}

static const char *arena_string(Parser *p)
{
    char *s = arena_alloc(p->doc, p->blen + 1);
    if (s)
        memcpy(s, p->buf, p->blen + 1);
    return s;
}

/* ---- numbers -------------------------------------------------------------- */

static int is_digit(const Parser *p, size_t pos)
{
    return pos < p->len && p->s[pos] >= '0' && p->s[pos] <= '9';
}

static Status parse_number(Parser *p, JsonValue *v)
{
    size_t start = p->pos;
    int integral = 1;
    if (p->s[p->pos] == '-')
        p->pos++;
    if (!is_digit(p, p->pos))
        return perr(p, start, "a '-' must be followed by a digit");
    if (p->s[p->pos] == '0') {
        p->pos++;
        if (is_digit(p, p->pos))
            return perr(p, start, "numbers must not have leading zeros");
    } else {
        while (is_digit(p, p->pos))
            p->pos++;
    }
    if (p->pos < p->len && p->s[p->pos] == '.') {
        integral = 0;
        p->pos++;
        if (!is_digit(p, p->pos))
            return perr(p, p->pos, "a decimal point must be followed by a digit");
        while (is_digit(p, p->pos))
            p->pos++;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        integral = 0;
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (!is_digit(p, p->pos))
            return perr(p, p->pos, "an exponent must have at least one digit");
        while (is_digit(p, p->pos))
            p->pos++;
    }
    /* strtod needs a terminated copy: the text may end right after the number. */
    p->blen = 0;
    if (buf_put(p, p->s + start, p->pos - start))
        return oom(p);
    errno = 0;
    double x = strtod(p->buf, NULL);
    if (isinf(x))
        return perr(p, start, "the number %.40s%s is too large for a double", p->buf,
                    p->blen > 40 ? "..." : "");
    v->type = JSON_NUMBER;
    v->number = x;
    if (integral) {
        errno = 0;
        long long i = strtoll(p->buf, NULL, 10);
        if (errno != ERANGE) {
            v->is_integer = 1;
            v->integer = i;
        }
    }
    return ST_OK;
}

/* ---- values ----------------------------------------------------------------- */

static int push_child(Parser *p, const JsonValue *v, const char *key)
{
    if (p->sn == p->scap) {
        size_t cap = p->scap ? 2 * p->scap : 64;
        JsonValue *s = realloc(p->stack, cap * sizeof *s);
        if (!s)
            return -1;
        p->stack = s;
        p->scap = cap;
    }
    p->stack[p->sn++] = *v;
    if (key) {
        if (p->kn == p->kcap) {
            size_t cap = p->kcap ? 2 * p->kcap : 64;
            const char **k = realloc(p->kstack, cap * sizeof *k);
            if (!k)
                return -1;
            p->kstack = k;
            p->kcap = cap;
        }
        p->kstack[p->kn++] = key;
    }
    return 0;
}

/* Move the children pushed since `base` (and keys since kbase) into the arena. */
static Status close_container(Parser *p, JsonValue *v, size_t base, size_t kbase)
{
    v->count = p->sn - base;
    if (v->count) {
        JsonValue *items = arena_alloc(p->doc, v->count * sizeof *items);
        if (!items)
            return oom(p);
        memcpy(items, p->stack + base, v->count * sizeof *items);
        v->items = items;
    }
    if (v->type == JSON_OBJECT && v->count) {
        const char **keys = arena_alloc(p->doc, v->count * sizeof *keys);
        if (!keys)
            return oom(p);
        memcpy(keys, p->kstack + kbase, v->count * sizeof *keys);
        v->keys = keys;
    }
    p->sn = base;
    p->kn = kbase;
    return ST_OK;
}

static Status parse_value(Parser *p, size_t depth, JsonValue *v);

static Status parse_array(Parser *p, size_t depth, JsonValue *v)
{
    size_t base = p->sn;
    v->type = JSON_ARRAY;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        return ST_OK;
    }
    for (;;) {
        JsonValue child;
        Status st = parse_value(p, depth + 1, &child);
        if (st)
            return st;
        if (push_child(p, &child, NULL))
            return oom(p);
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == ']') {
            p->pos++;
            return close_container(p, v, base, p->kn);
        }
        return expected(p, "',' or ']' after an array item");
    }
}

static Status parse_object(Parser *p, size_t depth, JsonValue *v)
{
    size_t base = p->sn, kbase = p->kn;
    v->type = JSON_OBJECT;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return ST_OK;
    }
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != '"') {
            return expected(p, "a member name in double quotes");
        }
        Status st = parse_string_raw(p);
        if (st)
            return st;
        const char *key = arena_string(p);
        if (!key)
            return oom(p);
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ':') {
            char found[32];
            describe(p, p->pos, found, sizeof found);
            return perr(p, p->pos, "expected ':' after the member name \"%.40s\", found %s", key, found);
        }
        p->pos++;
        JsonValue child;
        if ((st = parse_value(p, depth + 1, &child)))
            return st;
        if (push_child(p, &child, key))
            return oom(p);
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            return close_container(p, v, base, kbase);
        }
        return expected(p, "',' or '}' after an object member");
    }
}

static int literal(Parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return 0;
    p->pos += n;
    return 1;
}

static Status parse_value(Parser *p, size_t depth, JsonValue *v)
{
    skip_ws(p);
    memset(v, 0, sizeof *v);
    v->line = p->line;
    v->col = p->pos - p->line_start - p->cont + 1;
    if (p->pos >= p->len)
        return perr(p, p->pos, "the document ends where a value was expected");
    if (++p->values > p->lim.max_values)
        return perr(p, p->pos, "the document has more than %zu values", p->lim.max_values);
    unsigned char c = p->s[p->pos];
    if (c == '{' || c == '[') {
        if (depth >= p->lim.max_depth)
            return perr(p, p->pos, "arrays and objects are nested deeper than %zu levels",
                        p->lim.max_depth);
        return c == '{' ? parse_object(p, depth, v) : parse_array(p, depth, v);
    }
    if (c == '"') {
        v->type = JSON_STRING;
        Status st = parse_string_raw(p);
        if (st)
            return st;
        v->string_len = p->blen;
        v->string = arena_string(p);
        return v->string ? ST_OK : oom(p);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(p, v);
    if (literal(p, "true")) {
        v->type = JSON_BOOL;
        v->boolean = 1;
        return ST_OK;
    }
    if (literal(p, "false")) {
        v->type = JSON_BOOL;
        return ST_OK;
    }
    if (literal(p, "null"))
        return ST_OK;
    return expected(p, "a value (object, array, string, number, true, false or null)");
}

Status json_parse(const char *text, size_t len, const char *name, const JsonLimits *limits,
                  JsonDoc **out, char *msg)
{
    *out = NULL;
    Parser p;
    memset(&p, 0, sizeof p);
    p.s = (const unsigned char *)text;
    p.len = len;
    p.name = name ? name : "JSON";
    p.msg = msg;
    if (limits)
        p.lim = *limits;
    if (!p.lim.max_depth)
        p.lim.max_depth = JSON_READ_DEFAULT_DEPTH;
    if (!p.lim.max_bytes)
        p.lim.max_bytes = JSON_READ_DEFAULT_BYTES;
    if (!p.lim.max_values)
        p.lim.max_values = JSON_READ_DEFAULT_VALUES;
    if (len > p.lim.max_bytes)
        return status_fail(msg, ST_EINVAL, "%s is %zu bytes long, more than the limit of %zu", p.name,
                           len, p.lim.max_bytes);
    if (!text && len)
        return status_fail(msg, ST_EINVAL, "%s: no text given", p.name);
    p.line = 1;
    p.doc = calloc(1, sizeof *p.doc);
    if (!p.doc)
        return oom(&p);
    p.doc->next_cap = 4096;
    /* Numbers follow JSON's grammar, not the user's LC_NUMERIC. */
    locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        p.pos = 3;
        p.line_start = 3;
    }
    Status st = parse_value(&p, 0, &p.doc->root);
    if (!st) {
        skip_ws(&p);
        if (p.pos < p.len) {
            char found[32];
            describe(&p, p.pos, found, sizeof found);
            st = perr(&p, p.pos, "unexpected %s after the end of the JSON value", found);
        }
    }
    if (c_loc) {
        uselocale(old);
        freelocale(c_loc);
    }
    free(p.stack);
    free(p.kstack);
    free(p.buf);
    if (st) {
        json_doc_free(p.doc);
        return st;
    }
    *out = p.doc;
    return ST_OK;
}

/* ---- access ----------------------------------------------------------------- */

const JsonValue *json_get(const JsonValue *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT || !key)
        return NULL;
    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

const JsonValue *json_at(const JsonValue *arr, size_t i)
{
    if (!arr || arr->type != JSON_ARRAY || i >= arr->count)
        return NULL;
    return &arr->items[i];
}

double json_number(const JsonValue *v, double def)
{
    return v && v->type == JSON_NUMBER ? v->number : def;
}

long long json_integer(const JsonValue *v, long long def)
{
    return v && v->type == JSON_NUMBER && v->is_integer ? v->integer : def;
}

const char *json_as_string(const JsonValue *v, const char *def)
{
    return v && v->type == JSON_STRING ? v->string : def;
}

const char *json_type_name(JsonType t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}
