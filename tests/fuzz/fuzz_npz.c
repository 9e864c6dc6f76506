/* libFuzzer target for .npz archives and .npy arrays (`make fuzz`):
 * npz_open_buffer, then npz_read of every member; and the same bytes as a
 * lone .npy (npy_parse).
 *
 * Contract checked beyond the sanitizers: on failure nothing is returned
 * and the message is one line naming the file; on success the names are
 * clean text and unique lookups find them, an array's count is the product
 * of its shape and fits its bytes. */

#include "fuzz_util.h"
#include "neurotop/core/npy.h"

static void check_array(const NpyArray *a)
{
    size_t count = 1;
    for (size_t d = 0; d < a->ndim; d++)
        count *= a->shape[d];
    if (a->ndim > NPY_MAX_DIMS || count != a->count || !a->data)
        abort();
    volatile double sum = 0;
    for (size_t i = 0; i < a->count; i++)
        sum += a->data[i];
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[STATUS_MSG_LEN] = "";
    NpyArray a;
    if (npy_parse(data, size, "fuzz.npy", &a, msg) == ST_OK) {
        check_array(&a);
        npy_array_done(&a);
    } else {
        if (a.data)
            abort();
        fuzz_check_msg(msg);
        if (!strstr(msg, "fuzz.npy"))
            abort();
    }
    Npz *z = NULL;
    msg[0] = '\0';
    if (npz_open_buffer(data, size, "fuzz.npz", &z, msg) != ST_OK) {
        if (z)
            abort();
        fuzz_check_msg(msg);
        if (!strstr(msg, "fuzz.npz"))
            abort();
        return 0;
    }
    for (size_t i = 0; i < npz_count(z); i++) {
        if (npz_find(z, npz_name(z, i)) < 0)
            abort();
        msg[0] = '\0';
        if (npz_read(z, i, &a, msg) == ST_OK) {
            check_array(&a);
            npy_array_done(&a);
        } else {
            fuzz_check_msg(msg);
            if (!strstr(msg, "fuzz.npz"))
                abort();
        }
    }
    npz_free(z);
    return 0;
}
