/* The key table: one list for the help overlay and the bottom-line hint. */
#include <criterion/criterion.h>
#include <string.h>

#include "neurotop/tui/keys.h"

Test(keys, live_and_replay_hints_differ)
{
    char live[256], replay[256];
    tui_keys_hint(0, 200, live, sizeof live);
    tui_keys_hint(1, 200, replay, sizeof replay);
    cr_assert_str_eq(live, "q quit  Space run/pause  n step  : command  ? help  Tab focus  z zoom");
    cr_assert_str_eq(replay, "q quit  Space play  ←/→ epoch  : command  ? help  Tab focus  z zoom");
}

Test(keys, the_hint_keeps_whole_entries_that_fit)
{
    char h[256];
    tui_keys_hint(0, 30, h, sizeof h);
    /* "q quit  Space run/pause  n step" is 31 cells: n step is left out
     * whole, and no later entry fits the 7 cells left. */
    cr_assert_str_eq(h, "q quit  Space run/pause");
    tui_keys_hint(1, 37, h, sizeof h);
    /* Replay: "q quit  Space play  ←/→ epoch" is 29 cells of 37; ": command"
     * would need 11 more, "? help" fits in 8 after it is skipped. */
    cr_assert_str_eq(h, "q quit  Space play  ←/→ epoch  ? help");
    tui_keys_hint(0, 5, h, sizeof h);
    cr_assert_str_eq(h, "", "not even q quit fits in 5 cells");
}

Test(keys, every_key_has_help_and_the_browse_keys_are_listed)
{
    int browse_live = 0, browse_replay = 0, home = 0;
    for (size_t i = 0; i < tui_keys_count(); i++) {
        const TuiKeyHelp *k = tui_keys_at(i);
        cr_assert(k->keys[0] && k->help[0]);
        cr_assert(k->modes & TUI_KEYS_BOTH);
        browse_live += strstr(k->keys, "← →") && tui_keys_applies(k, 0);
        browse_replay += strstr(k->keys, "p n") && tui_keys_applies(k, 1);
        home += strstr(k->keys, "Home End") != NULL;
        if (tui_keys_applies(k, 1))
            cr_assert(strstr(k->help, "train one more") == NULL, "a replay does not train: %s", k->help);
    }
    cr_assert_eq(browse_live, 1);
    cr_assert_eq(browse_replay, 1);
    cr_assert_eq(home, 2);
    cr_assert_null(tui_keys_at(tui_keys_count()));
}
