/* Pearson r with a permutation p-value, of two matrices or of two maps over
 * a snapshot's input pixels (info_corr.h). */
#include "neurotop/measure/info_corr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_source.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"
#include "neurotop/measure/info_edges.h"
#include "neurotop/measure/jobs_info.h"
#include "neurotop/measure/weightgraph.h"

void corr_maps_done(CorrMaps *m)
{
    free(m->a);
    free(m->b);
    free(m->live);
    memset(m, 0, sizeof *m);
}

Status corr_compute(const CorrMaps *m, size_t perms, uint64_t seed, CorrResult *r, char *msg)
{
    memset(r, 0, sizeof *r);
    r->seed = seed;
    Status st = permtest_run(m->a, m->b, NULL, m->n, perms, seed, &r->all, msg);
    if (st || !m->live) {
        snprintf(r->live_problem, sizeof r->live_problem, "%s", m->no_live);
        return st;
    }
    r->have_live = permtest_run(m->a, m->b, m->live, m->n, perms, seed, &r->live, r->live_problem) == ST_OK;
    return ST_OK;
}

static void test_keys(JsonWriter *w, const PermTest *t)
{
    json_kv_int(w, "n", (long long)t->n);
    json_kv_real(w, "r", t->r);
    json_kv_real(w, "p", t->p);
    json_kv_int(w, "exceed", (long long)t->exceed);
}

void corr_json(const CorrResult *r, const CorrMaps *m, const Snapshot *s, JsonWriter *w)
{
    json_object_begin(w);
    job_json_context(w, s, JOB_NO_PART, NULL);
    json_kv_real(w, "r", r->all.r);
    json_kv_real(w, "p", r->all.p);
    json_kv_int(w, "perms", (long long)r->all.perms);
    json_kv_int(w, "exceed", (long long)r->all.exceed);
    json_kv_int(w, "n", (long long)r->all.n);
    json_kv_int(w, "seed", (long long)r->seed);
    if (s) {
        json_kv_string(w, "map1", m->name[0]);
        json_kv_string(w, "map2", m->name[1]);
        if (r->have_live) {
            json_key(w, "live");
            json_object_begin(w);
            test_keys(w, &r->live);
            json_object_end(w);
        }
        if (m->have_roles)
            job_json_partition(w, &m->roles_used);
    }
    json_object_end(w);
}

static void view_text(const CorrResult *r, const CorrMaps *m, const Snapshot *s, StrBuf *t)
{
    if (s)
        strbuf_printf(t, "r(%s, %s) · epoch %zu\n", m->name[0], m->name[1], s->epoch);
    else
        strbuf_printf(t, "r(a, b) of %zu entries\n", m->n);
    for (int k = 0; k < 2; k++)
        if (m->note[k][0])
            strbuf_printf(t, "%s: %s\n", m->name[k], m->note[k]);
    if (m->have_roles) {
        strbuf_append(t, "roles from the ");
        job_partition_text(&m->roles_used, t);
    }
    strbuf_printf(t, "%zu permutations, seed %llu\n\n", r->all.perms, (unsigned long long)r->seed);
    strbuf_printf(t, "pixels    n         r         p\n");
    strbuf_printf(t, "%-5s %5zu  %8.4f  %8.2g\n", "all", r->all.n, r->all.r, r->all.p);
    if (r->have_live) {
        strbuf_printf(t, "%-5s %5zu  %8.4f  %8.2g\n", "live", r->live.n, r->live.r, r->live.p);
        strbuf_printf(t, "\nDead pixels (never on) can inflate r;\nthe live row leaves them out.\n");
    } else if (r->live_problem[0]) {
        strbuf_printf(t, "live  (%s)\n", r->live_problem);
    }
}

/* The scatter of the entries the live r is about (all without a mask). */
static Status view_scatter(const CorrMaps *m, JobResult *out)
{
    double *x = malloc((m->n ? m->n : 1) * sizeof *x), *y = malloc((m->n ? m->n : 1) * sizeof *y);
    size_t k = 0;
    for (size_t i = 0; x && y && i < m->n; i++)
        if (!m->live || m->live[i]) {
            x[k] = m->a[i];
            y[k++] = m->b[i];
        }
    char label[64];
    snprintf(label, sizeof label, "%.15s (x) vs %.15s (y)%s", m->name[0][0] ? m->name[0] : "a",
             m->name[1][0] ? m->name[1] : "b", m->live ? ", live" : "");
    Status st = x && y ? job_result_add_scatter(out, label, x, y, NULL, k) : ST_ENOMEM;
    free(x);
    free(y);
    return st;
}

