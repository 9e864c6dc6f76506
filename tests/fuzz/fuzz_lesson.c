/* libFuzzer target for lesson files (`make fuzz`): lesson_parse, then
 * lesson_check against the registered panes and a last epoch of 50.
 *
 * Contract checked beyond the sanitizers: on failure no lesson and a
 * message naming the file; on success at least one step, lines ascending,
 * every command starting with ':' and every text terminated. */

#include "fuzz_util.h"
#include "neurotop/run/lesson.h"
#include "neurotop/tui/pane.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[STATUS_MSG_LEN] = "";
    Lesson *l = NULL;
    Status st = lesson_parse((const char *)data, size, "fuzz.lesson", &l, msg);
    if (st != ST_OK) {
        if (l)
            abort();
        fuzz_check_msg(msg);
        if (!strstr(msg, "fuzz.lesson"))
            abort();
        return 0;
    }
    if (!l || l->n_steps == 0 || !l->steps[0].epoch_given)
        abort();
    for (size_t i = 0; i < l->n_steps; i++) {
        const LessonStep *s = &l->steps[i];
        if (!s->text || (i && s->line <= l->steps[i - 1].line))
            abort();
        if (s->command[0] && s->command[0] != ':')
            abort();
        if (!memchr(s->zoom, '\0', sizeof s->zoom) || !memchr(s->command, '\0', sizeof s->command))
            abort();
    }
    const char *panes[32];
    size_t n_panes = 0;
    for (size_t i = 0; i < pane_registry_count && n_panes < 32; i++)
        panes[n_panes++] = pane_registry[i]->name;
    msg[0] = '\0';
    if (lesson_check(l, "fuzz.lesson", panes, n_panes, 50, msg) != ST_OK)
        fuzz_check_msg(msg);
    lesson_free(l);
    return 0;
}
