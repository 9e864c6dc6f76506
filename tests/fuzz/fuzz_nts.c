/* libFuzzer target for the nts snapshot reader (`make fuzz`).
 *
 * Beyond "no crash, no leak, no sanitizer report" it checks the reader's
 * contract: on failure no file and a message; on success every section view
 * is consistent (count = product of dims, data readable, text terminated),
 * and writing the sections again gives a file that reads back the same. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/nts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const NtsFile *a, const NtsFile *b)
{
    if (nts_section_count(a) != nts_section_count(b))
        abort();
    for (size_t i = 0; i < nts_section_count(a); i++) {
        const NtsSection *s = nts_section_at(a, i), *t = nts_section_at(b, i);
        if (strcmp(s->name, t->name) != 0 || s->type != t->type || s->count != t->count ||
            s->n_dims != t->n_dims || memcmp(s->dims, t->dims, sizeof s->dims) != 0)
            abort();
        size_t bytes = s->type == NTS_TEXT ? s->count : 4 * s->count;
        const void *p = s->type == NTS_TEXT ? (const void *)s->text
                        : s->type == NTS_F32 ? (const void *)s->f32
                                             : (const void *)s->u32;
        const void *q = t->type == NTS_TEXT ? (const void *)t->text
                        : t->type == NTS_F32 ? (const void *)t->f32
                                             : (const void *)t->u32;
        if (bytes && memcmp(p, q, bytes) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[STATUS_MSG_LEN];
    NtsFile *f = NULL;
    msg[0] = '\0';
    Status st = nts_parse(data, size, "fuzz.nts", &f, msg);
    if (st != ST_OK) {
        if (f || msg[0] == '\0')
            abort();
        return 0;
    }
    NtsWriter *w = nts_writer_new();
    if (!w)
        abort();
    for (size_t i = 0; i < nts_section_count(f); i++) {
        const NtsSection *s = nts_section_at(f, i);
        size_t count = 1;
        for (size_t d = 0; d < s->n_dims; d++)
            count *= s->dims[d];
        if (count != s->count || !s->name[0])
            abort();
        if (s->type == NTS_TEXT) {
            if (strlen(s->text) != s->count)
                abort();
            st = nts_add_text(w, s->name, s->text, msg);
        } else if (s->type == NTS_F32) {
            st = nts_add_f32(w, s->name, s->f32, s->n_dims, s->dims, msg);
        } else if (s->type == NTS_U32) {
            st = nts_add_u32(w, s->name, s->u32, s->n_dims, s->dims, msg);
        } else {
            abort();
        }
        if (st != ST_OK)
            abort();
    }
    unsigned char *buf;
    size_t len;
    if (nts_writer_encode(w, &buf, &len, msg) != ST_OK)
        abort();
    NtsFile *g = NULL;
    if (nts_parse(buf, len, "again.nts", &g, msg) != ST_OK)
        abort();
    check_same(f, g);
    nts_file_free(g);
    free(buf);
    nts_writer_free(w);
    nts_file_free(f);
    return 0;
}
