/* libFuzzer target for partition and label files (`make fuzz`): one
 * integer label per line (labels_read_file), as `analyze` reads --partition
 * and the label files of the information analyses.
 *
 * Contract checked beyond the sanitizers: on success at least one label and
 * exactly as many as non-blank lines, on failure no labels and one sentence
 * naming the file. */

#include "fuzz_util.h"
#include "neurotop/core/fileio.h"

static size_t count_nonblank_lines(const uint8_t *data, size_t size)
{
    size_t n = 0, i = 0;
    int blank = 1;
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a byte-order mark is skipped */
    for (; i < size; i++) {
        if (data[i] == '\n') {
            n += !blank;
            blank = 1;
        } else if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r') {
            blank = 0;
        }
    }
    return n + !blank;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128], msg[STATUS_MSG_LEN] = "";
    fuzz_put_file(path, sizeof path, "part.txt", data, size);
    long *labels = NULL;
    size_t n = 0;
    Status st = labels_read_file(path, &labels, &n, msg);
    if (st != ST_OK) {
        if (labels || n)
            abort();
        fuzz_check_msg(msg);
        if (!strstr(msg, path))
            abort();
        return 0;
    }
    if (!labels || n == 0)
        abort();
    if (!memchr(data, '\0', size) && n != count_nonblank_lines(data, size))
        abort();
    free(labels);
    return 0;
}
