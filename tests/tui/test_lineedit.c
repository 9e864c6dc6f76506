#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/tui/lineedit.h"
#include "support/support.h"

static LineEdit *le;

static void setup(void)
{
    le = lineedit_new(5);
    cr_assert_not_null(le);
    lineedit_start(le, NULL);
}

static void teardown(void)
{
    lineedit_free(le);
}

static LineEditResult type(const char *s)
{
    LineEditResult r = LINEEDIT_CONTINUE;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        r = lineedit_key(le, tui_key_char(*p));
    return r;
}

static LineEditResult key(TuiKeyCode code)
{
    return lineedit_key(le, tui_key(code));
}

static LineEditResult ctrl(char c)
{
    return lineedit_key(le, tui_key_ctrl(c));
}

TestSuite(lineedit, .init = setup, .fini = teardown);

Test(lineedit, insert_move_delete)
{
    type("stp 3");
    cr_assert_str_eq(lineedit_text(le), "stp 3");
    cr_assert_eq(lineedit_cursor_col(le), 5);
    key(TUI_KEY_HOME);
    key(TUI_KEY_RIGHT);
    key(TUI_KEY_RIGHT);
    type("e");
    cr_assert_str_eq(lineedit_text(le), "step 3");
    cr_assert_eq(lineedit_cursor_col(le), 3);
    key(TUI_KEY_DELETE);
    cr_assert_str_eq(lineedit_text(le), "ste 3");
    key(TUI_KEY_BACKSPACE);
    cr_assert_str_eq(lineedit_text(le), "st 3");
    key(TUI_KEY_END);
    key(TUI_KEY_DELETE); /* at the end: nothing */
    key(TUI_KEY_RIGHT);
    cr_assert_str_eq(lineedit_text(le), "st 3");
    cr_assert_eq(lineedit_cursor_col(le), 4);
    ctrl('a');
    cr_assert_eq(lineedit_cursor_col(le), 0);
    key(TUI_KEY_LEFT);
    cr_assert_eq(lineedit_cursor_col(le), 0);
    ctrl('e');
    cr_assert_eq(lineedit_cursor_col(le), 4);
    /* Control characters typed as text are refused. */
    lineedit_key(le, tui_key_char('\n'));
    lineedit_key(le, tui_key_char(0x7F));
    cr_assert_str_eq(lineedit_text(le), "st 3");
}

Test(lineedit, kill_word_and_line)
{
    type("theme  gruvbox-dark  ");
    ctrl('w');
    cr_assert_str_eq(lineedit_text(le), "theme  ");
    ctrl('w');
    cr_assert_str_eq(lineedit_text(le), "");
    type("lr 0.3 now");
    key(TUI_KEY_LEFT);
    key(TUI_KEY_LEFT);
    key(TUI_KEY_LEFT);
    key(TUI_KEY_LEFT);
    ctrl('u');
    cr_assert_str_eq(lineedit_text(le), " now");
    cr_assert_eq(lineedit_cursor_col(le), 0);
    ctrl('k');
    cr_assert_str_eq(lineedit_text(le), "");
}

Test(lineedit, utf8_cursor_moves_by_code_point)
{
    lineedit_key(le, tui_key_char(0x03B1)); /* α */
    lineedit_key(le, tui_key_char(0x03B2)); /* β */
    type("x");
    cr_assert_str_eq(lineedit_text(le), "αβx");
    cr_assert_eq(lineedit_cursor_col(le), 3);
    cr_assert_eq(lineedit_cursor_byte(le), 5);
    key(TUI_KEY_LEFT);
    key(TUI_KEY_LEFT);
    key(TUI_KEY_BACKSPACE);
    cr_assert_str_eq(lineedit_text(le), "βx");
    cr_assert_eq(lineedit_cursor_byte(le), 0);
}

Test(lineedit, enter_escape_and_empty_backspace)
{
    type("run");
    cr_assert_eq(key(TUI_KEY_ENTER), LINEEDIT_ACCEPT);
    cr_assert_str_eq(lineedit_text(le), "run");
    lineedit_start(le, NULL);
    type("pa");
    cr_assert_eq(key(TUI_KEY_ESC), LINEEDIT_CANCEL);
    lineedit_start(le, "x");
    cr_assert_eq(key(TUI_KEY_BACKSPACE), LINEEDIT_CONTINUE);
    cr_assert_eq(key(TUI_KEY_BACKSPACE), LINEEDIT_CANCEL, "backspace on an empty line leaves it");
    lineedit_start(le, NULL);
    cr_assert_eq(ctrl('c'), LINEEDIT_CANCEL);
    cr_assert_eq(lineedit_history_count(le), 1, "only the accepted line is remembered");
}

