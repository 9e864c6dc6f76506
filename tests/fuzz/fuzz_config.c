/* libFuzzer target for the user configuration file (`make fuzz`):
 * config_parse on the text and config_load on the same bytes as the file
 * $XDG_CONFIG_HOME/neurotop/config.
 *
 * Contract checked beyond the sanitizers: on failure the configuration is
 * empty and the message names the file and a line; on success every entry
 * has a known key, a non-empty value of one line and a line number within
 * the text, and applying it to the default options succeeds (every value
 * was checked when the file was read). */

#include <sys/stat.h>

#include "fuzz_util.h"
#include "neurotop/cli/config.h"

static const char *const KEYS[] = {"theme", "runs", "qreps", "flexreps", "fc-windows", "save-every"};

static void check_config(UserConfig *c, size_t size)
{
    if (c->n > CONFIG_MAX_ENTRIES)
        abort();
    for (size_t i = 0; i < c->n; i++) {
        const ConfigEntry *e = &c->e[i];
        size_t k = 0;
        while (k < sizeof KEYS / sizeof KEYS[0] && strcmp(KEYS[k], e->key) != 0)
            k++;
        if (k == sizeof KEYS / sizeof KEYS[0] || !e->value[0] || strchr(e->value, '\n'))
            abort();
        if (e->line < 1 || (size_t)e->line > size + 1)
            abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->e[j].key, e->key) == 0)
                abort(); /* one entry per key */
    }
    RunOptions o;
    options_defaults(&o, 0);
    char msg[STATUS_MSG_LEN] = "";
    if (config_apply(c, &o, msg) != ST_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setenv("HOME", "/home/fuzz", 1);
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static UserConfig c;
    char msg[STATUS_MSG_LEN] = "";
    Status st = config_parse(text, "fuzz.conf", &c, msg);
    if (st != ST_OK) {
        fuzz_check_msg(msg);
        if (c.n != 0 || strncmp(msg, "fuzz.conf:", 10) != 0)
            abort();
    } else {
        check_config(&c, size);
    }
    free(text);

    /* The same bytes as the file config_load reads. */
    char dir[128], path[160];
    snprintf(dir, sizeof dir, "%s/neurotop", fuzz_dir());
    mkdir(dir, 0755);
    fuzz_put_file(path, sizeof path, "neurotop/config", data, size);
    setenv("XDG_CONFIG_HOME", fuzz_dir(), 1);
    msg[0] = '\0';
    st = config_load(&c, msg);
    if (st != ST_OK) {
        fuzz_check_msg(msg);
        if (c.n != 0 || !strstr(msg, path))
            abort();
    } else {
        check_config(&c, size);
    }
    return 0;
}
