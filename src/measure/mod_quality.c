#include "neurotop/measure/mod_quality.h"

#include <stdlib.h>

#include "neurotop/analysis/modmatrix.h"
#include "neurotop/measure/mod_common.h"

Status quality_result_compute(const Matrix *adj, const int *labels, double gamma, ModSign sign,
                              QualityResult *r, char *msg)
{
    return modmat_quality_direct(adj, labels, gamma, sign, &r->q, msg);
}

void quality_result_json(const QualityResult *r, JsonWriter *w)
{
    json_object_begin(w);
    json_kv_real(w, "Q", r->q);
    json_object_end(w);
}

void quality_result_view(const QualityResult *r, JobResult *out)
{
    strbuf_printf(&out->text, "Modularity of the given partition\nQ %.4f\n", r->q);
}

Status job_quality(Job *job, const Snapshot *s, const AnalysisArgs *a, JobResult *out, char *msg)
{
    (void)job;
    if (s)
        return status_fail(msg, ST_EINVAL, "quality runs on files only");
    Matrix *adj = NULL;
    int *labels = NULL;
    QualityResult r;
    Status st = mod_read_square(a->files[PARAM_MATRIX], &adj, msg);
    if (!st)
        st = mod_read_partition(a->files[PARAM_PARTITION], adj->rows, &labels, msg);
    if (!st)
        st = quality_result_compute(adj, labels, a->gamma, a->sign, &r, msg);
    if (!st) {
        JsonWriter w;
        json_init(&w, &out->json);
        quality_result_json(&r, &w);
        quality_result_view(&r, out);
    }
    free(labels);
    matrix_free(adj);
    return st;
}
