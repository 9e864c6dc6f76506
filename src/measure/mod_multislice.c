#include "neurotop/measure/mod_multislice.h"

#include <stdlib.h>
#include <string.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/analysis/multislice.h"
#include "neurotop/core/fileio.h"
#include "neurotop/measure/mod_common.h"
#include "neurotop/measure/weightq.h"

#define MULTISLICE_MAX_LAYERS 100000

void multislice_result_done(MultisliceResult *r)
{
    if (!r)
        return;
    free(r->labels);
    memset(r, 0, sizeof *r);
}

/* Louvain on the supra-matrix: the best of reps runs into r. */
static Status run_louvain(const Multislice *ms, size_t reps, uint64_t seed, const CommunityAlgo *algo,
                          const volatile int *cancel, MultisliceResult *r, char *msg)
{
    size_t total = r->n * r->t;
    r->labels = malloc(total * sizeof *r->labels);
    if (!r->labels)
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu node-layers", total);
    LouvainOp op;
    multislice_op(ms, &op);
    Status st = community_run_reps(&op, algo, seed, reps, r->labels, &r->runs, NULL, NULL, cancel, msg);
    if (st)
        return st;
    r->ran = 1;
    r->q = r->runs.q_best;
    for (size_t u = 0; u < total; u++)
        if ((size_t)r->labels[u] > r->k)
            r->k = (size_t)r->labels[u];
    return ST_OK;
}

Status multislice_result_compute(const Matrix *const *layers, size_t t, double gamma, double omega,
                                 ModSign sign, const int *given, size_t reps, uint64_t seed,
                                 const CommunityAlgo *algo, const volatile int *cancel, MultisliceResult *r,
                                 char *msg)
{
    memset(r, 0, sizeof *r);
    if (algo)
        r->algo = *algo;
    r->n = layers[0]->rows;
    r->t = t;
    Multislice *ms = NULL;
    Status st = multislice_new(r->n, t, &ms, msg);
    if (!st)
        st = multislice_build(ms, layers, t, gamma, omega, sign, msg);
    if (!st)
        st = given ? multislice_quality(ms, given, &r->q, msg) : run_louvain(ms, reps, seed, &r->algo, cancel, r, msg);
    multislice_free(ms);
    return st;
}

void multislice_result_json(const MultisliceResult *r, JsonWriter *w)
{
    json_object_begin(w);
    if (r->ran)
        weightq_algo_json(w, &r->algo);
    if (r->ran)
        weightq_summary_json(w, &r->runs, r->q, r->k, r->labels, r->n, r->t);
    else
        json_kv_real(w, "Q", r->q);
    json_object_end(w);
}

void multislice_result_view(const MultisliceResult *r, JobResult *out)
{
    StrBuf *t = &out->text;
    strbuf_printf(t, "Multislice modularity · %zu nodes × %zu layers\n", r->n, r->t);
    if (!r->ran) {
        strbuf_printf(t, "Q %.4f of the given partitions\n", r->q);
        return;
    }
    strbuf_printf(t, "%s · ", community_algo_label(&r->algo));
    strbuf_printf(t, "Q best %.4f   mean %.4f ± %.4f   range %.4f – %.4f   %zu communities\n", r->q,
                  r->runs.q_mean, r->runs.q_sd, r->runs.q_min, r->runs.q_max, r->k);
}

/* --layers F1,F2,...: every file square and of one size. */
static Status read_layers(const char *list, Matrix ***out, size_t *t, char *msg)
{
    size_t count = 1;
    for (const char *c = list; *c; c++)
        count += *c == ',';
    if (count > MULTISLICE_MAX_LAYERS)
        return status_fail(msg, ST_EINVAL, "--layers lists %zu files (at most %d)", count, MULTISLICE_MAX_LAYERS);
    Matrix **l = calloc(count, sizeof *l);
    char *copy = malloc(strlen(list) + 1);
    Status st = ST_OK;
    if (!l || !copy) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for %zu layers", count);
        goto fail;
    }
    strcpy(copy, list);
    char *tok = copy;
    for (size_t s = 0; s < count; s++) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (!*tok) {
            st = status_fail(msg, ST_EINVAL, "--layers has an empty file name at position %zu", s + 1);
            goto fail;
        }
        if ((st = mod_read_square(tok, &l[s], msg)))
            goto fail;
        if (l[s]->rows != l[0]->rows) {
            st = status_fail(msg, ST_EINVAL, "layer %zu (%s) is %zu×%zu, but layer 1 is %zu×%zu", s + 1, tok,
                             l[s]->rows, l[s]->cols, l[0]->rows, l[0]->cols);
            goto fail;
        }
        tok = comma ? comma + 1 : tok + strlen(tok);
    }
    free(copy);
    *out = l;
    *t = count;
    return ST_OK;
fail:
    for (size_t s = 0; l && s < count; s++)
        matrix_free(l[s]);
    free(l);
    free(copy);
    return st;
}

/* The N×T partition CSV as layer-major canonical labels. */
static Status read_partitions(const char *path, size_t n, size_t t, int **out, char *msg)
{
    int *g = NULL, *layer_major = NULL;
    size_t rows, cols;
    *out = NULL;
    Status st = labels_matrix_read(path, &g, &rows, &cols, msg);
    if (st)
        return st;
    if (rows != n || cols != t) {
        st = status_fail(msg, ST_EINVAL, "%s is %zu×%zu, but %zu nodes × %zu layers are needed", path, rows, cols,
                         n, t);
        goto done;
    }
    layer_major = malloc(n * t * sizeof *layer_major);
    *out = malloc(n * t * sizeof **out);
    if (!layer_major || !*out) {
        st = status_fail(msg, ST_ENOMEM, "out of memory for a %zu×%zu partition", n, t);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < t; s++)
            layer_major[s * n + i] = g[i * t + s];
    st = modmat_relabel(layer_major, n * t, *out, NULL, msg);
done:
    if (st) {
        free(*out);
        *out = NULL;
    }
    free(layer_major);
    free(g);
    return st;
}

Status job_multislice(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    if (s)
        return status_fail(msg, ST_EINVAL, "multislice runs on files only");
    Matrix **layers = NULL;
    size_t t = 0;
    int *given = NULL;
    MultisliceResult r = {0};
    CommunityAlgo algo = params_algo(a);
    Status st = read_layers(a->files[PARAM_LAYERS], &layers, &t, msg);
    if (!st && a->files[PARAM_PARTITIONS])
        st = read_partitions(a->files[PARAM_PARTITIONS], layers[0]->rows, t, &given, msg);
    if (!st)
        st = multislice_result_compute((const Matrix *const *)layers, t, a->gamma, a->omega, a->sign, given,
                                       (size_t)a->reps, a->seed, &algo, job_cancel_flag(job), &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        multislice_result_json(&r, &w);
        multislice_result_view(&r, out);
    }
    multislice_result_done(&r);
    free(given);
    for (size_t i = 0; i < t; i++)
        matrix_free(layers[i]);
    free(layers);
    return st;
}
