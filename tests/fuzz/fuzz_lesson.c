/* libFuzzer target for lesson files (`make fuzz`): lesson_parse, then
 * lesson_check against the registered panes and a run recording epochs
 * 0, 5, ..., 50 with snapshots at multiples of 10 and every command known.
 *
 * Contract checked beyond the sanitizers: on failure no lesson and a
 * message naming the file; on success at least one step, lines ascending,
 * every command starting with ':' and every text terminated. */

#include "fuzz_util.h"
#include "neurotop/run/lesson.h"
#include "neurotop/tui/pane.h"

static int fuzz_has_snapshot(void *ctx, size_t epoch)
{
    (void)ctx;
    return epoch % 10 == 0;
}

/* A command is known when its word is one of a few; weights-reading ones
 * need a snapshot, so both branches of the check are reached. */
static int fuzz_check_command(void *ctx, const char *command, int *needs_snapshot, char *why,
                              size_t cap)
{
    (void)ctx;
    static const char *const known[] = {"louvain", "roles", "confusion", "help"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen(known[i]);
        if (!strncmp(command, known[i], n) && (command[n] == '\0' || command[n] == ' ')) {
            *needs_snapshot = i < 2;
            return 0;
        }
    }
    snprintf(why, cap, "unknown command");
    return 1;
}

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
    size_t epochs[11];
    for (size_t i = 0; i < 11; i++)
        epochs[i] = 5 * i;
    LessonContext c = {.panes = panes,
                       .n_panes = n_panes,
                       .epochs = epochs,
                       .n_epochs = 11,
                       .has_snapshot = fuzz_has_snapshot,
                       .check_command = fuzz_check_command};
    msg[0] = '\0';
    if (lesson_check(l, "fuzz.lesson", &c, msg) != ST_OK)
        fuzz_check_msg(msg);
    lesson_free(l);
    return 0;
}