Test(lineedit, history_walk_and_dedup)
{
    const char *lines[] = {"step 1", "run", "run", "pause", "", "lr 0.1"};
    for (size_t i = 0; i < 6; i++) {
        lineedit_start(le, NULL);
        type(lines[i]);
        key(TUI_KEY_ENTER);
    }
    /* Consecutive duplicates and empty lines are not kept. */
    cr_assert_eq(lineedit_history_count(le), 4);
    cr_assert_str_eq(lineedit_history_at(le, 0), "step 1");
    cr_assert_str_eq(lineedit_history_at(le, 3), "lr 0.1");
    cr_assert_null(lineedit_history_at(le, 4));

    lineedit_start(le, NULL);
    type("sa");
    key(TUI_KEY_UP);
    cr_assert_str_eq(lineedit_text(le), "lr 0.1");
    key(TUI_KEY_UP);
    key(TUI_KEY_UP);
    key(TUI_KEY_UP);
    cr_assert_str_eq(lineedit_text(le), "step 1");
    key(TUI_KEY_UP); /* oldest: stays */
    cr_assert_str_eq(lineedit_text(le), "step 1");
    key(TUI_KEY_DOWN);
    cr_assert_str_eq(lineedit_text(le), "run");
    key(TUI_KEY_DOWN);
    key(TUI_KEY_DOWN);
    key(TUI_KEY_DOWN);
    cr_assert_str_eq(lineedit_text(le), "sa", "the line being typed comes back");
    key(TUI_KEY_DOWN);
    cr_assert_str_eq(lineedit_text(le), "sa");
}

Test(lineedit, history_is_bounded)
{
    char line[32];
    for (int i = 0; i < 8; i++) {
        snprintf(line, sizeof line, "step %d", i);
        lineedit_history_add(le, line);
    }
    cr_assert_eq(lineedit_history_count(le), 5);
    cr_assert_str_eq(lineedit_history_at(le, 0), "step 3");
    cr_assert_str_eq(lineedit_history_at(le, 4), "step 7");
    lineedit_history_add(le, "bad\nline");
    cr_assert_eq(lineedit_history_count(le), 5, "control characters are never stored");
}

static const char *COMMANDS[] = {"step",  "save", "speed", "run",    "pause",
                                 "theme", "help", "quit",  "export", "export-all"};

static void complete_cmds(void *ctx, const char *line, size_t word_start, LineCompletions *out)
{
    int *calls = ctx;
    (*calls)++;
    if (word_start == 0) {
        for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
            lineedit_add_candidate(out, COMMANDS[i]);
    } else if (strncmp(line, "theme ", 6) == 0) {
        lineedit_add_candidate(out, "gruvbox-dark");
        lineedit_add_candidate(out, "default");
        lineedit_add_candidate(out, "default"); /* duplicates are ignored */
    }
}

Test(lineedit, tab_completion)
{
    int calls = 0;
    lineedit_set_completer(le, complete_cmds, &calls);
    type("r");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "run ", "unique candidate, plus a space");
    cr_assert_eq(calls, 1);

    lineedit_start(le, NULL);
    type("s");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "s", "save/speed/step share only 's'");
    cr_assert_str_eq(lineedit_hint(le), "save  speed  step", "an ambiguous Tab lists them at once, sorted");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_hint(le), "save  speed  step", "a second Tab lists them again");
    type("p");
    cr_assert_str_eq(lineedit_hint(le), "", "any other key clears the hint");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "speed ");

    lineedit_start(le, NULL);
    type("ex");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "export", "completed to the common prefix");
    cr_assert_str_eq(lineedit_hint(le), "export  export-all", "and the candidates listed");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "export");
    cr_assert_str_eq(lineedit_hint(le), "export  export-all");

    lineedit_start(le, NULL);
    type("theme g");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "theme gruvbox-dark ");

    lineedit_start(le, NULL);
    type("zz");
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "zz");
    cr_assert_str_eq(lineedit_hint(le), "no completion");

    /* Completing in the middle of a line does not duplicate the space. */
    lineedit_start(le, "he x");
    key(TUI_KEY_HOME);
    key(TUI_KEY_RIGHT);
    key(TUI_KEY_RIGHT);
    key(TUI_KEY_TAB);
    cr_assert_str_eq(lineedit_text(le), "help x");
    cr_assert_eq(lineedit_cursor_col(le), 5);
}

