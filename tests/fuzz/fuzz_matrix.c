/* libFuzzer target for the matrix readers (`make fuzz`): the same bytes as
 * a CSV file, as a NumPy .npy file, as CSV text in memory, and as a
 * multilayer partition (labels_matrix_read) of either format.
 *
 * Contract checked beyond the sanitizers: on success a non-empty matrix of
 * finite values (integers for a partition), on failure no matrix and one
 * sentence. */

#include <math.h>

#include "fuzz_util.h"
#include "neurotop/core/fileio.h"

static void check_matrix(Status st, Matrix *m, const char *msg)
{
    if (st != ST_OK) {
        if (m)
            abort();
        fuzz_check_msg(msg);
        return;
    }
    if (!m || m->rows == 0 || m->cols == 0)
        abort();
    for (size_t k = 0; k < m->rows * m->cols; k++)
        if (!isfinite(m->data[k]))
            abort();
    matrix_free(m);
}

static void check_partition(const char *path)
{
    char msg[STATUS_MSG_LEN] = "";
    int *g = NULL;
    size_t rows = 0, cols = 0;
    Status st = labels_matrix_read(path, &g, &rows, &cols, msg);
    if (st != ST_OK) {
        if (g)
            abort();
        fuzz_check_msg(msg);
        return;
    }
    if (!g || rows == 0 || cols == 0)
        abort();
    free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128], msg[STATUS_MSG_LEN];
    Matrix *m = NULL;

    fuzz_put_file(path, sizeof path, "m.csv", data, size);
    msg[0] = '\0';
    check_matrix(matrix_read_file(path, &m, msg), m, msg);
    check_partition(path);

    fuzz_put_file(path, sizeof path, "m.npy", data, size);
    m = NULL;
    msg[0] = '\0';
    check_matrix(matrix_read_file(path, &m, msg), m, msg);
    check_partition(path);

    /* The in-memory parser sees text up to the first NUL byte. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    m = NULL;
    msg[0] = '\0';
    check_matrix(csv_parse_matrix(text, "fuzz.csv", &m, msg), m, msg);
    free(text);
    return 0;
}