Status corr_view(const CorrResult *r, const CorrMaps *m, const Snapshot *s, JobResult *out)
{
    view_text(r, m, s, &out->text);
    Status st = ST_OK;
    for (int k = 0; k < 2 && !st; k++) {
        const char *name = m->name[k][0] ? m->name[k] : k ? "b" : "a";
        st = jobs_add_unit_map(out, name, k ? m->b : m->a, m->n, m->rows, m->cols, strcmp(name, "mz") == 0);
    }
    return st ? st : view_scatter(m, out);
}

/* ---- the maps of files -------------------------------------------------- */

/* --a and --b, which must have the same rows × cols shape. */
static Status file_maps(const AnalysisArgs *args, CorrMaps *m, char *msg)
{
    Matrix *a = NULL, *b = NULL;
    const char *pa = args->files[PARAM_A], *pb = args->files[PARAM_B];
    Status st = matrix_read_file(pa, &a, msg);
    if (!st)
        st = matrix_read_file(pb, &b, msg);
    if (!st && (a->rows != b->rows || a->cols != b->cols))
        st = status_fail(msg, ST_EINVAL, "%s is %zu x %zu but %s is %zu x %zu: shapes must match", pa, a->rows,
                         a->cols, pb, b->rows, b->cols);
    if (!st) {
        m->n = a->rows * a->cols;
        m->rows = a->rows;
        m->cols = a->cols;
        m->a = malloc((m->n ? m->n : 1) * sizeof *m->a);
        m->b = malloc((m->n ? m->n : 1) * sizeof *m->b);
        if (!m->a || !m->b)
            st = status_fail(msg, ST_ENOMEM, "out of memory for two maps of %zu entries", m->n);
    }
    if (!st && m->n) {
        memcpy(m->a, a->data, m->n * sizeof *m->a);
        memcpy(m->b, b->data, m->n * sizeof *m->b);
    }
    matrix_free(a);
    matrix_free(b);
    return st;
}

/* ---- the maps of a snapshot --------------------------------------------- */

/* PC and MZ of the input units, computed once for both maps. */
typedef struct {
    double *pc, *mz;
    int have;
} InputRoles;

static Status input_roles(Job *job, const Snapshot *s, const AnalysisArgs *a, InputRoles *ir, CorrMaps *m,
                          char *msg)
{
    size_t n = snapshot_graph_nodes(s, GRAPH_PART_WHOLE);
    int *labels = malloc(n * sizeof *labels);
    double *pc = malloc(n * sizeof *pc), *mz = malloc(n * sizeof *mz);
    Status st = ST_OK;
    if (!labels || !pc || !mz)
        st = status_fail(msg, ST_ENOMEM, "out of memory for the roles of %zu nodes", n);
    /* Input-pixel roles need the whole graph's partition of this epoch. */
    m->have_roles = 1;
    if (!st && job_partition_pick(a, s, GRAPH_PART_WHOLE, n, &m->roles_used)) {
        memcpy(labels, a->partition, n * sizeof *labels);
    } else if (!st) {
        double q;
        st = jobs_weight_q(s, 0, 10, a->seed, &q, labels, NULL, job_cancel_flag(job), msg);
        job_partition_own(&m->roles_used, 10, a->seed);
    }
    if (!st)
        st = jobs_weight_roles(s, labels, pc, mz, msg);
    free(labels);
    if (st) {
        free(pc);
        free(mz);
        return st;
    }
    ir->pc = pc;
    ir->mz = mz;
    ir->have = 1;
    return ST_OK;
}

/* Map k of m (named name) from the snapshot; pix is NULL without a data
 * set of the input layer's shape. */
