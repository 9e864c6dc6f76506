/* Saved results (jobs.h): their names, and the screen view kept beside the
 * JSON so a re-run of the same command on the same epoch shows the saved
 * result at once instead of computing it again. */
#include "neurotop/measure/jobs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/nts.h"

/* Bound on a saved JSON document read back (a 500-run consensus of a
 * 994-node graph is about 1 MB). */
#define SAVED_JSON_MAX ((size_t)256 << 20)

uint32_t job_key_hash(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

void job_saved_base(const char *dir, size_t epoch, const char *name, const char *key, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/epoch-%06zu-%s-%08x", dir, epoch, name, (unsigned)job_key_hash(key));
}

/* ---- the view file --------------------------------------------------------- */

static Status add_text(NtsWriter *w, const char *name, const char *text, char *msg)
{
    return text[0] ? nts_add_text(w, name, text, msg) : ST_OK;
}

static Status add_doubles(NtsWriter *w, const char *name, const double *v, size_t n, char *msg)
{
    if (!v || n == 0)
        return ST_OK;
    float *f = malloc(n * sizeof *f);
    if (!f)
        return status_fail(msg, ST_ENOMEM, "out of memory saving the result");
    for (size_t i = 0; i < n; i++)
        f[i] = (float)v[i];
    size_t dims[1] = {n};
    Status st = nts_add_f32(w, name, f, 1, dims, msg);
    free(f);
    return st;
}

static Status add_ints(NtsWriter *w, const char *name, const int *v, size_t n, char *msg)
{
    if (!v || n == 0)
        return ST_OK;
    uint32_t *u = malloc(n * sizeof *u);
    if (!u)
        return status_fail(msg, ST_ENOMEM, "out of memory saving the result");
    for (size_t i = 0; i < n; i++)
        u[i] = (uint32_t)v[i];
    size_t dims[1] = {n};
    Status st = nts_add_u32(w, name, u, 1, dims, msg);
    free(u);
    return st;
}

Status job_result_save_view(const JobResult *r, const char *path, char *msg)
{
    NtsWriter *w = nts_writer_new();
    if (!w)
        return status_fail(msg, ST_ENOMEM, "out of memory saving the result");
    size_t meta_dims[1] = {4};
    uint32_t meta[4] = {(uint32_t)r->epoch, (uint32_t)((uint64_t)r->epoch >> 32), (uint32_t)r->n_maps,
                        (uint32_t)r->n_plots};
    Status st = nts_add_text(w, "name", r->name, msg);
    if (!st)
        st = nts_add_u32(w, "meta", meta, 1, meta_dims, msg);
    if (!st)
        st = add_text(w, "text", strbuf_cstr(&r->text), msg);
    for (size_t i = 0; i < r->n_maps && !st; i++) {
        const JobMap *m = &r->maps[i];
        char name[NTS_NAME_LEN];
        uint32_t shape[3] = {(uint32_t)m->rows, (uint32_t)m->cols, (uint32_t)m->diverging};
        size_t three[1] = {3};
        snprintf(name, sizeof name, "map%zu.label", i);
        st = add_text(w, name, m->label, msg);
        snprintf(name, sizeof name, "map%zu.shape", i);
        if (!st)
            st = nts_add_u32(w, name, shape, 1, three, msg);
        snprintf(name, sizeof name, "map%zu.v", i);
        if (!st)
            st = add_doubles(w, name, m->v, m->rows * m->cols, msg);
    }
    for (size_t i = 0; i < r->n_plots && !st; i++) {
        const JobPlot *p = &r->plots[i];
        char name[NTS_NAME_LEN];
        uint32_t shape[3] = {(uint32_t)p->kind, (uint32_t)p->n, (uint32_t)p->n_series};
        size_t three[1] = {3};
        double range[6];
        for (int k = 0; k < 3; k++) {
            range[2 * k] = p->range[k][0];
            range[2 * k + 1] = p->range[k][1];
        }
        snprintf(name, sizeof name, "plot%zu.label", i);
        st = add_text(w, name, p->label, msg);
        snprintf(name, sizeof name, "plot%zu.shape", i);
        if (!st)
            st = nts_add_u32(w, name, shape, 1, three, msg);
        snprintf(name, sizeof name, "plot%zu.x", i);
        if (!st)
            st = add_doubles(w, name, p->x, p->n, msg);
        snprintf(name, sizeof name, "plot%zu.y", i);
        if (!st)
            st = add_doubles(w, name, p->y, p->n * p->n_series, msg);
        snprintf(name, sizeof name, "plot%zu.z", i);
        if (!st)
            st = add_doubles(w, name, p->z, p->n, msg);
        snprintf(name, sizeof name, "plot%zu.cls", i);
        if (!st)
            st = add_ints(w, name, p->cls, p->n, msg);
        snprintf(name, sizeof name, "plot%zu.range", i);
        if (!st)
            st = add_doubles(w, name, range, 6, msg);
    }
    if (!st)
        st = add_ints(w, "partition", r->partition, r->n_nodes, msg);
    if (!st)
        st = nts_writer_save(w, path, msg);
    nts_writer_free(w);
    return st;
}

/* A copy of the f32 section `name` as n doubles (NULL when absent: *ok
 * stays 1 only when the section is absent or holds exactly n values). */
static double *get_doubles(const NtsFile *f, const char *name, size_t n, int *ok)
{
    const NtsSection *s = nts_find(f, name);
    if (!s)
        return NULL;
    if (s->type != NTS_F32 || s->count != n) {
        *ok = 0;
        return NULL;
    }
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        *ok = 0;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = s->f32[i];
    return v;
}

static const char *get_text(const NtsFile *f, const char *name)
{
    const NtsSection *s = nts_find(f, name);
    return s && s->type == NTS_TEXT ? s->text : "";
}

static const uint32_t *get_u32(const NtsFile *f, const char *name, size_t n)
{
    const NtsSection *s = nts_find(f, name);
    return s && s->type == NTS_U32 && s->count == n ? s->u32 : NULL;
}

static Status read_view(const NtsFile *f, JobResult *r, char *msg)
{
    const uint32_t *meta = get_u32(f, "meta", 4);
    if (!meta || meta[2] > JOB_MAX_MAPS || meta[3] > JOB_MAX_PLOTS)
        return status_fail(msg, ST_EFORMAT, "%s is not a saved result view", nts_file_name(f));
    snprintf(r->name, sizeof r->name, "%s", get_text(f, "name"));
    r->epoch = (size_t)((uint64_t)meta[0] | ((uint64_t)meta[1] << 32));
    strbuf_append(&r->text, get_text(f, "text"));
    int ok = 1;
    char name[NTS_NAME_LEN];
    for (uint32_t i = 0; i < meta[2] && ok; i++) {
        JobMap *m = &r->maps[r->n_maps];
        snprintf(name, sizeof name, "map%u.shape", (unsigned)i);
        const uint32_t *shape = get_u32(f, name, 3);
        if (!shape)
            break;
        m->rows = shape[0];
        m->cols = shape[1];
        m->diverging = (int)shape[2];
        snprintf(name, sizeof name, "map%u.label", (unsigned)i);
        snprintf(m->label, sizeof m->label, "%s", get_text(f, name));
        snprintf(name, sizeof name, "map%u.v", (unsigned)i);
        m->v = get_doubles(f, name, m->rows * m->cols, &ok);
        if (!m->v)
            break;
        r->n_maps++;
    }
    for (uint32_t i = 0; i < meta[3] && ok; i++) {
        JobPlot *p = &r->plots[r->n_plots];
        memset(p, 0, sizeof *p);
        snprintf(name, sizeof name, "plot%u.shape", (unsigned)i);
        const uint32_t *shape = get_u32(f, name, 3);
        if (!shape || shape[0] > JOB_PLOT_CLOUD || shape[2] > JOB_PLOT_MAX_SERIES)
            break;
        p->kind = (JobPlotKind)shape[0];
        p->n = shape[1];
        p->n_series = shape[2];
        snprintf(name, sizeof name, "plot%u.label", (unsigned)i);
        snprintf(p->label, sizeof p->label, "%s", get_text(f, name));
        snprintf(name, sizeof name, "plot%u.x", (unsigned)i);
        p->x = get_doubles(f, name, p->n, &ok);
        snprintf(name, sizeof name, "plot%u.y", (unsigned)i);
        p->y = get_doubles(f, name, p->n * p->n_series, &ok);
        snprintf(name, sizeof name, "plot%u.z", (unsigned)i);
        p->z = get_doubles(f, name, p->n, &ok);
        snprintf(name, sizeof name, "plot%u.cls", (unsigned)i);
        const uint32_t *cls = get_u32(f, name, p->n);
        if (cls && p->n) {
            p->cls = malloc(p->n * sizeof *p->cls);
            for (size_t k = 0; p->cls && k < p->n; k++)
                p->cls[k] = (int)cls[k];
            ok = ok && p->cls;
        }
        snprintf(name, sizeof name, "plot%u.range", (unsigned)i);
        double *range = get_doubles(f, name, 6, &ok);
        for (int k = 0; k < 3; k++) {
            p->range[k][0] = range ? range[2 * k] : (double)NAN;
            p->range[k][1] = range ? range[2 * k + 1] : (double)NAN;
        }
        free(range);
        r->n_plots++; /* owned from here: job_result_free frees what was read */
        if (!p->x && p->n)
            ok = 0;
        if (!p->y && p->n && p->n_series)
            ok = 0;
        if (p->kind == JOB_PLOT_CLOUD && !p->z && p->n)
            ok = 0;
    }
    const NtsSection *part = nts_find(f, "partition");
    if (ok && part && part->type == NTS_U32 && part->count) {
        r->partition = malloc(part->count * sizeof *r->partition);
        if (!r->partition)
            ok = 0;
        for (size_t i = 0; r->partition && i < part->count; i++)
            r->partition[i] = (int)part->u32[i];
        r->n_nodes = r->partition ? part->count : 0;
    }
    if (!ok || r->n_maps != meta[2] || r->n_plots != meta[3])
        return status_fail(msg, ST_EFORMAT, "%s: the saved result view is incomplete", nts_file_name(f));
    return ST_OK;
}

Status job_result_load_saved(const char *base, JobResult **out, char *msg)
{
    *out = NULL;
    char path[1200];
    snprintf(path, sizeof path, "%s.json", base);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return status_fail(msg, ST_ENOTFOUND, "%s does not exist", path);
    JobResult *r = calloc(1, sizeof *r);
    if (!r)
        return status_fail(msg, ST_ENOMEM, "out of memory");
    strbuf_init(&r->text);
    strbuf_init(&r->json);
    char *json = NULL;
    size_t len = 0;
    Status st = file_read_all(path, SAVED_JSON_MAX, &json, &len, msg);
    if (!st) {
        strbuf_append_n(&r->json, json, len);
        snprintf(r->saved, sizeof r->saved, "%s", path);
        snprintf(path, sizeof path, "%s.view", base);
        NtsFile *f = NULL;
        st = nts_open(path, &f, msg);
        if (!st)
            st = read_view(f, r, msg);
        nts_file_free(f);
    }
    free(json);
    if (!st && (strbuf_failed(&r->text) || strbuf_failed(&r->json)))
        st = status_fail(msg, ST_ENOMEM, "out of memory");
    if (st) {
        job_result_free(r);
        return st;
    }
    r->reused = 1;
    *out = r;
    return ST_OK;
}
