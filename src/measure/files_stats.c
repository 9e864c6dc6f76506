/* `analyze pca` (§10 of docs/methods.md), until it joins the analysis that
 * also runs on snapshots. */
#include "files_internal.h"

#include <stdlib.h>

#include "neurotop/analysis/pca.h"
#include "neurotop/core/fileio.h"
#include "neurotop/core/matrix.h"

Status analyze_pca(const AnalysisArgs *args, JsonWriter *w, char *msg)
{
    Matrix *x = NULL;
    Status st = matrix_read_file(args->files[PARAM_MATRIX], &x, msg);
    if (st)
        return st;
    double *ratio = malloc((x->cols ? x->cols : 1) * sizeof *ratio);
    size_t n80 = 0;
    if (!ratio) {
        matrix_free(x);
        return status_fail(msg, ST_ENOMEM, "out of memory for %zu ratios", x->cols);
    }
    st = pca_explained(x->data, x->rows, x->cols, x->cols, args->standardize, ratio, &n80, msg);
    if (!st) {
        json_object_begin(w);
        json_key(w, "explained_ratio");
        json_real_array(w, ratio, x->cols);
        json_kv_int(w, "n80", (long long)n80);
        json_object_end(w);
    }
    free(ratio);
    matrix_free(x);
    return st;
}