static Status fill_map(Job *job, const Snapshot *s, const AnalysisArgs *a, const PixelInfoView *pix,
                       InputRoles *ir, CorrMaps *m, int k, char *msg)
{
    const char *name = m->name[k];
    double *dst = k ? m->b : m->a;
    char *note = m->note[k];
    size_t cap = sizeof m->note[k];
    if (strcmp(name, "edges") == 0) {
        size_t from;
        snprintf(note, cap, "Σ|ΔW1|, epochs %zu→%zu", a->epoch_from < 0 ? (size_t)0 : (size_t)a->epoch_from,
                 s->epoch);
        return edges_input_change(s, a, dst, m->n, &from, msg);
    }
    if (strcmp(name, "pc") == 0 || strcmp(name, "mz") == 0) {
        Status st = ir->have ? ST_OK : input_roles(job, s, a, ir, m, msg);
        if (!st)
            memcpy(dst, name[0] == 'p' ? ir->pc : ir->mz, m->n * sizeof *dst);
        snprintf(note, cap, "%s, epoch %zu", name[0] == 'p' ? "PC" : "MZ", s->epoch);
        return st;
    }
    if (!pix)
        return status_fail(msg, ST_EINVAL, "the map '%s' needs the run's data set, which this session has not loaded",
                           name);
    int mean = strcmp(name, "mean") == 0, ip = strcmp(name, "ip") == 0;
    memcpy(dst, mean ? pix->mean : ip ? pix->ip : pix->id, m->n * sizeof *dst);
    snprintf(note, cap, "%s, training set", mean ? "mean intensity" : ip ? "IP" : "ID");
    return ST_OK;
}

static int known_map(const char *name)
{
    for (int i = 0; JOBS_CORR_MAPS[i]; i++)
        if (strcmp(JOBS_CORR_MAPS[i], name) == 0)
            return 1;
    return 0;
}

/* The pixel measures when the session has a data set; with_pix is set
 * when they cover the input layer, whose live pixels then go to m. */
static Status pixel_maps(const AnalysisArgs *a, CorrMaps *m, PixelInfo **own, PixelInfoView *v, int *with_pix,
                         char *msg)
{
    *with_pix = 0;
    snprintf(m->no_live, sizeof m->no_live, "no data set to tell live pixels");
    if (!jobs_data(a))
        return ST_OK;
    Status st = jobs_pixels(a, own, v, msg);
    if (st)
        return st;
    if (v->n_pixels != m->n)
        return status_fail(msg, ST_EINVAL, "the data has %zu pixels but the input layer %zu units", v->n_pixels,
                           m->n);
    m->live = malloc(m->n);
    if (!m->live)
        return status_fail(msg, ST_ENOMEM, "out of memory for the live pixels");
    memcpy(m->live, v->live, m->n);
    m->rows = v->rows;
    m->cols = v->cols;
    m->no_live[0] = '\0';
    *with_pix = 1;
    return ST_OK;
}

static Status snapshot_maps(Job *job, const Snapshot *s, const AnalysisArgs *a, CorrMaps *m, char *msg)
{
    if (!known_map(a->map1) || !known_map(a->map2))
        return status_fail(msg, ST_EINVAL, "unknown map '%s' (maps: edges ip id pc mz mean)",
                           known_map(a->map1) ? a->map2 : a->map1);
    snprintf(m->name[0], sizeof m->name[0], "%s", a->map1);
    snprintf(m->name[1], sizeof m->name[1], "%s", a->map2);
    m->n = s->config.sizes[0];
    m->a = malloc(m->n * sizeof *m->a);
    m->b = malloc(m->n * sizeof *m->b);
    if (!m->a || !m->b)
        return status_fail(msg, ST_ENOMEM, "out of memory for two maps of %zu units", m->n);
    PixelInfo *own = NULL;
    PixelInfoView v;
    int with_pix;
    InputRoles ir = {0};
    Status st = pixel_maps(a, m, &own, &v, &with_pix, msg);
    for (int k = 0; k < 2 && !st; k++)
        st = fill_map(job, s, a, with_pix ? &v : NULL, &ir, m, k, msg);
    free(ir.pc);
    free(ir.mz);
    pixel_info_free(own);
    return st;
}

Status corr_run(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    CorrMaps m = {0};
    Status st = s ? snapshot_maps(job, s, a, &m, msg) : file_maps(a, &m, msg);
    job_set_progress(job, 0.4);
    CorrResult r;
    if (!st)
        st = corr_compute(&m, (size_t)a->perms, a->seed, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        corr_json(&r, &m, s, &w);
        if (corr_view(&r, &m, s, out))
            st = status_fail(msg, ST_ENOMEM, "out of memory for the maps");
    }
    corr_maps_done(&m);
    return st;
}
