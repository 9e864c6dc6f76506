/* Snapshot files on the nts container. Sections (format 2):
 *   format     u32    {2}; absent in format 1
 *   model.*, p.*      the model's config, kind parameters and typed blocks
 *                     (model/model_io.h)
 *   state      u32    epoch lo/hi, examples lo/hi
 *   scalars    u32    seconds, train_loss, lr, accuracy, loss, recon as IEEE
 *                     doubles (2 words each; format 1 stops after loss)
 *   metrics    text   metric keys, one per line
 *   values     u32    their values as doubles (2 words each)
 *   confusion  u32    n_classes × n_classes
 *   train.state u32   where training stands, for --resume (optional):
 *                     rng[4] as lo/hi pairs, has_spare, spare (2 words),
 *                     cursor lo/hi, shuffles lo/hi, order_hash
 *   train.opt  u32    the model's optimiser state as doubles (2 words
 *                     each; optional: absent for plain SGD, and left out
 *                     of a run's epoch files, whose latest epoch keeps it
 *                     in snapshots/optimiser.nts with "train.epoch" u32
 *                     lo/hi, see snapshot_save_opt)
 * Format 1 (written before typed blocks, e.g. every file under sample-runs/)
 * is still read: its model sections are layout 1 and recon is NaN. Files
 * without "train.state" (all written before --resume existed) load the
 * same, with resume.valid 0: they cannot be resumed.
 * Probe activations and the kind's state are not stored: they follow from
 * the weights and the run's data set (replay recomputes them), and would
 * triple the size of a run on disk. */
#include "neurotop/run/snapshot_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/nts.h"
#include "neurotop/core/strbuf.h"
#include "neurotop/model/model_io.h"

#define SNAPSHOT_FORMAT 2
/* Doubles in "scalars": 5 in format 1, 6 (recon added) in format 2. */
#define N_SCALARS 6
/* Words of "train.state". */
#define N_TRAIN_WORDS 16

static void put_u64(uint32_t *w, uint64_t v)
{
    w[0] = (uint32_t)(v & 0xffffffffu);
    w[1] = (uint32_t)(v >> 32);
}

static uint64_t get_u64(const uint32_t *w)
{
    return (uint64_t)w[0] | ((uint64_t)w[1] << 32);
}

static void put_f64(uint32_t *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(w, v);
}

