/* libFuzzer target for theme files (`make fuzz`): theme_parse on the text
 * and theme_load_file on the same bytes as a file.
 *
 * Contract checked beyond the sanitizers: on failure the theme is left
 * unchanged and the message names the file; on success every colour is a
 * terminal colour (-1..255) and the attributes are known bits. */

#include "fuzz_util.h"
#include "neurotop/tui/theme.h"

static void check_theme(const Theme *t)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        const ThemeStyle *s = &t->style[r];
        if (s->fg < -1 || s->fg > 255 || s->bg < -1 || s->bg > 255)
            abort();
        if (s->attrs & ~(TA_BOLD | TA_DIM | TA_REVERSE | TA_UNDERLINE))
            abort();
    }
    if (memchr(t->name, '\0', sizeof t->name) == NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    Theme t, before;
    theme_init_default(&t);
    before = t;
    char msg[STATUS_MSG_LEN] = "";
    Status st = theme_parse(text, "fuzz.theme", &t, msg);
    if (st != ST_OK) {
        fuzz_check_msg(msg);
        if (memcmp(&t, &before, sizeof t) != 0 || !strstr(msg, "fuzz.theme"))
            abort();
    } else {
        check_theme(&t);
    }
    free(text);

    char path[128];
    fuzz_put_file(path, sizeof path, "f.theme", data, size);
    theme_init_default(&t);
    msg[0] = '\0';
    st = theme_load_file(path, &t, msg);
    if (st != ST_OK)
        fuzz_check_msg(msg);
    else
        check_theme(&t);
    return 0;
}
