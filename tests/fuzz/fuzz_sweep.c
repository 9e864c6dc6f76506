/* libFuzzer target for sweep files (`make fuzz`): sweep_spec_parse, then
 * for small sweeps sweep_spec_check (every value through the train option
 * parser) and the expansion of the first and last task.
 *
 * Contract checked beyond the sanitizers: on failure no spec and a one-line
 * message naming the file; on success at least one key, every key set once,
 * the task count the product of the value counts, every task's value
 * indexes in range and its options two words per key. */

#include "fuzz_util.h"
#include "neurotop/cli/sweep.h"

static void check_task(const SweepSpec *s, size_t t)
{
    size_t idx[SWEEP_MAX_KEYS];
    sweep_task_values(s, t, idx);
    for (size_t k = 0; k < s->n_axes; k++)
        if (idx[k] >= s->axes[k].n_values)
            abort();
    const char *argv[2 * SWEEP_MAX_KEYS];
    if (sweep_task_args(s, t, argv, 2 * SWEEP_MAX_KEYS) != 2 * s->n_axes)
        abort();
    char label[512];
    sweep_task_label(s, t, label, sizeof label);
    if (!memchr(label, '\0', sizeof label))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[STATUS_MSG_LEN] = "";
    SweepSpec *s = NULL;
    Status st = sweep_spec_parse((const char *)data, size, "fuzz.sweep", &s, msg);
    if (st != ST_OK) {
        if (s)
            abort();
        fuzz_check_msg(msg);
        if (!strstr(msg, "fuzz.sweep"))
            abort();
        return 0;
    }
    if (!s || s->n_axes == 0 || s->n_tasks == 0 || s->n_tasks > SWEEP_MAX_TASKS)
        abort();
    size_t product = 1;
    for (size_t k = 0; k < s->n_axes; k++) {
        if (s->axes[k].n_values == 0 || !s->axes[k].key[0])
            abort();
        for (size_t j = 0; j < k; j++)
            if (strcmp(s->axes[j].key, s->axes[k].key) == 0)
                abort();
        product *= s->axes[k].n_values;
    }
    if (product != s->n_tasks)
        abort();
    check_task(s, 0);
    check_task(s, s->n_tasks - 1);
    /* The check parses every task's options: only for small sweeps. */
    if (s->n_tasks <= 64) {
        msg[0] = '\0';
        if (sweep_spec_check(s, "fuzz.sweep", msg) != ST_OK) {
            fuzz_check_msg(msg);
            if (!strstr(msg, "fuzz.sweep"))
                abort();
        }
    }
    sweep_spec_free(s);
    return 0;
}