Test(lineedit, render_scrolls_to_the_cursor)
{
    Canvas *c = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_new(8, 1, 1, &c, msg), ST_OK);
    type("abcdefghij");
    int cx = -5;
    lineedit_render(le, c, canvas_rect(c), ":", ROLE_CMDLINE, &cx);
    StrBuf b;
    strbuf_init(&b);
    canvas_dump(c, &b);
    /* 7 cells after the prompt; the cursor sits after 'j' in the last cell. */
    cr_assert_str_eq(strbuf_cstr(&b), ":efghij\n");
    cr_assert_eq(cx, 7);
    ctrl('a');
    lineedit_render(le, c, canvas_rect(c), ":", ROLE_CMDLINE, &cx);
    strbuf_clear(&b);
    canvas_dump(c, &b);
    cr_assert_str_eq(strbuf_cstr(&b), ":abcdefg\n");
    cr_assert_eq(cx, 1);
    strbuf_done(&b);
    canvas_free(c);
}

Test(lineedit, history_save_and_load)
{
    char dir[64];
    support_tmpdir_make("hist", dir, sizeof dir);
    char path[128];
    snprintf(path, sizeof path, "%s/deep/er/history", dir);
    char msg[STATUS_MSG_LEN];
    lineedit_history_add(le, "step 3");
    lineedit_history_add(le, "theme mono");
    lineedit_history_add(le, "lr 0.05");
    cr_assert_eq(lineedit_history_save(le, path, msg), ST_OK, "%s", msg);

    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char text[128] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    cr_assert_str_eq(text, "step 3\ntheme mono\nlr 0.05\n");

    LineEdit *other = lineedit_new(2);
    cr_assert_eq(lineedit_history_load(other, path, msg), ST_OK, "%s", msg);
    cr_assert_eq(lineedit_history_count(other), 2, "bounded: the newest two");
    cr_assert_str_eq(lineedit_history_at(other, 0), "theme mono");
    lineedit_start(other, NULL);
    lineedit_key(other, tui_key(TUI_KEY_UP));
    cr_assert_str_eq(lineedit_text(other), "lr 0.05");
    lineedit_free(other);

    /* CRLF, blank and over-long lines. */
    char big[LINEEDIT_MAX_BYTES + 40];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    f = fopen(path, "w");
    fprintf(f, "run\r\n\n%s\npause", big);
    fclose(f);
    other = lineedit_new(10);
    cr_assert_eq(lineedit_history_load(other, path, msg), ST_OK, "%s", msg);
    cr_assert_eq(lineedit_history_count(other), 2);
    cr_assert_str_eq(lineedit_history_at(other, 0), "run");
    cr_assert_str_eq(lineedit_history_at(other, 1), "pause");

    snprintf(path, sizeof path, "%s/missing", dir);
    cr_assert_eq(lineedit_history_load(other, path, msg), ST_OK, "a missing file is no error");
    cr_assert_eq(lineedit_history_count(other), 2);
    lineedit_free(other);

    support_tmpdir_remove(dir);
}

Test(lineedit, default_history_path)
{
    char buf[256];
    char msg[STATUS_MSG_LEN];
    setenv("XDG_DATA_HOME", "/data/x", 1);
    cr_assert_eq(lineedit_history_default_path(buf, sizeof buf, msg), ST_OK);
    cr_assert_str_eq(buf, "/data/x/neurotop/history");
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/u", 1);
    cr_assert_eq(lineedit_history_default_path(buf, sizeof buf, msg), ST_OK);
    cr_assert_str_eq(buf, "/home/u/.local/share/neurotop/history");
    cr_assert_eq(lineedit_history_default_path(buf, 10, msg), ST_EINVAL);
    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    cr_assert_eq(lineedit_history_default_path(buf, sizeof buf, msg), ST_ENOTFOUND);
}

Test(lineedit, line_length_is_bounded)
{
    for (int i = 0; i < LINEEDIT_MAX_BYTES + 10; i++)
        lineedit_key(le, tui_key_char('a'));
    cr_assert_eq(strlen(lineedit_text(le)), LINEEDIT_MAX_BYTES);
    lineedit_key(le, tui_key_char(0x03B1));
    cr_assert_eq(strlen(lineedit_text(le)), LINEEDIT_MAX_BYTES);
}