static double get_f64(const uint32_t *w)
{
    uint64_t v = get_u64(w);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static Status add_opt(NtsWriter *w, const ResumeState *r, char *msg)
{
    uint32_t *opt = malloc(2 * r->n_opt * sizeof *opt);
    if (!opt)
        return status_fail(msg, ST_ENOMEM, "out of memory saving the optimiser state");
    for (size_t i = 0; i < r->n_opt; i++)
        put_f64(opt + 2 * i, r->opt[i]);
    size_t odims[1] = {2 * r->n_opt};
    Status st = nts_add_u32(w, "train.opt", opt, 1, odims, msg);
    free(opt);
    return st;
}

static Status add_resume(NtsWriter *w, const ResumeState *r, int with_opt, char *msg)
{
    if (!r->valid)
        return ST_OK;
    uint32_t words[N_TRAIN_WORDS];
    for (int k = 0; k < 4; k++)
        put_u64(words + 2 * k, r->rng[k]);
    words[8] = (uint32_t)r->rng_has_spare;
    put_f64(words + 9, r->rng_spare);
    put_u64(words + 11, r->cursor);
    put_u64(words + 13, r->shuffles);
    words[15] = r->order_hash;
    size_t dims[1] = {N_TRAIN_WORDS};
    Status st = nts_add_u32(w, "train.state", words, 1, dims, msg);
    if (st || r->n_opt == 0 || !with_opt)
        return st;
    return add_opt(w, r, msg);
}

Status snapshot_save(const Snapshot *s, const char *path, char *msg)
{
    return snapshot_save_parts(s, path, 1, msg);
}

Status snapshot_save_opt(const Snapshot *s, const char *path, char *msg)
{
    NtsWriter *w = nts_writer_new();
    if (!w)
        return status_fail(msg, ST_ENOMEM, "out of memory saving %s", path);
    uint32_t epoch[2];
    put_u64(epoch, s->epoch);
    size_t two[1] = {2};
    Status st = nts_add_u32(w, "train.epoch", epoch, 1, two, msg);
    if (!st)
        st = s->resume.n_opt ? add_opt(w, &s->resume, msg)
                             : status_fail(msg, ST_EINVAL, "epoch %zu has no optimiser state", s->epoch);
    if (!st)
        st = nts_writer_save(w, path, msg);
    nts_writer_free(w);
    return st;
}

Status snapshot_load_opt(const char *path, size_t *epoch, double **opt, size_t *n, char *msg)
{
    *opt = NULL;
    *n = 0;
    NtsFile *f = NULL;
    Status st = nts_open(path, &f, msg);
    if (st)
        return st;
    const NtsSection *e = nts_find(f, "train.epoch"), *o = nts_find(f, "train.opt");
    if (!e || e->type != NTS_U32 || e->count != 2 || !o || o->type != NTS_U32 || o->count == 0 || o->count % 2) {
        nts_file_free(f);
        return status_fail(msg, ST_EFORMAT, "%s is not an optimiser state file", path);
    }
    *epoch = (size_t)get_u64(e->u32);
    *n = o->count / 2;
    *opt = malloc(*n * sizeof **opt);
    if (!*opt)
        st = status_fail(msg, ST_ENOMEM, "out of memory loading %s", path);
    for (size_t i = 0; *opt && i < *n; i++)
        (*opt)[i] = get_f64(o->u32 + 2 * i);
    nts_file_free(f);
    return st;
}

Status snapshot_save_parts(const Snapshot *s, const char *path, int with_opt, char *msg)
{
    NtsWriter *w = nts_writer_new();
    if (!w)
        return status_fail(msg, ST_ENOMEM, "out of memory saving %s", path);
    uint32_t state[4];
    put_u64(state, s->epoch);
    put_u64(state + 2, s->examples_seen);
    size_t two[1] = {4};
    uint32_t scalars[2 * N_SCALARS];
    put_f64(scalars, s->seconds);
    put_f64(scalars + 2, s->train_loss);
    put_f64(scalars + 4, s->lr);
    put_f64(scalars + 6, s->eval.accuracy);
    put_f64(scalars + 8, s->eval.loss);
    put_f64(scalars + 10, s->eval.recon);
    size_t ten[1] = {2 * N_SCALARS};
    const uint32_t format[1] = {SNAPSHOT_FORMAT};
    const size_t one[1] = {1};
    StrBuf keys;
    strbuf_init(&keys);
    uint32_t values[2 * SNAPSHOT_MAX_METRICS + 2];
    for (size_t i = 0; i < s->n_metrics; i++) {
        strbuf_printf(&keys, "%s\n", s->metrics[i].key);
        put_f64(values + 2 * i, s->metrics[i].value);
    }
    size_t value_dims[1] = {2 * s->n_metrics};
    size_t k = s->eval.n_classes;
    size_t conf_dims[2] = {k, k};
    Status st = nts_add_u32(w, "format", format, 1, one, msg);
    if (!st)
        st = model_io_add_sections(w, &s->config, s->params, msg);
    if (!st)
        st = nts_add_u32(w, "state", state, 1, two, msg);
    if (!st)
        st = nts_add_u32(w, "scalars", scalars, 1, ten, msg);
    if (!st)
        st = nts_add_text(w, "metrics", strbuf_cstr(&keys), msg);
    if (!st)
        st = nts_add_u32(w, "values", values, 1, value_dims, msg);
    if (!st && s->eval.confusion && k)
        st = nts_add_u32(w, "confusion", s->eval.confusion, 2, conf_dims, msg);
    if (!st)
        st = add_resume(w, &s->resume, with_opt, msg);
    if (!st && strbuf_failed(&keys))
        st = status_fail(msg, ST_ENOMEM, "out of memory saving %s", path);
    if (!st)
        st = nts_writer_save(w, path, msg);
    strbuf_done(&keys);
    nts_writer_free(w);
    return st;
}

/* resume from the "train.*" sections when present and well-formed. */
static Status read_resume(const NtsFile *f, ResumeState *r, const char *path, char *msg)
{
    const NtsSection *st = nts_find(f, "train.state");
    if (!st)
        return ST_OK;
    if (st->type != NTS_U32 || st->count != N_TRAIN_WORDS)
        return status_fail(msg, ST_EFORMAT, "%s: the snapshot's 'train.state' section is malformed", path);
    const NtsSection *opt = nts_find(f, "train.opt");
    if (opt && (opt->type != NTS_U32 || opt->count % 2))
        return status_fail(msg, ST_EFORMAT, "%s: the snapshot's 'train.opt' section is malformed", path);
    const uint32_t *w = st->u32;
    for (int k = 0; k < 4; k++)
        r->rng[k] = get_u64(w + 2 * k);
    r->rng_has_spare = w[8] != 0;
    r->rng_spare = get_f64(w + 9);
    r->cursor = (size_t)get_u64(w + 11);
    r->shuffles = (size_t)get_u64(w + 13);
    r->order_hash = w[15];
    if (opt && opt->count) {
        r->n_opt = opt->count / 2;
        r->opt = malloc(r->n_opt * sizeof *r->opt);
        if (!r->opt)
            return status_fail(msg, ST_ENOMEM, "out of memory loading %s", path);
        for (size_t i = 0; i < r->n_opt; i++)
            r->opt[i] = get_f64(opt->u32 + 2 * i);
    }
    r->valid = 1;
    return ST_OK;
}

static const NtsSection *need(const NtsFile *f, const char *name, NtsType type, size_t min_count,
                              const char *path, char *msg)
{
    const NtsSection *sec = nts_find(f, name);
    if (!sec || sec->type != type || sec->count < min_count) {
        status_fail(msg, ST_EFORMAT, "%s: the snapshot's '%s' section is missing or malformed", path, name);
        return NULL;
    }
    return sec;
}

Status snapshot_load(const char *path, Snapshot **out, char *msg)
{
    *out = NULL;
    NtsFile *f = NULL;
    Status st = nts_open(path, &f, msg);
    if (st)
        return st;
    Snapshot *s = NULL;
    float *params = NULL;
    ModelConfig c;
    const NtsSection *fmt = nts_find(f, "format");
    unsigned version = 1;
    if (fmt && (fmt->type != NTS_U32 || fmt->count != 1)) {
        st = status_fail(msg, ST_EFORMAT, "%s: the snapshot's 'format' section is malformed", path);
        goto done;
    }
    if (fmt)
        version = fmt->u32[0];
    if (version < 1 || version > SNAPSHOT_FORMAT) {
        st = status_fail(msg, ST_EFORMAT, "%s is a snapshot of format %u; this build reads formats 1 to %d",
                         path, version, SNAPSHOT_FORMAT);
        goto done;
    }
    const NtsSection *state = need(f, "state", NTS_U32, 4, path, msg);
    const NtsSection *scalars =
        state ? need(f, "scalars", NTS_U32, version == 1 ? 10 : 2 * N_SCALARS, path, msg) : NULL;
    if (!scalars) {
        st = ST_EFORMAT;
        goto done;
    }
    if ((st = model_io_read_sections(f, &c, &params, msg)))
        goto done;
    s = snapshot_new(&c, params, model_param_count(&c), 0);
    if (!s) {
        st = status_fail(msg, ST_ENOMEM, "out of memory loading %s", path);
        goto done;
    }
    s->epoch = (size_t)get_u64(state->u32);
    s->examples_seen = (size_t)get_u64(state->u32 + 2);
    s->seconds = get_f64(scalars->u32);
    s->train_loss = get_f64(scalars->u32 + 2);
    s->lr = get_f64(scalars->u32 + 4);
    s->eval.accuracy = get_f64(scalars->u32 + 6);
    s->eval.loss = get_f64(scalars->u32 + 8);
    s->eval.recon = version >= 2 ? get_f64(scalars->u32 + 10) : NAN;
    const NtsSection *conf = nts_find(f, "confusion");
    size_t k = s->eval.n_classes;
    if (conf && conf->type == NTS_U32 && conf->count == k * k)
        memcpy(s->eval.confusion, conf->u32, k * k * sizeof(uint32_t));
    const NtsSection *keys = nts_find(f, "metrics");
    const NtsSection *values = nts_find(f, "values");
    if (keys && values && keys->type == NTS_TEXT && values->type == NTS_U32) {
        const char *p = keys->text, *end = keys->text + keys->count;
        size_t i = 0;
        while (p < end && 2 * i + 1 < values->count) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                break;
            char key[METRIC_KEY_LEN];
            snprintf(key, sizeof key, "%.*s", (int)(nl - p), p);
            snapshot_set_metric(s, key, get_f64(values->u32 + 2 * i));
            p = nl + 1;
            i++;
        }
    }
    if ((st = read_resume(f, &s->resume, path, msg)))
        goto done;
    *out = s;
    s = NULL;
done:
    free(params);
    snapshot_release(s);
    nts_file_free(f);
    return st;
}
